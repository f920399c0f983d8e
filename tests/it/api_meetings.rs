//! 1:1s through the JSON API, on both databases: series, meetings, the agenda, notes with
//! merges and conflicts, action items, search; bad input answered per field; outsiders
//! answered exactly like a missing id; private notes never reaching the other person; and
//! the `meetings upcoming` and `actions list` commands run as the real binary.

use crate::on_both;
use crate::support::{Pair, TestApp, a_manager_with_a_report, at, plain, rapport_cli};
use chrono::Duration;
use reqwest::Method;
use serde_json::{Value, json};

on_both!(
    series_are_started_listed_and_paused_through_the_api,
    meetings_are_listed_marked_moved_and_rated_through_the_api,
    the_next_meeting_is_listed_first_when_one_has_just_ended,
    the_agenda_is_shared_ordered_and_edited_through_the_api,
    topics_not_discussed_move_on_and_show_where_they_came_from,
    notes_merge_or_conflict_and_never_lose_words,
    private_notes_never_reach_the_other_person,
    action_items_through_the_api,
    outsiders_get_exactly_the_answer_for_a_missing_id,
    search_through_the_api_is_filtered_and_escaped,
    a_browser_session_uses_the_api_with_its_csrf_token,
);

// ---- helpers ----

/// The pair and outsider of [`a_manager_with_a_report`], each with an API token.
struct WithTokens {
    pair: Pair,
    /// API tokens of the admin (the manager's manager), manager, teammate and outsider.
    a: String,
    m: String,
    tm: String,
    o: String,
}

impl std::ops::Deref for WithTokens {
    type Target = Pair;
    fn deref(&self) -> &Pair {
        &self.pair
    }
}

/// Thursday 1 October 2026, 08:00 UTC: the series below starts the Tuesday after.
async fn a_manager_with_a_report_and_their_tokens(t: &TestApp) -> WithTokens {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let pair = a_manager_with_a_report(t).await;
    let (a, m, tm, o) =
        (t.token(&pair.admin).await, t.token(&pair.manager).await, t.token(&pair.teammate).await, t.token(&pair.outsider).await);
    WithTokens { pair, a, m, tm, o }
}

