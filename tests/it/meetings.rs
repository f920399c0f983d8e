//! The rules of a 1:1, through the use cases and the live-update stream, on both databases:
//! carry-over, time zones, privacy of private notes on every path, who may see what,
//! reporting-line changes, history, and concurrent edits that never lose a word.

use crate::on_both;
use crate::support::{TestApp, a_manager_with_a_report, at, browser, spawn_on, weekly_at_ten};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rapport::app::AppError;
use rapport::app::meetings::{NoteSaved, PointPatch, SeriesInput};
use rapport::domain::Person;
use rapport::domain::meeting::{MeetingStatus, SeriesKind, SeriesStatus};

on_both!(
    points_not_discussed_move_on_once_even_across_skipped_meetings,
    meetings_keep_their_local_time_across_daylight_saving,
    a_private_note_is_seen_by_its_author_alone_on_every_path,
    nobody_outside_the_pair_can_see_or_touch_a_meeting,
    a_new_manager_ends_the_old_series_and_the_old_pair_keeps_its_history,
    bad_input_is_refused_with_a_reason_and_changes_nothing,
    the_pages_are_told_by_the_policy_who_rates_and_who_pauses,
    history_is_paged_from_newest_to_oldest,
    two_people_editing_at_once_never_lose_an_acknowledged_change,
    search_finds_exactly_what_was_committed_after_concurrent_edits,
    a_kept_meeting_page_is_never_used_after_any_change_from_anywhere,
);

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

async fn points_text(t: &TestApp, who: &Person, meeting: uuid::Uuid) -> Vec<(String, bool)> {
    let v = t.app.meeting_view(who, meeting).await.unwrap();
    v.points.iter().map(|p| (p.body.clone(), p.carried_from.is_some())).collect()
}

async fn points_not_discussed_move_on_once_even_across_skipped_meetings(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, date(2026, 10, 6), "Europe/Berlin")).await.unwrap();
    let view = t.app.series_view(&p.teammate, series.id, None).await.unwrap();
    let (m0, m1, m2) = (view.upcoming[0].clone(), view.upcoming[1].clone(), view.upcoming[2].clone());

    t.app.add_point(&p.teammate, m0.id, "My promotion case", false).await.unwrap();
    let budget = t.app.add_point(&p.manager, m0.id, "Team budget", false).await.unwrap();
    t.app.add_point(&p.teammate, m0.id, "How are you, really?", true).await.unwrap();
    t.app.update_point(&p.manager, budget.id, budget.version, PointPatch { discussed: Some(true), ..Default::default() }).await.unwrap();

    // Before the first meeting is over nothing moves.
    assert!(points_text(&t, &p.teammate, m1.id).await.is_empty());

    // The day after: what was not discussed, and the recurring point, are in the next one.
    t.clock.set(at("2026-10-07T08:00:00Z"));
    let in_m1 = points_text(&t, &p.manager, m1.id).await;
    // The teammate's recurring question stays with their topics; carried-over ones follow.
    assert_eq!(in_m1, vec![("How are you, really?".into(), true), ("My promotion case".into(), true)]);
    // Viewing again changes nothing: each point moves once.
    assert_eq!(points_text(&t, &p.teammate, m1.id).await.len(), 2);

    // The second meeting is skipped: its points move on to the third.
    let m1_now = t.app.meeting_view(&p.manager, m1.id).await.unwrap().meeting;
    t.app.set_meeting_status(&p.manager, m1.id, m1_now.version, MeetingStatus::Skipped, "Conference week").await.unwrap();
    let v2 = t.app.meeting_view(&p.teammate, m2.id).await.unwrap();
    let bodies: Vec<&str> = v2.points.iter().map(|p| p.body.as_str()).collect();
    assert_eq!(bodies, ["How are you, really?", "My promotion case"]);
    assert_eq!(v2.points[1].carried_from, Some(m1.id), "it shows where it came from");

    // Several skipped meetings in a row: everything lands in the next one still to come.
    let v3 = t.app.meeting_view(&p.manager, v2.next[0].id).await.unwrap();
    let m2_now = v2.meeting;
    t.app.set_meeting_status(&p.manager, m2.id, m2_now.version, MeetingStatus::Cancelled, "Offsite").await.unwrap();
    let v3 = t.app.meeting_view(&p.manager, v3.meeting.id).await.unwrap();
    assert_eq!(v3.points.iter().filter(|p| p.body == "My promotion case").count(), 1);
    // The first meeting's record is unchanged: the point is there, not discussed.
    let v0 = t.app.meeting_view(&p.teammate, m0.id).await.unwrap();
    assert!(v0.points.iter().any(|p| p.body == "My promotion case" && !p.discussed));
    assert!(v0.points.iter().any(|p| p.body == "Team budget" && p.discussed));
    assert_eq!(t.app.meeting_view(&p.teammate, m1.id).await.unwrap().meeting.status_reason, "Conference week");
}

