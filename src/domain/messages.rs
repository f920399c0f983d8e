//! Rules for messages: how long a failing job waits before its next try, and when a reminder
//! may arrive (never in the person's quiet hours, in their own time zone).

use super::PersonId;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use uuid::Uuid;

/// Days without a 1:1 before a manager hears about it.
pub const GAP_DAYS: i64 = 21;

/// How many times a job is tried before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;

/// The wait before try number `attempts + 1`, after `attempts` failed tries: one minute, then
/// doubling, at most six hours (1, 2, 4, 8 … minutes).
pub fn retry_delay(attempts: i64) -> Duration {
    let exp = (attempts.max(1) - 1).min(20) as u32;
    let minutes = 1i64.checked_shl(exp).unwrap_or(i64::MAX).min(6 * 60);
    Duration::minutes(minutes)
}

/// Each person's choices about reminders. Everything is on by default, with quiet hours from
/// 20:00 to 08:00 in their time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Before each 1:1: open actions and the other person's topics.
    pub prep_reminder: bool,
    /// How many hours before the meeting the prep reminder comes.
    pub prep_hours: u32,
    /// For the teammate: "add your topics" a day or two ahead.
    pub topic_nudge: bool,
    pub overdue_actions: bool,
    /// For managers: "no 1:1 held with X in three weeks".
    pub gap_alert: bool,
    pub weekly_digest: bool,
    pub quiet_start: NaiveTime,
    pub quiet_end: NaiveTime,
    /// A Slack-compatible incoming webhook that gets the same reminders; empty for none.
    pub webhook_url: String,
    /// For managers: a team channel's webhook that gets the nudges to add topics sent to their
    /// direct reports (when and with whom only, never content); empty for none.
    pub team_webhook_url: String,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            prep_reminder: true,
            prep_hours: 24,
            topic_nudge: true,
            overdue_actions: true,
            gap_alert: true,
            weekly_digest: true,
            quiet_start: NaiveTime::from_hms_opt(20, 0, 0).expect("valid"),
            quiet_end: NaiveTime::from_hms_opt(8, 0, 0).expect("valid"),
            webhook_url: String::new(),
            team_webhook_url: String::new(),
        }
    }
}

impl ReminderSettings {
    /// Whether a local time of day falls in the quiet hours (which may span midnight).
    pub fn is_quiet(&self, t: NaiveTime) -> bool {
        let (s, e) = (self.quiet_start, self.quiet_end);
        if s == e {
            false
        } else if s < e {
            t >= s && t < e
        } else {
            t >= s || t < e
        }
    }

    /// When a reminder due at `due` may be delivered to someone in `tz`: at once, unless that
    /// falls in their quiet hours; then when the quiet hours end, or, if that would be after
    /// `deadline` (the meeting it is about), just before they began.
    pub fn delivery_time(&self, due: DateTime<Utc>, tz: Tz, deadline: Option<DateTime<Utc>>) -> DateTime<Utc> {
        let local = due.with_timezone(&tz);
        if !self.is_quiet(local.time()) {
            return due;
        }
        let mut end_date = local.date_naive();
        if local.time() >= self.quiet_end {
            end_date = end_date.succ_opt().unwrap_or(end_date);
        }
        let end = super::schedule::local_instant(tz, end_date, self.quiet_end);
        match deadline {
            Some(d) if end >= d => {
                let mut start_date = local.date_naive();
                if local.time() < self.quiet_start {
                    start_date = start_date.pred_opt().unwrap_or(start_date);
                }
                let start = super::schedule::local_instant(tz, start_date, self.quiet_start) - Duration::minutes(1);
                start.min(due)
            }
            _ => end,
        }
    }
}

/// The instant of the prep reminder for a meeting at `starts_at`.
pub fn prep_due(starts_at: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
    starts_at - Duration::hours(hours as i64)
}

/// Parses "HH:MM".
pub fn parse_hhmm(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Monday 08:00 in `tz` of the week that contains `t`, for the weekly digest's key and time.
pub fn week_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    use chrono::Datelike;
    let local = t.with_timezone(&tz).date_naive();
    let monday = local - Duration::days(local.weekday().num_days_from_monday() as i64);
    let eight = NaiveTime::from_hms_opt(8, 0, 0).expect("valid");
    tz.from_local_datetime(&monday.and_time(eight)).earliest().map(|x| x.with_timezone(&Utc)).unwrap_or(t)
}

