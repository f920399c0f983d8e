//! The kickoff on both databases: a draft made when 1:1s start, seen by the manager alone until
//! it is sent; editing with placeholders checked (nothing changes on a problem or a stale
//! version); sending, which reaches the teammate in the app and as a message; skipping; the
//! warnings about a first 1:1 less than a day after the note or in the teammate's focus hours;
//! the page and the API.

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, at, plain};
use chrono::{Duration, NaiveDate, Weekday};
use rapport::app::AppError;
use rapport::app::meetings::SeriesInput;
use rapport::domain::kickoff::{FocusHours, WarningKind, check_focus};
use rapport::domain::meeting::SeriesKind;
use rapport::domain::schedule::Cadence;
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(
    a_draft_is_made_when_one_on_ones_start_and_only_the_manager_sees_it,
    a_sent_note_reaches_the_teammate_in_the_app_and_as_a_message,
    bad_placeholders_and_stale_versions_change_nothing,
    a_first_one_on_one_less_than_a_day_after_the_note_is_warned_about,
    focus_hours_warn_in_the_teammates_own_zone,
    skipping_stops_the_warnings_and_sends_nothing,
    the_kickoff_page_previews_saves_and_sends,
    the_api_reads_edits_and_sends_the_note_with_its_warnings,
    a_whole_team_starts_at_once_each_with_their_own_note,
    the_team_and_focus_hours_pages_name_every_problem,
    a_series_from_before_notes_gets_our_draft_and_its_first_save_inserts_it,
    a_refused_send_or_skip_touches_nothing,
);

/// Emil's weekly 1:1s with Ivy, starting on `first` at `time` in `zone`.
async fn start(t: &TestApp, o: &Org, first: NaiveDate, time: &str, zone: &str) -> Uuid {
    t.app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: o.ivy.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: first,
                time: time.into(),
                timezone: zone.into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap()
        .id
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn a_draft_is_made_when_one_on_ones_start_and_only_the_manager_sees_it(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z")); // a Monday
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-26"), "10:00", "UTC").await;
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!(v.version, 1, "the draft was saved with the series");
    assert!(v.sent_at.is_none() && v.warnings.is_empty(), "{:?}", v.warnings);
    assert!(v.body.contains("{name}"), "the manager edits the placeholders");
    assert!(v.filled_body.starts_with("Hi Ivy,"), "{}", v.filled_body);
    assert!(v.filled_body.contains("every week, 30 minutes, starting Thursday 26 November at 10:00"), "{}", v.filled_body);
    let first = v.first.as_ref().expect("the first 1:1");
    assert!(v.filled_body.contains(&format!("/meetings/{}", first.id)), "links to the first meeting to add topics");
    assert!(v.filled_body.ends_with("Emil Manager"));

    // The teammate cannot read the draft; nor can the skip-level leader, an admin or anyone else.
    for other in [&o.ivy, &o.vera, &o.ada, &o.otto] {
        assert!(matches!(t.app.kickoff(other, s).await, Err(AppError::NotFound)), "{}", other.name);
        assert!(matches!(t.app.save_kickoff(other, s, "x", "y", 1).await, Err(AppError::NotFound)), "{}", other.name);
        assert!(matches!(t.app.send_kickoff(other, s, "x", "y", 1).await, Err(AppError::NotFound)), "{}", other.name);
    }
    assert!(matches!(t.app.kickoff(&o.emil, Uuid::now_v7()).await, Err(AppError::NotFound)));
    assert!(t.app.received_kickoffs(&o.ivy).await.unwrap().is_empty());
}

async fn a_sent_note_reaches_the_teammate_in_the_app_and_as_a_message(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-26"), "10:00", "UTC").await;
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    let body = v.body.replace("Looking forward to it,", "Looking forward to it, and bring coffee,");
    let saved = t.app.save_kickoff(&o.emil, s, "About our 1:1s, {name}", &body, v.version).await.unwrap();
    assert_eq!(saved.version, 2);
    assert!(matches!(t.app.kickoff(&o.ivy, s).await, Err(AppError::NotFound)), "a saved draft is still the manager's alone");

    t.clock.advance(Duration::minutes(5));
    let sent = t.app.send_kickoff(&o.emil, s, &saved.subject, &saved.body, saved.version).await.unwrap();
    assert_eq!(sent.sent_at, Some(at("2026-11-23T10:05:00Z")));
    assert!(sent.read_at.is_none());

    // In the app: on her 1:1s page (as new), and the note itself.
    let got = t.app.received_kickoffs(&o.ivy).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].subject.as_str(), got[0].read, got[0].manager.id), ("About our 1:1s, Ivy", false, o.emil.id));
    t.clock.advance(Duration::minutes(5));
    let hers = t.app.kickoff(&o.ivy, s).await.unwrap();
    assert_eq!(hers.filled_subject, "About our 1:1s, Ivy");
    assert!(hers.filled_body.contains("bring coffee") && !hers.filled_body.contains('{'));
    assert!(hers.body_html.contains("<strong>Nothing is wrong.</strong>"), "{}", hers.body_html);
    assert!(hers.warnings.is_empty(), "warnings are for the manager");
    assert!(t.app.received_kickoffs(&o.ivy).await.unwrap()[0].read);
    assert_eq!(t.app.kickoff(&o.emil, s).await.unwrap().read_at, Some(at("2026-11-23T10:10:00Z")), "the manager sees it was read");
    // Still nobody else.
    for other in [&o.vera, &o.ada, &o.otto] {
        assert!(matches!(t.app.kickoff(other, s).await, Err(AppError::NotFound)), "{}", other.name);
    }

    // As a message: e-mail when a server is set up, and always the inbox.
    t.app.run_jobs("test").await.unwrap();
    let inbox = t.app.inbox(&o.ivy).await.unwrap();
    let m = inbox.iter().find(|m| m.subject == "About our 1:1s, Ivy").expect("the note in her inbox");
    assert!(m.body_text.contains("bring coffee") && m.body_text.contains(&format!("/series/{s}/kickoff")), "{}", m.body_text);
    assert!(m.body_html.contains("<strong>Nothing is wrong.</strong>"));
    assert!(!t.app.inbox(&o.emil).await.unwrap().iter().any(|m| m.subject == "About our 1:1s, Ivy"));

    // Sent once: it stays as she received it.
    let again = t.app.send_kickoff(&o.emil, s, "Again", "again", sent.version).await.unwrap_err();
    assert!(matches!(again, AppError::Invalid(ref i) if i.message_for("body").is_some()), "{again:?}");
    t.app.run_jobs("test").await.unwrap();
    assert_eq!(t.app.inbox(&o.ivy).await.unwrap().iter().filter(|m| m.subject.contains("1:1s, Ivy")).count(), 1);
}