async fn meetings_keep_their_local_time_across_daylight_saving(t: TestApp) {
    t.clock.set(at("2026-10-15T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    // Berlin leaves summer time on Sunday 25 October 2026.
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, date(2026, 10, 20), "Europe/Berlin")).await.unwrap();
    let up = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming;
    assert_eq!(up[0].starts_at, at("2026-10-20T08:00:00Z"));
    assert_eq!(up[1].starts_at, at("2026-10-27T09:00:00Z"));
    // New York stays on summer time a week longer: 10:00 there is 14:00 then 15:00 UTC.
    let ny = t
        .app
        .create_series(
            &p.manager,
            SeriesInput { kind: SeriesKind::OneOff, ..weekly_at_ten(&p.teammate, date(2026, 11, 2), "America/New_York") },
        )
        .await
        .unwrap();
    let one = t.app.series_view(&p.manager, ny.id, None).await.unwrap().upcoming;
    assert_eq!(one.len(), 1, "a one-off is one meeting");
    assert_eq!(one[0].starts_at, at("2026-11-02T15:00:00Z"));
    // Moving a meeting keeps the record of where it was.
    let moved = t.app.move_meeting(&p.teammate, up[1].id, up[1].version, date(2026, 10, 28), "14:30", "Clash with a launch").await.unwrap();
    assert_eq!(moved.starts_at, at("2026-10-28T13:30:00Z"));
    assert_eq!(moved.moved_from_at, Some(at("2026-10-27T09:00:00Z")));
}

async fn a_private_note_is_seen_by_its_author_alone_on_every_path(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let first = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, first, "UTC")).await.unwrap();
    let meeting = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();

    // The teammate listens to the meeting's live updates over HTTP.
    let (teammate_browser, _) = t.signed_in(&p.teammate.email).await;
    let mut events = teammate_browser.get(t.url(&format!("/meetings/{}/events", meeting.id))).send().await.unwrap();
    assert_eq!(events.status(), 200);

    t.app.save_note(&p.manager, meeting.id, true, "Worried about burnout; plan a lighter sprint", 0).await.unwrap();
    t.app.save_note(&p.teammate, meeting.id, false, "Shared: sprint planning", 0).await.unwrap();

    // The first event the teammate hears is about the shared note, never the private one.
    let first_event = next_event(&mut events).await;
    assert!(first_event.contains("\"what\":\"notes\""), "{first_event}");
    assert!(!first_event.contains("burnout"), "events carry no content");

    let seen_by_teammate = t.app.meeting_view(&p.teammate, meeting.id).await.unwrap();
    assert!(seen_by_teammate.private_note.is_none());
    let seen_by_manager = t.app.meeting_view(&p.manager, meeting.id).await.unwrap();
    assert_eq!(seen_by_manager.private_note.unwrap().body, "Worried about burnout; plan a lighter sprint");
    // Search: the author finds it; the other person, a skip-level leader and an admin do not.
    assert_eq!(t.app.search(&p.manager, "burnout", None, None, None).await.unwrap().len(), 1);
    for who in [&p.teammate, &p.admin, &p.outsider] {
        assert!(t.app.search(who, "burnout", None, None, None).await.unwrap().is_empty(), "{} found it", who.name);
    }
    assert_eq!(t.app.search(&p.teammate, "sprint", None, None, None).await.unwrap().len(), 1, "the shared note is theirs to find");
    // The page: the teammate's meeting page never contains it.
    let html = teammate_browser.get(t.url(&format!("/meetings/{}", meeting.id))).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("burnout"));
    // Nobody can write into someone else's private note: saving "private" always means one's own.
    t.app.save_note(&p.teammate, meeting.id, true, "My own thoughts", 0).await.unwrap();
    let again = t.app.meeting_view(&p.manager, meeting.id).await.unwrap();
    assert_eq!(again.private_note.unwrap().body, "Worried about burnout; plan a lighter sprint");
}

