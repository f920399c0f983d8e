//! The weekly loop (issue 14), as a manager and a teammate meet it on the pages: defects seen
//! in use, each pinned by a test on both databases.

use crate::on_both;
use crate::support::{TestApp, csrf_in};
use chrono::{DateTime, NaiveDate, Utc};
use rapport::app::meetings::SeriesInput;
use rapport::app::people::PersonInput;
use rapport::domain::Person;
use rapport::domain::framework::Format;
use rapport::domain::meeting::SeriesKind;
use rapport::domain::schedule::Cadence;
use uuid::Uuid;

on_both!(
    the_assessment_form_starts_at_the_assessors_latest_rating,
    still_open_from_last_time_counts_only_actions_from_earlier_meetings,
    a_meeting_without_notes_shows_the_editor_and_nothing_that_closes_it,
    a_kickoff_to_someone_who_cannot_read_it_says_so_instead_of_sent,
    a_kickoff_written_weeks_into_a_series_is_about_the_next_one_on_one,
    a_form_address_opened_as_a_page_leads_to_the_page_of_its_form,
    a_refused_form_names_the_page_it_belongs_to,
    two_people_adding_at_the_end_of_the_notes_keep_both_without_a_conflict,
    the_menu_offers_managers_tools_to_managers_and_admins_only,
    the_home_has_one_row_per_person_saying_what_needs_you,
    a_direct_reports_profile_leads_to_your_one_on_ones_feedback_growth_and_reviews,
    feedback_goes_to_the_person_chosen_never_to_your_manager_by_default,
    a_topic_has_its_own_note_which_travels_with_it_when_carried_over,
    each_thing_done_says_so_where_it_was_done,
    suggestions_questions_and_templates_are_reachable_from_the_meeting_page,
    the_meeting_page_keeps_the_last_few_meetings_notes_at_hand,
    the_earlier_notes_carry_the_decisions_made_in_each_meeting,
    the_bank_templates_and_growth_forms_confirm_and_refuse_where_they_were_sent,
    a_topic_note_saved_as_it_is_typed_merges_with_what_changed_meanwhile,
    the_home_names_the_next_session_of_the_first_ten_to_the_manager,
    the_homes_statements_do_not_grow_with_the_number_of_people_one_meets,
    the_meeting_pages_statements_do_not_grow_with_the_history,
    the_question_bank_opens_on_one_purpose_with_every_other_a_click_away,
);

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// An admin, a manager and their report; the clock on Monday 2 March 2026.
async fn people(t: &TestApp) -> (Person, Person, Person) {
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let admin = t.admin().await;
    let manager = t.person(&admin, "Maria Manager", Some(admin.id)).await;
    let teammate = t.person(&admin, "Tom Teammate", Some(manager.id)).await;
    (admin, manager, teammate)
}

/// Weekly 1:1s from Wednesday 4 March 2026 at 10:00 UTC: the series and its first two meetings.
async fn weekly(t: &TestApp, manager: &Person, teammate: &Person) -> (Uuid, Uuid, Uuid) {
    let input = SeriesInput {
        teammate_id: teammate.id,
        kind: SeriesKind::Regular,
        cadence: Cadence::Weekly,
        first_date: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
        time: "10:00".into(),
        timezone: "UTC".into(),
        duration_minutes: 30,
    };
    let series = t.app.create_series(manager, input).await.unwrap();
    let upcoming = t.app.series_view(manager, series.id, None).await.unwrap().upcoming;
    (series.id, upcoming[0].id, upcoming[1].id)
}

/// The first six 1:1s of a weekly series starting 4 March 2026: four are planned ahead, and two
/// weeks on the next ones are too (the clock is left on 19 March).
async fn six_meetings(t: &TestApp, manager: &Person, series: Uuid) -> Vec<Uuid> {
    let mut meetings: Vec<Uuid> = vec![];
    for day in ["2026-03-02T08:00:00Z", "2026-03-19T08:00:00Z"] {
        t.clock.set(at(day));
        for m in t.app.series_view(manager, series, None).await.unwrap().upcoming {
            if !meetings.contains(&m.id) {
                meetings.push(m.id);
            }
        }
    }
    meetings.truncate(6);
    assert_eq!(meetings.len(), 6);
    meetings
}

pub(crate) async fn page(c: &reqwest::Client, t: &TestApp, path: &str) -> String {
    let r = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.text().await.unwrap()
}

async fn post(c: &reqwest::Client, t: &TestApp, path: &str, form: &[(&str, &str)]) {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{path}: {}", r.text().await.unwrap());
}

/// The value of the option a competency's rating select starts at.
fn starting_rating(html: &str, competency: &str) -> String {
    let heading = html.find(&format!(">{competency} <span")).unwrap_or_else(|| panic!("no competency {competency}"));
    let select = heading + html[heading..].find("<select").unwrap();
    let end = select + html[select..].find("</select>").unwrap();
    let options: Vec<&str> = html[select..end].split("<option").filter(|o| o.contains(" selected")).collect();
    assert_eq!(options.len(), 1, "exactly one option starts selected: {}", &html[select..end]);
    let v = options[0].split("value=\"").nth(1).unwrap();
    v[..v.find('"').unwrap()].to_string()
}

async fn the_assessment_form_starts_at_the_assessors_latest_rating(t: TestApp) {
    let (admin, manager, teammate) = people(&t).await;
    let example = include_str!("../../frameworks/example.yaml");
    let out = t.app.import_framework(&admin, example.as_bytes(), Format::Yaml, "", true).await.unwrap();
    t.app.set_level(&manager, teammate.id, out.framework_id, "Engineer I").await.unwrap();
    t.app.assess(&manager, teammate.id, "Building software", "exceeds", "Led the importer").await.unwrap();
    t.app.assess(&teammate, teammate.id, "Ownership", "below", "Missed a handover").await.unwrap();

    // The manager's form starts where the manager last left each competency, so saving new
    // evidence keeps the rating unless they change it.
    let (m, _) = t.signed_in(&manager.email).await;
    let html = page(&m, &t, &format!("/people/{}/growth", teammate.id)).await;
    assert_eq!(starting_rating(&html, "Building software"), "exceeds");
    assert_eq!(starting_rating(&html, "Ownership"), "meets", "the teammate's own view is not the manager's");
    // The teammate's own form starts at their own latest view.
    let (tm, _) = t.signed_in(&teammate.email).await;
    let html = page(&tm, &t, &format!("/people/{}/growth", teammate.id)).await;
    assert_eq!(starting_rating(&html, "Ownership"), "below");
    assert_eq!(starting_rating(&html, "Building software"), "meets");
}

