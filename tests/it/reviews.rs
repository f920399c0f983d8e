//! Feedback and reviews on both databases: the packet against a hand-built history, the
//! no-surprises rule at its boundaries, privacy (private notes never in a packet; skip-level
//! leaders, admins and other teammates see nothing) and bad input that changes nothing.

use crate::on_both;
use crate::support::{Org, TestApp, a_day, an_organisation, at, plain, upcoming, weekly_one_on_ones};
use chrono::NaiveDate;
use rapport::app::AppError;
use rapport::app::reviews::FeedbackInput;
use rapport::domain::Person;
use rapport::domain::framework::Format;
use rapport::domain::meeting::{Meeting, MeetingStatus};
use rapport::domain::review::{ReviewPeriod, packet_markdown};
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(
    the_packet_compiles_the_periods_record_and_never_private_notes,
    the_no_surprises_check_at_its_boundaries,
    feedback_packets_and_reviews_follow_the_privacy_table,
    bad_input_is_refused_and_changes_nothing,
    the_api_and_pages_give_feedback_build_share_and_answer_a_review,
    the_meeting_page_records_feedback_for_each_other,
    statements_are_rewritten_or_removed_until_shared_and_sharing_tells_the_person,
);

const EXAMPLE: &str = include_str!("../../frameworks/example.yaml");

async fn half_year(t: &TestApp, o: &Org) -> ReviewPeriod {
    t.app.create_review_period(&o.ada, "2026 first half", a_day("2026-01-01"), a_day("2026-06-30")).await.unwrap()
}

/// The meetings of `manager`'s new weekly 1:1s with `teammate` from `first`.
async fn the_meetings_of_weekly_one_on_ones(t: &TestApp, manager: &Person, teammate: &Person, first: NaiveDate) -> Vec<Meeting> {
    upcoming(t, manager, weekly_one_on_ones(t, manager, teammate, first).await).await
}

fn fb(to: &Person, kind: &str, body: &str, share: bool) -> FeedbackInput {
    FeedbackInput { receiver_id: to.id.0, kind: kind.into(), body: body.into(), share, ..Default::default() }
}

