//! Guidance on both databases: the question bank (ours, counts and purposes; one's own;
//! favourites; the memory of what a pair used), import with located problems that change
//! nothing, export, and templates that fill an agenda.

use crate::on_both;
use crate::support::{TestApp, an_organisation, at, csrf_in, weekly_one_on_ones};
use chrono::{Duration, NaiveDate};
use rapport::app::AppError;
use rapport::app::guidance::BankFilter;
use rapport::domain::guidance::{Purpose, QuestionFormat};

on_both!(
    the_bank_offers_our_questions_for_every_purpose,
    own_questions_and_favourites_belong_to_their_author,
    a_question_added_to_the_next_one_on_one_is_remembered_and_ranked_lower,
    imports_report_line_and_column_and_change_nothing,
    templates_fill_the_agenda_with_their_prompts,
    the_question_bank_page_adds_to_the_next_one_on_one,
    the_api_serves_the_bank_imports_with_places_and_applies_templates,
    prep_suggestions_give_their_reasons_from_the_pairs_history,
    the_same_question_added_twice_at_once_is_kept_once_and_never_a_server_error,
    own_questions_our_bank_already_has_are_skipped_and_said_so,
);

async fn the_bank_offers_our_questions_for_every_purpose(t: TestApp) {
    let o = an_organisation(&t).await;
    let all = t.app.question_bank(&o.ivy, &BankFilter::default()).await.unwrap();
    assert!(all.len() >= 350, "{} questions", all.len());
    let keys: std::collections::HashSet<_> = all.iter().map(|q| q.key.clone()).collect();
    assert_eq!(keys.len(), all.len(), "keys are unique");
    for p in Purpose::ALL {
        let f = BankFilter { purpose: Some(p), ..Default::default() };
        let n = t.app.question_bank(&o.ivy, &f).await.unwrap();
        assert!(n.len() >= 20, "{p:?}: {}", n.len());
        assert!(n.iter().all(|q| q.purposes.contains(&p)));
    }
    let f = BankFilter { q: "REALLY".into(), ..Default::default() };
    let found = t.app.question_bank(&o.ivy, &f).await.unwrap();
    assert!(found.iter().any(|q| q.text == "How are you, really?"));
    assert!(found.iter().all(|q| q.text.to_lowercase().contains("really")));
}

async fn own_questions_and_favourites_belong_to_their_author(t: TestApp) {
    let o = an_organisation(&t).await;
    let mine =
        t.app.add_own_question(&o.emil, "  What would make Mondays lighter?  ", &["wellbeing".into(), "plans".into()]).await.unwrap();
    assert_eq!(mine.text, "What would make Mondays lighter?");
    assert_eq!(mine.purposes, vec![Purpose::Wellbeing, Purpose::Plans]);
    // The same question twice, no purpose, or a purpose we do not know: refused, field by field.
    let again = t.app.add_own_question(&o.emil, "what would make mondays lighter?", &["plans".into()]).await.unwrap_err();
    assert!(matches!(again, AppError::Invalid(ref i) if i.message_for("text").is_some()), "{again:?}");
    let bad = t.app.add_own_question(&o.emil, "", &["fun".into()]).await.unwrap_err();
    let AppError::Invalid(i) = bad else { panic!() };
    assert!(i.message_for("text").is_some() && i.message_for("purposes").is_some());

    let key = format!("own:{}", mine.id);
    t.app.set_favourite(&o.emil, &key, true).await.unwrap();
    t.app.set_favourite(&o.emil, "wellbeing-01", true).await.unwrap();
    t.app.set_favourite(&o.emil, "wellbeing-01", true).await.unwrap(); // twice is once
    let favs = t.app.question_bank(&o.emil, &BankFilter { favourites_only: true, ..Default::default() }).await.unwrap();
    let mut keys: Vec<_> = favs.iter().map(|q| q.key.clone()).collect();
    keys.sort();
    assert_eq!(keys, vec![key.clone(), "wellbeing-01".to_string()]);
    t.app.set_favourite(&o.emil, "wellbeing-01", false).await.unwrap();
    assert_eq!(t.app.question_bank(&o.emil, &BankFilter { favourites_only: true, ..Default::default() }).await.unwrap().len(), 1);
    assert!(matches!(t.app.set_favourite(&o.emil, "no-such-question", true).await, Err(AppError::NotFound)));

    // Nobody else sees, favourites, uses or deletes Emil's question: not even his manager or an admin.
    for other in [&o.ivy, &o.vera, &o.ada, &o.otto] {
        let bank = t.app.question_bank(other, &BankFilter::default()).await.unwrap();
        assert!(!bank.iter().any(|q| q.key == key || q.favourite), "{}", other.name);
        assert!(matches!(t.app.set_favourite(other, &key, true).await, Err(AppError::NotFound)));
        assert!(matches!(t.app.delete_own_question(other, mine.id).await, Err(AppError::NotFound)));
    }
    t.app.delete_own_question(&o.emil, mine.id).await.unwrap();
    assert!(!t.app.question_bank(&o.emil, &BankFilter::default()).await.unwrap().iter().any(|q| q.own));
}

