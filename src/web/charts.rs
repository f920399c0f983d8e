//! The pages' charts, drawn one way: the domain hands over the numbers, the layout (where each
//! mark goes) is worked out here, and an askama template under `templates/charts/` draws the
//! inline SVG. Each chart has a text alternative on its page.

use crate::domain::growth::ReadinessPoint;
use askama::Template;

/// The readiness chart on a person's growth page: the share of competencies met for the next
/// level after each assessment day, as a line with a dot per day.
#[derive(Template)]
#[template(path = "charts/readiness.svg", escape = "html")]
pub struct ReadinessChart {
    grid: Vec<GridLine>,
    /// The polyline's points, when there are two days or more.
    line: Option<String>,
    dots: Vec<Dot>,
    first: Option<AxisLabel>,
    last: Option<AxisLabel>,
}

struct GridLine {
    y: String,
    label_y: String,
    percent: String,
}

struct Dot {
    x: String,
    y: String,
    label: String,
}

struct AxisLabel {
    x: String,
    y: String,
    text: String,
}

impl ReadinessChart {
    const W: f64 = 320.0;
    const H: f64 = 160.0;
    const PAD: f64 = 28.0;

    pub fn new(points: &[ReadinessPoint]) -> Self {
        let (w, h, pad) = (Self::W, Self::H, Self::PAD);
        let at = |share: f64| h - pad - (h - 2.0 * pad) * share;
        // Gridlines at 0, 50 and 100 %.
        let grid = [0.0, 50.0, 100.0]
            .into_iter()
            .map(|pct| {
                let y = at(pct / 100.0);
                GridLine { y: format!("{y:.1}"), label_y: format!("{:.1}", y + 4.0), percent: format!("{pct:.0}") }
            })
            .collect();
        let n = points.len();
        let coords: Vec<(f64, f64)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let x = if n <= 1 { pad + (w - pad - 8.0) / 2.0 } else { pad + (w - pad - 8.0 - 4.0) * i as f64 / (n - 1) as f64 };
                let share = if p.total == 0 { 0.0 } else { p.met as f64 / p.total as f64 };
                (x, at(share))
            })
            .collect();
        let line = (n > 1).then(|| coords.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" "));
        let dots = coords
            .iter()
            .zip(points)
            .map(|((x, y), p)| Dot { x: format!("{x:.1}"), y: format!("{y:.1}"), label: format!("{}: {} of {}", p.date, p.met, p.total) })
            .collect();
        let axis_y = format!("{:.1}", h - 6.0);
        let first = points.first().map(|p| AxisLabel { x: format!("{pad}"), y: axis_y.clone(), text: p.date.to_string() });
        let last = points.last().filter(|_| n > 1).map(|p| AxisLabel { x: format!("{:.1}", w - 8.0), y: axis_y, text: p.date.to_string() });
        ReadinessChart { grid, line, dots, first, last }
    }

    fn view_box(&self) -> String {
        format!("0 0 {} {}", Self::W, Self::H)
    }

    fn grid_end(&self) -> String {
        format!("{:.1}", Self::W - 8.0)
    }

    fn grid_start(&self) -> String {
        format!("{}", Self::PAD)
    }
}

/// The "worth your time?" bars on a series page: one per rating, oldest on the left.
#[derive(Template)]
#[template(path = "charts/trend.svg", escape = "html")]
pub struct TrendBars {
    bars: Vec<TrendBar>,
    width: usize,
}

struct TrendBar {
    x: usize,
    y: i64,
    height: i64,
    label: String,
}

impl TrendBars {
    /// `ratings` newest first, each with the label its bar shows on hover.
    pub fn new(ratings: impl DoubleEndedIterator<Item = (String, i64)>) -> Self {
        // Each bar 14 px wide with 6 px between, 8 px per point of rating.
        let bars: Vec<TrendBar> =
            ratings.rev().enumerate().map(|(i, (label, r))| TrendBar { x: i * 20, y: 40 - r * 8, height: r * 8, label }).collect();
        let width = bars.len() * 20;
        TrendBars { bars, width }
    }
}

/// One pulse question over a pair's latest pulses: a line from 1 (bottom) to 5 (top), a dot a
/// pulse (marked where the answer is low), and a faint rule at the low mark. Its numbers are
/// in the table beside it.
#[derive(Template)]
#[template(path = "charts/pulse.svg", escape = "html")]
pub struct PulseLine {
    width: usize,
    low_y: String,
    line: Option<String>,
    dots: Vec<PulseDot>,
}

struct PulseDot {
    x: String,
    y: String,
    low: bool,
    label: String,
}

impl PulseLine {
    const STEP: f64 = 18.0;

    fn y(value: i64) -> f64 {
        // 1 → 31, 5 → 5: 6.5 px a point, 5 px from each edge.
        31.0 - (value - 1) as f64 * 6.5
    }

