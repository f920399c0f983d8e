//! Messages end to end: the calendar feed and invitations judged by independent iCalendar
//! programs (Python's icalendar and vobject with validation, recurring-ical-events, and
//! Mozilla's ical.js), e-mail delivered to a real SMTP server (aiosmtpd) and read back, and
//! the job queue's exactly-once delivery across a worker that dies. The clock is the test's:
//! nothing waits for real time to pass.
//!
//! The Python programs come from `tests/py/requirements.txt` in `target/pyenv` (scripts/test
//! installs them; RAPPORT_TEST_PYTHON may name another interpreter) and ical.js from
//! `tests/browser/node_modules`.

use crate::on_both;
use crate::support::{Backend, TestApp, fresh_database, mia_meets_tom_weekly_in_berlin, plain, spawn_on, spawn_with};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rapport::app::meetings::SeriesInput;
use rapport::clock::Clock;
use rapport::config::{Config, MailConfig, MailTls};
use rapport::domain::meeting::{MeetingStatus, SeriesKind};
use rapport::domain::schedule::Cadence;
use rapport::store::{jobs, messages};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

on_both!(
    the_calendar_feed_and_invitations_agree_with_independent_calendar_programs_across_daylight_saving,
    a_job_whose_worker_died_is_delivered_once_after_its_lease_runs_out,
    messages_and_the_failure_page_are_private,
    prep_reminders_are_queued_once_when_due_and_never_in_quiet_hours,
    two_instances_on_one_database_run_each_job_once,
    ending_a_series_ends_it_in_both_calendars,
    reminders_keep_coming_when_nobody_opens_rapport,
    a_skipped_meeting_put_back_returns_to_both_calendars,
    a_one_off_is_invited_as_a_single_event,
    the_weeks_of_a_pause_stay_out_of_calendars_after_resuming,
    overdue_action_items_are_recalled_once_a_day,
);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

use crate::support::python;

