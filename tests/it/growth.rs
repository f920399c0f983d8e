//! Growth on both databases: framework import and export through the API, pages and CLI
//! paths; versions; located problems that change nothing; readiness; privacy of growth
//! records (manager and teammate yes, skip-level only when shared, anyone else no, and
//! assessing someone you do not manage looks exactly like "not found").

use crate::on_both;
use crate::support::{Org, TestApp, admin_ada_on_the_command_line, an_organisation, at, plain, rapport_cli};
use chrono::{Duration, NaiveDate};
use rapport::app::AppError;
use rapport::app::meetings::SeriesInput;
use rapport::domain::Person;
use rapport::domain::framework::{self, Format};
use rapport::domain::meeting::SeriesKind;
use rapport::domain::schedule::Cadence;
use serde_json::{Value, json};

on_both!(
    a_framework_with_empty_cells_says_not_expected_and_readiness_leaves_them_out,
    frameworks_import_and_export_in_every_format_and_round_trip,
    a_changed_framework_is_a_new_version_and_old_assessments_keep_theirs,
    bad_files_are_refused_with_line_and_column_and_change_nothing,
    readiness_follows_the_managers_latest_view_against_the_next_level,
    growth_records_follow_the_privacy_table,
    differing_views_become_a_topic_in_the_next_one_on_one,
    plans_record_steps_progress_and_overdue_steps,
    the_growth_page_shows_now_and_next_side_by_side_with_a_chart,
    the_import_page_previews_an_uploaded_file_then_imports_it,
    the_demo_organisation_has_growth_records_with_a_history,
    the_demo_organisation_shows_the_guidance_pages,
);

const EXAMPLE: &str = include_str!("../../frameworks/example.yaml");

/// Imports the example framework and places Ivy at Engineer I; returns the framework id.
async fn ivy_at_engineer_one(t: &TestApp, o: &Org) -> uuid::Uuid {
    let out = t.app.import_framework(&o.ada, EXAMPLE.as_bytes(), Format::Yaml, "", true).await.unwrap();
    t.app.set_level(&o.emil, o.ivy.id, out.framework_id, "Engineer I").await.unwrap();
    out.framework_id
}