async fn bad_placeholders_and_stale_versions_change_nothing(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-26"), "10:00", "UTC").await;
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    let e = t.app.send_kickoff(&o.emil, s, "Hi {teammate}", "See you {when} in {room}.", v.version).await.unwrap_err();
    let AppError::Invalid(i) = e else { panic!("{e:?}") };
    assert!(i.message_for("subject").unwrap().starts_with("{teammate} (line 1, column 4) is not a placeholder"), "{i:?}");
    assert!(i.message_for("body").unwrap().starts_with("{room}"), "{i:?}");
    let e = t.app.save_kickoff(&o.emil, s, "", "  ", v.version).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.0.len() == 2), "{e:?}");
    let now = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!((now.version, now.sent_at, &now.body), (v.version, None, &v.body), "nothing changed");

    // Two tabs: the second save from the same version is refused, and sends nothing.
    t.app.save_kickoff(&o.emil, s, "First", "first tab", v.version).await.unwrap();
    let e = t.app.send_kickoff(&o.emil, s, "Second", "second tab", v.version).await.unwrap_err();
    assert!(matches!(e, AppError::Conflict(_)), "{e:?}");
    let now = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!((now.body.as_str(), now.sent_at), ("first tab", None));
    t.app.run_jobs("test").await.unwrap();
    assert!(t.app.inbox(&o.ivy).await.unwrap().iter().all(|m| !m.body_text.contains("tab")));
    // A preview checks and fills without saving.
    let p = t.app.preview_kickoff(&o.emil, s, "For {name}", "Hello {name}, {{literally}}").await.unwrap();
    assert_eq!((p.filled_subject.as_str(), p.filled_body.as_str()), ("For Ivy", "Hello Ivy, {literally}"));
    assert_eq!(t.app.kickoff(&o.emil, s).await.unwrap().body, "first tab");
    assert!(matches!(t.app.preview_kickoff(&o.ivy, s, "a", "b").await, Err(AppError::NotFound)));
}