fn run_json(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{cmd:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Python's verdict on an iCalendar text, and its expansion from `from` to `to`.
fn python_check(ics: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cal.ics");
    std::fs::write(&file, ics).unwrap();
    run_json(Command::new(python()).arg(repo().join("tests/py/check_ics.py")).arg(&file).arg(from.to_rfc3339()).arg(to.to_rfc3339()))
}

/// ical.js's expansion from `from` to `to`.
fn icaljs_starts(ics: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cal.ics");
    std::fs::write(&file, ics).unwrap();
    let script = repo().join("tests/browser/ical_expand.mjs");
    assert!(repo().join("tests/browser/node_modules/ical.js").exists(), "run `npm ci` in tests/browser (scripts/test does)");
    let v = run_json(Command::new("node").arg(script).arg(&file).arg(from.to_rfc3339()).arg(to.to_rfc3339()));
    strings(&v["starts"])
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().expect("a list").iter().map(|s| s.as_str().expect("text").to_string()).collect()
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn z(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

async fn the_calendar_feed_and_invitations_agree_with_independent_calendar_programs_across_daylight_saving(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let view = t.app.series_view(&p.mia, p.series.id, None).await.unwrap();
    let (second, third) = (view.upcoming[1].clone(), view.upcoming[2].clone());
    // The second meeting moves to Wednesday 11:30; the third is skipped.
    let moved = t
        .app
        .move_meeting(&p.mia, second.id, second.version, NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(), "11:30", "Offsite on Tuesday")
        .await
        .unwrap();
    t.app.set_meeting_status(&p.mia, third.id, third.version, MeetingStatus::Skipped, "Tom is on holiday").await.unwrap();

    // rapport's own instants: the schedule, with the move and the skip.
    let (from, to) = (at(2026, 10, 1, 0, 0), at(2026, 12, 1, 0, 0));
    let mut own: Vec<String> = p
        .series
        .schedule
        .between(from, to)
        .into_iter()
        .filter(|o| o.index != 2)
        .map(|o| z(if o.index == 1 { moved.starts_at } else { o.starts_at }))
        .collect();
    own.sort();
    assert_eq!(own[0], "2026-10-13T08:00:00Z", "summer time: 10:00 in Berlin is 08:00 UTC");
    assert_eq!(own[1], "2026-10-21T09:30:00Z", "the moved meeting");
    assert_eq!(own[2], "2026-11-03T09:00:00Z", "winter time, and the skipped 27 October is gone");

    // The feed link, made through the API, read without signing in.
    let token = t.token(&p.mia).await;
    let c = plain();
    let r = c.post(t.url("/api/v1/me/calendar-feed")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let url = r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    let status = c.get(t.url("/api/v1/me/calendar-feed")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(status.status(), 200);
    assert!(status.json::<Value>().await.unwrap()["created_at"].is_string());
    assert!(url.starts_with(&t.base) && url.ends_with(".ics"), "{url}");
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let feed = r.text().await.unwrap();

    let py = python_check(&feed, from, to);
    assert_eq!(strings(&py["starts"]), own, "recurring-ical-events expands the feed to rapport's instants");
    assert_eq!(icaljs_starts(&feed, from, to), own, "ical.js expands the feed to rapport's instants");
    assert_eq!(strings(&py["uids"]), vec![format!("series-{}@rapport", p.series.id)], "one stable UID per series");
    assert_eq!(strings(&py["summaries"]), vec!["1:1 with Tom Teammate".to_string()]);
    let urls = strings(&py["urls"]);
    assert!(urls.contains(&format!("{}/series/{}", t.base, p.series.id)), "{urls:?}");
    assert!(urls.contains(&format!("{}/meetings/{}", t.base, second.id)), "the moved meeting links to its page: {urls:?}");
    // The same URL again gives the same events (stable), apart from DTSTAMP.
    let again = c.get(&url).send().await.unwrap().text().await.unwrap();
    let strip = |s: &str| s.lines().filter(|l| !l.starts_with("DTSTAMP")).collect::<Vec<_>>().join("\n");
    assert_eq!(strip(&again), strip(&feed));

    // Invitations: the series (REQUEST), the move (REQUEST with RECURRENCE-ID), the skip (CANCEL).
    assert_eq!(t.app.run_jobs("test-worker").await.unwrap(), 6);
    let inbox = t.app.inbox(&p.tom).await.unwrap();
    assert_eq!(inbox.len(), 3, "Tom got the invitation, the move and the cancellation");
    let mut methods = vec![];
    for m in &inbox {
        let ics = m.calendar.as_deref().expect("each carries a calendar part");
        let v = python_check(ics, from, to);
        methods.push(v["method"].as_str().unwrap().to_string());
        if m.subject.starts_with("1:1s with") {
            // The invitation to the series expands to the schedule (before the move and skip).
            let plain_schedule: Vec<String> = p.series.schedule.between(from, to).into_iter().map(|o| z(o.starts_at)).collect();
            assert_eq!(strings(&v["starts"]), plain_schedule);
            assert_eq!(icaljs_starts(ics, from, to), plain_schedule);
        }
    }
    methods.sort();
    assert_eq!(methods, vec!["CANCEL", "REQUEST", "REQUEST"]);

    // Revoked: the link stops working, with a plain 404.
    let r = c.delete(t.url("/api/v1/me/calendar-feed")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(c.get(&url).send().await.unwrap().status(), 404);
    assert_eq!(c.get(t.url("/api/v1/me/calendar-feed")).bearer_auth(&token).send().await.unwrap().status(), 404);
    assert_eq!(c.get(t.url("/calendar/rcal_nonsense.ics")).send().await.unwrap().status(), 404);
    let _ = p.admin;
}

async fn a_job_whose_worker_died_is_delivered_once_after_its_lease_runs_out(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let now = t.clock.now();
    // A worker claims both invitations and dies before finishing them.
    let claimed = jobs::claim(&t.app.db, "worker-that-dies", now, now + Duration::seconds(300), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let ids: Vec<uuid::Uuid> = claimed.iter().map(|j| j.id).collect();
    drop(claimed);
    // While its lease lasts, nobody else takes them.
    assert_eq!(t.app.run_jobs("second-worker").await.unwrap(), 0);
    t.clock.advance(Duration::seconds(301));
    assert_eq!(t.app.run_jobs("second-worker").await.unwrap(), 2);
    assert_eq!(messages::sent_count(&t.app.db, "invite:").await.unwrap(), 2);
    assert_eq!(t.app.inbox(&p.mia).await.unwrap().len(), 1);
    assert_eq!(t.app.inbox(&p.tom).await.unwrap().len(), 1);
    // The dead worker's late completion changes nothing, and nothing runs twice.
    let mut tx = t.app.db.begin().await.unwrap();
    for id in ids {
        assert!(!jobs::complete(&mut tx, id, "worker-that-dies", now).await.unwrap());
    }
    tx.commit().await.unwrap();
    t.clock.advance(Duration::hours(2));
    assert_eq!(t.app.run_jobs("third-worker").await.unwrap(), 0);
    assert_eq!(t.app.inbox(&p.tom).await.unwrap().len(), 1);
    // Queueing the same key again queues nothing.
    let key = format!("invite:{}:v1:{}", p.series.id, p.tom.id.0);
    let mut tx = t.app.db.begin().await.unwrap();
    let again = jobs::NewJob { kind: "email", payload: "{}", idempotency_key: &key, run_at: t.clock.now(), max_attempts: 8 };
    assert!(!jobs::enqueue(&mut tx, &again, t.clock.now()).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(jobs::by_key(&t.app.db, &key).await.unwrap().unwrap().state, "done");
}

async fn messages_and_the_failure_page_are_private(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    t.app.run_jobs("w").await.unwrap();
    let mia_message = t.app.inbox(&p.mia).await.unwrap().remove(0);
    let tom_token = t.token(&p.tom).await;
    let c = plain();
    // Tom's messages are his own.
    let list: Value = c.get(t.url("/api/v1/me/messages")).bearer_auth(&tom_token).send().await.unwrap().json().await.unwrap();
    let subjects: Vec<&str> = list.as_array().unwrap().iter().map(|m| m["subject"].as_str().unwrap()).collect();
    assert_eq!(subjects, vec!["1:1s with Mia Manager: starting 13 October"]);
    // Mia's message is not found for Tom, on the page and its calendar file; found for Mia.
    let (tom_browser, _) = t.signed_in(&p.tom.email).await;
    for path in [format!("/messages/{}", mia_message.id), format!("/messages/{}/invitation.ics", mia_message.id)] {
        assert_eq!(tom_browser.get(t.url(&path)).send().await.unwrap().status(), 404, "{path}");
    }
    let (mia_browser, _) = t.signed_in(&p.mia.email).await;
    let page = mia_browser.get(t.url(&format!("/messages/{}", mia_message.id))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("You have started 1:1s with Tom Teammate"));
    // An admin sees failed jobs; nobody else does, and to them the page does not exist.
    assert_eq!(c.get(t.url("/api/v1/admin/jobs")).bearer_auth(&tom_token).send().await.unwrap().status(), 404);
    assert_eq!(tom_browser.get(t.url("/admin/jobs")).send().await.unwrap().status(), 404);
    let admin_token = t.token(&p.admin).await;
    let r = c.get(t.url("/api/v1/admin/jobs")).bearer_auth(&admin_token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["counts"]["done"], 2);
    // Even an admin cannot read someone else's messages.
    assert!(t.app.inbox_message(&p.admin, mia_message.id).await.is_err());
}

async fn prep_reminders_are_queued_once_when_due_and_never_in_quiet_hours(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let first = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[0].clone();
    t.app.add_point(&p.tom, first.id, "How do I get to senior?", false).await.unwrap();
    // Mia keeps quiet hours from 06:00 to 09:00 (UTC, her zone); Tom the default 20:00–08:00.
    let mut quiet = t.app.reminder_settings(&p.mia).await.unwrap();
    quiet.quiet_start = chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap();
    quiet.quiet_end = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    t.app.save_reminder_settings(&p.mia, quiet).await.unwrap();
    t.app.run_jobs("w").await.unwrap();

    // The meeting is at 08:00 UTC; reminders are due 24 hours before.
    let due = first.starts_at - Duration::hours(24);
    t.clock.set(due - Duration::minutes(1));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "prep:").await, 0, "not due yet");
    t.clock.set(due + Duration::minutes(1));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, &format!("prep:{}:{}", first.id, p.tom.id.0)).await, 1, "Tom's is due");
    assert_eq!(queued(&t, "prep:").await, 1, "08:00 is in Mia's quiet hours");
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "prep:").await, 1, "each reminder is queued once");
    t.clock.set(due + Duration::hours(1));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "prep:").await, 2, "Mia's comes when her quiet hours end");
    t.app.run_jobs("w").await.unwrap();
    let mia = t.app.inbox(&p.mia).await.unwrap();
    let prep = mia.iter().find(|m| m.subject.starts_with("Your 1:1 with Tom Teammate")).expect("Mia's prep reminder");
    assert!(prep.body_text.contains("How do I get to senior?"), "{}", prep.body_text);
    let tom = t.app.inbox(&p.tom).await.unwrap();
    let prep = tom.iter().find(|m| m.subject.starts_with("Your 1:1 with Mia Manager")).expect("Tom's prep reminder");
    assert!(prep.body_text.contains("Mia Manager has not added topics yet."), "{}", prep.body_text);
    // Tom is asked for the pulse of that 1:1 (he has not answered it), with a link to it; Mia is not.
    let pulse_link = format!("/meetings/{}#pulse", first.id);
    assert!(prep.body_text.contains("How are you doing? A few quick questions before you meet: "), "{}", prep.body_text);
    assert!(prep.body_text.contains(&pulse_link) && prep.body_html.contains(&pulse_link), "{}", prep.body_text);
    let mias = mia.iter().find(|m| m.subject.starts_with("Your 1:1 with Tom Teammate")).unwrap();
    assert!(!mias.body_text.contains("#pulse"), "{}", mias.body_text);
    t.clock.advance(Duration::hours(3));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "prep:").await, 2);
    assert_eq!(messages::sent_count(&t.app.db, "prep:").await.unwrap(), 2);
}

