//! Small, reusable plotting and data-output helpers shared by the examples, the figure
//! command (`examples/figures.rs`), the `detridge` command line and the tests (included
//! with `#[path = "…/support/plot.rs"] mod plot;`).
//!
//! * [`Table`]: named columns of numbers (or text), written as CSV and — with the `serde`
//!   feature (or `json = true`) — as JSON;
//! * [`Figure`] / [`Panel`] / [`Series`]: a declarative figure (one or more panels side by
//!   side; lines, dashed guides, points with error bars, stacked areas; linear or log
//!   axes), rendered to PNG and SVG by plotters with the DejaVu Sans font embedded from
//!   crates.io (no system fontconfig);
//! * [`default_out_dir`]: `<target dir>/detridge-out/<name>`, where the target dir is the
//!   one cargo built this program into (so `CARGO_TARGET_DIR` and `build.target-dir` are
//!   honoured).
//!
//! Log axes are drawn in `log10` coordinates, so one code path serves every axis type:
//! `10^k` tick labels when 3 or more decades fall inside the axis, else 1-2-5 (or finer)
//! mantissa ticks ([`bold_ticks`]), so every log axis — in particular one spanning under
//! two decades — has at least 3 labels.
#![allow(dead_code)] // each includer uses a different subset

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{BoldPoints, DefaultFormatting, KeyPointHint, LightPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Boxed error for the helpers (I/O, plotting backends, library errors).
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

// ---------------------------------------------------------------------------------------
// Output directory
// ---------------------------------------------------------------------------------------

/// The target directory cargo built the running program into: the nearest ancestor of
/// the executable that holds cargo's `CACHEDIR.TAG`; else `$CARGO_TARGET_DIR`; else
/// `./target`.
pub fn target_dir() -> PathBuf {
    if let Ok(exe) = std::env::current_exe() {
        for dir in exe.ancestors().skip(1) {
            if dir.join("CACHEDIR.TAG").is_file() {
                return dir.to_path_buf();
            }
        }
    }
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

/// `<target dir>/detridge-out/<name>`.
pub fn default_out_dir(name: &str) -> PathBuf {
    target_dir().join("detridge-out").join(name)
}

/// The value of `--out DIR` (or `--out=DIR`) in `args`, else [`default_out_dir`]`(name)`.
/// Also accepts a bare first positional argument (the examples' older interface).
pub fn out_dir_from_args(args: &[String], name: &str) -> PathBuf {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--out" {
            if let Some(d) = it.next() {
                return PathBuf::from(d);
            }
        } else if let Some(d) = a.strip_prefix("--out=") {
            return PathBuf::from(d);
        }
    }
    match args.first() {
        Some(a) if !a.starts_with("--") => PathBuf::from(a),
        _ => default_out_dir(name),
    }
}

// ---------------------------------------------------------------------------------------
// Tables: CSV and JSON
// ---------------------------------------------------------------------------------------

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number (written with full precision).
    Num(f64),
    /// A label.
    Text(String),
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Self::Num(v)
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Self::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}

impl Cell {
    /// The number, or NaN for a label.
    pub fn num(&self) -> f64 {
        match self {
            Self::Num(v) => *v,
            Self::Text(_) => f64::NAN,
        }
    }
}