async fn a_question_added_to_the_next_one_on_one_is_remembered_and_ranked_lower(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    let f = BankFilter { series_id: Some(series), ..Default::default() };
    let before = t.app.question_bank(&o.emil, &f).await.unwrap();
    let key = before[0].key.clone();
    assert!(before.iter().all(|q| q.used_at.is_none()));

    let (meeting, point) = t.app.use_question_next(&o.emil, &key, series).await.unwrap();
    let view = t.app.meeting_view(&o.ivy, meeting).await.unwrap();
    assert_eq!(view.meeting.starts_at, at("2026-03-03T10:00:00Z"), "the next 1:1");
    assert!(view.points.iter().any(|p| p.id == point.id && p.body == before[0].text && p.author_id == o.emil.id));

    // Marked as used with this pair, and ranked after every question not used yet.
    let after = t.app.question_bank(&o.emil, &f).await.unwrap();
    assert_eq!(after.last().unwrap().key, key);
    assert_eq!(after.last().unwrap().used_at, Some(at("2026-03-02T09:00:00Z")));
    assert_eq!(after.iter().filter(|q| q.used_at.is_some()).count(), 1);
    // Ivy (the other of the pair) sees the same memory; without a pair chosen nothing is marked.
    assert!(t.app.question_bank(&o.ivy, &f).await.unwrap().iter().any(|q| q.key == key && q.used_at.is_some()));
    assert!(t.app.question_bank(&o.emil, &BankFilter::default()).await.unwrap().iter().all(|q| q.used_at.is_none()));
    // Someone outside the pair cannot read it or add to it: not found.
    for other in [&o.vera, &o.ada, &o.otto] {
        assert!(matches!(t.app.question_bank(other, &f).await, Err(AppError::NotFound)), "{}", other.name);
        assert!(matches!(t.app.use_question_next(other, &key, series).await, Err(AppError::NotFound)), "{}", other.name);
    }
    // Once that meeting is over, the next one is the one after.
    t.clock.set(at("2026-03-03T11:00:00Z"));
    let (second, _) = t.app.use_question_next(&o.emil, "career-01", series).await.unwrap();
    assert_eq!(t.app.meeting_view(&o.emil, second).await.unwrap().meeting.starts_at, at("2026-03-10T10:00:00Z"));
}

