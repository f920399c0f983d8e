//! "My practice" on both databases: a small history built by hand over four weeks, whose right
//! figures are worked out below, read through the API, the page and the CSV; only the manager
//! reads their own.

use crate::on_both;
use crate::support::{TestApp, a_manager_with_a_report, at, plain};
use chrono::NaiveDate;
use rapport::app::meetings::ActionPatch;
use rapport::app::reviews::FeedbackInput;
use rapport::domain::meeting::{ActionKind, MeetingStatus};
use serde_json::Value;

on_both!(a_managers_practice_counts_what_happened_and_only_they_read_it);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn a_managers_practice_counts_what_happened_and_only_they_read_it(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let p = a_manager_with_a_report(&t).await;
    let (maria, tom) = (&p.manager, &p.teammate);
    let uma = t.person(&p.admin, "Uma Teammate", Some(maria.id)).await;
    // Tom: Tuesdays 10:00 UTC from 6 October; Uma: Wednesdays from 7 October.
    let tom_series = crate::support::weekly_from(&t, maria, tom, "2026-10-06").await;
    let uma_series = crate::support::weekly_from(&t, maria, &uma, "2026-10-07").await;
    let tom_m = crate::support::upcoming(&t, maria, tom_series).await;
    let uma_m = crate::support::upcoming(&t, maria, uma_series).await;

    // Before the first 1:1s: Tom adds two topics, Maria one.
    for (who, body) in [(tom, "Career path"), (tom, "On-call load"), (maria, "Team offsite")] {
        t.app.add_point(who, tom_m[0].id, body, false).await.unwrap();
    }
    // Tom skips his 1:1 of 13 October; Maria moves that of 20 October to the 21st; Uma cancels
    // hers of 28 October.
    t.app.set_meeting_status(tom, tom_m[1].id, tom_m[1].version, MeetingStatus::Skipped, "Out sick").await.unwrap();
    t.app.move_meeting(maria, tom_m[2].id, tom_m[2].version, d("2026-10-21"), "10:00", "Clash with the offsite").await.unwrap();
    t.app.set_meeting_status(&uma, uma_m[3].id, uma_m[3].version, MeetingStatus::Cancelled, "Uma on leave").await.unwrap();
    // At the first 1:1: a "how can I help?" item of Maria's due 16 October and one of Tom's due
    // 23 October.
    t.clock.set(at("2026-10-06T10:15:00Z"));
    let help = t.app.add_action(maria, tom_m[0].id, "Ask for a budget", maria.id, Some(d("2026-10-16")), ActionKind::Help).await.unwrap();
    t.app.add_action(maria, tom_m[0].id, "Write the runbook", tom.id, Some(d("2026-10-23")), ActionKind::Normal).await.unwrap();
    t.app.rate_meeting(tom, tom_m[0].id, 4, "").await.unwrap();
    // Maria asks Tom a career question in that 1:1, and a question about his plans for the
    // 1:1 of 27 October on the 22nd.
    t.app.use_question(maria, "career-01", tom_m[0].id).await.unwrap();
    // Maria keeps her promise on the 15th; shares feedback with Tom on the 22nd.
    t.clock.set(at("2026-10-15T09:00:00Z"));
    t.app.update_action(maria, help.id, help.version, ActionPatch { done: Some(true), ..Default::default() }).await.unwrap();
    t.clock.set(at("2026-10-22T09:00:00Z"));
    let fb = FeedbackInput {
        receiver_id: tom.id.0,
        kind: "praise".into(),
        body: "The incident review was clear".into(),
        meeting_id: None,
        competency: None,
        plan_id: None,
        share: true,
    };
    t.app.give_feedback(maria, fb).await.unwrap();
    t.app.use_question(maria, "plans-01", tom_m[3].id).await.unwrap();
    t.clock.set(at("2026-10-27T10:40:00Z"));
    t.app.rate_meeting(tom, tom_m[3].id, 2, "").await.unwrap();

    // Monday 2 November, 12:00: the last four weeks began on 5 October at 12:00.
    t.clock.set(at("2026-11-02T12:00:00Z"));
    let token = t.token(maria).await;
    let get = |path: String, token: String| {
        let url = t.url(&path);
        async move {
            let r = plain().get(url).bearer_auth(token).send().await.unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, four) = get("/api/v1/practice?weeks=4".into(), token.clone()).await;
    assert_eq!(s, 200, "{four}");
    let people = four["people"].as_array().unwrap();
    let names: Vec<&str> = people.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tom Teammate", "Uma Teammate"]);
    let share = |v: &Value| (v["part"].as_u64().unwrap(), v["whole"].as_u64().unwrap());
    let tom_f = &people[0]["figures"];
    // Tom: 6, 13 (skipped), 21 (moved), 27 October: three of four kept.
    assert_eq!(share(&tom_f["cadence"]), (3, 4));
    assert_eq!((tom_f["skipped"].as_u64(), tom_f["moved"].as_u64()), (Some(1), Some(1)));
    // Tom asked for the skip, Maria for the move.
    let by = |v: &Value| (v["manager"].as_u64().unwrap(), v["teammate"].as_u64().unwrap());
    assert_eq!((by(&tom_f["skipped_by"]), by(&tom_f["moved_by"]), by(&tom_f["cancelled_by"])), ((0, 1), (1, 0), (0, 0)));
    // Two topics of Tom's; Maria's one and her two questions.
    assert_eq!(share(&tom_f["topics"]), (2, 5));
    assert_eq!(share(&tom_f["help"]), (1, 1));
    assert_eq!(share(&tom_f["their_actions"]), (0, 1));
    assert_eq!(tom_f["rating"].as_f64(), Some(3.0));
    // Career on 6 October (27 days before), plans (growth) on the 22nd, feedback the same day.
    assert_eq!(
        (tom_f["since_career"].as_i64(), tom_f["since_feedback"].as_i64(), tom_f["since_growth"].as_i64()),
        (Some(27), Some(11), Some(11))
    );
    assert_eq!(tom_f["purposes"], serde_json::json!(["plans", "career"]));
    let uma_f = &people[1]["figures"];
    // Uma: 7, 14, 21 and 28 (cancelled) October.
    assert_eq!((share(&uma_f["cadence"]), uma_f["cancelled"].as_u64(), by(&uma_f["cancelled_by"])), ((3, 4), Some(1), (0, 1)));
    assert!(uma_f["since_feedback"].is_null());
    assert!(uma_f["since_career"].is_null() && uma_f["purposes"] == serde_json::json!([]));
    let all = &four["overall"];
    assert_eq!((share(&all["cadence"]), share(&all["topics"]), share(&all["help"])), ((6, 8), (2, 5), (1, 1)));
    // Uma never had feedback: overall, the longest wait is "never".
    assert!(all["since_feedback"].is_null(), "{all}");
    assert_eq!((by(&all["skipped_by"]), by(&all["cancelled_by"]), by(&all["moved_by"])), ((0, 1), (0, 1), (1, 0)));
    // The purposes neither pair touched wait longest: eight of ten, never.
    let waiting: Vec<&Value> = four["purposes"].as_array().unwrap().iter().filter(|p| p[1].is_null()).collect();
    assert_eq!(waiting.len(), 8, "{}", four["purposes"]);
    // 75 % kept is under the 85 % mark, and most changes were theirs: protect the slot.
    assert!(four["advice"][0]["text"].as_str().unwrap().starts_with("Protect the slot"), "{}", four["advice"][0]);

    // Four weeks on, October is the window before: Tom's ratings (4 and 2) are compared there.
    t.clock.set(at("2026-11-30T12:00:00Z"));
    let (_, later) = get("/api/v1/practice?weeks=4".into(), token.clone()).await;
    assert_eq!(later["people"][0]["figures"]["rating_before"].as_f64(), Some(3.0), "{later}");
    assert_eq!(later["overall"]["rating_before"].as_f64(), Some(3.0));
    assert!(later["people"][1]["figures"]["rating_before"].is_null(), "Uma rated nothing");
    t.clock.set(at("2026-11-02T12:00:00Z"));

    let (s, bad) = get("/api/v1/practice?weeks=5".into(), token.clone()).await;
    assert_eq!((s, bad["error"]["fields"][0]["field"].as_str()), (422, Some("weeks")), "{bad}");
    // Tom has nobody reporting to him: his own practice is empty, and never Maria's.
    let (s, his) = get("/api/v1/practice".into(), t.token(tom).await).await;
    assert_eq!((s, his["people"].as_array().map(Vec::len), his["weeks"].as_u64()), (200, Some(0), Some(12)));

    // The page and its CSV.
    let (browser, _) = t.signed_in("maria.manager@example.com").await;
    let page = browser.get(t.url("/practice?weeks=4")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("<th scope=\"row\">Tom Teammate</th><td>75 % (3/4)</td><td>1 (1 by them)</td><td>1 (1 by you)</td>"),
        "the table"
    );
    assert!(page.contains("1 skipped (1 by them) · 1 cancelled (1 by them) · 1 moved (1 by you)"), "the figure");
    assert!(page.contains("class=\"share-bars\""), "the chart");
    assert!(page.contains("Only you see this page"));
    let csv = browser.get(t.url("/practice.csv?weeks=4")).send().await.unwrap();
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = csv.text().await.unwrap();
    let last = csv.lines().last().unwrap();
    assert!(last.starts_with("Everyone,4,6,8,1,0,1,1,0,1,1,1,0,2,5,1,1,0,0,0,1,3.00,2,,,"), "{csv}");
}