async fn frameworks_import_and_export_in_every_format_and_round_trip(t: TestApp) {
    let o = an_organisation(&t).await;
    let token = t.token(&o.ada).await;
    let c = plain();
    let expected = framework::parse(EXAMPLE.as_bytes(), Format::Yaml, "").unwrap();

    // A dry run shows what would be created and creates nothing.
    let r = c.post(t.url("/api/v1/frameworks/import?format=yaml&dry_run=true")).bearer_auth(&token).body(EXAMPLE).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let preview: Value = r.json().await.unwrap();
    assert_eq!((preview["change"].as_str(), preview["applied"].as_bool()), (Some("created"), Some(false)));
    assert_eq!(preview["summary"]["competencies"], 6);
    assert_eq!(preview["summary"]["expectations"], 36);
    assert!(t.app.frameworks(&o.ada).await.unwrap().is_empty(), "a dry run changes nothing");

    let r = c.post(t.url("/api/v1/frameworks/import?format=yaml")).bearer_auth(&token).body(EXAMPLE).send().await.unwrap();
    let created: Value = r.json().await.unwrap();
    assert_eq!((created["change"].as_str(), created["version"].as_i64()), (Some("created"), Some(1)));
    let id = created["framework_id"].as_str().unwrap().to_string();

    // Every format exports a file that imports back to the same framework, and re-exports
    // byte for byte; importing it again changes nothing (no new version).
    for fmt in ["yaml", "json", "csv"] {
        let r = c.get(t.url(&format!("/api/v1/frameworks/{id}/export?format={fmt}"))).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), 200);
        let file = r.text().await.unwrap();
        let format = Format::parse(fmt).unwrap();
        assert_eq!(framework::parse(file.as_bytes(), format, &expected.name).unwrap(), expected, "{fmt}");
        let name = urlencode(&expected.name);
        let again: Value = c
            .post(t.url(&format!("/api/v1/frameworks/import?format={fmt}&name={name}")))
            .bearer_auth(&token)
            .body(file.clone())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(again["change"], "unchanged", "{fmt}: {again}");
        let (_, back) = t.app.export_framework(&o.ada, uuid::Uuid::parse_str(&id).unwrap(), None, format).await.unwrap();
        assert_eq!(back, file, "{fmt} export is stable");
    }
    let list: Value = c.get(t.url("/api/v1/frameworks")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["version"], 1);

    // Everyone reads frameworks; only admins import them (others get "not found").
    let ivy = t.token(&o.ivy).await;
    assert_eq!(c.get(t.url(&format!("/api/v1/frameworks/{id}"))).bearer_auth(&ivy).send().await.unwrap().status(), 200);
    let r = c.post(t.url("/api/v1/frameworks/import?format=yaml")).bearer_auth(&ivy).body(EXAMPLE).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // The CSV matrix from a spreadsheet, with a multi-line cell and any Unicode.
    let csv = "area,competency,description,Junior,Senior\nCraft,Code,,\"Writes code\nwith tests\",Designs systems — ünïcødé 🙂\n";
    let out = t.app.import_framework(&o.ada, csv.as_bytes(), Format::Csv, "Sheet", true).await.unwrap();
    assert_eq!(out.change, "created");
    let (v, _) = t.app.framework(&o.ivy, out.framework_id, None).await.unwrap();
    assert_eq!(v.framework.expectation("Code", "Junior"), Some("Writes code\nwith tests"));
    assert_eq!(v.framework.expectation("Code", "Senior"), Some("Designs systems — ünïcødé 🙂"));
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn a_changed_framework_is_a_new_version_and_old_assessments_keep_theirs(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T10:00:00Z"));
    let fid = ivy_at_engineer_one(&t, &o).await;
    let first = t.app.assess(&o.emil, o.ivy.id, "Ownership", "meets", "Shipped the importer").await.unwrap();

    let changed =
        EXAMPLE.replace("Finishes what they start and follows up on their own tasks.", "Sees their own tasks through to the end.");
    t.clock.advance(Duration::days(7));
    let out = t.app.import_framework(&o.ada, changed.as_bytes(), Format::Yaml, "", true).await.unwrap();
    assert_eq!((out.change.as_str(), out.version, out.framework_id), ("new_version", 2, fid));
    let second = t.app.assess(&o.emil, o.ivy.id, "Ownership", "exceeds", "").await.unwrap();
    assert_ne!(first.framework_version_id, second.framework_version_id);

    // The old assessment still points at version 1, which still says what was expected then.
    let (v1, versions) = t.app.framework(&o.ivy, fid, Some(1)).await.unwrap();
    assert_eq!(versions.iter().map(|v| v.0).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(v1.id, first.framework_version_id);
    assert_eq!(v1.framework.expectation("Ownership", "Engineer I"), Some("Finishes what they start and follows up on their own tasks."));
    let g = t.app.growth(&o.ivy, o.ivy.id).await.unwrap();
    assert_eq!(g.framework.as_ref().unwrap().number, 2);
    // A version that renames Ivy's level: her page says so instead of showing nothing.
    let renamed = changed.replace("Engineer I,", "Engineer One,").replace("Engineer I:", "Engineer One:");
    t.app.import_framework(&o.ada, renamed.as_bytes(), Format::Yaml, "", true).await.unwrap();
    let (c, _) = t.signed_in("ivy.coder@example.com").await;
    let page = c.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("is not in the latest version"), "{page}");
    t.app.set_level(&o.emil, o.ivy.id, fid, "Engineer One").await.unwrap();
    let g = t.app.growth(&o.ivy, o.ivy.id).await.unwrap();
    assert_eq!(g.framework.as_ref().unwrap().number, 3);
    let row = g.expectations.iter().find(|e| e.competency == "Ownership").unwrap();
    assert_eq!(row.now, "Sees their own tasks through to the end.");
    assert_eq!(g.assessments.len(), 2, "history is kept");
    assert_eq!(g.assessments[1].framework_version_id, v1.id);
}

