//! `/metrics` (issue 15): read by the Prometheus project's own parser, with every figure an
//! operator needs, routes named by their patterns only, and a token when one is set.

use crate::on_both;
use crate::support::{Backend, TestApp, python, spawn_with};
use rapport::config::{Config, Secret};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

on_both!(metrics_are_read_by_a_prometheus_parser_and_name_routes_never_ids, metrics_ask_for_the_token_when_one_is_set);

/// The scrape as the Prometheus parser reads it: family name → `{type, samples}`.
fn parsed(text: &str) -> Value {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/py/parse_metrics.py");
    let mut child = Command::new(python()).arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the Prometheus parser refused the scrape: {}\n{text}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn metrics_are_read_by_a_prometheus_parser_and_name_routes_never_ids(t: TestApp) {
    let pair = crate::support::a_manager_with_a_report(&t).await;
    let series = crate::support::weekly_one_on_ones(&t, &pair.manager, &pair.teammate, t.tomorrow()).await;
    let meeting = crate::support::upcoming(&t, &pair.manager, series).await[0].id;
    let (c, _) = t.signed_in(&pair.manager.email).await;
    for _ in 0..2 {
        assert_eq!(c.get(t.url(&format!("/meetings/{meeting}"))).send().await.unwrap().status(), 200);
    }
    let token = t.token(&pair.manager).await;
    let r = c
        .post(t.url(&format!("/api/v1/meetings/{meeting}/points")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"body": "Hiring"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    assert_eq!(c.get(t.url("/no/such/page")).send().await.unwrap().status(), 404);

    let r = crate::support::plain().get(t.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    let families = parsed(&text);

    let sqlite = t.db_url.starts_with("sqlite");
    let mut wanted = vec![
        ("rapport_http_requests", "counter"),
        ("rapport_http_request_duration_seconds", "histogram"),
        ("rapport_db_pool_connections", "gauge"),
        ("rapport_db_pool_max_connections", "gauge"),
        ("rapport_db_wal_bytes", "gauge"),
        ("rapport_page_cache_hits", "counter"),
        ("rapport_page_cache_misses", "counter"),
        ("rapport_jobs", "gauge"),
    ];
    if sqlite {
        wanted.extend([("rapport_db_write_batch_transactions", "histogram"), ("rapport_db_write_wait_seconds", "histogram")]);
    }
    for (name, kind) in wanted {
        assert_eq!(families[name]["type"], kind, "{name} in:\n{text}");
    }

    let value = |family: &str, sample: &str, labels: &[(&str, &str)]| -> f64 {
        families[family]["samples"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s[0] == sample && labels.iter().all(|(k, v)| s[1][*k] == *v))
            .unwrap_or_else(|| panic!("no {sample} {labels:?} in:\n{text}"))[2]
            .as_f64()
            .unwrap()
    };
    let page = [("route", "/meetings/{id}"), ("method", "GET"), ("status", "200")];
    assert_eq!(value("rapport_http_requests", "rapport_http_requests_total", &page), 2.0);
    let api = [("route", "/api/v1/meetings/{id}/points"), ("method", "POST"), ("status", "201")];
    assert_eq!(value("rapport_http_requests", "rapport_http_requests_total", &api), 1.0);
    assert_eq!(value("rapport_http_requests", "rapport_http_requests_total", &[("route", "unmatched"), ("status", "404")]), 1.0);
    let timing = [("route", "/meetings/{id}"), ("method", "GET")];
    assert_eq!(value("rapport_http_request_duration_seconds", "rapport_http_request_duration_seconds_count", &timing), 2.0);
    assert_eq!(
        value("rapport_http_request_duration_seconds", "rapport_http_request_duration_seconds_bucket", &[("le", "+Inf"), timing[0]]),
        2.0
    );
    // The second view was served from memory; the first gathered the page.
    assert!(value("rapport_page_cache_hits", "rapport_page_cache_hits_total", &[]) >= 1.0, "{text}");
    assert!(value("rapport_page_cache_misses", "rapport_page_cache_misses_total", &[]) >= 1.0, "{text}");
    assert!(value("rapport_db_pool_max_connections", "rapport_db_pool_max_connections", &[]) >= 1.0);
    assert!(value("rapport_db_pool_connections", "rapport_db_pool_connections", &[("state", "idle")]) >= 0.0);
    for state in ["queued", "running", "failed", "done"] {
        value("rapport_jobs", "rapport_jobs", &[("state", state)]);
    }
    if sqlite {
        assert!(value("rapport_db_write_batch_transactions", "rapport_db_write_batch_transactions_count", &[]) >= 1.0, "writes were made");
        assert!(value("rapport_db_wal_bytes", "rapport_db_wal_bytes", &[]) > 0.0, "writes went to the log");
    }
    // Routes appear as their patterns: no id, no address of a page with its ids.
    for id in [meeting.to_string(), series.to_string(), pair.manager.id.0.to_string()] {
        assert!(!text.contains(&id), "an id in the metrics:\n{text}");
    }
}

async fn metrics_ask_for_the_token_when_one_is_set(t: TestApp) {
    let backend = if t.db_url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
    drop(t);
    let t = spawn_with(backend, Config { metrics_token: Some(Secret::new("scrape-me-7c1e")), ..Config::default() }).await;
    let get = |token: Option<&'static str>| {
        let mut req = crate::support::plain().get(t.url("/metrics"));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
    };
    let refused = get(None).await.unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.headers()["www-authenticate"], "Bearer");
    assert!(!refused.text().await.unwrap().contains("rapport_"), "nothing is shown without the token");
    assert_eq!(get(Some("scrape-me-7c1")).await.unwrap().status(), 401, "a token that is nearly right is wrong");
    let ok = get(Some("scrape-me-7c1e")).await.unwrap();
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.unwrap().contains("rapport_http_requests_total"));
}
