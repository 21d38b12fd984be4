//! `detridge`: learning curves from the command line.
//!
//! Computes a linear-ridge, random-feature or kernel-ridge curve (THEORY §3, §4, §6) for
//! a named spectrum over `P`, `λ` or `N`, and prints a table or writes CSV/JSON; `--plot`
//! draws it as PNG (or SVG, by the file extension).
//!
//! ```text
//! cargo run --release --features cli --bin detridge -- ridge --spectrum isotropic \
//!     --dim 250 --noise 0.25 --lambda 1e-3 --over p --from 25 --to 750 --points 30
//! cargo run --release --features cli --bin detridge -- rf --spectrum power-law \
//!     --alpha 1.5 --source 0.6 --dim 300 --noise 0.09 --p 200 --lambda 1e-3 \
//!     --over n --from 20 --to 2000 --format csv --output rf.csv --plot rf.png
//! cargo run --release --features cli --bin detridge -- kernel --spectrum power-law \
//!     --alpha 2 --source 0.5 --dim inf --over lambda --from 1e-8 --to 1 --p 1000
//! ```
//!
//! Built only with the `cli` feature (`required-features`), so library users never
//! compile clap or plotters.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../../examples/support/plot.rs"]
mod plot;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use detridge::{Spectrum, Task};
use plot::{Figure, Legend, Panel, Series, Style, Table};

/// Learning curves of ridge regression, random features and kernel ridge regression from
/// deterministic-equivalence theory (detridge).
#[derive(Debug, Parser)]
#[command(name = "detridge", version, about, long_about = None)]
struct Cli {
    /// Which model: linear ridge, linear random features, or kernel ridge (Mercer
    /// spectrum; adds the kernel-convention λ_C = Pλ, κ_C = Pκ; `gcv` is the value
    /// KARE and GCV concentrate on, E_g + σ²).
    #[arg(value_enum)]
    model: Model,

    /// The population spectrum Σ (or the kernel's Mercer eigenvalues).
    #[arg(long, value_enum, default_value_t = SpectrumKind::Isotropic)]
    spectrum: SpectrumKind,
    /// Dimension D (isotropic, power-law; `inf` for an exact D = ∞ power law).
    #[arg(long, value_parser = parse_dim)]
    dim: Option<f64>,
    /// Power-law capacity exponent α > 1 (eigenvalues k^-α).
    #[arg(long)]
    alpha: Option<f64>,
    /// Power-law source exponent r > 0 (target power k^-(1+2αr)).
    #[arg(long)]
    source: Option<f64>,
    /// Isotropic target norm |w̄|² (default 1).
    #[arg(long)]
    signal: Option<f64>,
    /// Block eigenvalues, comma-separated (blocks).
    #[arg(long, value_delimiter = ',')]
    values: Vec<f64>,
    /// Block sizes (multiplicities), comma-separated, one per block value.
    #[arg(long, value_delimiter = ',')]
    sizes: Vec<f64>,
    /// Target power of each block, the sum of w̄_k² over its directions (default:
    /// |w̄|² = 1 spread evenly over all directions).
    #[arg(long, value_delimiter = ',')]
    target_power: Vec<f64>,
    /// File of eigenvalues, one per line; an optional second column is the target w̄_k
    /// (default: |w̄|² = 1 spread evenly). `#` starts a comment.
    #[arg(long)]
    eigenvalues: Option<PathBuf>,
    /// Label-noise variance σ².
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    noise: f64,

