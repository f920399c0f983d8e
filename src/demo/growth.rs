//! Growth records for the small demo organisation: the example framework, everyone with a
//! manager on a level, twelve weeks of assessments (so readiness has a history), a strength
//! and a plan each. Written through the use cases, each on its day in the past: they run on a
//! copy of the app whose fixed clock is set back before each step. Deterministic.

use crate::app::{App, AppError, AppResult};
use crate::clock::FixedClock;
use crate::domain::day::Day;
use crate::domain::framework::Format;
use crate::domain::growth::Rating;
use crate::domain::{Person, PersonId};
use crate::store::people::NewPerson;
use chrono::Duration;
use std::sync::Arc;

pub(super) async fn growth(app: &App, rows: &[NewPerson]) -> AppResult<()> {
    let Some(first) = rows.first() else { return Ok(()) };
    let now = app.clock.now();
    let clock = FixedClock::new(now);
    let then = app.clone().with_clock(Arc::new(clock.clone()));
    let person = |id: PersonId| async move { app.person_by_id_for_command(id).await?.ok_or(AppError::NotFound) };
    let admin = person(first.id).await?;
    clock.set(now - Duration::weeks(13));
    let f = then.import_framework(&admin, include_bytes!("../../frameworks/example.yaml"), Format::Yaml, "", true).await?;
    let competencies: Vec<String> = f.framework.competencies().map(|(_, c)| c.name.clone()).collect();
    let managers: Vec<PersonId> = rows.iter().filter_map(|r| r.manager_id).collect();
    for (i, row) in rows.iter().enumerate() {
        let Some(manager_id) = row.manager_id else { continue };
        let (me, manager) = (person(row.id).await?, person(manager_id).await?);
        let level = if managers.contains(&me.id) { "Engineering manager" } else { ["Engineer I", "Engineer II", "Senior engineer"][i % 3] };
        clock.set(now - Duration::weeks(13));
        then.set_level(&manager, me.id, f.framework_id, level).await?;
        // Every three weeks the manager assesses a few competencies, a little higher each time.
        for round in 0..4i64 {
            clock.set(now - Duration::weeks(12 - round * 3) + Duration::hours(i as i64));
            for (j, c) in competencies.iter().enumerate() {
                if (j + i + round as usize).is_multiple_of(3) {
                    continue;
                }
                let rating = match (round + j as i64 + i as i64) % 5 {
                    0 => Rating::Below,
                    1..=3 if round >= 2 && (j + i) % 2 == 0 => Rating::Exceeds,
                    _ => Rating::Meets,
                };
                let evidence = ["Discussed in our 1:1", "The design review", "Led the incident follow-up", ""][(i + j) % 4];
                then.assess(&manager, me.id, c, rating.as_str(), evidence).await?;
            }
        }
        clock.set(now - Duration::weeks(2));
        for (j, c) in competencies.iter().enumerate() {
            let rating = if (i + j).is_multiple_of(4) { Rating::Exceeds } else { Rating::Meets };
            then.assess(&me, me.id, c, rating.as_str(), "").await?;
        }
        clock.set(now - Duration::weeks(6));
        let strength =
            ["Explaining hard things simply", "Calm in incidents", "Finding the simple design", "Bringing people together"][i % 4];
        then.add_strength(
            &manager,
            me.id,
            strength,
            "Seen again and again in the last quarter.",
            "Leads the team's review of it once a month.",
        )
        .await?;
        plan(&then, &clock, now, &me, &manager).await?;
    }
    Ok(())
}

/// A growth plan the manager starts eight weeks ago: a step of the person's, overdue, one of
/// the manager's still to come, and the person's update three weeks ago.
async fn plan(then: &App, clock: &FixedClock, now: chrono::DateTime<chrono::Utc>, me: &Person, manager: &Person) -> AppResult<()> {
    let today = now.date_naive();
    let day = |d: i64| Day::new(today + Duration::days(d));
    clock.set(now - Duration::weeks(8));
    let plan = then.create_plan(manager, me.id, "growth", "Grow towards the next level", "Own a larger piece of work end to end.").await?;
    then.add_step(manager, plan, "Write the design for the next feature", Some(me.id), day(-5)).await?;
    then.add_step(manager, plan, "Review it together", Some(manager.id), day(10)).await?;
    clock.set(now - Duration::weeks(3));
    then.add_plan_update(me, plan, "First draft shared", "Waiting for feedback from the platform team", "Book a review").await?;
    Ok(())
}