async fn imports_report_line_and_column_and_change_nothing(t: TestApp) {
    let o = an_organisation(&t).await;
    t.app.add_own_question(&o.emil, "How are the on-call weeks?", &["wellbeing".into()]).await.unwrap();
    let bad = "text,purposes\nWhat would you automate first?,plans\nHow are the on-call weeks?,wellbeing\nWhat next?,plans fun\n";
    let Err(AppError::Invalid(i)) = t.app.import_questions(&o.emil, bad.as_bytes(), QuestionFormat::Csv, true).await else { panic!() };
    let places: Vec<_> = i.0.iter().map(|e| (e.line, e.column, e.field.as_str())).collect();
    assert_eq!(places, vec![(Some(3), Some(1), "text"), (Some(4), Some(18), "purposes")]);
    assert_eq!(
        t.app.export_own_questions(&o.emil, QuestionFormat::Csv).await.unwrap(),
        "text,purposes\nHow are the on-call weeks?,wellbeing\n",
        "nothing was added"
    );

    let md = "# Mine\n\n- [plans] What would you automate first?\n- [career, strengths] Which talk would you like to give?\n";
    assert_eq!(t.app.import_questions(&o.emil, md.as_bytes(), QuestionFormat::Markdown, true).await.unwrap().imported, 2);
    let json = t.app.export_own_questions(&o.emil, QuestionFormat::Json).await.unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[2]["purposes"], serde_json::json!(["career", "strengths"]));
    // Exported files import into someone else's bank as they are.
    assert_eq!(t.app.import_questions(&o.vera, json.as_bytes(), QuestionFormat::Json, true).await.unwrap().imported, 3);
    let broken = "[\n {\"text\": \"Ok?\", \"purposes\": [\"plans\"]},\n {\"text\": \"Broken?\" \"purposes\": []}\n]";
    let Err(AppError::Invalid(i)) = t.app.import_questions(&o.otto, broken.as_bytes(), QuestionFormat::Json, true).await else { panic!() };
    assert_eq!((i.0[0].line, i.0[0].column), (Some(3), Some(21)));
    assert!(t.app.export_own_questions(&o.otto, QuestionFormat::Markdown).await.unwrap().lines().all(|l| !l.starts_with("- ")));

    // The page shows each problem with its line and column, keeps the text and adds nothing.
    let (c, _) = t.signed_in(&o.otto.email.to_string()).await;
    let html = c.get(t.url("/questions")).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&html);
    let r = c
        .post(t.url("/questions/import"))
        .form(&[("_csrf", token.as_str()), ("format", "md"), ("file_text", "- [plans] Fine?\n- [nope] Not fine?\n")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Line 2, column 4:"), "{html}");
    assert!(html.contains("Nothing was imported"));
    assert!(html.contains("- [nope] Not fine?"));
    // A textarea comes with Windows line endings: the place is the same as with Unix ones.
    let crlf = "text,purposes\r\nGood question?,career\r\nBad purpose question?,carreer\r\n";
    let r =
        c.post(t.url("/questions/import")).form(&[("_csrf", token.as_str()), ("format", "csv"), ("file_text", crlf)]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Line 3, column 23:"), "{html}");
    assert!(t.app.question_bank(&o.otto, &BankFilter::default()).await.unwrap().iter().all(|q| !q.own));
}

async fn templates_fill_the_agenda_with_their_prompts(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    let meeting = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    let ours = t.app.templates(&o.emil).await.unwrap();
    for key in ["weekly", "career", "setback", "feedback", "review", "promotion", "skip-level"] {
        assert!(ours.iter().any(|t| t.key == key), "{key}");
    }
    let weekly_t = t.app.template(&o.emil, "weekly").await.unwrap();
    let added = t.app.apply_template(&o.emil, "weekly", meeting).await.unwrap();
    assert_eq!(
        added.iter().map(|p| p.body.clone()).collect::<Vec<_>>(),
        weekly_t.prompts.iter().map(|p| p.text.clone()).collect::<Vec<_>>()
    );
    let view = t.app.meeting_view(&o.ivy, meeting).await.unwrap();
    assert_eq!(view.points.len(), weekly_t.prompts.len());
    // Applying it again adds nothing new; the pair's use is remembered with its purposes.
    assert!(t.app.apply_template(&o.emil, "weekly", meeting).await.unwrap().is_empty());
    let uses = t.app.pair_uses(&o.emil, series).await.unwrap();
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].source, "t:weekly");
    assert!(uses[0].purposes.contains(&Purpose::Wellbeing) && uses[0].purposes.contains(&Purpose::Feedback));

    // A manager's own template is his alone; an admin's is offered to everyone.
    let mine =
        t.app.create_template(&o.emil, "Quarter start", "", "[strategy] This quarter's priorities\nWhat worries you?").await.unwrap();
    let shared =
        t.app.create_template(&o.ada, "Company all-hands follow-up", "", "[strategy] Questions from the all-hands?").await.unwrap();
    assert!(t.app.templates(&o.emil).await.unwrap().iter().any(|x| x.key == mine.key));
    for other in [&o.ivy, &o.vera, &o.otto, &o.ada] {
        let ts = t.app.templates(other).await.unwrap();
        assert!(!ts.iter().any(|x| x.key == mine.key), "{}", other.name);
        assert!(ts.iter().any(|x| x.key == shared.key), "{}", other.name);
        assert!(matches!(t.app.delete_template(other, &mine.key).await, Err(AppError::NotFound)));
    }
    let added = t.app.apply_template(&o.ivy, &shared.key, meeting).await.unwrap();
    assert_eq!(added[0].author_id, o.ivy.id);
    // Someone outside the pair cannot apply a template to its meeting.
    assert!(matches!(t.app.apply_template(&o.otto, "career", meeting).await, Err(AppError::NotFound)));
    // A bad template is refused, each problem named, and nothing is saved.
    let Err(AppError::Invalid(i)) = t.app.create_template(&o.emil, "", "", "[fun] Hi?").await else { panic!() };
    assert!(i.message_for("name").is_some() && i.0.iter().any(|e| e.message.contains("\"fun\"")));
    assert_eq!(t.app.templates(&o.emil).await.unwrap().iter().filter(|x| x.key.starts_with("own:")).count(), 2);
    // A meeting that is over gets no template.
    t.clock.advance(Duration::days(2));
    assert!(matches!(t.app.apply_template(&o.emil, "career", meeting).await, Err(AppError::Invalid(_))));
}