    /// The swept variable.
    #[arg(long, value_enum, default_value_t = Over::P)]
    over: Over,
    /// First value of the sweep.
    #[arg(long, allow_negative_numbers = true)]
    from: f64,
    /// Last value of the sweep.
    #[arg(long, allow_negative_numbers = true)]
    to: f64,
    /// Number of points.
    #[arg(long, default_value_t = 25)]
    points: usize,
    /// Linearly spaced points (default: logarithmically).
    #[arg(long)]
    linear: bool,
    /// Sample size P (fixed when not swept).
    #[arg(long)]
    p: Option<f64>,
    /// Ridge λ, 1/P convention (fixed when not swept).
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    lambda: f64,
    /// Number of random features N (rf; fixed when not swept).
    #[arg(long)]
    n: Option<f64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the output to this file instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Also draw the curve into this PNG (or `.svg`) file.
    #[arg(long)]
    plot: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Model {
    Ridge,
    Rf,
    Kernel,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SpectrumKind {
    Isotropic,
    Blocks,
    PowerLaw,
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Over {
    P,
    Lambda,
    N,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

fn parse_dim(s: &str) -> Result<f64, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "inf" | "infinity" | "∞" => Ok(f64::INFINITY),
        t => {
            let v: f64 = t
                .parse()
                .map_err(|_| format!("{s:?} is not a number (or `inf`)"))?;
            if v.is_finite() && v >= 1.0 && v.fract() == 0.0 {
                Ok(v)
            } else {
                Err(format!(
                    "{s:?}: a dimension must be a whole number ≥ 1, or `inf`"
                ))
            }
        }
    }
}

/// A usage error (exit code 2) or a computation error (exit code 1).
#[derive(Debug)]
enum CliError {
    Usage(String),
    Compute(String),
}

impl From<detridge::Error> for CliError {
    fn from(e: detridge::Error) -> Self {
        Self::Compute(e.to_string())
    }
}

fn usage<T>(msg: impl Into<String>) -> Result<T, CliError> {
    Err(CliError::Usage(msg.into()))
}

/// Rejects options that do not belong to the chosen spectrum.
fn reject(cli: &Cli, allowed: &[&str]) -> Result<(), CliError> {
    let given: [(&str, bool); 7] = [
        ("--dim", cli.dim.is_some()),
        ("--alpha", cli.alpha.is_some()),
        ("--source", cli.source.is_some()),
        ("--signal", cli.signal.is_some()),
        ("--values", !cli.values.is_empty()),
        ("--sizes", !cli.sizes.is_empty()),
        ("--eigenvalues", cli.eigenvalues.is_some()),
    ];
    for (name, on) in given {
        if on && !allowed.contains(&name) {
            return usage(format!(
                "{name} does not apply to --spectrum {}",
                spectrum_name(cli.spectrum)
            ));
        }
    }
    if !cli.target_power.is_empty() && !allowed.contains(&"--target-power") {
        return usage(format!(
            "--target-power does not apply to --spectrum {}",
            spectrum_name(cli.spectrum)
        ));
    }
    Ok(())
}

fn spectrum_name(s: SpectrumKind) -> &'static str {
    match s {
        SpectrumKind::Isotropic => "isotropic",
        SpectrumKind::Blocks => "blocks",
        SpectrumKind::PowerLaw => "power-law",
        SpectrumKind::File => "file",
    }
}

/// The task described by the spectrum options.
fn build_task(cli: &Cli) -> Result<(Task, String), CliError> {
    let sigma2 = cli.noise;
    match cli.spectrum {
        SpectrumKind::Isotropic => {
            reject(cli, &["--dim", "--signal"])?;
            let Some(d) = cli.dim else {
                return usage("--spectrum isotropic needs --dim D");
            };
            if d.is_infinite() {
                return usage("--dim inf is only available for --spectrum power-law");
            }
            let signal = cli.signal.unwrap_or(1.0);
            Ok((
                Task::isotropic(d, signal, sigma2)?,
                format!("isotropic Σ = I, D = {d}, |w̄|² = {signal}, σ² = {sigma2}"),
            ))
        }
        SpectrumKind::PowerLaw => {
            reject(cli, &["--dim", "--alpha", "--source"])?;
            let (Some(alpha), Some(r)) = (cli.alpha, cli.source) else {
                return usage("--spectrum power-law needs --alpha and --source (r)");
            };
            let d = cli.dim.unwrap_or(f64::INFINITY);
            let dim = if d.is_finite() {
                Some(d as usize)
            } else {
                None
            };
            Ok((
                Task::power_law(alpha, r, dim, sigma2)?,
                format!(
                    "power law s_k = k^-{alpha}, r = {r}, D = {}, σ² = {sigma2}",
                    dim.map_or("∞".to_string(), |d| d.to_string())
                ),
            ))
        }
        SpectrumKind::Blocks => {
            reject(cli, &["--values", "--sizes", "--target-power"])?;
            if cli.values.is_empty() {
                return usage("--spectrum blocks needs --values v1,v2,… and --sizes m1,m2,…");
            }
            if cli.sizes.len() != cli.values.len() {
                return usage(format!(
                    "--sizes has {} entries but --values has {}",
                    cli.sizes.len(),
                    cli.values.len()
                ));
            }
            let spectrum = Spectrum::with_multiplicities(&cli.values, &cli.sizes)?;
            let power = if cli.target_power.is_empty() {
                let d: f64 = cli.sizes.iter().sum();
                cli.sizes.iter().map(|m| m / d).collect()
            } else if cli.target_power.len() == cli.values.len() {
                cli.target_power.clone()
            } else {
                return usage(format!(
                    "--target-power has {} entries but --values has {}",
                    cli.target_power.len(),
                    cli.values.len()
                ));
            };
            Ok((
                Task::with_target_power(spectrum, &power, sigma2)?,
                format!(
                    "blocks s = {:?} × {:?}, block target power {:?}, σ² = {sigma2}",
                    cli.values, cli.sizes, power
                ),
            ))
        }
        SpectrumKind::File => {
            reject(cli, &["--eigenvalues"])?;
            let Some(path) = &cli.eigenvalues else {
                return usage("--spectrum file needs --eigenvalues FILE");
            };
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", path.display())))?;
            let (ev, w) = parse_eigenvalue_file(&text)
                .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
            let w = w.unwrap_or_else(|| vec![1.0 / (ev.len() as f64).sqrt(); ev.len()]);
            Ok((
                Task::from_weights(&ev, &w, sigma2)?,
                format!(
                    "{} eigenvalues from {}, σ² = {sigma2}",
                    ev.len(),
                    path.display()
                ),
            ))
        }
    }
}

/// Eigenvalues (first column) and optional target weights (second column).
fn parse_eigenvalue_file(text: &str) -> Result<(Vec<f64>, Option<Vec<f64>>), String> {
    let mut ev = Vec::new();
    let mut w = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .collect();
        let num = |s: &str| {
            s.parse::<f64>()
                .map_err(|_| format!("line {}: {s:?} is not a number", i + 1))
        };
        match cols.as_slice() {
            [a] => ev.push(num(a)?),
            [a, b] => {
                ev.push(num(a)?);
                w.push(num(b)?);
            }
            _ => return Err(format!("line {}: expected 1 or 2 columns", i + 1)),
        }
    }
    if ev.is_empty() {
        return Err("no eigenvalues".into());
    }
    match w.len() {
        0 => Ok((ev, None)),
        n if n == ev.len() => Ok((ev, Some(w))),
        _ => Err("either every line or no line has a second column (w̄_k)".into()),
    }
}