async fn two_instances_on_one_database_run_each_job_once(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    for i in 0..4 {
        let report = t.person(&p.admin, &format!("Report {i}"), Some(p.mia.id)).await;
        let input = SeriesInput {
            teammate_id: report.id,
            kind: SeriesKind::Regular,
            cadence: Cadence::Biweekly,
            first_date: NaiveDate::from_ymd_opt(2026, 10, 14).unwrap(),
            time: "15:00".into(),
            timezone: "America/New_York".into(),
            duration_minutes: 25,
        };
        t.app.create_series(&p.mia, input).await.unwrap();
    }
    assert_eq!(queued(&t, "invite:").await, 10);
    // A second instance on the same database; both work the queue at once.
    let other = spawn_on(&t.db_url, None, Config::default()).await;
    other.clock.set(t.clock.now());
    let (a, b) = tokio::join!(t.app.run_jobs("instance-a"), other.app.run_jobs("instance-b"));
    assert_eq!(a.unwrap() + b.unwrap(), 10, "each job ran on exactly one instance");
    assert_eq!(messages::sent_count(&t.app.db, "invite:").await.unwrap(), 10);
    assert_eq!(t.app.inbox(&p.mia).await.unwrap().len(), 5);
}

async fn ending_a_series_ends_it_in_both_calendars(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    t.app.run_jobs("w").await.unwrap();
    // Two meetings have taken place (13 and 20 October); then Mia ends the series.
    t.clock.set(at(2026, 10, 22, 12, 0));
    let series = t.app.set_series_status(&p.mia, p.series.id, 1, rapport::domain::meeting::SeriesStatus::Ended).await.unwrap();
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 2);
    let (from, to) = (at(2026, 10, 1, 0, 0), at(2027, 1, 1, 0, 0));
    let held = vec!["2026-10-13T08:00:00Z".to_string(), "2026-10-20T08:00:00Z".to_string()];
    let update =
        t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject == "1:1s with Mia Manager have ended").expect("Tom hears");
    let ics = update.calendar.expect("with the calendar update");
    let v = python_check(&ics, from, to);
    assert_eq!(v["method"], "REQUEST");
    assert_eq!(strings(&v["starts"]), held, "the series now ends after its last meeting");
    assert_eq!(icaljs_starts(&ics, from, to), held);
    assert!(ics.contains("SEQUENCE:1"), "a later version than the first invitation");
    // The feed agrees.
    let token = t.app.create_calendar_feed(&p.tom).await.unwrap();
    let feed = t.app.calendar_feed(&token, &t.base).await.unwrap();
    assert_eq!(strings(&python_check(&feed, from, to)["starts"]), held);
    assert_eq!(series.version, 2);
}

