//! Dates far outside reason, on both databases: a series starting in 9999, a meeting moved to
//! +10000-01-01, review periods from 0001-01-01, due dates in 9999 are refused with a 422 that
//! names the field, through the API and the pages (the form comes back with the message next
//! to its field and what was typed kept); and the calendar feed never carries a year that is
//! not four digits.

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, at, day, plain, weekly_one_on_ones};
use chrono::NaiveDate;
use rapport::app::meetings::SeriesInput;
use rapport::domain::meeting::SeriesKind;
use rapport::domain::schedule::Cadence;
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(
    far_dates_are_refused_by_the_api_naming_the_field,
    a_bad_date_in_any_json_body_names_its_field_with_the_days_message,
    far_dates_are_refused_by_the_pages_next_to_the_field,
    the_calendar_feed_never_has_a_year_outside_four_digits,
    page_forms_refuse_a_bad_plan_step_or_period_date_with_the_days_message,
    the_setback_form_refuses_a_bad_date_next_to_its_field_and_keeps_what_was_typed,
);

const FAR: [&str; 3] = ["9999-12-31", "+10000-01-01", "0001-01-01"];

/// Emil's weekly 1:1s with Ivy from 2026-11-26 at 10:00 UTC, and its first meeting (id, version).
async fn series(t: &TestApp, o: &Org) -> (Uuid, Uuid, i64) {
    let s = t
        .app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: o.ivy.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                time: "10:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    let first = t.app.kickoff(&o.emil, s.id).await.unwrap().first.expect("a first meeting");
    (s.id, first.id, first.version)
}