async fn call(t: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = plain().request(method, t.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")) };
    (status, value)
}

async fn get(t: &TestApp, token: &str, path: &str) -> (u16, Value) {
    call(t, token, Method::GET, path, None).await
}

async fn send(t: &TestApp, token: &str, method: Method, path: &str, body: Value) -> (u16, Value) {
    call(t, token, method, path, Some(body)).await
}

/// A success with `status`; the body.
#[track_caller]
fn ok(r: (u16, Value), status: u16) -> Value {
    assert_eq!(r.0, status, "{}", r.1);
    r.1
}

/// Refused as invalid input, naming `field`.
#[track_caller]
fn invalid(r: (u16, Value), field: &str) {
    assert_eq!(r.0, 422, "expected 422 for {field}: {}", r.1);
    assert_eq!(r.1["error"]["code"], "invalid", "{}", r.1);
    let fields: Vec<&str> = r.1["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&field), "expected a problem with {field}, got {fields:?}: {}", r.1);
}

#[track_caller]
fn conflict(r: (u16, Value)) {
    assert_eq!(r.0, 409, "{}", r.1);
    assert_eq!(r.1["error"]["code"], "conflict", "{}", r.1);
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// A weekly series, Tuesdays 10:00 Berlin time from 6 October 2026, started through the
/// API; its first meetings.
async fn weekly_one_on_ones_through_the_api(t: &TestApp, p: &WithTokens) -> (Value, Vec<Value>) {
    let series = ok(
        send(
            t,
            &p.m,
            Method::POST,
            "/api/v1/series",
            json!({"teammate_id": p.teammate.id, "kind": "regular", "cadence": "weekly", "first_date": "2026-10-06",
                   "time": "10:00", "timezone": "Europe/Berlin", "duration_minutes": 30}),
        )
        .await,
        201,
    );
    let view = ok(get(t, &p.tm, &format!("/api/v1/series/{}", s(&series["id"]))).await, 200);
    (series, view["upcoming"].as_array().unwrap().clone())
}

async fn put_note(t: &TestApp, token: String, path: String, body: String, base: i64) -> (u16, Value) {
    send(t, &token, Method::PUT, &path, json!({"body": body, "base_version": base})).await
}

async fn meeting(t: &TestApp, token: &str, id: &str) -> Value {
    ok(get(t, token, &format!("/api/v1/meetings/{id}")).await, 200)
}

fn bodies(view: &Value) -> Vec<String> {
    view["points"].as_array().unwrap().iter().map(|p| s(&p["body"]).to_string()).collect()
}

fn point<'a>(view: &'a Value, body: &str) -> &'a Value {
    view["points"].as_array().unwrap().iter().find(|p| p["body"] == body).unwrap_or_else(|| panic!("no point {body}: {view}"))
}

// ---- series ----

async fn series_are_started_listed_and_paused_through_the_api(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (series, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let id = s(&series["id"]).to_string();
    assert_eq!(series["manager_id"], json!(p.manager.id));
    assert_eq!(series["teammate_id"], json!(p.teammate.id));
    for (k, v) in [("kind", "regular"), ("cadence", "weekly"), ("weekday", "Tuesday"), ("time", "10:00"), ("status", "active")] {
        assert_eq!(series[k], v, "{k}: {series}");
    }
    assert_eq!((series["timezone"].as_str(), series["version"].as_i64()), (Some("Europe/Berlin"), Some(1)));
    // Times are UTC; the local time stays 10:00 across the end of summer time (25 October).
    assert_eq!(upcoming.len(), 4);
    assert_eq!(upcoming[0]["starts_at"], "2026-10-06T08:00:00Z");
    assert_eq!(upcoming[3]["starts_at"], "2026-10-27T09:00:00Z");
    assert!(upcoming.iter().all(|m| m["local_time"] == "10:00" && m["timezone"] == "Europe/Berlin" && m["status"] == "scheduled"));
    assert_eq!(upcoming[3]["local_date"], "2026-10-27");

    // Both people see it in their list, with the other person and the next meeting.
    for (token, other) in [(&p.m, "Tom Teammate"), (&p.tm, "Maria Manager")] {
        let list = ok(get(&t, token, "/api/v1/series").await, 200);
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["other"]["name"], other);
        assert_eq!(list[0]["next"]["id"], upcoming[0]["id"]);
    }
    assert_eq!(ok(get(&t, &p.o, "/api/v1/series").await, 200), json!([]));

    // Bad input, each naming its field; nothing is created.
    let base = json!({"teammate_id": p.teammate.id, "first_date": "2026-10-07", "time": "10:00", "timezone": "UTC"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (k, v) in [
        ("kind", json!("fortnightly")),
        ("cadence", json!("daily")),
        ("first_date", json!("07/10/2026")),
        ("first_date", json!("2026-09-01")),
        ("time", json!("25:00")),
        ("timezone", json!("Mars/Olympus")),
        ("duration_minutes", json!(500)),
        ("colour", json!("blue")),
    ] {
        invalid(send(&t, &p.m, Method::POST, "/api/v1/series", with(k, v)).await, k);
    }
    invalid(send(&t, &p.m, Method::POST, "/api/v1/series", base.clone()).await, "teammate_id"); // one live series per pair
    // A teammate cannot start 1:1s with their manager: not found, like a stranger.
    let r = send(&t, &p.tm, Method::POST, "/api/v1/series", with("teammate_id", json!(p.manager.id))).await;
    assert_eq!(r.0, 404, "{}", r.1);
    assert_eq!(ok(get(&t, &p.m, "/api/v1/series").await, 200).as_array().unwrap().len(), 1);

    // Pause, resume; stale versions and unknown statuses are refused.
    let path = format!("/api/v1/series/{id}");
    invalid(send(&t, &p.m, Method::PATCH, &path, json!({"version": 1, "status": "sleeping"})).await, "status");
    // Only the leader pauses: the policy refuses the teammate, and a refusal is "not found".
    assert_eq!(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 1, "status": "paused"})).await.0, 404);
    let paused = ok(send(&t, &p.m, Method::PATCH, &path, json!({"version": 1, "status": "paused"})).await, 200);
    assert_eq!((paused["status"].as_str(), paused["version"].as_i64()), (Some("paused"), Some(2)));
    conflict(send(&t, &p.m, Method::PATCH, &path, json!({"version": 1, "status": "ended"})).await);
    let list = ok(get(&t, &p.tm, "/api/v1/series").await, 200);
    assert_eq!((list[0]["series"]["status"].as_str(), &list[0]["next"]), (Some("paused"), &Value::Null));
    let resumed = ok(send(&t, &p.m, Method::PATCH, &path, json!({"version": 2, "status": "active"})).await, 200);
    assert_eq!(resumed["status"], "active");

    // History, paged with the `before` cursor.
    t.clock.set(at("2026-10-21T08:00:00Z"));
    let view = ok(get(&t, &p.tm, &path).await, 200);
    let history: Vec<&str> = view["history"].as_array().unwrap().iter().map(|m| s(&m["local_date"])).collect();
    assert_eq!(history, ["2026-10-20", "2026-10-13", "2026-10-06"], "newest first");
    assert_eq!(view["older"], Value::Null, "one page");
    assert_eq!(view["manager"]["name"], "Maria Manager");
    let before = s(&view["history"][1]["starts_at"]).to_string();
    let older = ok(get(&t, &p.tm, &format!("{path}?before={before}")).await, 200);
    assert_eq!(older["history"].as_array().unwrap().len(), 1);
    assert_eq!(older["upcoming"], json!([]), "only the first page shows what is coming");
    invalid(get(&t, &p.tm, &format!("{path}?before=last-week")).await, "before");
}

// ---- meetings ----

async fn the_next_meeting_is_listed_first_when_one_has_just_ended(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let (m0, m1) = (s(&upcoming[0]["id"]).to_string(), s(&upcoming[1]["id"]).to_string());
    // Forty minutes after the first 1:1 (thirty minutes long) started: it is over.
    let start: chrono::DateTime<chrono::Utc> = s(&upcoming[0]["starts_at"]).parse().unwrap();
    t.clock.set(start + chrono::Duration::minutes(40));
    let next = ok(get(&t, &p.m, "/api/v1/meetings/upcoming?limit=1").await, 200);
    assert_eq!(next.as_array().map(|l| l.len()), Some(1), "one meeting asked for, one given: {next}");
    assert_eq!(next[0]["meeting"]["id"], json!(m1), "not {m0}, which is over");
}