async fn reminders_keep_coming_when_nobody_opens_rapport(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    // Six weeks on, nobody has opened rapport: the meeting of Tuesday 24 November (10:00 in
    // Berlin, 09:00 UTC in winter) still gets its prep reminders.
    t.clock.set(at(2026, 11, 23, 9, 30));
    t.app.run_scheduler().await.unwrap();
    let next = rapport::store::meetings::upcoming(&t.app.db, p.series.id, t.clock.now(), 1).await.unwrap();
    assert_eq!(next[0].starts_at, at(2026, 11, 24, 9, 0));
    assert_eq!(queued(&t, &format!("prep:{}:", next[0].id)).await, 2);
}

async fn a_skipped_meeting_put_back_returns_to_both_calendars(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let second = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[1].clone();
    let skipped = t.app.set_meeting_status(&p.mia, second.id, second.version, MeetingStatus::Skipped, "Away").await.unwrap();
    t.app.set_meeting_status(&p.tom, second.id, skipped.version, MeetingStatus::Scheduled, "").await.unwrap();
    t.app.run_jobs("w").await.unwrap();
    let (from, to) = (at(2026, 10, 1, 0, 0), at(2026, 12, 1, 0, 0));
    let back = t.app.inbox(&p.mia).await.unwrap().into_iter().find(|m| m.subject.contains("takes place after all")).expect("Mia hears");
    let ics = back.calendar.expect("with the occurrence");
    let v = python_check(&ics, from, to);
    assert_eq!(v["method"], "REQUEST");
    assert_eq!(strings(&v["starts"]), vec!["2026-10-20T08:00:00Z".to_string()]);
    assert!(ics.contains("RECURRENCE-ID;TZID=Europe/Berlin:20261020T100000"), "{ics}");
    // And the feed has every meeting again.
    let token = t.app.create_calendar_feed(&p.mia).await.unwrap();
    let feed = t.app.calendar_feed(&token, &t.base).await.unwrap();
    let all: Vec<String> = p.series.schedule.between(from, to).into_iter().map(|o| z(o.starts_at)).collect();
    assert_eq!(icaljs_starts(&feed, from, to), all);
}

async fn a_one_off_is_invited_as_a_single_event(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let input = SeriesInput {
        teammate_id: p.tom.id,
        kind: SeriesKind::OneOff,
        cadence: Cadence::Weekly,
        first_date: NaiveDate::from_ymd_opt(2026, 10, 16).unwrap(),
        time: "14:00".into(),
        timezone: "Europe/Berlin".into(),
        duration_minutes: 45,
    };
    t.app.create_series(&p.mia, input).await.unwrap();
    t.app.run_jobs("w").await.unwrap();
    let m = t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject.starts_with("A 1:1 with")).expect("Tom's invitation");
    assert_eq!(m.subject, "A 1:1 with Mia Manager on 16 October");
    assert!(m.body_text.contains("has set up a 1:1 with you: once, at 14:00 (Europe/Berlin), 45 minutes. It is on"), "{}", m.body_text);
    let ics = m.calendar.unwrap();
    assert!(!ics.contains("RRULE:FREQ=WEEKLY") && !ics.contains("RRULE:FREQ=MONTHLY"), "no recurrence of the meeting");
    let v = python_check(&ics, at(2026, 10, 1, 0, 0), at(2027, 1, 1, 0, 0));
    assert_eq!(strings(&v["starts"]), vec!["2026-10-16T12:00:00Z".to_string()]);
}

async fn the_weeks_of_a_pause_stay_out_of_calendars_after_resuming(t: TestApp) {
    use rapport::domain::meeting::SeriesStatus;
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    t.clock.set(at(2026, 10, 14, 12, 0));
    let paused = t.app.set_series_status(&p.mia, p.series.id, 1, SeriesStatus::Paused).await.unwrap();
    t.clock.set(at(2026, 11, 20, 12, 0));
    t.app.set_series_status(&p.mia, p.series.id, paused.version, SeriesStatus::Active).await.unwrap();
    // 10 and 17 November fell in the pause and have no meeting; 24 November on are planned.
    let (from, to) = (at(2026, 10, 1, 0, 0), at(2026, 12, 10, 0, 0));
    let want: Vec<String> =
        p.series.schedule.between(from, to).into_iter().filter(|o| o.index != 4 && o.index != 5).map(|o| z(o.starts_at)).collect();
    assert!(want.contains(&"2026-11-24T09:00:00Z".to_string()) && !want.contains(&"2026-11-10T09:00:00Z".to_string()));
    let token = t.app.create_calendar_feed(&p.tom).await.unwrap();
    let feed = t.app.calendar_feed(&token, &t.base).await.unwrap();
    assert_eq!(strings(&python_check(&feed, from, to)["starts"]), want);
    assert_eq!(icaljs_starts(&feed, from, to), want);
    // The resume's calendar update says the same.
    t.app.run_jobs("w").await.unwrap();
    let update = t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject.ends_with("continue as before")).expect("Tom hears");
    assert_eq!(icaljs_starts(update.calendar.as_deref().unwrap(), from, to), want);
}

