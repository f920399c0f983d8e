//! The kickoff: the note a manager sends before the first 1:1 (drafted from
//! `content/kickoff.toml`, edited, then filled in for the teammate), a person's focus hours, and
//! the warnings about a first 1:1 that comes too soon after the note or lands in focus hours.
//!
//! Every word the teammate or manager reads lives in `content/kickoff.toml`; this module only
//! reads it, checks placeholders and applies the timing rules.

use super::{FieldError, Invalid};
use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::Deserialize;
use std::sync::OnceLock;

/// The placeholders a kickoff note may use, in the order the form lists them.
pub const PLACEHOLDERS: [&str; 7] = ["name", "manager", "cadence", "when", "first", "minutes", "link"];

/// The note needs at least this long to reach the teammate before the first 1:1.
pub const NOTICE: Duration = Duration::hours(24);

pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 20_000;

#[derive(Debug, Deserialize)]
struct Content {
    subject: String,
    body: String,
    warnings: Warnings,
}

#[derive(Debug, Deserialize)]
struct Warnings {
    too_soon: String,
    already_started: String,
    focus_hours: String,
    outside_hours: String,
    moved_outside_hours: String,
    moved_focus_hours: String,
}

const KICKOFF_TOML: &str = include_str!("../../content/kickoff.toml");

fn content() -> &'static Content {
    static C: OnceLock<Content> = OnceLock::new();
    C.get_or_init(|| toml::from_str(KICKOFF_TOML).expect("content/kickoff.toml"))
}

/// Our draft: (subject, body), with placeholders.
pub fn default_draft() -> (String, String) {
    let c = content();
    (c.subject.trim().to_string(), c.body.trim().to_string())
}

/// The values of the placeholders for one teammate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub name: String,
    pub manager: String,
    pub cadence: String,
    pub when: String,
    pub first: String,
    pub minutes: u32,
    pub link: String,
}

impl Facts {
    fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "name" => self.name.clone(),
            "manager" => self.manager.clone(),
            "cadence" => self.cadence.clone(),
            "when" => self.when.clone(),
            "first" => self.first.clone(),
            "minutes" => self.minutes.to_string(),
            "link" => self.link.clone(),
            _ => return None,
        })
    }
}

/// A first name: the first word of a name.
pub fn first_name(full: &str) -> String {
    full.split_whitespace().next().unwrap_or(full).to_string()
}

/// A piece of a note: plain text or a placeholder (with where it starts, 1-based).
#[derive(Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(String),
    Placeholder { key: &'a str, line: u64, column: u64 },
}

/// Splits a note into text and `{word}` placeholders. `{{` and `}}` are literal braces; a brace
/// that does not enclose a single word is kept as it is.
fn pieces(s: &str) -> Vec<Piece<'_>> {
    let mut out = vec![];
    let mut text = String::new();
    let (mut line, mut column) = (1u64, 1u64);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("{{") || rest.starts_with("}}") {
            text.push(c);
            rest = &rest[2..];
            column += 2;
            continue;
        }
        if c == '{'
            && let Some(end) = rest[1..].find('}')
        {
            let key = &rest[1..1 + end];
            if !key.is_empty() && key.chars().all(|k| k.is_ascii_alphanumeric() || k == '_') {
                if !text.is_empty() {
                    out.push(Piece::Text(std::mem::take(&mut text)));
                }
                out.push(Piece::Placeholder { key, line, column });
                rest = &rest[end + 2..];
                column += key.chars().count() as u64 + 2;
                continue;
            }
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    if !text.is_empty() {
        out.push(Piece::Text(text));
    }
    out
}