async fn the_packet_compiles_the_periods_record_and_never_private_notes(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2025-12-10T09:00:00Z"));
    let period = half_year(&t, &o).await;
    // Before the period: not in the packet.
    t.app.give_feedback(&o.emil, fb(&o.ivy, "praise", "OLD-FEEDBACK from last year", true)).await.unwrap();
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let fw = t.app.import_framework(&o.ada, EXAMPLE.as_bytes(), Format::Yaml, "", true).await.unwrap();
    t.app.set_level(&o.emil, o.ivy.id, fw.framework_id, "Engineer I").await.unwrap();
    let m = the_meetings_of_weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    t.app.save_note(&o.emil, m[0].id, false, "We talked about the launch demo.", 0).await.unwrap();
    t.app.save_note(&o.emil, m[0].id, true, "SECRET-PRIVATE-NOTE about Ivy", 0).await.unwrap();
    let praise = FeedbackInput {
        meeting_id: Some(m[0].id),
        competency: Some("Communication".into()),
        ..fb(&o.ivy, "praise", "The demo was clear and calm.", true)
    };
    let praise = t.app.give_feedback(&o.emil, praise).await.unwrap();
    assert_eq!(praise.feedback.competency.as_deref(), Some("Communication"));
    t.app.give_feedback(&o.ivy, fb(&o.emil, "change", "Please send the agenda a day earlier.", true)).await.unwrap();
    t.app.give_feedback(&o.emil, fb(&o.ivy, "change", "DRAFT-ONLY not said yet", false)).await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Ownership", "meets", "Led the incident review end to end").await.unwrap();
    t.app.add_strength(&o.emil, o.ivy.id, "Clear writing", "The launch post", "Writes the release notes").await.unwrap();
    let plan = t.app.create_plan(&o.emil, o.ivy.id, "growth", "Grow into Engineer II", "Own a service").await.unwrap();
    t.app.add_step(&o.emil, plan, "Shadow the on-call lead", None, None).await.unwrap();
    t.app.add_plan_update(&o.ivy, plan, "Shadowed two incidents", "", "Lead one").await.unwrap();

    t.clock.set(at("2026-04-01T08:00:00Z"));
    t.app.set_meeting_status(&o.emil, m[0].id, m[0].version, MeetingStatus::Held, "").await.unwrap();
    t.app.set_meeting_status(&o.emil, m[1].id, m[1].version, MeetingStatus::Skipped, "Ivy on holiday").await.unwrap();
    t.app.set_meeting_status(&o.emil, m[2].id, m[2].version, MeetingStatus::Held, "").await.unwrap();
    t.app.rate_meeting(&o.ivy, m[0].id, 4, "").await.unwrap();
    t.app.rate_meeting(&o.ivy, m[2].id, 5, "").await.unwrap();

    for who in [&o.emil, &o.ivy] {
        let p = t.app.review_packet(who, o.ivy.id, period.id).await.unwrap();
        assert_eq!(p.meetings.len(), 3, "held, skipped and held; scheduled ones are not in the record yet");
        assert_eq!((p.counts.held, p.counts.skipped, p.counts.rated, p.counts.average_rating), (2, 1, 2, Some(4.5)));
        assert!(p.meetings[0].has_shared_note);
        assert_eq!(p.meetings[1].status_reason, "Ivy on holiday");
        let bodies: Vec<&str> = p.feedback.iter().map(|f| f.feedback.body.as_str()).collect();
        assert_eq!(bodies, vec!["The demo was clear and calm.", "Please send the agenda a day earlier."]);
        assert_eq!(p.feedback[0].direction, "received");
        assert_eq!(p.feedback[1].direction, "given");
        assert_eq!(p.assessments.len(), 1);
        assert_eq!(p.assessments[0].evidence, "Led the incident review end to end");
        assert_eq!(p.strengths.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["Clear writing"]);
        assert_eq!(p.plans.len(), 1);
        assert_eq!(p.plans[0].steps.len(), 1);
        assert_eq!(p.plans[0].updates[0].progress, "Shadowed two incidents");
        assert_eq!(p.manager_name.as_deref(), Some("Emil Manager"));
        let md = packet_markdown(&p);
        let json = serde_json::to_string(&p).unwrap();
        for text in [&md, &json] {
            assert!(!text.contains("SECRET-PRIVATE-NOTE"), "a private note never enters a packet");
            assert!(!text.contains("DRAFT-ONLY"), "drafts are the giver's alone");
            assert!(!text.contains("OLD-FEEDBACK"), "only the period's record");
        }
        assert!(md.contains("Held 2, skipped 1, cancelled 0. Rated 2 (average 4.5)."), "{md}");
        assert!(md.contains("No setbacks recorded in this period."));
    }
}

