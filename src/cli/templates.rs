//! `rapport templates`: meeting templates in and out as files.

use super::args::*;
use super::{describe, import_refused, open, person_by_email};
use crate::config::Config;
use anyhow::Context;

pub(super) async fn templates_command(config: &Config, command: TemplatesCommand) -> anyhow::Result<()> {
    use crate::domain::template_files::TemplateFormat;
    let app = open(config, true).await?;
    match command {
        TemplatesCommand::Import { file, as_email, dry_run, format } => {
            let actor = person_by_email(&app, &as_email).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let shown = file.display().to_string();
            let format = match format {
                Some(f) => TemplateFormat::parse(&f).with_context(|| format!("unknown format {f}: use md or toml"))?,
                None => file
                    .extension()
                    .and_then(|e| TemplateFormat::parse(&e.to_string_lossy()))
                    .context("cannot tell the format from the file name: add --format md|toml")?,
            };
            match app.import_own_templates(&actor, &bytes, format, !dry_run).await {
                Ok(names) if dry_run => {
                    println!(
                        "{shown} is valid: importing would add {} template(s): {}. Nothing was changed.",
                        names.len(),
                        names.join(", ")
                    );
                    Ok(())
                }
                Ok(names) => {
                    println!("Imported {} template(s) for {}: {}.", names.len(), actor.email, names.join(", "));
                    Ok(())
                }
                Err(e) => Err(import_refused(&shown, e)),
            }
        }
        TemplatesCommand::Export { as_email, format } => {
            let actor = person_by_email(&app, &as_email).await?;
            let format = TemplateFormat::parse(&format).with_context(|| format!("unknown format {format}: use md or toml"))?;
            let text = app.export_own_templates(&actor, format).await.map_err(describe)?;
            print!("{text}");
            Ok(())
        }
    }
}