async fn next_event(resp: &mut reqwest::Response) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await.expect("an event within 5 s").unwrap().unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
        if text.contains("event: change") && text.contains("\n\n") {
            return text;
        }
    }
}

async fn the_pages_are_told_by_the_policy_who_rates_and_who_pauses(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let first = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, first, "UTC")).await.unwrap();
    let meeting = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    // The teammate rates; the manager, who leads, pauses — and each is told so, not the other.
    for (who, rates, pauses) in [(&p.teammate, true, false), (&p.manager, false, true)] {
        assert_eq!(t.app.meeting_view(who, meeting.id).await.unwrap().can_rate.yes(), rates, "{}", who.name);
        assert_eq!(t.app.series_view(who, series.id, None).await.unwrap().can_pause.yes(), pauses, "{}", who.name);
    }
    t.clock.advance(Duration::days(3));
    assert!(matches!(t.app.set_series_status(&p.teammate, series.id, 1, SeriesStatus::Paused).await, Err(AppError::NotFound)));
    t.app.rate_meeting(&p.teammate, meeting.id, 4, "").await.unwrap();
    t.app.set_series_status(&p.manager, series.id, 1, SeriesStatus::Paused).await.unwrap();
}

async fn nobody_outside_the_pair_can_see_or_touch_a_meeting(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let first = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, first, "UTC")).await.unwrap();
    let meeting = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    t.app.add_point(&p.teammate, meeting.id, "Salary review", false).await.unwrap();
    // The admin, and the manager's own manager, are outside this pair's 1:1 content.
    for who in [&p.outsider, &p.admin] {
        assert!(matches!(t.app.meeting_view(who, meeting.id).await, Err(AppError::NotFound)));
        assert!(matches!(t.app.add_point(who, meeting.id, "x", false).await, Err(AppError::NotFound)));
        assert!(matches!(t.app.save_note(who, meeting.id, false, "x", 0).await, Err(AppError::NotFound)));
        assert!(matches!(t.app.subscribe_meeting(who, meeting.id).await, Err(AppError::NotFound)));
        assert!(matches!(t.app.series_view(who, series.id, None).await, Err(AppError::NotFound)));
        assert!(t.app.search(who, "salary", None, None, None).await.unwrap().is_empty());
    }
    let (c, _) = t.signed_in(&p.outsider.email).await;
    assert_eq!(c.get(t.url(&format!("/meetings/{}/events", meeting.id))).send().await.unwrap().status(), 404);
    // Only a manager starts 1:1s with their own report; skip-level ones go further down.
    assert!(matches!(t.app.create_series(&p.outsider, weekly_at_ten(&p.teammate, first, "UTC")).await, Err(AppError::NotFound)));
    assert!(matches!(t.app.create_series(&p.teammate, weekly_at_ten(&p.manager, first, "UTC")).await, Err(AppError::NotFound)));
    let skip = SeriesInput { kind: SeriesKind::SkipLevel, ..weekly_at_ten(&p.teammate, first, "UTC") };
    assert!(t.app.create_series(&p.admin, skip.clone()).await.is_ok(), "the admin is the skip-level leader here");
    assert!(matches!(t.app.create_series(&p.manager, skip).await, Err(AppError::NotFound)), "a direct report is not a skip-level");
}

async fn a_new_manager_ends_the_old_series_and_the_old_pair_keeps_its_history(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let first = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, first, "UTC")).await.unwrap();
    let meeting = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    t.app.save_note(&p.manager, meeting.id, false, "Agreed: lead the migration", 0).await.unwrap();
    let tom = rapport::store::people::get(&t.app.db, p.teammate.id).await.unwrap().unwrap();
    t.app
        .update_person(
            &p.admin,
            tom.id,
            rapport::app::people::PersonPatch { manager_id: Some(Some(p.outsider.id)), ..Default::default() },
            tom.version,
        )
        .await
        .unwrap();
    let old = t.app.series_view(&p.teammate, series.id, None).await.unwrap();
    assert_eq!(old.series.status, SeriesStatus::Ended);
    assert_eq!(t.app.meeting_view(&p.manager, meeting.id).await.unwrap().shared_note.unwrap().body, "Agreed: lead the migration");
    assert!(
        matches!(t.app.meeting_view(&p.outsider, meeting.id).await, Err(AppError::NotFound)),
        "the new manager does not inherit the notes"
    );
    // The new pair starts its own series.
    assert!(t.app.create_series(&p.outsider, weekly_at_ten(&p.teammate, first, "UTC")).await.is_ok());
}

