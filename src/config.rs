//! Configuration: one typed struct. Each setting comes from, in order of precedence,
//! a command-line flag, a `RAPPORT_*` environment variable, `rapport.toml`, or the default
//! written in [`Config::default`]. Secrets are wrapped so they never print.

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// A value that must not appear in logs or `Debug` output.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub bind: String,
    /// Where the SQLite database lives (when no database URL is given).
    pub data_dir: PathBuf,
    /// `postgres://…` or `sqlite:PATH`. Defaults to `sqlite:<data_dir>/rapport.db`.
    pub database_url: Option<Secret>,
    /// The address people use to reach rapport, for links in invitations. When it starts with
    /// `https://`, session cookies are marked Secure.
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    pub log_level: String,
    pub session_days: u32,
    pub invitation_days: u32,
    /// Failed sign-ins for one address within `login_window_minutes` before it is paused.
    pub login_max_failures: u32,
    pub login_window_minutes: u32,
    /// Failed sign-ins (and wrong current passwords) from one client address, for any accounts,
    /// within the same window before that address is paused.
    pub login_max_failures_per_client: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed. A request from one of these
    /// addresses counts against the last address in that header that is not itself a trusted
    /// proxy; from any other peer the header is ignored. Empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// The largest request body accepted, except imports.
    pub max_body_bytes: usize,
    /// The largest import file accepted.
    pub max_import_bytes: usize,
    /// SMTP for e-mail. Without it, messages go only to each person's inbox in rapport.
    pub mail: Option<MailConfig>,
    /// How long a worker may hold a job before another may take it over, in seconds.
    pub job_lease_secs: u32,
    /// The no-surprises check: how many days before a review is shared a point must have been
    /// heard (feedback shared with the person, or a 1:1's shared notes).
    pub review_notice_days: u32,
    /// When the prep view suggests a purpose, a carried-over topic or a falling rating trend.
    pub guidance: crate::domain::guidance::Thresholds,
    /// Which internal hosts webhooks may reach, and whether plain http is allowed (`[messages]`).
    pub webhooks: crate::domain::messages::WebhookRules,
    /// When set, `/metrics` answers only a scrape with `Authorization: Bearer <this>`.
    pub metrics_token: Option<Secret>,
    /// The pulse's questions: ours, or the file `[pulse] questions` names (read by `load`).
    pub pulse: crate::domain::pulse::Questions,
}

/// `[messages]` in rapport.toml.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesConfig {
    #[serde(default)]
    pub webhook_allowed_hosts: Option<Vec<String>>,
    #[serde(default)]
    pub webhook_allow_http: Option<bool>,
}

/// How TLS is used towards the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum MailTls {
    /// No encryption (a relay on the same machine or a test server).
    None,
    /// Plain connection upgraded with STARTTLS (usually port 587).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// `[mail]` in rapport.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub host: String,
    #[serde(default = "default_mail_port")]
    pub port: u16,
    #[serde(default = "default_mail_tls")]
    pub tls: MailTls,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub password: Option<Secret>,
    /// The sender, e.g. "rapport <rapport@example.com>".
    pub from: String,
    /// Seconds to wait for the server before the attempt counts as failed.
    #[serde(default = "default_mail_timeout")]
    pub timeout_secs: u64,
}

fn default_mail_port() -> u16 {
    587
}
fn default_mail_tls() -> MailTls {
    MailTls::Starttls
}
fn default_mail_timeout() -> u64 {
    20
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: None,
            public_url: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            session_days: 14,
            invitation_days: 7,
            login_max_failures: 5,
            login_window_minutes: 15,
            login_max_failures_per_client: 20,
            trusted_proxies: Vec::new(),
            max_body_bytes: 1024 * 1024,
            max_import_bytes: 10 * 1024 * 1024,
            mail: None,
            job_lease_secs: 300,
            review_notice_days: 21,
            guidance: Default::default(),
            webhooks: Default::default(),
            metrics_token: None,
            pulse: crate::domain::pulse::Questions::ours().clone(),
        }
    }
}

/// The same settings as they may appear in `rapport.toml`; all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<Secret>,
    pub public_url: Option<String>,
    pub log_format: Option<LogFormat>,
    pub log_level: Option<String>,
    pub session_days: Option<u32>,
    pub invitation_days: Option<u32>,
    pub login_max_failures: Option<u32>,
    pub login_window_minutes: Option<u32>,
    pub login_max_failures_per_client: Option<u32>,
    pub trusted_proxies: Option<Vec<std::net::IpAddr>>,
    pub max_body_bytes: Option<usize>,
    pub max_import_bytes: Option<usize>,
    pub mail: Option<MailConfig>,
    pub job_lease_secs: Option<u32>,
    pub review_notice_days: Option<u32>,
    pub guidance: Option<crate::domain::guidance::Thresholds>,
    pub messages: Option<MessagesConfig>,
    pub metrics_token: Option<Secret>,
    pub pulse: Option<PulseConfig>,
}

