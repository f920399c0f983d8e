//! The review's evidence picker (issue 14): grouped by month (newest first) and kind, each item
//! named in words with a short excerpt, found with `?q=` without JavaScript, checked items
//! kept when filtering, and nothing offered that the writer could not read directly.

use crate::on_both;
use crate::support::{TestApp, a_day, an_organisation, at, day, upcoming, weekly_one_on_ones};
use rapport::app::reviews::FeedbackInput;
use rapport::domain::Person;
use rapport::domain::meeting::MeetingStatus;

on_both!(the_evidence_picker_groups_by_month_and_kind_finds_and_offers_only_what_the_writer_may_read);

fn fb(to: &Person, kind: &str, body: &str, share: bool) -> FeedbackInput {
    FeedbackInput { receiver_id: to.id.0, kind: kind.into(), body: body.into(), share, ..Default::default() }
}

/// The part of `html` from `from` to the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from} in:\n{html}"));
    let rest = &html[start..];
    &rest[..rest[from.len()..].find(to).map_or(rest.len(), |e| e + from.len())]
}

async fn the_evidence_picker_groups_by_month_and_kind_finds_and_offers_only_what_the_writer_may_read(t: TestApp) {
    t.clock.set(at("2026-04-27T08:00:00Z"));
    let o = an_organisation(&t).await;
    let period = t.app.create_review_period(&o.ada, "2026 first half", a_day("2026-01-01"), a_day("2026-06-30")).await.unwrap();
    // Emil and Ivy meet on Wednesdays from 29 April; shared notes on the first two (held), and
    // Ivy's private note, which is hers alone.
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-04-29")).await;
    let m = upcoming(&t, &o.emil, series).await;
    t.app.save_note(&o.emil, m[0].id, false, "We planned the launch demo together.", 0).await.unwrap();
    t.app.save_note(&o.emil, m[1].id, false, "Ivy led the incident review calmly.", 0).await.unwrap();
    t.app.save_note(&o.ivy, m[1].id, true, "SECRET-PRIVATE-NOTE of Ivy's", 0).await.unwrap();
    t.clock.set(at("2026-05-07T09:00:00Z"));
    t.app.give_feedback(&o.emil, fb(&o.ivy, "praise", "Great incident write-up.", true)).await.unwrap();
    t.app.give_feedback(&o.emil, fb(&o.ivy, "change", "DRAFT-NOT-SHARED", false)).await.unwrap();
    t.app.give_feedback(&o.emil, fb(&o.vera, "praise", "UPWARD-TO-VERA: thanks for the cover.", true)).await.unwrap();
    t.clock.set(at("2026-06-01T09:00:00Z"));
    for meeting in &m[..2] {
        t.app.set_meeting_status(&o.emil, meeting.id, meeting.version, MeetingStatus::Held, "").await.unwrap();
    }

    let (c, _) = t.signed_in(&o.emil.email).await;
    let page = format!("/people/{}/reviews/{}", o.ivy.id, period.id);
    let get = |path: String| {
        let c = c.clone();
        let url = t.url(&path);
        async move { c.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let html = get(page.clone()).await;
    let picker = between(&html, "<legend>Evidence</legend>", "</form>");
    // Months newest first, each with its kinds; items named in words with an excerpt.
    let (may, april) = (picker.find("May 2026").expect("May"), picker.find("April 2026").expect("April"));
    assert!(may < april, "newest month first: {picker}");
    let may_part = &picker[may..april];
    assert!(may_part.contains("Shared notes") && may_part.contains("Feedback"), "{may_part}");
    assert!(may_part.contains("1:1 on Wednesday 6 May") && may_part.contains("Ivy led the incident review calmly."), "{may_part}");
    assert!(may_part.contains("Great incident write-up."), "{may_part}");
    assert!(picker[april..].contains("1:1 on Wednesday 29 April") && picker[april..].contains("launch demo"), "{picker}");
    assert!(picker.contains("0 chosen of 1"), "counts per group: {picker}");
    assert!(picker.contains(">Find evidence</label>"), "{picker}");
    assert!(!picker.contains("2026-05-06"), "dates in words, not ISO: {picker}");
    // Never what Emil could not read directly: a private note, a draft.
    assert!(!html.contains("SECRET-PRIVATE-NOTE") && !html.contains("DRAFT-NOT-SHARED"));

    // Without JavaScript, ?q= finds: the incident (a note and feedback), not the launch demo.
    let found = get(format!("{page}?q=incident")).await;
    let picker = between(&found, "<legend>Evidence</legend>", "</form>");
    assert!(picker.contains("1:1 on Wednesday 6 May") && picker.contains("Great incident write-up."), "{picker}");
    assert!(!picker.contains("29 April") && !picker.contains("April 2026"), "{picker}");
    assert!(found.contains("value=\"incident\""), "the search box keeps what was typed");
    assert!(found.contains("data-evidence-none hidden>"), "something was found");
    let none = get(format!("{page}?q=zeppelin")).await;
    let picker = between(&none, "<legend>Evidence</legend>", "</form>");
    assert!(picker.contains("data-evidence-none>No other evidence mentions that.") && !picker.contains("<details"), "{picker}");

    // A statement linking the April notes keeps them, checked, in its edit form when filtering.
    let s = t.app.add_statement(&o.emil, o.ivy.id, period.id, "praise", "A calm lead.", &[format!("note:{}", m[0].id)]).await.unwrap();
    let value = format!("value=\"note:{}\"", m[0].id);
    let all = get(page.clone()).await;
    assert_eq!(all.matches(&value).count(), 2, "in the edit form and the add form");
    let found = get(format!("{page}?q=incident&edit={}", s.id)).await;
    assert_eq!(found.matches(&value).count(), 1, "only where it is chosen");
    assert!(found.contains(&format!("{value} checked")), "kept, checked");
    assert!(found.contains("1 chosen of 1"), "{found}");

    // Vera writes Emil's review: his feedback to her is offered; his feedback to Ivy (his
    // report's, not hers to read) is not.
    let (v, _) = t.signed_in(&o.vera.email).await;
    let html = v.get(t.url(&format!("/people/{}/reviews/{}", o.emil.id, period.id))).send().await.unwrap().text().await.unwrap();
    let picker = between(&html, "<legend>Evidence</legend>", "</form>");
    assert!(picker.contains("UPWARD-TO-VERA"), "{picker}");
    assert!(!html.contains("Great incident write-up.") && !html.contains("incident review calmly"), "{html}");
}
