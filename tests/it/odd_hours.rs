//! Moving a 1:1 to an hour outside either person's working day, or into their focus hours,
//! warns (issue 14): the move is saved, and the page it leads to, the API's answer and the
//! kickoff all say whose hour it is, in that person's own zone.

use crate::on_both;
use crate::support::{Pair, TestApp, a_manager_with_a_report, at, csrf_in, day, plain, upcoming, weekly_one_on_ones};
use rapport::app::people::PersonPatch;
use rapport::domain::kickoff::check_focus;
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(a_move_to_an_odd_hour_is_saved_and_says_whose_hour_it_is, the_api_move_answers_with_its_warnings);

/// Maria (UTC) and Tom, who works from Singapore, meet weekly from Wednesday 4 March 2026 at
/// 10:00 UTC; the clock is Monday 2 March. The pair and the first meeting.
async fn maria_and_tom_in_singapore(t: &TestApp) -> (Pair, Uuid) {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let mut p = a_manager_with_a_report(t).await;
    let patch = PersonPatch { timezone: Some("Asia/Singapore".into()), ..Default::default() };
    p.teammate = t.app.update_person(&p.admin, p.teammate.id, patch, p.teammate.version).await.expect("Tom's zone");
    let series = weekly_one_on_ones(t, &p.manager, &p.teammate, day("2026-03-04")).await;
    let meeting = upcoming(t, &p.manager, series).await[0].id;
    (p, meeting)
}

async fn move_to(c: &reqwest::Client, t: &TestApp, csrf: &str, meeting: Uuid, version: &str, date: &str, time: &str) -> String {
    let form = [("_csrf", csrf), ("version", version), ("date", date), ("time", time), ("reason", "Clash with a launch")];
    let r = c.post(t.url(&format!("/meetings/{meeting}/move"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303, "the move is saved, warning or not");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    c.get(t.url(&to)).send().await.unwrap().text().await.unwrap()
}

/// The confirmation on the page the move leads to.
fn notice(html: &str) -> String {
    let start = html.find("<p class=\"notice\" role=\"status\">").unwrap_or_else(|| panic!("no confirmation in:\n{html}"));
    let rest = &html[start..];
    rest[..rest.find("</p>").unwrap()].replace("&#39;", "'").replace("&#x27;", "'")
}

async fn a_move_to_an_odd_hour_is_saved_and_says_whose_hour_it_is(t: TestApp) {
    let (p, meeting) = maria_and_tom_in_singapore(&t).await;
    let (m, csrf) = t.signed_in(&p.manager.email).await;

    // 16:30 UTC is a fine hour for Maria and 00:30 on Friday for Tom.
    let html = move_to(&m, &t, &csrf, meeting, "1", "2026-03-05", "16:30").await;
    let said = notice(&html);
    assert!(said.contains("Moved."), "{said}");
    assert!(said.contains("00:30 on Friday for Tom") && said.contains("08:00 to 19:00"), "{said}");
    assert!(!said.contains("for you"), "16:30 is in Maria's day: {said}");
    assert!(html.contains("Thu 5 Mar, 16:30"), "the move is saved");

    // 08:00 UTC is 16:00 in Singapore: a day that suits both, and nothing to warn about.
    let said = notice(&move_to(&m, &t, &csrf, meeting, "2", "2026-03-05", "08:00").await);
    assert!(said.contains("Moved.") && !said.contains("outside"), "{said}");

    // 04:00 UTC is before Maria's day (and noon for Tom): "for you", said to Maria.
    let said = notice(&move_to(&m, &t, &csrf, meeting, "3", "2026-03-05", "04:00").await);
    assert!(said.contains("04:00 on Thursday for you") && !said.contains("for Tom"), "{said}");

    // Focus hours warn too: Tom keeps Thursday afternoons (his time) for deep work, and his
    // manager may see them; Maria keeps Thursday 09:00–10:00 (UTC), which Tom may not see.
    t.app.set_focus_hours(&p.teammate, Some(&check_focus(&["thu".into()], "14:00", "17:00").unwrap())).await.unwrap();
    t.app.set_focus_hours(&p.manager, Some(&check_focus(&["thu".into()], "09:00", "10:00").unwrap())).await.unwrap();
    let said = notice(&move_to(&m, &t, &csrf, meeting, "4", "2026-03-05", "07:00").await);
    assert!(said.contains("Tom's focus hours") && said.contains("Thu 14:00–17:00"), "{said}");
    let said = notice(&move_to(&m, &t, &csrf, meeting, "5", "2026-03-05", "09:00").await);
    assert!(said.contains("your focus hours"), "{said}");
    let (tm, tm_csrf) = t.signed_in(&p.teammate.email).await;
    let said = notice(&move_to(&tm, &t, &tm_csrf, meeting, "6", "2026-03-05", "09:15").await);
    assert!(said.contains("Moved.") && !said.contains("focus"), "Maria's focus hours are not Tom's to see: {said}");

    // The confirmation is for the page the move leads to; the meeting page as such says nothing.
    let page = m.get(t.url(&format!("/meetings/{meeting}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Moved.") && csrf_in(&page) == csrf);
}

async fn the_api_move_answers_with_its_warnings(t: TestApp) {
    let (p, meeting) = maria_and_tom_in_singapore(&t).await;
    let token = t.token(&p.manager).await;
    let path = t.url(&format!("/api/v1/meetings/{meeting}/move"));
    let send = |version: i64, time: &str| {
        plain().post(&path).bearer_auth(&token).json(&json!({"version": version, "date": "2026-03-05", "time": time, "reason": "Launch"}))
    };
    let r = send(1, "16:30").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let moved: Value = r.json().await.unwrap();
    assert_eq!(moved["starts_at"], "2026-03-05T16:30:00Z");
    let warnings = moved["warnings"].as_array().unwrap_or_else(|| panic!("warnings: {moved}"));
    assert_eq!(warnings.len(), 1, "{moved}");
    assert!(warnings[0].as_str().unwrap().contains("00:30 on Friday for Tom"), "{moved}");
    let moved: Value = send(2, "08:00").send().await.unwrap().json().await.unwrap();
    assert_eq!(moved["warnings"], json!([]), "{moved}");

    // The schema documents them.
    let spec: Value = plain().get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let text = spec.to_string();
    assert!(text.contains("MovedMeeting") && text.contains("warnings"), "the move's answer is documented");
}