// ---- webhook addresses ----

/// What an operator allows webhooks to reach beyond public https addresses
/// (`[messages]` in rapport.toml).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookRules {
    /// Hosts (names or IP addresses) that webhooks may reach even though they are internal:
    /// a chat server inside the company network. Compared without case and trailing dot.
    pub allowed_hosts: Vec<String>,
    /// Plain http:// as well as https:// (for tests and development only).
    pub allow_http: bool,
}

impl WebhookRules {
    /// Whether the operator named this host (a name, or an address in any spelling).
    pub fn allows(&self, host: &WebhookHost) -> bool {
        self.allowed_hosts.iter().any(|entry| {
            let entry = normal_host(entry);
            match host {
                WebhookHost::Name(name) => entry == *name,
                WebhookHost::Ip(ip) => entry.parse::<IpAddr>().is_ok_and(|e| canonical_ip(e) == canonical_ip(*ip)),
            }
        })
    }
}

/// The host part of a webhook address, as the HTTP client will understand it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookHost {
    /// A DNS name, lower case, without a trailing dot.
    Name(String),
    /// An address written in the URL (in any of the forms URL parsers accept: `2130706433`,
    /// `0x7f000001` and `127.1` are all 127.0.0.1).
    Ip(IpAddr),
}

/// A webhook address that passed [`check_webhook_url`]: where to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    pub url: url::Url,
    pub host: WebhookHost,
    pub port: u16,
    /// The operator named this host: any address it resolves to may be used.
    pub allowed: bool,
}

impl WebhookTarget {
    /// The address without its path, query or credentials (the path of a Slack-style webhook
    /// is its secret), for errors and the record of what was sent.
    pub fn shown(&self) -> String {
        let host = match &self.host {
            WebhookHost::Name(n) => n.clone(),
            WebhookHost::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
            WebhookHost::Ip(ip) => ip.to_string(),
        };
        match self.url.port() {
            Some(p) => format!("{}://{host}:{p}/…", self.url.scheme()),
            None => format!("{}://{host}/…", self.url.scheme()),
        }
    }
}

/// Checks a webhook address before it is saved and again before it is called: https (plain
/// http only when the operator allows it), no user name or password, and a host that is
/// neither `localhost` nor an address inside a private, loopback, link-local or otherwise
/// special range, unless the operator named that host. The message says what is wrong.
/// Names are checked again after they are resolved ([`check_resolved`]).
pub fn check_webhook_url(raw: &str, rules: &WebhookRules) -> Result<WebhookTarget, String> {
    let raw = raw.trim();
    let url = url::Url::parse(raw)
        .map_err(|_| "That is not a web address; a webhook address looks like https://hooks.example.com/….".to_string())?;
    match url.scheme() {
        "https" => {}
        "http" if rules.allow_http => {}
        _ => return Err("A webhook address starts with https:// (for example one Slack gives you).".into()),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("A webhook address cannot contain a user name or password.".into());
    }
    let host = match url.host() {
        Some(url::Host::Domain(d)) => WebhookHost::Name(normal_host(d)),
        Some(url::Host::Ipv4(ip)) => WebhookHost::Ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => WebhookHost::Ip(IpAddr::V6(ip)),
        None => return Err("A webhook address needs a host, as in https://hooks.example.com/….".into()),
    };
    let port = url.port_or_known_default().unwrap_or(443);
    let allowed = rules.allows(&host);
    if !allowed {
        match &host {
            WebhookHost::Name(n) if n.is_empty() => {
                return Err("A webhook address needs a host, as in https://hooks.example.com/….".into());
            }
            WebhookHost::Name(n) if n == "localhost" || n.ends_with(".localhost") => {
                return Err("Webhooks cannot go to this machine (localhost).".into());
            }
            WebhookHost::Name(_) => {}
            WebhookHost::Ip(ip) => {
                if let Some(kind) = refused_ip(*ip) {
                    return Err(format!(
                        "Webhooks cannot go to {kind} address ({ip}); an administrator can allow an internal host in [messages] webhook_allowed_hosts."
                    ));
                }
            }
        }
    }
    Ok(WebhookTarget { url, host, port, allowed })
}

