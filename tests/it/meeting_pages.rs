//! The 1:1 pages on both databases: who sees what, every form's happy path and its refusals
//! (422 with the message next to the field, 409 with the current content), notes that merge
//! or conflict, private notes that never reach the other person, ratings, actions, search.

use crate::on_both;
use crate::support::{Pair, TestApp, a_manager_with_a_report, at, csrf_in, day, upcoming, weekly_one_on_ones};
use uuid::Uuid;

on_both!(
    the_pages_open_for_the_pair_and_look_missing_to_anyone_else,
    a_topic_is_added_ticked_moved_and_removed_through_forms,
    shared_notes_save_merge_and_show_a_conflict_without_losing_words,
    a_private_note_never_reaches_the_other_persons_pages,
    only_the_teammate_rates_and_only_once_the_meeting_has_begun,
    actions_are_added_listed_filtered_and_ticked_done,
    search_highlights_hits_and_keeps_other_peoples_private_notes_out,
    a_series_is_started_through_the_form_with_each_problem_next_to_its_field,
    the_series_page_pauses_resumes_and_pages_through_history,
    meetings_are_skipped_and_moved_with_a_reason,
    the_series_page_shows_how_worth_the_time_is_trending,
);

/// A manager with a report and someone unrelated, on a Monday morning (2 March 2026, 08:00
/// UTC) so that dates in the tests are easy to read.
async fn a_manager_with_a_report_on_a_monday(t: &TestApp) -> Pair {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    a_manager_with_a_report(t).await
}

/// Their weekly 1:1s from Wednesday 4 March 2026 at 10:00 UTC: the series and its first meeting.
async fn weekly_from_wednesday(t: &TestApp, p: &Pair) -> (Uuid, Uuid) {
    let series = weekly_one_on_ones(t, &p.manager, &p.teammate, day("2026-03-04")).await;
    (series, upcoming(t, &p.manager, series).await[0].id)
}

