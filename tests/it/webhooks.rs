//! Webhooks cannot be turned against the machine rapport runs on or the network behind it
//! (server-side request forgery): an address is checked when it is saved (https only, no user
//! name or password, no loopback, private, link-local … host) and again when it is called, on
//! the address actually connected to. A listener on loopback stands for the inside: it must
//! receive nothing, unless the operator named its host in `[messages] webhook_allowed_hosts`.

use crate::on_both;
use crate::support::{Backend, TestApp, WeeklyPair, mia_meets_tom_weekly_in_berlin, plain, spawn_with};
use chrono::NaiveDate;
use rapport::clock::Clock;
use rapport::config::Config;
use rapport::domain::messages::WebhookRules;
use rapport::store::{jobs, messages};
use serde_json::Value;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

on_both!(webhook_addresses_that_reach_inside_are_refused_when_saved, a_stored_webhook_to_loopback_is_never_called,);

mod a_loopback_host_the_operator_allows_gets_the_post_and_redirects_are_not_followed {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_loopback_host_the_operator_allows_gets_the_post_and_redirects_are_not_followed(crate::support::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_loopback_host_the_operator_allows_gets_the_post_and_redirects_are_not_followed(crate::support::Backend::Postgres).await
    }
}

mod plain_http_alone_opens_no_internal_address {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::plain_http_alone_opens_no_internal_address(crate::support::Backend::Sqlite).await
    }
}

/// Mia and Tom's weekly 1:1s, with their invitations already out, so that later runs hold
/// only what a test queues.
async fn mia_meets_tom_and_the_invitations_are_out(t: &TestApp) -> WeeklyPair {
    let p = mia_meets_tom_weekly_in_berlin(t).await;
    t.app.run_jobs("w").await.unwrap();
    p
}

/// A TCP listener on loopback that counts the connections it is offered (and closes them).
async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (port, count)
}