/// After a name is resolved, just before connecting: every address it resolved to must be a
/// public one (unless the operator named the host), so that a name pointing inside, or
/// changing to point inside after the address was saved (DNS rebinding), is refused.
pub fn check_resolved(target: &WebhookTarget, addresses: &[IpAddr]) -> Result<(), String> {
    if target.allowed {
        return Ok(());
    }
    if let WebhookHost::Name(name) = &target.host {
        for ip in addresses {
            if let Some(kind) = refused_ip(*ip) {
                return Err(format!("{name} resolves to {kind} address ({ip}), which webhooks cannot reach"));
            }
        }
    }
    Ok(())
}

/// Why webhooks may not connect to `ip`, or `None` for an ordinary public address. IPv4
/// embedded in IPv6 (mapped, compatible, NAT64, 6to4) is judged as that IPv4 address.
pub fn refused_ip(ip: IpAddr) -> Option<&'static str> {
    match canonical_ip(ip) {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => refused_v6(v6),
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        _ if ip.is_unspecified() || a == 0 => "an unspecified",
        _ if ip.is_loopback() => "a loopback",
        _ if ip.is_private() => "a private",
        _ if ip.is_link_local() => "a link-local",
        (100, 64..=127, _) => "a shared (carrier-grade NAT)",
        (192, 0, 0) => "a reserved",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "a documentation",
        (192, 88, 99) => "a reserved",
        (198, 18..=19, _) => "a benchmarking",
        _ if ip.is_broadcast() => "a broadcast",
        _ if ip.is_multicast() => "a multicast",
        (240..=255, _, _) => "a reserved",
        _ => return None,
    })
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    Some(match s {
        _ if ip.is_unspecified() => "an unspecified",
        _ if ip.is_loopback() => "a loopback",
        _ if ip.is_multicast() => "a multicast",
        [0xfc00..=0xfdff, ..] => "a private (unique local)",
        [0xfe80..=0xfebf, ..] => "a link-local",
        [0xfec0..=0xfeff, ..] => "a site-local",
        [0x2001, 0x0db8, ..] | [0x3fff, 0..=0x0fff, ..] => "a documentation",
        [0x2001, 0..=0x01ff, ..] => "a reserved (Teredo, ORCHID, protocol)",
        [0x0100, 0, 0, 0, ..] => "a discard",
        // Only the global unicast block 2000::/3 is routed on the internet.
        [first, ..] if !(0x2000..=0x3fff).contains(&first) => "a reserved",
        _ => return None,
    })
}

/// IPv4 carried inside IPv6 as the IPv4 address itself; everything else unchanged.
fn canonical_ip(ip: IpAddr) -> IpAddr {
    let IpAddr::V6(v6) = ip else { return ip };
    let s = v6.segments();
    let o = v6.octets();
    let v4 = |i: usize| IpAddr::V4(Ipv4Addr::new(o[i], o[i + 1], o[i + 2], o[i + 3]));
    match s {
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, but not :: or ::1)
        [0, 0, 0, 0, 0, 0xffff, ..] => v4(12),
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => v4(12),
        // NAT64's well-known prefix 64:ff9b::/96 (RFC 6052)
        [0x64, 0xff9b, 0, 0, 0, 0, ..] => v4(12),
        // 6to4 2002:a.b.c.d::/48
        [0x2002, ..] => v4(2),
        _ => ip,
    }
}

fn normal_host(h: &str) -> String {
    h.trim().trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase()
}

/// A job as the admin page and the API list it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[schema(as = JobDto)]
pub struct QueuedJob {
    pub id: Uuid,
    pub kind: String,
    pub idempotency_key: String,
    /// queued (waiting to retry), running, or failed (gave up).
    pub state: String,
    pub run_at: DateTime<Utc>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: String,
    pub updated_at: DateTime<Utc>,
}