async fn bad_input_is_refused_with_a_reason_and_changes_nothing(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let soon = (t.clock.now_date() + Duration::days(2)).date_naive();
    let past = (t.clock.now_date() - Duration::days(2)).date_naive();
    assert_eq!(field(t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, past, "UTC")).await), "first_date");
    assert_eq!(field(t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "Mars/Olympus")).await), "timezone");
    assert_eq!(
        field(t.app.create_series(&p.manager, SeriesInput { time: "25:00".into(), ..weekly_at_ten(&p.teammate, soon, "UTC") }).await),
        "time"
    );
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await.unwrap();
    assert_eq!(
        field(t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await),
        "teammate_id",
        "one live series per pair"
    );
    let m = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    assert_eq!(field(t.app.add_point(&p.teammate, m.id, "   ", false).await), "body");
    assert_eq!(field(t.app.add_point(&p.teammate, m.id, &"x".repeat(501), false).await), "body");
    assert_eq!(field(t.app.set_meeting_status(&p.manager, m.id, m.version, MeetingStatus::Skipped, " ").await), "reason");
    assert_eq!(field(t.app.rate_meeting(&p.teammate, m.id, 4, "").await), "rating", "not before it happened");
    assert_eq!(field(t.app.move_meeting(&p.manager, m.id, m.version, past, "10:00", "oops").await), "date");
    let point = t.app.add_point(&p.teammate, m.id, "Career path", false).await.unwrap();
    assert_eq!(
        field(
            t.app
                .update_point(&p.manager, point.id, point.version, PointPatch { body: Some("Reworded".into()), ..Default::default() })
                .await
        ),
        "body"
    );
    t.app.update_point(&p.teammate, point.id, point.version, PointPatch { discussed: Some(true), ..Default::default() }).await.unwrap();
    assert!(matches!(
        t.app.update_point(&p.teammate, point.id, point.version, PointPatch { discussed: Some(false), ..Default::default() }).await,
        Err(AppError::Conflict(_))
    ));
    t.clock.advance(Duration::days(3));
    assert!(matches!(t.app.rate_meeting(&p.manager, m.id, 4, "").await, Err(AppError::NotFound)), "the teammate rates");
    assert_eq!(field(t.app.rate_meeting(&p.teammate, m.id, 6, "").await), "rating");
    let rated = t.app.rate_meeting(&p.teammate, m.id, 5, "Clear next steps").await.unwrap();
    assert_eq!((rated.rating, rated.rating_comment.as_str()), (Some(5), "Clear next steps"));
    let v = t.app.meeting_view(&p.manager, m.id).await.unwrap();
    assert_eq!(v.points.len(), 1, "refused writes left nothing behind");
}

/// The field named by the first problem of a refused request.
fn field<T>(r: Result<T, AppError>) -> String {
    match r {
        Err(AppError::Invalid(i)) => i.0[0].field.clone(),
        Err(other) => panic!("expected invalid input, got {other:?}"),
        Ok(_) => panic!("expected invalid input, got success"),
    }
}