/// A named table: the data behind a curve or a figure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// File stem (`<name>.csv`, `<name>.json`).
    pub name: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows (each as long as `columns`).
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new(name: &str, columns: &[&str]) -> Self {
        Self {
            name: name.to_string(),
            columns: columns.iter().map(|c| (*c).to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row of numbers.
    pub fn push(&mut self, row: &[f64]) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row.iter().map(|&v| Cell::Num(v)).collect());
    }

    /// Appends a row of cells.
    pub fn push_cells(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Index of a column.
    pub fn col_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// A numeric column by name (panics on an unknown name: a programming error).
    pub fn col(&self, name: &str) -> Vec<f64> {
        let j = self
            .col_index(name)
            .unwrap_or_else(|| panic!("table {} has no column {name}", self.name));
        self.rows.iter().map(|r| r[j].num()).collect()
    }

    /// The table as CSV text.
    pub fn to_csv(&self) -> String {
        let mut s = self.columns.join(",");
        s.push('\n');
        for r in &self.rows {
            let cells: Vec<String> = r
                .iter()
                .map(|c| match c {
                    Cell::Num(v) => format!("{v:e}"),
                    Cell::Text(t) if t.contains(',') || t.contains('"') => {
                        format!("\"{}\"", t.replace('"', "\"\""))
                    }
                    Cell::Text(t) => t.clone(),
                })
                .collect();
            let _ = writeln!(s, "{}", cells.join(","));
        }
        s
    }

    /// The table as a JSON array of objects (non-finite numbers become `null`).
    pub fn to_json(&self) -> String {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = serde_json::Map::new();
                for (c, v) in self.columns.iter().zip(r) {
                    let v = match v {
                        Cell::Num(x) => serde_json::Number::from_f64(*x)
                            .map_or(serde_json::Value::Null, serde_json::Value::Number),
                        Cell::Text(t) => serde_json::Value::String(t.clone()),
                    };
                    m.insert(c.clone(), v);
                }
                serde_json::Value::Object(m)
            })
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({
            "name": self.name,
            "columns": self.columns,
            "rows": rows,
        }))
        .unwrap_or_default()
    }

    /// Writes `<dir>/<name>.csv`, and `<dir>/<name>.json` when `json` is true; returns
    /// the paths written.
    pub fn write(&self, dir: &Path, json: bool) -> std::io::Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir)?;
        let csv = dir.join(format!("{}.csv", self.name));
        std::fs::write(&csv, self.to_csv())?;
        let mut out = vec![csv];
        if json {
            let p = dir.join(format!("{}.json", self.name));
            std::fs::write(&p, self.to_json())?;
            out.push(p);
        }
        Ok(out)
    }
}

/// Whether examples write JSON next to CSV: on with the crate's `serde` feature.
pub const JSON: bool = cfg!(feature = "serde");

/// Writes every table into `dir` (CSV, and JSON with the `serde` feature) and returns a
/// one-line summary naming the directory.
pub fn write_tables(dir: &Path, tables: &[&Table]) -> std::io::Result<String> {
    let mut n = 0;
    for t in tables {
        n += t.write(dir, JSON)?.len();
    }
    Ok(format!(
        "wrote {n} data file(s) ({}) to {}",
        if JSON {
            "CSV and JSON"
        } else {
            "CSV; JSON with --features serde"
        },
        dir.display()
    ))
}

// ---------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------

/// Font family name registered with plotters.
pub const FONT: &str = "sans-serif";

static FONTS: Once = Once::new();

/// Registers DejaVu Sans (embedded by the `dejavu` crate) as plotters' `sans-serif`.
pub fn init_fonts() {
    FONTS.call_once(|| {
        // The bytes are a valid TTF shipped by the crate; failure would be a packaging bug.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
        let _ = plotters::style::register_font(FONT, FontStyle::Italic, dejavu::sans::oblique());
        let _ = plotters::style::register_font(FONT, FontStyle::Oblique, dejavu::sans::oblique());
    });
}

/// A colour-blind-safe palette (Okabe–Ito), then black.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(120, 120, 120),
    RGBColor(0, 0, 0),
];

/// Opacity of [`Style::Band`] fills.
pub const BAND_ALPHA: f64 = 0.25;

/// The `i`-th palette colour (cycling).
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// How a series is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Style {
    /// A solid line (theory).
    Line,
    /// A thick solid line (e.g. an envelope).
    Thick,
    /// A dashed line (guides, predicted slopes, asymptotes).
    Dashed,
    /// Filled circles with vertical error bars `y ± err` (simulation).
    Points {
        /// Half-widths of the error bars (empty: none).
        err: Vec<f64>,
    },
    /// A filled band stacked on the previous `Stacked` series of the panel (the `ys` are
    /// this term alone; the panel accumulates them).
    Stacked,
    /// Histogram bars: `xs` are the left edges of equal-width bins of width `width`
    /// (in data units of the x axis), `ys` the heights.
    Bars {
        /// Bin width.
        width: f64,
    },
    /// A shaded band (e.g. a confidence band): `ys` are its lower edge, `upper` its
    /// upper edge at the same `xs`.
    Band {
        /// Upper edge.
        upper: Vec<f64>,
    },
}

/// One series of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend label (empty: not in the legend).
    pub label: String,
    /// Abscissae (data units).
    pub xs: Vec<f64>,
    /// Ordinates (data units).
    pub ys: Vec<f64>,
    /// Drawing style.
    pub style: Style,
    /// Palette index.
    pub color: usize,
}

