//! The paper's figure families (THEORY §8) as PNG and SVG, with their data as CSV (and
//! JSON with `--features serde`): theory as lines, the crate's own simulation as points
//! with standard-error bars.
//!
//! ```text
//! cargo run --release --example figures -- [--quick] [--out DIR] [--only NAME[,NAME…]]
//! ```
//!
//! * `--quick`: fewer Monte Carlo draws and smaller simulated spectra (CI; the same
//!   curves, noisier points);
//! * `--out DIR`: output directory (default `<target dir>/detridge-out/figures`);
//! * `--only`: a comma-separated subset of `double_descent, decomposition,
//!   random_features, scaling_laws, gcv_diabetes, spectra, optimal_ridge, gradient_flow,
//!   gradient_flow_random_features, sgd, compute_optimal, forecast_diabetes`.
//!
//! The gallery in `docs/figures/` is this command's full-mode output:
//! `cargo run --release --example figures -- --out docs/figures` (the PNGs are committed;
//! SVG/CSV/JSON are ignored there by `docs/figures/.gitignore`).

#![allow(clippy::print_stdout)]

#[path = "support/plot.rs"]
mod plot;

#[path = "support/figdata.rs"]
mod figdata;

use std::time::Instant;

fn usage() -> &'static str {
    "usage: figures [--quick] [--out DIR] [--only NAME[,NAME...]]"
}

fn main() -> Result<(), plot::BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut quick = false;
    let mut only: Option<Vec<String>> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--quick" => quick = true,
            "--out" => i += 1,
            "--only" => {
                i += 1;
                let list = args.get(i).ok_or("--only needs a list of figure names")?;
                only = Some(list.split(',').map(str::to_string).collect());
            }
            "-h" | "--help" => {
                println!("{}\nfigures: {}", usage(), figdata::NAMES.join(", "));
                return Ok(());
            }
            a if a.starts_with("--out=") => {}
            a => return Err(format!("unknown argument {a:?}; {}", usage()).into()),
        }
        i += 1;
    }
    let out = plot::out_dir_from_args(&args, "figures");
    let mode = figdata::Mode { quick };
    let names: Vec<String> =
        only.unwrap_or_else(|| figdata::NAMES.iter().map(|s| (*s).to_string()).collect());
    let start = Instant::now();
    println!(
        "figures ({} mode) into {}",
        if quick { "quick" } else { "full" },
        out.display()
    );
    for name in &names {
        let t0 = Instant::now();
        let fig = figdata::compute(name, mode)?;
        let tables: Vec<&plot::Table> = fig.tables.iter().collect();
        let written = plot::write_tables(&out, &tables)?;
        let paths = fig.figure.render(&out)?;
        println!("\n[{name}] {:.1} s", t0.elapsed().as_secs_f64());
        for n in &fig.notes {
            println!("  {n}");
        }
        println!(
            "  drew {}; {written}",
            paths
                .iter()
                .filter_map(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("\nall done in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