async fn the_question_bank_page_adds_to_the_next_one_on_one(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url(&format!("/questions?purpose=wellbeing&with={series}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("How are you, really?"));
    assert!(!html.contains("What made you smile this week?"), "filtered to wellbeing");
    let token = csrf_in(&html);
    let s = series.to_string();
    let r = c
        .post(t.url("/questions/use"))
        .form(&[("_csrf", token.as_str()), ("key", "wellbeing-01"), ("with", s.as_str()), ("purpose", "wellbeing")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/questions?") && to.contains("done=added"), "{to}");
    let html = c.get(t.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Added to the agenda of your next 1:1 with Ivy Coder."), "{html}");
    assert!(html.contains("Used with Ivy Coder on 2 Mar 2026"));
    let meeting = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    assert!(t.app.meeting_view(&o.ivy, meeting).await.unwrap().points.iter().any(|p| p.body == "How are you, really?"));
    // Otto cannot add to their 1:1: the same answer as a missing page.
    let (oc, _) = t.signed_in(&o.otto.email.to_string()).await;
    let html = oc.get(t.url("/questions")).send().await.unwrap().text().await.unwrap();
    let ot = csrf_in(&html);
    let r = oc
        .post(t.url("/questions/use"))
        .form(&[("_csrf", ot.as_str()), ("key", "wellbeing-01"), ("with", s.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

async fn the_api_serves_the_bank_imports_with_places_and_applies_templates(t: TestApp) {
    use serde_json::{Value, json};
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-03-02T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 3, 3).unwrap()).await;
    let token = t.token(&o.emil).await;
    let c = crate::support::plain();
    let get = |path: String| c.get(t.url(&path)).bearer_auth(&token).send();
    let list: Value = get("/api/v1/questions?purpose=career".into()).await.unwrap().json().await.unwrap();
    assert!(list.as_array().unwrap().len() >= 20);
    assert!(list.as_array().unwrap().iter().all(|q| q["purposes"].as_array().unwrap().contains(&json!("career"))));
    assert_eq!(get("/api/v1/questions?purpose=fun".into()).await.unwrap().status(), 422);

    let r = c
        .post(t.url("/api/v1/questions"))
        .bearer_auth(&token)
        .json(&json!({"text": "What did you teach someone this week?", "purposes": ["strengths"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let own: Value = r.json().await.unwrap();
    let key = own["key"].as_str().unwrap().to_string();
    assert_eq!(c.put(t.url(&format!("/api/v1/questions/favourites/{key}"))).bearer_auth(&token).send().await.unwrap().status(), 204);
    let favs: Value = get("/api/v1/questions?favourites=true".into()).await.unwrap().json().await.unwrap();
    assert_eq!(favs.as_array().unwrap().len(), 1);

    let r = c
        .post(t.url(&format!("/api/v1/series/{series}/next-meeting/questions")))
        .bearer_auth(&token)
        .json(&json!({"key": key}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let used: Value = r.json().await.unwrap();
    let list: Value = get(format!("/api/v1/questions?series_id={series}")).await.unwrap().json().await.unwrap();
    let last = list.as_array().unwrap().last().unwrap();
    assert_eq!((last["key"].as_str(), last["used_at"].is_string()), (Some(key.as_str()), true));
    // Someone else's series: not found.
    let otto = t.token(&o.otto).await;
    let r = c
        .post(t.url(&format!("/api/v1/series/{series}/next-meeting/questions")))
        .bearer_auth(&otto)
        .json(&json!({"key": "career-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    // Import: every problem with its line and column, and nothing added.
    let bad = "text,purposes\nFine?,plans\nNot fine?,nope\n";
    let r = c.post(t.url("/api/v1/questions/import?format=csv")).bearer_auth(&token).body(bad).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let e: Value = r.json().await.unwrap();
    assert_eq!((e["error"]["fields"][0]["line"].as_u64(), e["error"]["fields"][0]["column"].as_u64()), (Some(3), Some(11)), "{e}");
    let csv = get("/api/v1/questions/export?format=csv".into()).await.unwrap().text().await.unwrap();
    assert_eq!(csv, "text,purposes\nWhat did you teach someone this week?,strengths\n");
    let r = c.post(t.url("/api/v1/questions/import?format=md")).bearer_auth(&token).body("- [plans] Fine?\n").send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["imported"], 1);

    // Templates: list, write one, apply it to the next 1:1.
    let ts: Value = get("/api/v1/templates".into()).await.unwrap().json().await.unwrap();
    assert!(ts.as_array().unwrap().len() >= 7);
    let r = c
        .post(t.url("/api/v1/templates"))
        .bearer_auth(&token)
        .json(&json!({"name": "Mine", "prompts": "[plans] Next steps?\nAnything else?"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let mine: Value = r.json().await.unwrap();
    let meeting = used["meeting_id"].as_str().unwrap();
    let r = c
        .post(t.url(&format!("/api/v1/meetings/{meeting}/template")))
        .bearer_auth(&token)
        .json(&json!({"key": mine["key"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["point_ids"].as_array().unwrap().len(), 2);
    let r = c
        .post(t.url(&format!("/api/v1/meetings/{meeting}/template")))
        .bearer_auth(&otto)
        .json(&json!({"key": "weekly"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// A hand-built history: the weekly template on 5 January (feedback among its purposes), a topic
/// never discussed and carried from meeting to meeting, and ratings 5, 4, 3.
async fn prep_suggestions_give_their_reasons_from_the_pairs_history(t: TestApp) {
    let o = an_organisation(&t).await;
    t.clock.set(at("2026-01-05T09:00:00Z"));
    let series = weekly_one_on_ones(&t, &o.emil, &o.ivy, NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()).await;
    let first = t.app.next_meeting_of(&o.emil, series).await.unwrap();
    for p in t.app.apply_template(&o.emil, "weekly", first).await.unwrap() {
        let patch = rapport::app::meetings::PointPatch { discussed: Some(true), ..Default::default() };
        t.app.update_point(&o.emil, p.id, p.version, patch).await.unwrap();
    }
    t.app.add_point(&o.ivy, first, "Hiring plan", false).await.unwrap();
    let mut meeting = first;
    for (day, rating) in [("2026-01-06", 5), ("2026-01-13", 4), ("2026-01-20", 3)] {
        t.clock.set(at(&format!("{day}T11:00:00Z")));
        t.app.rate_meeting(&o.ivy, meeting, rating, "").await.unwrap();
        meeting = t.app.next_meeting_of(&o.emil, series).await.unwrap();
        t.app.meeting_view(&o.emil, meeting).await.unwrap(); // carries what was not discussed
    }
    t.clock.set(at("2026-01-26T09:00:00Z"));
    let g = t.app.prep_guidance(&o.emil, meeting).await.unwrap();
    let reasons: Vec<&str> = g.suggestions.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec!["No feedback exchanged in 3 weeks.", "It has been carried over 3 times.", "The last 3 ratings went down: 5, 4, 3."]
    );
    assert!(g.suggestions[1].text.contains("Hiring plan"));
    assert_eq!(g.focus, Purpose::Feedback);
    assert!(g.questions.len() == 5 && g.questions.iter().all(|q| q.purposes.contains(&Purpose::Feedback) && q.used_at.is_none()));

    // The page shows each suggestion with its reason (and the carried topic once).
    let (c, _) = t.signed_in(&o.emil.email.to_string()).await;
    let html = c.get(t.url(&format!("/meetings/{meeting}/prep"))).send().await.unwrap().text().await.unwrap();
    for r in &reasons {
        assert!(html.contains(r), "{r}");
    }
    assert_eq!(html.matches("Hiring plan").count(), 1, "once: not again as \"not discussed last time\"");
    assert!(html.contains("Questions not yet asked"));

    // Feedback exchanged (a question used): that suggestion goes, and the next purpose is offered.
    t.app.use_question(&o.emil, &g.questions[0].key, meeting).await.unwrap();
    let g2 = t.app.prep_guidance(&o.emil, meeting).await.unwrap();
    assert!(g2.suggestions.iter().all(|s| s.purpose.is_none()));
    assert!(!g2.questions.iter().any(|q| q.key == g.questions[0].key));

    // Thresholds come from the configuration.
    let mut app = t.app.clone();
    let mut config = (*t.app.config).clone();
    config.guidance.feedback_gap_weeks = 1;
    config.guidance.carried_times = 4;
    config.guidance.falling_ratings = 4;
    app.config = std::sync::Arc::new(config);
    t.clock.set(at("2026-02-03T09:00:00Z"));
    let g3 = app.prep_guidance(&o.emil, meeting).await.unwrap();
    let reasons: Vec<String> = g3.suggestions.into_iter().map(|s| s.reason).collect();
    assert_eq!(reasons, vec!["No feedback exchanged in 1 week.".to_string()]);

    // Someone outside the pair: not found.
    assert!(matches!(t.app.prep_guidance(&o.vera, meeting).await, Err(AppError::NotFound)));
}

/// Two requests that add the same question at once both pass the "you already have it" check;
/// the database's unique rule stops the second. That is a conflict (409), not a server error.
async fn the_same_question_added_twice_at_once_is_kept_once_and_never_a_server_error(t: TestApp) {
    let ada = t.admin().await;
    let token = t.token(&ada).await;
    let c = reqwest::Client::new();
    let add = |_| {
        let (c, url, token) = (c.clone(), t.url("/api/v1/questions"), token.clone());
        async move {
            let body = serde_json::json!({"text": "What would make next week easier?", "purposes": ["strengths"]});
            c.post(url).bearer_auth(token).json(&body).send().await.unwrap().status().as_u16()
        }
    };
    let statuses = futures_util::future::join_all((0..12).map(add)).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [201, 409, 422].contains(s)), "{statuses:?}");
    let bank = t.app.question_bank(&ada, &BankFilter { q: "next week easier".into(), ..Default::default() }).await.unwrap();
    assert_eq!(bank.iter().filter(|q| q.own).count(), 1);
}

async fn own_questions_our_bank_already_has_are_skipped_and_said_so(t: TestApp) {
    let o = an_organisation(&t).await;
    let token = t.token(&o.emil).await;
    let c = reqwest::Client::new();
    let own = || async { t.app.question_bank(&o.emil, &BankFilter::default()).await.unwrap().iter().filter(|q| q.own).count() };
    // Case, spaces, the last punctuation and curly apostrophes make no difference.
    let file = "text,purposes\nHow are the on-call weeks?,wellbeing\n\"What\u{2019}s one thing you\u{2019}d like me to  keep doing\",feedback\nWHAT MADE YOU SMILE THIS WEEK,relationship\n";
    let post = |dry_run: bool| {
        c.post(t.url(&format!("/api/v1/questions/import?format=csv&dry_run={dry_run}"))).bearer_auth(&token).body(file).send()
    };
    for dry_run in [true, false] {
        let r = post(dry_run).await.unwrap();
        assert_eq!(r.status(), 200);
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["imported"], 1, "{body}");
        assert_eq!(body["applied"], !dry_run, "{body}");
        let said: Vec<&str> = body["skipped"].as_array().unwrap().iter().map(|s| s["message"].as_str().unwrap()).collect();
        assert_eq!(
            said,
            vec![
                "Line 3 is already in the bank as feedback-06; it is skipped.",
                "Line 4 is already in the bank as relationship-01; it is skipped."
            ]
        );
        assert_eq!((body["skipped"][0]["line"].as_u64(), body["skipped"][0]["key"].as_str()), (Some(3), Some("feedback-06")));
        assert_eq!(own().await, usize::from(!dry_run), "only the new question is added, and only when not a dry run");
    }

    // Added by hand, through the API or the form: said, and not added.
    let r = c
        .post(t.url("/api/v1/questions"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"text": "What made you smile this week?", "purposes": ["relationship"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("This question is already in the bank as relationship-01; it is not added."), "{body}");
    let (b, _) = t.signed_in(&o.emil.email.to_string()).await;
    let csrf = csrf_in(&b.get(t.url("/questions")).send().await.unwrap().text().await.unwrap());
    let form = [("_csrf", csrf.as_str()), ("text", "what made you smile this week"), ("purposes", "relationship")];
    let r = b.post(t.url("/questions/own")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("already in the bank as relationship-01"));

    // The page's import adds the rest and says which lines it skipped.
    let file = "- [plans] What would you drop from your week?\n- [feedback] What\u{2019}s one thing you\u{2019}d like me to keep doing?\n";
    let r =
        b.post(t.url("/questions/import")).form(&[("_csrf", csrf.as_str()), ("format", "md"), ("file_text", file)]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Imported 1 questions of your own. Line 2 is already in the bank as feedback-06; it is skipped."), "{html}");
    assert_eq!(own().await, 2);
}
