//! Aggregates show only what the direct reads show (issue 12, finding 5).
//!
//! One organisation with a three-level tree (Lea > Aiko > Ren and Rita; Pia, Aiko's peer,
//! also reports to Lea), an admin outside the tree and an unrelated person. About forty items
//! of every kind an aggregate can include, each with its own marker word. For every actor and
//! every aggregate view (the packet through the API, its page and its files; the search through
//! the API and its page; the prep view; the meeting and series pages with the pulse; the inbox;
//! one's feedback and actions; the home; one's practice; the view of one's organisation), an item's
//! marker may appear only if the direct read of that item, through the API, shows it to that
//! actor.

use crate::on_both;
use crate::support::{TestApp, a_day, at, plain};
use chrono::NaiveDate;
use rapport::app::meetings::SeriesInput;
use rapport::app::reviews::FeedbackInput;
use rapport::domain::Person;
use rapport::domain::about::AboutInput;
use rapport::domain::meeting::{ActionKind, SeriesKind};
use rapport::domain::schedule::Cadence;
use rapport::domain::setback::SetbackInput;
use std::collections::BTreeSet;
use uuid::Uuid;

on_both!(no_aggregate_shows_what_the_direct_read_refuses);

/// The word every item's text carries, so one search finds them all.
const COMMON: &str = "quokka";

/// One item: the marker only it carries, and the API path that reads it directly.
struct Item {
    marker: String,
    direct: String,
}

/// A text for an item: the common word, then its marker (kept short, so a search snippet
/// holds both).
fn text(marker: &str) -> String {
    format!("{COMMON} {marker}")
}