fn grid(cli: &Cli) -> Result<Vec<f64>, CliError> {
    let (a, b, n) = (cli.from, cli.to, cli.points);
    if !a.is_finite() || !b.is_finite() {
        return usage("--from and --to must be finite numbers");
    }
    if n < 1 {
        return usage("--points must be at least 1");
    }
    if n == 1 {
        return Ok(vec![a]);
    }
    if cli.linear {
        Ok(plot::linspace(a, b, n))
    } else {
        if a <= 0.0 || b <= 0.0 {
            return usage("a logarithmic sweep needs --from and --to > 0 (use --linear for λ ≤ 0)");
        }
        Ok(plot::geomspace(a, b, n))
    }
}

/// Turns a per-point [`detridge::solver::Curve`] into table rows: failed points are
/// reported on standard error (`warning: P = 100: …`) and left out; a curve with no
/// successful point is an error.
fn collect<T>(
    curve: detridge::solver::Curve<T>,
    x_name: &str,
    table: &mut Table,
    row: impl Fn(f64, &T) -> Vec<f64>,
) -> Result<(), CliError> {
    let mut first_err = None;
    for (x, r) in curve.iter() {
        match r {
            Ok(t) => table.push(&row(x, t)),
            Err(e) => {
                eprintln!("warning: {x_name} = {x}: {e} (point left out)");
                first_err.get_or_insert_with(|| format!("{x_name} = {x}: {e}"));
            }
        }
    }
    match first_err {
        Some(e) if table.rows.is_empty() => Err(CliError::Compute(e)),
        _ => Ok(()),
    }
}