async fn overdue_action_items_are_recalled_once_a_day(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let first = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[0].clone();
    let due = NaiveDate::from_ymd_opt(2026, 10, 9).unwrap();
    t.app
        .add_action(&p.mia, first.id, "Write up the on-call proposal", p.tom.id, Some(due), rapport::domain::meeting::ActionKind::Normal)
        .await
        .unwrap();
    // Before the date: nothing. The day after, at 22:00 UTC (Tom's quiet hours): nothing yet.
    t.clock.set(at(2026, 10, 9, 12, 0));
    t.app.run_scheduler().await.unwrap();
    t.clock.set(at(2026, 10, 10, 22, 0));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "overdue:").await, 0);
    // The next morning: once, however often the scheduler runs that day.
    t.clock.set(at(2026, 10, 11, 8, 30));
    t.app.run_scheduler().await.unwrap();
    t.clock.set(at(2026, 10, 11, 15, 0));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, &format!("overdue:{}:2026-10-11", p.tom.id.0)).await, 1);
    assert_eq!(queued(&t, "overdue:").await, 1, "only the owner hears of it");
    t.app.run_jobs("w").await.unwrap();
    let m = t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject == "An action item is past due").expect("Tom's reminder");
    assert!(m.body_text.contains("- Write up the on-call proposal (due 9 October)"), "{}", m.body_text);
    // And again the day after, while it stays open.
    t.clock.set(at(2026, 10, 12, 9, 0));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "overdue:").await, 2);
}

async fn queued(t: &TestApp, prefix: &str) -> i64 {
    jobs::count_with_prefix(&t.app.db, prefix).await.unwrap()
}

async fn nudges_gap_alerts_and_weekly_digests_come_once_each(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    let upcoming = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming;
    let first = upcoming[0].clone();
    // Mia's team has a chat channel.
    let (team_url, team_calls) = webhook_receiver().await;
    let mut s = t.app.reminder_settings(&p.mia).await.unwrap();
    s.team_webhook_url = team_url;
    t.app.save_reminder_settings(&p.mia, s).await.unwrap();
    // Two days before the first 1:1, Tom has added nothing: he is nudged, once, and so is the
    // team channel (after its first answer, a 500, is retried).
    t.clock.set(first.starts_at - Duration::hours(48) + Duration::minutes(1));
    t.app.run_scheduler().await.unwrap();
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "nudge:").await, 2, "the e-mail and the team channel's post");
    t.app.run_jobs("w").await.unwrap();
    t.clock.advance(Duration::minutes(2));
    t.app.run_jobs("w").await.unwrap();
    let posts = team_calls.lock().unwrap().clone();
    assert_eq!(posts.iter().map(|c| c.0).collect::<Vec<_>>(), vec![500, 200]);
    let text = posts[1].1["text"].as_str().unwrap();
    assert!(text.starts_with("Tom Teammate: your 1:1 with Mia Manager is"), "{text}");
    // Monday morning: everyone who can sign in gets a digest of their week, once.
    t.clock.set(at(2026, 10, 12, 8, 30));
    t.app.run_scheduler().await.unwrap();
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "digest:").await, 3);
    t.app.run_jobs("w").await.unwrap();
    let digest = t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject.starts_with("Your week")).expect("Tom's digest");
    assert_eq!(digest.subject, "Your week: one 1:1");
    assert!(digest.body_text.contains("- Tuesday 08:00 with Mia Manager"), "{}", digest.body_text);
    let nudge = t.app.inbox(&p.tom).await.unwrap().into_iter().find(|m| m.subject.starts_with("What would you like")).expect("Tom's nudge");
    assert!(nudge.body_text.contains("It is your meeting"));
    assert_eq!(queued(&t, "gap:").await, 0);
    // Every meeting so far skipped: three weeks after the series began, Mia hears of it, once.
    for m in &upcoming {
        let m = rapport::store::meetings::get_meeting(&t.app.db, m.id).await.unwrap().unwrap();
        t.app.set_meeting_status(&p.mia, m.id, m.version, MeetingStatus::Skipped, "Busy").await.unwrap();
    }
    t.clock.set(at(2026, 10, 23, 10, 0));
    t.app.run_scheduler().await.unwrap();
    t.app.run_scheduler().await.unwrap();
    assert_eq!(queued(&t, "gap:").await, 1);
    t.app.run_jobs("w").await.unwrap();
    let alert = t.app.inbox(&p.mia).await.unwrap().into_iter().find(|m| m.subject.starts_with("No 1:1 with")).expect("Mia's alert");
    assert_eq!(alert.subject, "No 1:1 with Tom Teammate for 3 weeks");
    assert!(t.app.inbox(&p.tom).await.unwrap().iter().all(|m| !m.subject.starts_with("No 1:1")), "only the manager hears of it");
}

/// The two webhook tests post to a listener on loopback over plain http, which only an
/// operator's explicit settings allow (tests/it/webhooks.rs shows the refusals).
fn loopback_webhooks() -> Config {
    let webhooks = rapport::domain::messages::WebhookRules { allowed_hosts: vec!["127.0.0.1".into()], allow_http: true };
    Config { webhooks, ..Config::default() }
}

mod a_webhook_that_answers_500_is_retried_and_posts_once {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_webhook_that_answers_500_is_retried_and_posts_once(
            crate::support::spawn_with(super::Backend::Sqlite, super::loopback_webhooks()).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_webhook_that_answers_500_is_retried_and_posts_once(
            crate::support::spawn_with(super::Backend::Postgres, super::loopback_webhooks()).await,
        )
        .await
    }
}

mod nudges_gap_alerts_and_weekly_digests_come_once_each {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::nudges_gap_alerts_and_weekly_digests_come_once_each(
            crate::support::spawn_with(super::Backend::Sqlite, super::loopback_webhooks()).await,
        )
        .await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::nudges_gap_alerts_and_weekly_digests_come_once_each(
            crate::support::spawn_with(super::Backend::Postgres, super::loopback_webhooks()).await,
        )
        .await
    }
}