async fn first_meeting(t: &TestApp, leader: &Person, teammate: &Person, kind: SeriesKind) -> (Uuid, Uuid) {
    let s = t
        .app
        .create_series(
            leader,
            SeriesInput {
                teammate_id: teammate.id,
                kind,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                time: "10:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    (s.id, t.app.series_view(leader, s.id, None).await.unwrap().upcoming[0].id)
}

async fn no_aggregate_shows_what_the_direct_read_refuses(t: TestApp) {
    let ada = t.admin().await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let lea = t.person(&ada, "Lea Leader", None).await;
    let aiko = t.person(&ada, "Aiko Manager", Some(lea.id)).await;
    let ren = t.person(&ada, "Ren Report", Some(aiko.id)).await;
    let rita = t.person(&ada, "Rita Report", Some(aiko.id)).await;
    let pia = t.person(&ada, "Pia Peer", Some(lea.id)).await;
    let uma = t.person(&ada, "Uma Unrelated", None).await;
    let period = t.app.create_review_period(&ada, "2026 first half", a_day("2026-01-01"), a_day("2026-06-30")).await.unwrap();
    let app = &t.app;
    let mut items: Vec<Item> = vec![];
    let mut n = 0;
    let mut marker = || {
        n += 1;
        format!("mk{n:02}zq")
    };

    // Feedback in both directions along every reporting line, shared and draft.
    for (giver, receiver) in [(&lea, &aiko), (&aiko, &lea), (&aiko, &ren), (&ren, &aiko), (&aiko, &rita), (&rita, &aiko), (&lea, &pia)] {
        for share in [true, false] {
            let m = marker();
            let input = FeedbackInput { receiver_id: receiver.id.0, kind: "praise".into(), body: text(&m), share, ..Default::default() };
            let f = app.give_feedback(giver, input).await.unwrap();
            items.push(Item { marker: m, direct: format!("/api/v1/feedback/{}", f.feedback.id) });
        }
    }

    // 1:1 content of three pairs: a regular one at each level and a skip-level one.
    let pairs = [(&aiko, &ren, SeriesKind::Regular), (&lea, &aiko, SeriesKind::Regular), (&lea, &ren, SeriesKind::SkipLevel)];
    let mut meetings = vec![];
    let mut series = vec![];
    for (leader, teammate, kind) in pairs {
        let (sid, mid) = first_meeting(&t, leader, teammate, kind).await;
        meetings.push(mid);
        series.push(sid);
        // The teammate's pulse before it, with a comment (none in a skip-level series: refused).
        let m = marker();
        let answers = [("energy".to_string(), 2), ("workload".to_string(), 3), ("going".to_string(), 4)].into();
        if app.answer_pulse(teammate, mid, &answers, &text(&m)).await.is_ok() {
            items.push(Item { marker: m, direct: format!("/api/v1/meetings/{mid}/pulse") });
        }
        let direct = format!("/api/v1/meetings/{mid}");
        let m = marker();
        app.save_note(leader, mid, false, &text(&m), 0).await.unwrap();
        items.push(Item { marker: m, direct: direct.clone() });
        for author in [leader, teammate] {
            let m = marker();
            app.save_note(author, mid, true, &text(&m), 0).await.unwrap();
            items.push(Item { marker: m, direct: direct.clone() });
        }
        let m = marker();
        app.add_point(teammate, mid, &text(&m), false).await.unwrap();
        items.push(Item { marker: m, direct: direct.clone() });
        let m = marker();
        app.add_action(leader, mid, &text(&m), teammate.id, None, ActionKind::Normal).await.unwrap();
        items.push(Item { marker: m, direct });
    }

    assert_eq!(items.iter().filter(|i| i.direct.ends_with("/pulse")).count(), 2, "a pulse in each regular pair");

    // Setback records: by a manager, and by the person themselves.
    for (author, about) in [(&aiko, &ren), (&lea, &aiko), (&rita, &rita)] {
        let m = marker();
        let input = SetbackInput {
            occurred_on: a_day("2026-02-20"),
            facts: text(&m),
            contexts: vec!["unclear_expectations".into()],
            context_other: String::new(),
            remedy: String::new(),
            manager_change: String::new(),
            learned: "Write the goal down together.".into(),
            meeting_id: None,
        };
        let s = app.record_setback(author, about.id, &input, &[]).await.unwrap();
        items.push(Item { marker: m, direct: format!("/api/v1/setbacks/{}", s.record.id) });
    }

    // Growth records: Ren's are shared with the leaders above Aiko, Aiko's and Rita's are not.
    app.set_growth_shared(&aiko, ren.id, true).await.unwrap();
    for (author, about) in [(&aiko, &ren), (&lea, &aiko), (&aiko, &rita)] {
        let m = marker();
        app.add_strength(author, about.id, &format!("Strength {m}"), &text(&m), "Every day").await.unwrap();
        items.push(Item { marker: m, direct: format!("/api/v1/people/{}/growth", about.id) });
        let m = marker();
        app.create_plan(author, about.id, "growth", &format!("Plan {m}"), &text(&m)).await.unwrap();
        items.push(Item { marker: m, direct: format!("/api/v1/people/{}/growth", about.id) });
    }

    // Reviews: Ren's still being written, Aiko's shared with her.
    for (author, about, share) in [(&aiko, &ren, false), (&lea, &aiko, true)] {
        let m = marker();
        app.add_statement(author, about.id, period.id, "neutral", &text(&m), &[]).await.unwrap();
        if share {
            app.share_review(author, about.id, period.id).await.unwrap();
        }
        items.push(Item { marker: m, direct: format!("/api/v1/people/{}/reviews/{}", about.id, period.id) });
    }

    // About pages: each manager's own, on their report.
    for (author, about) in [(&aiko, &ren), (&lea, &aiko)] {
        let m = marker();
        app.save_about_page(author, about.id, &AboutInput { interests: text(&m), ..Default::default() }).await.unwrap();
        items.push(Item { marker: m, direct: format!("/api/v1/people/{}/about", about.id) });
    }
    assert!(items.len() >= 35, "{} items", items.len());

    // Later in the period, with the meetings over (the prep view and the packet read them).
    t.clock.set(at("2026-04-01T08:00:00Z"));
    let tree = [&lea, &aiko, &ren, &rita, &pia];
    let actors = [&lea, &aiko, &ren, &rita, &pia, &ada, &uma];
    let c = plain();
    let mut leaks = BTreeSet::new();
    let mut shown = 0usize;
    for actor in actors {
        let token = t.token(actor).await;
        let (browser, _) = t.signed_in(&actor.email).await;
        let mut visible = vec![];
        for item in &items {
            let r = c.get(t.url(&item.direct)).bearer_auth(&token).send().await.unwrap();
            let ok = r.status() == 200;
            visible.push(ok && r.text().await.unwrap().contains(&item.marker));
        }
        // Every aggregate view, as (name, text).
        let mut views: Vec<(String, String)> = vec![];
        let mut api_paths = vec![
            format!("/api/v1/search?q={COMMON}"),
            "/api/v1/me/messages".to_string(),
            "/api/v1/feedback".to_string(),
            "/api/v1/actions".to_string(),
        ];
        let mut page_paths = vec![format!("/search?q={COMMON}"), "/messages".to_string(), "/feedback".to_string()];
        for p in tree {
            api_paths.push(format!("/api/v1/people/{}/packet?period={}", p.id, period.id));
            api_paths.push(format!("/api/v1/people/{}/packet?period={}&format=markdown", p.id, period.id));
            page_paths.push(format!("/people/{}/reviews/{}", p.id, period.id));
            for file in ["packet.md", "packet.json", "packet.html"] {
                page_paths.push(format!("/people/{}/reviews/{}/{file}", p.id, period.id));
            }
        }
        for mid in &meetings {
            page_paths.push(format!("/meetings/{mid}/prep"));
            page_paths.push(format!("/meetings/{mid}"));
        }
        for sid in &series {
            page_paths.push(format!("/series/{sid}"));
            api_paths.push(format!("/api/v1/series/{sid}/pulses"));
        }
        // The home, one's practice and the view of one's organisation.
        page_paths.extend(["/meetings".to_string(), "/practice?weeks=52".to_string(), "/insights?weeks=52".to_string()]);
        api_paths.extend(["/api/v1/practice?weeks=52".to_string(), "/api/v1/insights?weeks=52".to_string()]);
        for path in api_paths {
            let body = c.get(t.url(&path)).bearer_auth(&token).send().await.unwrap().text().await.unwrap();
            views.push((format!("API {path}"), body));
        }
        for path in page_paths {
            let body = browser.get(t.url(&path)).send().await.unwrap().text().await.unwrap();
            views.push((format!("page {path}"), body));
        }
        for (name, body) in &views {
            for (item, direct) in items.iter().zip(&visible) {
                if body.contains(&item.marker) {
                    shown += 1;
                    if !direct {
                        leaks.insert(format!("{}: {name} shows {} ({} refuses it)", actor.name, item.marker, item.direct));
                    }
                }
            }
        }
    }
    // The views do show things (the test is not passing on empty pages).
    assert!(shown > 100, "only {shown} items shown in all the aggregates");
    assert!(leaks.is_empty(), "{} leaks:\n{}", leaks.len(), leaks.into_iter().collect::<Vec<_>>().join("\n"));
}