/// `[pulse]` in rapport.toml.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulseConfig {
    /// A pulse file of the organisation's own, in the shape of `content/pulse.toml`.
    pub questions: Option<PathBuf>,
}

/// The settings that flags and environment variables can carry (clap reads both: a flag wins
/// over its variable): the options every command takes and the server's, together.
#[derive(Debug, Default, Clone)]
pub struct ConfigArgs {
    pub global: GlobalArgs,
    pub server: ServerArgs,
}

/// The options every command takes (before or after the command's name): where the
/// configuration and the database are, and logging.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct GlobalArgs {
    /// Configuration file [default: ./rapport.toml when it exists]
    #[arg(long, env = "RAPPORT_CONFIG", global = true, help_heading = "Global options", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory for the SQLite database [default: ./data]
    #[arg(long, env = "RAPPORT_DATA_DIR", global = true, help_heading = "Global options", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://user:password@host/db or sqlite:PATH
    #[arg(long, env = "RAPPORT_DATABASE_URL", global = true, help_heading = "Global options", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Log format [default: text]
    #[arg(long, env = "RAPPORT_LOG_FORMAT", global = true, help_heading = "Global options", value_enum)]
    pub log_format: Option<LogFormat>,
    /// Log level or filter, e.g. info or rapport=debug [default: info]
    #[arg(long, env = "RAPPORT_LOG", global = true, help_heading = "Global options", value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// The server's options (listening, its address, e-mail, webhooks, metrics): flags of `serve`
/// only. Every other command reads them from their variables and the configuration file.
#[derive(Debug, Default, Clone, clap::Args)]
pub struct ServerArgs {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "RAPPORT_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// The address people use to reach rapport, e.g. https://rapport.example.com
    #[arg(long, env = "RAPPORT_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// SMTP server host name; turns e-mail on (the other [mail] settings come from rapport.toml
    /// or the variables below)
    #[arg(long, env = "RAPPORT_MAIL_HOST", value_name = "HOST")]
    pub mail_host: Option<String>,
    /// SMTP port [default: 587]
    #[arg(long, env = "RAPPORT_MAIL_PORT", value_name = "PORT")]
    pub mail_port: Option<u16>,
    /// SMTP TLS: none, starttls or tls [default: starttls]
    #[arg(long, env = "RAPPORT_MAIL_TLS", value_enum)]
    pub mail_tls: Option<MailTls>,
    /// SMTP user name
    #[arg(long, env = "RAPPORT_MAIL_USERNAME", value_name = "USER")]
    pub mail_username: Option<String>,
    /// SMTP password (prefer the variable to the flag)
    #[arg(long, env = "RAPPORT_MAIL_PASSWORD", value_name = "PASSWORD", hide_env_values = true)]
    pub mail_password: Option<String>,
    /// The sender address, e.g. "rapport <rapport@example.com>"
    #[arg(long, env = "RAPPORT_MAIL_FROM", value_name = "ADDRESS")]
    pub mail_from: Option<String>,
    /// Internal hosts webhooks may reach, comma-separated (e.g. chat.internal.example)
    #[arg(long, env = "RAPPORT_WEBHOOK_ALLOWED_HOSTS", value_name = "HOSTS", value_delimiter = ',')]
    pub webhook_allowed_hosts: Option<Vec<String>>,
    /// Let webhooks use plain http:// (tests and development only) [default: false]
    #[arg(long, env = "RAPPORT_WEBHOOK_ALLOW_HTTP", value_name = "BOOL")]
    pub webhook_allow_http: Option<bool>,
    /// A bearer token `/metrics` asks scrapers for (prefer the variable to the flag) [default: none, open]
    #[arg(long, env = "RAPPORT_METRICS_TOKEN", value_name = "TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

impl ServerArgs {
    /// The server's settings from their environment variables alone, for the commands that
    /// take no server flags (`jobs run` and `mail test` still send mail as configured).
    pub fn from_env() -> Result<ServerArgs, clap::Error> {
        #[derive(clap::Parser)]
        struct Env {
            #[command(flatten)]
            server: ServerArgs,
        }
        <Env as clap::Parser>::try_parse_from(["rapport"]).map(|e| e.server)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
}

impl Config {
    /// Flags and environment over the file over the defaults.
    pub fn load(args: &ConfigArgs) -> Result<Config, ConfigError> {
        let file = match &args.global.config {
            Some(path) => Some(read_file(path)?),
            None if Path::new("rapport.toml").exists() => Some(read_file(Path::new("rapport.toml"))?),
            None => None,
        }
        .unwrap_or_default();
        let questions = file.pulse.as_ref().and_then(|p| p.questions.clone());
        let mut config = Self::merge(args, file);
        if let Some(path) = questions {
            let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read { path: path.clone(), source })?;
            config.pulse = crate::domain::pulse::Questions::parse(&text)
                .map_err(|problems| ConfigError::Parse { path, message: problems.join("; ") })?;
        }
        Ok(config)
    }

