//! The manager's about page and blameless setback records on both databases: who may see
//! them (everyone else gets "not found"), notes that stay with the manager who wrote them,
//! validation that changes nothing, prep suggestions for the manager only, follow-up actions
//! on the next 1:1 (all or nothing), and setbacks in the review packet of their period.

use crate::on_both;
use crate::support::{TestApp, a_day, an_organisation, at, day, plain, weekly_one_on_ones};
use rapport::app::AppError;
use rapport::app::people::PersonPatch;
use rapport::domain::review::packet_markdown;
use rapport::domain::setback::{FollowUpInput, SetbackInput};
use serde_json::{Value, json};

on_both!(
    the_about_page_is_the_current_managers_alone,
    about_input_is_checked_whole_and_bad_input_changes_nothing,
    the_about_pages_forms_add_and_remove_with_errors_next_to_fields,
    prep_suggests_dates_and_time_off_to_the_manager_only,
    a_setback_with_follow_ups_lands_on_the_next_meeting_all_or_nothing,
    a_setback_is_changed_by_its_author_alone_and_ones_own_gets_a_gentle_hint,
    setback_records_follow_the_privacy_table,
    the_setback_pages_record_and_edit_with_a_gentle_hint,
    the_review_packet_holds_the_setbacks_of_its_period,
);

