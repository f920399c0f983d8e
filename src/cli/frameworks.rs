//! `rapport framework`: career frameworks in and out as files.

use super::args::*;
use super::{cli_actor, describe, import_refused, open};
use crate::config::Config;
use anyhow::Context;

pub(super) async fn framework_command(config: &Config, command: FrameworkCommand) -> anyhow::Result<()> {
    use crate::domain::framework::Format;
    let app = open(config, true).await?;
    let actor = cli_actor(&app).await?;
    match command {
        FrameworkCommand::Import { file, dry_run, format, name } => {
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let shown = file.display().to_string();
            let format = match format {
                Some(f) => Format::parse(&f).with_context(|| format!("unknown format {f}: use yaml, json or csv"))?,
                None => Format::from_file_name(&shown).context("cannot tell the format from the file name: add --format yaml|json|csv")?,
            };
            let name = name.unwrap_or_else(|| file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default());
            match app.import_framework(&actor, &bytes, format, &name, !dry_run).await {
                Ok(o) => {
                    let s = o.summary;
                    let what = format!(
                        "\"{}\": {} track(s), {} level(s), {} area(s), {} competencies, {} expectations",
                        o.framework.name, s.tracks, s.levels, s.areas, s.competencies, s.expectations
                    );
                    match (o.change.as_str(), o.applied) {
                        ("unchanged", _) => println!("{what}: the same as version {}. Nothing was changed.", o.version),
                        (_, true) => println!("Imported {what} as version {}.", o.version),
                        (change, false) => println!(
                            "{shown} is valid: importing would {} {what} (version {}). Nothing was changed.",
                            if change == "created" { "create" } else { "add a new version of" },
                            o.version
                        ),
                    }
                    for v in &o.vanished_levels {
                        println!("{}", v.message);
                    }
                    Ok(())
                }
                Err(e) => Err(import_refused(&shown, e)),
            }
        }
        FrameworkCommand::Export { format, name, version } => {
            let format = Format::parse(&format).with_context(|| format!("unknown format {format}: use yaml, json or csv"))?;
            let all = app.frameworks(&actor).await.map_err(describe)?;
            let chosen = match &name {
                Some(n) => all.iter().find(|f| f.name.eq_ignore_ascii_case(n.trim())).with_context(|| format!("no framework named {n}"))?,
                None if all.len() == 1 => &all[0],
                None if all.is_empty() => anyhow::bail!("there are no frameworks yet: import one with `rapport framework import FILE`"),
                None => anyhow::bail!("there are {} frameworks: choose one with --name", all.len()),
            };
            if let Some(n) = version {
                let (_, versions) = app.framework(&actor, chosen.id, None).await.map_err(describe)?;
                if !versions.iter().any(|(v, _)| *v == n) {
                    anyhow::bail!("{} has no version {n}: {}.", chosen.name, which_versions(&versions));
                }
            }
            let (_, text) = app.export_framework(&actor, chosen.id, version, format).await.map_err(describe)?;
            print!("{text}");
            Ok(())
        }
        FrameworkCommand::List => {
            let list = app.frameworks(&actor).await.map_err(describe)?;
            if !list.is_empty() {
                println!("framework\tversion\tupdated\tstate");
            }
            for f in list {
                let state = if f.archived_at.is_some() { "archived" } else { "in use" };
                println!("{}\tversion {}\t{}\t{state}", f.name, f.version, f.updated_at.format("%Y-%m-%d"));
            }
            Ok(())
        }
        FrameworkCommand::Archive { name } => {
            let f = named(&app, &actor, &name).await?;
            app.archive_framework(&actor, f.id).await.map_err(describe)?;
            println!("Archived {}: it is no longer offered when choosing a level; the people placed on it keep it.", f.name);
            Ok(())
        }
        FrameworkCommand::Restore { name } => {
            let f = named(&app, &actor, &name).await?;
            app.restore_framework(&actor, f.id).await.map_err(describe)?;
            println!("Restored {}: it is offered when choosing a level again.", f.name);
            Ok(())
        }
        FrameworkCommand::Delete { name } => {
            let f = named(&app, &actor, &name).await?;
            app.delete_framework(&actor, f.id).await.map_err(describe)?;
            println!("Deleted {} and its {} version(s).", f.name, f.version);
            Ok(())
        }
    }
}

/// The framework of that name (any case), archived or not.
async fn named(app: &crate::app::App, actor: &crate::domain::Person, name: &str) -> anyhow::Result<crate::domain::growth::FrameworkInfo> {
    let all = app.frameworks(actor).await.map_err(describe)?;
    all.into_iter().find(|f| f.name.eq_ignore_ascii_case(name.trim())).with_context(|| format!("no framework named {name}"))
}

/// "it has version 1 only", "it has versions 1 to 3" (newest first in `versions`).
fn which_versions(versions: &[crate::app::growth::VersionDate]) -> String {
    let numbers: Vec<i64> = versions.iter().map(|(n, _)| *n).collect();
    match (numbers.iter().min(), numbers.iter().max()) {
        (Some(lo), Some(hi)) if lo == hi => format!("it has version {lo} only"),
        (Some(lo), Some(hi)) if (hi - lo + 1) as usize == numbers.len() => format!("it has versions {lo} to {hi}"),
        _ => format!("it has versions {}", numbers.iter().rev().map(i64::to_string).collect::<Vec<_>>().join(", ")),
    }
}
