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
    fn the_trend_has_a_bar_per_rating_oldest_first() {
        let svg = TrendBars::new([("new".to_string(), 5), ("old".to_string(), 2)].into_iter()).render().unwrap();
        assert!(svg.contains("width=\"40\""));
        assert!(svg.contains("<rect x=\"0\" y=\"24\" width=\"14\" height=\"16\" rx=\"2\"><title>old</title></rect>"));
        assert!(svg.contains("<rect x=\"20\" y=\"0\" width=\"14\" height=\"40\" rx=\"2\"><title>new</title></rect>"));
    }
}
