//! Scheduled work costs what changed, not what exists, and reads never write (issue 15).
//!
//! A reminder-scheduler pass with nothing due runs a few statements, as many for an
//! organisation of sixty people with weeks of history as for one of five; so does the first
//! pass of an instance just started. And the pages a person reads, shown a second time with
//! nothing to add, write nothing.

use crate::on_both;
use crate::support::{Pair, TestApp, a_manager_with_a_report, at, spawn_on, statements, weekly_from};
use chrono::Duration;
use rapport::clock::Clock;
use rapport::config::Config;
use rapport::domain::Person;
use rapport::domain::meeting::ActionKind;
use tracing::Instrument;
use uuid::Uuid;

on_both!(
    a_scheduler_pass_with_nothing_due_runs_as_few_statements_for_sixty_people_as_for_five,
    pages_shown_again_with_nothing_to_add_write_nothing
);

/// Most statements a pass with nothing due may run.
const PASS_BUDGET: usize = 12;

/// Weekly 1:1s of `manager` with `teammate` on Wednesdays at 10:00 UTC from 4 March 2026.
async fn weekly(t: &TestApp, manager: &Person, teammate: &Person) -> Uuid {
    weekly_from(t, manager, teammate, "2026-03-04").await
}

/// Three weeks of 1:1s for each series (from 4 March): a topic from the teammate, a shared
/// note, and an action for the teammate due two days later that stays open.
async fn three_weeks_of_history(t: &TestApp, pairs: &[(Person, Person, Uuid)]) {
    for week in 0..3 {
        t.clock.set(at("2026-03-04T09:00:00Z") + Duration::weeks(week));
        for (manager, teammate, series) in pairs {
            let meeting = t.app.series_view(manager, *series, None).await.unwrap().upcoming[0].clone();
            t.app.add_point(teammate, meeting.id, &format!("Week {week}: the migration"), false).await.unwrap();
            t.app.save_note(manager, meeting.id, false, &format!("We talked about week {week}."), 0).await.unwrap();
            let due = meeting.starts_at.date_naive() + Duration::days(2);
            t.app.add_action(manager, meeting.id, &format!("Action {week}"), teammate.id, Some(due), ActionKind::Normal).await.unwrap();
        }
    }
}

/// Statements one scheduler pass runs (counted in a span of the test's own).
async fn pass(t: &TestApp) -> usize {
    statements::fewest(1, || t.app.run_scheduler().instrument(tracing::info_span!("scheduler"))).await
}

/// Sunday 29 March 2026, 12:00 UTC: every teammate has actions past due; the next 1:1s are on
/// Wednesday, their nudges due on Monday and prep reminders on Tuesday; no digest is due.
fn sunday() -> chrono::DateTime<chrono::Utc> {
    at("2026-03-29T12:00:00Z")
}

/// The statements of: a pass a minute after one that queued what was due, one two minutes
/// after, and the first pass of a second instance started on the same database then.
async fn passes_with_nothing_due(t: &TestApp) -> [usize; 3] {
    t.clock.set(sunday());
    pass(t).await;
    t.clock.set(sunday() + Duration::minutes(1));
    let a = pass(t).await;
    t.clock.set(sunday() + Duration::minutes(2));
    let b = pass(t).await;
    let other = spawn_on(&t.db_url, None, Config::default()).await;
    other.clock.set(sunday() + Duration::minutes(3));
    let c = statements::fewest(1, || other.app.run_scheduler().instrument(tracing::info_span!("scheduler"))).await;
    [a, b, c]
}

