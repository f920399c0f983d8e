//! The command line: `rapport serve`, `rapport demo`, `rapport people import`,
//! `rapport meetings upcoming`, `rapport actions list`, …
//! Every command works on the database the configuration names, through the same use cases
//! as the web pages and the API.

mod args;
mod frameworks;
mod reviews;
mod serve;
mod templates;

pub use args::*;

use crate::app::App;
use crate::app::accounts::NewAdmin;
use crate::config::{Config, LogFormat};
use crate::demo::{self, DemoOptions};
use crate::store::Db;
use anyhow::Context;
use frameworks::framework_command;
use reviews::review_command;
use serve::serve;
use std::io::{BufRead, IsTerminal, Write};
use std::time::Instant;
use templates::templates_command;

pub fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    // Each span says how long it took as it closes: at the default level that is one line per
    // request (the `request` span); with `RAPPORT_LOG=info,rapport::app=debug`, every use case
    // the request ran too (each is a debug span), so a slow request shows where its time went.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.compact().try_init(),
    };
}

/// Every database a command opened, closed by [`run`] when the command ends, whether it
/// succeeded or not. On SQLite, closing the last connection copies the write-ahead log into
/// the database file and removes it; a process that exits with connections open leaves the
/// log behind for the next program that opens the database to copy.
static OPENED: std::sync::Mutex<Vec<Db>> = std::sync::Mutex::new(Vec::new());

async fn open(config: &Config, migrate: bool) -> anyhow::Result<App> {
    if config.database_url.is_none() {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("cannot create the data directory {}", config.data_dir.display()))?;
    }
    let url = config.database_url();
    let db = Db::connect(&url).await.with_context(|| format!("cannot open the database {}", crate::store::redact_url(&url)))?;
    OPENED.lock().unwrap_or_else(|e| e.into_inner()).push(db.clone());
    if migrate {
        db.migrate().await.context("database migration failed")?;
    }
    Ok(App::new(db, config.clone()))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let result = run_command(cli).await;
    let opened = std::mem::take(&mut *OPENED.lock().unwrap_or_else(|e| e.into_inner()));
    for db in opened {
        db.close().await;
    }
    result
}

async fn run_command(cli: Cli) -> anyhow::Result<()> {
    if let Command::Config { command: ConfigCommand::Example } = cli.command {
        print!("{}", crate::config::EXAMPLE);
        return Ok(());
    }
    if let Command::Config { command: ConfigCommand::Pulse } = cli.command {
        print!("{}", crate::domain::pulse::OURS_TOML);
        return Ok(());
    }
    // The server's options are flags of `serve`; any other command reads them from the environment.
    let server = match &cli.command {
        Command::Serve { server, .. } => server.clone(),
        _ => crate::config::ServerArgs::from_env().unwrap_or_else(|e| e.exit()),
    };
    let config = Config::load(&crate::config::ConfigArgs { global: cli.global, server })?;
    init_logging(&config);
    match cli.command {
        Command::Serve { demo, no_migrate, .. } => serve(config, demo, !no_migrate).await,
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
                    if !report.troubled.is_empty() {
                        println!("state\tkind\tkey\tattempts\terror");
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
            let opts =
                DemoOptions { people: people.unwrap_or(0), years, seed, progress: std::io::stderr().is_terminal() || people.is_some() };
            // A large organisation in the data directory's SQLite file is made beside it and
            // moved in whole.
            let summary = if opts.people > 0 && config.database_url.is_none() {
                demo::generate_beside(&app, &config.data_dir.join("rapport.db"), opts).await?
            } else {
                demo::generate(&app, opts).await?
            };
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
                Err(e) => return Err(import_refused(&file.display().to_string(), e)),
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
                if page == 1 {
                    writeln!(out, "name\temail\ttitle\ttime zone")?;
                }
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
            let tz = person.timezone.tz();
            let list = app.upcoming_meetings(&person, limit).await.map_err(describe)?;
            if list.is_empty() {
                eprintln!("No 1:1s coming up for {}.", person.email);
            }
            let mut out = std::io::stdout().lock();
            if !list.is_empty() {
                writeln!(out, "date\ttime\twith\tseries")?;
            }
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
            if !list.is_empty() {
                writeln!(out, "due\towner\taction\twith")?;
            }
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

/// Commands run on the server itself act as its first admin: whoever can run them can
/// read the database anyway.
async fn cli_actor(app: &App) -> anyhow::Result<crate::domain::Person> {
    app.first_admin().await?.context("there is no admin yet: create one with `rapport admin create` or open rapport in a browser")
}

/// The person a command acts for, named by `--email`. Whoever can run commands on the server
/// can read the database anyway, so acting for someone needs no password.
async fn person_by_email(app: &App, email: &str) -> anyhow::Result<crate::domain::Person> {
    app.person_for_command(email).await?.with_context(|| format!("no one with the e-mail {email}"))
}

/// A refused import: each problem on its own line as `file:line:column: message`, then exit
/// with status 1 (nothing was imported); any other failure is returned to be reported.
fn import_refused(shown: &str, e: crate::app::AppError) -> anyhow::Error {
    let crate::app::AppError::Invalid(i) = e else { return describe(e) };
    eprintln!("Nothing was imported. {} problem(s) in {shown}:", i.0.len());
    for e in &i.0 {
        eprintln!("  {shown}:{e}");
    }
    std::process::exit(1);
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

pub fn flush() {
    let _ = std::io::stdout().flush();
}
