//! iCalendar (RFC 5545) text for calendar feeds and invitations (RFC 5546 REQUEST / CANCEL),
//! written by hand: content lines end in CRLF and are folded at 75 octets (never inside a
//! UTF-8 character), TEXT values are escaped, times carry a TZID naming the IANA zone, and each
//! zone used gets a VTIMEZONE computed from chrono-tz's tables (Outlook requires one).
//!
//! A series is one VEVENT with a recurrence rule that matches `schedule::Schedule` exactly
//! (weekly, every two weeks, the nth or last weekday of the month), so calendar programs
//! expand the same instants rapport computes, daylight-saving changes included. A moved
//! meeting is an override (same UID, RECURRENCE-ID = its original start); a skipped or
//! cancelled one is an EXDATE. UIDs come from record ids, so they never change.

use super::schedule::{Cadence, Schedule};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use std::collections::BTreeSet;
use std::fmt::Write as _;

pub const PRODID: &str = "-//rapport//rapport 1:1s//EN";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub name: String,
    pub email: String,
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub sequence: i64,
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub tz: Tz,
    pub duration_minutes: u32,
    pub summary: String,
    pub description: String,
    pub url: Option<String>,
    /// The recurrence rule, for a series' master event.
    pub rrule: Option<String>,
    /// Occurrences that do not take place (their original starts).
    pub exdates: Vec<DateTime<Utc>>,
    /// For an override or a cancellation of one occurrence: the original start.
    pub recurrence_id: Option<DateTime<Utc>>,
    pub cancelled: bool,
    pub organizer: Option<Party>,
    pub attendees: Vec<Party>,
}

/// The recurrence rule of a schedule. `until` ends it (an ended or paused series).
pub fn rrule(schedule: &Schedule, until: Option<DateTime<Utc>>) -> String {
    let day = weekday_code(schedule.weekday());
    let mut rule = match schedule.cadence {
        Cadence::Weekly => format!("FREQ=WEEKLY;BYDAY={day}"),
        Cadence::Biweekly => format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={day}"),
        Cadence::Monthly => {
            // The same rule as Schedule::date_of: the nth weekday, or the last for a fifth.
            let week = schedule.first_date.day0() / 7 + 1;
            let nth = if week >= 5 { "-1".to_string() } else { week.to_string() };
            format!("FREQ=MONTHLY;BYDAY={nth}{day}")
        }
    };
    if let Some(u) = until {
        let _ = write!(rule, ";UNTIL={}", utc_stamp(u));
    }
    rule
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

pub fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// A TEXT value with `\`, `;`, `,` and line breaks escaped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (such as CN): quoted, with characters a quoted value cannot hold removed.
fn param_value(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// Appends one content line, folded at 75 octets and ended by CRLF.
pub fn push_line(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuation lines start with a space, which counts towards their 75 octets.
        limit = 74;
    }
}

/// A whole VCALENDAR.
pub fn calendar(method: Option<Method>, name: Option<&str>, events: &[Event]) -> String {
    let mut out = String::new();
    push_line(&mut out, "BEGIN:VCALENDAR");
    push_line(&mut out, "VERSION:2.0");
    push_line(&mut out, &format!("PRODID:{PRODID}"));
    push_line(&mut out, "CALSCALE:GREGORIAN");
    if let Some(m) = method {
        push_line(&mut out, &format!("METHOD:{}", m.as_str()));
    }
    if let Some(n) = name {
        push_line(&mut out, &format!("X-WR-CALNAME:{}", escape_text(n)));
    }
    let this_year = events.iter().map(|e| e.stamp.year()).max().unwrap_or(1970);
    let zones: BTreeSet<&str> = events.iter().map(|e| e.tz.name()).collect();
    for zone in zones {
        let tz: Tz = zone.parse().expect("a name chrono-tz gave");
        let from = events.iter().filter(|e| e.tz == tz).map(|e| e.start.year().min(e.recurrence_id.map_or(i32::MAX, |r| r.year()))).min();
        vtimezone(&mut out, tz, from.unwrap_or(1970) - 1, this_year);
    }
    for e in events {
        event(&mut out, e);
    }
    push_line(&mut out, "END:VCALENDAR");
    out
}

fn local(t: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

fn event(out: &mut String, e: &Event) {
    let zone = e.tz.name();
    push_line(out, "BEGIN:VEVENT");
    push_line(out, &format!("UID:{}", e.uid));
    push_line(out, &format!("DTSTAMP:{}", utc_stamp(e.stamp)));
    if let Some(r) = e.recurrence_id {
        push_line(out, &format!("RECURRENCE-ID;TZID={zone}:{}", local_stamp(local(r, e.tz))));
    }
    push_line(out, &format!("DTSTART;TZID={zone}:{}", local_stamp(local(e.start, e.tz))));
    push_line(out, &format!("DURATION:PT{}M", e.duration_minutes));
    if let Some(rule) = &e.rrule {
        push_line(out, &format!("RRULE:{rule}"));
    }
    if !e.exdates.is_empty() {
        let list: Vec<String> = e.exdates.iter().map(|d| local_stamp(local(*d, e.tz))).collect();
        push_line(out, &format!("EXDATE;TZID={zone}:{}", list.join(",")));
    }
    push_line(out, &format!("SEQUENCE:{}", e.sequence.max(0)));
    push_line(out, &format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }));
    push_line(out, &format!("SUMMARY:{}", escape_text(&e.summary)));
    if !e.description.is_empty() {
        push_line(out, &format!("DESCRIPTION:{}", escape_text(&e.description)));
    }
    if let Some(u) = &e.url {
        push_line(out, &format!("URL:{u}"));
    }
    if let Some(o) = &e.organizer {
        push_line(out, &format!("ORGANIZER;CN={}:mailto:{}", param_value(&o.name), o.email));
    }
    for a in &e.attendees {
        push_line(
            out,
            &format!("ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:{}", param_value(&a.name), a.email),
        );
    }
    push_line(out, "TRANSP:OPAQUE");
    push_line(out, "END:VEVENT");
}