async fn the_no_surprises_check_at_its_boundaries(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-02-27T09:00:00Z"));
    let period = half_year(&t, &o).await;
    let m = the_meetings_of_weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).await;
    t.clock.set(at("2026-03-01T09:00:00Z"));
    let exact = t.app.give_feedback(&o.emil, fb(&o.ivy, "praise", "Great incident write-up.", true)).await.unwrap().feedback.id;
    let upward = t.app.give_feedback(&o.ivy, fb(&o.emil, "praise", "Thanks for the cover.", true)).await.unwrap().feedback.id;
    t.app.save_note(&o.emil, m[0].id, false, "Talked about code review tone.", 0).await.unwrap();
    let draft = t.app.give_feedback(&o.emil, fb(&o.ivy, "change", "Reviews feel curt.", false)).await.unwrap().feedback.id;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let late = t.app.give_feedback(&o.emil, fb(&o.ivy, "change", "Estimates slip.", true)).await.unwrap().feedback.id;

    // Exactly 21 days after the first feedback.
    t.clock.set(at("2026-03-22T09:00:00Z"));
    let add = |kind: &'static str, body: &'static str, ev: Vec<String>| {
        let app = t.app.clone();
        let emil = o.emil.clone();
        let ivy = o.ivy.id;
        async move { app.add_statement(&emil, ivy, period.id, kind, body, &ev).await.unwrap() }
    };
    add("praise", "exactly 21 days", vec![format!("feedback:{exact}")]).await;
    add("concern", "20 days only", vec![format!("feedback:{late}")]).await;
    add("concern", "never shared", vec![format!("feedback:{draft}")]).await;
    add("praise", "said to someone else", vec![format!("feedback:{upward}")]).await;
    add("praise", "in the notes", vec![format!("note:{}", m[0].id)]).await;
    add("neutral", "context needs no trail", vec![]).await;
    add("praise", "nothing linked", vec![]).await;

    // The teammate sees nothing before it is shared.
    assert!(matches!(t.app.review(&o.ivy, o.ivy.id, period.id).await, Err(AppError::NotFound)));
    let v = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    let flags: Vec<(&str, Option<&str>)> = v.statements.iter().map(|s| (s.statement.body.as_str(), s.flag.as_deref())).collect();
    assert_eq!(flags[0], ("exactly 21 days", None));
    assert!(flags[1].1.unwrap().contains("only 20 days ago; it needs 21"), "{flags:?}");
    assert!(flags[2].1.unwrap().contains("still a draft"), "{flags:?}");
    assert!(flags[3].1.unwrap().contains("someone else"), "{flags:?}");
    assert_eq!(flags[4], ("in the notes", None));
    assert_eq!(flags[5], ("context needs no trail", None));
    assert!(flags[6].1.unwrap().contains("No evidence"), "{flags:?}");
    assert_eq!(v.flagged, 4);
    // One day earlier, the first would be flagged too (N-1 days).
    t.clock.set(at("2026-03-21T09:00:00Z"));
    let earlier = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    assert!(earlier.statements[0].flag.as_deref().unwrap().contains("only 20 days ago"));
    assert!(earlier.statements[4].flag.is_some(), "notes saved 20 days earlier are too recent");

    // The manager can still share; the verdict is kept as of the sharing.
    t.clock.set(at("2026-03-22T09:00:00Z"));
    let shared = t.app.share_review(&o.emil, o.ivy.id, period.id).await.unwrap();
    assert_eq!(shared.flagged, 4);
    t.clock.set(at("2026-05-01T09:00:00Z"));
    let seen = t.app.review(&o.ivy, o.ivy.id, period.id).await.unwrap();
    assert_eq!((seen.statements.len(), seen.flagged, seen.can_answer, seen.can_write), (7, 4, true, false));
    // The page names each statement's evidence from the record, with a link where it has a page.
    let (ivy_browser, _) = t.signed_in(&o.ivy.email.to_string()).await;
    let html = ivy_browser.get(t.url(&format!("/people/{}/reviews/{}", o.ivy.id, period.id))).send().await.unwrap().text().await.unwrap();
    // (The 1:1 was never marked as held, so it is not in the period's list: its page still is.)
    assert!(html.contains(&format!("<a href=\"/meetings/{}\">shared notes of a 1:1</a>", m[0].id)), "{html}");
    assert!(
        html.contains("Evidence: feedback not in this period&#39;s record")
            || html.contains("Evidence: feedback not in this period's record"),
        "{html}"
    );
    assert!(html.contains("Evidence: feedback from Emil Manager to Ivy Coder, "), "{html}");
    assert!(!html.contains(&exact.to_string()), "no identifiers shown");
    let acked = t.app.answer_review(&o.ivy, o.ivy.id, period.id, None).await.unwrap();
    assert_eq!(acked.review.as_ref().unwrap().acknowledged_at, Some(at("2026-05-01T09:00:00Z")));
    let answered = t.app.answer_review(&o.ivy, o.ivy.id, period.id, Some("Thanks; the estimates point is new to me.")).await.unwrap();
    assert_eq!(answered.review.as_ref().unwrap().answer, "Thanks; the estimates point is new to me.");
    assert_eq!(answered.review.unwrap().acknowledged_at, Some(at("2026-05-01T09:00:00Z")), "first acknowledgement kept");
    // A shared review no longer changes; the manager cannot answer for the teammate.
    let r = t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "late", &[]).await;
    assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
    assert!(matches!(t.app.answer_review(&o.emil, o.ivy.id, period.id, Some("x")).await, Err(AppError::NotFound)));
}

