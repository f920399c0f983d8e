//! The first ten 1:1s and "how to work with me", on both databases: starting the program (one
//! pair, several at once), running a session into the next meeting (its questions on the agenda
//! and in the pair's memory), captures landing where they belong, skip / reorder / done and
//! what is next, and who sees what.

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, at, csrf_in, weekly_one_on_ones};
use chrono::NaiveDate;
use rapport::app::AppError;
use rapport::app::program::CaptureInput;
use rapport::app::{App, meetings::SeriesInput};
use rapport::domain::Person;
use rapport::domain::meeting::SeriesKind;
use rapport::domain::program::SessionStatus;
use rapport::domain::schedule::Cadence;
use uuid::Uuid;

on_both!(
    a_session_runs_into_the_next_meeting_and_its_captures_land_where_they_belong,
    sessions_are_skipped_reordered_and_done_and_next_follows,
    a_manager_who_inherits_a_team_starts_the_program_for_several_pairs,
    only_the_pair_sees_the_program_and_never_the_teammates_draft,
    how_to_work_with_me_is_read_by_the_manager_and_reports_only_once_shared,
    the_program_and_work_with_me_pages,
    the_program_and_work_with_me_api,
);

fn is_not_found<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::NotFound))
}

fn field_error<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) -> bool {
    matches!(r, Err(AppError::Invalid(ref i)) if i.message_for(field).is_some())
}

async fn status_of(app: &App, who: &Person, series: Uuid, key: &str) -> SessionStatus {
    app.program(who, series).await.unwrap().session(key).unwrap().status
}

/// Emil and Ivy, weekly from Monday 2 March 2026 at 10:00 UTC; it is Sunday.
async fn emil_meets_ivy_weekly_from_monday(t: &TestApp) -> (Org, Uuid) {
    let o = an_organisation(t).await;
    t.clock.set(at("2026-03-01T09:00:00Z"));
    let s = weekly_one_on_ones(t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()).await;
    (o, s)
}