// ---- VTIMEZONE from chrono-tz ----

/// A change of offset: the instant, the offsets before and after, whether daylight time
/// begins, and the abbreviation after.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Transition {
    at: DateTime<Utc>,
    from_secs: i32,
    to_secs: i32,
    daylight: bool,
    name: String,
}

fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    let total = (o.base_utc_offset() + o.dst_offset()).num_seconds() as i32;
    (total, o.dst_offset().num_seconds() != 0, o.abbreviation().unwrap_or("").to_string())
}

/// Every change of offset between the start of `from_year` and the end of `to_year`,
/// found by stepping a day at a time and bisecting to the second.
fn transitions(tz: Tz, from_year: i32, to_year: i32) -> Vec<Transition> {
    let start = Utc.with_ymd_and_hms(from_year, 1, 1, 0, 0, 0).single().expect("valid");
    let end = Utc.with_ymd_and_hms(to_year + 1, 1, 1, 0, 0, 0).single().expect("valid");
    let mut out = vec![];
    let mut t = start;
    let mut prev = offset_at(tz, t);
    while t < end {
        let next = t + Duration::days(1);
        let cur = offset_at(tz, next);
        if cur.0 != prev.0 || cur.1 != prev.1 {
            let (mut lo, mut hi) = (t.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let at = DateTime::from_timestamp(mid, 0).expect("in range");
                if offset_at(tz, at) == prev { lo = mid } else { hi = mid }
            }
            let at = DateTime::from_timestamp(hi, 0).expect("in range");
            out.push(Transition { at, from_secs: prev.0, to_secs: cur.0, daylight: cur.1, name: cur.2.clone() });
        }
        prev = cur;
        t = next;
    }
    out
}

fn offset_text(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.abs();
    if a % 60 != 0 {
        format!("{sign}{:02}{:02}{:02}", a / 3600, (a % 3600) / 60, a % 60)
    } else {
        format!("{sign}{:02}{:02}", a / 3600, (a % 3600) / 60)
    }
}