async fn feedback_packets_and_reviews_follow_the_privacy_table(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    t.clock.set(at("2026-03-01T09:00:00Z"));
    let period = half_year(&t, &o).await;
    let shared = t.app.give_feedback(&o.emil, fb(&o.ivy, "praise", "Shared praise.", true)).await.unwrap().feedback.id;
    let draft = t.app.give_feedback(&o.emil, fb(&o.ivy, "change", "A draft.", false)).await.unwrap().feedback.id;
    // Feedback runs along reporting lines only.
    assert!(matches!(t.app.give_feedback(&o.emil, fb(&o.otto, "praise", "x", true)).await, Err(AppError::NotFound)));
    assert!(matches!(t.app.give_feedback(&o.vera, fb(&o.ivy, "praise", "x", true)).await, Err(AppError::NotFound)));
    // A draft is the giver's alone; shared feedback: giver and receiver; others nothing.
    assert!(t.app.feedback(&o.emil, draft).await.is_ok());
    for who in [&o.ivy, &o.vera, &o.ada, &o.otto, &rob] {
        assert!(matches!(t.app.feedback(who, draft).await, Err(AppError::NotFound)), "{} reads a draft", who.name);
    }
    assert!(t.app.feedback(&o.ivy, shared).await.is_ok());
    for who in [&o.vera, &o.ada, &o.otto, &rob] {
        assert!(matches!(t.app.feedback(who, shared).await, Err(AppError::NotFound)), "{} reads feedback", who.name);
    }
    assert_eq!(t.app.my_feedback(&o.ivy).await.unwrap().len(), 1, "the draft is not in Ivy's list");
    assert!(matches!(t.app.share_feedback(&o.ivy, draft).await, Err(AppError::NotFound)), "only the giver shares");
    t.app.share_feedback(&o.emil, draft).await.unwrap();
    assert!(t.app.feedback(&o.ivy, draft).await.is_ok());

    // Packets: the person and their manager; not the skip-level leader, an admin or anyone else.
    for who in [&o.emil, &o.ivy] {
        assert!(t.app.review_packet(who, o.ivy.id, period.id).await.is_ok());
    }
    for who in [&o.vera, &o.ada, &o.otto, &rob] {
        assert!(matches!(t.app.review_packet(who, o.ivy.id, period.id).await, Err(AppError::NotFound)), "{}", who.name);
    }
    // Reviews: after sharing, Ivy reads hers; Rob (another teammate), Vera, Ada and Otto never.
    t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "Good year.", &[format!("feedback:{shared}")]).await.unwrap();
    t.app.add_statement(&o.emil, rob.id, period.id, "neutral", "Rob's own review.", &[]).await.unwrap();
    t.app.share_review(&o.emil, o.ivy.id, period.id).await.unwrap();
    t.app.share_review(&o.emil, rob.id, period.id).await.unwrap();
    assert!(t.app.review(&o.ivy, o.ivy.id, period.id).await.is_ok());
    for who in [&rob, &o.vera, &o.ada, &o.otto] {
        assert!(matches!(t.app.review(who, o.ivy.id, period.id).await, Err(AppError::NotFound)), "{}", who.name);
        assert!(matches!(t.app.answer_review(who, o.ivy.id, period.id, None).await, Err(AppError::NotFound)), "{}", who.name);
    }
    // Over HTTP too: Rob's token asking for Ivy's review is "not found", like a missing one.
    let token = t.token(&rob).await;
    let c = plain();
    let theirs = c.get(t.url(&format!("/api/v1/people/{}/reviews/{}", o.ivy.id, period.id))).bearer_auth(&token).send().await.unwrap();
    let missing =
        c.get(t.url(&format!("/api/v1/people/{}/reviews/{}", o.ivy.id, Uuid::now_v7()))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(theirs.status(), 404);
    assert_eq!(missing.status(), 404);
    assert_eq!(theirs.text().await.unwrap(), missing.text().await.unwrap());
}