    /// `points` oldest first, each with the label its dot shows on hover and its answer (none
    /// where that pulse did not answer this question: the line goes around it).
    pub fn new(points: &[(String, Option<i64>)]) -> Self {
        let x = |i: usize| 5.0 + i as f64 * Self::STEP;
        let dots: Vec<PulseDot> = points
            .iter()
            .enumerate()
            .filter_map(|(i, (label, v))| {
                v.map(|v| PulseDot {
                    x: format!("{:.1}", x(i)),
                    y: format!("{:.1}", Self::y(v)),
                    low: v <= crate::domain::pulse::LOW_AT,
                    label: label.clone(),
                })
            })
            .collect();
        let line = (dots.len() > 1).then(|| dots.iter().map(|d| format!("{},{}", d.x, d.y)).collect::<Vec<_>>().join(" "));
        let width = (10.0 + (points.len().max(2) - 1) as f64 * Self::STEP) as usize;
        PulseLine { width, low_y: format!("{:.1}", Self::y(crate::domain::pulse::LOW_AT)), line, dots }
    }
}

/// Shares side by side: a labelled horizontal bar each (0 to 100 %), marked where it is under
/// a mark. The same numbers are in a table on the page.
#[derive(Template)]
#[template(path = "charts/bars.svg", escape = "html")]
pub struct ShareBars {
    width: usize,
    height: usize,
    left: usize,
    full: usize,
    bars: Vec<ShareBar>,
}

struct ShareBar {
    label: String,
    y: usize,
    text_y: usize,
    width: usize,
    value: String,
    value_x: usize,
    low: bool,
}

impl ShareBars {
    const LEFT: usize = 120;
    const FULL: usize = 200;

    /// `rows`: a label (cut to 18 characters) and a share from 0 to 1, or none (no bar, "—");
    /// bars under `mark` are marked.
    pub fn new(rows: &[(String, Option<f64>)], mark: f64) -> Self {
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, (label, share))| {
                let short: String =
                    if label.chars().count() > 18 { label.chars().take(17).chain(['…']).collect() } else { label.clone() };
                ShareBar {
                    label: short,
                    y: i * 22 + 4,
                    text_y: i * 22 + 14,
                    width: share.map(|s| (s.clamp(0.0, 1.0) * Self::FULL as f64).round() as usize).unwrap_or(0),
                    value: share.map(|s| format!("{:.0} %", s * 100.0)).unwrap_or_else(|| "—".into()),
                    value_x: Self::LEFT + Self::FULL + 8,
                    low: share.is_some_and(|s| s < mark),
                }
            })
            .collect::<Vec<_>>();
        ShareBars { width: Self::LEFT + Self::FULL + 48, height: rows.len() * 22 + 4, left: Self::LEFT, full: Self::FULL, bars }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn the_readiness_chart_has_a_point_per_day_and_a_text_alternative() {
        let pts = vec![
            ReadinessPoint { date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), met: 0, total: 2 },
            ReadinessPoint { date: NaiveDate::from_ymd_opt(2026, 3, 9).unwrap(), met: 2, total: 2 },
        ];
        let svg = ReadinessChart::new(&pts).render().unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<title id=\"chart-title\">") && svg.contains("polyline"));
    }

    #[test]
    fn a_pulse_line_has_a_dot_per_answer_high_at_the_top_and_low_ones_marked() {
        let svg = PulseLine::new(&[("a".into(), Some(5)), ("b".into(), None), ("c".into(), Some(1))]).render().unwrap();
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains("<circle cx=\"5.0\" cy=\"5.0\" r=\"3.5\"><title>a</title>"), "{svg}");
        assert!(svg.contains("<circle cx=\"41.0\" cy=\"31.0\" r=\"3.5\" class=\"low\"><title>c</title>"), "{svg}");
        assert!(svg.contains("points=\"5.0,5.0 41.0,31.0\""), "{svg}");
        assert!(!PulseLine::new(&[("a".into(), Some(3))]).render().unwrap().contains("polyline"));
    }

    #[test]
    fn share_bars_are_as_long_as_their_share_and_marked_under_the_mark() {
        let svg = ShareBars::new(&[("Ann".into(), Some(0.5)), ("Bo".into(), None), ("Cy".into(), Some(1.0))], 0.85).render().unwrap();
        assert!(svg.contains("width=\"100\" height=\"12\" rx=\"3\" class=\"bar-fill low\""), "{svg}");
        assert!(svg.contains("width=\"200\" height=\"12\" rx=\"3\" class=\"bar-fill\""), "{svg}");
        assert_eq!(svg.matches("bar-fill").count(), 2, "no bar where there is nothing to measure");
        assert!(svg.contains(">—</text>"));
    }

    #[test]
    fn the_trend_has_a_bar_per_rating_oldest_first() {
        let svg = TrendBars::new([("new".to_string(), 5), ("old".to_string(), 2)].into_iter()).render().unwrap();
        assert!(svg.contains("width=\"40\""));
        assert!(svg.contains("<rect x=\"0\" y=\"24\" width=\"14\" height=\"16\" rx=\"2\"><title>old</title></rect>"));
        assert!(svg.contains("<rect x=\"20\" y=\"0\" width=\"14\" height=\"40\" rx=\"2\"><title>new</title></rect>"));
    }
}
