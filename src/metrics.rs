//! Counters and histograms for `/metrics`, and the Prometheus text format they are read in.
//!
//! Each running server keeps its own (`App::metrics`), so two servers in one process (the
//! tests) do not mix their figures. Everything here is lock-free except the table of routes,
//! which takes a short mutex once per request. What a scrape also reports but is not counted
//! here (the database pool, the job queue, the size of the write-ahead log) is read at the
//! moment of the scrape by `App::metrics_text`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds: from a cached page to a slow export.
pub const SECONDS: &[f64] = &[0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Upper bounds of the write-batch buckets, in transactions per disk flush.
pub const BATCH: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// A Prometheus histogram with fixed buckets.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    /// Observations at or below each bound (not cumulative; summed when rendered).
    buckets: Vec<AtomicU64>,
    count: AtomicU64,
    /// The sum of all observations, in millionths.
    sum_micros: AtomicU64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum_micros: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, value: f64) {
        if let Some(i) = self.bounds.iter().position(|b| value <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((value.max(0.0) * 1e6).round() as u64, Ordering::Relaxed);
    }

    pub fn observe_duration(&self, d: Duration) {
        self.observe(d.as_secs_f64());
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    /// The `_bucket`, `_sum` and `_count` lines of this histogram, with `labels` (already
    /// formatted, `a="b",c="d"`, or empty) on each.
    fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in self.bounds.iter().zip(&self.buckets) {
            cumulative += n.load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}");
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {count}");
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
        let _ = writeln!(out, "{name}_sum{braces} {sum}");
        let _ = writeln!(out, "{name}_count{braces} {count}");
    }
}

/// Requests by route (the route's pattern, never the address with its ids), method and status.
#[derive(Debug, Default)]
pub struct Requests {
    routes: Mutex<BTreeMap<(String, String), Route>>,
}

#[derive(Debug)]
struct Route {
    by_status: BTreeMap<u16, u64>,
    latency: Histogram,
}

impl Requests {
    pub fn record(&self, method: &str, route: &str, status: u16, took: Duration) {
        let mut routes = self.routes.lock().unwrap_or_else(|e| e.into_inner());
        let r = routes
            .entry((route.to_string(), method.to_string()))
            .or_insert_with(|| Route { by_status: BTreeMap::new(), latency: Histogram::new(SECONDS) });
        *r.by_status.entry(status).or_default() += 1;
        r.latency.observe_duration(took);
    }
}

/// What this process counts as it runs.
#[derive(Debug)]
pub struct Metrics {
    pub requests: Requests,
    /// Meeting pages served from memory, and gathered afresh.
    pub page_cache_hits: AtomicU64,
    pub page_cache_misses: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { requests: Requests::default(), page_cache_hits: AtomicU64::new(0), page_cache_misses: AtomicU64::new(0) }
    }
}

/// Builds a scrape in the Prometheus text format (version 0.0.4).
#[derive(Default)]
pub struct Text(String);

impl Text {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}");
        let _ = writeln!(self.0, "# TYPE {name} {kind}");
    }

    /// A gauge or counter with one sample per set of labels.
    pub fn samples(&mut self, name: &str, kind: &str, help: &str, samples: &[(&[(&str, &str)], f64)]) {
        self.family(name, kind, help);
        for (labels, value) in samples {
            let labels = format_labels(labels);
            let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
            let _ = writeln!(self.0, "{name}{braces} {value}");
        }
    }

    /// A gauge or counter with a single value.
    pub fn value(&mut self, name: &str, kind: &str, help: &str, value: f64) {
        self.samples(name, kind, help, &[(&[], value)]);
    }

    pub fn histogram(&mut self, name: &str, help: &str, h: &Histogram) {
        self.family(name, "histogram", help);
        h.write(&mut self.0, name, "");
    }

    /// `rapport_http_requests_total` and `rapport_http_request_duration_seconds`.
    pub fn requests(&mut self, r: &Requests) {
        let routes = r.routes.lock().unwrap_or_else(|e| e.into_inner());
        self.family("rapport_http_requests_total", "counter", "HTTP requests answered, by route, method and status.");
        for ((route, method), stats) in routes.iter() {
            for (status, n) in &stats.by_status {
                let labels = format_labels(&[("route", route), ("method", method), ("status", &status.to_string())]);
                let _ = writeln!(self.0, "rapport_http_requests_total{{{labels}}} {n}");
            }
        }
        self.family("rapport_http_request_duration_seconds", "histogram", "Time to answer an HTTP request, by route and method.");
        for ((route, method), stats) in routes.iter() {
            stats.latency.write(
                &mut self.0,
                "rapport_http_request_duration_seconds",
                &format_labels(&[("route", route), ("method", method)]),
            );
        }
    }

    pub fn finish(self) -> String {
        self.0
    }
}

/// `a="b",c="d"`, with `\`, `"` and line breaks in values escaped as the format asks.
fn format_labels(labels: &[(&str, &str)]) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_cumulatively_with_an_infinite_bucket_sum_and_count() {
        let h = Histogram::new(&[1.0, 2.0]);
        for v in [0.5, 1.5, 1.5, 9.0] {
            h.observe(v);
        }
        let mut t = Text::default();
        t.histogram("x", "An example.", &h);
        let text = t.finish();
        assert!(text.contains("x_bucket{le=\"1\"} 1\n"), "{text}");
        assert!(text.contains("x_bucket{le=\"2\"} 3\n"), "{text}");
        assert!(text.contains("x_bucket{le=\"+Inf\"} 4\n"), "{text}");
        assert!(text.contains("x_sum 12.5\n"), "{text}");
        assert!(text.contains("x_count 4\n"), "{text}");
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(format_labels(&[("route", "/a\"b\\c\nd")]), "route=\"/a\\\"b\\\\c\\nd\"");
    }
}