async fn a_session_runs_into_the_next_meeting_and_its_captures_land_where_they_belong(t: TestApp) {
    let (o, s) = emil_meets_ivy_weekly_from_monday(&t).await;
    let app = &t.app;
    let before = app.program(&o.emil, s).await.unwrap();
    assert!(before.started.is_none() && before.sessions.len() == 10);
    // Running before the program started is refused, and says why.
    assert!(field_error(app.run_session(&o.emil, s, "getting-to-know", None).await, "program"));
    assert!(app.start_program(&o.emil, s).await.unwrap());
    assert!(!app.start_program(&o.emil, s).await.unwrap(), "starting twice changes nothing");

    let view = app.program(&o.ivy, s).await.unwrap();
    assert_eq!(view.progress.next_number, Some(1));
    assert_eq!(view.next().unwrap().session.title, "Getting to know each other");

    // Session 1 into the next 1:1: its questions are on the agenda and remembered for the pair.
    let (meeting, added) = app.run_session(&o.emil, s, "getting-to-know", None).await.unwrap();
    let first = app.next_meeting_of(&o.emil, s).await.unwrap();
    assert_eq!(meeting, first);
    let session = rapport::domain::program::session("getting-to-know").unwrap();
    assert_eq!(added, session.questions.len());
    let agenda: Vec<String> = app.meeting_view(&o.ivy, meeting).await.unwrap().points.into_iter().map(|p| p.body).collect();
    for q in &session.questions {
        assert!(agenda.contains(&q.text), "{} not on {agenda:?}", q.text);
    }
    let used = app.used_questions(&o.emil, s).await.unwrap();
    assert!(used.contains_key("relationship-03"), "a bank question is remembered under its key");
    let uses = app.pair_uses(&o.emil, s).await.unwrap();
    assert!(uses.iter().any(|u| u.source == "p:getting-to-know"), "our own questions count for the session's purposes");
    assert_eq!(status_of(app, &o.emil, s, "getting-to-know").await, SessionStatus::Planned);
    // Running it again adds nothing twice.
    assert_eq!(app.run_session(&o.emil, s, "getting-to-know", Some(meeting)).await.unwrap().1, 0);

    // Strengths: captured by the manager, they appear on Ivy's growth record, and the session is done.
    let before = app.growth(&o.emil, o.ivy.id).await.unwrap().strengths.len();
    let bad = app.capture(&o.emil, s, "strengths", CaptureInput { title: "  ".into(), ..Default::default() }).await;
    assert!(field_error(bad, "title"));
    assert_eq!(app.growth(&o.emil, o.ivy.id).await.unwrap().strengths.len(), before, "nothing changes on error");
    let input = CaptureInput { title: "Untangling legacy code".into(), body: "The billing rewrite".into(), ..Default::default() };
    app.capture(&o.emil, s, "strengths", input).await.unwrap();
    let growth = app.growth(&o.ivy, o.ivy.id).await.unwrap();
    let strength = growth.strengths.iter().find(|x| x.name == "Untangling legacy code").expect("strength on the growth record");
    assert_eq!(strength.evidence, "The billing rewrite");
    assert_eq!(status_of(app, &o.ivy, s, "strengths").await, SessionStatus::Done);

    // Expectations: a growth plan on the growth page.
    let input =
        CaptureInput { title: "What senior means here".into(), body: "Lead one design review a month.".into(), ..Default::default() };
    app.capture(&o.ivy, s, "expectations", input).await.unwrap();
    let plans = app.growth(&o.emil, o.ivy.id).await.unwrap().plans;
    let plan = plans.iter().find(|p| p.title == "What senior means here").expect("a plan");
    assert_eq!(plan.goals, "Lead one design review a month.");

    // A note: kept in the shared notes of the meeting the session was run in.
    let input = CaptureInput { body: "Ivy climbs on weekends.".into(), ..Default::default() };
    app.capture(&o.ivy, s, "getting-to-know", input).await.unwrap();
    let note = app.meeting_view(&o.emil, meeting).await.unwrap().shared_note.unwrap();
    assert!(note.body.contains("Ivy climbs on weekends."), "{}", note.body);
    // A note for a session never run has no meeting to go to.
    let r = app.capture(&o.emil, s, "career", CaptureInput { body: "x".into(), ..Default::default() }).await;
    assert!(field_error(r, "meeting_id"));

    // The meeting page's view of it: session 1 here, with its capture.
    let mp = app.meeting_program(&app.meeting_view(&o.ivy, meeting).await.unwrap()).await.unwrap().unwrap();
    assert_eq!(mp.here.len(), 1);
    assert_eq!(mp.here[0].session.key, "getting-to-know");
    assert_eq!(mp.here[0].captures.len(), 1);
    // Someone else's meeting: not found; a meeting of a pair without a program: nothing.
    // Only someone who may open the meeting gets the view the program is read through.
    assert!(is_not_found(app.meeting_view(&o.otto, meeting).await));
}

