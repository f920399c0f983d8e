//! Issue 12, finding 6: a change of manager does not hand the previous manager's writing to the
//! new one (admin or not); of the person's own record, the new manager reads what the person
//! hands over. Every change of reporting line is recorded (who, when) and told to the person
//! and both managers; a change back within two weeks resumes the pair's series.

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, plain, weekly_one_on_ones};
use chrono::Duration;
use rapport::clock::Clock;
use rapport::domain::meeting::SeriesStatus;
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(
    an_admin_who_makes_themselves_manager_inherits_none_of_the_past,
    a_new_manager_who_is_not_an_admin_inherits_none_of_the_past,
    a_new_manager_reads_what_the_person_hands_over_and_nothing_else,
    every_change_of_reporting_line_is_recorded_and_told_to_the_three,
    a_change_back_within_two_weeks_resumes_the_series_and_later_does_not,
);

async fn api(t: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let c = plain();
    let url = t.url(path);
    let req = match method {
        "GET" => c.get(url),
        "PUT" => c.put(url),
        "PATCH" => c.patch(url),
        _ => c.post(url),
    }
    .bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// What Emil (and Ivy) wrote while Emil was Ivy's manager.
struct Past {
    period: String,
    setback: String,
}

async fn emil_writes_the_past(t: &TestApp, o: &Org) -> Past {
    let ada = t.token(&o.ada).await;
    let emil = t.token(&o.emil).await;
    let ivy = o.ivy.id;
    let (s, period) =
        api(t, &ada, "POST", "/api/v1/review-periods", Some(json!({"name": "Year", "starts_on": "2000-01-01", "ends_on": "2099-12-31"})))
            .await;
    assert_eq!(s, 201, "{period}");
    let period = period["id"].as_str().unwrap().to_string();
    let (s, b) = api(
        t,
        &emil,
        "POST",
        &format!("/api/v1/people/{ivy}/reviews/{period}/statements"),
        Some(json!({"kind": "concern", "body": "OLD-REVIEW missed two deadlines"})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = api(t, &emil, "POST", &format!("/api/v1/people/{ivy}/reviews/{period}/share"), None).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = api(t, &emil, "POST", &format!("/api/v1/people/{ivy}/strengths"), Some(json!({"name": "OLD-STRENGTH debugging"}))).await;
    assert!(s == 200 || s == 201, "{b}");
    let yesterday = (Clock::now(&t.clock).date_naive() - Duration::days(1)).to_string();
    let (s, b) = api(
        t,
        &emil,
        "POST",
        &format!("/api/v1/people/{ivy}/setbacks"),
        Some(json!({"occurred_on": yesterday, "facts": "OLD-SETBACK the release slipped", "contexts": ["competing_priorities"]})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let setback = b["record"]["id"].as_str().or(b["id"].as_str()).unwrap().to_string();
    let (s, b) = api(t, &emil, "PUT", &format!("/api/v1/people/{ivy}/about"), Some(json!({"interests": "OLD-ABOUT sailing"}))).await;
    assert_eq!(s, 200, "{b}");
    // Time passes before the change.
    t.clock.advance(Duration::hours(2));
    Past { period, setback }
}

/// Everything `token` can read of Ivy's past, as (what, status, body).
async fn reads(t: &TestApp, token: &str, o: &Org, past: &Past) -> Vec<(&'static str, u16, String)> {
    let ivy = o.ivy.id;
    let mut out = vec![];
    for (what, path) in [
        ("growth", format!("/api/v1/people/{ivy}/growth")),
        ("packet", format!("/api/v1/people/{ivy}/packet?period={}", past.period)),
        ("review", format!("/api/v1/people/{ivy}/reviews/{}", past.period)),
        ("setbacks", format!("/api/v1/people/{ivy}/setbacks")),
        ("setback", format!("/api/v1/setbacks/{}", past.setback)),
        ("about", format!("/api/v1/people/{ivy}/about")),
    ] {
        let (s, b) = api(t, token, "GET", &path, None).await;
        out.push((what, s, b.to_string()));
    }
    out
}

fn assert_nothing_of_the_past(reads: &[(&str, u16, String)], who: &str) {
    for (what, s, body) in reads {
        assert!(!body.contains("OLD-"), "{who} reads the past through {what}: {body}");
        match *what {
            // Their own (empty) about page and their own (empty) list of setback records.
            "about" | "setbacks" => assert_eq!(*s, 200, "{who} {what}"),
            _ => assert_eq!(*s, 404, "{who} {what}: {body}"),
        }
    }
}

async fn set_manager(t: &TestApp, token: &str, person: Uuid, manager: Uuid) -> (u16, Value) {
    let p = rapport::store::people::get(&t.app.db, rapport::domain::PersonId(person)).await.unwrap().unwrap();
    api(t, token, "PATCH", &format!("/api/v1/people/{person}"), Some(json!({"manager_id": manager, "version": p.version}))).await
}

async fn an_admin_who_makes_themselves_manager_inherits_none_of_the_past(t: TestApp) {
    let o = an_organisation(&t).await;
    let past = emil_writes_the_past(&t, &o).await;
    let ada = t.token(&o.ada).await;
    // Before: not found, all of it.
    for (what, s, _) in reads(&t, &ada, &o, &past).await {
        assert_eq!(s, 404, "before: {what}");
    }
    let (s, b) = set_manager(&t, &ada, o.ivy.id.0, o.ada.id.0).await;
    assert_eq!(s, 200, "{b}");
    assert_nothing_of_the_past(&reads(&t, &ada, &o, &past).await, "the admin as new manager");
    // Nor can they change the previous manager's review.
    let (s, _) = api(
        &t,
        &ada,
        "POST",
        &format!("/api/v1/people/{}/reviews/{}/statements", o.ivy.id, past.period),
        Some(json!({"kind": "praise", "body": "x"})),
    )
    .await;
    assert_eq!(s, 404);
    // The previous manager keeps nothing of the line either, as before.
    let emil = t.token(&o.emil).await;
    assert_eq!(api(&t, &emil, "GET", &format!("/api/v1/people/{}/growth", o.ivy.id), None).await.0, 404);
    // Ivy still reads her own record.
    let ivy = t.token(&o.ivy).await;
    let (s, b) = api(&t, &ivy, "GET", &format!("/api/v1/people/{}/reviews/{}", o.ivy.id, past.period), None).await;
    assert_eq!(s, 200);
    assert!(b.to_string().contains("OLD-REVIEW"));
}

async fn a_new_manager_who_is_not_an_admin_inherits_none_of_the_past(t: TestApp) {
    let o = an_organisation(&t).await;
    let past = emil_writes_the_past(&t, &o).await;
    let ada = t.token(&o.ada).await;
    let (s, _) = set_manager(&t, &ada, o.ivy.id.0, o.otto.id.0).await;
    assert_eq!(s, 200);
    let otto = t.token(&o.otto).await;
    assert_nothing_of_the_past(&reads(&t, &otto, &o, &past).await, "Otto");
    // What the new manager writes from now on is theirs: a strength they add, a setback they record.
    let (s, _) = api(&t, &otto, "POST", &format!("/api/v1/people/{}/strengths", o.ivy.id), Some(json!({"name": "NEW-STRENGTH"}))).await;
    assert!(s == 200 || s == 201);
    let today = Clock::now(&t.clock).date_naive().to_string();
    let (s, b) = api(
        &t,
        &otto,
        "POST",
        &format!("/api/v1/people/{}/setbacks", o.ivy.id),
        Some(json!({"occurred_on": today, "facts": "NEW-SETBACK a late start", "contexts": ["missing_support"]})),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let (s, list) = api(&t, &otto, "GET", &format!("/api/v1/people/{}/setbacks", o.ivy.id), None).await;
    assert_eq!(s, 200);
    assert!(list.to_string().contains("NEW-SETBACK") && !list.to_string().contains("OLD-SETBACK"));
}

async fn a_new_manager_reads_what_the_person_hands_over_and_nothing_else(t: TestApp) {
    let o = an_organisation(&t).await;
    let past = emil_writes_the_past(&t, &o).await;
    let ada = t.token(&o.ada).await;
    let ivy = t.token(&o.ivy).await;
    // With her first manager there is nothing to hand over.
    let (s, h) = api(&t, &ivy, "GET", "/api/v1/me/handoff", None).await;
    assert_eq!((s, h["new_manager_id"].clone()), (200, Value::Null));
    assert_eq!(api(&t, &ivy, "POST", "/api/v1/me/handoff", Some(json!({"items": ["growth"]}))).await.0, 422);

    set_manager(&t, &ada, o.ivy.id.0, o.otto.id.0).await;
    let (s, h) = api(&t, &ivy, "GET", "/api/v1/me/handoff", None).await;
    assert_eq!(s, 200);
    assert_eq!(h["new_manager_id"], json!(o.otto.id.0));
    assert!(h["items"].as_array().unwrap().iter().all(|i| i["handed_over"] == false), "{h}");
    // An unknown item is named, and nothing is saved.
    let (s, e) = api(&t, &ivy, "POST", "/api/v1/me/handoff", Some(json!({"items": ["growth", "private_notes"]}))).await;
    assert_eq!(s, 422, "{e}");
    let otto = t.token(&o.otto).await;
    assert_eq!(api(&t, &otto, "GET", &format!("/api/v1/people/{}/growth", o.ivy.id), None).await.0, 404);
    // Nobody else chooses for her.
    assert_eq!(api(&t, &otto, "GET", "/api/v1/me/handoff", None).await.1["new_manager_id"], Value::Null);

    let (s, h) = api(&t, &ivy, "POST", "/api/v1/me/handoff", Some(json!({"items": ["growth", "shared_reviews"]}))).await;
    assert_eq!(s, 200, "{h}");
    let handed: Vec<&str> =
        h["items"].as_array().unwrap().iter().filter(|i| i["handed_over"] == true).map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(handed, vec!["growth", "shared_reviews"]);
    let got = reads(&t, &otto, &o, &past).await;
    let status = |w: &str| got.iter().find(|(x, _, _)| *x == w).unwrap().1;
    let body = |w: &str| got.iter().find(|(x, _, _)| *x == w).unwrap().2.clone();
    assert_eq!(status("growth"), 200);
    assert!(body("growth").contains("OLD-STRENGTH"));
    assert_eq!(status("packet"), 200);
    assert_eq!(status("review"), 200);
    assert!(body("review").contains("OLD-REVIEW"), "the shared review, handed over");
    // Never the previous manager's own writing.
    assert!(!body("setbacks").contains("OLD-SETBACK"));
    assert_eq!(status("setback"), 404);
    assert!(!body("about").contains("OLD-ABOUT"));
    // A handed-over review is read, not changed.
    let (s, _) = api(
        &t,
        &otto,
        "POST",
        &format!("/api/v1/people/{}/reviews/{}/statements", o.ivy.id, past.period),
        Some(json!({"kind": "praise", "body": "x"})),
    )
    .await;
    assert_eq!(s, 404);
    // Taking it back: nothing again.
    let (s, _) = api(&t, &ivy, "POST", "/api/v1/me/handoff", Some(json!({"items": []}))).await;
    assert_eq!(s, 200);
    assert_nothing_of_the_past(&reads(&t, &otto, &o, &past).await, "Otto after Ivy took it back");
    // The same choice on her handoff page.
    let (c, csrf) = t.signed_in(&o.ivy.email.to_string()).await;
    let html = c.get(t.url("/handoff")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("You now report to Otto Other") && html.contains("value=\"growth\""), "{html}");
    let r = c.post(t.url("/handoff")).form(&[("_csrf", csrf.as_str()), ("items", "growth")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(api(&t, &otto, "GET", &format!("/api/v1/people/{}/growth", o.ivy.id), None).await.0, 200);
    let html = c.get(t.url("/handoff?done=saved")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("value=\"growth\" checked"), "{html}");
}

async fn every_change_of_reporting_line_is_recorded_and_told_to_the_three(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.ada).await;
    let ada = t.token(&o.ada).await;
    let when = Clock::now(&t.clock);
    let (s, _) = set_manager(&t, &ada, o.ivy.id.0, o.otto.id.0).await;
    assert_eq!(s, 200);
    let path = format!("/api/v1/people/{}/reporting-changes", o.ivy.id);
    for who in [&o.ivy, &o.emil, &o.otto, &o.ada] {
        let (s, list) = api(&t, &t.token(who).await, "GET", &path, None).await;
        assert_eq!(s, 200, "{} reads the changes", who.name);
        let last = list.as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["manager_id"], json!(o.otto.id.0));
        assert_eq!(last["previous_manager_id"], json!(o.emil.id.0));
        assert_eq!(last["changed_by_id"], json!(o.ada.id.0));
        assert_eq!(last["changed_by_name"], "Ada Admin");
        assert_eq!(chrono::DateTime::parse_from_rfc3339(last["changed_at"].as_str().unwrap()).unwrap(), when);
    }
    let (s, body) = api(&t, &t.token(&rob).await, "GET", &path, None).await;
    assert_eq!((s, body["error"]["code"].as_str()), (404, Some("not_found")));
    // The person and both managers are told; nobody else.
    for (who, told) in [(&o.ivy, true), (&o.emil, true), (&o.otto, true), (&rob, false)] {
        let (_, inbox) = api(&t, &t.token(who).await, "GET", "/api/v1/me/messages", None).await;
        let got = inbox.as_array().unwrap().iter().any(|m| m["subject"].as_str().unwrap().contains("Ivy Coder now reports to Otto Other"));
        assert_eq!(got, told, "{} told: {inbox}", who.name);
    }
    // The CSV import is recorded the same way.
    t.clock.advance(Duration::hours(1));
    let csv = "name,email,title,manager_email,timezone\nIvy Coder,ivy.coder@example.com,Engineer,rob.builder@example.com,UTC\n";
    t.app.import_people(&o.ada, csv.as_bytes(), true).await.unwrap();
    let (_, list) = api(&t, &ada, "GET", &path, None).await;
    let last = list.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["manager_id"].clone(), last["previous_manager_id"].clone()), (json!(rob.id.0), json!(o.otto.id.0)));
    assert_eq!(last["changed_by_id"], json!(o.ada.id.0));
    let (_, inbox) = api(&t, &t.token(&rob).await, "GET", "/api/v1/me/messages", None).await;
    assert!(inbox.to_string().contains("Ivy Coder now reports to Rob Builder instead of Otto Other"), "{inbox}");
}

async fn status(t: &TestApp, series: Uuid) -> SeriesStatus {
    rapport::store::meetings::get_series(&t.app.db, series).await.unwrap().unwrap().status
}

async fn a_change_back_within_two_weeks_resumes_the_series_and_later_does_not(t: TestApp) {
    let o = an_organisation(&t).await;
    let past = emil_writes_the_past(&t, &o).await;
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, t.tomorrow()).await;
    let ada = t.token(&o.ada).await;
    set_manager(&t, &ada, o.ivy.id.0, o.otto.id.0).await;
    assert_eq!(status(&t, series).await, SeriesStatus::Ended);
    // Back to Emil after three days: the pair carries on where it was, and says so.
    t.clock.advance(Duration::days(3));
    let (s, _) = set_manager(&t, &ada, o.ivy.id.0, o.emil.id.0).await;
    assert_eq!(s, 200);
    assert_eq!(status(&t, series).await, SeriesStatus::Active);
    let (_, inbox) = api(&t, &t.token(&o.ivy).await, "GET", "/api/v1/me/messages", None).await;
    assert!(inbox.to_string().contains("resume their 1:1s"), "{inbox}");
    // Emil reads his own review again.
    let emil = t.token(&o.emil).await;
    let (s, b) = api(&t, &emil, "GET", &format!("/api/v1/people/{}/reviews/{}", o.ivy.id, past.period), None).await;
    assert_eq!(s, 200);
    assert!(b.to_string().contains("OLD-REVIEW"));
    // Away for longer than two weeks: the old series stays ended; a new one starts as usual.
    set_manager(&t, &ada, o.ivy.id.0, o.otto.id.0).await;
    assert_eq!(status(&t, series).await, SeriesStatus::Ended);
    t.clock.advance(Duration::days(15));
    set_manager(&t, &ada, o.ivy.id.0, o.emil.id.0).await;
    assert_eq!(status(&t, series).await, SeriesStatus::Ended);
    let (_, list) = api(&t, &ada, "GET", &format!("/api/v1/people/{}/reporting-changes", o.ivy.id), None).await;
    let resumed: Vec<bool> = list.as_array().unwrap().iter().map(|l| l["resumed"].as_bool().unwrap()).collect();
    assert_eq!(resumed.iter().filter(|r| **r).count(), 1, "{list}");
    let _ = weekly_one_on_ones(&t, &o.emil, &o.ivy, t.tomorrow()).await;
}