async fn still_open_from_last_time_counts_only_actions_from_earlier_meetings(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (_, first, second) = weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let csrf = csrf_in(&page(&m, &t, &format!("/meetings/{first}")).await);
    let me = manager.id.to_string();
    let action =
        |body: &'static str| [("_csrf", csrf.clone()), ("body", body.into()), ("owner_id", me.clone()), ("due_date", String::new())];
    for form in [action("Book the offsite"), action("Send the survey")] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(&m, &t, &format!("/meetings/{first}/actions"), &form).await;
    }
    // A week later, in the next 1:1: two actions are still open from last time.
    t.clock.set(at("2026-03-11T09:00:00Z"));
    let html = page(&m, &t, &format!("/meetings/{second}")).await;
    assert!(html.contains("2 open actions</a> carried on with you"), "{html}");
    // Actions added today are not "from last time".
    for form in [action("Ask about the on-call rota")] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        post(&m, &t, &format!("/meetings/{second}/actions"), &form).await;
    }
    let html = page(&m, &t, &format!("/meetings/{second}")).await;
    assert!(html.contains("Ask about the on-call rota"));
    assert!(html.contains("2 open actions</a> carried on with you"), "still two from last time: {html}");
}

async fn a_meeting_without_notes_shows_the_editor_and_nothing_that_closes_it(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (_, first, _) = weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let html = page(&m, &t, &format!("/meetings/{first}")).await;
    // No notes yet: the editor is there to type into, not folded behind a toggle that would close it.
    assert!(html.contains("id=\"f-notes\""));
    assert!(!html.contains("id=\"notes-edit\"") && !html.contains("Write notes</summary>"), "{html}");
    let csrf = csrf_in(&html);
    post(
        &m,
        &t,
        &format!("/meetings/{first}/notes"),
        &[("_csrf", csrf.as_str()), ("base_version", "0"), ("body", "We agreed on the plan.")],
    )
    .await;
    // With notes, they read as text and "Edit the notes" opens the editor.
    let html = page(&m, &t, &format!("/meetings/{first}")).await;
    assert!(html.contains("We agreed on the plan."));
    assert!(html.contains("<details class=\"note-edit\" id=\"notes-edit\">"), "folded, not open: {html}");
    assert!(html.contains("<summary>Edit the notes</summary>"));
}

async fn a_kickoff_to_someone_who_cannot_read_it_says_so_instead_of_sent(t: TestApp) {
    let (admin, manager, _) = people(&t).await;
    // Added to rapport, never invited, and no mail server: nothing can reach them yet.
    let input = PersonInput {
        name: "Nina New".into(),
        email: "nina.new@example.com".into(),
        title: "Engineer".into(),
        timezone: "UTC".into(),
        manager_id: Some(manager.id),
        is_admin: false,
    };
    let nina = t.app.create_person(&admin, input).await.unwrap();
    let (series, _, _) = weekly(&t, &manager, &nina).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let draft = page(&m, &t, &format!("/series/{series}/kickoff")).await;
    assert!(draft.contains("data-code=\"waits\"") && draft.contains("Invite Nina</a> first"), "{draft}");

    let v = t.app.kickoff_draft(&manager, series).await.unwrap();
    t.app.send_kickoff(&manager, series, &v.subject, &v.body, v.version).await.unwrap();
    let sent = page(&m, &t, &format!("/series/{series}/kickoff?done=sent")).await;
    assert!(!sent.contains("Nina finds it in rapport"), "{sent}");
    assert!(sent.contains("it has not reached them") && sent.contains("the note is waiting for them"), "{sent}");

    // Once Nina can sign in, the note reaches her and the page says sent plainly.
    let invitation = t.app.invite(&admin, nina.id).await.unwrap();
    t.app.accept_invitation(&invitation.token, crate::support::PASSWORD).await.unwrap();
    let sent = page(&m, &t, &format!("/series/{series}/kickoff?done=sent")).await;
    assert!(sent.contains("Sent. Nina finds it in rapport") && !sent.contains("data-code=\"waits\""), "{sent}");
}

async fn a_kickoff_written_weeks_into_a_series_is_about_the_next_one_on_one(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let before = page(&m, &t, &format!("/series/{series}/kickoff")).await;
    assert!(before.contains("before your first 1:1 on"), "{before}");
    // Sixteen weeks in, the note comes before the next 1:1, not the first.
    t.clock.set(at("2026-06-22T08:00:00Z"));
    let (m, _) = t.signed_in(&manager.email).await;
    page(&m, &t, &format!("/series/{series}")).await;
    let later = page(&m, &t, &format!("/series/{series}/kickoff")).await;
    assert!(later.contains("before your next 1:1 on") && !later.contains("before your first 1:1"), "{later}");
}

/// GET `address`, following redirects as a browser does: the final status, address and body.
async fn open(c: &reqwest::Client, t: &TestApp, address: &str) -> (u16, String, String) {
    let mut at = address.to_string();
    for _ in 0..5 {
        let r = c.get(t.url(&at)).send().await.unwrap();
        match r.headers().get("location") {
            Some(next) if r.status().is_redirection() => at = next.to_str().unwrap().to_string(),
            _ => return (r.status().as_u16(), at, r.text().await.unwrap()),
        }
    }
    panic!("{address}: more than five redirects");
}

/// Every address of the web pages that only takes forms, as `src/web/mod.rs` registers it.
fn form_only_addresses() -> Vec<String> {
    let routes = include_str!("../../src/web/mod.rs");
    let mut found = vec![];
    for line in routes.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix(".route(\"") else { continue };
        let (path, handlers) = rest.split_once('"').unwrap();
        if handlers.contains("post(") && !handlers.contains("get(") && !path.starts_with("/api") {
            found.push(path.to_string());
        }
    }
    assert!(found.len() > 40, "the route list moved: {found:?}");
    found
}