async fn history_is_paged_from_newest_to_oldest(t: TestApp) {
    t.clock.set(at("2026-01-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, date(2026, 1, 6), "UTC")).await.unwrap();
    t.clock.set(at("2026-08-01T08:00:00Z")); // 30 weekly meetings later
    let first = t.app.series_view(&p.teammate, series.id, None).await.unwrap();
    assert_eq!(first.history.len(), 20);
    assert!(first.history.windows(2).all(|w| w[0].starts_at > w[1].starts_at), "newest first");
    assert!(first.history[0].starts_at < at("2026-08-01T08:00:00Z"));
    let second = t.app.series_view(&p.teammate, series.id, first.older).await.unwrap();
    assert_eq!(second.history.len(), 10);
    assert_eq!(second.history.last().unwrap().starts_at, at("2026-01-06T10:00:00Z"));
    assert!(second.older.is_none());
    assert!(second.history[0].starts_at < first.history.last().unwrap().starts_at, "no overlap");
}

/// Two people save the same note and add topics at once, many times. Every save that was
/// acknowledged (saved or merged) is in the final text; the rest were refused as conflicts
/// and retried. Nothing vanishes.
async fn two_people_editing_at_once_never_lose_an_acknowledged_change(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let soon = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await.unwrap();
    let m = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    // A note with room: each writer owns a region, so most saves merge and some conflict.
    let skeleton: String = (0..40).map(|i| format!("line {i}\n")).collect();
    t.app.save_note(&p.manager, m.id, false, &skeleton, 0).await.unwrap();
    let writer = |who: Person, tag: &'static str| {
        let app = t.app.clone();
        let meeting = m.id;
        tokio::spawn(async move {
            let mut acknowledged = vec![];
            for i in 0..25 {
                let line = format!("{tag}-{i}");
                loop {
                    let v = app.meeting_view(&who, meeting).await.unwrap();
                    let note = v.shared_note.unwrap();
                    let mut lines: Vec<String> = note.body.lines().map(String::from).collect();
                    // Each writer edits its own half; every third round both touch line 20.
                    let slot = if i % 3 == 0 {
                        20
                    } else if tag == "a" {
                        (i % 10) + 2
                    } else {
                        (i % 10) + 28
                    };
                    lines[slot] = format!("{} {line}", lines[slot]);
                    match app.save_note(&who, meeting, false, &(lines.join("\n") + "\n"), note.version).await.unwrap() {
                        NoteSaved::Saved(_) | NoteSaved::Merged(_) => {
                            acknowledged.push(line.clone());
                            break;
                        }
                        NoteSaved::Conflict { .. } => continue, // re-read and try again
                    }
                }
                app.add_point(&who, meeting, &format!("topic {line}"), false).await.unwrap();
            }
            acknowledged
        })
    };
    let a = writer(p.manager.clone(), "a");
    let b = writer(p.teammate.clone(), "b");
    let (a, b) = (a.await.unwrap(), b.await.unwrap());
    let v = t.app.meeting_view(&p.manager, m.id).await.unwrap();
    let body = v.shared_note.unwrap().body;
    for line in a.iter().chain(b.iter()) {
        assert!(body.split_whitespace().any(|w| w == line), "acknowledged {line} is missing from:\n{body}");
        assert!(v.points.iter().any(|p| p.body == format!("topic {line}")), "topic {line} is missing");
    }
    assert_eq!(a.len() + b.len(), 50);
    assert_eq!(v.points.len(), 50);
}

/// Two instances over one PostgreSQL: a change made through one reaches a page that is
/// listening on the other within a second (LISTEN/NOTIFY).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_updates_cross_instances_over_postgres() {
    let a = crate::support::spawn(crate::support::Backend::Postgres).await;
    let b = spawn_on(&a.db_url, None, rapport::config::Config::default()).await;
    let p = a_manager_with_a_report(&a).await;
    let soon = (a.clock.now_date() + Duration::days(2)).date_naive();
    let series = a.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await.unwrap();
    let meeting = a.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    let (teammate_on_b, _) = b.signed_in(&p.teammate.email).await;
    let mut events = teammate_on_b.get(b.url(&format!("/meetings/{}/events", meeting.id))).send().await.unwrap();
    assert_eq!(events.status(), 200);
    // Give instance b's listener a moment to subscribe before the change.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    a.app.add_point(&p.manager, meeting.id, "Roadmap for Q1", false).await.unwrap();
    let event = next_event(&mut events).await;
    assert!(event.contains("\"what\":\"points\""), "{event}");
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "took {:?}", started.elapsed());
    let _ = browser();
}

trait NowDate {
    fn now_date(&self) -> DateTime<Utc>;
}

impl NowDate for rapport::clock::FixedClock {
    fn now_date(&self) -> DateTime<Utc> {
        rapport::clock::Clock::now(self)
    }
}