async fn get(c: &reqwest::Client, t: &TestApp, path: &str) -> (u16, String) {
    let r = c.get(t.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn post(c: &reqwest::Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

/// The text of the element with `id="<id>"` up to its closing tag (for field errors).
/// The value of the (first) input named `name`, unescaped.
fn input_value(html: &str, name: &str) -> String {
    let at = html.find(&format!("name=\"{name}\" value=\"")).unwrap_or_else(|| panic!("no input {name}"));
    let rest = &html[at + name.len() + 15..];
    let raw = &rest[..rest.find('"').expect("a closed value")];
    raw.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

fn element(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no element {id} in the page:\n{html}"));
    let open_end = start + html[start..].find('>').unwrap() + 1;
    let close = open_end + html[open_end..].find("</").unwrap();
    html[open_end..close].to_string()
}

async fn the_pages_open_for_the_pair_and_look_missing_to_anyone_else(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (series, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, _) = t.signed_in(&p.manager.email).await;
    let (tm, _) = t.signed_in(&p.teammate.email).await;
    let (o, o_csrf) = t.signed_in(&p.outsider.email).await;

    // Signed in, the start page is your 1:1s.
    let r = m.get(t.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/meetings");

    let (status, list) = get(&m, &t, "/meetings").await;
    assert_eq!(status, 200);
    assert!(list.contains("Tom Teammate") && list.contains(&format!("/meetings/{meeting}")), "{list}");
    assert!(list.contains("Wed 4 Mar, 10:00"), "times in the viewer's zone: {list}");
    let (_, list) = get(&tm, &t, "/meetings").await;
    assert!(list.contains("Maria Manager") && list.contains(&format!("/series/{series}")));

    let pages = [
        format!("/series/{series}"),
        format!("/meetings/{meeting}"),
        format!("/meetings/{meeting}/prep"),
        "/actions".to_string(),
        "/search?q=anything".to_string(),
    ];
    for path in &pages {
        for (who, c) in [("manager", &m), ("teammate", &tm)] {
            let (status, html) = get(c, &t, path).await;
            assert_eq!(status, 200, "{who} on {path}: {html}");
        }
    }
    let (_, page) = get(&tm, &t, &format!("/meetings/{meeting}")).await;
    assert!(page.contains("<h1>1:1 with Maria Manager"), "{page}");
    assert!(page.contains("data-shortcut=\"a\"") && page.contains("data-shortcut=\"n\"") && page.contains("data-shortcut=\"t\""));
    assert!(page.contains(&format!("data-viewer-id=\"{}\"", p.teammate.id)), "the page knows who is looking, for live updates");

    // Someone outside the pair sees the same "not found" as for a meeting that does not exist.
    let (status, missing) = get(&o, &t, &format!("/meetings/{}", Uuid::now_v7())).await;
    assert_eq!(status, 404);
    for path in [format!("/series/{series}"), format!("/meetings/{meeting}"), format!("/meetings/{meeting}/prep")] {
        let (status, html) = get(&o, &t, &path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(html, missing, "{path} must look exactly like a missing page");
    }
    let (status, _, html) =
        post(&o, &t, &format!("/meetings/{meeting}/points"), &[("_csrf", o_csrf.as_str()), ("body", "Sneaky topic")]).await;
    assert_eq!(status, 404);
    assert_eq!(html, missing);
    let (_, page) = get(&m, &t, &format!("/meetings/{meeting}")).await;
    assert!(!page.contains("Sneaky topic"));
    let (_, list) = get(&o, &t, "/meetings").await;
    assert!(list.contains("No 1:1s yet") && !list.contains("Tom Teammate"), "{list}");
}

async fn a_topic_is_added_ticked_moved_and_removed_through_forms(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (_, meeting) = weekly_from_wednesday(&t, &p).await;
    let (tm, csrf) = t.signed_in(&p.teammate.email).await;
    let (m, m_csrf) = t.signed_in(&p.manager.email).await;
    let page = format!("/meetings/{meeting}");
    let add = format!("/meetings/{meeting}/points");

    let (status, location, _) = post(&tm, &t, &add, &[("_csrf", csrf.as_str()), ("body", "My promotion case")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}#agenda"));
    let (status, _, _) = post(&m, &t, &add, &[("_csrf", m_csrf.as_str()), ("body", "Team budget"), ("recurring", "on")]).await;
    assert_eq!(status, 303);
    let (_, html) = get(&tm, &t, &page).await;
    let (a, b) = (html.find("My promotion case").unwrap(), html.find("Team budget").unwrap());
    assert!(a < b, "the teammate's topic comes first");
    assert!(html.contains("every time"), "a recurring topic is labelled");

    // Empty and over-long topics: 422, the message next to the field, the text kept.
    let (status, _, html) = post(&tm, &t, &add, &[("_csrf", csrf.as_str()), ("body", "   ")]).await;
    assert_eq!(status, 422);
    assert_eq!(element(&html, "f-point-body-error"), "Write a topic first.");
    assert!(html.contains("aria-describedby=\"f-point-body-error\""));
    let long = "x".repeat(501);
    let (status, _, html) = post(&tm, &t, &add, &[("_csrf", csrf.as_str()), ("body", long.as_str())]).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-point-body-error").contains("500 characters"));
    assert!(html.contains(&format!("value=\"{long}\"")), "what was typed is kept");

    // Tick as discussed.
    let view = t.app.meeting_view(&p.teammate, meeting).await.unwrap();
    let promo = view.points.iter().find(|x| x.body == "My promotion case").unwrap().clone();
    let version = promo.version.to_string();
    let mid = meeting.to_string();
    let tick = [("_csrf", csrf.as_str()), ("meeting_id", mid.as_str()), ("version", version.as_str()), ("discussed", "true")];
    let (status, location, _) = post(&tm, &t, &format!("/points/{}", promo.id), &tick).await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&format!("/meetings/{meeting}#")));
    let (_, html) = get(&m, &t, &page).await;
    assert!(html.contains("aria-checked=\"true\"><span class=\"visually-hidden\">Discussed: My promotion case"), "{html}");

    // The same form again is stale: 409, the current agenda shown with the reason.
    let stale = [("_csrf", m_csrf.as_str()), ("meeting_id", mid.as_str()), ("version", version.as_str()), ("discussed", "false")];
    let (status, _, html) = post(&m, &t, &format!("/points/{}", promo.id), &stale).await;
    assert_eq!(status, 409);
    assert!(html.contains("changed by someone else"), "{html}");
    assert!(html.contains("My promotion case") && html.contains("class=\"notice error\""));

    // Topics move within their group: the teammate's second topic goes above their first;
    // the manager's first topic cannot jump above the teammate's (its "up" is disabled).
    let (status, _, _) = post(&tm, &t, &add, &[("_csrf", csrf.as_str()), ("body", "Conference talk")]).await;
    assert_eq!(status, 303);
    let talk = t.app.meeting_view(&p.teammate, meeting).await.unwrap().points.into_iter().find(|x| x.body == "Conference talk").unwrap();
    let (status, location, _) =
        post(&m, &t, &format!("/points/{}/move", talk.id), &[("_csrf", m_csrf.as_str()), ("meeting_id", mid.as_str()), ("dir", "up")])
            .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}#point-{}", talk.id));
    let (_, html) = get(&m, &t, &page).await;
    assert!(html.find("Conference talk").unwrap() < html.find("My promotion case").unwrap(), "moved up");
    let budget = view.points.iter().find(|x| x.body == "Team budget").unwrap().clone();
    let budget_item = &html[html.find(&format!("id=\"point-{}\"", budget.id)).unwrap()..];
    assert!(budget_item[..budget_item.find("</li>").unwrap()].contains("title=\"Move up\" disabled"));

    // Only the author removes a topic; the other person is told why, next to the topic.
    let v = budget.version.to_string();
    let (status, _, html) = post(
        &tm,
        &t,
        &format!("/points/{}/delete", budget.id),
        &[("_csrf", csrf.as_str()), ("meeting_id", mid.as_str()), ("version", v.as_str())],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("Only the person who added a topic can remove it"));
    let fresh = t.app.meeting_view(&p.manager, meeting).await.unwrap();
    let budget = fresh.points.iter().find(|x| x.body == "Team budget").unwrap();
    let v = budget.version.to_string();
    let (status, _, _) = post(
        &m,
        &t,
        &format!("/points/{}/delete", budget.id),
        &[("_csrf", m_csrf.as_str()), ("meeting_id", mid.as_str()), ("version", v.as_str())],
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = get(&tm, &t, &page).await;
    assert!(!html.contains("Team budget"));
}

async fn shared_notes_save_merge_and_show_a_conflict_without_losing_words(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (_, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, m_csrf) = t.signed_in(&p.manager.email).await;
    let (tm, csrf) = t.signed_in(&p.teammate.email).await;
    let notes = format!("/meetings/{meeting}/notes");
    let page = format!("/meetings/{meeting}");

    let first = "Agenda\nHiring\nOn-call\nBudget\n<script>alert(1)</script>\n";
    let (status, location, _) = post(&m, &t, &notes, &[("_csrf", m_csrf.as_str()), ("body", first), ("base_version", "0")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}#notes"));
    let (_, html) = get(&tm, &t, &page).await;
    assert!(html.contains("Hiring") && html.contains("Last saved by Maria Manager"), "{html}");
    assert!(!html.contains("<script>alert(1)"), "notes are rendered safely");
    assert!(html.contains("name=\"base_version\" value=\"1\""));

    // Both edit from version 1, different lines: the second save is merged and says so.
    let tom = "Agenda\nHiring: two offers out\nOn-call\nBudget\n<script>alert(1)</script>\n";
    let (status, _, _) = post(&tm, &t, &notes, &[("_csrf", csrf.as_str()), ("body", tom), ("base_version", "1")]).await;
    assert_eq!(status, 303);
    let maria = "Agenda\nHiring\nOn-call\nBudget: approved\n<script>alert(1)</script>\n";
    let (status, location, _) = post(&m, &t, &notes, &[("_csrf", m_csrf.as_str()), ("body", maria), ("base_version", "1")]).await;
    assert_eq!(status, 303);
    assert!(location.contains("saved=merged"), "{location}");
    let (_, html) = get(&m, &t, &location).await;
    assert!(html.contains("Your changes were combined"));
    assert!(html.contains("two offers out") && html.contains("Budget: approved"), "nothing lost");

    // Both change the same line: nothing saved, 409, both versions side by side, no marks.
    let view = t.app.meeting_view(&p.manager, meeting).await.unwrap();
    let base = view.shared_note.unwrap().version.to_string();
    let (status, _, _) = post(
        &tm,
        &t,
        &notes,
        &[("_csrf", csrf.as_str()), ("body", "Agenda\nHiring: Tom's words\nOn-call\nBudget: approved\n"), ("base_version", base.as_str())],
    )
    .await;
    assert_eq!(status, 303);
    let (status, _, html) = post(
        &m,
        &t,
        &notes,
        &[
            ("_csrf", m_csrf.as_str()),
            ("body", "Agenda\nHiring: Maria's words\nOn-call\nBudget: approved\n"),
            ("base_version", base.as_str()),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("Tom Teammate saved the notes while you were writing"), "{html}");
    let at = html.find("id=\"shared-place-1\"").expect("the place to settle");
    let place = &html[at..at + html[at..].find("</fieldset>").expect("a closed fieldset")];
    assert!(place.contains("Tom&#39;s words") || place.contains("Tom's words"), "{place}");
    assert!(place.contains("Maria&#39;s words") || place.contains("Maria's words"));
    assert!(place.contains("Your version") && place.contains("Tom Teammate’s version"), "{place}");
    assert!(place.contains("Keep mine") && place.contains("Keep theirs") && place.contains("Keep both"), "{place}");
    assert!(!html.contains("&#60;&#60;&#60;&#60;") && !html.contains("&lt;&lt;&lt;&lt;") && !html.contains("======="), "no merge marks");
    let current = t.app.meeting_view(&p.manager, meeting).await.unwrap().shared_note.unwrap();
    assert!(current.body.contains("Tom's words") && !current.body.contains("Maria's words"), "nothing was saved");
    assert!(html.contains(&format!("name=\"base_version\" value=\"{}\"", current.version)), "the next save builds on the current note");
    // Settled: keep mine at the one place; saved on top of Tom's, with every other line kept.
    let parts = input_value(&html, "parts");
    let version = current.version.to_string();
    let settle = format!("/meetings/{meeting}/notes/settle");
    let form =
        [("_csrf", m_csrf.as_str()), ("note", "shared"), ("base_version", version.as_str()), ("parts", parts.as_str()), ("keep_0", "mine")];
    let (status, location, _) = post(&m, &t, &settle, &form).await;
    assert_eq!((status, location.as_str()), (303, format!("/meetings/{meeting}#notes").as_str()));
    let settled = t.app.meeting_view(&p.manager, meeting).await.unwrap().shared_note.unwrap();
    assert_eq!(settled.body, "Agenda\nHiring: Maria's words\nOn-call\nBudget: approved\n");

    // Too long: 422 next to the field, the text kept.
    let long = "y".repeat(20_001);
    let (status, _, html) = post(&m, &t, &notes, &[("_csrf", m_csrf.as_str()), ("body", long.as_str()), ("base_version", "0")]).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-notes-error").contains("20000 characters"));
}

async fn a_private_note_never_reaches_the_other_persons_pages(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (series, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, m_csrf) = t.signed_in(&p.manager.email).await;
    let (tm, csrf) = t.signed_in(&p.teammate.email).await;
    let private = format!("/meetings/{meeting}/private-note");
    let (status, location, _) =
        post(&m, &t, &private, &[("_csrf", m_csrf.as_str()), ("body", "Maria thinks zebracorn"), ("base_version", "0")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}#private"));
    let (status, _, _) =
        post(&tm, &t, &private, &[("_csrf", csrf.as_str()), ("body", "Tom worries narwhalfish"), ("base_version", "0")]).await;
    assert_eq!(status, 303);

    let mine = get(&m, &t, &format!("/meetings/{meeting}")).await.1;
    assert!(mine.contains("zebracorn") && mine.contains("Private — only you can see this"));
    assert!(!mine.contains("narwhalfish"));
    let theirs = get(&tm, &t, &format!("/meetings/{meeting}")).await.1;
    assert!(theirs.contains("narwhalfish") && !theirs.contains("zebracorn"));
    for path in [format!("/meetings/{meeting}/prep"), format!("/series/{series}"), "/meetings".into(), "/actions".into()] {
        assert!(!get(&tm, &t, &path).await.1.contains("zebracorn"), "{path}");
        assert!(!get(&m, &t, &path).await.1.contains("narwhalfish"), "{path}");
    }
    // Search finds your own private note, labelled, and never the other person's.
    let (_, found) = get(&m, &t, "/search?q=zebracorn").await;
    assert!(found.contains("Your private note") && found.contains("<mark>zebracorn</mark>"), "{found}");
    let (_, found) = get(&tm, &t, "/search?q=zebracorn").await;
    assert!(found.contains("Nothing found") && !found.contains("<mark>"), "{found}");
}

async fn only_the_teammate_rates_and_only_once_the_meeting_has_begun(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (series, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, m_csrf) = t.signed_in(&p.manager.email).await;
    let (tm, csrf) = t.signed_in(&p.teammate.email).await;
    let page = format!("/meetings/{meeting}");
    let rate = format!("/meetings/{meeting}/rating");

    // Before it starts: no form, and a sent one is refused with a reason.
    let (_, html) = get(&tm, &t, &page).await;
    assert!(!html.contains("name=\"rating\"") && html.contains("Once the meeting has started"));
    let (status, _, html) = post(&tm, &t, &rate, &[("_csrf", csrf.as_str()), ("rating", "4"), ("comment", "")]).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-rating-error").contains("once it has taken place"));

    // Wednesday 10:40: it is over.
    t.clock.set(at("2026-03-04T10:40:00Z"));
    let (_, html) = get(&tm, &t, &page).await;
    assert!(html.contains("type=\"radio\" name=\"rating\" value=\"5\""), "{html}");
    let (_, manager_view) = get(&m, &t, &page).await;
    assert!(!manager_view.contains("name=\"rating\""), "the manager does not rate");
    assert!(manager_view.contains("has not answered yet"));

    // No choice: the message is next to the question.
    let (status, _, html) = post(&tm, &t, &rate, &[("_csrf", csrf.as_str()), ("comment", "Useful")]).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-rating-error").contains("Choose from 1"));
    assert!(html.contains(">Useful</textarea>"), "the comment is kept");

    let (status, location, _) = post(&tm, &t, &rate, &[("_csrf", csrf.as_str()), ("rating", "4"), ("comment", "Clear next steps")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}?saved=rating#rating"), "the page says the answer is saved");
    let (_, manager_view) = get(&m, &t, &page).await;
    assert!(manager_view.contains("<strong>4 out of 5</strong>") && manager_view.contains("Clear next steps"), "{manager_view}");
    let (_, history) = get(&m, &t, &format!("/series/{series}")).await;
    assert!(history.contains("4 of 5"), "the series shows the rating in its history");

    // The policy refuses the manager a rating: as for everything refused, not found.
    let (status, _, _) = post(&m, &t, &rate, &[("_csrf", m_csrf.as_str()), ("rating", "5"), ("comment", "")]).await;
    assert_eq!(status, 404, "the teammate rates their 1:1s; the manager sees the trend");
    let (_, manager_view) = get(&m, &t, &page).await;
    assert!(manager_view.contains("<strong>4 out of 5</strong>"), "the refused rating changed nothing");
}

async fn actions_are_added_listed_filtered_and_ticked_done(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (_, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, m_csrf) = t.signed_in(&p.manager.email).await;
    let (tm, csrf) = t.signed_in(&p.teammate.email).await;
    let add = format!("/meetings/{meeting}/actions");
    let (mgr, tom) = (p.manager.id.to_string(), p.teammate.id.to_string());

    let (status, location, _) = post(
        &m,
        &t,
        &add,
        &[("_csrf", m_csrf.as_str()), ("body", "Find a mentor for Tom"), ("owner_id", mgr.as_str()), ("due_date", ""), ("help", "on")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/meetings/{meeting}#actions"));
    let (status, _, _) = post(
        &tm,
        &t,
        &add,
        &[("_csrf", csrf.as_str()), ("body", "Write the design doc"), ("owner_id", tom.as_str()), ("due_date", "2026-03-01")],
    )
    .await;
    assert_eq!(status, 303);

    // A "how can I help?" item belongs to the manager: refused next to the owner, text kept.
    let (status, _, html) = post(
        &tm,
        &t,
        &add,
        &[("_csrf", csrf.as_str()), ("body", "Help myself"), ("owner_id", tom.as_str()), ("due_date", ""), ("help", "on")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-action-owner-error").contains("belong to the manager"));
    assert!(html.contains("value=\"Help myself\""));
    let (status, _, html) =
        post(&tm, &t, &add, &[("_csrf", csrf.as_str()), ("body", ""), ("owner_id", tom.as_str()), ("due_date", "soon")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"f-action-body-error\"") && html.contains("id=\"f-action-due-error\""), "{html}");

    let (_, page) = get(&tm, &t, &format!("/meetings/{meeting}")).await;
    assert!(page.contains("Find a mentor for Tom") && page.contains("How can I help?"));
    assert!(page.contains("overdue, was due Sun 1 Mar"), "{page}");

    // Each person's list has their own open items.
    let (_, mine) = get(&m, &t, "/actions").await;
    assert!(mine.contains("Find a mentor for Tom") && !mine.contains("Write the design doc"));
    let (_, help) = get(&m, &t, "/actions?kind=help").await;
    assert!(help.contains("Find a mentor for Tom"));
    let (_, toms) = get(&tm, &t, "/actions").await;
    assert!(toms.contains("Write the design doc") && toms.contains("overdue"));
    let (_, toms_help) = get(&tm, &t, "/actions?kind=help").await;
    assert!(!toms_help.contains("Write the design doc") && toms_help.contains("No open"));

    // Tick done from the list; a stale tick is a conflict shown on the list.
    let doc = t.app.my_actions(&p.teammate, None).await.unwrap().remove(0).action;
    let v = doc.version.to_string();
    let tick = [("_csrf", csrf.as_str()), ("version", v.as_str()), ("done", "true"), ("from", "actions")];
    let (status, location, _) = post(&tm, &t, &format!("/actions/{}", doc.id), &tick).await;
    assert_eq!(status, 303);
    assert_eq!(location, "/actions");
    let (_, toms) = get(&tm, &t, "/actions").await;
    assert!(!toms.contains("Write the design doc") && toms.contains("Nothing open"));
    let (status, _, html) = post(&tm, &t, &format!("/actions/{}", doc.id), &tick).await;
    assert_eq!(status, 409);
    assert!(html.contains("changed by someone else"));
    // On the meeting it shows as done.
    let (_, page) = get(&m, &t, &format!("/meetings/{meeting}")).await;
    assert!(page.contains("aria-checked=\"true\"><span class=\"visually-hidden\">Done: Write the design doc"));
}

async fn search_highlights_hits_and_keeps_other_peoples_private_notes_out(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (_, meeting) = weekly_from_wednesday(&t, &p).await;
    t.app.add_point(&p.teammate, meeting, "Kubernetes <b>migration</b> plan", false).await.unwrap();
    t.app.save_note(&p.teammate, meeting, true, "kubernetes doubts, private", 0).await.unwrap();
    let (m, _) = t.signed_in(&p.manager.email).await;
    let (o, _) = t.signed_in(&p.outsider.email).await;

    let (status, html) = get(&m, &t, "/search?q=kubernetes").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Kubernetes</mark>") && !html.contains("<b>migration"), "highlighted, never raw HTML: {html}");
    assert!(html.contains(&format!("href=\"/meetings/{meeting}\"")) && html.contains("with Tom Teammate"));
    assert!(html.contains(">Topic<") && html.contains("1 result"), "{html}");
    assert!(!html.contains("doubts"), "the teammate's private note is theirs alone");

    // Filters: a person you have no 1:1s with, and dates that leave the hit out.
    let (_, html) = get(&m, &t, &format!("/search?q=kubernetes&with={}", p.outsider.id)).await;
    assert!(html.contains("Nothing found"));
    let (_, html) = get(&m, &t, "/search?q=kubernetes&from=2026-03-05&to=").await;
    assert!(html.contains("Nothing found"));
    let (_, html) = get(&m, &t, "/search?q=kubernetes&from=2026-03-01&to=2026-03-04").await;
    assert!(html.contains("1 result"));
    let (status, html) = get(&m, &t, "/search?q=kubernetes&from=2026-03-04&to=2026-03-01").await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"f-to-error\""));
    let (status, html) = get(&m, &t, &format!("/search?q={}", "a".repeat(201))).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-q-error").contains("200 characters"));

    let (_, html) = get(&o, &t, "/search?q=kubernetes").await;
    assert!(html.contains("Nothing found"), "outsiders find nothing");
}

async fn a_series_is_started_through_the_form_with_each_problem_next_to_its_field(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (m, csrf) = t.signed_in(&p.manager.email).await;
    let tom = p.teammate.id.to_string();

    let (_, list) = get(&m, &t, "/meetings").await;
    assert!(list.contains(&format!("/series/new?teammate={tom}")), "a manager is offered to start 1:1s with each report");
    let (status, form) = get(&m, &t, &format!("/series/new?teammate={tom}")).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("<option value=\"{tom}\" selected>Tom Teammate")), "{form}");
    assert!(form.contains("value=\"2026-03-05\""), "the first date defaults to a weekday a few days ahead: {form}");
    assert!(form.contains("value=\"10:00\"") && form.contains("value=\"UTC\""));

    let fields = |date: &'static str, tz: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("teammate_id", tom.clone()),
            ("kind", "regular".to_string()),
            ("cadence", "weekly".to_string()),
            ("first_date", date.to_string()),
            ("time", "09:30".to_string()),
            ("timezone", tz.to_string()),
            ("duration_minutes", "25".to_string()),
        ]
    };
    let r = m.post(t.url("/series/new")).form(&fields("2026-03-01", "Mars/Olympus")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-timezone-error\""), "{html}");
    let r = m.post(t.url("/series/new")).form(&fields("2026-03-01", "Europe/Berlin")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(element(&html, "f-first_date-error").contains("must be in the future"));
    assert!(html.contains("value=\"2026-03-01\"") && html.contains("value=\"09:30\"") && html.contains("value=\"Europe/Berlin\""));
    assert!(html.contains("<option value=\"25\" selected>"), "what was chosen is kept");

    let r = m.post(t.url("/series/new")).form(&fields("2026-03-10", "Europe/Berlin")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/series/") && location.ends_with("/kickoff?started=1"), "{location}");
    let (_, kickoff) = get(&m, &t, &location).await;
    assert!(kickoff.contains("are set up") && kickoff.contains("Tell Tom"), "lands on the kickoff note: {kickoff}");
    let (_, page) = get(&m, &t, location.trim_end_matches("/kickoff?started=1")).await;
    assert!(page.contains("every week on Tuesdays at 09:30 (Europe/Berlin)"), "{page}");
    assert!(page.contains("Tue 10 Mar, 08:30"), "shown in the manager's zone (UTC): {page}");

    let (_, list) = get(&m, &t, "/meetings").await;
    assert!(!list.contains(&format!("/series/new?teammate={tom}")), "no longer offered once started");
    let r = m.post(t.url("/series/new")).form(&fields("2026-03-11", "Europe/Berlin")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(element(&r.text().await.unwrap(), "f-teammate_id-error").contains("You already have recurring 1:1s"));

    // The teammate cannot start 1:1s with someone outside their part of the organisation.
    let (tm, tm_csrf) = t.signed_in(&p.teammate.email).await;
    let olga = p.outsider.id.to_string();
    let form = [
        ("_csrf", tm_csrf.as_str()),
        ("teammate_id", olga.as_str()),
        ("kind", "one_off"),
        ("cadence", "weekly"),
        ("first_date", "2026-03-10"),
        ("time", "10:00"),
        ("timezone", "UTC"),
        ("duration_minutes", "30"),
    ];
    let (status, _, html) = post(&tm, &t, "/series/new", &form).await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-teammate_id-error").contains("people in your part of the organisation"));
    assert!(get(&tm, &t, "/series/new").await.1.contains("No one reports to you yet"));
}

async fn the_series_page_pauses_resumes_and_pages_through_history(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (series, _) = weekly_from_wednesday(&t, &p).await;
    let (m, csrf) = t.signed_in(&p.manager.email).await;
    let (tm, tm_csrf) = t.signed_in(&p.teammate.email).await;
    let page = format!("/series/{series}");
    let status_url = format!("/series/{series}/status");

    let (_, html) = get(&tm, &t, &page).await;
    assert!(!html.contains(&format!("action=\"{status_url}\"")), "only the leader pauses or ends");
    // The policy refuses the teammate: as for everything refused, not found.
    let (status, _, _) = post(&tm, &t, &status_url, &[("_csrf", tm_csrf.as_str()), ("version", "1"), ("status", "paused")]).await;
    assert_eq!(status, 404, "only the leader pauses or ends");
    assert!(get(&tm, &t, &page).await.1.contains(">Active<"), "the refused pause changed nothing");

    let (status, location, _) = post(&m, &t, &status_url, &[("_csrf", csrf.as_str()), ("version", "1"), ("status", "paused")]).await;
    assert_eq!(status, 303);
    assert_eq!(location, page);
    let (_, html) = get(&m, &t, &page).await;
    assert!(html.contains(">Paused<") && html.contains(">Resume<"), "{html}");
    let (status, _, html) = post(&m, &t, &status_url, &[("_csrf", csrf.as_str()), ("version", "1"), ("status", "active")]).await;
    assert_eq!(status, 409, "an old version is a conflict");
    assert!(html.contains(">Paused<"), "the current state is shown");
    let (status, _, _) = post(&m, &t, &status_url, &[("_csrf", csrf.as_str()), ("version", "2"), ("status", "active")]).await;
    assert_eq!(status, 303);

    // Half a year later: 26 weekly meetings have passed; the history is paged, newest first.
    t.clock.set(at("2026-09-01T08:00:00Z"));
    let (m, _) = t.signed_in(&p.manager.email).await;
    let (_, html) = get(&m, &t, &page).await;
    assert_eq!(html.matches("<tr>").count() - 1, 20, "one page of 20 (plus the header row)");
    assert!(html.contains("Wed 26 Aug, 10:00"), "the newest past meeting first");
    let marker = "href=\"/series/";
    let older = html
        .match_indices(marker)
        .map(|(i, _)| &html[i + 6..i + 6 + html[i + 6..].find('"').unwrap()])
        .find(|h| h.contains("before="))
        .expect("an Older meetings link")
        .replace("&#43;", "+");
    assert!(!older.contains('+'), "the link needs no escaping: {older}");
    let (status, html) = get(&m, &t, &older).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h2 id=\"history-h\">Older meetings</h2>"));
    assert!(html.contains("Wed 4 Mar, 10:00"), "the first meeting is on the second page");
    assert!(!html.contains("Wed 26 Aug, 10:00"));
}

async fn meetings_are_skipped_and_moved_with_a_reason(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (_, meeting) = weekly_from_wednesday(&t, &p).await;
    let (m, csrf) = t.signed_in(&p.manager.email).await;
    let page = format!("/meetings/{meeting}");
    let html = get(&m, &t, &page).await.1;
    assert_eq!(csrf_in(&html), csrf);

    // A move needs a reason and a time still to come; the typed values are kept.
    let (status, _, html) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/move"),
        &[("_csrf", csrf.as_str()), ("version", "1"), ("date", "2026-03-05"), ("time", "14:30"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-move-reason-error").contains("Say why"));
    assert!(html.contains("value=\"2026-03-05\"") && html.contains("value=\"14:30\""));
    let (status, _, html) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/move"),
        &[("_csrf", csrf.as_str()), ("version", "1"), ("date", "2026-03-01"), ("time", "14:30"), ("reason", "Offsite")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-move-date-error").contains("still to come"));
    let (status, _, _) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/move"),
        &[("_csrf", csrf.as_str()), ("version", "1"), ("date", "2026-03-05"), ("time", "14:30"), ("reason", "Clash with a launch")],
    )
    .await;
    assert_eq!(status, 303);
    let html = get(&m, &t, &page).await.1;
    assert!(html.contains("Thu 5 Mar, 14:30") && html.contains("Moved from Wed 4 Mar, 10:00 by you: Clash with a launch"), "{html}");

    // Skipping needs a reason too; then the meeting says so and can be set back.
    let (status, _, html) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/status"),
        &[("_csrf", csrf.as_str()), ("version", "2"), ("status", "skipped"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(element(&html, "f-status-reason-error").contains("Say why"));
    let (status, _, _) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/status"),
        &[("_csrf", csrf.as_str()), ("version", "2"), ("status", "skipped"), ("reason", "Conference week")],
    )
    .await;
    assert_eq!(status, 303);
    let html = get(&m, &t, &page).await.1;
    assert!(html.contains(">Skipped<") && html.contains("Skipped by you. Why: Conference week"), "{html}");
    // The teammate reads who asked for it by the manager's first name.
    let (tm, _) = t.signed_in(&p.teammate.email).await;
    let theirs = get(&tm, &t, &page).await.1;
    let first = p.manager.name.split_whitespace().next().unwrap();
    assert!(theirs.contains(&format!("Skipped by {first}. Why: Conference week")), "{theirs}");
    assert!(theirs.contains(&format!("Moved from Wed 4 Mar, 10:00 by {first}")), "{theirs}");
    let (status, _, html) = post(
        &m,
        &t,
        &format!("/meetings/{meeting}/status"),
        &[("_csrf", csrf.as_str()), ("version", "2"), ("status", "held"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains(">Skipped<"), "the current state is shown with the conflict");
}

/// Six weekly meetings rated 5, 5, 4, then 2, 2, 1: the manager's series page says the last
/// four averaged 2.2 (the 4 and the three low ones), down from 5.0, and suggests asking; the
/// teammate sees their own answers; the API lists them newest first.
async fn the_series_page_shows_how_worth_the_time_is_trending(t: TestApp) {
    let p = a_manager_with_a_report_on_a_monday(&t).await;
    let (series, _) = weekly_from_wednesday(&t, &p).await;
    let (manager, _) = t.signed_in(&p.manager.email).await;
    let (_, page) = get(&manager, &t, &format!("/series/{series}")).await;
    assert!(page.contains("1:1s with Tom Teammate"));
    assert!(!page.contains("Worth the time?"), "no section before anything is rated");

    for (week, rating) in [5, 5, 4, 2, 2, 1].into_iter().enumerate() {
        t.clock.set(at("2026-03-04T11:00:00Z") + chrono::Duration::weeks(week as i64));
        let meeting = t.app.series_view(&p.teammate, series, None).await.unwrap().history[0].clone();
        t.app.rate_meeting(&p.teammate, meeting.id, rating, "").await.unwrap();
    }
    let (manager, _) = t.signed_in(&p.manager.email).await;
    let (teammate, _) = t.signed_in(&p.teammate.email).await;
    let (status, page) = get(&manager, &t, &format!("/series/{series}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Worth the time?"), "{page}");
    assert!(page.contains("Their last 4 rated 1:1s averaged 2.2 out of 5, down from 5.0 before."), "{page}");
    assert!(page.contains("Worth asking what would make them more useful."));
    assert_eq!(page.matches("<rect ").count(), 6, "one bar per rating");
    let (_, page) = get(&teammate, &t, &format!("/series/{series}")).await;
    assert!(page.contains("Your last 4 rated 1:1s averaged 2.2 out of 5, down from 5.0 before."), "{page}");
    assert!(!page.contains("Worth asking"), "the hint is for the manager");

    let token = t.token(&p.manager).await;
    let api: serde_json::Value = reqwest::Client::new()
        .get(t.url(&format!("/api/v1/series/{series}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ratings: Vec<i64> = api["ratings"].as_array().unwrap().iter().map(|r| r["rating"].as_i64().unwrap()).collect();
    assert_eq!(ratings, vec![1, 2, 2, 4, 5, 5]);
}