/// Checks a note as the manager wrote it: a subject and a body, not too long, and only known
/// placeholders (each unknown one named, with its line and column). Returns them trimmed.
pub fn check(subject: &str, body: &str) -> Result<(String, String), Invalid> {
    let (subject, body) = (subject.trim(), body.trim());
    let mut errors = Invalid::default();
    if subject.is_empty() {
        errors.push(FieldError::new("subject", "Give the note a subject, so it stands out among their messages."));
    } else if subject.chars().count() > SUBJECT_MAX {
        errors.push(FieldError::new("subject", format!("Keep the subject under {SUBJECT_MAX} characters.")));
    }
    if body.is_empty() {
        errors.push(FieldError::new("body", "Write the note: what the 1:1s are for, and that the time is theirs."));
    } else if body.chars().count() > BODY_MAX {
        errors.push(FieldError::new("body", format!("Keep the note under {BODY_MAX} characters.")));
    }
    let known = PLACEHOLDERS.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ");
    for (field, text) in [("subject", subject), ("body", body)] {
        for p in pieces(text) {
            if let Piece::Placeholder { key, line, column } = p
                && !PLACEHOLDERS.contains(&key)
            {
                errors.push(
                    FieldError::new(
                        field,
                        format!(
                            "{{{key}}} (line {line}, column {column}) is not a placeholder rapport knows. Use {known}, or write {{{{ for a brace."
                        ),
                    )
                    .at(line, column),
                );
            }
        }
    }
    errors.into_result()?;
    Ok((subject.to_string(), body.to_string()))
}

/// A checked note with its placeholders filled in for one teammate.
pub fn fill(text: &str, facts: &Facts) -> String {
    pieces(text)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Placeholder { key, .. } => facts.get(key).unwrap_or_else(|| format!("{{{key}}}")),
        })
        .collect()
}

// ---- focus hours ----

/// The hours a person keeps for deep work, on some days of the week, in their own time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FocusHours {
    /// Monday first, no repeats.
    pub days: Vec<Weekday>,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

const DAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "mon", "Mon"),
    (Weekday::Tue, "tue", "Tue"),
    (Weekday::Wed, "wed", "Wed"),
    (Weekday::Thu, "thu", "Thu"),
    (Weekday::Fri, "fri", "Fri"),
    (Weekday::Sat, "sat", "Sat"),
    (Weekday::Sun, "sun", "Sun"),
];

pub fn day_slug(d: Weekday) -> &'static str {
    DAYS.iter().find(|x| x.0 == d).map(|x| x.1).unwrap_or("mon")
}

pub fn day_label(d: Weekday) -> &'static str {
    DAYS.iter().find(|x| x.0 == d).map(|x| x.2).unwrap_or("Mon")
}

/// Every weekday, Monday first: (slug, short label).
pub fn all_days() -> impl Iterator<Item = (Weekday, &'static str, &'static str)> {
    DAYS.into_iter()
}

impl FocusHours {
    /// "mon tue wed", as stored.
    pub fn days_string(&self) -> String {
        self.days.iter().map(|d| day_slug(*d)).collect::<Vec<_>>().join(" ")
    }

    pub fn parse_days(s: &str) -> Vec<Weekday> {
        let words: Vec<&str> = s.split_whitespace().collect();
        DAYS.iter().filter(|d| words.contains(&d.1)).map(|d| d.0).collect()
    }