async fn a_first_one_on_one_less_than_a_day_after_the_note_is_warned_about(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    // The first 1:1 is tomorrow at 10:00 UTC: exactly a day ahead is fine.
    let s = start(&t, &o, d("2026-11-24"), "10:00", "UTC").await;
    assert_eq!(t.app.kickoff(&o.emil, s).await.unwrap().warnings, vec![]);
    // A minute later, the note would come 23 hours 59 minutes before: warned, with the reason.
    t.clock.advance(Duration::minutes(1));
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!(v.warnings.len(), 1);
    assert_eq!(v.warnings[0].code, WarningKind::TooSoon);
    assert!(v.warnings[0].message.contains("only 23 hours after this note") && v.warnings[0].message.contains("Give Ivy"));
    // It warns, it does not stop: the note is sent, and the warning stays with the sent note
    // (measured from when it was sent) while the first 1:1 is still to come.
    let sent = t.app.send_kickoff(&o.emil, s, &v.subject, &v.body, v.version).await.unwrap();
    assert!(sent.sent_at.is_some());
    assert_eq!(sent.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), vec![WarningKind::TooSoon]);
    // Once the first 1:1 has begun, there is nothing left to warn about.
    t.clock.set(at("2026-11-24T10:00:00Z"));
    assert_eq!(t.app.kickoff(&o.emil, s).await.unwrap().warnings, vec![]);
}

async fn focus_hours_warn_in_the_teammates_own_zone(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    // Ivy (UTC) keeps Thursday mornings, 09:00 to 11:00, for deep work.
    let hours = check_focus(&["thu".into()], "09:00", "11:00").unwrap();
    t.app.set_focus_hours(&o.ivy, Some(&hours)).await.unwrap();
    assert_eq!(t.app.focus_hours(&o.ivy, &o.ivy).await.unwrap(), Some(hours.clone()));
    // Her manager and the leaders above (Vera, Ada) may see them; nobody else.
    for leader in [&o.emil, &o.vera, &o.ada] {
        assert_eq!(t.app.focus_hours(leader, &o.ivy).await.unwrap(), Some(hours.clone()), "{}", leader.name);
    }
    assert!(matches!(t.app.focus_hours(&o.otto, &o.ivy).await, Err(AppError::NotFound)));
    assert!(matches!(t.app.focus_hours(&o.ivy, &o.otto).await, Err(AppError::NotFound)));

    // 10:00 in Berlin is 09:00 UTC on Thursday: inside her focus hours, read in her zone.
    let s = start(&t, &o, d("2026-11-26"), "10:00", "Europe/Berlin").await;
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!(v.warnings.len(), 1, "{:?}", v.warnings);
    assert_eq!(v.warnings[0].code, WarningKind::FocusHours);
    assert!(v.warnings[0].message.contains("(Thursday 26 November at 09:00)"), "in her time: {}", v.warnings[0].message);
    assert!(v.warnings[0].message.contains("Ivy's focus hours (Thu 09:00–11:00, UTC)"), "{}", v.warnings[0].message);
    t.app.set_series_status(&o.emil, s, 1, rapport::domain::meeting::SeriesStatus::Ended).await.unwrap();

    // 12:00 in Berlin is 11:00 UTC, as her focus hours end: no warning.
    let s2 = start(&t, &o, d("2026-11-26"), "12:00", "Europe/Berlin").await;
    assert_eq!(t.app.kickoff(&o.emil, s2).await.unwrap().warnings, vec![]);
    // She moves her focus hours to the afternoon on Thursday and Friday: now it is warned about.
    let later = FocusHours { days: vec![Weekday::Thu, Weekday::Fri], ..check_focus(&["thu".into()], "10:45", "16:00").unwrap() };
    t.app.set_focus_hours(&o.ivy, Some(&later)).await.unwrap();
    assert_eq!(t.app.kickoff(&o.emil, s2).await.unwrap().warnings[0].code, WarningKind::FocusHours);
    // Cleared: no warning.
    t.app.set_focus_hours(&o.ivy, None).await.unwrap();
    assert_eq!(t.app.focus_hours(&o.ivy, &o.ivy).await.unwrap(), None);
    assert_eq!(t.app.kickoff(&o.emil, s2).await.unwrap().warnings, vec![]);
}