impl Series {
    /// A series.
    pub fn new(label: &str, xs: Vec<f64>, ys: Vec<f64>, style: Style, color: usize) -> Self {
        Self {
            label: label.to_string(),
            xs,
            ys,
            style,
            color,
        }
    }
}

/// Where the legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Upper right.
    UpperRight,
    /// Upper left.
    UpperLeft,
    /// Lower left.
    LowerLeft,
    /// Lower right.
    LowerRight,
    /// No legend.
    None,
}

/// One chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Title above the chart.
    pub title: String,
    /// x-axis label.
    pub x_label: String,
    /// y-axis label.
    pub y_label: String,
    /// log10 x axis.
    pub x_log: bool,
    /// log10 y axis.
    pub y_log: bool,
    /// Explicit x range (data units); `None`: from the data.
    pub x_range: Option<(f64, f64)>,
    /// Explicit y range (data units); `None`: from the data.
    pub y_range: Option<(f64, f64)>,
    /// Series, drawn in order.
    pub series: Vec<Series>,
    /// Vertical reference lines `(x, label)` (dotted grey).
    pub vlines: Vec<(f64, String)>,
    /// Horizontal reference lines `(y, label)` (dotted grey).
    pub hlines: Vec<(f64, String)>,
    /// Legend position.
    pub legend: Legend,
}

impl Panel {
    /// A panel with linear axes and no series.
    pub fn new(title: &str, x_label: &str, y_label: &str) -> Self {
        Self {
            title: title.to_string(),
            x_label: x_label.to_string(),
            y_label: y_label.to_string(),
            x_log: false,
            y_log: false,
            x_range: None,
            y_range: None,
            series: Vec::new(),
            vlines: Vec::new(),
            hlines: Vec::new(),
            legend: Legend::UpperRight,
        }
    }

    /// Sets log axes.
    pub fn log(mut self, x: bool, y: bool) -> Self {
        self.x_log = x;
        self.y_log = y;
        self
    }

    /// Adds a series.
    pub fn with(mut self, s: Series) -> Self {
        self.series.push(s);
        self
    }

    /// Sets the legend position.
    pub fn legend(mut self, l: Legend) -> Self {
        self.legend = l;
        self
    }

    /// Sets the y range.
    pub fn y_range(mut self, lo: f64, hi: f64) -> Self {
        self.y_range = Some((lo, hi));
        self
    }

    /// Sets the x range.
    pub fn x_range(mut self, lo: f64, hi: f64) -> Self {
        self.x_range = Some((lo, hi));
        self
    }
}

/// A figure: panels side by side under an optional title.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// File stem (`<name>.png`, `<name>.svg`).
    pub name: String,
    /// Title across the top (empty: none).
    pub title: String,
    /// Panels, left to right.
    pub panels: Vec<Panel>,
    /// Pixel width of one panel.
    pub panel_width: u32,
    /// Pixel height.
    pub height: u32,
}

impl Figure {
    /// A figure with default size (560 × 440 px per panel).
    pub fn new(name: &str, title: &str, panels: Vec<Panel>) -> Self {
        Self {
            name: name.to_string(),
            title: title.to_string(),
            panels,
            panel_width: 560,
            height: 440,
        }
    }

    /// Renders `<dir>/<name>.png` and `<dir>/<name>.svg`; returns both paths.
    ///
    /// # Errors
    /// I/O or backend errors.
    pub fn render(&self, dir: &Path) -> Result<Vec<PathBuf>, BoxError> {
        init_fonts();
        std::fs::create_dir_all(dir)?;
        let w = self.panel_width * self.panels.len().max(1) as u32;
        let png = dir.join(format!("{}.png", self.name));
        let svg = dir.join(format!("{}.svg", self.name));
        {
            let root = BitMapBackend::new(&png, (w, self.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| format!("{e:?}"))?;
        }
        {
            let root = SVGBackend::new(&svg, (w, self.height)).into_drawing_area();
            self.draw(&root)?;
            root.present().map_err(|e| format!("{e:?}"))?;
        }
        Ok(vec![png, svg])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), BoxError>
    where
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE).map_err(|e| format!("{e:?}"))?;
        let body = if self.title.is_empty() {
            root.clone()
        } else {
            root.titled(&self.title, (FONT, 20).into_font().style(FontStyle::Bold))
                .map_err(|e| format!("{e:?}"))?
        };
        let areas = body.split_evenly((1, self.panels.len().max(1)));
        for (panel, area) in self.panels.iter().zip(&areas) {
            draw_panel(panel, area).map_err(|e| format!("{e:?}"))?;
        }
        Ok(())
    }
}