#[track_caller]
fn refused(r: (u16, Value), field: &str, what: &str) {
    assert_eq!(r.0, 422, "{what}: {}", r.1);
    let fields: Vec<&str> = r.1["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(fields.contains(&field), "{what}: expected {field}, got {fields:?}: {}", r.1);
}

async fn post(t: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = plain().post(t.url(path)).bearer_auth(token).json(&body).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn far_dates_are_refused_by_the_api_naming_the_field(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let (_, meeting, version) = series(&t, &o).await;
    let (emil, ada) = (t.token(&o.emil).await, t.token(&o.ada).await);
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    // Five years ahead is the limit for 1:1s; a day more is refused too.
    for date in FAR.iter().copied().chain(["2031-11-24", "2100-01-01"]) {
        let body =
            json!({"teammate_id": jon.id, "kind": "regular", "cadence": "weekly", "first_date": date, "time": "09:30", "timezone": "UTC"});
        refused(post(&t, &emil, "/api/v1/series", body).await, "first_date", date);
        let body = json!({"teammate_ids": [jon.id], "first_date": date, "time": "14:00"});
        refused(post(&t, &emil, "/api/v1/series/team", body).await, "first_date", date);
        let body = json!({"version": version, "date": date, "time": "10:00", "reason": "Clash"});
        refused(post(&t, &emil, &format!("/api/v1/meetings/{meeting}/move"), body).await, "date", date);
    }
    for date in FAR {
        let body = json!({"name": format!("P {date}"), "starts_on": date, "ends_on": "2026-12-31"});
        refused(post(&t, &ada, "/api/v1/review-periods", body).await, "starts_on", date);
        let body = json!({"name": format!("Q {date}"), "starts_on": "2026-01-01", "ends_on": date});
        refused(post(&t, &ada, "/api/v1/review-periods", body).await, "ends_on", date);
        let body = json!({"body": "Write it up", "owner_id": o.ivy.id, "due_date": date});
        refused(post(&t, &emil, &format!("/api/v1/meetings/{meeting}/actions"), body).await, "due_date", date);
    }
    // The message says what to do.
    let body = json!({"version": version, "date": "9999-12-31", "time": "10:00", "reason": "Clash"});
    let (_, e) = post(&t, &emil, &format!("/api/v1/meetings/{meeting}/move"), body).await;
    let m = e["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(m.contains("1900") && m.contains("2100") || m.contains("5 years"), "{m}");
    // Within reach is fine.
    let body = json!({"version": version, "date": "2031-11-20", "time": "10:00", "reason": "Sabbatical"});
    assert_eq!(post(&t, &emil, &format!("/api/v1/meetings/{meeting}/move"), body).await.0, 200);
    let body = json!({"name": "Long ago", "starts_on": "1900-01-01", "ends_on": "1900-12-31"});
    assert_eq!(post(&t, &ada, "/api/v1/review-periods", body).await.0, 201);
}

/// Every API body reads its dates as a `Day`: a day that does not exist, a far year or a number
/// is refused with the field's own name (`due_date`, not the page's `due_on`) and `Day`'s words.
async fn a_bad_date_in_any_json_body_names_its_field_with_the_days_message(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let emil = t.token(&o.emil).await;
    let plan = post(&t, &emil, &format!("/api/v1/people/{}/plans", o.ivy.id), json!({"kind": "growth", "title": "Lead"})).await;
    assert_eq!(plan.0, 201, "{}", plan.1);
    let steps = format!("/api/v1/plans/{}/steps", plan.1["id"].as_str().unwrap());
    for (date, words) in [("2026-02-30", "YYYY-MM-DD"), ("9999-12-31", "from 1900 to 2100")] {
        let r = post(&t, &emil, &steps, json!({"body": "Shadow the lead", "due_date": date})).await;
        refused(r.clone(), "due_date", date);
        let m = r.1["error"]["fields"][0]["message"].as_str().unwrap();
        assert!(m.contains(date) && m.contains(words), "{date}: {m}");
    }
    let body = json!({"teammate_id": o.ivy.id, "first_date": 20261203, "time": "09:30"});
    refused(post(&t, &emil, "/api/v1/series", body).await, "first_date", "a number");
    let setbacks = format!("/api/v1/people/{}/setbacks", o.ivy.id);
    refused(post(&t, &emil, &setbacks, json!({"occurred_on": "2026-02-30", "facts": "Late"})).await, "occurred_on", "setback");
    assert_eq!(post(&t, &emil, &steps, json!({"body": "No date yet", "due_date": ""})).await.0, 201, "blank is no date");
}

/// The growth page's step form and the reviews page's period form read their dates as a `Day`:
/// a day that does not exist or a far year comes back as a 422 with `Day`'s words and saves
/// nothing; a blank due date is no date.
async fn page_forms_refuse_a_bad_plan_step_or_period_date_with_the_days_message(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let emil = t.token(&o.emil).await;
    let plan = post(&t, &emil, &format!("/api/v1/people/{}/plans", o.ivy.id), json!({"kind": "growth", "title": "Lead"})).await;
    let plan = plan.1["id"].as_str().unwrap().to_string();
    let (page, csrf) = t.signed_in(&o.emil.email).await;
    let ivy_id = o.ivy.id.to_string();
    for (date, words) in [("2026-02-30", "YYYY-MM-DD"), ("9999-12-31", "from 1900 to 2100")] {
        let form = [("_csrf", csrf.as_str()), ("person", ivy_id.as_str()), ("body", "Shadow the lead"), ("due_date", date)];
        let r = page.post(t.url(&format!("/plans/{plan}/steps"))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "{date}");
        let html = r.text().await.unwrap();
        assert!(html.contains(date) && html.contains(words), "{date}: says what was wrong");
    }
    let r = page.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap();
    assert!(!r.text().await.unwrap().contains("Shadow the lead"), "nothing was saved");
    let form = [("_csrf", csrf.as_str()), ("person", ivy_id.as_str()), ("body", "No date yet"), ("due_date", "")];
    let r = page.post(t.url(&format!("/plans/{plan}/steps"))).form(&form).send().await.unwrap();
    assert!(r.status().is_redirection(), "blank is no date: {}", r.status());
    let (ada, ada_csrf) = t.signed_in(&o.ada.email).await;
    let form = [("_csrf", ada_csrf.as_str()), ("name", "H1"), ("starts_on", "2026-01-01"), ("ends_on", "2026-02-30")];
    let r = ada.post(t.url("/reviews/periods")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422, "period");
    assert!(r.text().await.unwrap().contains("“2026-02-30” is not a date"), "period: says what was wrong");
    assert!(t.app.review_periods(&o.ada).await.unwrap().is_empty(), "no period was saved");
}

async fn far_dates_are_refused_by_the_pages_next_to_the_field(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let (_, meeting, version) = series(&t, &o).await;
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    let (emil, csrf) = t.signed_in(&o.emil.email).await;
    let (ada, ada_csrf) = t.signed_in(&o.ada.email).await;
    let jon_id = jon.id.to_string();
    let ivy_id = o.ivy.id.to_string();
    let version = version.to_string();
    for date in FAR.iter().copied().chain(["2031-11-24"]) {
        let form = [
            ("_csrf", csrf.as_str()),
            ("teammate_id", jon_id.as_str()),
            ("kind", "regular"),
            ("cadence", "weekly"),
            ("first_date", date),
            ("time", "09:30"),
            ("timezone", "UTC"),
            ("duration_minutes", "30"),
        ];
        let r = emil.post(t.url("/series/new")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "series {date}");
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-first_date-error\""), "series {date}: the message is next to the field");
        assert!(html.contains("2100") || html.contains("5 years ahead"), "series {date}: says what is allowed");
        assert!(html.contains(&format!("value=\"{date}\"")), "series {date}: what was typed is kept");

        let form = [("_csrf", csrf.as_str()), ("version", version.as_str()), ("date", date), ("time", "10:00"), ("reason", "Clash")];
        let r = emil.post(t.url(&format!("/meetings/{meeting}/move"))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "move {date}");
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-move-date-error\""), "move {date}: the message is next to the field");
        assert!(html.contains("2100") || html.contains("5 years ahead"), "move {date}: says what is allowed");
    }
    for date in FAR {
        let form = [("_csrf", ada_csrf.as_str()), ("name", "Far"), ("starts_on", date), ("ends_on", "2026-12-31")];
        let r = ada.post(t.url("/reviews/periods")).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "period {date}");
        assert!(r.text().await.unwrap().contains("from 1900 to 2100"), "period {date}");
        let form = [("_csrf", csrf.as_str()), ("body", "Write it up"), ("owner_id", ivy_id.as_str()), ("due_date", date)];
        let r = emil.post(t.url(&format!("/meetings/{meeting}/actions"))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422, "action {date}");
        assert!(r.text().await.unwrap().contains("from 1900 to 2100"), "action {date}");
    }
    assert!(t.app.review_periods(&o.ada).await.unwrap().is_empty(), "nothing was saved");
}