    pub fn merge(args: &ConfigArgs, file: FileConfig) -> Config {
        let d = Config::default();
        Config {
            bind: args.server.bind.clone().or(file.bind).unwrap_or(d.bind),
            data_dir: args.global.data_dir.clone().or(file.data_dir).unwrap_or(d.data_dir),
            database_url: args.global.database_url.clone().map(Secret::new).or(file.database_url),
            public_url: args.server.public_url.clone().or(file.public_url).map(|u| u.trim_end_matches('/').to_string()),
            log_format: args.global.log_format.or(file.log_format).unwrap_or(d.log_format),
            log_level: args.global.log_level.clone().or(file.log_level).unwrap_or(d.log_level),
            session_days: file.session_days.unwrap_or(d.session_days),
            invitation_days: file.invitation_days.unwrap_or(d.invitation_days),
            login_max_failures: file.login_max_failures.unwrap_or(d.login_max_failures),
            login_window_minutes: file.login_window_minutes.unwrap_or(d.login_window_minutes),
            login_max_failures_per_client: file.login_max_failures_per_client.unwrap_or(d.login_max_failures_per_client),
            trusted_proxies: file.trusted_proxies.unwrap_or(d.trusted_proxies),
            max_body_bytes: file.max_body_bytes.unwrap_or(d.max_body_bytes),
            max_import_bytes: file.max_import_bytes.unwrap_or(d.max_import_bytes),
            mail: merge_mail(args, file.mail),
            job_lease_secs: file.job_lease_secs.unwrap_or(d.job_lease_secs),
            review_notice_days: file.review_notice_days.unwrap_or(d.review_notice_days),
            guidance: file.guidance.unwrap_or(d.guidance),
            webhooks: crate::domain::messages::WebhookRules {
                allowed_hosts: args
                    .server
                    .webhook_allowed_hosts
                    .clone()
                    .or(file.messages.as_ref().and_then(|m| m.webhook_allowed_hosts.clone()))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|h| h.trim().to_string())
                    .filter(|h| !h.is_empty())
                    .collect(),
                allow_http: args
                    .server
                    .webhook_allow_http
                    .or(file.messages.as_ref().and_then(|m| m.webhook_allow_http))
                    .unwrap_or(d.webhooks.allow_http),
            },
            metrics_token: args.server.metrics_token.clone().map(Secret::new).or(file.metrics_token).filter(|t| !t.expose().is_empty()),
            pulse: d.pulse,
        }
    }

    /// The database URL in use: the configured one, or SQLite in the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.expose().to_string(),
            None => crate::store::sqlite_url_for(&self.data_dir),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
    }
}

/// Flags and variables override single `[mail]` settings; a host from either turns mail on.
fn merge_mail(args: &ConfigArgs, file: Option<MailConfig>) -> Option<MailConfig> {
    let host = args.server.mail_host.clone().or(file.as_ref().map(|m| m.host.clone()))?;
    let f = file.unwrap_or(MailConfig {
        host: host.clone(),
        port: default_mail_port(),
        tls: default_mail_tls(),
        username: None,
        password: None,
        from: String::new(),
        timeout_secs: default_mail_timeout(),
    });
    Some(MailConfig {
        host,
        port: args.server.mail_port.unwrap_or(f.port),
        tls: args.server.mail_tls.unwrap_or(f.tls),
        username: args.server.mail_username.clone().or(f.username),
        password: args.server.mail_password.clone().map(Secret::new).or(f.password),
        from: args.server.mail_from.clone().unwrap_or(f.from),
        timeout_secs: f.timeout_secs,
    })
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.to_path_buf(), message: e.to_string() })
}

/// `rapport config example`: every setting, commented, with its default.
pub const EXAMPLE: &str = r#"# rapport.toml: settings for rapport. Every line is optional; shown here with its default.
# Precedence: command-line flags, then RAPPORT_* environment variables, then this file.

