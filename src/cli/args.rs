//! The arguments: every command and its options, as clap reads them.

use crate::config::{GlobalArgs, ServerArgs};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "rapport", version, about = "Self-hosted 1:1 meetings for engineering leaders and their teammates")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
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
        #[command(flatten)]
        server: ServerArgs,
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
        /// The file to read: .md or .toml
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
        /// Whose templates (by e-mail)
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
        /// The period's name, e.g. "2025 H1"
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
        /// The admin's name
        #[arg(long)]
        name: String,
        /// The admin's e-mail, which they sign in with
        #[arg(long)]
        email: String,
        /// The admin's job title
        #[arg(long, default_value = "")]
        title: String,
        /// The admin's time zone, an IANA name such as Europe/Berlin
        #[arg(long, default_value = "UTC")]
        timezone: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCommand {
    /// Import a framework from a .yaml, .json or .csv file. A framework with the same name gets
    /// a new version. All or nothing.
    Import {
        /// The file to read: .yaml, .json or .csv
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
    /// List frameworks and their latest versions (archived ones marked)
    List,
    /// Archive a framework: no longer offered when choosing a level; people on it keep it
    Archive {
        /// The framework's name
        name: String,
    },
    /// Offer an archived framework for new choices again
    Restore {
        /// The framework's name
        name: String,
    },
    /// Delete a framework nobody is placed on and nothing was assessed against
    Delete {
        /// The framework's name
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeopleCommand {
    /// Import people from a CSV file: name,email,title,manager_email,timezone. All or nothing.
    Import {
        /// The CSV file to read
        file: PathBuf,
        /// Only check the file; change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// List people: name, e-mail, title, time zone
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
        /// How many 1:1s to show, 1 to 100
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
        /// Whose token (by e-mail)
        #[arg(long)]
        email: String,
        /// A name for the token, to recognise it later
        #[arg(long)]
        name: String,
    },
    /// Sign someone out everywhere: end all their sessions and revoke all their API tokens
    /// (their password is unchanged)
    SignOutEverywhere {
        /// Whose sessions and tokens (by e-mail)
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a commented example rapport.toml
    Example,
    /// Print our pulse questions, a starting point for a file of your own ([pulse] questions)
    Pulse,
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

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every command, at every depth, with its path ("rapport people import").
    fn every_command(c: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
        out.push((path.clone(), c.clone()));
        for sub in c.get_subcommands() {
            every_command(sub, format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_argument_of_every_command_says_what_it_is_for() {
        let mut commands = vec![];
        every_command(&Cli::command(), "rapport".into(), &mut commands);
        assert!(commands.len() > 20, "{} commands", commands.len());
        let mut silent = vec![];
        for (path, c) in &commands {
            if c.get_about().is_none() {
                silent.push(format!("{path} (the command)"));
            }
            for a in c.get_arguments().filter(|a| !["help", "version"].contains(&a.get_id().as_str())) {
                if a.get_help().is_none() && a.get_long_help().is_none() {
                    silent.push(format!("{path} {}", a.get_id()));
                }
            }
        }
        assert!(silent.is_empty(), "without a description: {silent:#?}");
    }

    #[test]
    fn server_and_mail_options_belong_to_serve_alone() {
        let mut commands = vec![];
        every_command(&Cli::command(), "rapport".into(), &mut commands);
        commands.iter().for_each(|(_, c)| c.clone().build());
        for (path, c) in &commands {
            let mut c = c.clone();
            c.build();
            let ids: Vec<String> = c.get_arguments().map(|a| a.get_id().to_string()).collect();
            let server = ids.iter().any(|i| i == "bind" || i.starts_with("mail_") || i == "metrics_token");
            assert_eq!(server, path == "rapport serve", "{path}: {ids:?}");
        }
    }
}