async fn meetings_are_listed_marked_moved_and_rated_through_the_api(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let (m0, m1) = (s(&upcoming[0]["id"]).to_string(), s(&upcoming[1]["id"]).to_string());

    let next = ok(get(&t, &p.tm, "/api/v1/meetings/upcoming").await, 200);
    assert_eq!(next[0]["meeting"]["id"], json!(m0));
    assert_eq!(next[0]["other"]["name"], "Maria Manager");
    assert_eq!(next[0]["series"]["cadence"], "weekly");
    assert_eq!(ok(get(&t, &p.m, "/api/v1/meetings/upcoming?limit=2").await, 200).as_array().unwrap().len(), 2);
    for bad in ["0", "101", "lots"] {
        invalid(get(&t, &p.m, &format!("/api/v1/meetings/upcoming?limit={bad}")).await, "limit");
    }

    let view = meeting(&t, &p.m, &m0).await;
    assert_eq!(view["meeting"]["local_time"], "10:00");
    assert_eq!((view["manager"]["name"].as_str(), view["teammate"]["name"].as_str()), (Some("Maria Manager"), Some("Tom Teammate")));
    assert_eq!(view["points"], json!([]));
    assert_eq!((view["shared_note"]["version"].as_i64(), view["private_note"]["version"].as_i64()), (Some(0), Some(0)));
    assert_eq!(view["previous_meeting_id"], Value::Null);
    assert_eq!(view["next"][0]["id"], json!(m1));
    assert_eq!(meeting(&t, &p.tm, &m1).await["previous_meeting_id"], json!(m0));

    // Skipping needs a reason; unknown statuses name the field; nothing changes.
    let path0 = format!("/api/v1/meetings/{m0}");
    invalid(send(&t, &p.m, Method::PATCH, &path0, json!({"version": 1, "status": "skipped"})).await, "reason");
    invalid(send(&t, &p.m, Method::PATCH, &path0, json!({"version": 1, "status": "postponed", "reason": "x"})).await, "status");
    invalid(send(&t, &p.m, Method::PATCH, &path0, json!({"version": 1, "status": "held", "mood": "good"})).await, "mood");

    // Moving keeps where it was; bad dates and times name their field.
    let move1 = format!("/api/v1/meetings/{m1}/move");
    let mv = |date: &str, time: &str| json!({"version": 1, "date": date, "time": time, "reason": "Clash with a launch"});
    invalid(send(&t, &p.tm, Method::POST, &move1, mv("14/10/2026", "14:30")).await, "date");
    invalid(send(&t, &p.tm, Method::POST, &move1, mv("2026-10-14", "2pm")).await, "time");
    invalid(send(&t, &p.tm, Method::POST, &move1, mv("2026-09-14", "14:30")).await, "date");
    invalid(
        send(&t, &p.tm, Method::POST, &move1, json!({"version": 1, "date": "2026-10-14", "time": "14:30", "reason": " "})).await,
        "reason",
    );
    let moved = ok(send(&t, &p.tm, Method::POST, &move1, mv("2026-10-14", "14:30")).await, 200);
    assert_eq!(moved["starts_at"], "2026-10-14T12:30:00Z");
    assert_eq!((moved["local_date"].as_str(), moved["local_time"].as_str()), (Some("2026-10-14"), Some("14:30")));
    assert_eq!(moved["moved_from_at"], "2026-10-13T08:00:00Z");
    assert_eq!(moved["status_reason"], "Clash with a launch");
    assert_eq!(
        (moved["moved_by"].as_str(), moved["status_by"].as_str()),
        (Some(p.teammate.id.0.to_string().as_str()), None),
        "the teammate moved it"
    );
    conflict(send(&t, &p.m, Method::POST, &move1, mv("2026-10-15", "09:00")).await);

    // Rating: the teammate, once it has taken place, 1 to 5.
    let rate0 = format!("/api/v1/meetings/{m0}/rating");
    invalid(send(&t, &p.tm, Method::PUT, &rate0, json!({"rating": 4})).await, "rating");
    t.clock.set(at("2026-10-06T09:00:00Z"));
    // Only the teammate rates: the policy refuses the manager, and a refusal is "not found".
    assert_eq!(send(&t, &p.m, Method::PUT, &rate0, json!({"rating": 4})).await.0, 404);
    invalid(send(&t, &p.tm, Method::PUT, &rate0, json!({"rating": 6})).await, "rating");
    invalid(send(&t, &p.tm, Method::PUT, &rate0, json!({"rating": 4, "comment": "x".repeat(1001)})).await, "comment");
    assert_eq!(send(&t, &p.tm, Method::PUT, &rate0, json!({"rating": "five"})).await.0, 422);
    let rated = ok(send(&t, &p.tm, Method::PUT, &rate0, json!({"rating": 5, "comment": "Clear next steps"})).await, 200);
    assert_eq!((rated["rating"].as_i64(), rated["rating_comment"].as_str()), (Some(5), Some("Clear next steps")));

    // Marked held, from the version last read; the same change again is a conflict.
    let version = meeting(&t, &p.m, &m0).await["meeting"]["version"].clone();
    let held = ok(send(&t, &p.m, Method::PATCH, &path0, json!({"version": version, "status": "held"})).await, 200);
    assert_eq!(held["status"], "held");
    conflict(send(&t, &p.m, Method::PATCH, &path0, json!({"version": version, "status": "held"})).await);
    let skipped = ok(
        send(&t, &p.m, Method::PATCH, &format!("/api/v1/meetings/{m1}"), json!({"version": 2, "status": "cancelled", "reason": "Offsite"}))
            .await,
        200,
    );
    assert_eq!((skipped["status"].as_str(), skipped["status_reason"].as_str()), (Some("cancelled"), Some("Offsite")));
    assert_eq!(skipped["status_by"].as_str(), Some(p.manager.id.0.to_string().as_str()), "the manager cancelled it");
}

// ---- the agenda ----