async fn webhook_addresses_that_reach_inside_are_refused_when_saved(t: TestApp) {
    let p = mia_meets_tom_and_the_invitations_are_out(&t).await;
    let token = t.token(&p.tom).await;
    let c = plain();
    let mut settings: Value = c.get(t.url("/api/v1/me/reminders")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    // An ordinary public https address is fine.
    let good = "https://hooks.slack.com/services/T000/B000/secret-part";
    settings["webhook_url"] = Value::String(good.into());
    let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let refused = [
        "http://127.0.0.1:9/hook",
        "http://hooks.slack.com/services/T000/B000/x",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/hook",
        "https://172.16.5.4/hook",
        "https://192.168.1.1/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
        "https://255.255.255.255/hook",
        "https://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[fd00::1]/",
        "https://[fe80::1]/",
        "https://[::]/",
        "https://localhost/",
        "https://LOCALHOST./hook",
        "https://app.localhost/hook",
        "https://0x7f000001/",
        "https://2130706433/",
        "https://0177.0.0.1/",
        "https://127.1/",
        "https://user:pass@hooks.slack.com/services/T000/B000/x",
        "ftp://hooks.slack.com/x",
    ];
    for bad in refused {
        for field in ["webhook_url", "team_webhook_url"] {
            let mut s = settings.clone();
            s[field] = Value::String(bad.into());
            let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&s).send().await.unwrap();
            assert_eq!(r.status(), 422, "{field} = {bad} was accepted");
            let body: Value = r.json().await.unwrap();
            let fields = body["error"]["fields"].as_array().cloned().unwrap_or_default();
            assert!(fields.iter().any(|f| f["field"] == field), "{bad}: the error names {field}: {body}");
        }
    }
    // Nothing changed.
    let now: Value = c.get(t.url("/api/v1/me/reminders")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["webhook_url"], good);
    assert_eq!(now["team_webhook_url"], "");
    // The settings page refuses the same, with the field named on the page.
    let (browser, csrf) = t.signed_in(&p.tom.email).await;
    let r = browser
        .post(t.url("/settings/reminders"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("prep_hours", "24"),
            ("quiet_start", "20:00"),
            ("quiet_end", "08:00"),
            ("webhook_url", "https://169.254.169.254/latest/meta-data/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let now: Value = c.get(t.url("/api/v1/me/reminders")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(now["webhook_url"], good, "the page changed nothing");
}

/// Queues a webhook job straight into the store, as one queued before this check existed.
async fn stale_job(t: &TestApp, key: &str, url: &str) {
    let payload = serde_json::json!({ "url": url, "text": "hello" }).to_string();
    let now = t.clock.now();
    let mut tx = t.app.db.begin().await.unwrap();
    let job = jobs::NewJob { kind: "webhook", payload: &payload, idempotency_key: key, run_at: now, max_attempts: 8 };
    assert!(jobs::enqueue(&mut tx, &job, now).await.unwrap());
    tx.commit().await.unwrap();
}

async fn a_stored_webhook_to_loopback_is_never_called(t: TestApp) {
    let p = mia_meets_tom_and_the_invitations_are_out(&t).await;
    let (port, connections) = counting_listener().await;
    // Tom's settings hold a loopback address saved before addresses were checked.
    let mut s = t.app.reminder_settings(&p.tom).await.unwrap();
    s.webhook_url = format!("http://127.0.0.1:{port}/services/T000/B000/secret-part");
    messages::save_reminder_settings(&t.app.db, p.tom.id, &s, t.clock.now()).await.unwrap();
    let second = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[1].clone();
    t.app.move_meeting(&p.mia, second.id, second.version, NaiveDate::from_ymd_opt(2026, 10, 22).unwrap(), "09:00", "Clash").await.unwrap();
    // And queued jobs aim at the same listener in the other ways an address can be written.
    let stale = [
        format!("https://127.0.0.1:{port}/secret-part"),
        format!("https://localhost:{port}/secret-part"),
        format!("https://2130706433:{port}/secret-part"),
        format!("https://0x7f000001:{port}/secret-part"),
        format!("https://[::ffff:127.0.0.1]:{port}/secret-part"),
        format!("https://user:secret-part@127.0.0.1:{port}/"),
    ];
    for (i, url) in stale.iter().enumerate() {
        stale_job(&t, &format!("stale:{i}"), url).await;
    }
    // Two e-mails (Mia's and Tom's), Tom's webhook and the stale jobs.
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 3 + stale.len());
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 0, "the loopback listener was reached");
    let troubled = jobs::troubled(&t.app.db, 100).await.unwrap();
    assert_eq!(troubled.len(), 1 + stale.len(), "{troubled:?}");
    for j in &troubled {
        assert_eq!((j.kind.as_str(), j.state.as_str(), j.attempts), ("webhook", "failed", 1), "refused for good at once: {j:?}");
        assert!(j.last_error.contains("refused"), "a clear reason: {}", j.last_error);
        assert!(!j.last_error.contains("secret-part"), "the webhook address is a secret: {}", j.last_error);
    }
    // Nothing is retried later.
    t.clock.advance(chrono::Duration::hours(7));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

/// An HTTP listener on loopback: `/hook` records each body and answers 200, `/moved` answers
/// 302 to `/hook`. Returns its port and the bodies `/hook` received.
async fn recording_listener() -> (u16, Arc<std::sync::Mutex<Vec<Value>>>) {
    let calls: Arc<std::sync::Mutex<Vec<Value>>> = Default::default();
    let seen = calls.clone();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
                let seen = seen.clone();
                async move {
                    seen.lock().unwrap().push(body);
                    axum::http::StatusCode::OK
                }
            }),
        )
        .route("/moved", axum::routing::post(|| async { axum::response::Redirect::temporary("/hook") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (port, calls)
}

async fn a_loopback_host_the_operator_allows_gets_the_post_and_redirects_are_not_followed(backend: Backend) {
    let webhooks = WebhookRules { allowed_hosts: vec!["127.0.0.1".into()], allow_http: true };
    let t = spawn_with(backend, Config { webhooks, ..Config::default() }).await;
    let p = mia_meets_tom_and_the_invitations_are_out(&t).await;
    let (port, calls) = recording_listener().await;
    // Saved through the API: allowed, because the operator named the host.
    let token = t.token(&p.tom).await;
    let c = plain();
    let mut settings: Value = c.get(t.url("/api/v1/me/reminders")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    settings["webhook_url"] = Value::String(format!("http://127.0.0.1:{port}/hook"));
    let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    // Other internal addresses stay refused.
    settings["webhook_url"] = Value::String(format!("http://127.0.0.2:{port}/hook"));
    let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let second = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[1].clone();
    t.app.move_meeting(&p.mia, second.id, second.version, NaiveDate::from_ymd_opt(2026, 10, 22).unwrap(), "09:00", "Clash").await.unwrap();
    // A job whose webhook answers with a redirect (to the same listener): not followed, and
    // not tried again.
    stale_job(&t, "moved", &format!("http://127.0.0.1:{port}/moved")).await;
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 4);
    let got = calls.lock().unwrap().clone();
    assert_eq!(got.len(), 1, "one post, and the redirect was not followed: {got:?}");
    assert!(got[0]["text"].as_str().unwrap().starts_with("Your 1:1 with Mia Manager moved from"), "{got:?}");
    let moved = jobs::by_key(&t.app.db, "moved").await.unwrap().unwrap();
    assert_eq!((moved.state.as_str(), moved.attempts), ("failed", 1), "{moved:?}");
    assert!(moved.last_error.contains("redirect (HTTP 307)"), "{}", moved.last_error);
    assert!(!moved.last_error.contains("moved"), "no path in the error: {}", moved.last_error);
    let sent = jobs::troubled(&t.app.db, 100).await.unwrap();
    assert_eq!(sent.len(), 1, "only the redirect failed: {sent:?}");
}

/// With plain http allowed (for development) but no host named, loopback stays out of reach:
/// the address is refused, not the scheme.
async fn plain_http_alone_opens_no_internal_address(backend: Backend) {
    let t = spawn_with(backend, Config { webhooks: WebhookRules { allowed_hosts: vec![], allow_http: true }, ..Config::default() }).await;
    mia_meets_tom_and_the_invitations_are_out(&t).await;
    let (port, connections) = counting_listener().await;
    stale_job(&t, "plain", &format!("http://127.0.0.1:{port}/hook")).await;
    stale_job(&t, "named", &format!("http://localhost:{port}/hook")).await;
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 2);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 0);
    let plain = jobs::by_key(&t.app.db, "plain").await.unwrap().unwrap();
    assert!(plain.last_error.contains("loopback address"), "{}", plain.last_error);
    let named = jobs::by_key(&t.app.db, "named").await.unwrap().unwrap();
    assert!(named.last_error.contains("localhost"), "{}", named.last_error);
}