# Address to listen on. (--bind, RAPPORT_BIND)
# bind = "127.0.0.1:8080"

# Directory that holds the SQLite database, created on first start. (--data-dir, RAPPORT_DATA_DIR)
# data_dir = "data"

# Use PostgreSQL instead of the embedded SQLite. Several rapport instances may share one
# database. Keep the password out of this file if you can: RAPPORT_DATABASE_URL works too.
# (--database-url, RAPPORT_DATABASE_URL)
# database_url = "postgres://rapport:PASSWORD@localhost/rapport"

# The address people use to reach rapport. Every link rapport writes (invitations, calendar
# feeds, e-mails) starts with it; without it, links use `bind`, never a request's Host header.
# Forms are accepted only from this origin (scheme, host and port). With https:// the session
# cookie is marked Secure and Strict-Transport-Security is sent. (--public-url, RAPPORT_PUBLIC_URL)
# public_url = "https://rapport.example.com"

# Logs: "text" for people, "json" for log collectors. (--log-format, RAPPORT_LOG_FORMAT)
# log_format = "text"
# log_level = "info"

# How long a sign-in lasts without use, in days.
# session_days = 14

# How long an invitation link works, in days.
# invitation_days = 7

# Sign-in throttle: after this many failed attempts for one address within the window,
# further attempts are refused until the window has passed.
# Wrong current passwords on a password change count too.
# login_max_failures = 5
# login_window_minutes = 15
# The same for one client address, whatever accounts it tries.
# login_max_failures_per_client = 20

# Reverse proxies whose X-Forwarded-For header is believed (their own addresses). Without
# them, the client address is the connection's peer and X-Forwarded-For is ignored.
# trusted_proxies = ["127.0.0.1"]

# Largest request body, and largest import file, in bytes.
# max_body_bytes = 1048576
# max_import_bytes = 10485760

# How long a worker may hold a job (an e-mail, a webhook call) before another worker takes it
# over, in seconds. A job whose worker died is retried after this.
# job_lease_secs = 300

# Days a point must have been heard before a review repeats it (the no-surprises check).
# review_notice_days = 21

# E-mail over SMTP. Without a [mail] section, messages are kept in each person's inbox in
# rapport (Messages) and nothing is lost. Each setting also has a RAPPORT_MAIL_* variable
# (RAPPORT_MAIL_HOST, _PORT, _TLS, _USERNAME, _PASSWORD, _FROM); keep the password there.
# [mail]
# host = "smtp.example.com"
# port = 587
# tls = "starttls"            # "starttls", "tls" (port 465) or "none"
# username = "rapport"
# password = "PASSWORD"
# from = "rapport <rapport@example.com>"
# timeout_secs = 20

# Webhooks go only to public https:// addresses: never to this machine, nor to a private,
# loopback, link-local or otherwise internal address, checked again on the address each call
# connects to. Name here the internal hosts they may reach (a chat server inside your network).
# (RAPPORT_WEBHOOK_ALLOWED_HOSTS, comma-separated.) webhook_allow_http lets them use plain
# http:// too: for tests and development only. (RAPPORT_WEBHOOK_ALLOW_HTTP)
# [messages]
# webhook_allowed_hosts = ["chat.internal.example"]
# webhook_allow_http = false

# When the prep view of a 1:1 suggests something, with its reason.
# [guidance]
# purpose_gap_weeks = 6       # weeks without touching a purpose (any not named below)
# feedback_gap_weeks = 3      # weeks without feedback exchanged
# career_gap_weeks = 8        # weeks without a career conversation
# max_purposes = 3            # purposes suggested at once, the longest gaps first
# carried_times = 2           # a topic carried over this many times
# falling_ratings = 3         # this many ratings in a row, each lower than the last
# important_date_days = 14    # a date or time off on the manager's about page this many days ahead
# pulse_drop = 2              # a pulse answer this many points below the one before
# pulse_low_times = 3         # a pulse question answered 2 or under this many times in a row