async fn the_agenda_is_shared_ordered_and_edited_through_the_api(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    let points = format!("/api/v1/meetings/{m0}/points");
    let budget = ok(send(&t, &p.m, Method::POST, &points, json!({"body": "Team budget"})).await, 201);
    assert_eq!((budget["author_id"].clone(), budget["version"].as_i64()), (json!(p.manager.id), Some(1)));
    ok(send(&t, &p.tm, Method::POST, &points, json!({"body": "My promotion case"})).await, 201);
    let how = ok(send(&t, &p.tm, Method::POST, &points, json!({"body": "How are you, really?", "recurring": true})).await, 201);
    assert_eq!((how["recurring"].as_bool(), how["carried_from"].clone()), (Some(true), Value::Null));
    invalid(send(&t, &p.tm, Method::POST, &points, json!({"body": "   "})).await, "body");
    invalid(send(&t, &p.tm, Method::POST, &points, json!({"body": "x".repeat(501)})).await, "body");
    invalid(send(&t, &p.tm, Method::POST, &points, json!({"text": "x"})).await, "text");

    // The teammate's topics first (the meeting is theirs), then the manager's.
    let view = meeting(&t, &p.m, &m0).await;
    assert_eq!(bodies(&view), ["My promotion case", "How are you, really?", "Team budget"]);
    let how_id = s(&how["id"]).to_string();
    assert_eq!(
        ok(send(&t, &p.m, Method::POST, &format!("/api/v1/points/{how_id}/move"), json!({"direction": "up"})).await, 204),
        Value::Null
    );
    assert_eq!(bodies(&meeting(&t, &p.tm, &m0).await), ["How are you, really?", "My promotion case", "Team budget"]);
    invalid(send(&t, &p.m, Method::POST, &format!("/api/v1/points/{how_id}/move"), json!({"direction": "sideways"})).await, "direction");

    // Edits: only the author rewords; either ticks; a stale version is a conflict.
    let view = meeting(&t, &p.m, &m0).await;
    let promo = point(&view, "My promotion case").clone();
    let promo_path = format!("/api/v1/points/{}", s(&promo["id"]));
    invalid(send(&t, &p.m, Method::PATCH, &promo_path, json!({"version": promo["version"], "body": "Reworded"})).await, "body");
    let reworded =
        ok(send(&t, &p.tm, Method::PATCH, &promo_path, json!({"version": promo["version"], "body": "My promotion case, Q1"})).await, 200);
    assert_eq!(reworded["body"], "My promotion case, Q1");
    conflict(send(&t, &p.m, Method::PATCH, &promo_path, json!({"version": promo["version"], "discussed": true})).await);
    let budget_path = format!("/api/v1/points/{}", s(&budget["id"]));
    let ticked = ok(send(&t, &p.tm, Method::PATCH, &budget_path, json!({"version": 1, "discussed": true})).await, 200);
    assert_eq!((ticked["discussed"].as_bool(), ticked["version"].as_i64()), (Some(true), Some(2)));

    // Removing: the author only, from the current version, which the query string carries.
    invalid(call(&t, &p.tm, Method::DELETE, &format!("{budget_path}?version=2"), None).await, "body");
    invalid(call(&t, &p.m, Method::DELETE, &budget_path, None).await, "version");
    invalid(call(&t, &p.m, Method::DELETE, &format!("{budget_path}?version=two"), None).await, "version");
    conflict(call(&t, &p.m, Method::DELETE, &format!("{budget_path}?version=1"), None).await);
    assert_eq!(call(&t, &p.m, Method::DELETE, &format!("{budget_path}?version=2"), None).await, (204, Value::Null));
    assert_eq!(bodies(&meeting(&t, &p.tm, &m0).await), ["How are you, really?", "My promotion case, Q1"]);
}

async fn topics_not_discussed_move_on_and_show_where_they_came_from(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let (m0, m1) = (s(&upcoming[0]["id"]).to_string(), s(&upcoming[1]["id"]).to_string());
    let points = format!("/api/v1/meetings/{m0}/points");
    ok(send(&t, &p.tm, Method::POST, &points, json!({"body": "Career growth"})).await, 201);
    let budget = ok(send(&t, &p.m, Method::POST, &points, json!({"body": "Team budget"})).await, 201);
    ok(send(&t, &p.m, Method::PATCH, &format!("/api/v1/points/{}", s(&budget["id"])), json!({"version": 1, "discussed": true})).await, 200);
    assert_eq!(meeting(&t, &p.tm, &m1).await["points"], json!([]), "nothing moves before the meeting is over");

    // A week later the first meeting is long over: what was not discussed is on the next one.
    t.clock.advance(Duration::days(7));
    let next = ok(get(&t, &p.tm, "/api/v1/meetings/upcoming").await, 200);
    assert_eq!(next[0]["meeting"]["id"], json!(m1));
    let view = meeting(&t, &p.tm, &m1).await;
    assert_eq!(bodies(&view), ["Career growth"]);
    assert_eq!(point(&view, "Career growth")["carried_from"], json!(m0), "it shows where it came from");
    assert_eq!(view["previous_meeting_id"], json!(m0));
    // Once: looking again does not copy it again, and the first meeting keeps its record.
    assert_eq!(bodies(&meeting(&t, &p.m, &m1).await).len(), 1);
    let first = meeting(&t, &p.m, &m0).await;
    assert_eq!(point(&first, "Career growth")["discussed"], false);
    assert_eq!(point(&first, "Career growth")["carried_from"], Value::Null);
}

// ---- notes ----