async fn bad_input_is_refused_and_changes_nothing(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    t.clock.set(at("2026-03-01T09:00:00Z"));
    let period = half_year(&t, &o).await;
    let e = t.app.create_review_period(&o.ada, "Overlap", a_day("2026-06-30"), a_day("2026-09-30")).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(i) if i.message_for("starts_on").unwrap().contains("overlaps “2026 first half”")), "{e:?}");
    let e = t.app.create_review_period(&o.ada, "Inverted", a_day("2026-12-31"), a_day("2026-07-01")).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(i) if i.message_for("ends_on").unwrap().contains("ends before it starts")), "{e:?}");
    assert!(matches!(t.app.create_review_period(&o.emil, "Mine", a_day("2027-01-01"), a_day("2027-06-30")).await, Err(AppError::NotFound)));
    assert_eq!(t.app.review_periods(&o.ivy).await.unwrap(), vec![period.clone()], "nothing was added");

    // Evidence the writer may not see: refused like a missing record, nothing written.
    let ada_meetings = the_meetings_of_weekly_one_on_ones(&t, &o.ada, &o.otto, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()).await;
    t.app.save_note(&o.ada, ada_meetings[0].id, false, "Ada and Otto's notes.", 0).await.unwrap();
    let ottos = t.app.give_feedback(&o.otto, fb(&o.ada, "praise", "Thanks Ada.", true)).await.unwrap().feedback.id;
    let emils_draft_for_rob = t.app.give_feedback(&o.emil, fb(&rob, "praise", "For Rob.", true)).await.unwrap().feedback.id;
    for ev in [format!("feedback:{ottos}"), format!("note:{}", ada_meetings[0].id), format!("feedback:{}", Uuid::now_v7())] {
        let r = t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "x", std::slice::from_ref(&ev)).await;
        assert!(matches!(r, Err(AppError::NotFound)), "{ev}: {r:?}");
    }
    // Evidence the writer sees but about someone else: a clear message.
    let r = t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "x", &[format!("feedback:{emils_draft_for_rob}")]).await;
    assert!(matches!(&r, Err(AppError::Invalid(i)) if i.message_for("evidence").unwrap().contains("not about Ivy Coder")), "{r:?}");
    let r = t.app.add_statement(&o.emil, o.ivy.id, period.id, "glowing", "", &["nonsense".into()]).await;
    assert!(matches!(&r, Err(AppError::Invalid(i)) if i.0.len() == 3), "{r:?}");
    assert!(t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap().review.is_none(), "no review was started");

    // Writing or sharing a review for someone one does not manage.
    assert!(matches!(t.app.add_statement(&o.vera, o.ivy.id, period.id, "praise", "x", &[]).await, Err(AppError::NotFound)));
    t.app.add_statement(&o.emil, o.ivy.id, period.id, "neutral", "A quiet half.", &[]).await.unwrap();
    for who in [&o.vera, &o.ada, &o.otto, &o.ivy] {
        assert!(matches!(t.app.share_review(who, o.ivy.id, period.id).await, Err(AppError::NotFound)), "{}", who.name);
    }
    let v = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    assert!(v.review.unwrap().shared_at.is_none(), "still not shared");
    // Sharing an empty review is refused with a reason.
    assert!(matches!(t.app.share_review(&o.emil, rob.id, period.id).await, Err(AppError::Invalid(_))));
    // Feedback: empty text, unknown kind, a competency outside their framework, someone else's 1:1.
    let bad = FeedbackInput { meeting_id: Some(ada_meetings[0].id), competency: Some("Juggling".into()), ..fb(&o.ivy, "meh", "  ", true) };
    let r = t.app.give_feedback(&o.emil, bad).await;
    assert!(matches!(&r, Err(AppError::Invalid(i)) if i.0.len() == 4), "{r:?}");
    assert_eq!(t.app.my_feedback(&o.ivy).await.unwrap().len(), 0);
}