/// A Slack-style incoming webhook that fails its first call with 500 and records the rest.
async fn webhook_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<(u16, Value)>>>) {
    use axum::http::StatusCode;
    let calls: std::sync::Arc<std::sync::Mutex<Vec<(u16, Value)>>> = Default::default();
    let seen = calls.clone();
    let app = axum::Router::new().route(
        "/services/T000/B000/secret-part",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let seen = seen.clone();
            async move {
                let mut list = seen.lock().unwrap();
                let status = if list.is_empty() { StatusCode::INTERNAL_SERVER_ERROR } else { StatusCode::OK };
                list.push((status.as_u16(), body));
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/services/T000/B000/secret-part", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, calls)
}

async fn a_webhook_that_answers_500_is_retried_and_posts_once(t: TestApp) {
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    t.app.run_jobs("w").await.unwrap();
    let (url, calls) = webhook_receiver().await;
    // Tom sets his webhook through the API.
    let token = t.token(&p.tom).await;
    let c = plain();
    let mut settings: Value = c.get(t.url("/api/v1/me/reminders")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    settings["webhook_url"] = Value::String(url.clone());
    let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), 200);
    settings["webhook_url"] = Value::String("ftp://nope".into());
    let r = c.put(t.url("/api/v1/me/reminders")).bearer_auth(&token).json(&settings).send().await.unwrap();
    assert_eq!(r.status(), 422);

    let second = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[1].clone();
    t.app.move_meeting(&p.mia, second.id, second.version, NaiveDate::from_ymd_opt(2026, 10, 22).unwrap(), "09:00", "Clash").await.unwrap();
    // Two e-mails and Tom's webhook; the webhook answers 500 the first time.
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 3);
    let report = t.app.job_report(&p.admin).await.unwrap();
    assert_eq!(report.troubled.len(), 1);
    let j = &report.troubled[0];
    assert_eq!((j.kind.as_str(), j.state.as_str()), ("webhook", "queued"));
    assert!(j.last_error.contains("HTTP 500"), "{}", j.last_error);
    assert!(!j.last_error.contains("secret-part"), "the webhook address is a secret: {}", j.last_error);
    t.clock.advance(Duration::seconds(61));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 1);
    t.clock.advance(Duration::hours(1));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
    let calls = calls.lock().unwrap().clone();
    assert_eq!(calls.iter().map(|c| c.0).collect::<Vec<_>>(), vec![500, 200], "one failure, then one delivery");
    let text = calls[1].1["text"].as_str().unwrap();
    assert!(text.starts_with("Your 1:1 with Mia Manager moved from"), "{text}");
}

// ---- a real SMTP server ----

/// A scripted SMTP server that refuses every recipient with 550 (a real server would for an
/// address it does not know). Returns its port.
fn refusing_smtp_server() -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let mut out = conn.try_clone().unwrap();
            let _ = out.write_all(b"220 refuser ESMTP\r\n");
            for line in BufReader::new(conn).lines() {
                let Ok(line) = line else { break };
                let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" => b"250 refuser\r\n",
                    "MAIL" | "RSET" | "NOOP" => b"250 OK\r\n",
                    "RCPT" => b"550 5.1.1 No such user here\r\n",
                    "QUIT" => b"221 Bye\r\n",
                    _ => b"500 What?\r\n",
                };
                if out.write_all(reply).is_err() || verb == "QUIT" {
                    break;
                }
            }
        }
    });
    port
}

mod a_refused_recipient_fails_at_once_and_an_admin_can_try_again {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_refused_recipient_fails_at_once_and_an_admin_can_try_again(super::Backend::Sqlite).await
    }
}

async fn a_refused_recipient_fails_at_once_and_an_admin_can_try_again(backend: Backend) {
    let port = refusing_smtp_server();
    let config = Config { mail: Some(local_smtp(port)), ..Config::default() };
    let t = spawn_with(backend, config).await;
    let p = mia_meets_tom_weekly_in_berlin(&t).await;
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 2);
    let report = t.app.job_report(&p.admin).await.unwrap();
    assert_eq!(report.troubled.len(), 2);
    for j in &report.troubled {
        assert_eq!((j.state.as_str(), j.attempts), ("failed", 1), "a refusal is not retried");
        assert!(j.last_error.contains("No such user"), "{}", j.last_error);
    }
    // Nothing more happens by itself; an admin's "Try again" queues it once more.
    t.clock.advance(Duration::hours(7));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
    let (admin_browser, csrf) = t.signed_in(&p.admin.email).await;
    let r = admin_browser
        .post(t.url(&format!("/admin/jobs/{}/retry", report.troubled[0].id)))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(t.app.retry_job(&p.tom, report.troubled[1].id).await.is_err(), "only admins retry");
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 1);
}

mod smtp_failing_then_recovering {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::smtp_failing_then_recovering(super::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::smtp_failing_then_recovering(super::Backend::Postgres).await
    }
}

mod an_invitation_link_is_emailed_once_and_works {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::an_invitation_link_is_emailed_once_and_works(super::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::an_invitation_link_is_emailed_once_and_works(super::Backend::Postgres).await
    }
}

