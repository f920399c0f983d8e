//! Meeting templates with placeholders, and templates as files: import (all or nothing, every
//! problem located, unknown placeholders named) and export, through the app, the API, the page
//! and the command line.

use crate::on_both;
use crate::support::{TestApp, an_organisation, at, csrf_in, weekly_one_on_ones};
use chrono::NaiveDate;
use rapport::app::AppError;
use rapport::domain::template_files::TemplateFormat;
use serde_json::Value;

on_both!(
    placeholders_are_filled_when_applied_and_unknown_ones_refused,
    template_files_import_all_or_nothing_and_export_back,
    the_templates_page_imports_and_shows_each_problem,
);

async fn own_count(t: &TestApp, p: &rapport::domain::Person) -> usize {
    t.app.templates(p).await.unwrap().iter().filter(|x| x.key.starts_with("own:")).count()
}

async fn placeholders_are_filled_when_applied_and_unknown_ones_refused(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    let meeting = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    let mine =
        t.app.create_template(&o.emil, "Named", "", "[relationship] {teammate}, what should {manager} know before {date}?").await.unwrap();
    let added = t.app.apply_template(&o.emil, &mine.key, meeting).await.unwrap();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].body, "Ivy, what should Emil know before Tuesday 3 March?");
    // Applied again: the filled prompt is already there, so nothing is added twice.
    assert!(t.app.apply_template(&o.emil, &mine.key, meeting).await.unwrap().is_empty());

    // A typo in a placeholder is refused, named, with its line and column; nothing is saved.
    let before = own_count(&t, &o.emil).await;
    let Err(AppError::Invalid(i)) = t.app.create_template(&o.emil, "Typo", "", "How are you?\nAnd {teamate}?").await else {
        panic!("an unknown placeholder must be refused")
    };
    assert_eq!(i.0.len(), 1, "{:?}", i.0);
    assert!(i.0[0].message.contains("{teamate}") && i.0[0].message.contains("{teammate}"), "{}", i.0[0].message);
    assert_eq!((i.0[0].line, i.0[0].column), (Some(2), Some(5)));
    assert_eq!(own_count(&t, &o.emil).await, before);

    // Through the API too: 422 with the placeholder named.
    let token = t.token(&o.emil).await;
    let r = crate::support::plain()
        .post(t.url("/api/v1/templates"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "Typo", "prompts": "Hi {boss}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("{boss}"), "{body}");
}

async fn template_files_import_all_or_nothing_and_export_back(t: TestApp) {
    let o = an_organisation(&t).await;
    let token = t.token(&o.emil).await;
    let c = crate::support::plain();
    let import = |format: &'static str, dry: bool, body: &'static str| {
        c.post(t.url(&format!("/api/v1/templates/import?format={format}&dry_run={dry}"))).bearer_auth(&token).body(body).send()
    };

    // One bad line among good ones: every problem located, nothing added.
    let bad =
        "# Quarter start\n- [strategy] What did you hear about the priorities?\n- [strategy, moods] Hi {teamate}\n\n# Second\n- Fine\n";
    let r = import("md", false, bad).await.unwrap();
    assert_eq!(r.status(), 422);
    let v: Value = r.json().await.unwrap();
    let fields = v["error"]["fields"].as_array().unwrap_or_else(|| panic!("{v}"));
    let places: Vec<(u64, u64)> = fields.iter().map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())).collect();
    assert_eq!(places, vec![(3, 14), (3, 24)], "{v}");
    assert!(fields[1]["message"].as_str().unwrap().contains("{teamate}"));
    assert_eq!(own_count(&t, &o.emil).await, 0);

    // A dry run checks and adds nothing; the real import adds them all.
    let good = "# Quarter start\nWhat the quarter asks of us.\n- [strategy] What did you hear about {manager}'s priorities?\n- What worries you, {teammate}?\n\n# Second\n- Fine\n";
    let r = import("md", true, good).await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["templates"], serde_json::json!(["Quarter start", "Second"]));
    assert_eq!(own_count(&t, &o.emil).await, 0);
    assert_eq!(import("md", false, good).await.unwrap().status(), 200);
    assert_eq!(own_count(&t, &o.emil).await, 2);
    // The same names again are refused: nothing is doubled.
    assert_eq!(import("md", false, good).await.unwrap().status(), 422);
    assert_eq!(own_count(&t, &o.emil).await, 2);

    // Export as TOML, and the file imports back for someone else, the same.
    let text = c.get(t.url("/api/v1/templates/export?format=toml")).bearer_auth(&token).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("name = \"Quarter start\"") && text.contains("{manager}"), "{text}");
    let names = t.app.import_own_templates(&o.vera, text.as_bytes(), TemplateFormat::Toml, true).await.unwrap();
    assert_eq!(names, vec!["Quarter start".to_string(), "Second".to_string()]);
    let strip = |ts: Vec<rapport::domain::guidance::Template>| {
        ts.into_iter().filter(|x| x.key.starts_with("own:")).map(|mut x| (x.key.clear(), x).1).collect::<Vec<_>>()
    };
    let (vera, emil) = (t.app.templates(&o.vera).await.unwrap(), t.app.templates(&o.emil).await.unwrap());
    assert_eq!(strip(vera), strip(emil));
    // Another person's export holds only their own templates.
    let ivy = t.token(&o.ivy).await;
    let text = c.get(t.url("/api/v1/templates/export?format=md")).bearer_auth(&ivy).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("Quarter start"), "{text}");
    // A format rapport does not know.
    assert_eq!(import("yaml", false, good).await.unwrap().status(), 422);
}

async fn the_templates_page_imports_and_shows_each_problem(t: TestApp) {
    let o = an_organisation(&t).await;
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url("/templates")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Import and export your templates") && html.contains("{teammate}"));
    let csrf = csrf_in(&html);
    let bad = "[[template]]\nname = \"Mine\"\n\n[[template.prompt]]\ntext = \"Hello {boss}\"\n";
    let r =
        c.post(t.url("/templates/import")).form(&[("_csrf", csrf.as_str()), ("format", "toml"), ("file_text", bad)]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nothing was imported"), "{html}");
    assert!(html.contains("Line 5, column 15: {boss} is not a placeholder"), "{html}");
    assert_eq!(own_count(&t, &o.emil).await, 0);
    let good = bad.replace("{boss}", "{teammate}");
    let r = c
        .post(t.url("/templates/import"))
        .form(&[("_csrf", csrf.as_str()), ("format", "toml"), ("file_text", good.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, "/templates?imported=1#io-h");
    let html = c.get(t.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Imported 1 template.") && html.contains("Hello {teammate}"), "{html}");
    let md = c.get(t.url("/templates/export?format=md")).send().await.unwrap().text().await.unwrap();
    assert_eq!(md, "# Mine\n- Hello {teammate}\n");
}