async fn sessions_are_skipped_reordered_and_done_and_next_follows(t: TestApp) {
    let (o, s) = emil_meets_ivy_weekly_from_monday(&t).await;
    let app = &t.app;
    app.start_program(&o.emil, s).await.unwrap();
    let (meeting, _) = app.run_session(&o.emil, s, "getting-to-know", None).await.unwrap();

    // Skip: the session is skipped, never next; twice is refused; it can come back.
    app.skip_session(&o.emil, s, "using-one-on-ones", true).await.unwrap();
    assert_eq!(status_of(app, &o.emil, s, "using-one-on-ones").await, SessionStatus::Skipped);
    assert!(field_error(app.skip_session(&o.emil, s, "using-one-on-ones", true).await, "session"));
    assert!(field_error(app.run_session(&o.emil, s, "using-one-on-ones", None).await, "session"));
    assert!(field_error(app.skip_session(&o.emil, s, "working-styles", false).await, "session"), "not skipped");

    // Reorder: career moves up one place at a time, and not past the top.
    app.move_session(&o.emil, s, "career", true).await.unwrap();
    let v = app.program(&o.emil, s).await.unwrap();
    let keys: Vec<&str> = v.sessions.iter().map(|x| x.session.key.as_str()).collect();
    assert_eq!(keys[7], "career");
    assert_eq!(keys[8], "support");
    assert_eq!(v.session("career").unwrap().number, 8);
    assert!(field_error(app.move_session(&o.emil, s, "getting-to-know", true).await, "session"));
    assert!(field_error(app.move_session(&o.emil, s, "look-back", false).await, "session"));
    assert!(is_not_found(app.move_session(&o.emil, s, "no-such-session", true).await));

    // The first meeting takes place: session 1 is done; next is session 3 (2 was skipped).
    t.clock.set(at("2026-03-02T11:00:00Z"));
    assert!(app.meeting_view(&o.emil, meeting).await.unwrap().meeting.is_over(at("2026-03-02T11:00:00Z")));
    let v = app.program(&o.ivy, s).await.unwrap();
    assert_eq!(v.session("getting-to-know").unwrap().status, SessionStatus::Done);
    assert_eq!((v.progress.next_key.as_deref(), v.progress.next_number), (Some("working-styles"), Some(3)));
    assert_eq!((v.progress.done, v.progress.skipped, v.progress.percent), (1, 1, 20));
    // A done session is not run again or skipped.
    assert!(field_error(app.run_session(&o.emil, s, "getting-to-know", None).await, "session"));
    assert!(field_error(app.skip_session(&o.emil, s, "getting-to-know", true).await, "session"));

    // Bringing 2 back makes it next again; marking it done moves on.
    app.skip_session(&o.emil, s, "using-one-on-ones", false).await.unwrap();
    assert_eq!(app.program(&o.emil, s).await.unwrap().progress.next_key.as_deref(), Some("using-one-on-ones"));
    app.mark_session_done(&o.emil, s, "using-one-on-ones").await.unwrap();
    assert_eq!(app.program(&o.emil, s).await.unwrap().progress.next_number, Some(3));

    // A session run into a meeting that is then skipped is to do again.
    let (m2, _) = app.run_session(&o.emil, s, "working-styles", None).await.unwrap();
    assert_eq!(status_of(app, &o.emil, s, "working-styles").await, SessionStatus::Planned);
    let v = app.meeting_view(&o.emil, m2).await.unwrap();
    app.set_meeting_status(&o.emil, m2, v.meeting.version, rapport::domain::meeting::MeetingStatus::Skipped, "Ivy is ill").await.unwrap();
    assert_eq!(status_of(app, &o.emil, s, "working-styles").await, SessionStatus::ToDo);

    // Only the manager changes the program; the teammate sees it.
    assert!(is_not_found(app.skip_session(&o.ivy, s, "strengths", true).await));
    assert!(is_not_found(app.move_session(&o.ivy, s, "strengths", true).await));
    assert!(is_not_found(app.mark_session_done(&o.ivy, s, "strengths").await));
    assert!(is_not_found(app.run_session(&o.ivy, s, "strengths", None).await));

    // Finished when every session is done or skipped.
    for key in ["working-styles", "strengths", "expectations", "goals", "feedback", "support", "career"] {
        app.mark_session_done(&o.emil, s, key).await.unwrap();
    }
    app.skip_session(&o.emil, s, "look-back", true).await.unwrap();
    let p = app.program(&o.ivy, s).await.unwrap().progress;
    assert!(p.finished && p.percent == 100 && p.next_key.is_none());
}

