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
            let (_, text) = app.export_framework(&actor, chosen.id, version, format).await.map_err(describe)?;
            print!("{text}");
            Ok(())
        }
        FrameworkCommand::List => {
            let list = app.frameworks(&actor).await.map_err(describe)?;
            if !list.is_empty() {
                println!("framework\tversion\tupdated");
            }
            for f in list {
                println!("{}\tversion {}\t{}", f.name, f.version, f.updated_at.format("%Y-%m-%d"));
            }
            Ok(())
        }
    }
}