/// With an SMTP server, inviting someone e-mails them the one-time link (never into the inbox:
/// the link is for their mailbox); the link from the e-mail signs them in. Without a server,
/// nothing is queued and the page says to send the link yourself.
async fn an_invitation_link_is_emailed_once_and_works(backend: Backend) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let server = SmtpServer::start(port).await;
    let config = Config { mail: Some(local_smtp(port)), public_url: Some("https://rapport.example.com".into()), ..Config::default() };
    let t = spawn_with(backend, config).await;
    let admin = t.admin().await;
    let newcomer = |name: &str| {
        let input = rapport::app::people::PersonInput {
            name: name.into(),
            email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
            title: String::new(),
            timezone: "UTC".into(),
            manager_id: Some(admin.id),
            is_admin: false,
        };
        let app = t.app.clone();
        let admin = admin.clone();
        async move { app.create_person(&admin, input).await.unwrap() }
    };
    let lin = newcomer("Lin Newcomer").await;
    // Invited while someone else is added: the API sends only when asked to.
    let kai = newcomer("Kai Other").await;
    let token = t.token(&admin).await;
    let r: Value = plain()
        .post(t.url(&format!("/api/v1/people/{}/invitation", kai.id.0)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["emailed"], false, "{r}");
    let (browser, csrf) = t.signed_in(&admin.email.to_string()).await;
    let page = browser
        .post(t.url(&format!("/people/{}/invite", lin.id.0)))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("We are e-mailing this link to Lin Newcomer"), "{page}");
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 1);
    t.clock.advance(Duration::hours(1));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0, "sent once");
    let mail = server.messages();
    assert_eq!(mail.len(), 1, "{mail:#?}");
    assert!(mail[0]["to"].as_str().unwrap().contains(&lin.email.to_string()));
    assert_eq!(mail[0]["subject"], format!("{} invited you to rapport", admin.name));
    let text = mail[0]["text"].as_str().unwrap();
    let link = text.lines().find(|l| l.starts_with("https://rapport.example.com/invite/")).unwrap_or_else(|| panic!("{text}"));
    let invitation = link.rsplit('/').next().unwrap();
    assert!(mail[0]["html"].as_str().unwrap().contains(link));
    let session = t.app.accept_invitation(invitation, "a long enough password for Lin").await.unwrap();
    assert_eq!(session.person.id, lin.id);
    assert!(t.app.inbox(&session.person).await.unwrap().is_empty(), "the link is not kept in the inbox");
    let r: Value = plain()
        .post(t.url(&format!("/api/v1/people/{}/invitation?email=true", kai.id.0)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["emailed"], true, "{r}");
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 1);
    assert_eq!(server.messages().len(), 2);
    drop(server);

    // No SMTP server: nothing is queued, and the page asks the inviter to send the link.
    let t = spawn_with(backend, Config::default()).await;
    let admin = t.admin().await;
    let input = rapport::app::people::PersonInput {
        name: "Lin Newcomer".into(),
        email: "lin@example.com".into(),
        title: String::new(),
        timezone: "UTC".into(),
        manager_id: Some(admin.id),
        is_admin: false,
    };
    let lin = t.app.create_person(&admin, input).await.unwrap();
    let inv = t.app.invite_with(&admin, lin.id, true).await.unwrap();
    assert!(!inv.emailed);
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
}

/// Mail through an SMTP server on this machine at `port`, in plain text (aiosmtpd offers no
/// AUTH on a plain connection, so none is configured).
fn local_smtp(port: u16) -> MailConfig {
    MailConfig {
        host: "127.0.0.1".into(),
        port,
        tls: MailTls::None,
        username: None,
        password: None,
        from: "rapport <rapport@example.com>".into(),
        timeout_secs: 5,
    }
}

/// aiosmtpd writing a Maildir; stopped when dropped.
struct SmtpServer {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl SmtpServer {
    async fn start(port: u16) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        // Wait until it listens (a process starting, not time passing for rapport).
        for _ in 0..300 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return SmtpServer { child, dir, port };
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("aiosmtpd did not start on port {port}");
    }

    fn messages(&self) -> Vec<Value> {
        let v = run_json(Command::new(python()).arg(repo().join("tests/py/read_maildir.py")).arg(self.dir.path().join("mail")));
        v.as_array().unwrap().clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn smtp_failing_then_recovering(backend: Backend) {
    // A port nothing listens on yet.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let config = Config { mail: Some(local_smtp(port)), ..Config::default() };
    let t = spawn_with(backend, config).await;
    let p = mia_meets_tom_weekly_in_berlin(&t).await;

    // The server is down: both invitations fail, wait to retry, and say why on the admin page.
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 2);
    let report = t.app.job_report(&p.admin).await.unwrap();
    assert_eq!(report.troubled.len(), 2);
    for j in &report.troubled {
        assert_eq!((j.state.as_str(), j.attempts), ("queued", 1));
        assert!(j.last_error.contains(&format!("127.0.0.1:{port}")), "{}", j.last_error);
        assert_eq!(j.run_at, t.clock.now() + Duration::minutes(1), "the first retry comes a minute later");
    }
    assert!(t.app.inbox(&p.mia).await.unwrap().is_empty(), "not delivered, so not in the inbox either");
    let (admin_browser, _) = t.signed_in(&p.admin.email).await;
    let page = admin_browser.get(t.url("/admin/jobs")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("127.0.0.1:{port}")), "the admin page shows the error");