# The pulse: the quick questions a teammate may answer before each 1:1. Name a file of your own
# in the shape of content/pulse.toml (rapport config pulse prints ours) to ask other questions.
# [pulse]
# questions = "/etc/rapport/pulse.toml"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let file: FileConfig = toml::from_str("bind = \"0.0.0.0:9000\"\nsession_days = 3\ndata_dir = \"/srv/rapport\"").unwrap();
        let args = ConfigArgs { server: ServerArgs { bind: Some("127.0.0.1:7000".into()), ..Default::default() }, ..Default::default() };
        let c = Config::merge(&args, file);
        assert_eq!(c.bind, "127.0.0.1:7000");
        assert_eq!(c.session_days, 3);
        assert_eq!(c.data_dir, PathBuf::from("/srv/rapport"));
        assert_eq!(c.invitation_days, 7);
    }

    #[test]
    fn the_example_is_valid_when_uncommented() {
        let uncommented: String = EXAMPLE
            .lines()
            .filter_map(|l| {
                l.strip_prefix("# ")
                    .filter(|l| l.contains(" = ") || *l == "[mail]" || *l == "[messages]" || *l == "[guidance]" || *l == "[pulse]")
            })
            .map(|l| l.split("  #").next().unwrap_or(l).trim_end())
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: FileConfig = toml::from_str(&uncommented).unwrap();
        assert_eq!(parsed.bind.as_deref(), Some("127.0.0.1:8080"));
        assert!(parsed.database_url.is_some());
        assert_eq!(parsed.mail.map(|m| m.port), Some(587));
        assert_eq!(parsed.guidance, Some(crate::domain::guidance::Thresholds::default()));
        let messages = parsed.messages.unwrap();
        assert_eq!(messages.webhook_allowed_hosts, Some(vec!["chat.internal.example".to_string()]));
        assert_eq!(messages.webhook_allow_http, Some(false));
        assert_eq!(parsed.pulse.and_then(|p| p.questions), Some(PathBuf::from("/etc/rapport/pulse.toml")));
    }

    #[test]
    fn a_pulse_file_of_ones_own_is_read_at_start_and_a_bad_one_stops_it_with_its_line() {
        let dir = std::env::temp_dir().join(format!("rapport-pulse-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let questions = dir.join("pulse.toml");
        let config = dir.join("rapport.toml");
        std::fs::write(&config, format!("[pulse]\nquestions = {:?}\n", questions.display().to_string())).unwrap();
        let args = ConfigArgs { global: GlobalArgs { config: Some(config.clone()), ..Default::default() }, ..Default::default() };
        std::fs::write(
            &questions,
            "[[question]]\nkey = \"focus\"\nlabel = \"Focus\"\ntext = \"Can you focus?\"\nlow = \"Never\"\nhigh = \"Always\"\n",
        )
        .unwrap();
        let c = Config::load(&args).unwrap();
        assert_eq!(c.pulse.all().iter().map(|q| q.key.as_str()).collect::<Vec<_>>(), ["focus"]);
        std::fs::write(&questions, "[[question]]\nkey = focus\n").unwrap();
        let e = Config::load(&args).unwrap_err().to_string();
        assert!(e.contains("pulse.toml: line 2, column 7"), "{e}");
        std::fs::remove_file(&questions).unwrap();
        assert!(Config::load(&args).unwrap_err().to_string().starts_with("cannot read"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_mail_password_does_not_print_and_flags_override_the_file() {
        let file: FileConfig =
            toml::from_str("[mail]\nhost = \"smtp.example.com\"\npassword = \"hunter2\"\nfrom = \"r@example.com\"").unwrap();
        let args = ConfigArgs { server: ServerArgs { mail_port: Some(2525), ..Default::default() }, ..Default::default() };
        let c = Config::merge(&args, file);
        let mail = c.mail.clone().unwrap();
        assert_eq!((mail.host.as_str(), mail.port, mail.tls), ("smtp.example.com", 2525, MailTls::Starttls));
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn webhook_hosts_come_from_the_file_or_the_environment() {
        let file: FileConfig = toml::from_str("[messages]\nwebhook_allowed_hosts = [\"a.example\"]\nwebhook_allow_http = true").unwrap();
        let c = Config::merge(&ConfigArgs::default(), file);
        assert_eq!(c.webhooks.allowed_hosts, vec!["a.example".to_string()]);
        assert!(c.webhooks.allow_http);
        let file: FileConfig = toml::from_str("[messages]\nwebhook_allowed_hosts = [\"a.example\"]").unwrap();
        let args = ConfigArgs {
            server: ServerArgs { webhook_allowed_hosts: Some(vec!["b.example".into(), " ".into()]), ..Default::default() },
            ..Default::default()
        };
        let c = Config::merge(&args, file);
        assert_eq!(c.webhooks.allowed_hosts, vec!["b.example".to_string()]);
        assert!(!c.webhooks.allow_http, "plain http is off unless asked for");
        assert!(Config::default().webhooks.allowed_hosts.is_empty());
    }

    #[test]
    fn unknown_settings_are_refused() {
        assert!(toml::from_str::<FileConfig>("bnid = \"x\"").is_err());
    }

    #[test]
    fn secrets_do_not_print() {
        let c = Config { database_url: Some(Secret::new("postgres://u:hunter2@h/db")), ..Default::default() };
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
