//! Availability: a client that goes away, or a write that cannot be made, never stops the
//! rest of rapport. Pages that only read answer while the write lock is held elsewhere;
//! `/readyz` says when writes cannot be made; requests dropped at random points, reads and
//! writes alike, leave every later write working.

use crate::on_both;
use crate::support::{TestApp, at, pg_server_url, plain};
use chrono::{Duration as Days, NaiveDate};
use rapport::app::meetings::SeriesInput;
use rapport::domain::Person;
use rapport::domain::meeting::SeriesKind;
use rapport::domain::schedule::Cadence;
use rapport::store::{Db, Tx, on_db, on_tx};
use std::time::{Duration, Instant};
use uuid::Uuid;

on_both!(
    pages_that_only_read_take_no_write_lock,
    readiness_fails_while_writes_cannot_be_made,
    requests_dropped_at_random_points_leave_every_write_working,
    searches_beyond_the_few_that_run_at_once_are_told_to_come_back_at_once,
);

struct Setup {
    manager: Person,
    token: String,
    series: Uuid,
    meeting: Uuid,
    one_off_meeting: Uuid,
}

async fn series(t: &TestApp, manager: &Person, teammate: &Person, kind: SeriesKind, date: (i32, u32, u32), time: &str) -> Uuid {
    let s = t
        .app
        .create_series(
            manager,
            SeriesInput {
                teammate_id: teammate.id,
                kind,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap(),
                time: time.into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    s.id
}

/// A manager and a teammate with weekly 1:1s from Wednesday 4 March 2026, and a one-off 1:1
/// on Tuesday 3 March whose topic was not discussed (it has nowhere to move on to).
async fn setup(t: &TestApp) -> Setup {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let admin = t.admin().await;
    let manager = t.person(&admin, "Maria Manager", Some(admin.id)).await;
    let teammate = t.person(&admin, "Tom Teammate", Some(manager.id)).await;
    let weekly = series(t, &manager, &teammate, SeriesKind::Regular, (2026, 3, 4), "10:00").await;
    let meeting = t.app.series_view(&manager, weekly, None).await.unwrap().upcoming[0].id;
    let one_off = series(t, &manager, &teammate, SeriesKind::OneOff, (2026, 3, 3), "09:00").await;
    let one_off_meeting = t.app.series_view(&manager, one_off, None).await.unwrap().upcoming[0].id;
    t.app.add_point(&manager, one_off_meeting, "How is the move going?", false).await.unwrap();
    let token = t.token(&manager).await;
    Setup { manager, token, series: weekly, meeting, one_off_meeting }
}

/// Takes the write lock the way a long write would, and keeps it until dropped: on SQLite the
/// writer itself (and with it `BEGIN IMMEDIATE`); on PostgreSQL a lock on the tables the 1:1
/// pages could write, which blocks writers and lets readers through.
async fn hold_write_lock(db: &Db) -> Tx {
    let mut tx = db.begin().await.unwrap();
    if matches!(db, Db::Postgres(_)) {
        on_tx!(&mut tx, c => sqlx::query("LOCK TABLE meeting, talking_point, series IN EXCLUSIVE MODE").execute(c).await.map(|r| r.rows_affected()))
            .unwrap();
    }
    tx
}

async fn pages_that_only_read_take_no_write_lock(t: TestApp) {
    let s = setup(&t).await;
    let (browser, _) = t.signed_in(&s.manager.email).await;
    // The one-off 1:1 is over; its open topic stays where it is.
    t.clock.set(at("2026-03-03T12:00:00Z"));
    let pages = [
        "/meetings".to_string(),
        format!("/series/{}", s.series),
        format!("/meetings/{}", s.meeting),
        format!("/meetings/{}/prep", s.meeting),
        format!("/meetings/{}", s.one_off_meeting),
        "/people".to_string(),
    ];
    let api = [
        "/api/v1/meetings/upcoming".to_string(),
        format!("/api/v1/series/{}", s.series),
        format!("/api/v1/meetings/{}", s.one_off_meeting),
    ];
    let get = |path: &str, api: bool| {
        let req = if api { plain().get(t.url(path)).bearer_auth(&s.token) } else { browser.get(t.url(path)) };
        req.timeout(Duration::from_secs(5)).send()
    };
    // Without the lock first: whatever is due is written now. Each look at the list of 1:1s
    // adds a few meetings, up to 120 days ahead.
    for _ in 0..8 {
        assert_eq!(get("/meetings", false).await.unwrap().status(), 200);
    }
    for p in &pages {
        assert_eq!(get(p, false).await.unwrap().status(), 200, "{p}");
    }
    for p in &api {
        assert_eq!(get(p, true).await.unwrap().status(), 200, "{p}");
    }

    let held = hold_write_lock(&t.app.db).await;
    for (path, is_api) in pages.iter().map(|p| (p, false)).chain(api.iter().map(|p| (p, true))) {
        let started = Instant::now();
        let answer = get(path, is_api).await;
        let status = answer.as_ref().map(|r| r.status().as_u16()).map_err(|e| e.to_string());
        assert_eq!(status, Ok(200), "{path} waited for the write lock ({:?}) though it has nothing to write", started.elapsed());
        assert!(started.elapsed() < Duration::from_secs(2), "{path} took {:?}", started.elapsed());
    }
    drop(held);

    // A week later there are meetings to add: the page takes the writer for that, once.
    t.clock.set(at("2026-03-10T12:00:00Z"));
    assert_eq!(get("/meetings", false).await.unwrap().status(), 200);
    let upcoming = t.app.upcoming_meetings(&s.manager, 10).await.unwrap();
    assert!(upcoming.iter().filter(|u| u.series.id == s.series).count() >= 4, "the series was topped up");
    let held = hold_write_lock(&t.app.db).await;
    assert_eq!(get("/meetings", false).await.unwrap().status(), 200, "topped up once, read without the lock after");
    drop(held);
}

async fn readiness_fails_while_writes_cannot_be_made(t: TestApp) {
    let c = plain();
    let probe = |path: &'static str| c.get(t.url(path)).timeout(Duration::from_secs(8)).send();
    let r = probe("/readyz").await.unwrap();
    assert_eq!(r.status(), 200);

    match t.app.db {
        Db::Sqlite(_) => {
            let held = t.app.db.begin().await.unwrap();
            let started = Instant::now();
            let r = probe("/readyz").await.expect("readyz answers within a few seconds");
            assert_eq!(r.status(), 503, "ready although no write can be made");
            assert!(started.elapsed() < Duration::from_secs(4), "readyz took {:?}", started.elapsed());
            let body = r.text().await.unwrap();
            assert!(body.contains("write"), "says why: {body}");
            assert_eq!(probe("/healthz").await.unwrap().status(), 200, "still alive");
            drop(held);
        }
        Db::Postgres(_) => {
            // The database turns read-only (as after a fail-over to a replica): connections made
            // from now on cannot write.
            let name = t.db_url.rsplit_once('/').unwrap().1.to_string();
            let admin = Db::connect(&pg_server_url()).await.unwrap();
            let run = |sql: String| {
                let admin = admin.clone();
                async move {
                    on_db!(&admin, p => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.map(|r| r.rows_affected())).unwrap();
                }
            };
            let reconnect = format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
            run(format!("ALTER DATABASE {name} SET default_transaction_read_only = on")).await;
            run(reconnect.clone()).await;
            let r = probe("/readyz").await.expect("readyz answers within a few seconds");
            assert_eq!(r.status(), 503, "ready although no write can be made");
            let body = r.text().await.unwrap();
            assert!(body.contains("write"), "says why: {body}");
            assert_eq!(probe("/healthz").await.unwrap().status(), 200, "still alive");
            run(format!("ALTER DATABASE {name} RESET default_transaction_read_only")).await;
            run(reconnect).await;
            admin.close().await;
        }
    }
    let r = probe("/readyz").await.unwrap();
    assert_eq!(r.status(), 200, "ready again once writes can be made");
}

/// splitmix64: a small seeded generator, so a failing run can be repeated exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

async fn requests_dropped_at_random_points_leave_every_write_working(t: TestApp) {
    let s = setup(&t).await;
    let (browser, csrf) = t.signed_in(&s.manager.email).await;
    let seed = std::env::var("RAPPORT_STRESS_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let mut rng = Rng(seed);
    let mut started = tokio::task::JoinSet::new();
    let mut meeting = s.meeting;
    for round in 0..8 {
        // Time moves on between rounds, so the pages have meetings to add and topics to carry.
        if round > 0 {
            t.clock.advance(Days::days(7));
            meeting = t.app.upcoming_meetings(&s.manager, 1).await.unwrap()[0].meeting.id;
        }
        for i in 0..40 {
            let kind = rng.below(6);
            let give_up = Duration::from_micros(rng.below(30_000));
            let abort = rng.below(2) == 0;
            let api = plain();
            let req = match kind {
                0 => browser.get(t.url("/meetings")),
                1 => api.get(t.url("/api/v1/meetings/upcoming")).bearer_auth(&s.token),
                2 => browser.get(t.url(&format!("/meetings/{meeting}"))),
                3 => api
                    .post(t.url(&format!("/api/v1/meetings/{meeting}/points")))
                    .bearer_auth(&s.token)
                    .json(&serde_json::json!({ "body": format!("topic {round}.{i}"), "recurring": rng.below(3) == 0 })),
                4 => browser
                    .post(t.url(&format!("/meetings/{meeting}/points")))
                    .form(&[("_csrf", csrf.as_str()), ("body", &format!("form topic {round}.{i}"))]),
                _ => api
                    .put(t.url(&format!("/api/v1/meetings/{meeting}/notes/private")))
                    .bearer_auth(&s.token)
                    .json(&serde_json::json!({ "body": format!("note {round}.{i}"), "base_version": 0 })),
            };
            if abort {
                // Started, then the task running it is aborted at whatever point it reached.
                let task = tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) });
                started.spawn(async move {
                    tokio::time::sleep(give_up).await;
                    task.abort();
                });
            } else {
                // The client stops waiting after a random short time and hangs up.
                started.spawn(async move {
                    let _ = tokio::time::timeout(give_up, req.send()).await;
                });
            }
            if rng.below(4) == 0 {
                tokio::time::sleep(Duration::from_micros(rng.below(5_000))).await;
            }
        }
    }
    while started.join_next().await.is_some() {}

    // Every write now succeeds, each within a second.
    let api = plain();
    for n in 0..10 {
        let began = Instant::now();
        let r = api
            .post(t.url(&format!("/api/v1/meetings/{meeting}/points")))
            .bearer_auth(&s.token)
            .json(&serde_json::json!({ "body": format!("afterwards {n}") }))
            .timeout(Duration::from_secs(1))
            .send()
            .await
            .unwrap_or_else(|e| panic!("write {n} after the storm (seed {seed}) did not answer within a second: {e}"));
        assert_eq!(r.status(), 201, "write {n} after the storm (seed {seed})");
        assert!(began.elapsed() < Duration::from_secs(1));
    }
    // Weeks went by on the clock: a new sign-in (itself a write) for the page.
    let (browser, _) = t.signed_in(&s.manager.email).await;
    let r = browser.get(t.url("/meetings")).timeout(Duration::from_secs(1)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = api.get(t.url("/readyz")).timeout(Duration::from_secs(3)).send().await.unwrap();
    assert_eq!(r.status(), 200, "ready after the storm (seed {seed})");
    let tx = tokio::time::timeout(Duration::from_secs(1), t.app.db.begin()).await.expect("the writer is free").unwrap();
    tx.commit().await.unwrap();
    let view = t.app.meeting_view(&s.manager, meeting).await.unwrap();
    assert!((0..10).all(|n| view.points.iter().any(|p| p.body == format!("afterwards {n}"))), "every acknowledged write is there");
}

/// Search is bounded: with every search slot taken, another search answers 503 with
/// `Retry-After` (page and API) instead of queueing for seconds; other pages are unaffected,
/// and once a slot is free searches answer again.
async fn searches_beyond_the_few_that_run_at_once_are_told_to_come_back_at_once(t: TestApp) {
    let pair = crate::support::a_manager_with_a_report(&t).await;
    let (c, _) = t.signed_in(&pair.manager.email).await;
    let token = t.token(&pair.manager).await;
    let page = || c.get(t.url("/search?q=migration")).send();
    let api = || plain().get(t.url("/api/v1/search?q=migration")).bearer_auth(&token).send();
    assert_eq!(page().await.unwrap().status(), 200);

    let slots = rapport::app::meetings::search_slots();
    let taken = t.app.search_gate.clone().acquire_many_owned(slots as u32).await.unwrap();
    let busy = page().await.unwrap();
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers()["retry-after"], "1");
    assert!(busy.text().await.unwrap().contains("busy just now"), "the page says so in words");
    let busy = api().await.unwrap();
    assert_eq!(busy.status(), 503);
    assert_eq!(busy.headers()["retry-after"], "1");
    assert_eq!(busy.json::<serde_json::Value>().await.unwrap()["error"]["code"], "unavailable");
    assert_eq!(c.get(t.url("/meetings")).send().await.unwrap().status(), 200, "other pages answer");

    drop(taken);
    assert_eq!(page().await.unwrap().status(), 200);
    assert_eq!(api().await.unwrap().status(), 200);
}