async fn a_manager_who_inherits_a_team_starts_the_program_for_several_pairs(t: TestApp) {
    let (o, ivy_series) = emil_meets_ivy_weekly_from_monday(&t).await;
    let app = &t.app;
    let max = t.person(&o.ada, "Max Tester", Some(o.emil.id)).await;
    let max_series = app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: max.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                time: "11:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap()
        .id;
    let otto_report = t.person(&o.ada, "Olga Other", Some(o.otto.id)).await;
    let otto_series = app
        .create_series(
            &o.otto,
            SeriesInput {
                teammate_id: otto_report.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                time: "11:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap()
        .id;
    assert!(field_error(app.start_programs(&o.emil, &[]).await, "series_ids"));
    // One pair that is not Emil's: nothing starts at all.
    assert!(is_not_found(app.start_programs(&o.emil, &[ivy_series, otto_series]).await));
    assert!(app.program(&o.emil, ivy_series).await.unwrap().started.is_none());
    // Ivy's already started stays as it was; Max's starts.
    app.start_program(&o.emil, ivy_series).await.unwrap();
    app.skip_session(&o.emil, ivy_series, "getting-to-know", true).await.unwrap();
    assert_eq!(app.start_programs(&o.emil, &[ivy_series, max_series]).await.unwrap(), 1);
    assert_eq!(status_of(app, &o.emil, ivy_series, "getting-to-know").await, SessionStatus::Skipped);
    let mine = app.my_programs(&o.emil).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|p| p.i_lead && p.progress.is_some()));
    // Ivy sees her one pair, led by Emil.
    let hers = app.my_programs(&o.ivy).await.unwrap();
    assert_eq!(hers.len(), 1);
    assert!(!hers[0].i_lead);

    // A skip-level series has no program: not for its leader, not for the teammate.
    let skip = app
        .create_series(
            &o.vera,
            SeriesInput {
                teammate_id: o.ivy.id,
                kind: SeriesKind::SkipLevel,
                cadence: Cadence::Monthly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
                time: "15:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    assert!(is_not_found(app.start_program(&o.vera, skip.id).await));
    assert!(is_not_found(app.program(&o.ivy, skip.id).await));
    assert_eq!(app.my_programs(&o.ivy).await.unwrap().len(), 1, "only the regular pair is listed");
    let m = app.next_meeting_of(&o.vera, skip.id).await.unwrap();
    assert!(app.meeting_program(&app.meeting_view(&o.vera, m).await.unwrap()).await.unwrap().is_none());

    // Ended 1:1s take no new program; the refusal names the field.
    let max_view = app.series_view(&o.emil, max_series, None).await.unwrap();
    app.set_series_status(&o.emil, max_series, max_view.series.version, rapport::domain::meeting::SeriesStatus::Ended).await.unwrap();
    let fresh = t.person(&o.ada, "Nia New", Some(o.emil.id)).await;
    let nia = app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: fresh.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
                time: "09:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap()
        .id;
    let v = app.series_view(&o.emil, nia, None).await.unwrap();
    app.set_series_status(&o.emil, nia, v.series.version, rapport::domain::meeting::SeriesStatus::Ended).await.unwrap();
    assert!(field_error(app.start_programs(&o.emil, &[nia]).await, "series_ids"));
    assert!(app.program(&o.emil, nia).await.unwrap().started.is_none(), "nothing started");
}

async fn only_the_pair_sees_the_program_and_never_the_teammates_draft(t: TestApp) {
    let (o, s) = emil_meets_ivy_weekly_from_monday(&t).await;
    let app = &t.app;
    // Nobody but the pair reads or starts it: not Emil's manager, not an admin, not a stranger.
    for who in [&o.vera, &o.ada, &o.otto] {
        assert!(is_not_found(app.program(who, s).await), "{}", who.name);
        assert!(is_not_found(app.start_program(who, s).await), "{}", who.name);
    }
    assert!(is_not_found(app.start_program(&o.ivy, s).await), "the teammate does not start it");
    app.start_program(&o.emil, s).await.unwrap();
    let (meeting, _) = app.run_session(&o.emil, s, "working-styles", None).await.unwrap();
    for who in [&o.vera, &o.ada, &o.otto] {
        assert!(is_not_found(app.program(who, s).await));
        let r = app.capture(who, s, "strengths", CaptureInput { title: "x".into(), ..Default::default() }).await;
        assert!(is_not_found(r));
    }

    // Emil's private note on the meeting never reaches Ivy's view of the program.
    app.save_note(&o.emil, meeting, true, "PRIVATE: worried about Ivy's workload", 0).await.unwrap();
    // Ivy writes how she likes to work, from the session: into her own draft page.
    let words = "I think out loud; give me a day before decisions.";
    let input = CaptureInput { section: "communication".into(), body: words.into(), meeting_id: Some(meeting), ..Default::default() };
    app.capture(&o.ivy, s, "working-styles", input).await.unwrap();
    let mine = app.work_with_me(&o.ivy, o.ivy.id).await.unwrap();
    assert_eq!(mine.sections.iter().find(|(x, _)| x.key == "communication").unwrap().1, words);
    assert!(mine.shared_at.is_none(), "still a draft");
    // What Emil sees of that capture says where it went, never what it says.
    let v = app.program(&o.emil, s).await.unwrap();
    let caps = &v.session("working-styles").unwrap().captures;
    assert_eq!(caps.len(), 1);
    assert!(!caps[0].summary.contains("think out loud"), "{}", caps[0].summary);
    assert!(is_not_found(app.work_with_me(&o.emil, o.ivy.id).await), "the draft is invisible to the manager");
    // And Ivy's view of the program shows none of Emil's private note.
    let v = app.program(&o.ivy, s).await.unwrap();
    assert!(v.sessions.iter().flat_map(|x| &x.captures).all(|c| !c.summary.contains("PRIVATE")));
    let mp = app.meeting_program(&app.meeting_view(&o.ivy, meeting).await.unwrap()).await.unwrap().unwrap();
    assert!(mp.here.iter().flat_map(|x| &x.captures).all(|c| !c.summary.contains("PRIVATE")));

    // Emil notes how Ivy likes to work: listed on her page for her, as his note.
    let input = CaptureInput { section: "feedback".into(), body: "Prefers feedback in writing first.".into(), ..Default::default() };
    app.capture(&o.emil, s, "working-styles", input).await.unwrap();
    let mine = app.work_with_me(&o.ivy, o.ivy.id).await.unwrap();
    assert_eq!(mine.manager_notes.len(), 1);
    assert_eq!(mine.manager_notes[0].0.summary, "Prefers feedback in writing first.");
    assert_eq!(mine.manager_notes[0].1, o.emil.name);
    assert_eq!(mine.sections.iter().find(|(x, _)| x.key == "feedback").unwrap().1, "", "her own words stay hers to write");
    let bad = CaptureInput { section: "shoe-size".into(), body: "42".into(), ..Default::default() };
    assert!(field_error(app.capture(&o.emil, s, "working-styles", bad).await, "section"));
}

async fn how_to_work_with_me_is_read_by_the_manager_and_reports_only_once_shared(t: TestApp) {
    let o = an_organisation(&t).await;
    let app = &t.app;
    // Nothing written yet: Ivy sees an empty page; nobody else sees anything; nothing to share.
    let empty = app.work_with_me(&o.ivy, o.ivy.id).await.unwrap();
    assert!(empty.is_empty() && empty.version == 0 && empty.sections.len() == 5);
    assert!(field_error(app.share_work_with_me(&o.ivy, o.ivy.id, true).await, "shared"));
    for who in [&o.emil, &o.vera, &o.ada, &o.otto] {
        assert!(is_not_found(app.work_with_me(who, o.ivy.id).await), "{}", who.name);
    }

    let sections = vec![("hours".to_string(), "Mornings are for deep work.".to_string()), ("energy".to_string(), "Pairing.".to_string())];
    let saved = app.save_work_with_me(&o.ivy, o.ivy.id, &sections, 0).await.unwrap();
    assert_eq!(saved.version, 1);
    // A stale version is a conflict; an unknown section or a long text is refused by name.
    assert!(matches!(app.save_work_with_me(&o.ivy, o.ivy.id, &sections, 0).await, Err(AppError::Conflict(_))));
    assert!(field_error(app.save_work_with_me(&o.ivy, o.ivy.id, &[("shoe".into(), "42".into())], 1).await, "shoe"));
    assert!(field_error(app.save_work_with_me(&o.ivy, o.ivy.id, &[("hours".into(), "x".repeat(4001))], 1).await, "hours"));
    assert_eq!(app.work_with_me(&o.ivy, o.ivy.id).await.unwrap().version, 1, "nothing changed on error");
    // Nobody else writes it, not even her manager or an admin.
    for who in [&o.emil, &o.ada] {
        assert!(is_not_found(app.save_work_with_me(who, o.ivy.id, &sections, 1).await));
        assert!(is_not_found(app.share_work_with_me(who, o.ivy.id, true).await));
    }
    // A draft: invisible to the manager, the skip-level leader, an admin, a stranger.
    for who in [&o.emil, &o.vera, &o.ada, &o.otto] {
        assert!(is_not_found(app.work_with_me(who, o.ivy.id).await), "{}", who.name);
        assert!(!app.can_read_work_with_me(who, &o.ivy).await.unwrap());
    }
    // Shared: her manager reads it; skip-level, admin and strangers still get not found.
    app.share_work_with_me(&o.ivy, o.ivy.id, true).await.unwrap();
    let seen = app.work_with_me(&o.emil, o.ivy.id).await.unwrap();
    assert_eq!(seen.sections.iter().find(|(s, _)| s.key == "hours").unwrap().1, "Mornings are for deep work.");
    assert!(!seen.is_mine && seen.manager_notes.is_empty());
    assert!(app.can_read_work_with_me(&o.emil, &o.ivy).await.unwrap());
    for who in [&o.vera, &o.ada, &o.otto] {
        assert!(is_not_found(app.work_with_me(who, o.ivy.id).await), "{}", who.name);
    }
    // Taken back to a draft: the manager no longer sees it.
    app.share_work_with_me(&o.ivy, o.ivy.id, false).await.unwrap();
    assert!(is_not_found(app.work_with_me(&o.emil, o.ivy.id).await));

    // Emil's own page, shared: his report Ivy reads it, and so does his manager Vera; not Otto.
    app.save_work_with_me(&o.emil, o.emil.id, &[("communication".into(), "Chat first, calls if stuck.".into())], 0).await.unwrap();
    assert!(is_not_found(app.work_with_me(&o.ivy, o.emil.id).await), "a draft, even for his reports");
    app.share_work_with_me(&o.emil, o.emil.id, true).await.unwrap();
    assert!(app.work_with_me(&o.ivy, o.emil.id).await.is_ok());
    assert!(app.work_with_me(&o.vera, o.emil.id).await.is_ok());
    for who in [&o.otto, &o.ada] {
        assert!(is_not_found(app.work_with_me(who, o.emil.id).await), "{}", who.name);
    }
}

/// Posts a form; a redirect is followed once. Returns the status of the post, where it ended
/// and the page.
async fn post(t: &TestApp, c: &reqwest::Client, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    if status == 303 {
        let to = r.headers()["location"].to_str().unwrap().to_string();
        let page = c.get(t.url(&to)).send().await.unwrap().text().await.unwrap();
        return (status, to, page);
    }
    (status, path.to_string(), r.text().await.unwrap())
}

async fn the_program_and_work_with_me_pages(t: TestApp) {
    let (o, s) = emil_meets_ivy_weekly_from_monday(&t).await;
    let email = |p: &Person| p.email.to_string();

    // Pages: Emil starts the program from the series page, runs session 1 into the next 1:1.
    let (emil, _) = t.signed_in(&email(&o.emil)).await;
    let html = emil.get(t.url(&format!("/series/{s}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("The first ten 1:1s") && html.contains("Start the program"), "{html}");
    let token = csrf_in(&html);
    let tk = token.as_str();
    let (status, _, html) = post(&t, &emil, &format!("/series/{s}/program/start"), &[("_csrf", tk)]).await;
    assert_eq!(status, 303);
    assert!(html.contains("Session 1 of 10: Getting to know each other"), "{html}");
    let (status, to, html) = post(&t, &emil, &format!("/series/{s}/program/getting-to-know/run"), &[("_csrf", tk)]).await;
    assert_eq!(status, 303);
    assert!(to.starts_with("/meetings/"), "{to}");
    assert!(html.contains("What did you do before this job that still shapes how you work?"), "the questions are on the agenda");
    assert!(html.contains("Session 1: Getting to know each other") && html.contains("What you learned about each other"));
    let meeting_id = to.trim_start_matches("/meetings/").split('#').next().unwrap().to_string();
    let m = meeting_id.as_str();

    // A capture with nothing in it: the meeting page again, the message by its field, nothing saved.
    let path = format!("/series/{s}/program/getting-to-know/capture");
    let (status, _, html) = post(&t, &emil, &path, &[("_csrf", tk), ("meeting_id", m), ("back", "meeting"), ("body", "  ")]).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="cap-getting-to-know-body-error""#) && html.contains("Write something here."), "{html}");
    let form = [("_csrf", tk), ("meeting_id", m), ("back", "meeting"), ("body", "Ivy runs a book club.")];
    let (status, _, html) = post(&t, &emil, &path, &form).await;
    assert_eq!(status, 303);
    assert!(html.contains("Ivy runs a book club.") && html.contains("Session 2 of 10"), "progress moved on");

    // Refused changes say why, on the page.
    let (status, _, html) = post(&t, &emil, &format!("/series/{s}/program/getting-to-know/move"), &[("_csrf", tk), ("dir", "up")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("This session is already the first."));

    // Ivy sees the progress but no buttons to change it; a stranger gets not found.
    let (ivy, ivy_token) = t.signed_in(&email(&o.ivy)).await;
    let itk = ivy_token.as_str();
    let html = ivy.get(t.url(&format!("/series/{s}/program"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Session 2 of 10") && !html.contains("Mark done"));
    let (otto, _) = t.signed_in(&email(&o.otto)).await;
    assert_eq!(otto.get(t.url(&format!("/series/{s}/program"))).send().await.unwrap().status(), 404);
    let (status, _, _) = post(&t, &ivy, &format!("/series/{s}/program/strengths/skip"), &[("_csrf", itk), ("skip", "1")]).await;
    assert_eq!(status, 404);

    // Ivy writes her page (a text too long is named), shares it, Emil reads it; Vera does not.
    let page = format!("/people/{}/work-with-me", o.ivy.id);
    let long = "x".repeat(4001);
    let (status, _, html) = post(&t, &ivy, &page, &[("_csrf", itk), ("version", "0"), ("s-hours", long.as_str())]).await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="w-hours-error""#));
    let (status, _, html) = post(&t, &ivy, &page, &[("_csrf", itk), ("version", "0"), ("s-hours", "Mornings for focus.")]).await;
    assert_eq!(status, 303);
    assert!(html.contains("Only you see it until you share it."));
    assert_eq!(emil.get(t.url(&page)).send().await.unwrap().status(), 404);
    let person = emil.get(t.url(&format!("/people/{}", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(!person.contains("work-with-me"), "no link to a draft");
    let (status, _, _) = post(&t, &ivy, &format!("{page}/share"), &[("_csrf", itk), ("shared", "1")]).await;
    assert_eq!(status, 303);
    let html = emil.get(t.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Mornings for focus.") && html.contains("How to work with Ivy"));
    let person = emil.get(t.url(&format!("/people/{}", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(person.contains(&page));
    let prep = emil.get(t.url(&format!("/meetings/{m}/prep"))).send().await.unwrap().text().await.unwrap();
    assert!(prep.contains("How Ivy Coder likes to work") && prep.contains("The first ten 1:1s"), "{prep}");
    let (vera, _) = t.signed_in(&email(&o.vera)).await;
    assert_eq!(vera.get(t.url(&page)).send().await.unwrap().status(), 404);
}

/// Where the pages above leave Emil and Ivy: the program started, session 1 run into the next
/// 1:1 with a note captured (so it is done), and Ivy's page written and shared.
async fn a_program_under_way_and_ivys_page_shared(t: &TestApp) -> (Org, Uuid) {
    let (o, s) = emil_meets_ivy_weekly_from_monday(t).await;
    let app = &t.app;
    assert!(app.start_program(&o.emil, s).await.unwrap());
    let (meeting, _) = app.run_session(&o.emil, s, "getting-to-know", None).await.unwrap();
    let note = CaptureInput { meeting_id: Some(meeting), body: "Ivy runs a book club.".into(), ..Default::default() };
    app.capture(&o.emil, s, "getting-to-know", note).await.unwrap();
    let hours = [("hours".to_string(), "Mornings for focus.".to_string())];
    app.save_work_with_me(&o.ivy, o.ivy.id, &hours, 0).await.unwrap();
    app.share_work_with_me(&o.ivy, o.ivy.id, true).await.unwrap();
    (o, s)
}

async fn the_program_and_work_with_me_api(t: TestApp) {
    use serde_json::{Value, json};
    let (o, s) = a_program_under_way_and_ivys_page_shared(&t).await;

    // The API: the same program, the same rules.
    let token = t.token(&o.emil).await;
    let c = crate::support::plain();
    let v: Value = c.get(t.url(&format!("/api/v1/series/{s}/program"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["progress"]["next_key"], "using-one-on-ones");
    assert_eq!(v["sessions"].as_array().unwrap().len(), 10);
    assert_eq!(v["sessions"][0]["status"], "done");
    let r = c
        .post(t.url(&format!("/api/v1/series/{s}/program/sessions/strengths/captures")))
        .bearer_auth(&token)
        .json(&json!({"title": "Calm under pressure", "body": "The March outage"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let growth: Value =
        c.get(t.url(&format!("/api/v1/people/{}/growth", o.ivy.id))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert!(growth.to_string().contains("Calm under pressure"), "the strength is on the growth record");
    let r = c
        .post(t.url(&format!("/api/v1/series/{s}/program/sessions/strengths/captures")))
        .bearer_auth(&token)
        .json(&json!({"body": "no title"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("\"title\""));
    let r = c
        .put(t.url(&format!("/api/v1/series/{s}/program/sessions/career/skipped")))
        .bearer_auth(&token)
        .json(&json!({"skipped": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = c
        .post(t.url(&format!("/api/v1/series/{s}/program/sessions/look-back/move")))
        .bearer_auth(&token)
        .json(&json!({"direction": "sideways"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r = c
        .post(t.url(&format!("/api/v1/series/{s}/program/sessions/working-styles/run")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let ran: Value = r.json().await.unwrap();
    assert_eq!(ran["added"], 4);
    let list: Value = c.get(t.url("/api/v1/program")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["i_lead"], true);
    let page: Value =
        c.get(t.url(&format!("/api/v1/people/{}/work-with-me", o.ivy.id))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(page["sections"]["hours"], "Mornings for focus.");
    // Only she writes it; strangers and admins get not found.
    let r = c
        .put(t.url(&format!("/api/v1/people/{}/work-with-me", o.ivy.id)))
        .bearer_auth(&token)
        .json(&json!({"version": 2, "sections": {"hours": "hijacked"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    for who in [&o.otto, &o.ada, &o.vera] {
        let tk = t.token(who).await;
        let r = c.get(t.url(&format!("/api/v1/people/{}/work-with-me", o.ivy.id))).bearer_auth(&tk).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", who.name);
        let r = c.get(t.url(&format!("/api/v1/series/{s}/program"))).bearer_auth(&tk).send().await.unwrap();
        assert_eq!(r.status(), 404, "{}", who.name);
    }
    let ivy_api = t.token(&o.ivy).await;
    let r = c
        .put(t.url(&format!("/api/v1/people/{}/work-with-me", o.ivy.id)))
        .bearer_auth(&ivy_api)
        .json(&json!({"version": 1, "sections": {"energy": "Pairing."}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409, "the share moved the version on");
    let r = c
        .put(t.url(&format!("/api/v1/people/{}/work-with-me", o.ivy.id)))
        .bearer_auth(&ivy_api)
        .json(&json!({"version": 2, "sections": {"energy": "Pairing.", "shoe": "42"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("\"shoe\""));
}