/// Computes the curve (one solver pass per point, warm-started along the sweep).
fn run(cli: &Cli) -> Result<(Table, String), CliError> {
    if cli.model != Model::Rf && (cli.n.is_some() || cli.over == Over::N) {
        return usage("--n and --over n apply to the rf model only");
    }
    let (task, desc) = build_task(cli)?;
    let xs = grid(cli)?;
    let need = |v: Option<f64>, name: &str| -> Result<f64, CliError> {
        v.ok_or_else(|| CliError::Usage(format!("{name} is required unless --over sweeps it")))
    };
    let x_name = match cli.over {
        Over::P => "P",
        Over::Lambda => "lambda",
        Over::N => "N",
    };
    let lambda = cli.lambda;
    let mut table;
    match cli.model {
        Model::Ridge => {
            table = Table::new(
                "ridge",
                &[
                    "P",
                    "lambda",
                    "kappa",
                    "E_g",
                    "E_tr",
                    "bias2",
                    "var_data",
                    "var_noise",
                    "gcv",
                    "df1",
                    "gamma",
                ],
            );
            let curve = match cli.over {
                Over::Lambda => task.ridge_curve_lambda(need(cli.p, "--p")?, &xs),
                _ => task.ridge_curve_p(&xs, lambda),
            };
            collect(curve, x_name, &mut table, |_, t| {
                vec![
                    t.p,
                    t.lambda,
                    t.kappa,
                    t.test_error,
                    t.train_error,
                    t.bias2,
                    t.var_data,
                    t.var_noise,
                    t.gcv,
                    t.df1,
                    t.gamma,
                ]
            })?;
        }
        Model::Rf => {
            table = Table::new(
                "rf",
                &[
                    "P",
                    "N",
                    "lambda",
                    "kappa",
                    "E_g",
                    "E_tr",
                    "bias2",
                    "var_data",
                    "var_features",
                    "var_data_features",
                    "var_noise",
                ],
            );
            let (curve, n_of) = match cli.over {
                Over::P => {
                    let n = need(cli.n, "--n")?;
                    (task.random_features_curve_p(&xs, n, lambda), None)
                }
                Over::Lambda => {
                    let n = need(cli.n, "--n")?;
                    let p = need(cli.p, "--p")?;
                    (task.random_features_curve_lambda(p, n, &xs), None)
                }
                Over::N => {
                    let p = need(cli.p, "--p")?;
                    (task.random_features_curve_n(p, &xs, lambda), Some(()))
                }
            };
            let n_fixed = cli.n.unwrap_or(f64::NAN);
            collect(curve, x_name, &mut table, |x, t| {
                let n = if n_of.is_some() { x } else { n_fixed };
                vec![
                    t.p,
                    n,
                    t.lambda,
                    t.kappa,
                    t.test_error,
                    t.train_error,
                    t.bias2,
                    t.var_data,
                    t.var_features,
                    t.var_data_features,
                    t.var_noise,
                ]
            })?;
        }
        Model::Kernel => {
            table = Table::new(
                "kernel",
                &["P", "lambda", "lambda_C", "kappa_C", "E_g", "E_tr", "gcv"],
            );
            let curve = match cli.over {
                Over::Lambda => task.kernel_ridge_curve_lambda(need(cli.p, "--p")?, &xs),
                _ => task.kernel_ridge_curve_p(&xs, lambda),
            };
            collect(curve, x_name, &mut table, |_, t| {
                vec![
                    t.ridge.p,
                    t.ridge.lambda,
                    t.convention.lambda,
                    t.convention.kappa,
                    t.ridge.test_error,
                    t.ridge.train_error,
                    t.gcv,
                ]
            })?;
        }
    }
    Ok((table, desc))
}

