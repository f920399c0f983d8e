//! The home (`GET /meetings`, "Your 1:1s") and its API twin (`GET /api/v1/meetings/upcoming`):
//! what is new since you last looked, and prep's first suggestion, on both databases.

use crate::on_both;
use crate::support::{TestApp, a_manager_with_a_report, at, day, plain, upcoming, weekly_one_on_ones};
use crate::weekly_loop::{home_rows, page};
use serde_json::Value;

on_both!(
    the_home_says_which_of_the_other_persons_topics_are_new_since_you_last_looked,
    the_managers_home_carries_preps_first_suggestion_with_its_reason,
    a_topic_dated_ahead_of_the_clock_is_seen_once_the_page_is_opened,
);

/// The first row of `who`'s home, as plain text.
async fn first_row(c: &reqwest::Client, t: &TestApp) -> String {
    home_rows(&page(c, t, "/meetings").await).remove(0)
}

/// Topics the other person added show as new on your home until you open the 1:1's page or its
/// prep page; your own topics never do; the API's upcoming list says the same.
async fn the_home_says_which_of_the_other_persons_topics_are_new_since_you_last_looked(t: TestApp) {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let series = weekly_one_on_ones(&t, &p.manager, &p.teammate, day("2026-03-04")).await;
    let first = upcoming(&t, &p.manager, series).await[0].id;
    let (m, _) = t.signed_in(&p.manager.email).await;
    let (tm, _) = t.signed_in(&p.teammate.email).await;
    let token = t.token(&p.manager).await;
    let new_in_api = || async {
        let r = plain().get(t.url("/api/v1/meetings/upcoming")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let list: Value = r.json().await.unwrap();
        let next = list.as_array().unwrap().iter().find(|u| u["meeting"]["id"] == first.to_string()).cloned().unwrap();
        next["new_topics"].as_i64().unwrap_or_else(|| panic!("new_topics: {next}"))
    };

    t.app.add_point(&p.teammate, first, "My growth plan", false).await.unwrap();
    t.app.add_point(&p.manager, first, "The offsite", false).await.unwrap();
    let row = first_row(&m, &t).await;
    assert!(row.contains("1 topic from Tom, new since you last looked"), "{row}");
    assert_eq!(new_in_api().await, 1);

    // Maria opens the 1:1: Tom's topic is not new any more; her own never was.
    t.clock.set(at("2026-03-02T09:00:00Z"));
    page(&m, &t, &format!("/meetings/{first}")).await;
    let row = first_row(&m, &t).await;
    assert!(row.contains("1 topic from Tom") && !row.contains("new"), "{row}");
    assert_eq!(new_in_api().await, 0);
    t.app.add_point(&p.manager, first, "Budget", false).await.unwrap();
    assert!(!first_row(&m, &t).await.contains("new"), "her own topics are never news to her");

    // Tom adds another: one of his two is new. Opening the prep page counts as looking too.
    t.clock.set(at("2026-03-02T10:00:00Z"));
    t.app.add_point(&p.teammate, first, "Time off in May", false).await.unwrap();
    let row = first_row(&m, &t).await;
    assert!(row.contains("2 topics from Tom, 1 new since you last looked"), "{row}");
    assert_eq!(new_in_api().await, 1);
    t.clock.set(at("2026-03-02T11:00:00Z"));
    page(&m, &t, &format!("/meetings/{first}/prep")).await;
    let row = first_row(&m, &t).await;
    assert!(row.contains("2 topics from Tom") && !row.contains("new"), "{row}");

    // Tom has not looked yet: Maria's two topics are new to him, his own are not.
    let row = first_row(&tm, &t).await;
    assert!(row.contains("2 topics from Maria, new since you last looked"), "{row}");

    // Looking again with nothing new writes no mark: a topic Tom added before that second look
    // (by the clock) but after the last mark still counts as new.
    t.clock.set(at("2026-03-02T12:00:00Z"));
    page(&m, &t, &format!("/meetings/{first}")).await;
    t.clock.set(at("2026-03-02T11:30:00Z"));
    t.app.add_point(&p.teammate, first, "Pairing", false).await.unwrap();
    let row = first_row(&m, &t).await;
    assert!(row.contains("3 topics from Tom, 1 new since you last looked"), "{row}");
}

/// A topic dated ahead of this server's clock (another instance's clock runs a little fast, or
/// the data came from elsewhere) stops being new once the 1:1 is opened, and looking again
/// writes nothing. Each view of the meeting page used to write the mark again: under load those
/// writes queued behind one another until the page stopped answering.
async fn a_topic_dated_ahead_of_the_clock_is_seen_once_the_page_is_opened(t: TestApp) {
    crate::support::statements::count();
    t.clock.set(at("2026-03-02T10:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let series = weekly_one_on_ones(&t, &p.manager, &p.teammate, day("2026-03-04")).await;
    let first = upcoming(&t, &p.manager, series).await[0].id;
    t.app.add_point(&p.teammate, first, "My growth plan", false).await.unwrap();
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let (m, _) = t.signed_in(&p.manager.email).await;
    assert!(first_row(&m, &t).await.contains("1 topic from Tom, new since you last looked"));

    page(&m, &t, &format!("/meetings/{first}")).await;
    let row = first_row(&m, &t).await;
    assert!(row.contains("1 topic from Tom") && !row.contains("new"), "{row}");
    for _ in 0..3 {
        let (_, before) = crate::support::statements::so_far();
        page(&m, &t, &format!("/meetings/{first}")).await;
        let (_, after) = crate::support::statements::so_far();
        assert_eq!(after, before, "looking again wrote {} statements", after - before);
    }
}

/// Prep's most important suggestion for the pair comes to the manager's row, with its reason and
/// a link to the prep page; never to the teammate's; and it goes once the pair acts on it.
async fn the_managers_home_carries_preps_first_suggestion_with_its_reason(t: TestApp) {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let series = weekly_one_on_ones(&t, &p.manager, &p.teammate, day("2026-03-04")).await;
    let (m, _) = t.signed_in(&p.manager.email).await;
    assert!(!first_row(&m, &t).await.contains("Suggested"), "nothing to suggest yet");

    // Four weeks on, no feedback has been exchanged (prep suggests it after three), and the
    // teammate's ratings went down three times in a row.
    t.clock.set(at("2026-03-23T12:00:00Z"));
    let past: Vec<_> = t.app.series_view(&p.manager, series, None).await.unwrap().history;
    for (m, rating) in past.iter().rev().zip([5, 4, 3]) {
        t.app.rate_meeting(&p.teammate, m.id, rating, "").await.unwrap();
    }
    t.clock.set(at("2026-04-01T12:00:00Z"));
    let (m, _) = t.signed_in(&p.manager.email).await;
    let (tm, _) = t.signed_in(&p.teammate.email).await;
    let next = upcoming(&t, &p.manager, series).await[0].id;
    let prep = t.app.prep_guidance(&p.manager, next).await.unwrap().suggestions;
    assert!(prep.len() >= 2, "{prep:?}");
    let html = page(&m, &t, "/meetings").await;
    let row = home_rows(&html).remove(0);
    assert!(row.contains(&format!("Suggested: {}", prep[0].text)) && row.contains(&prep[0].reason), "prep's first: {row}");
    assert!(row.contains("Exchange one piece of feedback") && !row.contains(&prep[1].text), "one suggestion: {row}");
    assert!(html.contains(&format!("href=\"/meetings/{next}/prep#sugg-h\"")), "it leads to the prep page");
    assert!(!first_row(&tm, &t).await.contains("Suggested"), "the manager's suggestions are hers");

    // Feedback exchanged: the next suggestion is the falling ratings.
    t.app.use_question(&p.manager, "feedback-01", next).await.unwrap();
    let row = first_row(&m, &t).await;
    assert!(row.contains("Suggested: Ask what would make your 1:1s more worth their time"), "{row}");
    assert!(row.contains("The last 3 ratings went down: 5, 4, 3."), "{row}");
}
