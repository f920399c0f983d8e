//! The pulse, on both databases: the teammate answers before a 1:1 (API, home page, meeting
//! page), the manager reads it and gets prep's suggestion from it, nobody else reads it (not
//! the skip-level leader, not an admin, not an outsider: all answered like a missing id), bad
//! answers are refused per field and change nothing, and the pair sees the trend.

use crate::on_both;
use crate::support::{TestApp, a_manager_with_a_report, at, plain};
use reqwest::Method;
use serde_json::{Value, json};

on_both!(
    the_teammate_answers_the_pulse_and_only_the_pair_reads_it,
    a_drop_in_the_pulse_is_suggested_in_prep_and_the_pair_sees_the_trend,
    the_pulse_is_answered_from_the_home_page_and_a_refused_one_keeps_what_was_typed,
);

async fn call(t: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut req = plain().request(method, t.url(path)).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")) })
}

#[track_caller]
fn fields(r: &(u16, Value)) -> Vec<String> {
    assert_eq!(r.0, 422, "{}", r.1);
    r.1["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect()
}

fn answer(energy: i64, workload: i64, going: i64, comment: &str) -> Value {
    json!({"answers": {"energy": energy, "workload": workload, "going": going}, "comment": comment})
}

/// Weekly 1:1s of Maria with Tom, Tuesdays 10:00 UTC from 6 October 2026 (today is Thursday 1
/// October): the series and its first meetings' ids.
async fn weekly(t: &TestApp, token: &str, teammate: uuid::Uuid, kind: &str) -> (String, Vec<String>) {
    let (s, series) = call(
        t,
        token,
        Method::POST,
        "/api/v1/series",
        Some(json!({"teammate_id": teammate, "kind": kind, "cadence": "weekly", "first_date": "2026-10-06",
                    "time": "10:00", "timezone": "UTC", "duration_minutes": 30})),
    )
    .await;
    assert_eq!(s, 201, "{series}");
    let id = series["id"].as_str().unwrap().to_string();
    let (_, view) = call(t, token, Method::GET, &format!("/api/v1/series/{id}"), None).await;
    let meetings = view["upcoming"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    (id, meetings)
}

async fn the_teammate_answers_the_pulse_and_only_the_pair_reads_it(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let (a, m, tm, o) = (t.token(&p.admin).await, t.token(&p.manager).await, t.token(&p.teammate).await, t.token(&p.outsider).await);
    let (series, meetings) = weekly(&t, &m, p.teammate.id.0, "regular").await;
    let (m0, m1) = (&meetings[0], &meetings[1]);
    let pulse0 = format!("/api/v1/meetings/{m0}/pulse");

    let (s, q) = call(&t, &tm, Method::GET, "/api/v1/pulse/questions", None).await;
    assert_eq!(s, 200);
    let keys: Vec<&str> = q.as_array().unwrap().iter().map(|q| q["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["energy", "workload", "going"]);

    // Before anyone answered: the pair sees an open pulse; only the teammate may answer it.
    let (s, open) = call(&t, &tm, Method::GET, &pulse0, None).await;
    assert_eq!((s, open["can_answer"].as_bool(), open["answer"].is_null()), (200, Some(true), true), "{open}");
    let (s, seen) = call(&t, &m, Method::GET, &pulse0, None).await;
    assert_eq!((s, seen["can_answer"].as_bool()), (200, Some(false)), "{seen}");

    // Bad answers: each problem by its field, and nothing saved.
    let bad = json!({"answers": {"energy": 6, "mood": 3, "going": 0}, "comment": "x".repeat(1001)});
    let r = call(&t, &tm, Method::PUT, &pulse0, Some(bad)).await;
    assert_eq!(fields(&r), ["answers.energy", "answers.workload", "answers.going", "answers.mood", "comment"]);
    assert_eq!(call(&t, &tm, Method::PUT, &pulse0, Some(json!({"answers": {"energy": "high"}}))).await.0, 422);
    assert!(call(&t, &m, Method::GET, &pulse0, None).await.1["answer"].is_null());
    // The 1:1 after next is twelve days away: not asked yet.
    let r = call(&t, &tm, Method::PUT, &format!("/api/v1/meetings/{m1}/pulse"), Some(answer(4, 4, 4, ""))).await;
    assert_eq!(fields(&r), ["meeting"]);

    let (s, given) = call(&t, &tm, Method::PUT, &pulse0, Some(answer(4, 2, 5, "  Busy sprint  "))).await;
    assert_eq!(s, 200, "{given}");
    assert_eq!(given["answers"], json!({"energy": 4, "going": 5, "workload": 2}));
    assert_eq!(given["comment"], "Busy sprint");
    // Changed again: one pulse, the new answers.
    let (s, _) = call(&t, &tm, Method::PUT, &pulse0, Some(answer(3, 2, 5, "Busy sprint"))).await;
    assert_eq!(s, 200);
    let (s, read) = call(&t, &m, Method::GET, &pulse0, None).await;
    assert_eq!((s, read["answer"]["answers"]["energy"].as_i64()), (200, Some(3)), "{read}");
    let (s, trend) = call(&t, &m, Method::GET, &format!("/api/v1/series/{series}/pulses"), None).await;
    assert_eq!((s, trend.as_array().map(Vec::len)), (200, Some(1)), "{trend}");

    // The manager cannot answer for them; nobody else reads it, exactly like a missing meeting.
    let missing = call(&t, &m, Method::GET, &format!("/api/v1/meetings/{}/pulse", uuid::Uuid::now_v7()), None).await;
    assert_eq!(missing.0, 404);
    assert_eq!(call(&t, &m, Method::PUT, &pulse0, Some(answer(1, 1, 1, ""))).await, missing);
    for token in [&a, &o] {
        assert_eq!(call(&t, token, Method::GET, &pulse0, None).await, missing);
        assert_eq!(call(&t, token, Method::PUT, &pulse0, Some(answer(1, 1, 1, ""))).await, missing);
        assert_eq!(call(&t, token, Method::GET, &format!("/api/v1/series/{series}/pulses"), None).await, missing);
    }

    // A skip-level series (Ada, Maria's manager, with Tom) has no pulse: nobody above the manager
    // reads one person's answers, and the teammate is not asked there.
    let (skip, skip_meetings) = weekly(&t, &a, p.teammate.id.0, "skip_level").await;
    let skip_pulse = format!("/api/v1/meetings/{}/pulse", skip_meetings[0]);
    assert_eq!(call(&t, &a, Method::GET, &skip_pulse, None).await.0, 404);
    assert_eq!(call(&t, &tm, Method::PUT, &skip_pulse, Some(answer(4, 4, 4, ""))).await.0, 404);
    assert_eq!(call(&t, &a, Method::GET, &format!("/api/v1/series/{skip}/pulses"), None).await.0, 404);

    // Once the 1:1 has ended it no longer takes a pulse; the answer stays.
    t.clock.set(at("2026-10-06T10:31:00Z"));
    let r = call(&t, &tm, Method::PUT, &pulse0, Some(answer(5, 5, 5, ""))).await;
    assert_eq!(fields(&r), ["meeting"]);
    assert_eq!(call(&t, &m, Method::GET, &pulse0, None).await.1["answer"]["answers"]["energy"].as_i64(), Some(3));
}

async fn a_drop_in_the_pulse_is_suggested_in_prep_and_the_pair_sees_the_trend(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let (m, tm) = (t.token(&p.manager).await, t.token(&p.teammate).await);
    let (series, meetings) = weekly(&t, &m, p.teammate.id.0, "regular").await;
    let put = |i: usize, v: Value| {
        let (t, tm, path) = (&t, tm.clone(), format!("/api/v1/meetings/{}/pulse", meetings[i]));
        async move { call(t, &tm, Method::PUT, &path, Some(v)).await }
    };
    assert_eq!(put(0, answer(5, 2, 4, "")).await.0, 200);
    t.clock.set(at("2026-10-08T08:00:00Z"));
    assert_eq!(put(1, answer(3, 2, 4, "Tired after the launch")).await.0, 200);
    t.clock.set(at("2026-10-15T08:00:00Z"));
    assert_eq!(put(2, answer(3, 1, 4, "")).await.0, 200);

    // Maria prepares the third 1:1: energy fell from 5 to 3 one week, workload is low three
    // times in a row; both come first, with their reasons.
    let (maria, _) = t.signed_in("maria.manager@example.com").await;
    let prep = maria.get(t.url(&format!("/meetings/{}/prep", meetings[2]))).send().await.unwrap().text().await.unwrap();
    let workload = prep.find("Workload was 2, 2, 1 out of 5 in the last 3 pulses.").expect("the low workload is suggested");
    let suggestions = prep.find("id=\"sugg-h\"").unwrap();
    assert!(suggestions < workload, "the pulse's suggestion is in the suggestions");
    // The energy drop was a week ago (5 → 3); this week it held, so it is no longer a signal.
    assert!(!prep.contains("Energy went from"), "an old drop is not suggested again");
    assert!(prep.contains("Tom Teammate’s pulse"), "prep shows the trend");
    assert!(prep.contains("Since the pulse before: Energy the same, Workload down 1, How things are going the same."));
    // The home's first suggestion for the pair is the pulse's too.
    let home = maria.get(t.url("/meetings")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Workload was 2, 2, 1 out of 5 in the last 3 pulses."), "the home suggests it first");

    // The prep of the second 1:1 (as of its own pulse) would have named the drop.
    let prep1 = t.app.prep_guidance(&p.manager, meetings[1].parse().unwrap()).await.unwrap();
    assert_eq!(prep1.suggestions[0].reason, "Energy went from 5 to 3 out of 5 since the last pulse.");
    // Tom's own prep shows him his trend, but no suggestion worded for his manager.
    let tom_prep = t.app.prep_guidance(&p.teammate, meetings[2].parse().unwrap()).await.unwrap();
    assert!(tom_prep.suggestions.iter().all(|s| !s.reason.contains("pulse")));
    assert_eq!(tom_prep.pulses.len(), 3);

    // The series page: a line per question and the same numbers as a table, with the comment.
    let page = maria.get(t.url(&format!("/series/{series}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("class=\"pulse-line\"").count(), 3, "a line per question");
    assert!(page.contains("<th scope=\"row\">Workload</th><td>2</td><td>2</td><td>1</td>"), "the table has every answer");
    assert!(page.contains("Tired after the launch"));
    let (s, trend) = call(&t, &m, Method::GET, &format!("/api/v1/series/{series}/pulses"), None).await;
    assert_eq!(s, 200);
    let energy: Vec<i64> = trend.as_array().unwrap().iter().map(|p| p["answers"]["energy"].as_i64().unwrap()).collect();
    assert_eq!(energy, [5, 3, 3], "oldest first");
}

async fn the_pulse_is_answered_from_the_home_page_and_a_refused_one_keeps_what_was_typed(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let m = t.token(&p.manager).await;
    let (_, meetings) = weekly(&t, &m, p.teammate.id.0, "regular").await;
    let m0 = &meetings[0];
    let (tom, csrf) = t.signed_in("tom.teammate@example.com").await;
    let home = tom.get(t.url("/meetings")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains(&format!("id=\"pulse-{m0}\"")), "the home asks for the pulse of the next 1:1");
    assert!(home.contains("How is your energy these days?"));

    // Sent without the workload: the meeting page shows the form again with what was chosen.
    let form = [("_csrf", csrf.as_str()), ("back", "home"), ("answers.energy", "2"), ("answers.going", "3"), ("comment", "Long week")];
    let r = tom.post(t.url(&format!("/meetings/{m0}/pulse"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Answer “How manageable is your workload?” from 1 to 5."), "the missing answer is named");
    assert!(page.contains("name=\"answers.energy\" value=\"2\" checked"), "what was chosen stays chosen");
    assert!(page.contains("Long week</textarea>"));
    assert!(t.app.meeting_pulse(&p.manager, m0.parse().unwrap()).await.unwrap().answer.is_none(), "nothing saved");

    let form = [
        ("_csrf", csrf.as_str()),
        ("back", "home"),
        ("answers.energy", "2"),
        ("answers.workload", "3"),
        ("answers.going", "3"),
        ("comment", "Long week"),
    ];
    let r = tom.post(t.url(&format!("/meetings/{m0}/pulse"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/meetings?pulse=sent#pulse-{m0}").as_str());
    let home = tom.get(t.url("/meetings?pulse=sent")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("your answers are saved"));
    assert!(!home.contains(&format!("id=\"pulse-{m0}\"")), "answered: the home no longer asks");

    // Maria sees the answers on the meeting page, with the words of each end of the scale.
    let (maria, _) = t.signed_in("maria.manager@example.com").await;
    let page = maria.get(t.url(&format!("/meetings/{m0}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Tom Teammate’s pulse"));
    assert!(page.contains("<dt>Energy</dt><dd><strong>2</strong> of 5</dd>"), "{}", &page[page.find("pulse-shown").unwrap_or(0)..][..400]);
    assert!(page.contains("Long week"));
    assert!(!page.contains("name=\"answers.energy\""), "the manager has no form");
}