async fn bad_files_are_refused_with_line_and_column_and_change_nothing(t: TestApp) {
    let o = an_organisation(&t).await;
    let token = t.token(&o.ada).await;
    let c = plain();
    // (format, name, file, (line, column, field) of a problem it must report)
    type Case = (&'static str, &'static str, Vec<u8>, (u64, u64, &'static str));
    let cases: Vec<Case> = vec![
        // a competency expected at no level (an empty cell alone means "not expected at that
        // level"; empty at every level is a mistake), at its first level's cell
        ("csv", "X", b"area,competency,description,E1,E2\nCraft,Code,,,\nCraft,Tests,,a,b\n".to_vec(), (2, 4, "expectation")),
        // a row with the wrong number of columns
        ("csv", "X", b"area,competency,E1,E2\nCraft,Code,a,b\nCraft,Tests,a\n".to_vec(), (3, 4, "row")),
        // a duplicate competency name
        ("csv", "X", b"area,competency,E1\nCraft,Code,a\nPeople,code,b\n".to_vec(), (3, 2, "competency")),
        // no levels at all
        ("csv", "X", b"area,competency,description\nCraft,Code,\n".to_vec(), (1, 4, "header")),
        // non-UTF-8 bytes
        ("csv", "X", b"area,competency,E1\nCr\xe9ft,Code,a\n".to_vec(), (2, 3, "file")),
        // a level missing from a competency's expectations (YAML)
        (
            "yaml",
            "",
            b"name: Y\ntracks:\n  - name: IC\n    levels: [A, B]\nareas:\n  - name: Craft\n    competencies:\n      - name: Code\n        expectations:\n          A: fine\n".to_vec(),
            (10, 11, "expectation"),
        ),
        // JSON that does not parse
        ("json", "", b"{\n  \"name\": \"Z\",\n  \"tracks\": [\n".to_vec(), (4, 1, "file")),
    ];
    for (fmt, name, body, (line, column, field)) in cases {
        let r = c
            .post(t.url(&format!("/api/v1/frameworks/import?format={fmt}&name={name}")))
            .bearer_auth(&token)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let e: Value = r.json().await.unwrap();
        let fields = e["error"]["fields"].as_array().unwrap();
        assert!(
            fields.iter().any(|f| f["line"] == line && f["column"] == column && f["field"] == field),
            "{fmt}: expected {field} at {line}:{column}, got {e}"
        );
    }
    // Too large: refused before anything is read, with a place.
    let mut big = b"area,competency,E1\n".to_vec();
    while big.len() <= framework::MAX_BYTES {
        big.extend_from_slice(b"Craft,Competency,expected\n");
    }
    let err = t.app.import_framework(&o.ada, &big, Format::Csv, "Big", true).await.unwrap_err();
    match err {
        AppError::Invalid(i) => assert!(i.0[0].message.contains("limit") && i.0[0].line.is_some()),
        other => panic!("{other:?}"),
    }
    // A CSV matrix needs a name.
    assert!(matches!(
        t.app.import_framework(&o.ada, b"area,competency,E1\nA,B,c\n", Format::Csv, " ", true).await,
        Err(AppError::Invalid(_))
    ));
    assert!(t.app.frameworks(&o.ada).await.unwrap().is_empty(), "nothing was imported");
}

async fn readiness_follows_the_managers_latest_view_against_the_next_level(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T10:00:00Z"));
    ivy_at_engineer_one(&t, &o).await;
    let g = t.app.growth(&o.emil, o.ivy.id).await.unwrap();
    let r = g.readiness.unwrap();
    assert_eq!((r.current_level.as_str(), r.next_level.as_str(), r.met, r.total), ("Engineer I", "Engineer II", 0, 6));

    // Day 1: exceeding Engineer I in two competencies counts as working at Engineer II.
    t.app.assess(&o.emil, o.ivy.id, "Building software", "exceeds", "Led the importer").await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Communication", "exceeds", "Wrote the design doc").await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Ownership", "meets", "").await.unwrap();
    // Her own view does not count towards readiness.
    t.app.assess(&o.ivy, o.ivy.id, "Judgement", "exceeds", "").await.unwrap();
    // Day 8: a later, lower view of one competency replaces the earlier one.
    t.clock.advance(Duration::days(7));
    t.app.assess(&o.emil, o.ivy.id, "Communication", "meets", "Missed the update to the team").await.unwrap();

    for who in [&o.emil, &o.ivy] {
        let g = t.app.growth(who, o.ivy.id).await.unwrap();
        let r = g.readiness.unwrap();
        assert_eq!(r.met, 1, "manager and teammate see the same picture");
        let b = r.competencies.iter().find(|c| c.competency == "Building software").unwrap();
        assert!(b.met);
        assert_eq!(b.evidence, "Led the importer");
        assert_eq!(b.assessed_at.unwrap().date_naive(), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert!(!r.competencies.iter().find(|c| c.competency == "Judgement").unwrap().met);
        let history: Vec<(String, usize)> = g.history.iter().map(|p| (p.date.to_string(), p.met)).collect();
        assert_eq!(history, vec![("2026-03-02".to_string(), 2), ("2026-03-09".to_string(), 1)]);
    }
    // The top of a track has no next level.
    let fid = t.app.growth(&o.emil, o.ivy.id).await.unwrap().level.unwrap().framework_id;
    t.app.set_level(&o.emil, o.ivy.id, fid, "Staff engineer").await.unwrap();
    assert!(t.app.growth(&o.emil, o.ivy.id).await.unwrap().readiness.is_none());
}

async fn growth_records_follow_the_privacy_table(t: TestApp) {
    let o = an_organisation(&t).await;
    let fid = ivy_at_engineer_one(&t, &o).await;
    t.app.assess(&o.emil, o.ivy.id, "Ownership", "meets", "evidence").await.unwrap();
    let c = plain();
    let ivy_id = o.ivy.id;
    let growth = |who: Person| {
        let (t, c) = (&t, c.clone());
        async move {
            let token = t.token(&who).await;
            let r = c.get(t.url(&format!("/api/v1/people/{ivy_id}/growth"))).bearer_auth(&token).send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let missing = {
        let token = t.token(&o.otto).await;
        let r = c.get(t.url(&format!("/api/v1/people/{}/growth", uuid::Uuid::now_v7()))).bearer_auth(&token).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(missing.0, 404);
    // The teammate and the manager: yes. Skip-level, an unrelated person, the admin: no, and
    // the answer is exactly a missing record's.
    assert_eq!(growth(o.ivy.clone()).await.0, 200);
    assert_eq!(growth(o.emil.clone()).await.0, 200);
    for who in [&o.vera, &o.otto, &o.ada] {
        assert_eq!(growth(who.clone()).await, missing, "{} must not see Ivy's growth", who.name);
    }
    // Only the manager shares; once shared, the skip-level leader reads, read-only.
    assert!(matches!(t.app.set_growth_shared(&o.ivy, o.ivy.id, true).await, Err(AppError::NotFound)));
    assert!(matches!(t.app.set_growth_shared(&o.vera, o.ivy.id, true).await, Err(AppError::NotFound)));
    t.app.set_growth_shared(&o.emil, o.ivy.id, true).await.unwrap();
    let (status, body) = growth(o.vera.clone()).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"shared_with_skip_level\":true"));
    assert!(matches!(t.app.add_strength(&o.vera, o.ivy.id, "Focus", "", "").await, Err(AppError::NotFound)));
    assert!(matches!(t.app.assess(&o.vera, o.ivy.id, "Ownership", "below", "").await, Err(AppError::NotFound)));
    assert_eq!(growth(o.otto.clone()).await, missing, "sharing reaches the leaders above, no one else");
    t.app.set_growth_shared(&o.emil, o.ivy.id, false).await.unwrap();
    assert_eq!(growth(o.vera.clone()).await, missing);

    // Assessing someone you do not manage is refused like "not found", on every path.
    let vera = t.token(&o.vera).await;
    let body = json!({"competency": "Ownership", "rating": "below"});
    let r = c.post(t.url(&format!("/api/v1/people/{}/assessments", o.ivy.id))).bearer_auth(&vera).json(&body).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.text().await.unwrap()), missing);
    let otto = t.token(&o.otto).await;
    let r = c.post(t.url(&format!("/api/v1/people/{}/assessments", o.ivy.id))).bearer_auth(&otto).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 404);
    // Ivy records a self-assessment; Emil records the manager's; each is labelled as such.
    let ivy = t.token(&o.ivy).await;
    let r = c.post(t.url(&format!("/api/v1/people/{}/assessments", o.ivy.id))).bearer_auth(&ivy).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(r.json::<Value>().await.unwrap()["kind"], "self");
    // Only the manager (or an admin) sets a level; Ivy cannot promote herself.
    let r = c
        .put(t.url(&format!("/api/v1/people/{}/level", o.ivy.id)))
        .bearer_auth(&ivy)
        .json(&json!({"framework_id": fid, "level": "Staff engineer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(t.app.growth(&o.ivy, o.ivy.id).await.unwrap().level.unwrap().level, "Engineer I");
    // Pages answer the same way.
    let (browser, _) = t.signed_in("otto.other@example.com").await;
    assert_eq!(browser.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().status(), 404);
}

async fn differing_views_become_a_topic_in_the_next_one_on_one(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    ivy_at_engineer_one(&t, &o).await;
    t.app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: o.ivy.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 3).unwrap(),
                time: "10:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    t.app.assess(&o.ivy, o.ivy.id, "Communication", "exceeds", "").await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Communication", "meets", "").await.unwrap();
    t.app.assess(&o.ivy, o.ivy.id, "Ownership", "meets", "").await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Ownership", "meets", "").await.unwrap();
    for who in [&o.ivy, &o.emil] {
        let d = t.app.growth(who, o.ivy.id).await.unwrap().differences;
        assert_eq!(d.iter().map(|d| d.competency.as_str()).collect::<Vec<_>>(), vec!["Communication"], "both see it");
    }
    let meeting = t.app.discuss_difference(&o.ivy, o.ivy.id, "Communication").await.unwrap();
    // Evidence can point at one of the pair's 1:1s (its notes and actions), not at anyone else's.
    let a = t.app.assess(&o.emil, o.ivy.id, "Judgement", "meets", &format!("See http://x/meetings/{meeting} on priorities")).await.unwrap();
    assert_eq!(a.evidence_meeting_id, Some(meeting));
    let r = t.app.assess(&o.emil, o.ivy.id, "Judgement", "meets", &format!("/meetings/{}", uuid::Uuid::now_v7())).await;
    assert!(matches!(r, Err(AppError::Invalid(_))), "{r:?}");
    let v = t.app.meeting_view(&o.emil, meeting).await.unwrap();
    assert!(v.points.iter().any(|p| p.body.contains("Communication") && p.author_id == o.ivy.id), "the topic is on the agenda");
    // A competency where the views agree is no topic.
    assert!(matches!(t.app.discuss_difference(&o.ivy, o.ivy.id, "Ownership").await, Err(AppError::NotFound)));
}

async fn plans_record_steps_progress_and_overdue_steps(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let emil = t.token(&o.emil).await;
    let c = plain();
    let r = c
        .post(t.url(&format!("/api/v1/people/{}/plans", o.ivy.id)))
        .bearer_auth(&emil)
        .json(&json!({"kind": "promotion", "title": "Towards Engineer II", "goals": "Own a feature end to end"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let plan = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_string();
    let step = |body: &str, owner: &Person, due: &str| json!({"body": body, "owner_id": owner.id, "due_date": due});
    for (b, owner, due) in [("Write the design", &o.ivy, "2026-03-05"), ("Review it together", &o.emil, "2026-03-20")] {
        let r = c.post(t.url(&format!("/api/v1/plans/{plan}/steps"))).bearer_auth(&emil).json(&step(b, owner, due)).send().await.unwrap();
        assert_eq!(r.status(), 201);
    }
    // Someone outside the pair cannot own a step; a bad date is refused; nothing is added.
    let r = c
        .post(t.url(&format!("/api/v1/plans/{plan}/steps")))
        .bearer_auth(&emil)
        .json(&step("x", &o.otto, "2026-03-05"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let r =
        c.post(t.url(&format!("/api/v1/plans/{plan}/steps"))).bearer_auth(&emil).json(&step("x", &o.ivy, "5 March")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let otto = t.token(&o.otto).await;
    let r = c.post(t.url(&format!("/api/v1/plans/{plan}/steps"))).bearer_auth(&otto).json(&step("x", &o.ivy, "")).send().await.unwrap();
    assert_eq!(r.status(), 404);

    let ivy = t.token(&o.ivy).await;
    let r = c
        .post(t.url(&format!("/api/v1/plans/{plan}/updates")))
        .bearer_auth(&ivy)
        .json(&json!({"progress": "Draft done", "obstacles": "Waiting on a review", "next_steps": "Book the review"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    t.clock.set(at("2026-03-10T08:00:00Z"));
    let overdue = t.app.overdue_steps(&o.emil, o.ivy.id).await.unwrap();
    assert_eq!(overdue.iter().map(|(_, s)| s.body.as_str()).collect::<Vec<_>>(), vec!["Write the design"]);
    // The prep view of their next 1:1 lists it.
    t.app
        .create_series(
            &o.emil,
            SeriesInput {
                teammate_id: o.ivy.id,
                kind: SeriesKind::Regular,
                cadence: Cadence::Weekly,
                first_date: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
                time: "10:00".into(),
                timezone: "UTC".into(),
                duration_minutes: 30,
            },
        )
        .await
        .unwrap();
    let meeting = t.app.upcoming_meetings(&o.emil, 1).await.unwrap()[0].meeting.id;
    let (browser, _) = t.signed_in("emil.manager@example.com").await;
    let prep = browser.get(t.url(&format!("/meetings/{meeting}/prep"))).send().await.unwrap().text().await.unwrap();
    assert!(prep.contains("Write the design") && prep.contains("Towards Engineer II"), "overdue plan steps appear in the prep view");
    let g: Value =
        c.get(t.url(&format!("/api/v1/people/{}/growth", o.ivy.id))).bearer_auth(&ivy).send().await.unwrap().json().await.unwrap();
    let p = &g["plans"][0];
    assert_eq!(p["kind"], "promotion");
    assert_eq!(p["steps"].as_array().unwrap().len(), 2);
    assert_eq!(p["steps"][0]["overdue"], true);
    assert_eq!(p["updates"][0]["obstacles"], "Waiting on a review");
    let step_id = p["steps"][0]["id"].as_str().unwrap();
    let r = c.put(t.url(&format!("/api/v1/steps/{step_id}/done"))).bearer_auth(&ivy).json(&json!({"done": true})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert!(t.app.overdue_steps(&o.emil, o.ivy.id).await.unwrap().is_empty());
    assert!(matches!(t.app.overdue_steps(&o.otto, o.ivy.id).await, Err(AppError::NotFound)));
}

/// A spreadsheet that leaves a competency's cell empty where a level does not expect it is
/// imported as it is; the growth page and readiness say "not expected", and the framework
/// exports and re-imports unchanged.
async fn a_framework_with_empty_cells_says_not_expected_and_readiness_leaves_them_out(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let csv = "area,competency,Engineer,Senior,Lead\nCraft,Code,Writes it,Designs it,Sets direction\nPeople,Leadership,,,Leads a team\n";
    let out = t.app.import_framework(&o.ada, csv.as_bytes(), Format::Csv, "Ladder", true).await.unwrap();
    t.app.set_level(&o.emil, o.ivy.id, out.framework_id, "Engineer").await.unwrap();
    t.app.assess(&o.emil, o.ivy.id, "Code", "exceeds", "Shipped the importer").await.unwrap();
    let (c, _) = t.signed_in("emil.manager@example.com").await;
    let page = c.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Not expected at this level."), "now and next of Leadership");
    assert!(page.contains("1 of 1 competencies met (1 not expected at Senior)"), "{page}");
    assert!(page.contains("Not expected at Senior"));
    let r = t.app.growth(&o.emil, o.ivy.id).await.unwrap().readiness.unwrap();
    assert_eq!((r.met, r.total), (1, 1));
    let exported = c
        .get(t.url(&format!("/api/v1/frameworks/{}/export?format=csv", out.framework_id)))
        .bearer_auth(t.token(&o.ada).await)
        .send()
        .await
        .unwrap();
    assert_eq!(exported.status(), 200);
    let again = t.app.import_framework(&o.ada, exported.text().await.unwrap().as_bytes(), Format::Csv, "Ladder", true).await.unwrap();
    assert_eq!(again.change, "unchanged", "an empty cell round-trips");
}

async fn the_growth_page_shows_now_and_next_side_by_side_with_a_chart(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T08:00:00Z"));
    ivy_at_engineer_one(&t, &o).await;
    t.app.assess(&o.emil, o.ivy.id, "Building software", "exceeds", "Led the importer").await.unwrap();
    let (c, csrf) = t.signed_in("emil.manager@example.com").await;
    let page = c.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Delivers well-defined tasks with guidance"), "now: Engineer I");
    assert!(page.contains("Delivers features on their own"), "next: Engineer II");
    assert!(page.contains("Readiness for Engineer II") && page.contains("1 of 6 competencies met"));
    assert!(page.contains("<svg class=\"chart\""));
    // Assess through the form; the page shows it.
    let r = c
        .post(t.url(&format!("/people/{}/assessments", o.ivy.id)))
        .form(&[("_csrf", csrf.as_str()), ("competency", "Ownership"), ("rating", "exceeds"), ("evidence", "Ran the migration")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = c.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("2 of 6 competencies met") && page.contains("Ran the migration"));
    // A bad rating re-renders with the reason and saves nothing.
    let r = c
        .post(t.url(&format!("/people/{}/assessments", o.ivy.id)))
        .form(&[("_csrf", csrf.as_str()), ("competency", "Ownership"), ("rating", "stellar")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(t.app.growth(&o.emil, o.ivy.id).await.unwrap().assessments.len(), 2);
}

async fn the_import_page_previews_an_uploaded_file_then_imports_it(t: TestApp) {
    let o = an_organisation(&t).await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let csv = "track,,,IC,\r\narea,competency,description,Junior,Senior\r\nCraft,Code,,\"Writes\r\ncode\",Designs\r\n";
    let upload = |csrf: &str, mode: &str| {
        reqwest::multipart::Form::new()
            .text("_csrf", csrf.to_string())
            .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("Eng ladder.csv"))
            .text("format", "yaml")
            .text("name", "")
            .text("mode", mode.to_string())
    };
    let r = c.post(t.url("/frameworks/import")).multipart(upload(&csrf, "check")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("Importing will create “Eng ladder”"), "format and name come from the file name");
    assert!(page.contains("class=\"matrix\"") && page.contains("Designs"));
    assert!(t.app.frameworks(&o.ada).await.unwrap().is_empty(), "checking imports nothing");
    let r = c.post(t.url("/frameworks/import")).multipart(upload(&csrf, "import")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let page = c.get(t.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Eng ladder") && page.contains("Version 1"));
    let id = t.app.frameworks(&o.ada).await.unwrap()[0].id;
    let r = c.get(t.url(&format!("/frameworks/{id}/export?format=csv"))).send().await.unwrap();
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("eng-ladder-v1.csv"));
    assert_eq!(
        r.text().await.unwrap(),
        "name,Eng ladder,,,\r\ntrack,,,IC,\r\narea,competency,description,Junior,Senior\r\nCraft,Code,,\"Writes\ncode\",Designs\r\n"
    );
    // Someone who is not an admin gets "not found", and nothing changes.
    let (ivy, ivy_csrf) = t.signed_in("ivy.coder@example.com").await;
    let r = ivy.post(t.url("/frameworks/import")).multipart(upload(&ivy_csrf, "import")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(ivy.get(t.url("/frameworks/import")).send().await.unwrap().status(), 404);
    assert_eq!(ivy.get(t.url(&format!("/frameworks/{id}"))).send().await.unwrap().status(), 200, "everyone reads frameworks");
    assert_eq!(t.app.frameworks(&o.ada).await.unwrap().len(), 1);
}

/// An independent JSON Schema validator (Python's `jsonschema`, installed by `scripts/test`)
/// judges the schema against the example and against what rapport exports, and agrees with
/// rapport on files it must refuse.
#[test]
fn an_independent_validator_accepts_our_exports_and_the_example_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let example = framework::parse(EXAMPLE.as_bytes(), Format::Yaml, "").unwrap();
    let unicode = framework::parse(
        "area,competency,description,Débutant,上級\nCraft,\"Code, \"\"clean\"\"\",\"two\nlines\",🙂 emoji,\"tab\there\"\n".as_bytes(),
        Format::Csv,
        "Ünïcødé: a \\ backslash",
    )
    .unwrap();
    let mut good = vec![("example.yaml".to_string(), EXAMPLE.to_string())];
    for (i, f) in [example, unicode].iter().enumerate() {
        good.push((format!("f{i}.yaml"), framework::export(f, Format::Yaml)));
        good.push((format!("f{i}.json"), framework::export(f, Format::Json)));
    }
    let bad = vec![
        ("no-name.yaml", "tracks: [{name: IC, levels: [A]}]\nareas: [{name: C, competencies: [{name: X, expectations: {A: x}}]}]\n"),
        (
            "empty-expectation.yaml",
            "name: F\ntracks: [{name: IC, levels: [A]}]\nareas: [{name: C, competencies: [{name: X, expectations: {A: '  '}}]}]\n",
        ),
        (
            "unknown-key.yaml",
            "name: F\ncolour: red\ntracks: [{name: IC, levels: [A]}]\nareas: [{name: C, competencies: [{name: X, expectations: {A: x}}]}]\n",
        ),
        (
            "no-levels.yaml",
            "name: F\ntracks: [{name: IC, levels: []}]\nareas: [{name: C, competencies: [{name: X, expectations: {A: x}}]}]\n",
        ),
    ];
    for (name, text) in &good {
        std::fs::write(dir.path().join(format!("good-{name}")), text).unwrap();
    }
    for (name, text) in &bad {
        assert!(framework::parse(text.as_bytes(), Format::Yaml, "").is_err(), "rapport refuses {name}");
        std::fs::write(dir.path().join(format!("bad-{name}")), text).unwrap();
    }
    let script = r#"
import json, sys, pathlib, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
out = []
for p in sorted(pathlib.Path(sys.argv[2]).iterdir()):
    doc = json.load(open(p)) if p.suffix == ".json" else yaml.safe_load(open(p))
    out.append(f"{p.name} {'valid' if v.is_valid(doc) else 'invalid'}")
print("\n".join(out))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg("frameworks/framework.schema.json")
        .arg(dir.path())
        .output()
        .expect("python3 runs (scripts/test installs python3-jsonschema and python3-yaml)");
    assert!(out.status.success(), "the validator failed: {}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8(out.stdout).unwrap();
    for line in report.lines() {
        let expected = if line.starts_with("good-") { "valid" } else { "invalid" };
        assert!(line.ends_with(&format!(" {expected}")), "{line}\n{report}");
    }
    assert_eq!(report.lines().count(), good.len() + bad.len());
}

async fn the_demo_organisation_has_growth_records_with_a_history(t: TestApp) {
    rapport::demo::generate(&t.app, rapport::demo::DemoOptions { progress: false, ..Default::default() }).await.unwrap();
    // On PostgreSQL the load ends with fresh statistics (a table never analysed has -1 rows).
    if let rapport::store::Db::Postgres(p) = &t.app.db {
        let rows: f32 = sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'meeting'::regclass").fetch_one(p).await.unwrap();
        assert!(rows > 0.0, "meeting has {rows} rows by its statistics");
    }
    let mut checked = 0;
    for (_, email) in rapport::demo::small_demo_sign_ins() {
        let p = rapport::store::people::get_by_email(&t.app.db, &email).await.unwrap().unwrap();
        let Some(m) = p.manager_id else { continue };
        let manager = rapport::store::people::get(&t.app.db, m).await.unwrap().unwrap();
        let g = t.app.growth(&manager, p.id).await.unwrap();
        assert!(g.level.is_some() && !g.expectations.is_empty());
        if g.readiness.is_some() {
            assert!(g.history.len() >= 3, "readiness has a history: {:?}", g.history);
        }
        assert!(g.plans[0].steps.iter().any(|s| s.overdue));
        checked += 1;
    }
    assert!(checked >= 2);
}

#[test]
fn the_command_line_imports_checks_and_exports_frameworks() {
    let dir = tempfile::tempdir().unwrap();
    admin_ada_on_the_command_line(dir.path());
    let bad = dir.path().join("ladder.csv");
    // Tests is expected at no level (one empty cell alone would mean "not expected there").
    std::fs::write(&bad, "area,competency,Junior,Senior\nCraft,Code,a,b\nCraft,Tests,,\n").unwrap();
    let out = rapport_cli(dir.path()).args(["framework", "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Nothing was imported") && err.contains("ladder.csv:line 3, column 3 (expectation)"), "{err}");

    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/example.yaml");
    let out = rapport_cli(dir.path()).args(["framework", "import", "--dry-run"]).arg(&example).output().unwrap();
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success() && said.contains("would create") && said.contains("Nothing was changed"), "{said}");
    let out = rapport_cli(dir.path()).args(["framework", "list"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().is_empty(), "a dry run changes nothing");
    let out = rapport_cli(dir.path()).args(["framework", "import"]).arg(&example).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("as version 1"));

    for fmt in ["yaml", "json", "csv"] {
        let out = rapport_cli(dir.path()).args(["framework", "export", "--format", fmt]).output().unwrap();
        assert!(out.status.success());
        let file = dir.path().join(format!("out.{fmt}"));
        std::fs::write(&file, &out.stdout).unwrap();
        let again =
            rapport_cli(dir.path()).args(["framework", "import", "--name", "Example engineering framework"]).arg(&file).output().unwrap();
        let said = String::from_utf8(again.stdout).unwrap();
        assert!(said.contains("the same as version 1"), "{fmt}: {said}");
    }
    let out = rapport_cli(dir.path()).args(["framework", "list"]).output().unwrap();
    assert!(
        String::from_utf8(out.stdout).unwrap().starts_with("framework\tversion\tupdated\tstate\nExample engineering framework\tversion 1")
    );
}

/// The small demo gives the guidance pages something to show: the manager's about page on the
/// demo teammate (with the birthday suggestion in prep), a setback, both "how to work with me"
/// pages shared, the director's talking point on every pair's next agenda, and a program started.
async fn the_demo_organisation_shows_the_guidance_pages(t: TestApp) {
    rapport::demo::generate(&t.app, rapport::demo::DemoOptions { progress: false, ..Default::default() }).await.unwrap();
    let by = |i: usize| {
        let email = rapport::demo::small_demo_sign_ins()[i].1.clone();
        let db = t.app.db.clone();
        async move { rapport::store::people::get_by_email(&db, &email).await.unwrap().unwrap() }
    };
    let (aiko, mei) = (by(1).await, by(2).await);
    let (_, about) = t.app.about_page(&aiko, mei.id).await.unwrap();
    assert_eq!(about.dates.len(), 1);
    let pair = t.app.my_series(&aiko).await.unwrap().into_iter().find(|s| s.other.id == mei.id).unwrap();
    let next = t.app.next_meeting_of(&aiko, pair.series.id).await.unwrap();
    let prep = t.app.prep_guidance(&aiko, next).await.unwrap();
    assert!(prep.suggestions.iter().any(|s| s.reason.starts_with("Birthday is on")), "{:?}", prep.suggestions);
    let view = t.app.meeting_view(&mei, next).await.unwrap();
    assert!(view.points.iter().any(|p| p.body.contains("fewer, better launches")), "the director's talking point");
    assert_eq!(t.app.setbacks(&aiko, mei.id).await.unwrap().1.len(), 1);
    assert!(t.app.work_with_me(&aiko, mei.id).await.unwrap().shared_at.is_some());
    assert!(t.app.work_with_me(&mei, aiko.id).await.unwrap().shared_at.is_some());
    let started: Vec<_> = t.app.my_programs(&aiko).await.unwrap().into_iter().filter(|p| p.progress.is_some()).collect();
    assert_eq!(started.len(), 1, "one pair runs the first ten 1:1s");
    assert_ne!(started[0].other.id, mei.id);
}