/// The yearly rule a transition follows ("the last Sunday of March"), as an RRULE, when the
/// same rule gives the transitions of each of the next years too.
fn yearly_rule(t: &Transition, later: &[Transition]) -> Option<String> {
    let local = t.at.naive_utc() + Duration::seconds(t.from_secs as i64);
    let date = local.date();
    let month_len = NaiveDate::from_ymd_opt(date.year() + (date.month() / 12) as i32, date.month() % 12 + 1, 1)?.pred_opt()?.day();
    let nth: i32 = if date.day() + 7 > month_len { -1 } else { (date.day0() / 7 + 1) as i32 };
    let rule_date = |year: i32| -> Option<NaiveDate> {
        if nth == -1 {
            let last = NaiveDate::from_ymd_opt(year + (date.month() / 12) as i32, date.month() % 12 + 1, 1)?.pred_opt()?;
            let back = (7 + last.weekday().num_days_from_monday() as i64 - date.weekday().num_days_from_monday() as i64) % 7;
            Some(last - Duration::days(back))
        } else {
            let first = NaiveDate::from_ymd_opt(year, date.month(), 1)?;
            Some(super::schedule::next_weekday(first, date.weekday()) + Duration::weeks(nth as i64 - 1))
        }
    };
    for l in later {
        let ll = l.at.naive_utc() + Duration::seconds(l.from_secs as i64);
        if rule_date(ll.year()) != Some(ll.date()) || ll.time() != local.time() || l.to_secs != t.to_secs || l.from_secs != t.from_secs {
            return None;
        }
    }
    Some(format!("FREQ=YEARLY;BYMONTH={};BYDAY={}{}", date.month(), nth, weekday_code(date.weekday())))
}

fn observance(out: &mut String, daylight: bool, start_local: NaiveDateTime, from: i32, to: i32, name: &str, rule: Option<&str>) {
    let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
    push_line(out, &format!("BEGIN:{kind}"));
    push_line(out, &format!("DTSTART:{}", local_stamp(start_local)));
    push_line(out, &format!("TZOFFSETFROM:{}", offset_text(from)));
    push_line(out, &format!("TZOFFSETTO:{}", offset_text(to)));
    if let Some(r) = rule {
        push_line(out, &format!("RRULE:{r}"));
    }
    if !name.is_empty() {
        push_line(out, &format!("TZNAME:{}", escape_text(name)));
    }
    push_line(out, &format!("END:{kind}"));
}

/// The VTIMEZONE of `tz` from `from_year` on: the offset in force then, each change since,
/// and the current yearly rules as RRULEs (checked against chrono-tz for twenty years past
/// `this_year`; where no rule holds, the changes are listed one by one instead).
pub fn vtimezone(out: &mut String, tz: Tz, from_year: i32, this_year: i32) {
    let horizon = this_year.max(from_year) + 20;
    let all = transitions(tz, from_year, horizon);
    let rule_of = |i: usize| -> Option<String> {
        let later: Vec<Transition> = all[i + 1..].iter().filter(|l| l.daylight == all[i].daylight).cloned().collect();
        if later.is_empty() { None } else { yearly_rule(&all[i], &later) }
    };
    push_line(out, "BEGIN:VTIMEZONE");
    push_line(out, &format!("TZID:{}", tz.name()));
    let start = Utc.with_ymd_and_hms(from_year, 1, 1, 0, 0, 0).single().expect("valid");
    let (off, dst, name) = offset_at(tz, start);
    observance(out, dst, local(start, tz), off, off, &name, None);
    // The last two changes, when each follows a yearly rule, start the ruled part; walk back
    // while earlier years follow the same two rules.
    let n = all.len();
    let mut ruled: Option<usize> = None;
    if n >= 4 && rule_of(n - 4).is_some() && rule_of(n - 3).is_some() {
        let mut first = n - 4;
        while first >= 2 && rule_of(first - 2) == rule_of(first) && rule_of(first - 1) == rule_of(first + 1) {
            first -= 2;
        }
        ruled = Some(first);
    }
    let listed = ruled.unwrap_or(n);
    for t in &all[..listed] {
        let start_local = t.at.naive_utc() + Duration::seconds(t.from_secs as i64);
        observance(out, t.daylight, start_local, t.from_secs, t.to_secs, &t.name, None);
    }
    if let Some(first) = ruled {
        for i in [first, first + 1] {
            let t = &all[i];
            let start_local = t.at.naive_utc() + Duration::seconds(t.from_secs as i64);
            observance(out, t.daylight, start_local, t.from_secs, t.to_secs, &t.name, rule_of(i).as_deref());
        }
    }
    push_line(out, "END:VTIMEZONE");
}