async fn the_api_and_pages_give_feedback_build_share_and_answer_a_review(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-01T09:00:00Z"));
    let admin = t.token(&o.ada).await;
    let emil = t.token(&o.emil).await;
    let ivy = t.token(&o.ivy).await;
    let c = plain();
    let r = c
        .post(t.url("/api/v1/review-periods"))
        .bearer_auth(&admin)
        .json(&json!({"name": "H1", "starts_on": "2026-01-01", "ends_on": "2026-06-30"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let period: Value = r.json().await.unwrap();
    let pid = period["id"].as_str().unwrap().to_string();
    let r = c
        .post(t.url("/api/v1/review-periods"))
        .bearer_auth(&admin)
        .json(&json!({"name": "H1b", "starts_on": "2026-03-01", "ends_on": "2026-02-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);

    let r = c
        .post(t.url("/api/v1/feedback"))
        .bearer_auth(&emil)
        .json(&json!({"receiver_id": o.ivy.id.0, "kind": "praise", "body": "Calm under pressure.", "share": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let f: Value = r.json().await.unwrap();
    let fid = f["id"].as_str().unwrap().to_string();
    let mine: Value = c.get(t.url("/api/v1/feedback")).bearer_auth(&ivy).send().await.unwrap().json().await.unwrap();
    assert_eq!(mine.as_array().unwrap().len(), 1);

    t.clock.set(at("2026-03-10T09:00:00Z"));
    let base = format!("/api/v1/people/{}/reviews/{pid}", o.ivy.id);
    let r = c
        .post(t.url(&format!("{base}/statements")))
        .bearer_auth(&emil)
        .json(&json!({"kind": "praise", "body": "Calm in incidents.", "evidence": [format!("feedback:{fid}")]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = c.get(t.url(&base)).bearer_auth(&emil).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["flagged"], 1, "9 days is not 21: {v}");
    assert!(v["statements"][0]["flag"].as_str().unwrap().contains("only 9 days ago"));
    assert_eq!(c.get(t.url(&base)).bearer_auth(&ivy).send().await.unwrap().status(), 404);
    let r = c.post(t.url(&format!("{base}/share"))).bearer_auth(&emil).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let r = c.post(t.url(&format!("{base}/answer"))).bearer_auth(&ivy).json(&json!({"answer": "Thank you."})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["review"]["answer"], "Thank you.");

    // The packet in every export format.
    let packet = format!("/api/v1/people/{}/packet?period={pid}", o.ivy.id);
    let p: Value = c.get(t.url(&packet)).bearer_auth(&emil).send().await.unwrap().json().await.unwrap();
    assert_eq!(p["feedback"][0]["feedback"]["body"], "Calm under pressure.");
    let md = c.get(t.url(&format!("{packet}&format=markdown"))).bearer_auth(&emil).send().await.unwrap();
    assert!(md.headers()["content-type"].to_str().unwrap().starts_with("text/markdown"));
    assert!(md.text().await.unwrap().starts_with("# Review packet: Ivy Coder"));
    assert_eq!(c.get(t.url(&packet)).bearer_auth(&t.token(&o.vera).await).send().await.unwrap().status(), 404);

    // Pages: the teammate reads the shared review; the print-ready packet has a print stylesheet.
    let (b, _) = t.signed_in("ivy.coder@example.com").await;
    let page = b.get(t.url(&format!("/people/{}/reviews/{pid}", o.ivy.id))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Calm in incidents.") && html.contains("Thank you."), "{html}");
    let (b, _) = t.signed_in("emil.manager@example.com").await;
    let print = b.get(t.url(&format!("/people/{}/reviews/{pid}/packet.html", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(print.contains("Calm under pressure."));
    // Its styles are a stylesheet, which the CSP (`style-src 'self'`) allows; no inline style.
    assert!(print.contains("<link rel=\"stylesheet\" href=\"/static/print.css") && !print.contains("<style"), "{print}");
    let css = b.get(t.url("/static/print.css")).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert!(css.text().await.unwrap().contains("@media print"));
}

async fn the_meeting_page_records_feedback_for_each_other(t: TestApp) {
    let o = an_organisation(&t).await;
    let m = the_meetings_of_weekly_one_on_ones(&t, &o.emil, &o.ivy, (t.app.clock.now() + chrono::Duration::days(1)).date_naive()).await;
    let page = format!("/meetings/{}", m[0].id);
    let (ivy, csrf) = t.signed_in("ivy.coder@example.com").await;
    let html = ivy.get(t.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Any feedback for each other?"));
    let r = ivy
        .post(t.url("/feedback"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("receiver_id", &o.emil.id.to_string()),
            ("meeting_id", &m[0].id.to_string()),
            ("back", &page),
            ("kind", "change"),
            ("body", "Shorter status updates, please."),
            ("share", "share"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("{page}#feedback"));
    let (emil, csrf) = t.signed_in("emil.manager@example.com").await;
    let html = emil.get(t.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Shorter status updates, please.") && html.contains("Ivy Coder to you"), "{html}");
    // A draft from Emil shows on his page only.
    let r = emil
        .post(t.url("/feedback"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("receiver_id", &o.ivy.id.to_string()),
            ("meeting_id", &m[0].id.to_string()),
            ("back", &page),
            ("kind", "praise"),
            ("body", "EMIL-DRAFT"),
            ("share", "draft"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(emil.get(t.url(&page)).send().await.unwrap().text().await.unwrap().contains("EMIL-DRAFT"));
    assert!(!ivy.get(t.url(&page)).send().await.unwrap().text().await.unwrap().contains("EMIL-DRAFT"));
}

async fn statements_are_rewritten_or_removed_until_shared_and_sharing_tells_the_person(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    t.clock.set(at("2026-02-02T09:00:00Z"));
    let period = half_year(&t, &o).await;
    let praise = t.app.give_feedback(&o.emil, fb(&o.ivy, "praise", "Clear incident notes.", true)).await.unwrap().feedback.id;
    t.clock.set(at("2026-04-01T09:00:00Z"));
    let first = t.app.add_statement(&o.emil, o.ivy.id, period.id, "neutral", "Steady quarter.", &[]).await.unwrap();
    let second = t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "Writes well", &[]).await.unwrap();

    // Rewritten: kind, text and evidence; the place in the list stays.
    let ev = vec![format!("feedback:{praise}")];
    let s = t.app.update_statement(&o.emil, o.ivy.id, period.id, second.id, "praise", "Writes clear incident notes.", &ev).await.unwrap();
    assert_eq!((s.body.as_str(), s.evidence.len(), s.position), ("Writes clear incident notes.", 1, second.position));
    let v = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    let bodies: Vec<&str> = v.statements.iter().map(|s| s.statement.body.as_str()).collect();
    assert_eq!(bodies, vec!["Steady quarter.", "Writes clear incident notes."]);
    assert_eq!(v.statements[1].flag, None, "the linked feedback was heard in time");

    // Bad input changes nothing; other people's statements are not found.
    let r = t.app.update_statement(&o.emil, o.ivy.id, period.id, second.id, "sarcasm", "", &ev).await;
    assert!(matches!(&r, Err(AppError::Invalid(i)) if i.message_for("kind").is_some() && i.message_for("body").is_some()), "{r:?}");
    for who in [&o.ivy, &o.vera, &o.ada, &rob] {
        let r = t.app.update_statement(who, o.ivy.id, period.id, second.id, "praise", "Mine now", &[]).await;
        assert!(matches!(r, Err(AppError::NotFound)), "{}: {r:?}", who.name);
        assert!(matches!(t.app.delete_statement(who, o.ivy.id, period.id, first.id).await, Err(AppError::NotFound)), "{}", who.name);
    }
    // A statement of another person's review is not found through this one.
    let robs = t.app.add_statement(&o.emil, rob.id, period.id, "neutral", "Rob's.", &[]).await.unwrap();
    assert!(matches!(t.app.delete_statement(&o.emil, o.ivy.id, period.id, robs.id).await, Err(AppError::NotFound)));
    let v = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    assert_eq!(v.statements[1].statement.body, "Writes clear incident notes.");

    // Removed, through the API.
    let token = t.token(&o.emil).await;
    let base = format!("/api/v1/people/{}/reviews/{}/statements", o.ivy.id, period.id);
    let r = plain().delete(t.url(&format!("{base}/{}", first.id))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = plain()
        .put(t.url(&format!("{base}/{}", second.id)))
        .bearer_auth(&token)
        .json(&json!({"kind": "praise", "body": "Writes very clear incident notes.", "evidence": ev}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v = t.app.review(&o.emil, o.ivy.id, period.id).await.unwrap();
    assert_eq!(v.statements.len(), 1);

    // Shared: Ivy hears of it in her inbox, once; the review no longer changes.
    assert!(t.app.inbox(&o.ivy).await.unwrap().iter().all(|m| !m.subject.contains("shared your review")));
    t.app.share_review(&o.emil, o.ivy.id, period.id).await.unwrap();
    t.app.share_review(&o.emil, o.ivy.id, period.id).await.unwrap();
    t.app.run_jobs("w").await.unwrap();
    let told: Vec<_> = t.app.inbox(&o.ivy).await.unwrap().into_iter().filter(|m| m.subject.contains("shared your review")).collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "Emil Manager shared your review for 2026 first half");
    assert!(told[0].body_text.contains(&format!("/people/{}/reviews/{}", o.ivy.id, period.id)), "{}", told[0].body_text);
    let r = t.app.update_statement(&o.emil, o.ivy.id, period.id, second.id, "praise", "Later change", &[]).await;
    assert!(matches!(r, Err(AppError::Conflict(_))), "{r:?}");
    assert!(matches!(t.app.delete_statement(&o.emil, o.ivy.id, period.id, second.id).await, Err(AppError::Conflict(_))));
}
