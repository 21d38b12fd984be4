//! The `detridge` command line (built with `--features cli`): parsing, outputs and error
//! messages, by running the built binary.
//!
//! Run: `cargo test --release --features cli --test cli` (≈ 1 s).

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_detridge"))
        .args(args)
        .output()
        .expect("the detridge binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("detridge-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

#[test]
fn ridge_table_over_p_matches_the_library() {
    let o = run(&[
        "ridge",
        "--spectrum",
        "isotropic",
        "--dim",
        "100",
        "--noise",
        "0.5",
        "--over",
        "p",
        "--from",
        "400",
        "--to",
        "800",
        "--points",
        "2",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("# isotropic Σ = I, D = 100"), "{out}");
    // Ridgeless, isotropic, P > D: E_g = σ² D/(P − D) (THEORY §3.3).
    let rows: Vec<Vec<f64>> = out
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 2);
    for r in rows {
        let (p, eg) = (r[0], r[3]);
        // The table prints six significant digits.
        assert!(
            (eg - 0.5 * 100.0 / (p - 100.0)).abs() < 1e-5 * eg,
            "P = {p}: {eg}"
        );
    }
}

#[test]
fn csv_json_and_plot_outputs() {
    let csv = tmp("rf.csv");
    let png = tmp("rf.png");
    let o = run(&[
        "rf",
        "--spectrum",
        "power-law",
        "--alpha",
        "1.5",
        "--source",
        "0.6",
        "--dim",
        "300",
        "--noise",
        "0.09",
        "--p",
        "200",
        "--lambda",
        "1e-3",
        "--over",
        "n",
        "--from",
        "20",
        "--to",
        "2000",
        "--points",
        "9",
        "--format",
        "csv",
        "--output",
        csv.to_str().unwrap(),
        "--plot",
        png.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "P,N,lambda,kappa,E_g,E_tr,bias2,var_data,var_features,var_data_features,var_noise"
    );
    assert_eq!(lines.count(), 9);
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");

    let o = run(&[
        "kernel",
        "--spectrum",
        "power-law",
        "--alpha",
        "2",
        "--source",
        "0.5",
        "--dim",
        "inf",
        "--p",
        "1000",
        "--over",
        "lambda",
        "--from",
        "1e-8",
        "--to",
        "1",
        "--points",
        "3",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    // Kernel convention: λ_C = P λ.
    let r = &rows[2];
    assert!((r["lambda_C"].as_f64().unwrap() - 1000.0).abs() < 1e-9);
}

#[test]
fn blocks_and_eigenvalue_file_spectra() {
    let o = run(&[
        "ridge",
        "--spectrum",
        "blocks",
        "--values",
        "1,0.1",
        "--sizes",
        "50,50",
        "--target-power",
        "0.5,0.5",
        "--noise",
        "0.1",
        "--lambda",
        "1e-2",
        "--from",
        "10",
        "--to",
        "1000",
        "--points",
        "3",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The same task from a file (two columns: eigenvalue, w̄_k; w̄_k² = 0.01, so each
    // block of 50 carries target power 0.5).
    let f = tmp("ev.txt");
    let mut text = String::from("# eigenvalue  wbar\n");
    for k in 0..100 {
        text.push_str(&format!("{} 0.1\n", if k < 50 { 1.0 } else { 0.1 }));
    }
    std::fs::write(&f, text).unwrap();
    let o2 = run(&[
        "ridge",
        "--spectrum",
        "file",
        "--eigenvalues",
        f.to_str().unwrap(),
        "--noise",
        "0.1",
        "--lambda",
        "1e-2",
        "--from",
        "10",
        "--to",
        "1000",
        "--points",
        "3",
    ]);
    assert!(o2.status.success(), "{}", stderr(&o2));
    let body = |s: &str| s.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    let (a, b) = (body(&stdout(&o)), body(&stdout(&o2)));
    // Same numbers to the printed precision.
    assert_eq!(a, b);
}

/// Bad arguments: exit code 2 and a message naming the problem.
fn fails_with(args: &[&str], needle: &str) {
    let o = run(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(needle),
        "{args:?}: expected {needle:?} in {err}"
    );
}

#[test]
fn usage_errors_are_clear() {
    let base = ["--from", "10", "--to", "100"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v: Vec<&str> = extra.to_vec();
        v.extend(base);
        v
    };
    fails_with(&with(&["lasso", "--dim", "10"]), "invalid value 'lasso'");
    fails_with(&with(&["ridge"]), "--spectrum isotropic needs --dim D");
    fails_with(&with(&["ridge", "--dim", "ten"]), "is not a number");
    fails_with(&with(&["ridge", "--dim", "10.5"]), "whole number");
    fails_with(
        &with(&["ridge", "--dim", "inf"]),
        "only available for --spectrum power-law",
    );
    fails_with(
        &with(&["ridge", "--dim", "10", "--alpha", "2"]),
        "--alpha does not apply",
    );
    fails_with(
        &with(&["ridge", "--spectrum", "power-law", "--alpha", "2"]),
        "--source",
    );
    fails_with(
        &with(&[
            "ridge",
            "--spectrum",
            "blocks",
            "--values",
            "1,2",
            "--sizes",
            "3",
        ]),
        "--sizes has 1 entries but --values has 2",
    );
    fails_with(
        &with(&["ridge", "--spectrum", "file"]),
        "needs --eigenvalues FILE",
    );
    fails_with(
        &with(&[
            "ridge",
            "--spectrum",
            "file",
            "--eigenvalues",
            "/nonexistent/ev.txt",
        ]),
        "cannot read /nonexistent/ev.txt",
    );
    fails_with(
        &with(&["ridge", "--dim", "10", "--n", "5"]),
        "rf model only",
    );
    fails_with(
        &with(&["rf", "--dim", "10", "--over", "p"]),
        "--n is required",
    );
    fails_with(
        &with(&["ridge", "--dim", "10", "--over", "lambda"]),
        "--p is required",
    );
    fails_with(
        &["ridge", "--dim", "10", "--from", "-1", "--to", "1"],
        "logarithmic sweep needs --from and --to > 0",
    );
    fails_with(&["ridge", "--dim", "10", "--to", "1"], "--from");
    fails_with(
        &with(&["ridge", "--dim", "10", "--format", "xml"]),
        "invalid value 'xml'",
    );
}

#[test]
fn library_errors_are_reported_not_panicked() {
    // Ridgeless at the interpolation peak P = D: the library's Divergent error, exit 1.
    let o = run(&[
        "ridge", "--dim", "100", "--from", "100", "--to", "100", "--points", "1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("\nerror: P = 100: "), "{}", stderr(&o));
    // A negative noise variance is refused by Task::isotropic.
    let o = run(&[
        "ridge", "--dim", "100", "--noise", "-1", "--from", "10", "--to", "20",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error: "), "{}", stderr(&o));
}

#[test]
fn a_failed_point_is_reported_and_the_rest_of_the_curve_kept() {
    // Ridgeless isotropic D = 100 over P = 50, 100, 150, 200: P = D diverges.
    let o = run(&[
        "ridge", "--dim", "100", "--noise", "0.5", "--linear", "--from", "50", "--to", "200",
        "--points", "4", "--format", "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("warning: P = 100:"), "{err}");
    assert!(err.contains("point left out"), "{err}");
    let out = stdout(&o);
    let ps: Vec<f64> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ps, vec![50.0, 150.0, 200.0]);
}