async fn the_calendar_feed_never_has_a_year_outside_four_digits(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let (_, meeting, version) = series(&t, &o).await;
    let emil = t.token(&o.emil).await;
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    // Try to put far dates in it: they are refused, so the feed cannot carry them.
    let body = json!({"teammate_id": jon.id, "first_date": "9999-12-31", "time": "09:30", "timezone": "Asia/Singapore"});
    let _ = post(&t, &emil, "/api/v1/series", body).await;
    let body = json!({"version": version, "date": "+10000-01-01", "time": "10:00", "reason": "Clash"});
    let _ = post(&t, &emil, &format!("/api/v1/meetings/{meeting}/move"), body).await;
    let (status, feed) = post(&t, &emil, "/api/v1/me/calendar-feed", json!({})).await;
    assert_eq!(status, 201, "{feed}");
    let ics = plain().get(feed["url"].as_str().unwrap()).send().await.unwrap().text().await.unwrap();
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
    for line in ics.lines() {
        for key in ["DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"] {
            if let Some(rest) = line.strip_prefix(key) {
                let value = rest.rsplit(':').next().unwrap_or("");
                let ok = value.split(',').all(|v| v.len() >= 8 && v.as_bytes()[..8].iter().all(u8::is_ascii_digit));
                let ok = ok && value.split(',').all(|v| v.len() == 8 || v.as_bytes().get(8) == Some(&b'T'));
                assert!(ok, "a year that is not four digits: {line}");
            }
        }
    }
}

/// The message shown under a page form's field `name`, if any.
fn field_error<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"f-{name}-error\">"))?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</p>")?])
}

/// The setback form reads its dates as `Day`s: a day that does not exist or a far year, on
/// when it happened or on a follow-up's due date, comes back as a 422 with `Day`'s words
/// under that field and the typed text in it; nothing is saved.
async fn the_setback_form_refuses_a_bad_date_next_to_its_field_and_keeps_what_was_typed(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-11-26")).await;
    let (page, csrf) = t.signed_in(&o.emil.email).await;
    let path = t.url(&format!("/people/{}/setbacks", o.ivy.id));
    let form = |occurred_on: &str, due: &str| {
        [
            ("_csrf", csrf.clone()),
            ("occurred_on", occurred_on.to_string()),
            ("facts", "The release slipped a week.".to_string()),
            ("contexts", "competing_priorities".to_string()),
            ("action_body_0", "Add a review day".to_string()),
            ("action_due_0", due.to_string()),
        ]
    };
    for (date, words) in [("2026-02-30", "YYYY-MM-DD"), ("9999-12-31", "from 1900 to 2100")] {
        for (field, sent) in [("occurred_on", form(date, "")), ("action_due_0", form("2026-11-20", date))] {
            let r = page.post(path.clone()).form(&sent).send().await.unwrap();
            assert_eq!(r.status(), 422, "{field} {date}");
            let html = r.text().await.unwrap();
            let message = field_error(&html, field).unwrap_or_else(|| panic!("{field} {date}: no message under the field"));
            assert!(message.contains(date) && message.contains(words), "{field} {date}: {message}");
            assert!(html.contains(&format!("value=\"{date}\"")), "{field} {date}: what was typed is shown back");
        }
    }
    assert!(t.app.setbacks(&o.emil, o.ivy.id).await.unwrap().1.is_empty(), "nothing was saved");
}