async fn a_form_address_opened_as_a_page_leads_to_the_page_of_its_form(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (series, first, _) = weekly(&t, &manager, &teammate).await;
    let (m, csrf) = t.signed_in(&manager.email).await;
    // The addresses named in the report: the page of the form, not a 405 with an empty body.
    for (address, page) in [
        (format!("/meetings/{first}/points"), format!("/meetings/{first}")),
        ("/settings/calendar".to_string(), "/settings/notifications".to_string()),
        (format!("/series/{series}/status"), format!("/series/{series}")),
        (format!("/people/{}/assessments", teammate.id), format!("/people/{}/growth", teammate.id)),
    ] {
        let (status, landed, _) = open(&m, &t, &address).await;
        assert_eq!((status, landed), (200, page), "{address}");
    }
    // Every other one too: whatever the ids, the answer is a page with words on it.
    for route in form_only_addresses() {
        let mut address = route.replace("{key}", "kickoff");
        for id in ["{id}", "{period}", "{statement}", "{item}"] {
            address = address.replace(id, &first.to_string());
        }
        let (status, landed, body) = open(&m, &t, &address).await;
        assert!(status == 200 || status == 404, "{address} → {landed}: {status}");
        assert_ne!(landed, address, "{address} is not a page");
        assert!(body.contains("</html>"), "{address} → {landed}: a page, not an empty body");
    }
    // A method no address takes is refused in words, with the methods it does take.
    let r = m.put(t.url(&format!("/meetings/{first}"))).header("x-csrf-token", &csrf).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().get("allow").is_some_and(|a| a.to_str().unwrap().contains("GET")));
    assert!(!r.text().await.unwrap().trim().is_empty());
}

async fn a_refused_form_names_the_page_it_belongs_to(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (_, first, _) = weekly(&t, &manager, &teammate).await;
    let (m, csrf) = t.signed_in(&manager.email).await;
    let r = m.post(t.url(&format!("/meetings/{first}/points"))).form(&[("_csrf", csrf.as_str()), ("body", "")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("<meta name=\"page-address\" content=\"/meetings/{first}\">")), "{html}");
    // A page that was not refused carries no such mark.
    assert!(!page(&m, &t, &format!("/meetings/{first}")).await.contains("page-address"));
}