async fn a_scheduler_pass_with_nothing_due_runs_as_few_statements_for_sixty_people_as_for_five(t: TestApp) {
    statements::count_in("scheduler");
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let admin = t.admin().await;
    // Five people: the admin, a manager and her three reports.
    let mut pairs = vec![];
    let manager = t.person(&admin, "Maria Manager", Some(admin.id)).await;
    for n in 0..3 {
        let report = t.person(&admin, &format!("Report {n}"), Some(manager.id)).await;
        let series = weekly(&t, &manager, &report).await;
        pairs.push((manager.clone(), report, series));
    }
    three_weeks_of_history(&t, &pairs).await;
    let five = passes_with_nothing_due(&t).await;
    let queued = rapport::store::jobs::count_with_prefix(&t.app.db, "overdue:").await.unwrap();
    assert_eq!(queued, 3, "each teammate heard of their actions past due");

    // Fifty-five more: eleven managers with four reports each, with the same history.
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let mut more = vec![];
    for m in 0..11 {
        let manager = t.person(&admin, &format!("Manager {m}"), Some(admin.id)).await;
        for n in 0..4 {
            let report = t.person(&admin, &format!("Report {m}-{n}"), Some(manager.id)).await;
            let series = weekly(&t, &manager, &report).await;
            more.push((manager.clone(), report, series));
        }
    }
    three_weeks_of_history(&t, &more).await;
    let sixty = passes_with_nothing_due(&t).await;
    let queued = rapport::store::jobs::count_with_prefix(&t.app.db, "overdue:").await.unwrap();
    assert_eq!(queued, 47, "each teammate heard of their actions past due, once");

    let names = ["a minute after", "two minutes after", "a new instance's first pass"];
    let mut wrong = vec![];
    for ((name, small), large) in names.iter().zip(five).zip(sixty) {
        eprintln!("{name:<28} {small:>4} statements with five people, {large:>4} with sixty");
        if large != small {
            wrong.push(format!("{name}: {small} statements with five people, {large} with sixty"));
        }
        if large > PASS_BUDGET {
            wrong.push(format!("{name}: {large} statements, over the budget of {PASS_BUDGET}"));
        }
    }
    assert!(five[2] > 0, "statements are counted");
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

async fn pages_shown_again_with_nothing_to_add_write_nothing(t: TestApp) {
    statements::count();
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let Pair { manager, teammate, .. } = a_manager_with_a_report(&t).await;
    let series = weekly(&t, &manager, &teammate).await;
    let pairs = vec![(manager.clone(), teammate.clone(), series)];
    three_weeks_of_history(&t, &pairs).await;
    // Three 1:1s are over and nobody has looked since: the first views may plan meetings
    // ahead and move topics on; the second have nothing to add.
    t.clock.set(at("2026-03-24T09:00:00Z"));
    let (m, _) = t.signed_in(&manager.email).await;
    let (tm, _) = t.signed_in(&teammate.email).await;
    let next = rapport::store::meetings::upcoming(&t.app.db, series, t.clock.now(), 1).await.unwrap()[0].id;
    let paths = |who: &str| {
        let mut paths = vec![
            "/meetings".to_string(),
            format!("/series/{series}"),
            format!("/meetings/{next}"),
            format!("/people/{}", teammate.id),
            "/actions".to_string(),
        ];
        if who == "manager" {
            paths.push(format!("/meetings/{next}/prep"));
        }
        paths
    };
    let people = [("manager", &m), ("teammate", &tm)];
    let (_, before) = statements::so_far();
    for (who, c) in people {
        for path in paths(who) {
            get(&t, c, &path).await;
        }
    }
    let (_, after) = statements::so_far();
    assert!(after > before, "the first views planned meetings ahead (and writes are counted)");
    let mut wrote = vec![];
    for (who, c) in people {
        for path in paths(who) {
            let (_, before) = statements::so_far();
            get(&t, c, &path).await;
            let (_, after) = statements::so_far();
            if after > before {
                wrote.push(format!("{path} ({who}): {} writing statements", after - before));
            }
        }
    }
    assert!(wrote.is_empty(), "pages shown again wrote:\n{}", wrote.join("\n"));
}

async fn get(t: &TestApp, c: &reqwest::Client, path: &str) {
    let r = c.get(t.url(path)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap();
}