    /// "Mon–Fri 09:00–12:00", "Mon, Wed 13:00–15:00".
    pub fn label(&self) -> String {
        let idx: Vec<usize> = self.days.iter().map(|d| d.num_days_from_monday() as usize).collect();
        let consecutive = idx.len() >= 3 && idx.windows(2).all(|w| w[1] == w[0] + 1);
        let days = if consecutive {
            format!("{}–{}", day_label(self.days[0]), day_label(self.days[self.days.len() - 1]))
        } else {
            self.days.iter().map(|d| day_label(*d)).collect::<Vec<_>>().join(", ")
        };
        format!("{days} {}–{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }

    /// Whether a meeting from `start` for `minutes` overlaps these hours, read in `tz`.
    pub fn overlaps(&self, start: DateTime<Utc>, minutes: u32, tz: Tz) -> bool {
        use chrono::Datelike;
        let s = start.with_timezone(&tz).naive_local();
        let e = (start + Duration::minutes(minutes as i64)).with_timezone(&tz).naive_local();
        let mut day = s.date();
        while day <= e.date() {
            if self.days.contains(&day.weekday()) {
                let (fs, fe) = (day.and_time(self.start), day.and_time(self.end));
                if s < fe && fs < e {
                    return true;
                }
            }
            match day.succ_opt() {
                Some(d) => day = d,
                None => break,
            }
        }
        false
    }
}

/// Reads focus hours as typed: the chosen day slugs and "HH:MM" times. Every problem is named
/// by its field.
pub fn check_focus(days: &[String], start: &str, end: &str) -> Result<FocusHours, Invalid> {
    let mut errors = Invalid::default();
    let mut chosen = vec![];
    for d in days {
        match DAYS.iter().find(|x| x.1 == d.trim()) {
            Some(x) if !chosen.contains(&x.0) => chosen.push(x.0),
            Some(_) => {}
            None => errors.push(FieldError::new("days", format!("\"{}\" is not a day of the week (use mon … sun).", d.trim()))),
        }
    }
    if chosen.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("days", "Choose at least one day, or clear your focus hours instead."));
    }
    chosen.sort_by_key(|d| d.num_days_from_monday());
    let parse = |field: &str, v: &str, errors: &mut Invalid| {
        let t = NaiveTime::parse_from_str(v.trim(), "%H:%M").ok();
        if t.is_none() {
            errors.push(FieldError::new(field, "Give a time as hours and minutes, for example 09:00."));
        }
        t
    };
    let s = parse("start", start, &mut errors);
    let e = parse("end", end, &mut errors);
    let (Some(start), Some(end)) = (s, e) else { return Err(errors) };
    if end <= start {
        errors.push(FieldError::new("end", "Focus hours end after they start, on the same day."));
    }
    errors.into_result()?;
    Ok(FocusHours { days: chosen, start, end })
}

// ---- the timing warnings ----

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// The first 1:1 comes less than a day after the note.
    TooSoon,
    /// The first 1:1 has already begun.
    AlreadyStarted,
    /// The first 1:1 falls in the teammate's focus hours.
    FocusHours,
    /// The first 1:1 starts before 08:00 or ends after 19:00 for one of the two.
    OutsideHours,
}

impl WarningKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WarningKind::TooSoon => "too_soon",
            WarningKind::AlreadyStarted => "already_started",
            WarningKind::FocusHours => "focus_hours",
            WarningKind::OutsideHours => "outside_hours",
        }
    }
}

/// A warning about the first 1:1, with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub code: WarningKind,
    pub message: String,
}

/// What the timing rules look at.
#[derive(Debug, Clone)]
pub struct Timing<'a> {
    /// When the note was sent, or now for one not sent yet.
    pub announced: DateTime<Utc>,
    /// The first 1:1 still to come (or the one the note is about).
    pub first_start: DateTime<Utc>,
    pub minutes: u32,
    pub teammate_name: &'a str,
    pub teammate_tz: Tz,
    pub focus: Option<&'a FocusHours>,
    /// The manager's zone (the manager reads these warnings: "for you").
    pub manager_tz: Tz,
}

/// A usual working day, in each person's own time: what a 1:1 should fit in.
const DAY_STARTS: u32 = 8;
const DAY_ENDS: u32 = 19;

/// Whether a 1:1 of `minutes` from `start` fits in a usual working day in `tz`.
fn in_working_day(start: DateTime<Utc>, minutes: u32, tz: Tz) -> bool {
    use chrono::Timelike;
    let (from, to) = (start.with_timezone(&tz), (start + Duration::minutes(minutes as i64)).with_timezone(&tz));
    let minute = |t: chrono::DateTime<Tz>| t.hour() * 60 + t.minute();
    from.date_naive() == to.date_naive() && minute(from) >= DAY_STARTS * 60 && minute(to) <= DAY_ENDS * 60
}

/// "18 hours", "1 hour", "40 minutes".
fn gap_words(d: Duration) -> String {
    let (h, m) = (d.num_hours(), d.num_minutes());
    match (h, m) {
        (0, 1) => "1 minute".into(),
        (0, m) => format!("{m} minutes"),
        (1, _) => "1 hour".into(),
        (h, _) => format!("{h} hours"),
    }
}