fn render_table(t: &Table, desc: &str) -> String {
    use std::fmt::Write as _;
    let mut s = format!("# {desc}\n");
    for c in &t.columns {
        let _ = write!(s, "{c:>13}");
    }
    s.push('\n');
    for r in &t.rows {
        for v in r {
            let _ = write!(s, "{:>13.5e}", v.num());
        }
        s.push('\n');
    }
    s
}

fn plot_curve(cli: &Cli, t: &Table, desc: &str, path: &std::path::Path) -> Result<(), CliError> {
    let x_col = match cli.over {
        Over::P => "P",
        Over::Lambda => "lambda",
        Over::N => "N",
    };
    let xs = t.col(x_col);
    let x_label = match cli.over {
        Over::P => "samples P",
        Over::Lambda => "ridge λ",
        Over::N => "features N",
    };
    let ys = |c: &str| t.col(c);
    let positive = |v: &[f64]| v.iter().all(|&y| y > 0.0 || !y.is_finite());
    let mut curves: Vec<(&str, Vec<f64>)> = vec![("E_g", ys("E_g")), ("E_tr", ys("E_tr"))];
    for c in [
        "bias2",
        "var_data",
        "var_features",
        "var_data_features",
        "var_noise",
    ] {
        if t.col_index(c).is_some() {
            curves.push((c, ys(c)));
        }
    }
    let y_log = curves.iter().all(|(_, v)| positive(v));
    let mut fixed = Vec::new();
    if cli.over != Over::P
        && let Some(p) = cli.p
    {
        fixed.push(format!("P = {p}"));
    }
    if cli.over != Over::N
        && let Some(n) = cli.n
    {
        fixed.push(format!("N = {n}"));
    }
    if cli.over != Over::Lambda {
        fixed.push(format!("λ = {}", cli.lambda));
    }
    let title = format!("{desc}; {}", fixed.join(", "));
    let mut panel = Panel::new(&title, x_label, "error")
        .log(!cli.linear, y_log)
        .legend(Legend::UpperRight);
    // Head room above the curves for the legend.
    let (lo, hi) = curves
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .filter(|v| v.is_finite() && (!y_log || *v > 0.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if lo < hi {
        panel = if y_log {
            panel.y_range(lo / 2.0, hi * 50.0)
        } else {
            panel.y_range(lo.min(0.0), hi + 0.8 * (hi - lo.min(0.0)))
        };
    }
    for (k, (name, v)) in curves.into_iter().enumerate() {
        let style = if k < 2 { Style::Line } else { Style::Dashed };
        panel = panel.with(Series::new(name, xs.clone(), v, style, k));
    }
    let stem = path.file_stem().map_or_else(
        || "detridge".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    let mut fig = Figure::new(&stem, "", vec![panel]);
    fig.panel_width = 760;
    fig.height = 520;
    // Render both, keep the requested one.
    let tmp = dir.join(format!(".{stem}.detridge-tmp"));
    let written = fig
        .render(&tmp)
        .map_err(|e| CliError::Compute(format!("plotting failed: {e}")))?;
    let want = if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        "svg"
    } else {
        "png"
    };
    let src = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == want))
        .ok_or_else(|| CliError::Compute("plotting produced no file".into()))?;
    std::fs::rename(src, path)
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(&cli).and_then(|(t, desc)| {
        let text = match cli.format {
            Format::Table => render_table(&t, &desc),
            Format::Csv => t.to_csv(),
            Format::Json => t.to_json() + "\n",
        };
        match &cli.output {
            Some(p) => {
                std::fs::write(p, text)
                    .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", p.display())))?;
                eprintln!("wrote {}", p.display());
            }
            None => print!("{text}"),
        }
        if let Some(p) = &cli.plot {
            plot_curve(&cli, &t, &desc, p)?;
            eprintln!("wrote {}", p.display());
        }
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(CliError::Compute(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(1)
        }
    }
}