async fn notes_merge_or_conflict_and_never_lose_words(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    let shared = format!("/api/v1/meetings/{m0}/notes/shared");

    let first =
        ok(send(&t, &p.m, Method::PUT, &shared, json!({"body": "# Plan\n\n<script>alert(1)</script>\n", "base_version": 0})).await, 200);
    assert_eq!((first["merged"].as_bool(), first["note"]["version"].as_i64()), (Some(false), Some(1)));
    let html = s(&first["note"]["html"]);
    assert!(html.contains("Plan</h1>") && !html.contains("<script"), "rendered safely: {html}");

    let put = |token: &str, body: &str, base: i64| put_note(&t, token.to_string(), shared.clone(), body.to_string(), base);
    ok(put(&p.m, "a\nb\nc\nd\ne\n", 1).await, 200);
    // Two people edit version 2 at once, on different lines: both changes are kept.
    let mine = ok(put(&p.m, "A\nb\nc\nd\ne\n", 2).await, 200);
    assert_eq!(mine["merged"], false);
    let theirs = ok(put(&p.tm, "a\nb\nc\nd\nE\n", 2).await, 200);
    assert_eq!(theirs["merged"], true);
    assert_eq!((theirs["note"]["body"].as_str(), theirs["note"]["version"].as_i64()), (Some("A\nb\nc\nd\nE\n"), Some(4)));

    // Both change the same line: refused with the current note and both texts, nothing saved.
    ok(put(&p.m, "A\nb\nc as Maria sees it\nd\nE\n", 4).await, 200);
    let (status, body) = put(&p.tm, "A\nb\nc as Tom sees it\nd\nE\n", 4).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert_eq!(
        (body["current"]["body"].as_str(), body["current"]["version"].as_i64()),
        (Some("A\nb\nc as Maria sees it\nd\nE\n"), Some(5))
    );
    let merged = s(&body["merged_text"]);
    assert!(merged.contains("c as Maria sees it") && merged.contains("c as Tom sees it"), "{merged}");
    assert_eq!(merged, "A\nb\nc as Tom sees it\nc as Maria sees it\nd\nE\n", "both kept, yours first, no marks");
    assert_eq!(
        body["parts"],
        json!([
            {"kind": "same", "text": "A\nb\n"},
            {"kind": "differ", "mine": "c as Tom sees it\n", "theirs": "c as Maria sees it\n"},
            {"kind": "same", "text": "d\nE\n"}
        ])
    );
    let now = meeting(&t, &p.tm, &m0).await;
    assert_eq!(now["shared_note"]["body"], "A\nb\nc as Maria sees it\nd\nE\n");
    // Settled and saved on top of the current version.
    let settled = ok(put(&p.tm, "A\nb\nc as we agreed\nd\nE\n", 5).await, 200);
    assert_eq!((settled["merged"].as_bool(), settled["note"]["version"].as_i64()), (Some(false), Some(6)));

    invalid(put(&p.tm, &"x".repeat(20_001), 6).await, "body");
    invalid(send(&t, &p.tm, Method::PUT, &shared, json!({"body": "no base"})).await, "base_version");
    let private = format!("/api/v1/meetings/{m0}/notes/private");
    let mine = ok(send(&t, &p.tm, Method::PUT, &private, json!({"body": "Ask about the team lead role", "base_version": 0})).await, 200);
    assert_eq!(mine["note"]["version"], 1);
    // A second window that also started from nothing only added words: both are kept.
    let both = ok(send(&t, &p.tm, Method::PUT, &private, json!({"body": "Something else", "base_version": 0})).await, 200);
    assert_eq!(
        (both["merged"].as_bool(), both["note"]["body"].as_str()),
        (Some(true), Some("Something else\nAsk about the team lead role\n"))
    );
    // Two windows changing the same line clash.
    ok(send(&t, &p.tm, Method::PUT, &private, json!({"body": "Something else\nAsk about the staff role\n", "base_version": 2})).await, 200);
    let (status, body) =
        send(&t, &p.tm, Method::PUT, &private, json!({"body": "Something else\nAsk about the manager role\n", "base_version": 2})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["current"]["body"], "Something else\nAsk about the staff role\n");
}

async fn private_notes_never_reach_the_other_person(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    let note = |kind: &str| format!("/api/v1/meetings/{m0}/notes/{kind}");
    ok(send(&t, &p.m, Method::PUT, &note("private"), json!({"body": "Worried about burnout", "base_version": 0})).await, 200);
    ok(send(&t, &p.tm, Method::PUT, &note("private"), json!({"body": "Ask for a raise soon", "base_version": 0})).await, 200);
    ok(send(&t, &p.tm, Method::PUT, &note("shared"), json!({"body": "Sprint planning", "base_version": 0})).await, 200);

    let as_manager = meeting(&t, &p.m, &m0).await;
    let as_teammate = meeting(&t, &p.tm, &m0).await;
    assert_eq!(as_manager["private_note"]["body"], "Worried about burnout");
    assert_eq!(as_teammate["private_note"]["body"], "Ask for a raise soon");
    assert!(!as_teammate.to_string().contains("burnout"), "{as_teammate}");
    assert!(!as_manager.to_string().contains("raise soon"), "{as_manager}");
    assert_eq!(as_teammate["shared_note"]["body"], "Sprint planning");

    // Search: each finds their own private note, marked private; nobody else does.
    let found = ok(get(&t, &p.m, "/api/v1/search?q=burnout").await, 200);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!((found[0]["kind"].as_str(), found[0]["private"].as_bool()), (Some("note"), Some(true)));
    assert!(s(&found[0]["snippet_html"]).contains("<mark>"), "{found}");
    for token in [&p.tm, &p.a, &p.o] {
        assert_eq!(ok(get(&t, token, "/api/v1/search?q=burnout").await, 200), json!([]));
    }
    assert_eq!(ok(get(&t, &p.m, "/api/v1/search?q=raise").await, 200), json!([]));
    let own = ok(get(&t, &p.tm, "/api/v1/search?q=raise").await, 200);
    assert_eq!((own.as_array().unwrap().len(), own[0]["private"].as_bool()), (1, Some(true)));
    let shared = ok(get(&t, &p.m, "/api/v1/search?q=sprint").await, 200);
    assert_eq!((shared.as_array().unwrap().len(), shared[0]["private"].as_bool()), (1, Some(false)));
    // The upcoming list and the series view carry no note text at all.
    for path in ["/api/v1/meetings/upcoming", "/api/v1/series"] {
        assert!(!ok(get(&t, &p.tm, path).await, 200).to_string().contains("burnout"));
    }
}

// ---- action items ----

