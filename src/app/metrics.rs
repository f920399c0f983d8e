//! `/metrics`: the figures an operator watches, in the Prometheus text format. No actor and no
//! 1:1 content: routes appear as their patterns (`/meetings/{id}`), never with ids; the
//! setting `metrics_token` asks scrapers for a bearer token.

use super::{App, AppResult};
use crate::metrics::Text;
use std::sync::atomic::Ordering;

impl App {
    /// Whether a scrape presenting `token` (a bearer token, if any) may read `/metrics`.
    pub fn may_scrape(&self, token: Option<&str>) -> bool {
        match &self.config.metrics_token {
            None => true,
            Some(want) => token.is_some_and(|t| super::secrets::constant_time_eq(t, want.expose())),
        }
    }

    /// Everything `/metrics` reports, read now: what this process counted, and the database's
    /// pool, write-ahead log and job queue as they are.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn metrics_text(&self) -> AppResult<String> {
        let m = &self.metrics;
        let mut t = Text::default();
        t.requests(&m.requests);
        t.value(
            "rapport_page_cache_hits_total",
            "counter",
            "Meeting pages served from memory, unchanged since they were gathered.",
            m.page_cache_hits.load(Ordering::Relaxed) as f64,
        );
        t.value(
            "rapport_page_cache_misses_total",
            "counter",
            "Meeting pages gathered from the database.",
            m.page_cache_misses.load(Ordering::Relaxed) as f64,
        );
        let db = self.db.stats().await;
        t.samples(
            "rapport_db_pool_connections",
            "gauge",
            "Database connections in the pool, by state.",
            &[(&[("state", "in_use")], f64::from(db.pool_open) - db.pool_idle as f64), (&[("state", "idle")], db.pool_idle as f64)],
        );
        t.value("rapport_db_pool_max_connections", "gauge", "The most connections the pool opens.", f64::from(db.pool_max));
        if let Some(wal) = db.wal_bytes {
            t.value("rapport_db_wal_bytes", "gauge", "Size of the database's write-ahead log, in bytes.", wal as f64);
        }
        if let Some(w) = db.writes {
            t.histogram(
                "rapport_db_write_batch_transactions",
                "Transactions committed together in one disk flush (SQLite).",
                &w.batch_sizes,
            );
            t.histogram("rapport_db_write_wait_seconds", "Time a write waited for SQLite's one writer.", &w.wait);
        }
        let jobs = crate::store::jobs::counts(&self.db).await?;
        let states = ["queued", "running", "failed", "done"];
        let samples: Vec<(Vec<(&str, &str)>, f64)> = states
            .iter()
            .map(|s| (vec![("state", *s)], jobs.iter().find(|(state, _)| state == s).map_or(0.0, |(_, n)| *n as f64)))
            .collect();
        let samples: Vec<(&[(&str, &str)], f64)> = samples.iter().map(|(l, v)| (l.as_slice(), *v)).collect();
        t.samples("rapport_jobs", "gauge", "Background jobs (messages, reminders) by state; failed ones wait for an admin.", &samples);
        Ok(t.finish())
    }
}