/// Defect 8: both people add a line at the end of the shared notes, from the same version: no
/// conflict, both lines kept (the one saved second after the first's).
async fn two_people_adding_at_the_end_of_the_notes_keep_both_without_a_conflict(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (_, meeting, _) = weekly(&t, &manager, &teammate).await;
    let (m, m_csrf) = t.signed_in(&manager.email).await;
    let (tm, tm_csrf) = t.signed_in(&teammate.email).await;
    let notes = format!("/meetings/{meeting}/notes");
    post(&m, &t, &notes, &[("_csrf", m_csrf.as_str()), ("body", "Agenda\nHiring\n"), ("base_version", "0")]).await;
    post(&tm, &t, &notes, &[("_csrf", tm_csrf.as_str()), ("body", "Agenda\nHiring\nTom: ask about the budget"), ("base_version", "1")])
        .await;
    let r = m
        .post(t.url(&notes))
        .form(&[("_csrf", m_csrf.as_str()), ("body", "Agenda\nHiring\nMaria: two offers out\n"), ("base_version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "merged, not a conflict: {}", r.text().await.unwrap());
    let note = t.app.meeting_view(&manager, meeting).await.unwrap().shared_note.unwrap();
    assert_eq!(note.body, "Agenda\nHiring\nMaria: two offers out\nTom: ask about the budget\n");
}

/// Defect 9 (menus by role): the org chart and frameworks are managers' and admins' tools; a
/// teammate's menu leaves them out (the pages still open for anyone who follows a link).
async fn the_menu_offers_managers_tools_to_managers_and_admins_only(t: TestApp) {
    let (admin, manager, teammate) = people(&t).await;
    let menu = |html: String| {
        let start = html.find("<nav aria-label=\"Main\">").expect("the main menu");
        html[start..start + html[start..].find("</nav>").unwrap()].to_string()
    };
    for (person, offered) in [(&admin, true), (&manager, true), (&teammate, false)] {
        let (c, _) = t.signed_in(&person.email).await;
        let nav = menu(page(&c, &t, "/meetings").await);
        assert_eq!(nav.contains("href=\"/org\""), offered, "{}: {nav}", person.name);
        assert_eq!(nav.contains("href=\"/frameworks\""), offered, "{}", person.name);
        assert!(nav.contains("href=\"/meetings\"") && nav.contains("href=\"/actions\""), "{}", person.name);
    }
    // A teammate who becomes a manager sees them at once.
    let (c, _) = t.signed_in(&teammate.email).await;
    t.person(&admin, "Nia New", Some(teammate.id)).await;
    assert!(menu(page(&c, &t, "/meetings").await).contains("href=\"/org\""));
}

/// The home's rows (the list of `/meetings` under "Coming up"), as plain text, one per person.
pub(crate) fn home_rows(html: &str) -> Vec<String> {
    html.split("<li class=\"home-row\">")
        .skip(1)
        .map(|row| {
            let row = &row[..row.find("</section>").unwrap_or(row.len())];
            let mut text = String::new();
            let mut inside = false;
            for c in row.chars() {
                match c {
                    '<' => inside = true,
                    '>' => {
                        inside = false;
                        text.push(' ');
                    }
                    c if !inside => text.push(c),
                    _ => {}
                }
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

/// Defect 10: the home is one row per person (not a row per meeting), with the next 1:1 in both
/// people's time and what needs you: their topics, your overdue actions, for the teammate "add
/// your topics" and "rate the 1:1".
async fn the_home_has_one_row_per_person_saying_what_needs_you(t: TestApp) {
    use rapport::app::people::PersonPatch;
    use rapport::domain::meeting::ActionKind;
    let (admin, manager, teammate) = people(&t).await;
    let patch = PersonPatch { timezone: Some("Asia/Singapore".into()), ..Default::default() };
    let teammate = t.app.update_person(&admin, teammate.id, patch, teammate.version).await.unwrap();
    let (_, first, second) = weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let (tm, _) = t.signed_in(&teammate.email).await;

    let rows = home_rows(&page(&m, &t, "/meetings").await);
    assert_eq!(rows.len(), 1, "one row for Tom, though two 1:1s come in the next two weeks: {rows:?}");
    assert!(rows[0].contains("Tom Teammate") && rows[0].contains("Next: Wed 4 Mar, 10:00 your time · 18:00 for Tom"), "{rows:?}");
    assert!(rows[0].contains("Nothing waiting on you"), "{rows:?}");
    let mine = home_rows(&page(&tm, &t, "/meetings").await);
    assert!(mine[0].contains("Next: Wed 4 Mar, 18:00 your time · 10:00 for Maria"), "{mine:?}");
    assert!(mine[0].contains("Add your topics for Wednesday"), "{mine:?}");
    // The day before, with still no topic from Tom, prep's suggestion comes to the home.
    t.clock.set(at("2026-03-03T12:00:00Z"));
    let rows = home_rows(&page(&m, &t, "/meetings").await);
    assert!(rows[0].contains("No topics from Tom yet: ask what is on their mind"), "{rows:?}");
    assert!(!home_rows(&page(&tm, &t, "/meetings").await)[0].contains("No topics from"), "not to Tom himself");
    t.clock.set(at("2026-03-02T08:00:00Z"));

    // Tom adds a topic; Maria promises something due yesterday.
    t.app.add_point(&teammate, first, "My growth plan", false).await.unwrap();
    let yesterday = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    t.app.add_action(&manager, first, "Book the offsite", manager.id, Some(yesterday), ActionKind::Normal).await.unwrap();
    t.app.add_action(&manager, first, "Find a mentor for Tom", manager.id, None, ActionKind::Help).await.unwrap();
    let rows = home_rows(&page(&m, &t, "/meetings").await);
    assert!(rows[0].contains("1 topic from Tom") && rows[0].contains("1 action of yours overdue"), "{rows:?}");
    assert!(rows[0].contains("1 “how can I help?” to keep"), "{rows:?}");
    let mine = home_rows(&page(&tm, &t, "/meetings").await);
    assert!(!mine[0].contains("Add your topics") && !mine[0].contains("topic from"), "his own topic is not news to him: {mine:?}");

    // Once the first 1:1 has begun, the teammate is asked to rate it; the manager never is.
    t.clock.set(at("2026-03-04T10:40:00Z"));
    let mine = home_rows(&page(&tm, &t, "/meetings").await);
    assert!(mine[0].contains("Rate the 1:1 of Wed 4 Mar"), "{mine:?}");
    assert!(page(&tm, &t, "/meetings").await.contains(&format!("/meetings/{first}#rating")));
    assert!(!home_rows(&page(&m, &t, "/meetings").await)[0].contains("Rate"));
    t.app.rate_meeting(&teammate, first, 4, "").await.unwrap();
    let mine = home_rows(&page(&tm, &t, "/meetings").await);
    assert!(!mine[0].contains("Rate") && mine[0].contains("Next: Wed 11 Mar"), "rated; the next is {second}: {mine:?}");
}

/// Defect 9: a direct report's profile offered "Start 1:1s" (which then failed) when 1:1s were
/// running; it leads to them, and to feedback, growth and reviews with that person.
async fn a_direct_reports_profile_leads_to_your_one_on_ones_feedback_growth_and_reviews(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let profile = format!("/people/{}", teammate.id);
    let before = page(&m, &t, &profile).await;
    assert!(before.contains(&format!("/series/new?teammate={}", teammate.id)), "no 1:1s yet: offered to start them");
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let actions = |html: String| {
        let start = html.find("<div class=\"actions\">").expect("the profile's actions");
        html[start..start + html[start..].find("</div>").unwrap()].to_string()
    };
    let after = actions(page(&m, &t, &profile).await);
    assert!(!after.contains("/series/new?teammate="), "not offered to start what runs already");
    assert!(after.contains(&format!("href=\"/series/{series}\"")) && after.contains("Your 1:1s with Tom Teammate"), "{after}");
    for link in [format!("/feedback?to={}#give", teammate.id), format!("/people/{}/growth", teammate.id), "/reviews".to_string()] {
        assert!(after.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // Tom sees his 1:1s with Maria from her profile too; nothing to start or review there.
    let (tm, _) = t.signed_in(&teammate.email).await;
    let hers = actions(page(&tm, &t, &format!("/people/{}", manager.id)).await);
    assert!(hers.contains(&format!("href=\"/series/{series}\"")) && !hers.contains("/series/new") && !hers.contains("href=\"/reviews\""));
}

/// Defect 9: the feedback form picked your own manager as the recipient unless you changed it.
/// It starts on nobody (or on the person whose profile led there), and sending it to nobody is
/// refused next to the field with the words kept.
async fn feedback_goes_to_the_person_chosen_never_to_your_manager_by_default(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (m, csrf) = t.signed_in(&manager.email).await;
    let selected = |html: &str| {
        let select = &html[html.find("id=\"fb-to\"").unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        select
            .split("<option")
            .filter(|o| o.contains(" selected"))
            .map(|o| o.split('"').nth(1).unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(selected(&page(&m, &t, "/feedback").await), vec![String::new()], "nobody is chosen for you");
    assert_eq!(selected(&page(&m, &t, &format!("/feedback?to={}", teammate.id)).await), vec![teammate.id.to_string()]);
    let r = m
        .post(t.url("/feedback"))
        .form(&[("_csrf", csrf.as_str()), ("receiver_id", ""), ("kind", "praise"), ("body", "Calm and clear write-up"), ("share", "share")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Choose who this feedback is for.") && html.contains("Calm and clear write-up"), "{html}");
}

/// Notes under each topic: either person writes one (page form and API), both read it, search
/// finds it, and it travels with a topic carried over to the next 1:1.
async fn a_topic_has_its_own_note_which_travels_with_it_when_carried_over(t: TestApp) {
    use rapport::app::meetings::PointPatch;
    let (admin, manager, teammate) = people(&t).await;
    let outsider = t.person(&admin, "Olga Outsider", Some(admin.id)).await;
    let (_, first, second) = weekly(&t, &manager, &teammate).await;
    let topic = t.app.add_point(&teammate, first, "Moving to the platform team", false).await.unwrap();
    let (m, csrf) = t.signed_in(&manager.email).await;
    let form = [
        ("_csrf", csrf.as_str()),
        ("meeting_id", &first.to_string()),
        ("version", "1"),
        ("note", "Talk to Sam about a trial month\r\nin April"),
    ];
    post(&m, &t, &format!("/points/{}", topic.id), &form).await;
    let (tm, _) = t.signed_in(&teammate.email).await;
    let html = page(&tm, &t, &format!("/meetings/{first}")).await;
    assert!(html.contains("<div class=\"point-note\">Talk to Sam about a trial month\nin April</div>"), "{html}");
    assert!(page(&tm, &t, "/search?q=trial").await.contains("Moving to the platform team"), "search finds a topic by its note");

    // Too long: refused on the field, nothing saved; an outsider cannot write one.
    let long = rapport::app::meetings::PointPatch { note: Some("x".repeat(4_001)), ..Default::default() };
    let refused = t.app.update_point(&teammate, topic.id, 2, long).await.unwrap_err();
    assert!(format!("{refused:?}").contains("note"), "{refused:?}");
    let sneaky = PointPatch { note: Some("mine now".into()), ..Default::default() };
    assert!(matches!(t.app.update_point(&outsider, topic.id, 2, sneaky).await, Err(rapport::app::AppError::NotFound)));

    // The 1:1 passes without getting to it: the topic moves on to the next one, note and all.
    t.clock.set(at("2026-03-04T11:00:00Z"));
    let next = t.app.meeting_view(&teammate, second).await.unwrap();
    let carried = next.points.iter().find(|p| p.body == "Moving to the platform team").expect("carried over");
    assert_eq!((carried.note.as_str(), carried.carried_from), ("Talk to Sam about a trial month\nin April", Some(first)));
    // Through the API, the teammate adds to it on the next 1:1; the first keeps its own.
    let token = t.token(&teammate).await;
    let r = reqwest::Client::new()
        .patch(t.url(&format!("/api/v1/points/{}", carried.id)))
        .bearer_auth(&token)
        .json(&serde_json::json!({"version": carried.version, "note": "Sam said yes: trial from 6 April"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["note"], "Sam said yes: trial from 6 April");
    let before = t.app.meeting_view(&teammate, first).await.unwrap();
    assert_eq!(before.points[0].note, "Talk to Sam about a trial month\nin April", "history keeps what was written then");
}

/// The page a form leads to after it was sent (a 303 followed), with its status.
async fn sent(c: &reqwest::Client, t: &TestApp, path: &str, form: &[(&str, &str)]) -> String {
    let r = c.post(t.url(path)).form(form).send().await.unwrap();
    assert_eq!(r.status(), 303, "{path}");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    page(c, t, &to).await
}

/// Defect 11: adding a question from the prep page, rating a 1:1 and adding a person said
/// nothing (the question just disappeared). Each now says what happened, where it happened.
async fn each_thing_done_says_so_where_it_was_done(t: TestApp) {
    let (admin, manager, teammate) = people(&t).await;
    let (_, first, _) = weekly(&t, &manager, &teammate).await;
    let (m, m_csrf) = t.signed_in(&manager.email).await;
    let prep = page(&m, &t, &format!("/meetings/{first}/prep")).await;
    let found = prep.find("name=\"key\" value=\"").expect("a question to add");
    let key = &prep[found + 18..];
    let key = &key[..key.find('"').unwrap()];
    let after = sent(&m, &t, &format!("/meetings/{first}/questions"), &[("_csrf", m_csrf.as_str()), ("key", key)]).await;
    assert!(after.contains("Added to the agenda of this 1:1"), "{after}");

    t.clock.set(at("2026-03-04T10:35:00Z"));
    let (tm, tm_csrf) = t.signed_in(&teammate.email).await;
    let after = sent(&tm, &t, &format!("/meetings/{first}/rating"), &[("_csrf", tm_csrf.as_str()), ("rating", "4"), ("comment", "")]).await;
    assert!(after.contains("your answer is saved"), "{after}");

    let (a, a_csrf) = t.signed_in(&admin.email).await;
    let form = [
        ("_csrf", a_csrf.as_str()),
        ("name", "Nia New"),
        ("email", "nia@example.com"),
        ("title", ""),
        ("timezone", "UTC"),
        ("manager_id", ""),
    ];
    let after = sent(&a, &t, "/people/new", &form).await;
    assert!(after.contains("Nia New is added. Create an invitation link below"), "{after}");
}

/// Defect 12: the question bank put all its questions on one page. Opened plainly it shows one
/// purpose and says how to see the others; "every purpose", a search or a purpose still work.
async fn the_question_bank_opens_on_one_purpose_with_every_other_a_click_away(t: TestApp) {
    let (_, manager, _) = people(&t).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let count = |html: &str| {
        let h = &html[html.find("id=\"list-h\">").expect("the list's heading") + "id=\"list-h\">".len()..];
        h[..h.find(' ').unwrap()].parse::<usize>().unwrap()
    };
    let plain = page(&m, &t, "/questions").await;
    let every = page(&m, &t, "/questions?purpose=all").await;
    assert!(count(&every) > 300, "{}", count(&every));
    assert!(count(&plain) > 10 && count(&plain) * 5 < count(&every), "{} of {}", count(&plain), count(&every));
    assert!(plain.contains("href=\"/questions?purpose=all\">show every purpose</a>"));
    assert!(!every.contains("show every purpose"));
    assert!(count(&page(&m, &t, "/questions?q=really").await) >= 1, "a search looks at every purpose");
}

/// Defect 9: templates and suggestions were only on the prep page. The meeting page offers them
/// (drawn from the prep page, asked for as `?for=meeting`), and a question added from there
/// leads back to the meeting with the question on its agenda.
async fn suggestions_questions_and_templates_are_reachable_from_the_meeting_page(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (_, first, _) = weekly(&t, &manager, &teammate).await;
    let (m, m_csrf) = t.signed_in(&manager.email).await;
    let meeting = page(&m, &t, &format!("/meetings/{first}")).await;
    assert!(meeting.contains(&format!("data-frame=\"/meetings/{first}/prep?for=meeting\"")), "{meeting}");
    assert!(meeting.contains(&format!("href=\"/meetings/{first}/prep#questions-h\"")), "without a script, a link leads there");

    let ideas = page(&m, &t, &format!("/meetings/{first}/prep?for=meeting")).await;
    assert_eq!(ideas.matches("data-ideas").count(), 2, "suggestions and questions are marked for the meeting page");
    assert!(ideas.contains("name=\"back\" value=\"meeting\""));
    assert!(!page(&m, &t, &format!("/meetings/{first}/prep")).await.contains("name=\"back\""), "the prep page's own forms stay there");

    let found = ideas.find("name=\"key\" value=\"").expect("a question to add");
    let key = &ideas[found + 18..];
    let key = &key[..key.find('"').unwrap()];
    let r = m
        .post(t.url(&format!("/meetings/{first}/questions")))
        .form(&[("_csrf", m_csrf.as_str()), ("key", key), ("back", "meeting")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/meetings/{first}?saved=question#agenda"));
    let after = page(&m, &t, &to).await;
    assert!(after.contains("The question is on the agenda below"), "{after}");
    let view = t.app.meeting_view(&manager, first).await.unwrap();
    assert_eq!(view.points.len(), 1, "the question is a topic now");
    // Any other value of `back` leads to the prep page, never elsewhere.
    let r = m
        .post(t.url(&format!("/meetings/{first}/questions")))
        .form(&[("_csrf", m_csrf.as_str()), ("key", key), ("back", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert!(r.headers()["location"].to_str().unwrap().starts_with(&format!("/meetings/{first}/prep")));
}

/// "The last few meetings' notes and decisions available on the meeting page, not just the
/// previous one": the last time's notes as before, and the three before it folded below them,
/// newest first, each leading to its meeting. Read in the statement that read the last time's.
async fn the_meeting_page_keeps_the_last_few_meetings_notes_at_hand(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let meetings = six_meetings(&t, &manager, series).await;
    for (n, id) in meetings.iter().take(5).enumerate() {
        if n == 2 {
            continue; // a meeting without notes is passed over
        }
        t.app.save_note(&teammate, *id, false, &format!("Decided in week {}", n + 1), 0).await.unwrap();
    }
    t.app.save_note(&manager, meetings[1], true, "Private to the manager, week 2", 0).await.unwrap();
    t.clock.set(at("2026-04-08T09:00:00Z"));
    let (m, _) = t.signed_in(&manager.email).await;
    let html = page(&m, &t, &format!("/meetings/{}", meetings[5])).await;
    let last = &html[html.find("id=\"last-h\"").expect("the last-time card")..];
    let earlier = &last[last.find("id=\"earlier-notes\"").expect("the earlier notes, folded")..];
    let (last, earlier) = (&last[..last.find("id=\"earlier-notes\"").unwrap()], &earlier[..earlier.find("</details>").unwrap()]);
    assert!(last.contains("Decided in week 5"), "{last}");
    let at = |w: &str| earlier.find(w).unwrap_or_else(|| panic!("{w} missing from {earlier}"));
    assert!(at("Decided in week 4") < at("Decided in week 2") && at("Decided in week 2") < at("Decided in week 1"), "{earlier}");
    assert!(!earlier.contains("Decided in week 5") && !earlier.contains("Private to the manager"), "{earlier}");
    assert!(earlier.contains(&format!("href=\"/meetings/{}\"", meetings[0])), "each leads to its meeting");

    // Only three earlier ones: with a sixth note, the oldest drops out.
    t.app.save_note(&teammate, meetings[2], false, "Decided in week 3", 0).await.unwrap();
    let html = page(&m, &t, &format!("/meetings/{}", meetings[5])).await;
    let earlier = &html[html.find("id=\"earlier-notes\"").unwrap()..];
    let earlier = &earlier[..earlier.find("</details>").unwrap()];
    assert!(earlier.contains("Decided in week 3") && !earlier.contains("Decided in week 1"), "{earlier}");
}

/// "The last few meetings' notes *and decisions*": under each earlier meeting's notes, the
/// actions agreed in it (text, owner, done or open, due date in words); never another pair's,
/// and never a private note.
async fn the_earlier_notes_carry_the_decisions_made_in_each_meeting(t: TestApp) {
    use rapport::app::meetings::ActionPatch;
    use rapport::domain::meeting::ActionKind;
    let (admin, manager, teammate) = people(&t).await;
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let meetings = six_meetings(&t, &manager, series).await;
    for (n, id) in meetings.iter().take(5).enumerate().filter(|(n, _)| *n != 2) {
        t.app.save_note(&teammate, *id, false, &format!("Notes of week {}", n + 1), 0).await.unwrap();
    }
    let due = NaiveDate::from_ymd_opt(2026, 3, 20);
    t.app.add_action(&manager, meetings[0], "Book the course", teammate.id, due, ActionKind::Normal).await.unwrap();
    let plan = t.app.add_action(&teammate, meetings[1], "Write the migration plan", manager.id, None, ActionKind::Normal).await.unwrap();
    t.app.update_action(&manager, plan.id, plan.version, ActionPatch { done: Some(true), ..Default::default() }).await.unwrap();
    t.app.add_action(&manager, meetings[3], "Ask Sam about the budget", manager.id, None, ActionKind::Help).await.unwrap();
    t.app.add_action(&manager, meetings[4], "Agreed last time", manager.id, None, ActionKind::Normal).await.unwrap();
    t.app.save_note(&manager, meetings[1], true, "Private to the manager, week 2", 0).await.unwrap();
    // Another pair of the same manager: nothing of theirs shows here.
    let other = t.person(&admin, "Olga Other", Some(manager.id)).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let (_, theirs, _) = weekly(&t, &manager, &other).await;
    t.app.add_action(&manager, theirs, "Another pair's action", other.id, None, ActionKind::Normal).await.unwrap();

    t.clock.set(at("2026-04-08T09:00:00Z"));
    let (tm, _) = t.signed_in(&teammate.email).await;
    let html = page(&tm, &t, &format!("/meetings/{}", meetings[5])).await;
    let earlier = &html[html.find("id=\"earlier-notes\"").expect("the earlier notes")..];
    let earlier = &earlier[..earlier.find("</details>").unwrap()];
    let of = |week: usize| {
        let from = earlier.find(&format!("id=\"earlier-{}\"", meetings[week])).unwrap_or_else(|| panic!("week {} missing", week + 1));
        let rest = &earlier[from..];
        rest[..rest.find("</article>").unwrap()].to_string()
    };
    let (w1, w2, w4) = (of(0), of(1), of(3));
    assert!(w1.contains("Book the course") && w1.contains("You") && w1.contains("due Friday 20 March") && w1.contains("open"), "{w1}");
    assert!(w2.contains("Write the migration plan") && w2.contains("Maria Manager") && w2.contains("done"), "{w2}");
    assert!(w4.contains("Ask Sam about the budget") && w4.contains("How can I help?"), "{w4}");
    assert!(!w1.contains("Write the migration plan") && !w4.contains("Book the course"), "each under its own meeting");
    for absent in ["Agreed last time", "Another pair's action", "Private to the manager"] {
        assert!(!earlier.contains(absent), "{absent} in {earlier}");
    }
    assert!(earlier.contains("Decisions"), "{earlier}");
    let view = t.app.meeting_view(&teammate, meetings[5]).await.unwrap();
    let decided: Vec<usize> = view.earlier_notes.iter().map(|e| e.decisions.len()).collect();
    assert_eq!(decided, vec![1, 1, 1], "weeks 4, 2 and 1, newest first");
}

/// The question bank, the templates and the growth page, without a script: what was done is
/// confirmed on the page it leads back to, and a refused growth form shows its problem in that
/// form (opened), next to the field, not at the top of the page.
async fn the_bank_templates_and_growth_forms_confirm_and_refuse_where_they_were_sent(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (m, csrf) = t.signed_in(&manager.email).await;
    let sent = |path: String, mut form: Vec<(&'static str, String)>| {
        form.push(("_csrf", csrf.clone()));
        m.post(t.url(&path)).form(&form).send()
    };

    let back = |r: reqwest::Response| {
        assert_eq!(r.status(), 303);
        r.headers()["location"].to_str().unwrap().to_string()
    };
    let r = sent("/questions/own".into(), vec![("text", "What drains you most?".into()), ("purposes", "support".into())]).await.unwrap();
    let html = page(&m, &t, &back(r)).await;
    assert!(html.contains("Your question is added") && html.contains("What drains you most?"), "{html}");
    let r = sent("/templates".into(), vec![("name", "Friday wrap-up".into()), ("prompts", "How did the week end?".into())]).await.unwrap();
    let html = page(&m, &t, &back(r)).await;
    assert!(html.contains("Your template is saved") && html.contains("Friday wrap-up"), "{html}");

    let plan = t.app.create_plan(&manager, teammate.id, "growth", "Grow into Mid", "").await.unwrap();
    let r = sent(format!("/plans/{plan}/updates"), vec![("person", teammate.id.to_string()), ("progress", String::new())]).await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(!html.contains("Nothing was saved."), "not at the top of the page");
    let details = &html[html.find(&format!("id=\"add-update-{plan}\"")).expect("the update form's panel")..];
    let details = &details[..details.find("</details>").unwrap()];
    assert!(details.starts_with(&format!("id=\"add-update-{plan}\" open")), "opened: {details}");
    assert!(details.contains("Write the progress, an obstacle or the next steps."), "{details}");
    assert!(details.contains(&format!("id=\"up-{plan}\" name=\"progress\" rows=\"2\" aria-invalid=\"true\"")), "{details}");
}

/// A topic's note saves as it is typed (the page sends `note_base`, the note its words were
/// typed on). A tick or a note written elsewhere by the other person in between is not a
/// conflict: the note saves on top (merged). Only the same lines changed by both are refused.
async fn a_topic_note_saved_as_it_is_typed_merges_with_what_changed_meanwhile(t: TestApp) {
    use rapport::app::meetings::PointPatch;
    let (_, manager, teammate) = people(&t).await;
    let (_, first, _) = weekly(&t, &manager, &teammate).await;
    let topic = t.app.add_point(&teammate, first, "Moving to the platform team", false).await.unwrap();
    let with_note = PointPatch { note: Some("Ask Sam\nTrial in April".into()), ..Default::default() };
    t.app.update_point(&teammate, topic.id, 1, with_note).await.unwrap();
    let token = t.token(&manager).await;
    let patch = |body: serde_json::Value| {
        reqwest::Client::new().patch(t.url(&format!("/api/v1/points/{}", topic.id))).bearer_auth(&token).json(&body).send()
    };
    // The teammate ticks it off (version 3) while the manager types on version 2.
    t.app.update_point(&teammate, topic.id, 2, PointPatch { discussed: Some(true), ..Default::default() }).await.unwrap();
    let r = patch(serde_json::json!({"version": 2, "note": "Ask Sam first\nTrial in April", "note_base": "Ask Sam\nTrial in April"}))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        (body["note"].as_str(), body["version"].as_i64(), body["discussed"].as_bool()),
        (Some("Ask Sam first\nTrial in April"), Some(4), Some(true))
    );

    // The teammate adds a line at the end meanwhile: both are kept.
    let add = PointPatch { note: Some("Ask Sam first\nTrial in April\nBudget agreed".into()), ..Default::default() };
    t.app.update_point(&teammate, topic.id, 4, add).await.unwrap();
    let r = patch(
        serde_json::json!({"version": 4, "note": "Ask Sam first (today)\nTrial in April", "note_base": "Ask Sam first\nTrial in April"}),
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["note"], "Ask Sam first (today)\nTrial in April\nBudget agreed");

    // The same line changed by both: refused, nothing saved.
    let clash = PointPatch { note: Some("Ask Sam first (tomorrow)\nTrial in April\nBudget agreed".into()), ..Default::default() };
    t.app.update_point(&teammate, topic.id, 6, clash).await.unwrap();
    let r = patch(serde_json::json!({"version": 6, "note": "Ask Sam first (Friday)\nTrial in April\nBudget agreed", "note_base": "Ask Sam first (today)\nTrial in April\nBudget agreed"})).await.unwrap();
    assert_eq!(r.status(), 409);
    // Without `note_base` an old version is refused as before, and a tick on an old version too.
    let r = patch(serde_json::json!({"version": 6, "note": "Anything"})).await.unwrap();
    assert_eq!(r.status(), 409);
    let r = patch(serde_json::json!({"version": 6, "discussed": false, "note": "x", "note_base": "Ask Sam first (tomorrow)\nTrial in April\nBudget agreed"})).await.unwrap();
    assert_eq!(r.status(), 409);
    let now = t.app.meeting_view(&teammate, first).await.unwrap();
    assert_eq!(now.points[0].note, "Ask Sam first (tomorrow)\nTrial in April\nBudget agreed");
}

/// The home's row says which session of the first ten 1:1s comes next, to the manager who runs
/// them (read for all of the manager's pairs in one statement); it moves on when one is done,
/// and is gone when all are; the teammate's home does not ask them to run it.
async fn the_home_names_the_next_session_of_the_first_ten_to_the_manager(t: TestApp) {
    let (_, manager, teammate) = people(&t).await;
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let (tm, _) = t.signed_in(&teammate.email).await;
    assert!(!home_rows(&page(&m, &t, "/meetings").await)[0].contains("First ten 1:1s"), "not before it is started");

    t.app.start_program(&manager, series).await.unwrap();
    let html = page(&m, &t, "/meetings").await;
    let row = home_rows(&html).remove(0);
    assert!(row.contains("First ten 1:1s: session 1 of 10, “Getting to know each other”"), "{row}");
    assert!(html.contains(&format!("<a href=\"/series/{series}/program\">First ten 1:1s")), "it leads to the program");
    assert!(!home_rows(&page(&tm, &t, "/meetings").await)[0].contains("First ten 1:1s"), "the teammate is not asked to run it");

    let view = t.app.program(&manager, series).await.unwrap();
    let first = view.next().unwrap().session.key.clone();
    t.app.mark_session_done(&manager, series, &first).await.unwrap();
    let row = home_rows(&page(&m, &t, "/meetings").await).remove(0);
    assert!(row.contains("session 2 of 10, “How we will use our 1:1s”"), "{row}");
    for s in t.app.program(&manager, series).await.unwrap().sessions {
        t.app.skip_session(&manager, series, &s.session.key, true).await.ok();
    }
    assert!(!home_rows(&page(&m, &t, "/meetings").await)[0].contains("First ten 1:1s"), "nothing left to run");
}

/// The home reads each thing it shows for all of a person's 1:1s at once: a manager meeting
/// five people runs as many statements as one meeting one (each series' other person and next
/// 1:1 used to be read one series at a time).
async fn the_homes_statements_do_not_grow_with_the_number_of_people_one_meets(t: TestApp) {
    crate::support::statements::count();
    let (admin, manager, teammate) = people(&t).await;
    weekly(&t, &manager, &teammate).await;
    let (m, _) = t.signed_in(&manager.email).await;
    let home = || page(&m, &t, "/meetings");
    let one = crate::support::statements::fewest(3, home).await;
    assert!(one > 0, "statements are counted");
    for n in ["Ann Arbor", "Ben Nevis", "Cai Mara", "Dee Side"] {
        let report = t.person(&admin, n, Some(manager.id)).await;
        weekly(&t, &manager, &report).await;
    }
    let five = crate::support::statements::fewest(3, || page(&m, &t, "/meetings")).await;
    assert_eq!(five, one, "{one} statements with one person, {five} with five");
}

/// The meeting page (first shown, not from the cache) runs as many statements after five earlier
/// 1:1s with notes, actions and topics as after one.
async fn the_meeting_pages_statements_do_not_grow_with_the_history(t: TestApp) {
    use rapport::domain::meeting::ActionKind;
    crate::support::statements::count();
    let (_, manager, teammate) = people(&t).await;
    let (series, _, _) = weekly(&t, &manager, &teammate).await;
    let meetings = six_meetings(&t, &manager, series).await;
    for (n, id) in meetings.iter().take(6).enumerate() {
        t.app.save_note(&teammate, *id, false, &format!("Week {n}"), 0).await.unwrap();
        t.app.add_point(&teammate, *id, &format!("Topic {n}"), false).await.unwrap();
        t.app.add_action(&manager, *id, &format!("Action {n}"), manager.id, None, ActionKind::Normal).await.unwrap();
    }
    t.clock.set(at("2026-04-20T08:00:00Z"));
    let (m, _) = t.signed_in(&manager.email).await;
    let paths: Vec<String> = meetings.iter().map(|id| format!("/meetings/{id}")).collect();
    // First what is done once (the meetings planned ahead as the clock moved on), then the
    // second and the sixth 1:1, each shown for the first time. The series page before each
    // reads the session again if a view before it wrote, so neither measured view reads it.
    page(&m, &t, &format!("/series/{series}")).await;
    page(&m, &t, &paths[0]).await;
    page(&m, &t, &format!("/series/{series}")).await;
    let short = crate::support::statements::fewest(1, || page(&m, &t, &paths[1])).await;
    page(&m, &t, &format!("/series/{series}")).await;
    let long = crate::support::statements::fewest(1, || page(&m, &t, &paths[5])).await;
    assert_eq!(long, short, "{short} statements after one earlier 1:1, {long} after five");
}