async fn action_items_through_the_api(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    let actions = format!("/api/v1/meetings/{m0}/actions");
    let draft = ok(
        send(
            &t,
            &p.m,
            Method::POST,
            &actions,
            json!({"body": "Draft the promotion case", "owner_id": p.teammate.id, "due_date": "2026-10-20"}),
        )
        .await,
        201,
    );
    assert_eq!(
        (draft["kind"].as_str(), draft["due_date"].as_str(), draft["done"].as_bool()),
        (Some("normal"), Some("2026-10-20"), Some(false))
    );
    let help = ok(
        send(
            &t,
            &p.tm,
            Method::POST,
            &actions,
            json!({"body": "Introduce Tom to the platform team", "owner_id": p.manager.id, "kind": "help"}),
        )
        .await,
        201,
    );
    assert_eq!((help["kind"].as_str(), help["due_date"].clone()), (Some("help"), Value::Null));

    let bad = |k: &str, v: Value| {
        let mut b = json!({"body": "Something", "owner_id": p.teammate.id});
        b[k] = v;
        b
    };
    for (k, v, field) in [
        ("kind", json!("urgent"), "kind"),
        ("due_date", json!("next week"), "due_date"),
        ("owner_id", json!(p.outsider.id), "owner_id"),
        ("kind", json!("help"), "owner_id"), // "How can I help?" belongs to the manager
        ("body", json!(""), "body"),
        ("body", json!("x".repeat(301)), "body"),
        ("priority", json!(1), "priority"),
    ] {
        invalid(send(&t, &p.m, Method::POST, &actions, bad(k, v)).await, field);
    }

    // Each person's open items, across their 1:1s; "How can I help?" on its own.
    let mine = ok(get(&t, &p.tm, "/api/v1/actions").await, 200);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(
        (mine[0]["action"]["body"].as_str(), mine[0]["other"]["name"].as_str()),
        (Some("Draft the promotion case"), Some("Maria Manager"))
    );
    let helps = ok(get(&t, &p.m, "/api/v1/actions?kind=help").await, 200);
    assert_eq!((helps.as_array().unwrap().len(), helps[0]["action"]["kind"].as_str()), (1, Some("help")));
    assert_eq!(ok(get(&t, &p.tm, "/api/v1/actions?kind=help").await, 200), json!([]));
    invalid(get(&t, &p.m, "/api/v1/actions?kind=urgent").await, "kind");

    // Changes: null clears the due date, absent keeps it; stale versions conflict.
    let path = format!("/api/v1/actions/{}", s(&draft["id"]));
    let cleared = ok(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 1, "due_date": null})).await, 200);
    assert_eq!((cleared["due_date"].clone(), cleared["version"].as_i64()), (Value::Null, Some(2)));
    let dated = ok(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 2, "due_date": "2026-11-02"})).await, 200);
    assert_eq!(dated["due_date"], "2026-11-02");
    let reworded = ok(send(&t, &p.m, Method::PATCH, &path, json!({"version": 3, "body": "Draft the case for Q1"})).await, 200);
    assert_eq!((reworded["due_date"].as_str(), reworded["body"].as_str()), (Some("2026-11-02"), Some("Draft the case for Q1")));
    conflict(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 3, "done": true})).await);
    invalid(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 4, "due_date": "soon"})).await, "due_date");
    invalid(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 4, "owner_id": p.outsider.id})).await, "owner_id");
    invalid(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 4, "body": " "})).await, "body");
    let done = ok(send(&t, &p.tm, Method::PATCH, &path, json!({"version": 4, "done": true})).await, 200);
    assert_eq!(done["done"], true);
    assert!(done["done_at"].is_string());
    assert_eq!(ok(get(&t, &p.tm, "/api/v1/actions").await, 200), json!([]), "done items leave the open list");
    let view = meeting(&t, &p.m, &m0).await;
    assert_eq!(view["actions"].as_array().unwrap().len(), 2, "the meeting keeps both: {view}");
}

// ---- who may see what ----

async fn outsiders_get_exactly_the_answer_for_a_missing_id(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (series, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let (sid, mid) = (s(&series["id"]).to_string(), s(&upcoming[0]["id"]).to_string());
    let pt = ok(send(&t, &p.tm, Method::POST, &format!("/api/v1/meetings/{mid}/points"), json!({"body": "Salary review"})).await, 201);
    let act = ok(
        send(
            &t,
            &p.tm,
            Method::POST,
            &format!("/api/v1/meetings/{mid}/actions"),
            json!({"body": "Send the numbers", "owner_id": p.teammate.id}),
        )
        .await,
        201,
    );
    let (pid, aid) = (s(&pt["id"]).to_string(), s(&act["id"]).to_string());
    let cases: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, "/api/v1/series/{S}".into(), None),
        (Method::PATCH, "/api/v1/series/{S}".into(), Some(json!({"version": 1, "status": "paused"}))),
        (Method::GET, "/api/v1/meetings/{M}".into(), None),
        (Method::PATCH, "/api/v1/meetings/{M}".into(), Some(json!({"version": 1, "status": "held"}))),
        (
            Method::POST,
            "/api/v1/meetings/{M}/move".into(),
            Some(json!({"version": 1, "date": "2026-10-07", "time": "10:00", "reason": "x"})),
        ),
        (Method::PUT, "/api/v1/meetings/{M}/rating".into(), Some(json!({"rating": 3}))),
        (Method::POST, "/api/v1/meetings/{M}/points".into(), Some(json!({"body": "x"}))),
        (Method::PUT, "/api/v1/meetings/{M}/notes/shared".into(), Some(json!({"body": "x", "base_version": 0}))),
        (Method::PUT, "/api/v1/meetings/{M}/notes/private".into(), Some(json!({"body": "x", "base_version": 0}))),
        (Method::POST, "/api/v1/meetings/{M}/actions".into(), Some(json!({"body": "x", "owner_id": p.outsider.id}))),
        (Method::PATCH, "/api/v1/points/{P}".into(), Some(json!({"version": 1, "discussed": true}))),
        (Method::POST, "/api/v1/points/{P}/move".into(), Some(json!({"direction": "up"}))),
        (Method::DELETE, "/api/v1/points/{P}?version=1".into(), None),
        (Method::PATCH, "/api/v1/actions/{A}".into(), Some(json!({"version": 1, "done": true}))),
    ];
    let random = uuid::Uuid::new_v4().to_string();
    for (method, template, body) in cases {
        let real = template.replace("{S}", &sid).replace("{M}", &mid).replace("{P}", &pid).replace("{A}", &aid);
        let missing = template.replace("{S}", &random).replace("{M}", &random).replace("{P}", &random).replace("{A}", &random);
        let answer_missing = call(&t, &p.o, method.clone(), &missing, body.clone()).await;
        assert_eq!(answer_missing.0, 404, "{method} {missing}: {}", answer_missing.1);
        // The outsider, and the manager's own manager (an admin): the same answer as for nothing.
        for token in [&p.o, &p.a] {
            let answer = call(&t, token, method.clone(), &real, body.clone()).await;
            assert_eq!(answer, answer_missing, "{method} {real}");
        }
    }
    // Nothing they tried left a trace.
    let view = meeting(&t, &p.tm, &mid).await;
    assert_eq!(bodies(&view), ["Salary review"]);
    assert_eq!((view["shared_note"]["version"].as_i64(), view["private_note"]["version"].as_i64()), (Some(0), Some(0)));
    assert_eq!((view["meeting"]["version"].as_i64(), view["meeting"]["status"].as_str()), (Some(1), Some("scheduled")));
    assert_eq!(view["actions"][0]["done"], false);
    assert_eq!(view["series"]["status"], "active");
    for token in [&p.o, &p.a] {
        assert_eq!(ok(get(&t, token, "/api/v1/search?q=salary").await, 200), json!([]));
        assert_eq!(ok(get(&t, token, "/api/v1/meetings/upcoming").await, 200), json!([]));
        assert_eq!(ok(get(&t, token, "/api/v1/actions").await, 200), json!([]));
    }
    // Without a token: 401.
    let r = plain().get(t.url("/api/v1/series")).send().await.unwrap();
    assert_eq!(r.status(), 401);
}