/// The local start times (in the schedule's zone) a correct RRULE expansion gives; used by
/// tests to compare with other programs.
pub fn local_start(t: DateTime<Utc>, tz: Tz) -> String {
    let l = local(t, tz);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", l.year(), l.month(), l.day(), l.hour(), l.minute())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn schedule(cadence: Cadence, y: i32, m: u32, d: u32, tz: Tz) -> Schedule {
        Schedule {
            cadence,
            first_date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            local_time: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            tz,
        }
    }

    fn sample(tz: Tz) -> Event {
        let s = schedule(Cadence::Weekly, 2026, 10, 20, tz);
        Event {
            uid: "series-1@rapport".into(),
            sequence: 0,
            stamp: Utc.with_ymd_and_hms(2026, 10, 1, 12, 0, 0).unwrap(),
            start: s.occurrence(0).unwrap().starts_at,
            tz,
            duration_minutes: 30,
            summary: "1:1: Ada, Bob; notes\\more".into(),
            description: "Line one\nLine two".into(),
            url: Some("https://rapport.example.com/series/1".into()),
            rrule: Some(rrule(&s, None)),
            exdates: vec![s.occurrence(2).unwrap().starts_at],
            recurrence_id: None,
            cancelled: false,
            organizer: Some(Party { name: "Ada \"The\" Manager".into(), email: "ada@example.com".into() }),
            attendees: vec![Party { name: "Bob".into(), email: "bob@example.com".into() }],
        }
    }

    #[test]
    fn rules_follow_the_schedule() {
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(rrule(&schedule(Cadence::Weekly, 2026, 10, 20, tz), None), "FREQ=WEEKLY;BYDAY=TU");
        assert_eq!(rrule(&schedule(Cadence::Biweekly, 2026, 10, 20, tz), None), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
        // 8 January 2026 is the second Thursday; 30 January the fifth Friday (so: the last).
        assert_eq!(rrule(&schedule(Cadence::Monthly, 2026, 1, 8, tz), None), "FREQ=MONTHLY;BYDAY=2TH");
        assert_eq!(rrule(&schedule(Cadence::Monthly, 2026, 1, 30, tz), None), "FREQ=MONTHLY;BYDAY=-1FR");
        let until = Utc.with_ymd_and_hms(2027, 1, 5, 9, 0, 0).unwrap();
        assert_eq!(rrule(&schedule(Cadence::Weekly, 2026, 10, 20, tz), Some(until)), "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270105T090000Z");
    }

    #[test]
    fn text_is_escaped_and_lines_are_folded_at_75_octets_on_character_boundaries() {
        assert_eq!(escape_text("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        push_line(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        // Unfolding gives the line back.
        assert_eq!(out.trim_end_matches("\r\n").replace("\r\n ", ""), long);
    }

    #[test]
    fn a_calendar_has_crlf_lines_a_timezone_and_the_series() {
        let text = calendar(Some(Method::Request), Some("1:1s"), &[sample(chrono_tz::Europe::Berlin)]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "every line ends in CRLF");
        for needle in [
            "METHOD:REQUEST",
            "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin",
            "DTSTART;TZID=Europe/Berlin:20261020T100000",
            "RRULE:FREQ=WEEKLY;BYDAY=TU",
            "EXDATE;TZID=Europe/Berlin:20261103T100000",
            "SUMMARY:1:1: Ada\\, Bob\\; notes\\\\more",
            "DESCRIPTION:Line one\\nLine two",
            "ORGANIZER;CN=\"Ada The Manager\":mailto:ada@example.com",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
    }

    #[test]
    fn zones_without_daylight_saving_have_one_standard_observance() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::Asia::Kolkata, 2025, 2026);
        assert_eq!(out.matches("BEGIN:STANDARD").count(), 1);
        assert!(out.contains("TZOFFSETTO:+0530"));
        assert!(!out.contains("DAYLIGHT"));
    }

    #[test]
    fn new_york_gets_its_second_sunday_of_march_and_first_sunday_of_november_rules() {
        let mut out = String::new();
        vtimezone(&mut out, chrono_tz::America::New_York, 2025, 2026);
        assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"), "{out}");
        assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"), "{out}");
        assert!(out.contains("DTSTART:20250309T020000"), "{out}");
    }

    #[test]
    fn the_start_of_a_transition_is_written_in_the_offset_before_it() {
        let t = transitions(chrono_tz::Europe::Berlin, 2026, 2026);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].at, Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap());
        assert!(t[0].daylight);
        assert_eq!(t[1].at, Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap());
    }
}