async fn skipping_stops_the_warnings_and_sends_nothing(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-23"), "18:00", "UTC").await; // this evening: too soon (and within a working day)
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!(v.warnings.len(), 1);
    let skipped = t.app.skip_kickoff(&o.emil, s, &v.subject, &v.body, v.version).await.unwrap();
    assert!(skipped.skipped_at.is_some() && skipped.sent_at.is_none());
    assert_eq!(skipped.warnings, vec![], "they were told in person");
    assert!(matches!(t.app.kickoff(&o.ivy, s).await, Err(AppError::NotFound)), "nothing reaches her");
    t.app.run_jobs("test").await.unwrap();
    assert!(!t.app.inbox(&o.ivy).await.unwrap().iter().any(|m| m.subject.contains("what they are for")));
    // Sending later still works.
    let sent = t.app.send_kickoff(&o.emil, s, &skipped.subject, &skipped.body, skipped.version).await.unwrap();
    assert!(sent.sent_at.is_some());
    assert!(t.app.kickoff(&o.ivy, s).await.is_ok());
}

async fn the_kickoff_page_previews_saves_and_sends(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-24"), "09:00", "UTC").await; // 23 hours ahead
    let (m, csrf) = t.signed_in(&o.emil.email).await;
    let url = t.url(&format!("/series/{s}/kickoff"));
    let page = m.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Tell Ivy Coder about your 1:1s") && page.contains("Before you send"), "{page}");
    assert!(page.contains("data-code=\"too_soon\""));
    assert!(page.contains("Hi Ivy,"), "the preview is filled in");
    // The series page points at the note while it waits.
    let series = m.get(t.url(&format!("/series/{s}"))).send().await.unwrap().text().await.unwrap();
    assert!(series.contains("Not sent yet") && series.contains(&format!("/series/{s}/kickoff")), "{series}");

    // A bad placeholder: shown next to the field, what was typed kept, nothing saved.
    let form_as = |csrf: &str, intent: &str, subject: &str, body: &str, version: &str| {
        vec![
            ("_csrf".to_string(), csrf.to_string()),
            ("intent".into(), intent.into()),
            ("subject".into(), subject.into()),
            ("body".into(), body.into()),
            ("version".into(), version.into()),
        ]
    };
    let form = |intent: &str, subject: &str, body: &str, version: &str| form_as(&csrf, intent, subject, body, version);
    let r = m.post(&url).form(&form("save", "Hello", "Hi {name}, see you {wen}", "1")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-body-error\"") && html.contains("{wen} (line 1, column 20) is not a placeholder"), "{html}");
    assert!(html.contains("Hi {name}, see you {wen}</textarea>"));
    let r = m.post(&url).form(&form("preview", "Hello {name}", "Hi {name}, **welcome**", "1")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Hello Ivy") && html.contains("<strong>welcome</strong>") && html.contains("Nothing is saved or sent yet"));
    let r = m.post(&url).form(&form("save", "Hello {name}", "Hi {name}, **welcome**", "1")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, format!("/series/{s}/kickoff?done=saved").as_str()));
    let r = m.post(&url).form(&form("send", "Hello {name}", "Hi {name}, **welcome**", "1")).send().await.unwrap();
    assert_eq!(r.status(), 409, "sent from a stale version");
    let r = m.post(&url).form(&form("send", "Hello {name}", "Hi {name}, **welcome**", "2")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = m.get(t.url(&format!("/series/{s}/kickoff?done=sent"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Sent. Ivy finds it") && page.contains("has not opened it yet") && !page.contains("<textarea"), "{page}");

    // Ivy: the note on her 1:1s page (new), then on its own page and on the series page.
    let (ivy, ivy_csrf) = t.signed_in(&o.ivy.email).await;
    let list = ivy.get(t.url("/meetings")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("About your 1:1s") && list.contains(">new<") && list.contains("Hello Ivy"), "{list}");
    let note = ivy.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(note.contains("Emil Manager wrote to you about your 1:1s") && note.contains("<strong>welcome</strong>"), "{note}");
    assert!(note.contains("Add a topic to the first 1:1") && !note.contains("Before you send"));
    let series = ivy.get(t.url(&format!("/series/{s}"))).send().await.unwrap().text().await.unwrap();
    assert!(series.contains("Emil Manager wrote to you about these 1:1s"), "{series}");
    let r = ivy.post(&url).form(&form_as(&ivy_csrf, "send", "x", "y", "3")).send().await.unwrap();
    assert_eq!(r.status(), 404, "only the manager writes it");
    // Otto: not found, like a series that does not exist.
    let (otto, _) = t.signed_in(&o.otto.email).await;
    assert_eq!(otto.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(otto.get(t.url(&format!("/series/{}/kickoff", Uuid::now_v7()))).send().await.unwrap().status(), 404);
    let page = m.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ivy read it"), "{page}");
}

async fn the_api_reads_edits_and_sends_the_note_with_its_warnings(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let (emil, ivy, otto) = (t.token(&o.emil).await, t.token(&o.ivy).await, t.token(&o.otto).await);
    let c = plain();
    // Ivy sets focus hours through the API; a bad day and a bad time are named.
    let r = c
        .put(t.url("/api/v1/me/focus-hours"))
        .bearer_auth(&ivy)
        .json(&json!({"days": ["thu", "someday"], "start": "9", "end": "11:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    let fields: Vec<&str> = e["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["days", "start"], "{e}");
    let r = c
        .put(t.url("/api/v1/me/focus-hours"))
        .bearer_auth(&ivy)
        .json(&json!({"days": ["thu"], "start": "09:00", "end": "11:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let f: Value = c.get(t.url("/api/v1/me/focus-hours")).bearer_auth(&ivy).send().await.unwrap().json().await.unwrap();
    assert_eq!(f, json!({"days": ["thu"], "start": "09:00", "end": "11:00", "label": "Thu 09:00–11:00"}));

    // Starting 1:1s through the API drafts the note; it answers with the warnings too.
    let r = c
        .post(t.url("/api/v1/series"))
        .bearer_auth(&emil)
        .json(&json!({"teammate_id": o.ivy.id, "kind": "regular", "cadence": "weekly", "first_date": "2026-11-26", "time": "09:30", "timezone": "UTC", "duration_minutes": 30}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["kickoff_warnings"][0]["code"], "focus_hours", "{created}");
    let s = created["id"].as_str().unwrap().to_string();
    let url = t.url(&format!("/api/v1/series/{s}/kickoff"));
    let k: Value = c.get(&url).bearer_auth(&emil).send().await.unwrap().json().await.unwrap();
    assert_eq!((k["state"].as_str(), k["version"].as_i64()), (Some("draft"), Some(1)), "{k}");
    assert_eq!(k["warnings"][0]["code"], "focus_hours");
    assert!(k["warnings"][0]["message"].as_str().unwrap().contains("focus hours (Thu 09:00–11:00, UTC)"));
    assert!(k["filled_body"].as_str().unwrap().starts_with("Hi Ivy,"));
    assert_eq!(c.get(&url).bearer_auth(&ivy).send().await.unwrap().status(), 404, "a draft is the manager's");
    assert_eq!(c.get(&url).bearer_auth(&otto).send().await.unwrap().status(), 404);

    let r = c.put(&url).bearer_auth(&emil).json(&json!({"subject": "Hi {nmae}", "body": "ok", "version": 1})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["fields"][0]["field"], "subject", "{e}");
    let r = c
        .put(&url)
        .bearer_auth(&emil)
        .json(&json!({"subject": "Our 1:1s", "body": "Hi {name}. The time is yours.", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let k: Value = r.json().await.unwrap();
    assert_eq!((k["version"].as_i64(), k["filled_body"].as_str()), (Some(2), Some("Hi Ivy. The time is yours.")));
    let r = c.post(format!("{url}/send")).bearer_auth(&emil).json(&json!({"version": 1})).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let r = c.post(format!("{url}/send")).bearer_auth(&emil).json(&json!({"version": 2})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let k: Value = r.json().await.unwrap();
    assert_eq!(k["state"], "sent");
    assert!(k["sent_at"].is_string());
    let hers: Value = c.get(&url).bearer_auth(&ivy).send().await.unwrap().json().await.unwrap();
    assert_eq!((hers["filled_body"].as_str(), hers["warnings"].as_array().map(|a| a.len())), (Some("Hi Ivy. The time is yours."), Some(0)));
    assert!(hers.get("body").is_none_or(|b| b.is_null()), "the teammate gets what was sent, not the template: {hers}");
    assert_eq!(c.post(format!("{url}/send")).bearer_auth(&ivy).json(&json!({"version": 3})).send().await.unwrap().status(), 404);
    // In the OpenAPI document.
    let doc: Value = c.get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for p in
        ["/api/v1/series/{id}/kickoff", "/api/v1/series/{id}/kickoff/send", "/api/v1/series/{id}/kickoff/skip", "/api/v1/me/focus-hours"]
    {
        assert!(doc["paths"].get(p).is_some(), "{p} is documented");
    }
    // A whole team through the API: all or nothing, each note filled in.
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    let r = c
        .post(t.url("/api/v1/series/team"))
        .bearer_auth(&emil)
        .json(&json!({"teammate_ids": [jon.id, o.otto.id], "first_date": "2026-11-27", "time": "14:00"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "Otto does not report to Emil");
    let r = c
        .post(t.url("/api/v1/series/team"))
        .bearer_auth(&emil)
        .json(&json!({"teammate_ids": [jon.id], "first_date": "2026-11-27", "time": "14:00", "body": "Hi {name}!", "send": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let team: Value = r.json().await.unwrap();
    assert_eq!((team[0]["state"].as_str(), team[0]["filled_body"].as_str()), (Some("draft"), Some("Hi Jon!")), "{team}");
    let r = c.delete(t.url("/api/v1/me/focus-hours")).bearer_auth(&ivy).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(c.get(t.url("/api/v1/me/focus-hours")).bearer_auth(&ivy).send().await.unwrap().json::<Value>().await.unwrap(), Value::Null);
}

fn team(o: &Org, ids: Vec<rapport::domain::PersonId>, body: &str, send: bool) -> rapport::app::kickoff::TeamStart {
    let _ = o;
    rapport::app::kickoff::TeamStart {
        teammate_ids: ids,
        cadence: Cadence::Biweekly,
        first_date: d("2026-11-26"),
        time: "10:00".into(),
        timezone: "UTC".into(),
        duration_minutes: 30,
        subject: "Our 1:1s, {name}".into(),
        body: body.into(),
        send,
    }
}

async fn a_whole_team_starts_at_once_each_with_their_own_note(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    let kai = t.person(&o.ada, "Kai New", Some(o.emil.id)).await;
    let body = "Hi {name}, {cadence} from {first}, {minutes} minutes. The time is yours.";

    // All or nothing: a bad placeholder, someone who is not a report, or someone who already has
    // 1:1s with Emil, and nobody's 1:1s start.
    let e = t.app.start_team(&o.emil, team(&o, vec![jon.id], "Hi {nom}", true)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("body").is_some_and(|m| m.starts_with("{nom}"))), "{e:?}");
    let e = t.app.start_team(&o.emil, team(&o, vec![jon.id, o.otto.id], body, true)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("teammate_ids").is_some()), "{e:?}");
    let e = t.app.start_team(&o.emil, team(&o, vec![], body, true)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("teammate_ids") == Some("Choose at least one person.")), "{e:?}");
    start(&t, &o, d("2026-11-30"), "10:00", "UTC").await; // Ivy already has 1:1s with Emil
    let e = t.app.start_team(&o.emil, team(&o, vec![jon.id, kai.id, o.ivy.id], body, true)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("teammate_ids").is_some_and(|m| m.contains("Ivy Coder"))), "{e:?}");
    assert_eq!(t.app.my_series(&o.emil).await.unwrap().len(), 1, "neither Jon's nor Kai's 1:1s started");
    t.app.run_jobs("test").await.unwrap();
    assert!(t.app.inbox(&jon).await.unwrap().is_empty());

    // Jon and Kai: one after another from 10:00, each with their own note, sent.
    let views = t.app.start_team(&o.emil, team(&o, vec![jon.id, kai.id, jon.id], body, true)).await.unwrap();
    assert_eq!(views.len(), 2, "Jon once");
    assert_eq!(views[0].first.as_ref().unwrap().starts_at, at("2026-11-26T10:00:00Z"));
    assert_eq!(views[1].first.as_ref().unwrap().starts_at, at("2026-11-26T10:30:00Z"));
    assert!(views.iter().all(|v| v.sent_at.is_some() && v.version == 2));
    assert_eq!(views[0].filled_body, "Hi Jon, every two weeks from Thursday 26 November at 10:00, 30 minutes. The time is yours.");
    assert_eq!(views[1].filled_body, "Hi Kai, every two weeks from Thursday 26 November at 10:30, 30 minutes. The time is yours.");
    t.app.run_jobs("test").await.unwrap();
    for (p, name) in [(&jon, "Jon"), (&kai, "Kai")] {
        let inbox = t.app.inbox(p).await.unwrap();
        assert!(
            inbox.iter().any(|m| m.subject == format!("Our 1:1s, {name}")),
            "{name}: {:?}",
            inbox.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        assert_eq!(t.app.received_kickoffs(p).await.unwrap().len(), 1);
    }
    assert!(matches!(t.app.kickoff(&kai, views[0].series.id).await, Err(AppError::NotFound)), "Kai does not read Jon's note");

    // Kept as drafts when asked; past midnight is refused.
    let lia = t.person(&o.ada, "Lia Late", Some(o.emil.id)).await;
    let mut late = team(&o, vec![lia.id], body, false);
    late.time = "23:45".into();
    assert!(t.app.start_team(&o.emil, late.clone()).await.is_ok(), "one 1:1 fits before midnight");
    let mia = t.person(&o.ada, "Mia Night", Some(o.emil.id)).await;
    let nia = t.person(&o.ada, "Nia Night", Some(o.emil.id)).await;
    late.teammate_ids = vec![mia.id, nia.id];
    let e = t.app.start_team(&o.emil, late).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("time").is_some()), "{e:?}");
    let drafts = t.app.start_team(&o.emil, team(&o, vec![mia.id], body, false)).await.unwrap();
    assert!(drafts[0].sent_at.is_none() && drafts[0].body == body);
    assert!(matches!(t.app.kickoff(&mia, drafts[0].series.id).await, Err(AppError::NotFound)));
}

async fn the_team_and_focus_hours_pages_name_every_problem(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let jon = t.person(&o.ada, "Jon Dev", Some(o.emil.id)).await;
    let (m, csrf) = t.signed_in(&o.emil.email).await;
    let list = m.get(t.url("/meetings")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("href=\"/kickoff/team\""), "offered when two or more have no 1:1s yet");
    let page = m.get(t.url("/kickoff/team")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ivy Coder") && page.contains("Jon Dev") && page.contains("Hi {name},"), "{page}");
    let post = |fields: Vec<(&str, String)>| {
        let mut f: Vec<(String, String)> = vec![("_csrf".into(), csrf.clone())];
        f.extend(fields.into_iter().map(|(k, v)| (k.to_string(), v)));
        m.post(t.url("/kickoff/team")).form(&f).send()
    };
    let base = |extra: Vec<(&'static str, String)>| {
        let mut v: Vec<(&str, String)> = vec![
            ("cadence", "weekly".into()),
            ("first_date", "2026-11-26".into()),
            ("time", "10:00".into()),
            ("timezone", "UTC".into()),
            ("duration_minutes", "30".into()),
            ("subject", "Our 1:1s".into()),
            ("intent", "send".into()),
        ];
        v.extend(extra);
        v
    };
    let r = post(base(vec![("teammate_ids", o.ivy.id.to_string()), ("body", "Hi {nme}".into())])).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"f-body-error\"") && html.contains("{nme} (line 1, column 4)") && html.contains("Hi {nme}</textarea>"),
        "{html}"
    );
    assert!(t.app.my_series(&o.emil).await.unwrap().is_empty(), "nothing started");
    let r = post(base(vec![
        ("teammate_ids", o.ivy.id.to_string()),
        ("teammate_ids", jon.id.to_string()),
        ("body", "Hi {name}, see you {first}.".into()),
    ]))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Your 1:1s have started") && html.matches("Note sent.").count() == 2, "{html}");
    assert!(!html.contains("<form method=\"post\" action=\"/kickoff/team\""), "no one is left to start with");
    assert_eq!(t.app.received_kickoffs(&jon).await.unwrap().len(), 1);

    // Focus hours: a bad form keeps what was typed and names each field; saving and clearing.
    let (ivy, ivy_csrf) = t.signed_in(&o.ivy.email).await;
    let settings = ivy.get(t.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("Focus hours") && settings.contains("You have not set any"));
    let f = |pairs: &[(&str, &str)]| {
        let mut v = vec![("_csrf".to_string(), ivy_csrf.clone())];
        v.extend(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        v
    };
    let r = ivy.post(t.url("/settings/focus")).form(&f(&[("start", "12:00"), ("end", "09:00")])).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-days-error\"") && html.contains("id=\"f-end-error\"") && html.contains("value=\"12:00\""), "{html}");
    let r = ivy
        .post(t.url("/settings/focus"))
        .form(&f(&[("days", "mon"), ("days", "wed"), ("start", "09:00"), ("end", "11:30")]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = ivy.get(t.url("/settings/focus?done=saved")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("value=\"mon\" checked") && !page.contains("value=\"tue\" checked") && page.contains("Clear them"), "{page}");
    let settings = ivy.get(t.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("Yours: Mon, Wed 09:00–11:30"), "{settings}");
    let r = ivy.post(t.url("/settings/focus")).form(&f(&[("intent", "clear")])).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(t.app.focus_hours(&o.ivy, &o.ivy).await.unwrap(), None);
}

async fn a_series_from_before_notes_gets_our_draft_and_its_first_save_inserts_it(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-26"), "10:00", "UTC").await;
    // As if the series had started before kickoff notes existed.
    match &t.app.db {
        rapport::store::Db::Sqlite(db) => sqlx::query("DELETE FROM kickoff").execute(&db.write_pool).await.unwrap().rows_affected(),
        rapport::store::Db::Postgres(p) => sqlx::query("DELETE FROM kickoff").execute(p).await.unwrap().rows_affected(),
    };
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!((v.version, v.sent_at), (0, None));
    assert!(v.filled_body.starts_with("Hi Ivy,"));
    assert!(t.app.kickoff_summary(&o.emil, &v.series).await.unwrap().is_none(), "no status line for a series without a note");
    assert!(matches!(t.app.kickoff(&o.ivy, s).await, Err(AppError::NotFound)));
    // Saving from version 1 (a note that does not exist) is a conflict; from 0 it is inserted.
    assert!(matches!(t.app.save_kickoff(&o.emil, s, "Hi", "Hello {name}", 1).await, Err(AppError::Conflict(_))));
    let saved = t.app.save_kickoff(&o.emil, s, "Hi", "Hello {name}", 0).await.unwrap();
    assert_eq!((saved.version, saved.filled_body.as_str()), (1, "Hello Ivy"));
    assert!(matches!(t.app.save_kickoff(&o.emil, s, "Hi", "again", 0).await, Err(AppError::Conflict(_))), "a second insert from 0");
    let sent = t.app.send_kickoff(&o.emil, s, "Hi", "Hello {name}", 1).await.unwrap();
    assert_eq!(t.app.kickoff(&o.ivy, s).await.unwrap().filled_body, "Hello Ivy");
    assert!(sent.sent_at.is_some());
}

/// Ivy may read a sent note, but not send or skip it: those refusals are "not found" and leave
/// everything as it was, including whether she has read it (the API and the page).
async fn a_refused_send_or_skip_touches_nothing(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = start(&t, &o, d("2026-11-26"), "10:00", "UTC").await;
    let v = t.app.kickoff(&o.emil, s).await.unwrap();
    let sent = t.app.send_kickoff(&o.emil, s, &v.subject, &v.body, v.version).await.unwrap();
    assert!(sent.read_at.is_none());
    t.clock.advance(Duration::minutes(5));

    let c = plain();
    let url = t.url(&format!("/api/v1/series/{s}/kickoff"));
    for who in [&o.ivy, &o.otto, &o.vera] {
        let token = t.token(who).await;
        for act in ["send", "skip"] {
            for body in [json!({"version": sent.version}), json!({"version": sent.version, "subject": "x", "body": "y"})] {
                let r = c.post(format!("{url}/{act}")).bearer_auth(&token).json(&body).send().await.unwrap();
                assert_eq!(r.status(), 404, "{} {act} {body}", who.name);
            }
        }
        let (m, csrf) = t.signed_in(&who.email).await;
        for intent in ["send", "skip", "save", "preview", "no-such-intent"] {
            let form = [("_csrf", csrf.as_str()), ("intent", intent), ("subject", "x"), ("body", "y"), ("version", "2")];
            let r = m.post(t.url(&format!("/series/{s}/kickoff"))).form(&form).send().await.unwrap();
            assert_eq!(r.status(), 404, "{} {intent} on the page", who.name);
        }
    }
    let now = t.app.kickoff(&o.emil, s).await.unwrap();
    assert_eq!(now.read_at, None, "a refused send or skip is not a read");
    assert_eq!((now.version, now.sent_at, now.skipped_at), (sent.version, sent.sent_at, None));
    assert!(!t.app.received_kickoffs(&o.ivy).await.unwrap()[0].read, "still new on her 1:1s page");
}
