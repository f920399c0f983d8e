use crate::app::App;
use crate::store::people::{self, NewPerson};
use chrono::Duration;

/// Guidance in the small demo, so its pages have something to show: the director's talking
/// point in every pair's next 1:1; for the demo manager (Aiko) an about page on Mei with her
/// birthday next week, a setback record with a follow-up, the first ten 1:1s started with
/// another teammate (session 1 on their next agenda); and "how to work with me" from both.
pub(super) async fn guidance(app: &App, rows: &[NewPerson]) -> crate::app::AppResult<()> {
    use crate::domain::about::{AboutInput, DateInput, TimeOffInput};
    use crate::domain::day::{Day, FormDay};
    use crate::domain::setback::{FollowUpInput, SetbackInput};
    let get = |i: usize| {
        let id = rows[i].id;
        async move { people::get(&app.db, id).await?.ok_or(crate::app::AppError::NotFound) }
    };
    let (director, aiko, mei) = (get(0).await?, get(2).await?, get(11).await?);
    let today = app.clock.now().date_naive();
    let day = |d: i64| Day::new(today + Duration::days(d));

    app.place_strategy(&director, "This quarter: fewer, better launches. What would you stop doing to make room for that?").await?;

    let typed = |d: i64| FormDay::read(&(today + Duration::days(d)).to_string());
    let birthday = today + Duration::days(6);
    let about = AboutInput {
        interests: "Climbing on weekends; learning Korean; bakes sourdough for the team on Fridays.".into(),
        family: "Partner Wei; a cat called Miso.".into(),
        dates: vec![DateInput {
            id: None,
            label: "Birthday".into(),
            date: FormDay::read(&birthday.format("1994-%m-%d").to_string()),
            yearly: true,
        }],
        time_off: vec![TimeOffInput { id: None, label: "Visiting family in Penang".into(), starts_on: typed(24), ends_on: typed(35) }],
        version: Some(0),
    };
    app.save_about_page(&aiko, mei.id, &about).await?;

    let setback = SetbackInput {
        occurred_on: day(-10)
            .ok_or_else(|| crate::app::AppError::Internal(anyhow::anyhow!("the demo's day is outside the years a date may have")))?,
        facts: "The cache migration was rolled back twice in one week. Search was slow for about two hours on the second attempt.".into(),
        contexts: vec!["competing_priorities".into(), "unclear_expectations".into()],
        context_other: String::new(),
        remedy: "The migration now runs behind a flag, one region at a time, with a rollback script tested first.".into(),
        manager_change: "I'll keep on-call weeks free of migration work, and agree on what done means before we start.".into(),
        learned: "A dry run against a copy of production data finds the slow queries before users do.".into(),
        meeting_id: None,
    };
    let follow_up = FollowUpInput { body: "Write the migration runbook together".into(), owner_id: None, due_date: day(12) };
    app.record_setback(&aiko, mei.id, &setback, &[follow_up]).await?;

    for (who, words) in [
        (
            &aiko,
            [
                "Short messages are fine; I answer in batches, twice a day.",
                "Mornings are for deep work; meetings after lunch suit me best.",
                "Tell me straight away, in private, with an example.",
            ],
        ),
        (
            &mei,
            [
                "I prefer writing first and talking after, so I can think it through.",
                "I start early (Singapore) and stop at 6.",
                "Specific and soon; I like to know what good would have looked like.",
            ],
        ),
    ] {
        let sections: Vec<(String, String)> =
            ["communication", "hours", "feedback"].iter().zip(words).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        app.save_work_with_me(who, who.id, &sections, 0).await?;
        app.share_work_with_me(who, who.id, true).await?;
    }

    // The first ten 1:1s with one of Aiko's other reports (a manager who inherited a team).
    if let Some(pair) = app.my_series(&aiko).await?.into_iter().find(|s| s.other.id != mei.id && s.series.manager_id == aiko.id) {
        app.start_program(&aiko, pair.series.id).await?;
        app.run_session(&aiko, pair.series.id, "getting-to-know", None).await?;
    }
    Ok(())
}