    // The server comes up. Before the retry time nothing is sent; after it, each once.
    let server = SmtpServer::start(port).await;
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
    t.clock.advance(Duration::seconds(61));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 2);
    let report = t.app.job_report(&p.admin).await.unwrap();
    assert!(report.troubled.is_empty(), "{:?}", report.troubled);
    t.clock.advance(Duration::hours(1));
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0);
    let mail = server.messages();
    assert_eq!(mail.len(), 2, "{mail:#?}");
    let to_mia = mail.iter().find(|m| m["to"].as_str().unwrap().contains(&p.mia.email)).expect("Mia's invitation");
    assert_eq!(to_mia["subject"], "1:1s with Tom Teammate: starting 13 October");
    assert_eq!(to_mia["from"], "rapport <rapport@example.com>");
    assert_eq!(to_mia["content_type"], "multipart/alternative");
    assert!(to_mia["text"].as_str().unwrap().contains("You have started 1:1s with Tom Teammate"));
    assert!(to_mia["html"].as_str().unwrap().contains("<strong>Tuesday 13 October 2026 at 08:00</strong>"), "{}", to_mia["html"]);
    assert_eq!(to_mia["calendar_method"], "REQUEST");
    assert_eq!(to_mia["calendar_valid"], true);
    let to_tom = mail.iter().find(|m| m["to"].as_str().unwrap().contains(&p.tom.email)).expect("Tom's invitation");
    assert!(to_tom["text"].as_str().unwrap().contains("A 1:1 is your meeting."));
    assert!(to_tom["calendar"].as_str().unwrap().contains("RRULE:FREQ=WEEKLY;BYDAY=TU"));

    // A prep reminder through the same server, with Tom's topic in it.
    let first = t.app.series_view(&p.mia, p.series.id, None).await.unwrap().upcoming[0].clone();
    t.app.add_point(&p.tom, first.id, "Feedback on the launch", false).await.unwrap();
    t.clock.set(first.starts_at - Duration::hours(23));
    t.app.run_scheduler().await.unwrap();
    t.app.run_jobs("w").await.unwrap();
    t.clock.advance(Duration::hours(1));
    t.app.run_scheduler().await.unwrap();
    assert_eq!(t.app.run_jobs("w").await.unwrap(), 0, "nothing more to send");
    let mail = server.messages();
    // Every message once: no Message-ID twice, one prep reminder each.
    let mut ids: Vec<&str> = mail.iter().map(|m| m["message_id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), mail.len(), "a message arrived twice");
    let preps: Vec<&Value> = mail.iter().filter(|m| m["subject"].as_str().unwrap().starts_with("Your 1:1 with")).collect();
    assert_eq!(preps.len(), 2);
    let prep = preps.iter().find(|m| m["to"].as_str().unwrap().contains(&p.mia.email)).expect("Mia's prep mail");
    assert!(prep["text"].as_str().unwrap().contains("- Feedback on the launch"));
    assert!(prep["html"].as_str().unwrap().contains("<li>Feedback on the launch</li>"));
    assert!(prep["calendar"].is_null());
    drop(server);
}

// ---- a real crash: the process is killed while sending ----

mod killed_while_sending_then_restarted {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::killed_while_sending_then_restarted(super::Backend::Sqlite).await
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::killed_while_sending_then_restarted(super::Backend::Postgres).await
    }
}

/// `rapport serve` on `db_url` with `config` (a rapport.toml), killed when dropped.
struct Served(std::process::Child);

impl Served {
    fn start(db_url: &str, config: &std::path::Path) -> Served {
        let child = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", db_url, "--config"])
            .arg(config)
            .env_remove("RAPPORT_MAIL_HOST")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start rapport serve");
        Served(child)
    }

    /// SIGKILL: no shutdown, no cleanup, like a crash or a power cut.
    fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_for(what: &str, mut check: impl AsyncFnMut() -> bool) {
    // Real processes doing real work: poll, at most 40 s.
    for _ in 0..400 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

async fn killed_while_sending_then_restarted(backend: Backend) {
    let (db_url, dir) = fresh_database(backend).await;
    let t = spawn_on(&db_url, dir, Config::default()).await;
    let p = mia_meets_tom_weekly_in_berlin(&t).await; // two invitations queued
    let db = t.app.db.clone();

    // An SMTP server that accepts connections and never answers: sends hang mid-flight.
    let hole = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hole_port = hole.local_addr().unwrap().port();
    let (seen_tx, seen_rx) = std::sync::mpsc::channel::<std::net::TcpStream>();
    std::thread::spawn(move || {
        for conn in hole.incoming().flatten() {
            if seen_tx.send(conn).is_err() {
                break;
            }
        }
    });
    let cfg_dir = tempfile::tempdir().unwrap();
    let cfg = cfg_dir.path().join("rapport.toml");
    let write_cfg = |port: u16| {
        std::fs::write(
            &cfg,
            format!("job_lease_secs = 1\n[mail]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\nfrom = \"rapport <rapport@example.com>\"\ntimeout_secs = 60\n"),
        )
        .unwrap();
    };
    write_cfg(hole_port);
    let first = Served::start(&db_url, &cfg);
    let mut held = vec![];
    wait_for("the worker to connect to the SMTP server", async || match seen_rx.try_recv() {
        Ok(c) => {
            held.push(c);
            true
        }
        Err(_) => false,
    })
    .await;
    // Both invitations are claimed (with whatever reminders the real clock made due, in one
    // batch); one of them is in the middle of its send.
    for who in [&p.mia, &p.tom] {
        let key = format!("invite:{}:v1:{}", p.series.id, who.id.0);
        assert_eq!(jobs::by_key(&db, &key).await.unwrap().unwrap().state, "running", "{key}");
    }
    first.kill();
    drop(held);

    // Restart against a working server: after the lease, each invitation arrives once.
    let server = SmtpServer::start(std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()).await;
    let port = server_port(&server);
    write_cfg(port);
    let second = Served::start(&db_url, &cfg);
    wait_for("both invitations to be sent", async || messages::sent_count(&db, "invite:").await.unwrap() == 2).await;
    second.kill();
    let mail = server.messages();
    let invitations: Vec<&Value> = mail.iter().filter(|m| m["subject"].as_str().unwrap().starts_with("1:1s with")).collect();
    assert_eq!(invitations.len(), 2, "{invitations:#?}");
    let mut to: Vec<&str> = invitations.iter().map(|m| m["to"].as_str().unwrap()).collect();
    to.sort();
    assert!(to[0].contains(&p.mia.email) && to[1].contains(&p.tom.email), "{to:?}");
    let mut ids: Vec<&str> = mail.iter().map(|m| m["message_id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "no message arrived twice");
}

fn server_port(s: &SmtpServer) -> u16 {
    s.port
}