// ---- search ----

async fn search_through_the_api_is_filtered_and_escaped(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    ok(send(&t, &p.tm, Method::POST, &format!("/api/v1/meetings/{m0}/points"), json!({"body": "Career growth plan"})).await, 201);
    ok(
        send(
            &t,
            &p.m,
            Method::POST,
            &format!("/api/v1/meetings/{m0}/actions"),
            json!({"body": "Read <b>growth</b> book & notes", "owner_id": p.teammate.id}),
        )
        .await,
        201,
    );
    let hits = ok(get(&t, &p.m, "/api/v1/search?q=growth").await, 200);
    let hits = hits.as_array().unwrap();
    let mut kinds: Vec<&str> = hits.iter().map(|h| s(&h["kind"])).collect();
    kinds.sort();
    assert_eq!(kinds, ["action", "point"]);
    for h in hits {
        assert_eq!((h["meeting_id"].as_str(), h["other"]["name"].as_str()), (Some(m0.as_str()), Some("Tom Teammate")));
        assert_eq!(h["occurred_at"], "2026-10-06T08:00:00Z");
        let snippet = s(&h["snippet_html"]);
        assert!(snippet.contains("<mark>growth</mark>") && !snippet.contains("<b>"), "{snippet}");
        if h["kind"] == "action" {
            // The index holds plain text (markup characters blanked), so typed tags never come
            // back as HTML, and the words around them stay findable on both databases.
            assert!(!snippet.contains("</b>") && !snippet.contains('&'), "typed text is plain: {snippet}");
        }
    }
    let count = |r: Value| r.as_array().unwrap().len();
    assert_eq!(count(ok(get(&t, &p.m, "/api/v1/search?q=book%20notes").await, 200)), 1, "words after tag-like text are indexed");
    let q = |extra: &str| format!("/api/v1/search?q=growth&{extra}");
    assert_eq!(count(ok(get(&t, &p.m, &q(&format!("with={}", p.teammate.id))).await, 200)), 2);
    assert_eq!(count(ok(get(&t, &p.m, &q(&format!("with={}", p.outsider.id))).await, 200)), 0);
    assert_eq!(count(ok(get(&t, &p.m, &q("from=2026-10-06&to=2026-10-06")).await, 200)), 2, "a date covers its whole day");
    assert_eq!(count(ok(get(&t, &p.m, &q("from=2026-10-07")).await, 200)), 0);
    assert_eq!(count(ok(get(&t, &p.m, &q("to=2026-10-06T08:00:00Z")).await, 200)), 0, "`to` is exclusive");
    assert_eq!(count(ok(get(&t, &p.tm, "/api/v1/search?q=").await, 200)), 0);
    invalid(get(&t, &p.m, &q("with=tom")).await, "with");
    invalid(get(&t, &p.m, &q("from=yesterday")).await, "from");
    invalid(get(&t, &p.m, &q("to=2026-13-01")).await, "to");
    invalid(get(&t, &p.m, &format!("/api/v1/search?q={}", "a".repeat(201))).await, "q");
}