/// Why the first 1:1 may take the teammate by surprise: it starts less than a day after the
/// note (exactly a day is enough), it has begun already, or it falls in their focus hours.
pub fn warnings(t: &Timing<'_>) -> Vec<Warning> {
    let w = &content().warnings;
    let name = first_name(t.teammate_name);
    let first = t.first_start.with_timezone(&t.teammate_tz).format("%A %-d %B at %H:%M").to_string();
    let mut out = vec![];
    let gap = t.first_start - t.announced;
    if gap <= Duration::zero() {
        out.push(Warning { code: WarningKind::AlreadyStarted, message: w.already_started.trim().to_string() });
    } else if gap < NOTICE {
        let vars = [("name", name.clone()), ("gap", gap_words(gap))];
        out.push(Warning { code: WarningKind::TooSoon, message: fill_vars(&w.too_soon, &vars) });
    }
    if let Some(f) = t.focus
        && f.overlaps(t.first_start, t.minutes, t.teammate_tz)
    {
        let vars = [("name", name), ("first", first), ("focus", format!("{}, {}", f.label(), t.teammate_tz.name()))];
        out.push(Warning { code: WarningKind::FocusHours, message: fill_vars(&w.focus_hours, &vars) });
    }
    for (who, tz) in [("you".to_string(), t.manager_tz), (first_name(t.teammate_name), t.teammate_tz)] {
        if !in_working_day(t.first_start, t.minutes, tz) {
            let time = t.first_start.with_timezone(&tz).format("%H:%M on %A").to_string();
            out.push(Warning { code: WarningKind::OutsideHours, message: fill_vars(&w.outside_hours, &[("time", time), ("who", who)]) });
        }
    }
    out
}

/// One of the two people a 1:1's new time is checked for: how the reader names them ("you",
/// or a first name), their own zone, and their focus hours when the reader may see them.
pub struct Attendee<'a> {
    pub who: String,
    pub tz: Tz,
    pub focus: Option<&'a FocusHours>,
}