async fn api(t: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let c = plain();
    let url = t.url(path);
    let req = match method {
        "GET" => c.get(url),
        "PUT" => c.put(url),
        _ => c.post(url),
    }
    .bearer_auth(token);
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn fields(v: &Value) -> Vec<String> {
    v["error"]["fields"].as_array().map(|a| a.iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

async fn the_about_page_is_the_current_managers_alone(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    let emil = t.token(&o.emil).await;
    let path = format!("/api/v1/people/{}/about", o.ivy.id);
    let (s, empty) = api(&t, &emil, "GET", &path, None).await;
    assert_eq!((s, empty["version"].as_i64()), (200, Some(0)));
    let page = json!({
        "interests": "Bouldering; reads science fiction",
        "family": "Two kids, Mia and Leo",
        "dates": [{"label": "Birthday", "date": "1990-12-03", "yearly": true}],
        "time_off": [{"label": "Winter holiday", "starts_on": "2026-12-20", "ends_on": "2026-12-31"}],
        "version": 0
    });
    let (s, saved) = api(&t, &emil, "PUT", &path, Some(page)).await;
    assert_eq!(s, 200, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["dates"][0]["label"], "Birthday");
    let (_, read) = api(&t, &emil, "GET", &path, None).await;
    assert_eq!(read["family"], "Two kids, Mia and Leo");

    // The person, a skip-level leader, an admin and a stranger: not found, on the API and the page.
    for who in [&o.ivy, &o.vera, &o.ada, &o.otto, &rob] {
        let token = t.token(who).await;
        let (s, body) = api(&t, &token, "GET", &path, None).await;
        assert_eq!(s, 404, "{} reads", who.name);
        assert_eq!(body["error"]["code"], "not_found");
        let (s, _) = api(&t, &token, "PUT", &path, Some(json!({"interests": "x"}))).await;
        assert_eq!(s, 404, "{} writes", who.name);
        assert!(matches!(t.app.about_page(who, o.ivy.id).await, Err(AppError::NotFound)));
        let (c, _) = t.signed_in(&who.email.to_string()).await;
        let r = c.get(t.url(&format!("/people/{}/about", o.ivy.id))).send().await.unwrap();
        assert_eq!(r.status(), 404, "{} page", who.name);
        assert!(!r.text().await.unwrap().contains("Bouldering"));
    }
    // The person's own profile page does not link to it; the manager's view does.
    let (c, _) = t.signed_in(&o.ivy.email.to_string()).await;
    let html = c.get(t.url(&format!("/people/{}", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("/about\""));
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url(&format!("/people/{}", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("/people/{}/about", o.ivy.id)));

    // Ivy moves to Otto: Otto starts with an empty page, Emil no longer reads his.
    let ivy = rapport::store::people::get(&t.app.db, o.ivy.id).await.unwrap().unwrap();
    let patch = PersonPatch { manager_id: Some(Some(o.otto.id)), ..Default::default() };
    t.app.update_person(&o.ada, o.ivy.id, patch, ivy.version).await.unwrap();
    let otto = t.token(&o.otto).await;
    let (s, fresh) = api(&t, &otto, "GET", &path, None).await;
    assert_eq!((s, fresh["version"].as_i64(), fresh["interests"].as_str()), (200, Some(0), Some("")));
    assert_eq!(api(&t, &emil, "GET", &path, None).await.0, 404);
    // And back to Emil: his own notes are there again, Otto's are not shown to him.
    let (s, _) = api(&t, &otto, "PUT", &path, Some(json!({"interests": "OTTO-NOTE"}))).await;
    assert_eq!(s, 200);
    let ivy = rapport::store::people::get(&t.app.db, o.ivy.id).await.unwrap().unwrap();
    let patch = PersonPatch { manager_id: Some(Some(o.emil.id)), ..Default::default() };
    t.app.update_person(&o.ada, o.ivy.id, patch, ivy.version).await.unwrap();
    let (_, back) = api(&t, &emil, "GET", &path, None).await;
    assert_eq!(back["interests"], "Bouldering; reads science fiction");
    assert!(!back.to_string().contains("OTTO-NOTE"));
}

async fn about_input_is_checked_whole_and_bad_input_changes_nothing(t: TestApp) {
    let o = an_organisation(&t).await;
    let emil = t.token(&o.emil).await;
    let path = format!("/api/v1/people/{}/about", o.ivy.id);
    let good = json!({"interests": "Chess", "dates": [{"label": "Birthday", "date": "1990-12-03", "yearly": true}]});
    assert_eq!(api(&t, &emil, "PUT", &path, Some(good)).await.0, 200);
    let bad = json!({
        "interests": "CHANGED",
        "dates": [{"label": "Birthday", "date": "1990-02-30"}, {"label": "", "date": "2026-03-01"}],
        "time_off": [{"label": "Holiday", "starts_on": "2026-12-31", "ends_on": "2026-12-20"}]
    });
    let (s, e) = api(&t, &emil, "PUT", &path, Some(bad)).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), vec!["dates[0].date", "dates[1].label", "time_off[0].ends_on"]);
    let (_, now) = api(&t, &emil, "GET", &path, None).await;
    assert_eq!((now["interests"].as_str(), now["version"].as_i64()), (Some("Chess"), Some(1)), "nothing changed");
    // A stale version is a conflict, and changes nothing either.
    let (s, _) = api(&t, &emil, "PUT", &path, Some(json!({"interests": "STALE", "version": 0}))).await;
    assert_eq!(s, 409);
    let (_, now) = api(&t, &emil, "GET", &path, None).await;
    assert_eq!(now["interests"], "Chess");
    // An unknown field is named.
    let (s, e) = api(&t, &emil, "PUT", &path, Some(json!({"hobbies": "x"}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["hobbies".to_string()]));
}

async fn the_about_pages_forms_add_and_remove_with_errors_next_to_fields(t: TestApp) {
    let o = an_organisation(&t).await;
    let (c, csrf) = t.signed_in(&o.emil.email.to_string()).await;
    let base = format!("/people/{}/about", o.ivy.id);
    let r = c
        .post(t.url(&base))
        .form(&[("_csrf", csrf.as_str()), ("interests", "Sailing"), ("family", "A dog, Rex"), ("version", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = c
        .post(t.url(&format!("{base}/dates")))
        .form(&[("_csrf", csrf.as_str()), ("label", "Birthday"), ("date", "1991-06-15"), ("yearly", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // The end before the start: shown next to the last-day field, what was typed kept, nothing saved.
    let r = c
        .post(t.url(&format!("{base}/time-off")))
        .form(&[("_csrf", csrf.as_str()), ("label", "Trip to Lisbon"), ("starts_on", "2026-08-10"), ("ends_on", "2026-08-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-off-ends-error\""), "{html}");
    assert!(html.contains("must end on or after its start"));
    assert!(html.contains("value=\"Trip to Lisbon\""));
    let (_, page) = t.app.about_page(&o.emil, o.ivy.id).await.unwrap();
    assert!(page.time_off.is_empty());
    assert_eq!(page.interests, "Sailing");
    assert_eq!(page.dates.len(), 1);
    // A bad date in the add form: next to the date field.
    let r = c
        .post(t.url(&format!("{base}/dates")))
        .form(&[("_csrf", csrf.as_str()), ("label", "Move"), ("date", "next week")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"f-date-error\""));
    // Remove the birthday.
    let id = page.dates[0].id;
    let r = c.post(t.url(&format!("{base}/items/{id}/delete"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = t.app.about_page(&o.emil, o.ivy.id).await.unwrap();
    assert!(page.dates.is_empty());
    assert_eq!(page.family, "A dog, Rex");
}

async fn prep_suggests_dates_and_time_off_to_the_manager_only(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-11-24T08:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-11-24")).await;
    let meeting = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    let input = rapport::domain::about::AboutInput {
        interests: "SECRET-INTEREST climbing".into(),
        dates: vec![
            rapport::domain::about::DateInput { id: None, label: "Birthday".into(), date: "1990-12-03".into(), yearly: true },
            // 15 days ahead: beyond the 14-day threshold.
            rapport::domain::about::DateInput { id: None, label: "House move".into(), date: "2026-12-09".into(), yearly: false },
        ],
        time_off: vec![rapport::domain::about::TimeOffInput {
            id: None,
            label: "Long weekend".into(),
            starts_on: "2026-11-20".into(),
            ends_on: "2026-11-25".into(),
        }],
        ..Default::default()
    };
    t.app.save_about_page(&o.emil, o.ivy.id, &input).await.unwrap();
    let g = t.app.prep_guidance(&o.emil, meeting).await.unwrap();
    let reasons: Vec<&str> = g.suggestions.iter().map(|s| s.reason.as_str()).collect();
    assert!(reasons.contains(&"Birthday is on 3 December, in 9 days."), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("Long weekend") && r.contains("has begun")), "{reasons:?}");
    assert!(!reasons.iter().any(|r| r.contains("House move")), "{reasons:?}");

    // The teammate's prep never shows the manager's about page.
    let g = t.app.prep_guidance(&o.ivy, meeting).await.unwrap();
    assert!(g.suggestions.iter().all(|s| !s.reason.contains("Birthday") && !s.text.contains("Long weekend")), "{:?}", g.suggestions);
    let (c, _) = t.signed_in(&o.ivy.email.to_string()).await;
    let html = c.get(t.url(&format!("/meetings/{meeting}/prep"))).send().await.unwrap().text().await.unwrap();
    for secret in ["Birthday", "Long weekend", "SECRET-INTEREST", "/about\""] {
        assert!(!html.contains(secret), "{secret} on the teammate's prep");
    }
    // The manager's prep shows the reason and links to the about page.
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url(&format!("/meetings/{meeting}/prep"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Birthday is on 3 December, in 9 days."));
    assert!(html.contains(&format!("/people/{}/about", o.ivy.id)));

    // The threshold comes from the configuration: with 8 days, the birthday is not yet due.
    let mut app = t.app.clone();
    let mut config = (*t.app.config).clone();
    config.guidance.important_date_days = 8;
    app.config = std::sync::Arc::new(config);
    let g = app.prep_guidance(&o.emil, meeting).await.unwrap();
    assert!(!g.suggestions.iter().any(|s| s.reason.contains("Birthday")));
}

fn record(facts: &str, on: &str) -> SetbackInput {
    SetbackInput {
        occurred_on: a_day(on),
        facts: facts.into(),
        contexts: vec!["unclear_expectations".into()],
        context_other: String::new(),
        remedy: String::new(),
        manager_change: String::new(),
        learned: "Write the goal down together.".into(),
        meeting_id: None,
    }
}

async fn a_setback_with_follow_ups_lands_on_the_next_meeting_all_or_nothing(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-03-03")).await;
    let next = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    let emil = t.token(&o.emil).await;
    let path = format!("/api/v1/people/{}/setbacks", o.ivy.id);
    let body = |due: &str| {
        json!({
            "occurred_on": "2026-02-27",
            "facts": "The release slipped by a week; the migration needed a second review.",
            "contexts": ["competing_priorities", "other"],
            "context_other": "A holiday in the middle",
            "remedy": "Shipped the following Tuesday.",
            "manager_change": "I will check the plan against the team calendar.",
            "learned": "Reviews of migrations need a day of their own.",
            "actions": [
                {"body": "Add a review day to the release checklist"},
                {"body": "Share the team calendar", "owner_id": o.emil.id, "due_date": due}
            ]
        })
    };
    // One bad due date: nothing saved, neither the record nor the first action.
    let (s, e) = api(&t, &emil, "POST", &path, Some(body("2026-13-01"))).await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(fields(&e), vec!["actions[1].due_date"]);
    assert!(t.app.setbacks(&o.emil, o.ivy.id).await.unwrap().1.is_empty());
    assert!(t.app.meeting_view(&o.emil, next).await.unwrap().actions.is_empty());
    // An action for someone outside the pair: refused, nothing saved.
    let mut b = body("2026-03-10");
    b["actions"][0]["owner_id"] = json!(o.otto.id);
    let (s, e) = api(&t, &emil, "POST", &path, Some(b)).await;
    assert_eq!((s, fields(&e)), (422, vec!["actions[0].owner_id".to_string()]));
    assert!(t.app.meeting_view(&o.emil, next).await.unwrap().actions.is_empty());

    // A 1:1 of another pair is not one this record can point at.
    let rob_series = weekly_one_on_ones(&t, &o.emil, &rob, day("2026-03-04")).await;
    let rob_meeting = t.app.next_meeting_of(&o.emil, rob_series).await.unwrap();
    let mut b = body("2026-03-10");
    b["meeting_id"] = json!(rob_meeting);
    let (s, e) = api(&t, &emil, "POST", &path, Some(b)).await;
    assert_eq!((s, fields(&e)), (422, vec!["meeting_id".to_string()]));
    assert!(t.app.meeting_view(&o.emil, rob_meeting).await.unwrap().actions.is_empty());

    let mut b = body("2026-03-10");
    b["meeting_id"] = json!(next);
    let (s, created) = api(&t, &emil, "POST", &path, Some(b)).await;
    assert_eq!(created["record"]["meeting_id"], json!(next));
    assert_eq!(s, 201, "{created}");
    assert_eq!(created["record"]["contexts"], json!(["competing_priorities", "other"]));
    assert_eq!(created["follow_ups"].as_array().unwrap().len(), 2);
    assert!(created["hint"].is_null());
    let view = t.app.meeting_view(&o.ivy, next).await.unwrap();
    let mut actions = view.actions.clone();
    actions.sort_by(|a, b| a.body.cmp(&b.body));
    let bodies: Vec<&str> = actions.iter().map(|a| a.body.as_str()).collect();
    assert_eq!(bodies, vec!["Add a review day to the release checklist", "Share the team calendar"]);
    assert_eq!(actions[0].owner_id, o.ivy.id, "the person by default");
    assert_eq!(actions[1].owner_id, o.emil.id);
    assert_eq!(actions[1].due_date, Some(day("2026-03-10")));
    // They are real action items: in the owners' action lists.
    let mine = t.app.my_actions(&o.ivy, None).await.unwrap();
    assert!(mine.iter().any(|a| a.action.body == "Add a review day to the release checklist"));
    let (s, list) = api(&t, &t.token(&o.ivy).await, "GET", &path, None).await;
    assert_eq!((s, list.as_array().unwrap().len()), (200, 1));

    // Emil has no 1:1s with Vera, his own manager: a follow-up has nowhere to go, and the record
    // is refused with it.
    let vera = t.token(&o.vera).await;
    let (s, e) = api(
        &t,
        &vera,
        "POST",
        &format!("/api/v1/people/{}/setbacks", o.emil.id),
        Some(json!({"occurred_on": "2026-03-01", "facts": "x", "contexts": ["missing_support"], "actions": [{"body": "y"}]})),
    )
    .await;
    assert_eq!((s, fields(&e)), (422, vec!["actions".to_string()]));
    assert!(t.app.setbacks(&o.vera, o.emil.id).await.unwrap().1.is_empty());

    // The record page names the 1:1 it came up in, and its edit form keeps that link.
    let id = created["record"]["id"].as_str().unwrap();
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url(&format!("/setbacks/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("<a href=\"/meetings/{next}\">the 1:1 of Tue 3 Mar 2026, 10:00</a>")), "{html}");
    assert!(html.contains(&format!("<option value=\"{next}\" selected>")));
}

async fn a_setback_is_changed_by_its_author_alone_and_ones_own_gets_a_gentle_hint(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let emil = t.token(&o.emil).await;
    let path = format!("/api/v1/people/{}/setbacks", o.ivy.id);
    let record = json!({"occurred_on": "2026-02-27", "facts": "The release slipped by a week.",
                        "contexts": ["competing_priorities", "other"], "context_other": "A holiday in the middle"});
    let (s, created) = api(&t, &emil, "POST", &path, Some(record)).await;
    assert_eq!(s, 201, "{created}");
    let id = created["record"]["id"].as_str().unwrap();

    // Updates: the author only, from the current version.
    let upd = |v: i64| json!({"version": v, "occurred_on": "2026-02-27", "facts": "The release slipped by eight days.", "contexts": ["competing_priorities"]});
    let ivy = t.token(&o.ivy).await;
    assert_eq!(api(&t, &ivy, "PUT", &format!("/api/v1/setbacks/{id}"), Some(upd(1))).await.0, 404, "not Ivy's record to change");
    let (s, u) = api(&t, &emil, "PUT", &format!("/api/v1/setbacks/{id}"), Some(upd(1))).await;
    assert_eq!(s, 200, "{u}");
    assert_eq!((u["record"]["version"].as_i64(), u["record"]["context_other"].as_str()), (Some(2), Some("")));
    assert_eq!(api(&t, &emil, "PUT", &format!("/api/v1/setbacks/{id}"), Some(upd(1))).await.0, 409);
    // Ivy records her own, with a future date refused first.
    let (s, e) =
        api(&t, &ivy, "POST", &path, Some(json!({"occurred_on": "2026-03-09", "facts": "x", "contexts": ["lack_of_focus"]}))).await;
    assert_eq!((s, fields(&e)), (422, vec!["occurred_on".to_string()]));
    let (s, own) = api(
        &t,
        &ivy,
        "POST",
        &path,
        Some(json!({"occurred_on": "2026-03-01", "facts": "I was careless with the config.", "contexts": ["lack_of_focus"]})),
    )
    .await;
    assert_eq!(s, 201);
    assert!(own["hint"].as_str().unwrap().contains("“careless”"), "a gentle hint, not a refusal");
    assert_eq!(own["can_edit"], true);
    let own_id = own["record"]["id"].as_str().unwrap();
    let (_, seen) = api(&t, &emil, "GET", &format!("/api/v1/setbacks/{own_id}"), None).await;
    assert_eq!(seen["can_edit"], false);
    let change = json!({"version": 1, "occurred_on": "2026-03-01", "facts": "EDITED", "contexts": ["lack_of_focus"]});
    for who in [&o.emil, &o.vera, &o.ada] {
        let token = t.token(who).await;
        let (s, _) = api(&t, &token, "PUT", &format!("/api/v1/setbacks/{own_id}"), Some(change.clone())).await;
        assert_eq!(s, 404, "{} changes Ivy's own record", who.name);
    }
    let (s, mine) = api(&t, &ivy, "PUT", &format!("/api/v1/setbacks/{own_id}"), Some(change)).await;
    assert_eq!((s, mine["record"]["facts"].as_str()), (200, Some("EDITED")));
    assert!(mine["hint"].is_null(), "the hint goes once the facts no longer blame");
}

async fn setback_records_follow_the_privacy_table(t: TestApp) {
    let o = an_organisation(&t).await;
    let rob = o.hires(&t, "Rob Builder", &o.emil).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let rec = t.app.record_setback(&o.emil, o.ivy.id, &record("SETBACK-FACTS", "2026-02-20"), &[]).await.unwrap();
    let list = format!("/api/v1/people/{}/setbacks", o.ivy.id);
    let one = format!("/api/v1/setbacks/{}", rec.record.id);
    for (who, allowed) in [(&o.ivy, true), (&o.emil, true), (&o.vera, false), (&o.ada, false), (&o.otto, false), (&rob, false)] {
        let token = t.token(who).await;
        let want = if allowed { 200 } else { 404 };
        let (s, body) = api(&t, &token, "GET", &list, None).await;
        assert_eq!(s, want, "{} lists", who.name);
        assert_eq!(api(&t, &token, "GET", &one, None).await.0, want, "{} reads", who.name);
        if !allowed {
            assert_eq!(body["error"]["code"], "not_found");
            let (s, _) =
                api(&t, &token, "POST", &list, Some(json!({"occurred_on": "2026-03-01", "facts": "x", "contexts": ["other"]}))).await;
            assert_eq!(s, 404, "{} records", who.name);
            let (c, _) = t.signed_in(&who.email.to_string()).await;
            let r = c.get(t.url(&format!("/people/{}/setbacks", o.ivy.id))).send().await.unwrap();
            assert_eq!(r.status(), 404);
            assert!(!r.text().await.unwrap().contains("SETBACK-FACTS"));
            assert_eq!(c.get(t.url(&format!("/setbacks/{}", rec.record.id))).send().await.unwrap().status(), 404);
        }
    }
    // A record about someone else of Emil's team does not show in Ivy's list.
    t.app.record_setback(&o.emil, rob.id, &record("ROB-ONLY", "2026-02-21"), &[]).await.unwrap();
    let (_, l) = api(&t, &t.token(&o.ivy).await, "GET", &list, None).await;
    assert!(!l.to_string().contains("ROB-ONLY"));
}

async fn the_setback_pages_record_and_edit_with_a_gentle_hint(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-03-03")).await;
    let next = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    let (c, csrf) = t.signed_in(&o.emil.email.to_string()).await;
    let page = c.get(t.url(&format!("/people/{}/setbacks", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Record a setback"));
    assert!(page.contains(rapport::domain::setback::prompt("facts")), "the guiding prompt under the field");
    let owner = o.ivy.id.to_string();
    let form = |due: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("occurred_on", "2026-02-26".to_string()),
            ("facts", "It was Ivy's fault: the deploy went out on Friday.".to_string()),
            ("contexts", "unrealistic_goals".to_string()),
            ("contexts", "missing_support".to_string()),
            ("learned", "Fridays are for small changes.".to_string()),
            ("action_body_0", "Move deploys to Tuesdays".to_string()),
            ("action_owner_0", owner.clone()),
            ("action_due_0", due.to_string()),
            ("action_body_1", String::new()),
        ]
    };
    // A bad due date on the first row: shown next to it; nothing saved.
    let r = c.post(t.url(&format!("/people/{}/setbacks", o.ivy.id))).form(&form("soon")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-action_due_0-error\""), "{html}");
    assert!(html.contains("Move deploys to Tuesdays"), "what was typed is kept");
    assert!(t.app.setbacks(&o.emil, o.ivy.id).await.unwrap().1.is_empty());
    let r = c.post(t.url(&format!("/people/{}/setbacks", o.ivy.id))).form(&form("2026-03-06")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let html = c.get(t.url(&loc)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Fridays are for small changes."));
    assert!(html.contains("“fault”"), "the gentle hint names the word");
    assert!(html.contains("Move deploys to Tuesdays"));
    let meeting = c.get(t.url(&format!("/meetings/{next}"))).send().await.unwrap().text().await.unwrap();
    assert!(meeting.contains("Move deploys to Tuesdays"), "the follow-up is on the next 1:1");
    // Edit: facts rewritten; the hint goes.
    let id = loc.trim_start_matches("/setbacks/").split('?').next().unwrap().to_string();
    let r = c
        .post(t.url(&format!("/setbacks/{id}")))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("version", "1"),
            ("occurred_on", "2026-02-26"),
            ("facts", "The deploy went out on Friday at 17:00 and nobody was on call."),
            ("contexts", "missing_support"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = c.get(t.url(&format!("/setbacks/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("nobody was on call") && !html.contains("“fault”"));
    // "Other" without words: the field says so.
    let r = c
        .post(t.url(&format!("/setbacks/{id}")))
        .form(&[("_csrf", csrf.as_str()), ("version", "2"), ("occurred_on", "2026-02-26"), ("facts", "x"), ("contexts", "other")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"f-context_other-error\""));
    // Ivy reads it from her own page, without an edit form.
    let (c, _) = t.signed_in(&o.ivy.email.to_string()).await;
    let html = c.get(t.url(&format!("/setbacks/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("nobody was on call") && !html.contains("Edit the record"));
    let own = c.get(t.url(&format!("/people/{}", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(own.contains(&format!("/people/{}/setbacks", o.ivy.id)));
    let growth = c.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(growth.contains("Setbacks and what was learned") && growth.contains(&format!("/people/{}/setbacks", o.ivy.id)));
}

async fn the_review_packet_holds_the_setbacks_of_its_period(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-07-05T08:00:00Z"));
    let period = t.app.create_review_period(&o.ada, "2026 first half", a_day("2026-01-01"), a_day("2026-06-30")).await.unwrap();
    for (facts, on) in
        [("BEFORE-PERIOD", "2025-12-31"), ("FIRST-DAY", "2026-01-01"), ("LAST-DAY", "2026-06-30"), ("AFTER-PERIOD", "2026-07-01")]
    {
        t.app.record_setback(&o.emil, o.ivy.id, &record(facts, on), &[] as &[FollowUpInput]).await.unwrap();
    }
    for who in [&o.emil, &o.ivy] {
        let p = t.app.review_packet(who, o.ivy.id, period.id).await.unwrap();
        let facts: Vec<&str> = p.setbacks.iter().map(|s| s.facts.as_str()).collect();
        assert_eq!(facts, vec!["FIRST-DAY", "LAST-DAY"]);
        let md = packet_markdown(&p);
        assert!(md.contains("- What happened: FIRST-DAY") && md.contains("Context: Unclear expectations"), "{md}");
        assert!(!md.contains("BEFORE-PERIOD") && !md.contains("AFTER-PERIOD"));
    }
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    for file in ["packet.html", "packet.json", "packet.md"] {
        let body = c.get(t.url(&format!("/people/{}/reviews/{}/{file}", o.ivy.id, period.id))).send().await.unwrap().text().await.unwrap();
        assert!(body.contains("LAST-DAY") && !body.contains("AFTER-PERIOD"), "{file}");
    }
    let review = c.get(t.url(&format!("/people/{}/reviews/{}", o.ivy.id, period.id))).send().await.unwrap().text().await.unwrap();
    assert!(review.contains("FIRST-DAY") && !review.contains("BEFORE-PERIOD"));
    // A period without records says so.
    let empty = t.app.create_review_period(&o.ada, "2025 second half", a_day("2025-07-01"), a_day("2025-12-30")).await.unwrap();
    let p = t.app.review_packet(&o.emil, o.ivy.id, empty.id).await.unwrap();
    assert!(packet_markdown(&p).contains("No setbacks recorded in this period."));
}