/// A message in a person's in-app inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxMessage {
    pub id: Uuid,
    pub person_id: PersonId,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub calendar: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> String {
        check_webhook_url(url, &WebhookRules::default()).expect_err(url)
    }

    #[test]
    fn webhook_addresses_must_be_public_https() {
        let ok = check_webhook_url(" https://hooks.slack.com/services/T/B/secret ", &WebhookRules::default()).unwrap();
        assert_eq!(ok.host, WebhookHost::Name("hooks.slack.com".into()));
        assert_eq!((ok.port, ok.allowed), (443, false));
        assert_eq!(ok.shown(), "https://hooks.slack.com/…");
        assert!(check_webhook_url("https://93.184.216.34:8443/x", &WebhookRules::default()).is_ok());
        assert!(check_webhook_url("https://[2606:4700::1111]/x", &WebhookRules::default()).is_ok());
        assert!(refused("http://hooks.slack.com/x").contains("https://"));
        assert!(refused("ftp://hooks.slack.com/x").contains("https://"));
        assert!(refused("hooks.slack.com/x").contains("not a web address"));
        assert!(refused("https://u:p@hooks.slack.com/x").contains("user name or password"));
        assert!(refused("https://u@hooks.slack.com/x").contains("user name or password"));
        for url in ["https://localhost/", "https://LocalHost./x", "https://a.b.localhost:8443/x"] {
            assert!(refused(url).contains("localhost"), "{url}");
        }
        for (url, kind) in [
            ("https://127.0.0.1/", "loopback"),
            ("https://2130706433/", "loopback"),
            ("https://0x7f000001/", "loopback"),
            ("https://0177.0.0.1/", "loopback"),
            ("https://127.1/", "loopback"),
            ("https://10.0.0.1/", "private"),
            ("https://172.31.255.255/", "private"),
            ("https://192.168.0.1/", "private"),
            ("https://169.254.169.254/latest", "link-local"),
            ("https://100.64.0.1/", "carrier-grade"),
            ("https://0.0.0.0/", "unspecified"),
            ("https://0.1.2.3/", "unspecified"),
            ("https://224.0.0.251/", "multicast"),
            ("https://255.255.255.255/", "broadcast"),
            ("https://240.0.0.1/", "reserved"),
            ("https://192.0.2.1/", "documentation"),
            ("https://198.51.100.7/", "documentation"),
            ("https://203.0.113.9/", "documentation"),
            ("https://198.18.0.1/", "benchmarking"),
            ("https://[::1]/", "loopback"),
            ("https://[::]/", "unspecified"),
            ("https://[::ffff:127.0.0.1]/", "loopback"),
            ("https://[::ffff:7f00:1]/", "loopback"),
            ("https://[::ffff:169.254.169.254]/", "link-local"),
            ("https://[::127.0.0.1]/", "loopback"),
            ("https://[64:ff9b::10.0.0.1]/", "private"),
            ("https://[2002:0a00:0001::1]/", "private"),
            ("https://[fd12:3456::1]/", "unique local"),
            ("https://[fe80::1]/", "link-local"),
            ("https://[fec0::1]/", "site-local"),
            ("https://[ff02::1]/", "multicast"),
            ("https://[2001:db8::1]/", "documentation"),
            ("https://[2001::1]/", "Teredo"),
            ("https://[100::1]/", "discard"),
        ] {
            let e = refused(url);
            assert!(e.contains(kind), "{url}: {e}");
        }
    }

    #[test]
    fn an_operator_may_allow_named_internal_hosts_and_plain_http_for_tests() {
        let rules =
            WebhookRules { allowed_hosts: vec!["Chat.Internal.Example.".into(), "[::1]".into(), "127.0.0.1".into()], allow_http: false };
        let t = check_webhook_url("https://chat.internal.example/hook", &rules).unwrap();
        assert!(t.allowed);
        assert!(check_webhook_url("https://[::1]:8443/hook", &rules).unwrap().allowed);
        // The same address in another spelling is the same host.
        assert!(check_webhook_url("https://2130706433/hook", &rules).unwrap().allowed);
        // Only what was named: other internal addresses stay refused, and so does http.
        assert!(check_webhook_url("https://127.0.0.2/hook", &rules).is_err());
        assert!(check_webhook_url("http://127.0.0.1/hook", &rules).is_err());
        let http = WebhookRules { allow_http: true, ..rules };
        assert!(check_webhook_url("http://127.0.0.1:9000/hook", &http).is_ok());
        assert!(check_webhook_url("http://10.0.0.1/hook", &http).is_err(), "http does not open addresses");
    }

    #[test]
    fn a_name_is_refused_when_any_address_it_resolves_to_is_internal() {
        let rules = WebhookRules::default();
        let t = check_webhook_url("https://rebind.example/hook", &rules).unwrap();
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        assert!(check_resolved(&t, &[public]).is_ok());
        for inside in ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "::ffff:192.168.1.1", "fd00::2"] {
            let e = check_resolved(&t, &[public, inside.parse().unwrap()]).unwrap_err();
            assert!(e.contains("rebind.example resolves to"), "{e}");
        }
        // A host the operator named may resolve to anything.
        let allowed = WebhookRules { allowed_hosts: vec!["rebind.example".into()], allow_http: false };
        let t = check_webhook_url("https://rebind.example/hook", &allowed).unwrap();
        assert!(check_resolved(&t, &["10.1.2.3".parse().unwrap()]).is_ok());
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let waits: Vec<i64> = (1..=12).map(|a| retry_delay(a).num_minutes()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
        assert_eq!(retry_delay(0).num_minutes(), 1);
        assert_eq!(retry_delay(1_000).num_minutes(), 360);
    }

    #[test]
    fn quiet_hours_may_span_midnight() {
        let s = ReminderSettings::default();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert!(s.is_quiet(t(23, 0)));
        assert!(s.is_quiet(t(7, 59)));
        assert!(!s.is_quiet(t(8, 0)));
        assert!(!s.is_quiet(t(19, 59)));
        let day = ReminderSettings { quiet_start: t(12, 0), quiet_end: t(13, 0), ..Default::default() };
        assert!(day.is_quiet(t(12, 30)));
        assert!(!day.is_quiet(t(13, 30)));
    }

    #[test]
    fn a_reminder_due_at_night_waits_for_the_morning_in_the_persons_zone() {
        let s = ReminderSettings::default();
        let tokyo = chrono_tz::Asia::Tokyo; // UTC+9
        // 14:00 UTC is 23:00 in Tokyo: delivered at 08:00 Tokyo, 23:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 11, 23, 14, 0), tokyo, None), at(2026, 11, 23, 23, 0));
        // 02:00 UTC is 11:00 in Tokyo: at once.
        assert_eq!(s.delivery_time(at(2026, 11, 24, 2, 0), tokyo, None), at(2026, 11, 24, 2, 0));
        // The same instant is daytime in London, so it is sent at once there.
        assert_eq!(s.delivery_time(at(2026, 11, 23, 14, 0), chrono_tz::Europe::London, None), at(2026, 11, 23, 14, 0));
    }

    #[test]
    fn a_prep_reminder_never_arrives_after_its_meeting_starts() {
        let s = ReminderSettings::default();
        let berlin = chrono_tz::Europe::Berlin; // UTC+1 in November
        // A 07:30 meeting; the reminder is due at 22:00 the evening before (quiet): it comes
        // at 19:59, before the quiet hours, because 08:00 would be after the meeting.
        let meeting = at(2026, 11, 24, 6, 30);
        let due = at(2026, 11, 23, 21, 0);
        assert_eq!(s.delivery_time(due, berlin, Some(meeting)), at(2026, 11, 23, 18, 59));
        // Due at 03:00 local for the same meeting: also the evening before.
        assert_eq!(s.delivery_time(at(2026, 11, 24, 2, 0), berlin, Some(meeting)), at(2026, 11, 23, 18, 59));
    }

    #[test]
    fn quiet_hours_follow_daylight_saving() {
        let s = ReminderSettings::default();
        let berlin = chrono_tz::Europe::Berlin;
        // Summer: 08:00 CEST is 06:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 7, 1, 3, 0), berlin, None), at(2026, 7, 1, 6, 0));
        // Winter: 08:00 CET is 07:00 UTC.
        assert_eq!(s.delivery_time(at(2026, 12, 1, 3, 0), berlin, None), at(2026, 12, 1, 7, 0));
    }

    #[test]
    fn the_prep_reminder_is_the_chosen_hours_before() {
        assert_eq!(prep_due(at(2026, 11, 24, 9, 0), 24), at(2026, 11, 23, 9, 0));
    }
}