/// Why a 1:1 moved to `start` may not suit one of the two: it falls outside their usual
/// working day (08:00 to 19:00, their time) or in their focus hours. In the kickoff's words.
pub fn moved_warnings(start: DateTime<Utc>, minutes: u32, people: &[Attendee<'_>]) -> Vec<String> {
    let w = &content().warnings;
    let mut out = vec![];
    for p in people {
        if !in_working_day(start, minutes, p.tz) {
            let time = start.with_timezone(&p.tz).format("%H:%M on %A").to_string();
            out.push(fill_vars(&w.moved_outside_hours, &[("time", time), ("who", p.who.clone())]));
        }
        if let Some(f) = p.focus
            && f.overlaps(start, minutes, p.tz)
        {
            let whose = if p.who == "you" { "your".to_string() } else { format!("{}'s", p.who) };
            out.push(fill_vars(&w.moved_focus_hours, &[("whose", whose), ("focus", format!("{}, {}", f.label(), p.tz.name()))]));
        }
    }
    out
}

fn fill_vars(s: &str, vars: &[(&str, String)]) -> String {
    vars.iter().fold(s.trim().to_string(), |acc, (k, v)| acc.replace(&format!("{{{k}}}"), v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> Facts {
        Facts {
            name: "Ivy".into(),
            manager: "Emil Manager".into(),
            cadence: "every week".into(),
            when: "Tuesdays at 10:00 (UTC)".into(),
            first: "Tuesday 1 December at 10:00".into(),
            minutes: 30,
            link: "http://x/meetings/1".into(),
        }
    }

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn our_draft_uses_only_known_placeholders_and_says_what_matters() {
        let (subject, body) = default_draft();
        check(&subject, &body).expect("our own draft passes the check");
        for p in ["{name}", "{cadence}", "{first}", "{link}", "{manager}", "{minutes}"] {
            assert!(body.contains(p), "the draft uses {p}");
        }
        let filled = fill(&body, &facts());
        assert!(!filled.contains('{'), "{filled}");
        assert!(filled.starts_with("Hi Ivy,"));
        assert!(filled.contains("every week, 30 minutes, starting Tuesday 1 December at 10:00"));
        assert!(filled.contains("yours"), "the meeting belongs to the teammate");
        assert!(filled.contains("open our first 1:1 in rapport, <http://x/meetings/1>"));
        let w = &content().warnings;
        for s in [&w.too_soon, &w.focus_hours, &w.already_started, &w.outside_hours, &w.moved_outside_hours, &w.moved_focus_hours] {
            assert!(!s.trim().is_empty());
        }
    }

    #[test]
    fn unknown_placeholders_are_refused_by_name_and_place() {
        let e = check("Hello {name}", "Hi {name},\nsee you {when} in {room} and {team}").unwrap_err();
        assert_eq!(e.0.len(), 2, "{e:?}");
        assert!(e.0[0].message.starts_with("{room} (line 2, column 19)"), "{}", e.0[0].message);
        assert_eq!((e.0[0].field.as_str(), e.0[0].line, e.0[0].column), ("body", Some(2), Some(19)));
        assert!(e.0[1].message.starts_with("{team}"));
        let e = check("{subject}", "fine").unwrap_err();
        assert_eq!(e.0[0].field, "subject");
        let e = check(" ", "").unwrap_err();
        assert!(e.message_for("subject").is_some() && e.message_for("body").is_some());
        assert!(check("x", &"y".repeat(BODY_MAX + 1)).unwrap_err().message_for("body").is_some());
    }

    #[test]
    fn double_braces_and_loose_braces_stay_as_written() {
        check("s", "Use {{name}} literally; a set {a, b} and a } alone").unwrap();
        assert_eq!(fill("{{name}} is {name}; {a, b}; {", &facts()), "{name} is Ivy; {a, b}; {");
        assert_eq!(fill("naïve {name}—ok", &facts()), "naïve Ivy—ok");
    }

    #[test]
    fn focus_hours_are_read_with_every_problem_named() {
        let f = check_focus(&["fri".into(), "mon".into(), "mon".into()], "09:00", "12:30").unwrap();
        assert_eq!(f.days, vec![Weekday::Mon, Weekday::Fri]);
        assert_eq!(f.days_string(), "mon fri");
        assert_eq!(FocusHours::parse_days("mon fri"), f.days);
        assert_eq!(f.label(), "Mon, Fri 09:00–12:30");
        let week = check_focus(&["mon", "tue", "wed", "thu", "fri"].map(String::from), "09:00", "12:00").unwrap();
        assert_eq!(week.label(), "Mon–Fri 09:00–12:00");
        let e = check_focus(&["funday".into()], "9am", "08:00").unwrap_err();
        assert!(e.message_for("days").unwrap().contains("funday"));
        assert!(e.message_for("start").is_some());
        let e = check_focus(&[], "10:00", "10:00").unwrap_err();
        assert!(e.message_for("days").is_some() && e.message_for("end").is_some());
    }

    #[test]
    fn a_meeting_overlaps_focus_hours_in_the_teammates_zone() {
        let f = FocusHours { days: vec![Weekday::Tue], start: t(9, 0), end: t(12, 0) };
        let berlin = chrono_tz::Europe::Berlin; // UTC+1 in December
        // Tuesday 1 December 2026, 10:00 Berlin = 09:00 UTC: inside.
        let at = |h, m| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
        assert!(f.overlaps(at(9, 0), 30, berlin));
        // 11:30–12:00 Berlin touches the end: inside; 12:00 Berlin: outside (the hours are over).
        assert!(f.overlaps(at(10, 30), 30, berlin));
        assert!(!f.overlaps(at(11, 0), 30, berlin));
        // 08:30–09:00 Berlin ends as they begin: outside; 08:45–09:15: inside.
        assert!(!f.overlaps(at(7, 30), 30, berlin));
        assert!(f.overlaps(at(7, 45), 30, berlin));
        // The same instant read in UTC is 09:00 UTC on a Tuesday, too; in Tokyo it is 18:00: outside.
        assert!(!f.overlaps(at(9, 0), 30, chrono_tz::Asia::Tokyo));
        // Another day of the week: outside.
        assert!(!f.overlaps(at(9, 0) + Duration::days(1), 30, berlin));
    }

    #[test]
    fn a_first_meeting_less_than_a_day_after_the_note_is_warned_about() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap();
        let timing = |first: DateTime<Utc>| Timing {
            announced: now,
            first_start: first,
            minutes: 30,
            teammate_name: "Ivy Coder",
            teammate_tz: chrono_tz::UTC,
            focus: None,
            manager_tz: chrono_tz::UTC,
        };
        assert_eq!(warnings(&timing(now + Duration::hours(24))), vec![], "exactly a day is enough");
        let w = warnings(&timing(now + Duration::hours(24) - Duration::minutes(1)));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningKind::TooSoon);
        assert!(w[0].message.contains("only 23 hours after this note") && w[0].message.contains("Give Ivy"), "{}", w[0].message);
        let w = warnings(&timing(now + Duration::minutes(40)));
        assert!(w[0].message.contains("only 40 minutes"), "{}", w[0].message);
        let w = warnings(&timing(now));
        assert_eq!(w[0].code, WarningKind::AlreadyStarted);
    }

    #[test]
    fn focus_hours_add_their_own_warning_with_the_reason() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        let f = FocusHours { days: vec![Weekday::Mon, Weekday::Tue], start: t(9, 0), end: t(12, 0) };
        let first = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(); // Tuesday 10:00 Berlin
        let timing = Timing {
            announced: now,
            first_start: first,
            minutes: 30,
            teammate_name: "Ivy Coder",
            teammate_tz: chrono_tz::Europe::Berlin,
            focus: Some(&f),
            manager_tz: chrono_tz::Europe::Berlin,
        };
        let w = warnings(&timing);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningKind::FocusHours);
        assert!(w[0].message.contains("(Tuesday 1 December at 10:00)"), "{}", w[0].message);
        assert!(w[0].message.contains("Ivy's focus hours (Mon, Tue 09:00–12:00, Europe/Berlin)"), "{}", w[0].message);
        let later = Timing { first_start: first + Duration::hours(3), ..timing.clone() };
        assert_eq!(warnings(&later), vec![]);
        let both = Timing { announced: first - Duration::hours(2), ..timing };
        let kinds: Vec<_> = warnings(&both).into_iter().map(|w| w.code).collect();
        assert_eq!(kinds, vec![WarningKind::TooSoon, WarningKind::FocusHours]);
    }

    #[test]
    fn a_first_meeting_outside_a_working_day_for_either_person_is_warned_about() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        // Thursday 3 December, 03:30 UTC: 11:30 in Singapore, 04:30 in Berlin.
        let first = Utc.with_ymd_and_hms(2026, 12, 3, 3, 30, 0).unwrap();
        let timing = Timing {
            announced: now,
            first_start: first,
            minutes: 30,
            teammate_name: "Mei Lin",
            teammate_tz: chrono_tz::Asia::Singapore,
            focus: None,
            manager_tz: chrono_tz::Europe::Berlin,
        };
        let w = warnings(&timing);
        assert_eq!(w.iter().map(|w| w.code).collect::<Vec<_>>(), vec![WarningKind::OutsideHours]);
        assert!(w[0].message.contains("at 04:30 on Thursday for you"), "{}", w[0].message);
        // For her it is 22:30: both are told.
        let late = Timing { first_start: Utc.with_ymd_and_hms(2026, 12, 3, 14, 30, 0).unwrap(), ..timing.clone() };
        let w = warnings(&late);
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("at 22:30 on Thursday for Mei"), "{}", w[0].message);
        // 08:00 to 18:30 in both zones' day: no warning; ending at 19:00 exactly is fine.
        let fine =
            Timing { manager_tz: chrono_tz::Asia::Singapore, first_start: Utc.with_ymd_and_hms(2026, 12, 3, 10, 30, 0).unwrap(), ..timing };
        assert_eq!(warnings(&fine), vec![]);
    }
}