async fn a_browser_session_uses_the_api_with_its_csrf_token(t: TestApp) {
    let p = a_manager_with_a_report_and_their_tokens(&t).await;
    let (_, upcoming) = weekly_one_on_ones_through_the_api(&t, &p).await;
    let m0 = s(&upcoming[0]["id"]).to_string();
    let (browser, csrf) = t.signed_in(&p.teammate.email).await;
    let url = t.url(&format!("/api/v1/meetings/{m0}/points"));
    let r = browser.post(&url).json(&json!({"body": "Forged"})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = browser.post(&url).header("x-csrf-token", &csrf).json(&json!({"body": "From the page"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let view: Value = browser.get(t.url(&format!("/api/v1/meetings/{m0}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(bodies(&view), ["From the page"]);
}

// ---- the command line ----

fn run(mut c: std::process::Command) -> (bool, String, String) {
    let out = c.output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// The data directory is filled through the library (the real clock: the series starts in
/// three days), then the binary runs on it as an operator would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_lists_someones_next_meetings_in_their_time_zone_and_their_open_actions() {
    use rapport::app::App;
    use rapport::app::meetings::SeriesInput;
    use rapport::app::people::PersonInput;
    use rapport::domain::meeting::{ActionKind, SeriesKind};
    use rapport::domain::schedule::Cadence;

    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let db = rapport::store::Db::connect(&rapport::store::sqlite_url_for(&dir.path().join("data"))).await.unwrap();
    db.migrate().await.unwrap();
    let app = App::new(db.clone(), rapport::config::Config::default());
    let admin = app
        .create_first_admin(rapport::app::accounts::NewAdmin {
            name: "Ada Admin".into(),
            email: "ada@example.com".into(),
            password: crate::support::PASSWORD.into(),
            timezone: "UTC".into(),
            title: String::new(),
        })
        .await
        .unwrap();
    let person = |name: &str, email: &str, tz: &str, manager| PersonInput {
        name: name.into(),
        email: email.into(),
        title: String::new(),
        timezone: tz.into(),
        manager_id: Some(manager),
        is_admin: false,
    };
    let maria = app.create_person(&admin, person("Maria Manager", "maria@example.com", "America/New_York", admin.id)).await.unwrap();
    let tom = app.create_person(&admin, person("Tom Teammate", "tom@example.com", "Asia/Kolkata", maria.id)).await.unwrap();
    let first = (chrono::Utc::now() + Duration::days(3)).date_naive();
    let series = app
        .create_series(
            &maria,
            SeriesInput {
                teammate_id: tom.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: first,
                time: "10:00".into(),
                timezone: "Europe/Berlin".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    let meetings = app.series_view(&maria, series.id, None).await.unwrap().upcoming;
    let m0 = &meetings[0];
    app.add_action(&maria, m0.id, "Send the\tpromotion\nnotes", tom.id, first.succ_opt(), ActionKind::Normal).await.unwrap();
    app.add_action(&tom, m0.id, "Find Tom a mentor", maria.id, None, ActionKind::Help).await.unwrap();
    app.save_note(&maria, m0.id, true, "Worried about burnout", 0).await.unwrap();
    db.close().await;

    // Tom's next 1:1s, at Tom's local time (Kolkata), not the series' (Berlin).
    let (ok_, out, err) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["meetings", "upcoming", "--email", "TOM@example.com", "--limit", "2"]);
        c
    });
    assert!(ok_, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "a header row and two 1:1s: {out}");
    assert_eq!(lines[0], "date\ttime\twith\tseries");
    let local = m0.starts_at.with_timezone(&chrono_tz::Asia::Kolkata);
    let cols: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(cols[0], local.format("%a %Y-%m-%d").to_string());
    assert!(cols[1].starts_with(&local.format("%H:%M").to_string()), "{out}");
    assert_eq!(&cols[2..], ["Maria Manager", "active"]);
    // Maria's, at hers.
    let (_, out, _) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["meetings", "upcoming", "--email", "maria@example.com"]);
        c
    });
    let ny = m0.starts_at.with_timezone(&chrono_tz::America::New_York).format("%H:%M").to_string();
    assert!(out.lines().nth(1).unwrap().split('\t').nth(1).unwrap().starts_with(&ny), "{out}");
    assert!(out.lines().skip(1).all(|l| l.contains("Tom Teammate")));

    // Open action items: due date, owner, text (on one line), with whom.
    let (ok_, out, err) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["actions", "list", "--email", "tom@example.com"]);
        c
    });
    assert!(ok_, "{err}");
    assert_eq!(
        out,
        format!("due\towner\taction\twith\n{}\tTom Teammate\tSend the promotion notes\tMaria Manager\n", first.succ_opt().unwrap())
    );
    let (_, out, _) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["actions", "list", "--email", "maria@example.com", "--help-only"]);
        c
    });
    assert_eq!(out, "due\towner\taction\twith\n-\tMaria Manager\tHow can I help: Find Tom a mentor\tTom Teammate\n");
    let (_, out, err) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["actions", "list", "--email", "ada@example.com"]);
        c
    });
    assert_eq!(out, "");
    assert!(err.contains("No open action items for ada@example.com."), "{err}");
    // No command prints note text, private or shared.
    for args in [["meetings", "upcoming", "--email", "maria@example.com"], ["actions", "list", "--email", "maria@example.com"]] {
        let mut c = rapport_cli(dir.path());
        c.args(args);
        let (_, out, err) = run(c);
        assert!(!out.contains("burnout") && !err.contains("burnout"));
    }
    let (ok_, _, err) = run({
        let mut c = rapport_cli(dir.path());
        c.args(["meetings", "upcoming", "--email", "nobody@example.com"]);
        c
    });
    assert!(!ok_);
    assert!(err.contains("no one with the e-mail nobody@example.com"), "{err}");
}

// ---- the OpenAPI document ----

/// The document is well formed where generators are strict: every answer has a description,
/// query parameters are not declared as path parameters, and the note conflict is described.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_is_complete_where_generators_are_strict() {
    let t = crate::support::spawn(crate::support::Backend::Sqlite).await;
    let doc: Value = plain().get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status} has no description");
            }
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = s(&param["name"]);
                    assert!(path.contains(&format!("{{{name}}}")), "{method} {path}: `{name}` is declared as a path parameter");
                }
            }
        }
    }
    let shared = &doc["paths"]["/api/v1/meetings/{id}/notes/shared"]["put"]["responses"];
    assert_eq!(shared["409"]["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/NoteConflictDto");
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["MeetingStatus"]["enum"], json!(["scheduled", "held", "skipped", "cancelled"]));
    for name in ["MeetingViewDto", "SeriesViewDto", "SearchHitDto", "CreateSeries", "UpdateAction", "SeriesKind", "Cadence", "ActionKind"] {
        assert!(schemas[name].is_object(), "{name} is not in the document");
    }
}
