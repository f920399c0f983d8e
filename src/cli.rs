//! The command line: `rapport serve`, `rapport demo`, `rapport people import`,
//! `rapport meetings upcoming`, `rapport actions list`, …
//! Every command works on the database the configuration names, through the same use cases
//! as the web pages and the API.

use crate::app::App;
use crate::app::accounts::NewAdmin;
use crate::config::{Config, ConfigArgs, LogFormat};
use crate::demo::{self, DemoOptions};
use crate::store::Db;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(name = "rapport", version, about = "Self-hosted 1:1 meetings for engineering leaders and their teammates")]
pub struct Cli {
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web application and API
    Serve {
        /// Fill an empty instance with the small demo organisation first
        #[arg(long)]
        demo: bool,
        /// Do not run database migrations at start (run `rapport migrate` separately)
        #[arg(long)]
        no_migrate: bool,
    },
    /// Apply database migrations and exit
    Migrate,
    /// Fill an empty instance with a demo organisation
    Demo {
        /// Number of people; leave out for the small hand-made organisation (about 25 people)
        #[arg(long)]
        people: Option<usize>,
        /// Years of history
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// The same seed always gives the same organisation
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Manage admins
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// People and reporting lines
    People {
        #[command(subcommand)]
        command: PeopleCommand,
    },
    /// Career frameworks: import and export (YAML, JSON or a CSV matrix)
    Framework {
        #[command(subcommand)]
        command: FrameworkCommand,
    },
    /// 1:1 meetings
    Meetings {
        #[command(subcommand)]
        command: MeetingsCommand,
    },
    /// Action items from 1:1s
    Actions {
        #[command(subcommand)]
        command: ActionsCommand,
    },
    /// Personal API tokens
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Configuration
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// E-mail
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// The background job queue (e-mails, webhooks)
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
    /// Feedback and reviews: review periods and review packets
    Review {
        #[command(subcommand)]
        command: ReviewCommand,
    },
    /// Meeting templates someone wrote: import and export (Markdown or TOML)
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// Strategy into day-to-day: a leader's talking point in every 1:1 of their organisation
    Strategy {
        #[command(subcommand)]
        command: StrategyCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum StrategyCommand {
    /// Place a talking point into the next 1:1 of every pair led by the leader or anyone below them
    Place {
        /// The leader's e-mail
        #[arg(long = "as")]
        leader: String,
        /// The talking point
        text: String,
        /// Only list the 1:1s it would reach
        #[arg(long)]
        dry_run: bool,
    },
    /// Take a placement back from the 1:1s still to come (discussed ones stay)
    Withdraw {
        /// The leader's e-mail
        #[arg(long = "as")]
        leader: String,
        /// The placement's id (printed by `place`)
        id: uuid::Uuid,
    },
}

#[derive(Subcommand, Debug)]
pub enum TemplatesCommand {
    /// Add templates from a .md or .toml file to someone's own. All or nothing; every problem
    /// is reported with its line and column.
    Import {
        file: PathBuf,
        /// Whose templates (by e-mail); an admin's are offered to everyone
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// Only check the file; change nothing
        #[arg(long)]
        dry_run: bool,
        /// md or toml (default: from the file's extension)
        #[arg(long)]
        format: Option<String>,
    },
    /// Print someone's own templates to standard output
    Export {
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: String,
        /// md or toml
        #[arg(long, default_value = "md")]
        format: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReviewCommand {
    /// Print the review packet of one person (by e-mail) for a period: Markdown, JSON or print-ready HTML
    Packet {
        /// The person's e-mail
        person: String,
        /// The period's name or id
        #[arg(long)]
        period: String,
        /// markdown, json or html
        #[arg(long, default_value = "markdown")]
        format: String,
        /// Act as this person (by e-mail) [default: the person's manager]. Packets follow the
        /// access policy: the person and their manager only.
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
        /// Build the packet this many times and print the timings to stderr (a benchmark)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// List the review periods
    Periods,
    /// Define a review period (acts as the first admin)
    AddPeriod {
        name: String,
        /// First day, YYYY-MM-DD
        #[arg(long)]
        start: String,
        /// Last day, YYYY-MM-DD
        #[arg(long)]
        end: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an admin account. The password is read from RAPPORT_ADMIN_PASSWORD, or asked for.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        title: String,
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCommand {
    /// Import a framework from a .yaml, .json or .csv file. A framework with the same name gets
    /// a new version. All or nothing.
    Import {
        file: PathBuf,
        /// Only check the file and show what would be created; change nothing
        #[arg(long)]
        dry_run: bool,
        /// yaml, json or csv (default: from the file's extension)
        #[arg(long)]
        format: Option<String>,
        /// The framework's name, for a CSV matrix (default: the file's name)
        #[arg(long)]
        name: Option<String>,
    },
    /// Print a framework to standard output
    Export {
        /// yaml, json or csv
        #[arg(long, default_value = "yaml")]
        format: String,
        /// Which framework (default: the only one)
        #[arg(long)]
        name: Option<String>,
        /// Which version (default: the latest)
        #[arg(long)]
        version: Option<i64>,
    },
    /// List frameworks and their latest versions
    List,
}

#[derive(Subcommand, Debug)]
pub enum PeopleCommand {
    /// Import people from a CSV file: name,email,title,manager_email,timezone. All or nothing.
    Import {
        file: PathBuf,
        /// Only check the file; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List people
    List {
        /// Part of a name, e-mail or title
        #[arg(long, default_value = "")]
        search: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum MeetingsCommand {
    /// Someone's next 1:1s, in their own time zone: date, time, with whom, series status
    Upcoming {
        /// Whose 1:1s
        #[arg(long)]
        email: String,
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(i64).range(1..=100))]
        limit: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ActionsCommand {
    /// Someone's open action items across all their 1:1s: due date, owner, text, with whom
    List {
        /// Whose action items
        #[arg(long)]
        email: String,
        /// Only "How can I help?" commitments
        #[arg(long)]
        help_only: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a personal API token for someone (printed once)
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
    },
    /// Sign someone out everywhere: end all their sessions and revoke all their API tokens
    /// (their password is unchanged)
    SignOutEverywhere {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a commented example rapport.toml
    Example,
}

#[derive(Subcommand, Debug)]
pub enum MailCommand {
    /// Send a test message through the configured SMTP server, and show its answer
    Test {
        /// Where to send it
        address: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// Queue the reminders that are due and send every due job once, then exit
    Run,
    /// Jobs that failed or wait to retry, with their errors
    Failed,
}

pub fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}

async fn open(config: &Config, migrate: bool) -> anyhow::Result<App> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    }
    let url = config.database_url();
    let db = Db::connect(&url).await.with_context(|| format!("cannot open the database {}", crate::store::redact_url(&url)))?;
    if migrate {
        db.migrate().await.context("database migration failed")?;
    }
    Ok(App::new(db, config.clone()))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Config { command: ConfigCommand::Example } = cli.command {
        print!("{}", crate::config::EXAMPLE);
        return Ok(());
    }
    let config = Config::load(&cli.config)?;
    init_logging(&config);
    match cli.command {
        Command::Serve { demo, no_migrate } => serve(config, demo, !no_migrate).await,
        Command::Mail { command: MailCommand::Test { address } } => {
            let app = open(&config, false).await?;
            app.send_test_mail(&address).await.map_err(describe)?;
            println!("The SMTP server accepted a test message to {address}.");
            Ok(())
        }
        Command::Jobs { command } => {
            let app = open(&config, true).await?;
            match command {
                JobsCommand::Run => {
                    let queued = app.run_scheduler().await.map_err(describe)?;
                    let ran = app.run_jobs(&format!("cli-{}", std::process::id())).await.map_err(describe)?;
                    println!("Queued {queued} reminders; ran {ran} jobs.");
                }
                JobsCommand::Failed => {
                    let admin = cli_actor(&app).await?;
                    let report = app.job_report(&admin).await.map_err(describe)?;
                    for (state, n) in report.counts {
                        println!("{state}: {n}");
                    }
                    for j in report.troubled {
                        println!("{}\t{}\t{}\t{}/{}\t{}", j.state, j.kind, j.idempotency_key, j.attempts, j.max_attempts, j.last_error);
                    }
                }
            }
            Ok(())
        }
        Command::Migrate => {
            let app = open(&config, true).await?;
            println!("The {} database is up to date.", app.db.backend_name());
            Ok(())
        }
        Command::Demo { people, years, seed } => {
            let app = open(&config, true).await?;
            let started = Instant::now();
            let summary = demo::generate(
                &app,
                DemoOptions { people: people.unwrap_or(0), years, seed, progress: std::io::stderr().is_terminal() || people.is_some() },
            )
            .await?;
            println!("Demo organisation ready: {} people in {:.1} s.", summary.people, started.elapsed().as_secs_f64());
            print_sign_ins(&summary.sign_ins);
            Ok(())
        }
        Command::Admin { command: AdminCommand::Create { name, email, title, timezone } } => {
            let app = open(&config, true).await?;
            let password = read_password()?;
            let p = app.create_admin(NewAdmin { name, email, password, timezone, title }, false).await.map_err(describe)?;
            println!("Created admin {} <{}>.", p.name, p.email);
            Ok(())
        }
        Command::People { command: PeopleCommand::Import { file, dry_run } } => {
            let app = open(&config, true).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let actor = cli_actor(&app).await?;
            match app.import_people(&actor, &bytes, !dry_run).await {
                Ok(s) if s.applied => println!("Imported {}: {} added, {} updated.", file.display(), s.created, s.updated),
                Ok(s) => println!(
                    "{} is valid: importing would add {} and update {}. Nothing was changed.",
                    file.display(),
                    s.created,
                    s.updated
                ),
                Err(crate::app::AppError::Invalid(i)) => {
                    eprintln!("Nothing was imported. {} problem(s) in {}:", i.0.len(), file.display());
                    for e in &i.0 {
                        eprintln!("  {}:{}", file.display(), e);
                    }
                    std::process::exit(1);
                }
                Err(e) => return Err(describe(e)),
            }
            Ok(())
        }
        Command::Framework { command } => framework_command(&config, command).await,
        Command::Review { command } => review_command(&config, command).await,
        Command::Templates { command } => templates_command(&config, command).await,
        Command::People { command: PeopleCommand::List { search } } => {
            let app = open(&config, true).await?;
            let actor = cli_actor(&app).await?;
            let mut page = 1;
            let mut out = std::io::stdout().lock();
            loop {
                let list = app.list_people(&actor, &search, page, crate::app::people::MAX_PAGE_SIZE).await.map_err(|e| match e {
                    // The search is `q` on the web; here it is the `--search` option.
                    crate::app::AppError::Invalid(mut i) => {
                        i.0.iter_mut().filter(|f| f.field == "q").for_each(|f| f.field = "--search".into());
                        describe(crate::app::AppError::Invalid(i))
                    }
                    other => describe(other),
                })?;
                for p in &list.people {
                    writeln!(out, "{}\t{}\t{}\t{}", p.person.name, p.person.email, p.person.title, p.person.timezone)?;
                }
                if (page as i64) * (crate::app::people::MAX_PAGE_SIZE as i64) >= list.total {
                    break;
                }
                page += 1;
            }
            Ok(())
        }
        Command::Meetings { command: MeetingsCommand::Upcoming { email, limit } } => {
            let app = open(&config, true).await?;
            let person = person_by_email(&app, &email).await?;
            let tz = person.timezone.parse::<chrono_tz::Tz>().unwrap_or(chrono_tz::UTC);
            let list = app.upcoming_meetings(&person, limit).await.map_err(describe)?;
            if list.is_empty() {
                eprintln!("No 1:1s coming up for {}.", person.email);
            }
            let mut out = std::io::stdout().lock();
            for u in &list {
                let starts = u.meeting.starts_at.with_timezone(&tz);
                let ends = u.meeting.ends_at().with_timezone(&tz);
                writeln!(
                    out,
                    "{}\t{}–{} {}\t{}\t{}",
                    starts.format("%a %Y-%m-%d"),
                    starts.format("%H:%M"),
                    ends.format("%H:%M"),
                    starts.format("%Z"),
                    u.other.name,
                    u.series.status.as_str()
                )?;
            }
            Ok(())
        }
        Command::Actions { command: ActionsCommand::List { email, help_only } } => {
            let app = open(&config, true).await?;
            let person = person_by_email(&app, &email).await?;
            let only = help_only.then_some(crate::domain::meeting::ActionKind::Help);
            let list = app.my_actions(&person, only).await.map_err(describe)?;
            if list.is_empty() {
                eprintln!("No open action items for {}.", person.email);
            }
            let mut out = std::io::stdout().lock();
            for a in &list {
                let due = a.action.due_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "-".into());
                let owner = if a.action.owner_id == person.id { &person.name } else { &a.other.name };
                // One item per line, whatever was typed.
                let text: String = a.action.body.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
                let help = if a.action.kind == crate::domain::meeting::ActionKind::Help { "How can I help: " } else { "" };
                writeln!(out, "{due}\t{owner}\t{help}{text}\t{}", a.other.name)?;
            }
            Ok(())
        }
        Command::Token { command: TokenCommand::Create { email, name } } => {
            let app = open(&config, true).await?;
            let person = person_by_email(&app, &email).await?;
            let t = app.create_token(&person, &name).await.map_err(describe)?;
            println!("{}", t.token);
            eprintln!("Token \"{}\" for {}. Keep it secret; rapport will not show it again.", t.name, person.email);
            Ok(())
        }
        Command::Token { command: TokenCommand::SignOutEverywhere { email } } => {
            let app = open(&config, true).await?;
            let person = person_by_email(&app, &email).await?;
            let (sessions, tokens) = app.sign_out_everywhere(&person).await.map_err(describe)?;
            println!("{}: {sessions} sessions ended, {tokens} API tokens revoked.", person.email);
            Ok(())
        }
        Command::Strategy { command: StrategyCommand::Place { leader, text, dry_run } } => {
            let app = open(&config, true).await?;
            let leader = person_by_email(&app, &leader).await?;
            if dry_run {
                crate::domain::strategy::check_text(&text).map_err(|e| describe(e.into()))?;
                let reach = app.strategy_reach(&leader).await.map_err(describe)?;
                for r in &reach {
                    println!("{}\t{}\t{}", r.meeting.starts_at.to_rfc3339(), r.manager.name, r.teammate.name);
                }
                eprintln!("{}", crate::domain::strategy::reach_message(reach.len()));
                return Ok(());
            }
            let v = app.place_strategy(&leader, &text).await.map_err(describe)?;
            for (m, t, at) in &v.pairs {
                println!("{}\t{m}\t{t}", at.to_rfc3339());
            }
            eprintln!("Placed in {} 1:1s as placement {}.", v.pairs.len(), v.placement.id);
            Ok(())
        }
        Command::Strategy { command: StrategyCommand::Withdraw { leader, id } } => {
            let app = open(&config, true).await?;
            let leader = person_by_email(&app, &leader).await?;
            let (removed, kept) = app.withdraw_strategy(&leader, id).await.map_err(describe)?;
            eprintln!("Withdrawn from {removed} 1:1s still to come; {kept} stay (already discussed or begun).");
            Ok(())
        }
        Command::Config { .. } => unreachable!("handled above"),
    }
}

async fn templates_command(config: &Config, command: TemplatesCommand) -> anyhow::Result<()> {
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
                Err(crate::app::AppError::Invalid(i)) => {
                    eprintln!("Nothing was imported. {} problem(s) in {shown}:", i.0.len());
                    for e in &i.0 {
                        eprintln!("  {shown}:{e}");
                    }
                    std::process::exit(1);
                }
                Err(e) => Err(describe(e)),
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

async fn framework_command(config: &Config, command: FrameworkCommand) -> anyhow::Result<()> {
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
                Err(crate::app::AppError::Invalid(i)) => {
                    eprintln!("Nothing was imported. {} problem(s) in {shown}:", i.0.len());
                    for e in &i.0 {
                        eprintln!("  {shown}:{e}");
                    }
                    std::process::exit(1);
                }
                Err(e) => Err(describe(e)),
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
            for f in app.frameworks(&actor).await.map_err(describe)? {
                println!("{}\tversion {}\t{}", f.name, f.version, f.updated_at.format("%Y-%m-%d"));
            }
            Ok(())
        }
    }
}

async fn review_command(config: &Config, command: ReviewCommand) -> anyhow::Result<()> {
    let app = open(config, true).await?;
    match command {
        ReviewCommand::Packet { person, period, format, as_email, repeat } => {
            let person = person_by_email(&app, &person).await?;
            let actor = match as_email {
                Some(e) => person_by_email(&app, &e).await?,
                None => match person.manager_id {
                    Some(m) => crate::store::people::get(&app.db, m).await?.context("the manager is missing")?,
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
                "html" => print!("{}", crate::web::pages::reviews::packet_html_standalone(&p, None)?),
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
            for p in app.review_periods(&actor).await.map_err(describe)? {
                println!("{}\t{}\t{}\t{}", p.name, p.starts_on, p.ends_on, p.id);
            }
            Ok(())
        }
        ReviewCommand::AddPeriod { name, start, end } => {
            let actor = cli_actor(&app).await?;
            let p = app.create_review_period(&actor, &name, &start, &end).await.map_err(describe)?;
            println!("Defined {} ({} to {}).", p.name, p.starts_on, p.ends_on);
            Ok(())
        }
    }
}

/// Commands run on the server itself act as its first admin: whoever can run them can
/// read the database anyway.
async fn cli_actor(app: &App) -> anyhow::Result<crate::domain::Person> {
    crate::store::people::first_admin(&app.db)
        .await?
        .context("there is no admin yet: create one with `rapport admin create` or open rapport in a browser")
}

/// The person a command acts for, named by `--email`. Whoever can run commands on the server
/// can read the database anyway, so acting for someone needs no password.
async fn person_by_email(app: &App, email: &str) -> anyhow::Result<crate::domain::Person> {
    crate::store::people::get_by_email(&app.db, &email.trim().to_lowercase())
        .await?
        .with_context(|| format!("no one with the e-mail {email}"))
}

fn describe(e: crate::app::AppError) -> anyhow::Error {
    match e {
        crate::app::AppError::Invalid(i) => anyhow::anyhow!("{i}"),
        other => anyhow::anyhow!(other),
    }
}

fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("RAPPORT_ADMIN_PASSWORD") {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        let p = rpassword::prompt_password("Password (at least 10 characters): ")?;
        let again = rpassword::prompt_password("Once more: ")?;
        anyhow::ensure!(p == again, "the two passwords differ");
        Ok(p)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_string())
    }
}

fn print_sign_ins(list: &[(String, String)]) {
    println!("Sign in with password \"{}\" as:", demo::DEMO_PASSWORD);
    for (who, email) in list {
        println!("  {email:45} {who}");
    }
}

async fn serve(config: Config, with_demo: bool, migrate: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let app = open(&config, migrate).await?;
    if with_demo {
        if crate::store::people::count(&app.db).await? == 0 {
            let s = demo::generate(&app, DemoOptions { progress: false, ..Default::default() }).await?;
            println!("Filled the database with the demo organisation ({} people).", s.people);
            print_sign_ins(&s.sign_ins);
        } else if crate::store::people::get_by_email(&app.db, &demo::small_demo_sign_ins()[0].1).await?.is_some() {
            print_sign_ins(&demo::small_demo_sign_ins());
        } else {
            println!("This instance already has people in it, so no demo data was added.");
        }
    }
    let listener = tokio::net::TcpListener::bind(&config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    // Housekeeping: expired sessions and old sign-in attempts, hourly.
    let sweeper = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = sweeper.clean_up().await {
                tracing::warn!(error = %e, "housekeeping failed");
            }
        }
    });
    tracing::info!(address = %addr, database = app.db.backend_name(), startup_ms = started.elapsed().as_millis() as u64, "rapport is listening");
    println!("rapport is running at http://{addr}/ ({} database). Press Ctrl+C to stop.", app.db.backend_name());
    // The job worker: reminders and messages, until shutdown (a job in flight when the process
    // dies is taken over by any instance once its lease runs out).
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(app.clone().work(format!("{}-{}", addr, std::process::id()), stopped));
    let db = app.db.clone();
    crate::web::serve(app, listener, shutdown_signal()).await?;
    let _ = stop.send(true);
    let _ = worker.await;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

pub fn flush() {
    let _ = std::io::stdout().flush();
}
