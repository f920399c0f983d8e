//! Scheduled work costs what changed, not what exists, and reads never write (issue 15).
//!
//! A reminder-scheduler pass with nothing due runs a few statements, as many for an
//! organisation of sixty people with weeks of history as for one of five; so does the first
//! pass of an instance just started. And the pages a person reads, shown a second time with
//! nothing to add, write nothing.

use crate::on_both;
use crate::support::{TestApp, at, day, statements};
use chrono::Duration;
use rapport::app::meetings::SeriesInput;
use rapport::clock::Clock;
use rapport::domain::Person;
use rapport::domain::meeting::{ActionKind, SeriesKind};
use rapport::domain::schedule::Cadence;
use uuid::Uuid;

on_both!(pages_shown_again_with_nothing_to_add_write_nothing);

/// Weekly 1:1s of `manager` with `teammate` on Wednesdays at 10:00 UTC from 4 March 2026.
async fn weekly(t: &TestApp, manager: &Person, teammate: &Person) -> Uuid {
    let input = SeriesInput {
        teammate_id: teammate.id,
        kind: SeriesKind::Regular,
        cadence: Cadence::Weekly,
        first_date: day("2026-03-04"),
        time: "10:00".into(),
        timezone: "UTC".into(),
        duration_minutes: 30,
    };
    t.app.create_series(manager, input).await.unwrap().id
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

async fn pages_shown_again_with_nothing_to_add_write_nothing(t: TestApp) {
    statements::count();
    t.clock.set(at("2026-03-02T08:00:00Z"));
    let admin = t.admin().await;
    let manager = t.person(&admin, "Maria Manager", Some(admin.id)).await;
    let teammate = t.person(&admin, "Tom Teammate", Some(manager.id)).await;
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
