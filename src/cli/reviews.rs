//! `rapport review`: review periods, packets and reviews.

use super::args::*;
use super::{cli_actor, describe, open, person_by_email};
use crate::app::AppError;
use crate::config::Config;
use crate::domain::Invalid;
use crate::domain::day::FormDay;
use anyhow::Context;

pub(super) async fn review_command(config: &Config, command: ReviewCommand) -> anyhow::Result<()> {
    let app = open(config, true).await?;
    match command {
        ReviewCommand::Packet { person, period, format, as_email, repeat } => {
            let person = person_by_email(&app, &person).await?;
            let actor = match as_email {
                Some(e) => person_by_email(&app, &e).await?,
                None => match person.manager_id {
                    Some(m) => app.person_by_id_for_command(m).await?.context("the manager is missing")?,
                    None => person.clone(),
                },
            };
            let period = app.review_period(&actor, &period).await.map_err(|e| match e {
                crate::app::AppError::NotFound => anyhow::anyhow!("no review period named {period}: see `rapport review periods`"),
                other => describe(other),
            })?;
            let mut times = Vec::new();
            let mut packet = None;
            for _ in 0..repeat.max(1) {
                let started = std::time::Instant::now();
                packet = Some(app.review_packet(&actor, person.id, period.id).await.map_err(describe)?);
                times.push(started.elapsed());
            }
            let p = packet.context("no packet")?;
            match format.as_str() {
                "markdown" | "md" => print!("{}", crate::domain::review::packet_markdown(&p)),
                "json" => println!("{}", serde_json::to_string_pretty(&p)?),
                "html" => print!("{}", crate::app::print::packet_html_standalone(&p, None)?),
                other => anyhow::bail!("unknown format {other}: use markdown, json or html"),
            }
            if repeat > 1 {
                times.sort();
                let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                eprintln!(
                    "packet for {} over {}: {} runs, min {:.2} ms, median {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} meetings, {} feedback)",
                    person.email,
                    period.name,
                    times.len(),
                    ms(times[0]),
                    ms(times[times.len() / 2]),
                    ms(times[(times.len() * 95 / 100).min(times.len() - 1)]),
                    ms(times[times.len() - 1]),
                    p.meetings.len(),
                    p.feedback.len()
                );
            }
            Ok(())
        }
        ReviewCommand::Periods => {
            let actor = cli_actor(&app).await?;
            let list = app.review_periods(&actor).await.map_err(describe)?;
            if !list.is_empty() {
                println!("period\tstarts\tends\tid");
            }
            for p in list {
                println!("{}\t{}\t{}\t{}", p.name, p.starts_on, p.ends_on, p.id);
            }
            Ok(())
        }
        ReviewCommand::AddPeriod { name, start, end } => {
            let actor = cli_actor(&app).await?;
            let mut errors = Invalid::default();
            let (s, e) = (FormDay::read(&start).required("starts_on", &mut errors), FormDay::read(&end).required("ends_on", &mut errors));
            let (Some(s), Some(e)) = (s, e) else { return Err(describe(AppError::Invalid(errors))) };
            let p = app.create_review_period(&actor, &name, s, e).await.map_err(describe)?;
            println!("Defined {} ({} to {}).", p.name, p.starts_on, p.ends_on);
            Ok(())
        }
    }
}
