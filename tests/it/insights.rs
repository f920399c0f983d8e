//! The leader's view on both databases: a director over three teams (five, four and six
//! people), each rating its 1:1s alike; the team of four is never shown, nor can it be worked
//! out from the teams shown and the whole; its manager's own view shows nothing; the CSV and
//! the page say the same.

use crate::on_both;
use crate::support::{TestApp, at, plain};
use rapport::domain::Person;
use serde_json::Value;

on_both!(
    the_leaders_view_shows_teams_of_five_or_more_and_never_lets_a_smaller_one_be_worked_out,
    a_leader_below_the_reader_has_a_subtotal_that_never_gives_a_small_team_away
);

async fn view(t: &TestApp, who: &Person, weeks: &str) -> (u16, Value) {
    let token = t.token(who).await;
    let r = plain().get(t.url(&format!("/api/v1/insights?weeks={weeks}"))).bearer_auth(token).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

fn rating(row: &Value) -> Option<f64> {
    // The columns are in the order of `figures`; "rating" is the second.
    row["values"][1].as_f64()
}

async fn the_leaders_view_shows_teams_of_five_or_more_and_never_lets_a_smaller_one_be_worked_out(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let admin = t.admin().await;
    let dana = t.person(&admin, "Dana Director", Some(admin.id)).await;
    let mut meetings = vec![];
    // The 1:1 of 12 October of each of Cy's six.
    let mut second: Vec<(Person, uuid::Uuid)> = vec![];
    for (manager_name, size, rated) in [("Ann Five", 5, 4), ("Bo Four", 4, 2), ("Cy Six", 6, 5)] {
        let manager = t.person(&admin, manager_name, Some(dana.id)).await;
        for i in 0..size {
            let teammate = t.person(&admin, &format!("{manager_name} Report {i}"), Some(manager.id)).await;
            // Mondays 10:00 UTC from 5 October: 5, 12, 19 and 26 October are planned already.
            let series = crate::support::weekly_from(&t, &manager, &teammate, "2026-10-05").await;
            let planned = crate::support::upcoming(&t, &manager, series).await;
            if rated == 5 {
                second.push((teammate.clone(), planned[1].id));
                // Cy starts the first ten 1:1s with three of his six.
                if i < 3 {
                    assert!(t.app.start_program(&manager, series).await.unwrap());
                }
            }
            for m in planned {
                meetings.push((teammate.clone(), m.id, rated));
            }
        }
    }
    // In the 1:1s of 12 October, Cy's six each answer the pulse (4, 3 and 5: 4 on average) and
    // raise a topic; Cy asks each a career question (a topic of his, and one purpose of ten).
    t.clock.set(at("2026-10-12T10:10:00Z"));
    let cy = rapport::store::people::get_by_email(&t.app.db, "cy.six@example.com").await.unwrap().unwrap();
    let answers: std::collections::BTreeMap<String, i64> =
        [("energy", 4), ("workload", 3), ("going", 5)].map(|(k, v)| (k.to_string(), v)).into();
    for (teammate, id) in &second {
        t.app.answer_pulse(teammate, *id, &answers, "").await.unwrap();
        t.app.add_point(teammate, *id, "Hiring plan", false).await.unwrap();
        t.app.use_question(&cy, "career-01", *id).await.unwrap();
    }
    // Cy's six each take on an action due 20 October: five are done the day before, one late.
    let mut actions = vec![];
    for (teammate, id) in &second {
        let due = chrono::NaiveDate::from_ymd_opt(2026, 10, 20);
        let a =
            t.app.add_action(teammate, *id, "Write it down", teammate.id, due, rapport::domain::meeting::ActionKind::Normal).await.unwrap();
        actions.push((teammate.clone(), a));
    }
    for (i, (teammate, a)) in actions.iter().enumerate() {
        t.clock.set(if i == 0 { at("2026-10-22T09:00:00Z") } else { at("2026-10-19T09:00:00Z") });
        let done = rapport::app::meetings::ActionPatch { done: Some(true), ..Default::default() };
        t.app.update_action(teammate, a.id, a.version, done).await.unwrap();
    }
    t.clock.set(at("2026-10-30T12:00:00Z"));
    for (teammate, id, rated) in &meetings {
        t.app.rate_meeting(teammate, *id, *rated, "").await.unwrap();
    }
    // Monday 2 November: the last four whole weeks are 5 October to 1 November.
    t.clock.set(at("2026-11-02T12:00:00Z"));
    let (s, v) = view(&t, &dana, "4").await;
    assert_eq!(s, 200, "{v}");
    let teams = v["teams"].as_array().unwrap();
    let labels: Vec<&str> = teams.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Ann Five", "Bo Four", "Cy Six"]);
    // Bo's team of four: nothing, not even its size.
    assert!(teams[1]["values"].as_array().unwrap().iter().all(Value::is_null), "{}", teams[1]);
    assert!(teams[1]["people"].is_null());
    // Ann's five join Bo's four in "other teams" (alone, the four would be the whole less the rest).
    assert_eq!(rating(&teams[0]), None);
    assert_eq!(rating(&teams[2]), Some(5.0));
    assert_eq!(teams[2]["values"][0].as_f64(), Some(1.0), "every 1:1 held");
    assert_eq!(teams[2]["values"][3].as_f64(), Some(5.0 / 6.0), "five of six actions done by their date");
    let figures: Vec<&str> = v["figures"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(&figures[7..], ["purposes", "kickoffs", "programs"]);
    assert_eq!(
        (teams[2]["values"][8].as_f64(), teams[2]["values"][9].as_f64()),
        (Some(0.0), Some(0.5)),
        "no kickoff; three of six programs"
    );
    // Cy's team's pulse, topics and purposes; Ann's and Bo's nine answered no pulse, raised no
    // topic, and touched no purpose (each pair counts: 0 of 10).
    assert_eq!((teams[2]["values"][4].as_f64(), teams[2]["values"][5].as_f64()), (Some(4.0), None), "pulse, and before");
    assert_eq!(teams[2]["values"][6].as_f64(), Some(0.5), "six topics of twelve were theirs");
    assert!((teams[2]["values"][7].as_f64().unwrap() - 0.1).abs() < 1e-9, "one purpose of ten per pair");
    let others = &v["others"];
    assert_eq!(others["people"].as_u64(), Some(9));
    assert_eq!((others["values"][4].as_f64(), others["values"][6].as_f64(), others["values"][7].as_f64()), (None, None, Some(0.0)));
    assert_eq!(v["overall"]["values"][4].as_f64(), Some(4.0));
    assert!((v["overall"]["values"][7].as_f64().unwrap() - 6.0 * 0.1 / 15.0).abs() < 1e-9, "{}", v["overall"]);
    assert!(v["overall"]["values"][2].is_null(), "nothing was rated in the four weeks before");
    let expected_others = (5.0 * 4.0 * 4.0 + 4.0 * 4.0 * 2.0) / 36.0;
    assert!((rating(others).unwrap() - expected_others).abs() < 1e-9, "{others}");
    let expected_all = (80.0 + 32.0 + 6.0 * 4.0 * 5.0) / 60.0;
    assert!((rating(&v["overall"]).unwrap() - expected_all).abs() < 1e-9, "{}", v["overall"]);
    assert_eq!(v["overall"]["people"].as_u64(), Some(15));
    assert_eq!(v["hidden_teams"], serde_json::json!(["Ann Five", "Bo Four"]));
    // The whole less what is shown is "other teams", never fewer than five people.
    let shown_people: u64 = teams.iter().filter(|r| rating(r).is_some()).map(|r| r["people"].as_u64().unwrap()).sum();
    assert_eq!(15 - shown_people, 9);

    // Bo's own view of his organisation: his team of four, all hidden.
    let bo = rapport::store::people::get_by_email(&t.app.db, "bo.four@example.com").await.unwrap().unwrap();
    let (s, own) = view(&t, &bo, "4").await;
    assert_eq!(s, 200);
    assert!(own["overall"]["values"].as_array().unwrap().iter().all(Value::is_null), "{own}");
    // A teammate has no organisation; an admin sees every team, with the same rules.
    let report = rapport::store::people::get_by_email(&t.app.db, "cy.six.report.0@example.com").await.unwrap().unwrap();
    assert_eq!(view(&t, &report, "4").await.1["teams"].as_array().map(Vec::len), Some(0));
    let (_, all) = view(&t, &admin, "4").await;
    assert_eq!(all["teams"], v["teams"]);
    assert_eq!(view(&t, &dana, "5").await.0, 422);

    // A 1:1 of the weeks counted marked skipped late shows within ten minutes, not at once: the
    // view is worked out again every ten minutes (and at the start of each week).
    let cy = rapport::store::people::get_by_email(&t.app.db, "cy.six@example.com").await.unwrap().unwrap();
    let (_, late) = second.first().cloned().unwrap();
    let m = rapport::store::meetings::get_meeting(&t.app.db, late).await.unwrap().unwrap();
    t.app.set_meeting_status(&cy, late, m.version, rapport::domain::meeting::MeetingStatus::Skipped, "Forgot to say").await.unwrap();
    assert_eq!(view(&t, &dana, "4").await.1["teams"][2]["values"][0].as_f64(), Some(1.0), "kept for now");
    t.clock.set(at("2026-11-02T12:11:00Z"));
    assert_eq!(view(&t, &dana, "4").await.1["teams"][2]["values"][0].as_f64(), Some(23.0 / 24.0), "worked out again");

    // The page and the CSV show the same.
    let (browser, _) = t.signed_in("dana.director@example.com").await;
    let page = browser.get(t.url("/insights?weeks=4")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Not shown on their own, to keep each person’s answers their own: Ann Five, Bo Four."), "{page}");
    assert!(page.contains("<th scope=\"row\">Cy Six</th><td>6</td><td>96 %</td><td>5.0</td>"), "{page}");
    let csv = browser.get(t.url("/insights.csv?weeks=4")).send().await.unwrap().text().await.unwrap();
    assert!(csv.lines().any(|l| l.starts_with("team,Bo Four,4,,,,,,,,")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("team,Cy Six,4,6,0.958,5.00,")), "{csv}");
    assert!(page.contains("Worked out at 12:11"), "the page says when");
}

/// Vic leads Lee and Cy; Lee leads Ann (six people) and Bo (four) and holds no 1:1s of his
/// own. Lee's organisation less Ann's team would be Bo's four: so Vic sees Lee's ten together,
/// neither Ann's team nor Bo's, and Cy's seven.
async fn a_leader_below_the_reader_has_a_subtotal_that_never_gives_a_small_team_away(t: TestApp) {
    t.clock.set(at("2026-10-01T08:00:00Z"));
    let admin = t.admin().await;
    let vic = t.person(&admin, "Vic President", Some(admin.id)).await;
    let lee = t.person(&admin, "Lee Leader", Some(vic.id)).await;
    let mut rated = vec![];
    for (name, boss, size, rating) in [("Ann Six", &lee, 6, 4), ("Bo Four", &lee, 4, 2), ("Cy Seven", &vic, 7, 5)] {
        let manager = t.person(&admin, name, Some(boss.id)).await;
        for i in 0..size {
            let teammate = t.person(&admin, &format!("{name} Report {i}"), Some(manager.id)).await;
            let series = crate::support::weekly_from(&t, &manager, &teammate, "2026-10-05").await;
            let first = crate::support::upcoming(&t, &manager, series).await.remove(0);
            rated.push((teammate, first.id, rating));
        }
    }
    t.clock.set(at("2026-10-05T11:00:00Z"));
    for (teammate, id, rating) in &rated {
        t.app.rate_meeting(teammate, *id, *rating, "").await.unwrap();
    }
    t.clock.set(at("2026-11-02T12:00:00Z"));
    let (s, v) = view(&t, &vic, "4").await;
    assert_eq!(s, 200, "{v}");
    let orgs = v["organisations"].as_array().unwrap();
    assert_eq!(orgs.len(), 1, "{v}");
    assert_eq!((orgs[0]["label"].as_str(), orgs[0]["people"].as_u64()), (Some("Lee Leader"), Some(10)));
    assert!((rating(&orgs[0]).unwrap() - (6.0 * 4.0 + 4.0 * 2.0) / 10.0).abs() < 1e-9, "{}", orgs[0]);
    let teams = v["teams"].as_array().unwrap();
    let labels: Vec<&str> = teams.iter().map(|r| r["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["Ann Six", "Bo Four", "Cy Seven"], "Lee holds no 1:1s: no team of his own");
    assert_eq!((rating(&teams[0]), rating(&teams[1]), rating(&teams[2])), (None, None, Some(5.0)));
    assert!(v["others"].is_null(), "everyone is Lee's ten and Cy's seven: {}", v["others"]);
    // Lee's own view: his two teams, as Vic would have seen them without the subtotal.
    let (_, own) = view(&t, &lee, "4").await;
    assert_eq!(own["organisations"], serde_json::json!([]));
    assert_eq!((rating(&own["teams"][0]), rating(&own["teams"][1])), (None, None), "{own}");
    // The page shows the subtotal; the CSV says which row is which.
    let (browser, _) = t.signed_in("vic.president@example.com").await;
    let page = browser.get(t.url("/insights?weeks=4")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Organisation by organisation") && page.contains("<th scope=\"row\">Lee Leader</th><td>10</td>"), "{page}");
    let csv = browser.get(t.url("/insights.csv?weeks=4")).send().await.unwrap().text().await.unwrap();
    assert!(csv.lines().any(|l| l.starts_with("organisation,Lee Leader,4,10,1.000,3.20,")), "{csv}");
    assert!(csv.lines().any(|l| l.starts_with("team,Bo Four,4,,,,")), "{csv}");
}
