//! Every theory citation in the code base resolves inside the repository.
//!
//! Doc comments, tests, examples, benchmarks and the README cite the crate's theory
//! document as `THEORY §3.2`, `(THEORY §2.1, §4.2)` or `THEORY §2–§3`. This test scans
//! every `.rs` file under `src/`, `tests/`, `examples/` and `benches/`, and `README.md`,
//! and checks that each cited section number has a heading in `docs/theory.md` (a line
//! starting with `#` that contains `§<number>` followed by a space). It also checks that
//! nothing cites the design notes (`DESIGN §…`), which are not part of the repository.
//!
//! Run: `cargo test --release --test theory_citations` (milliseconds).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The citation prefixes, assembled at run time so that this file does not cite anything.
fn theory_prefix() -> String {
    format!("{}RY §", "THEO")
}
fn design_prefix() -> String {
    format!("{}GN §", "DESI")
}

/// One citation found in a file.
#[derive(Debug)]
struct Citation {
    file: PathBuf,
    line: usize,
    section: String,
}

/// Reads a section number `12`, `3.2`, `11.3`, … at the start of `s` (a trailing dot that
/// ends a sentence is not part of it). Returns the number and the bytes consumed.
fn section_number(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    while i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    Some((s[..i].to_string(), i))
}

/// All section numbers cited in one line: `THEORY §a` and the list that follows it,
/// `, §b`, ` and §c`, `–§d` or a bare range end `–d` (as in `§3.1–3.2`).
fn citations_in_line(line: &str) -> Vec<String> {
    let prefix = theory_prefix();
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(pos) = rest.find(&prefix) {
        rest = &rest[pos + prefix.len()..];
        let Some((first, used)) = section_number(rest) else {
            // `THEORY §` followed by something that is not a number: report it as is.
            found.push(rest.chars().take(12).collect());
            continue;
        };
        found.push(first);
        rest = &rest[used..];
        // Continuations of the list.
        loop {
            let t = rest.trim_start();
            let (after_sep, range) = if let Some(u) = t.strip_prefix(',') {
                (u, false)
            } else if let Some(u) = t.strip_prefix('–').or_else(|| t.strip_prefix('-')) {
                (u, true)
            } else if let Some(u) = t.strip_prefix("and ").or_else(|| t.strip_prefix("& ")) {
                (u, false)
            } else {
                break;
            };
            let u = after_sep.trim_start();
            let (u, had_mark) = match u.strip_prefix('§') {
                Some(v) => (v, true),
                None => (u, false),
            };
            // Without a section mark only a range end counts (`§3.1–3.2`).
            if !had_mark && !range {
                break;
            }
            match section_number(u) {
                Some((n, used)) => {
                    found.push(n);
                    rest = &u[used..];
                }
                None => break,
            }
        }
    }
    found
}

/// Section numbers that have a heading in the theory document.
fn headings(theory: &str) -> BTreeSet<String> {
    let mut set = BTreeSet::new();
    for line in theory.lines().filter(|l| l.starts_with('#')) {
        let mut rest = line;
        while let Some(pos) = rest.find('§') {
            rest = &rest[pos + '§'.len_utf8()..];
            if let Some((n, used)) = section_number(rest)
                && rest[used..].starts_with(' ')
            {
                set.insert(n);
            }
        }
    }
    set
}

/// `.rs` files under `dir`, recursively, in a stable order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The files whose citations are checked (this file excluded: it only talks about them).
fn scanned_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["src", "tests", "examples", "benches"] {
        rust_files(&root.join(dir), &mut files);
    }
    files.push(root.join("README.md"));
    let me = root.join("tests").join("theory_citations.rs");
    files.retain(|f| *f != me);
    files
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_theory_citation_resolves_to_a_heading() {
    let root = root();
    let theory = fs::read_to_string(root.join("docs/theory.md"))
        .expect("docs/theory.md must exist: it is the document the citations point to");
    let known = headings(&theory);
    // The document numbers §0–§16 like the citations do; a broken heading parser would
    // otherwise make every citation unresolved (or, with an empty scan, none).
    for s in [
        "0", "1", "2.1", "3.2", "4.6", "7.2", "10", "11.3", "13", "16",
    ] {
        assert!(known.contains(s), "docs/theory.md has no heading for §{s}");
    }

    let mut all = Vec::new();
    for file in scanned_files(&root) {
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        for (i, line) in text.lines().enumerate() {
            for section in citations_in_line(line) {
                all.push(Citation {
                    file: file.strip_prefix(&root).unwrap_or(&file).to_path_buf(),
                    line: i + 1,
                    section,
                });
            }
        }
    }
    // About 130 citations exist; far fewer means the scan itself is broken.
    assert!(
        all.len() >= 100,
        "only {} citations found: is the scanner broken?",
        all.len()
    );

    let unresolved: Vec<String> = all
        .iter()
        .filter(|c| !known.contains(&c.section))
        .map(|c| format!("  {}:{}: §{}", c.file.display(), c.line, c.section))
        .collect();
    assert!(
        unresolved.is_empty(),
        "{} of {} theory citations do not resolve to a heading of docs/theory.md \
         (a line starting with '#' containing '§<number> '):\n{}",
        unresolved.len(),
        all.len(),
        unresolved.join("\n")
    );
}

#[test]
fn nothing_cites_the_design_notes() {
    let root = root();
    let prefix = design_prefix();
    let mut hits = Vec::new();
    for file in scanned_files(&root) {
        let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
        for (i, line) in text.lines().enumerate() {
            if line.contains(&prefix) {
                let rel = file.strip_prefix(&root).unwrap_or(&file);
                hits.push(format!("  {}:{}: {}", rel.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "{} line(s) cite the design notes, which are not in the repository; cite the \
         theory document or say it in words:\n{}",
        hits.len(),
        hits.join("\n")
    );
}

#[test]
fn the_scanner_reads_lists_ranges_and_sentence_ends() {
    let t = theory_prefix();
    let cases: [(String, &[&str]); 7] = [
        (format!("see {t}3.2."), &["3.2"]),
        (format!("({t}2.1, §4.2)"), &["2.1", "4.2"]),
        (format!("{t}2–§3 and more"), &["2", "3"]),
        (format!("{t}3.1–3.2 (x)"), &["3.1", "3.2"]),
        (format!("{t}4.3 and §5"), &["4.3", "5"]),
        (format!("{t}9: gaps, 3 draws"), &["9"]),
        (format!("{t}1; {t}11.3"), &["1", "11.3"]),
    ];
    for (line, want) in &cases {
        assert_eq!(citations_in_line(line), *want, "{line}");
    }
    // A heading needs the space after the number; a citation of a missing section fails.
    let doc = "# Title\n## §3.2 Training error\n### §12 Nonlinear\ntext §4 not a heading\n";
    let known = headings(doc);
    assert!(known.contains("3.2") && known.contains("12"));
    assert!(!known.contains("4") && !known.contains("3"));
    let bad = citations_in_line(&format!("{t}3.7"));
    assert!(bad.iter().all(|s| !known.contains(s)));
}