fn tx(v: f64, log: bool) -> f64 {
    if log { v.log10() } else { v }
}

/// Range of finite transformed values, padded.
fn auto_range(vals: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in vals {
        let t = tx(v, log);
        if t.is_finite() {
            lo = lo.min(t);
            hi = hi.max(t);
        }
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    if (hi - lo).abs() < 1e-12 {
        return (lo - 0.5, hi + 0.5);
    }
    let pad = 0.04 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Labelled ticks requested per axis (plotters' `x_labels`/`y_labels`).
const LABELS: usize = 8;

/// Whether a log axis `[lo, hi]` (log10 units) gets mantissa ticks: when fewer than 3
/// decades `10^k` fall inside it (always the case under two decades), which alone would
/// leave one or two labels.
fn mantissa_axis(log: bool, lo: f64, hi: f64) -> bool {
    log && (hi.floor() - lo.ceil()) < 2.0
}

/// `log10(m·10^k)` for the mantissas `m` and every decade `k`, inside `[lo, hi]`.
fn mantissa_ticks(lo: f64, hi: f64, mantissas: &[f64]) -> Vec<f64> {
    let mut out = Vec::new();
    for k in (lo.floor() as i32 - 1)..=(hi.ceil() as i32) {
        for &m in mantissas {
            let t = m.log10() + f64::from(k);
            if t >= lo - 1e-9 && t <= hi + 1e-9 {
                out.push(t);
            }
        }
    }
    out
}

/// Labelled (bold) tick positions, in transformed units, on an axis `[lo, hi]`: plotters'
/// own choice, except on a log axis holding fewer than 3 decades, which gets the sparsest
/// of the mantissa sequences 1-2-5, 1-2-3-5-7, 1…9 that yields at least 3 ticks (and,
/// under about a third of a decade, round numbers in data units).
pub fn bold_ticks(lo: f64, hi: f64, log: bool, n: usize) -> Vec<f64> {
    if !mantissa_axis(log, lo, hi) {
        return RangedCoordf64::from(lo..hi).key_points(BoldPoints(n));
    }
    let sets: [&[f64]; 3] = [
        &[1.0, 2.0, 5.0],
        &[1.0, 2.0, 3.0, 5.0, 7.0],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    ];
    for m in sets {
        let t = mantissa_ticks(lo, hi, m);
        if t.len() >= 3 {
            return t;
        }
    }
    RangedCoordf64::from(10f64.powf(lo)..10f64.powf(hi))
        .key_points(BoldPoints(n.min(6)))
        .into_iter()
        .map(f64::log10)
        .collect()
}

/// Light grid positions: every mantissa 1…9 on a log axis holding fewer than 3 decades
/// (the bold ticks when those are finer), plotters' own choice otherwise.
fn light_ticks(lo: f64, hi: f64, log: bool, n: usize) -> Vec<f64> {
    if !mantissa_axis(log, lo, hi) {
        return RangedCoordf64::from(lo..hi).key_points(LightPoints::new(LABELS, n));
    }
    let t = mantissa_ticks(lo, hi, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
    if t.len() >= 3 {
        t
    } else {
        bold_ticks(lo, hi, log, LABELS)
    }
}

/// Tick label at `v` (transformed units) on an axis `[lo, hi]`: on log axes `10^k` at
/// integer `k` (other ticks unlabelled) when 3 decades or more fall inside the axis, else
/// the value itself (the axis then carries the mantissa ticks of [`bold_ticks`]); a short
/// number on linear axes.
pub fn tick(v: f64, log: bool, lo: f64, hi: f64) -> String {
    if log {
        if mantissa_axis(log, lo, hi) {
            // Enough significant digits to tell ticks ~span/5 apart (1 for 1-2-5 ticks).
            let step = 10f64.powf((hi - lo) / 5.0) - 1.0;
            let digits = (1.0 - step.log10()).ceil().clamp(1.0, 6.0) as usize;
            return sig_digits(10f64.powf(v), digits);
        }
        let k = v.round();
        if (v - k).abs() < 1e-6 {
            return match k as i64 {
                -2 => "0.01".into(),
                -1 => "0.1".into(),
                0 => "1".into(),
                1 => "10".into(),
                2 => "100".into(),
                k => format!("1e{k}"),
            };
        }
        return String::new();
    }
    if v.abs() < 1e-9 * (hi - lo) {
        return "0".into();
    }
    short(v)
}

/// `v` to `digits` significant digits, trailing zeros dropped (exponent form outside
/// `[1e-3, 1e5)`).
fn sig_digits(v: f64, digits: usize) -> String {
    let a = v.abs();
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let trim = |s: String| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    if (1e-3..1e5).contains(&a) {
        let decimals = (digits as i64 - 1 - a.log10().floor() as i64).max(0) as usize;
        trim(format!("{v:.decimals$}"))
    } else {
        let s = format!("{v:.*e}", digits - 1);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        format!("{}e{e}", trim(m.to_string()))
    }
}

fn short(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 {
        "0".into()
    } else if !(1e-3..1e5).contains(&a) {
        format!("{v:.0e}")
    } else {
        let s = format!("{v:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    }
}

/// An axis `[lo, hi]` (transformed units) with the ticks of [`bold_ticks`] and
/// [`light_ticks`] (plotters' `f64` coordinate otherwise).
struct Axis {
    inner: RangedCoordf64,
    log: bool,
}

impl Axis {
    fn new(r: (f64, f64), log: bool) -> Self {
        Self {
            inner: (r.0..r.1).into(),
            log,
        }
    }
}

impl Ranged for Axis {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        let r = self.inner.range();
        if hint.weight().allow_light_points() {
            light_ticks(r.start, r.end, self.log, hint.max_num_points())
        } else {
            bold_ticks(r.start, r.end, self.log, hint.max_num_points())
        }
    }
}

#[allow(clippy::too_many_lines)]
fn draw_panel<DB: DrawingBackend>(
    p: &Panel,
    area: &DrawingArea<DB, Shift>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    // Accumulated stacked tops, for the y range and the drawing.
    let mut stack_base: Vec<f64> = Vec::new();
    let mut stacked: Vec<(usize, Vec<f64>, Vec<f64>)> = Vec::new(); // (series, lower, upper)
    for (i, s) in p.series.iter().enumerate() {
        if s.style == Style::Stacked {
            if stack_base.len() != s.ys.len() {
                stack_base = vec![0.0; s.ys.len()];
            }
            let upper: Vec<f64> = stack_base.iter().zip(&s.ys).map(|(b, y)| b + y).collect();
            stacked.push((i, stack_base.clone(), upper.clone()));
            stack_base = upper;
        }
    }
    let xr = p.x_range.map_or_else(
        || {
            auto_range(
                p.series.iter().flat_map(|s| {
                    let w = if let Style::Bars { width } = s.style {
                        width
                    } else {
                        0.0
                    };
                    s.xs.iter().flat_map(move |&x| [x, x + w])
                }),
                p.x_log,
            )
        },
        |(a, b)| (tx(a, p.x_log), tx(b, p.x_log)),
    );
    let yr = p.y_range.map_or_else(
        || {
            let mut ys: Vec<f64> = Vec::new();
            for s in &p.series {
                match &s.style {
                    Style::Points { err } if !err.is_empty() => {
                        for (y, e) in s.ys.iter().zip(err) {
                            ys.push(y + e);
                            ys.push(y - e);
                        }
                    }
                    Style::Stacked => {}
                    Style::Band { upper } => {
                        ys.extend(&s.ys);
                        ys.extend(upper);
                    }
                    Style::Bars { .. } => {
                        ys.extend(&s.ys);
                        if !p.y_log {
                            ys.push(0.0);
                        }
                    }
                    _ => ys.extend(&s.ys),
                }
            }
            for (_, lo, up) in &stacked {
                ys.extend(up);
                ys.extend(lo);
            }
            auto_range(ys.into_iter(), p.y_log)
        },
        |(a, b)| (tx(a, p.y_log), tx(b, p.y_log)),
    );
    let clamp_y = |y: f64| y.clamp(yr.0, yr.1);

    let mut chart = ChartBuilder::on(area)
        .caption(&p.title, (FONT, 17))
        .margin(12)
        .x_label_area_size(44)
        .y_label_area_size(62)
        .build_cartesian_2d(Axis::new(xr, p.x_log), Axis::new(yr, p.y_log))?;
    let (xl, yl) = (p.x_log, p.y_log);
    let fx = move |v: &f64| tick(*v, xl, xr.0, xr.1);
    let fy = move |v: &f64| tick(*v, yl, yr.0, yr.1);
    chart
        .configure_mesh()
        .x_desc(&p.x_label)
        .y_desc(&p.y_label)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .x_labels(LABELS)
        .y_labels(LABELS)
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 15))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()?;

    let grey = RGBColor(110, 110, 110);
    for (x, _) in &p.vlines {
        let x = tx(*x, xl);
        chart.draw_series(DashedLineSeries::new(
            [(x, yr.0), (x, yr.1)],
            4,
            4,
            grey.stroke_width(1),
        ))?;
    }
    for (y, _) in &p.hlines {
        let y = tx(*y, yl);
        chart.draw_series(DashedLineSeries::new(
            [(xr.0, y), (xr.1, y)],
            4,
            4,
            grey.stroke_width(1),
        ))?;
    }
    let text_style = (FONT, 13).into_font().color(&grey);
    for (x, label) in &p.vlines {
        if !label.is_empty() {
            let x = tx(*x, xl);
            chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                (x + 0.01 * (xr.1 - xr.0), yr.1 - 0.03 * (yr.1 - yr.0)),
                text_style.clone(),
            )))?;
        }
    }
    for (y, label) in &p.hlines {
        if !label.is_empty() {
            let y = tx(*y, yl);
            chart.draw_series(std::iter::once(Text::new(
                label.clone(),
                // Above the line, or below it when the line is near the top.
                (
                    xr.0 + 0.02 * (xr.1 - xr.0),
                    if y > yr.1 - 0.15 * (yr.1 - yr.0) {
                        y - 0.015 * (yr.1 - yr.0)
                    } else {
                        y + 0.05 * (yr.1 - yr.0)
                    },
                ),
                text_style.clone(),
            )))?;
        }
    }

    let finite = |x: f64, y: f64| x.is_finite() && y.is_finite();
    let mut stacked_iter = stacked.iter();
    for s in &p.series {
        let c = color(s.color);
        let pts: Vec<(f64, f64)> =
            s.xs.iter()
                .zip(&s.ys)
                .map(|(&x, &y)| (tx(x, xl), tx(y, yl)))
                .collect();
        match &s.style {
            Style::Line | Style::Thick => {
                let w = if s.style == Style::Thick { 4 } else { 2 };
                // Break the line at non-finite points.
                let mut segs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
                // Break it where it leaves the y range too (no flat line along an edge).
                for &(x, y) in &pts {
                    if finite(x, y) && y >= yr.0 && y <= yr.1 {
                        if let Some(v) = segs.last_mut() {
                            v.push((x, y));
                        }
                    } else if !segs.last().is_none_or(Vec::is_empty) {
                        segs.push(Vec::new());
                    }
                }
                for seg in segs.into_iter().filter(|v| !v.is_empty()) {
                    chart.draw_series(LineSeries::new(seg, c.stroke_width(w)))?;
                }
            }
            Style::Dashed => {
                let seg: Vec<(f64, f64)> = pts
                    .iter()
                    .copied()
                    .filter(|&(x, y)| finite(x, y))
                    .map(|(x, y)| (x, clamp_y(y)))
                    .collect();
                chart.draw_series(DashedLineSeries::new(seg, 7, 5, c.stroke_width(2)))?;
            }
            Style::Points { err } => {
                if !err.is_empty() {
                    let bars: Vec<PathElement<(f64, f64)>> =
                        s.xs.iter()
                            .zip(&s.ys)
                            .zip(err)
                            .filter_map(|((&x, &y), &e)| {
                                let (lo, hi) = (tx(y - e, yl), tx(y + e, yl));
                                let lo = if lo.is_finite() { lo } else { yr.0 };
                                let xt = tx(x, xl);
                                (xt.is_finite() && hi.is_finite()).then(|| {
                                    PathElement::new(
                                        vec![(xt, clamp_y(lo)), (xt, clamp_y(hi))],
                                        c.stroke_width(2),
                                    )
                                })
                            })
                            .collect();
                    chart.draw_series(bars)?;
                }
                chart.draw_series(
                    pts.iter()
                        .copied()
                        .filter(|&(x, y)| finite(x, y) && y >= yr.0 && y <= yr.1)
                        .map(|(x, y)| {
                            EmptyElement::at((x, y))
                                + Circle::new((0, 0), 4, c.filled())
                                + Circle::new((0, 0), 4, BLACK.stroke_width(1))
                        }),
                )?;
            }
            Style::Stacked => {
                let Some((_, lo, up)) = stacked_iter.next() else {
                    continue;
                };
                let mut poly: Vec<(f64, f64)> = Vec::new();
                for (&x, &u) in s.xs.iter().zip(up) {
                    poly.push((tx(x, xl), clamp_y(tx(u, yl))));
                }
                for (&x, &l) in s.xs.iter().zip(lo).rev() {
                    poly.push((tx(x, xl), clamp_y(tx(l, yl))));
                }
                poly.retain(|&(x, y)| finite(x, y));
                let fill = c.mix(0.55);
                chart.draw_series(std::iter::once(Polygon::new(poly, fill.filled())))?;
            }
            Style::Band { upper } => {
                let mut poly: Vec<(f64, f64)> = Vec::new();
                for (&x, &u) in s.xs.iter().zip(upper) {
                    poly.push((tx(x, xl), clamp_y(tx(u, yl))));
                }
                for (&x, &l) in s.xs.iter().zip(&s.ys).rev() {
                    poly.push((tx(x, xl), clamp_y(tx(l, yl))));
                }
                poly.retain(|&(x, y)| finite(x, y));
                chart.draw_series(std::iter::once(Polygon::new(
                    poly,
                    c.mix(BAND_ALPHA).filled(),
                )))?;
            }
            Style::Bars { width } => {
                let fill = c.mix(0.45);
                let base = if yl { yr.0 } else { 0.0 };
                chart.draw_series(s.xs.iter().zip(&s.ys).filter_map(|(&x, &y)| {
                    let (x0, x1, y1) = (tx(x, xl), tx(x + width, xl), tx(y, yl));
                    (finite(x0, y1) && x1.is_finite())
                        .then(|| Rectangle::new([(x0, base), (x1, clamp_y(y1))], fill.filled()))
                }))?;
            }
        }
        // Only labelled series enter the legend: an empty series carries the glyph.
        if !s.label.is_empty() {
            let none = std::iter::empty::<Circle<(f64, f64), i32>>();
            let a = chart.draw_series(none)?.label(s.label.clone());
            match &s.style {
                Style::Line | Style::Thick => {
                    let w = if s.style == Style::Thick { 4 } else { 2 };
                    a.legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], c.stroke_width(w))
                    });
                }
                Style::Dashed => {
                    a.legend(move |(x, y)| {
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(0, 0), (8, 0)], c.stroke_width(2))
                            + PathElement::new(vec![(13, 0), (21, 0)], c.stroke_width(2))
                    });
                }
                Style::Points { .. } => {
                    a.legend(move |(x, y)| Circle::new((x + 11, y), 4, c.filled()));
                }
                Style::Stacked | Style::Bars { .. } | Style::Band { .. } => {
                    let fill = c.mix(match s.style {
                        Style::Stacked => 0.55,
                        Style::Band { .. } => BAND_ALPHA,
                        _ => 0.45,
                    });
                    a.legend(move |(x, y)| {
                        Rectangle::new([(x, y - 6), (x + 18, y + 6)], fill.filled())
                    });
                }
            }
        }
    }
    let pos = match p.legend {
        Legend::UpperRight => SeriesLabelPosition::UpperRight,
        Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
        Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
        Legend::LowerRight => SeriesLabelPosition::LowerRight,
        Legend::None => return Ok(()),
    };
    if p.series.iter().any(|s| !s.label.is_empty()) {
        chart
            .configure_series_labels()
            .position(pos)
            .margin(8)
            .label_font((FONT, 13))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()?;
    }
    Ok(())
}

/// Geometric grid `lo … hi` with `n ≥ 2` points.
pub fn geomspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo * (hi / lo).powf(i as f64 / (n - 1) as f64))
        .collect()
}

/// Linear grid `lo … hi` with `n ≥ 2` points.
pub fn linspace(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
        .collect()
}