#[allow(dead_code)]
fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// Many writes at once share commits (SQLite) and the search index is brought up to date once
/// per commit: afterwards search finds each topic by its final words only, and on SQLite the
/// full-text index agrees with its content table.
async fn search_finds_exactly_what_was_committed_after_concurrent_edits(t: TestApp) {
    let p = a_manager_with_a_report(&t).await;
    let soon = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await.unwrap();
    let m = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    let mut tasks = Vec::new();
    for i in 0..30 {
        let (app, who) = (t.app.clone(), if i % 2 == 0 { p.manager.clone() } else { p.teammate.clone() });
        tasks.push(tokio::spawn(async move {
            let point = app.add_point(&who, m.id, &format!("topic{i} alphaword"), false).await.unwrap();
            match i % 3 {
                0 => {
                    let patch = PointPatch { body: Some(format!("topic{i} omegaword")), ..Default::default() };
                    app.update_point(&who, point.id, point.version, patch).await.unwrap();
                }
                1 => app.delete_point(&who, point.id, point.version).await.unwrap(),
                _ => {}
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let count = |q: &'static str| {
        let (app, who) = (t.app.clone(), p.teammate.clone());
        async move { app.search(&who, q, None, None, None).await.unwrap().len() }
    };
    assert_eq!(count("alphaword").await, 10, "topics never edited or removed");
    assert_eq!(count("omegaword").await, 10, "edited topics, found by their new words");
    assert_eq!(count("topic1 alphaword").await, 0, "topic1 was removed");
    assert_eq!(count("topic3 omegaword").await, 1, "topic3 was edited");
    assert_eq!(count("topic3 alphaword").await, 0, "topic3 lost its old words");
    if let rapport::store::Db::Sqlite(s) = &t.app.db {
        sqlx::query("INSERT INTO search_fts (search_fts) VALUES ('integrity-check')").execute(&s.write_pool).await.unwrap();
        let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_queue").fetch_one(&s.pool).await.unwrap();
        assert_eq!(queued, 0, "everything queued for the index was applied at commit");
    }
}

/// Meeting pages are kept in memory between views (src/app/cache.rs). Every kind of change,
/// made through another instance of rapport on the same database (as another server or the
/// command line would), shows on the very next view through the first instance.
async fn a_kept_meeting_page_is_never_used_after_any_change_from_anywhere(t: TestApp) {
    use rapport::app::people::PersonPatch;
    use rapport::domain::meeting::ActionKind;
    let p = a_manager_with_a_report(&t).await;
    let soon = (t.clock.now_date() + Duration::days(2)).date_naive();
    let series = t.app.create_series(&p.manager, weekly_at_ten(&p.teammate, soon, "UTC")).await.unwrap();
    let m = t.app.series_view(&p.manager, series.id, None).await.unwrap().upcoming[0].clone();
    let other = rapport::app::App::new(rapport::store::Db::connect(&t.db_url).await.unwrap(), Default::default())
        .with_clock(std::sync::Arc::new(t.clock.clone()));
    let view = || async { t.app.meeting_view(&p.manager, m.id).await.unwrap() };

    assert!(view().await.points.is_empty());
    assert!(!t.app.views.is_empty(), "the view was kept");
    other.add_point(&p.teammate, m.id, "Raised elsewhere", false).await.unwrap();
    assert_eq!(view().await.points.len(), 1, "a new point");

    let point = view().await.points[0].clone();
    other.update_point(&p.teammate, point.id, point.version, PointPatch { discussed: Some(true), ..Default::default() }).await.unwrap();
    assert!(view().await.points[0].discussed, "a point ticked");

    other.save_note(&p.teammate, m.id, false, "Shared words", 0).await.unwrap();
    assert_eq!(view().await.shared_note.unwrap().body, "Shared words", "the shared note");

    other.add_action(&p.teammate, m.id, "Send the doc", p.teammate.id, None, ActionKind::Normal).await.unwrap();
    assert_eq!(view().await.actions.len(), 1, "an action");

    other.save_note(&p.manager, m.id, true, "Only mine", 0).await.unwrap();
    assert_eq!(view().await.private_note.unwrap().body, "Only mine", "the viewer's private note");

    other
        .update_person(
            &p.admin,
            p.teammate.id,
            PersonPatch { name: Some("Tomasz Teammate".into()), ..Default::default() },
            view().await.teammate.version,
        )
        .await
        .unwrap();
    assert_eq!(view().await.teammate.name, "Tomasz Teammate", "a person renamed");

    let version = view().await.meeting.version;
    other.set_meeting_status(&p.manager, m.id, version, MeetingStatus::Skipped, "Travel").await.unwrap();
    assert_eq!(view().await.meeting.status, MeetingStatus::Skipped, "the meeting skipped");
}
