//! The "about" page a manager keeps on a direct report: interests, family, important dates
//! (yearly, like a birthday, or once, like the start of a parental leave) and time off.
//!
//! The notes belong to the manager who wrote them (`author_id`): when the reporting line
//! changes, the new manager starts with an empty page and the old notes stay out of sight.
//! Which dates are "coming up" for the prep view is decided here ([`upcoming`]).

use super::day::{Day, FormDay};
use super::{FieldError, Invalid};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const TEXT_MAX: usize = 4000;
pub const LABEL_MAX: usize = 120;
/// A page holds at most this many dates and this many periods of time off.
pub const ITEMS_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportantDate {
    pub id: Uuid,
    pub label: String,
    pub date: NaiveDate,
    /// Comes back every year (a birthday); otherwise it happens once.
    pub yearly: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimeOff {
    pub id: Uuid,
    pub label: String,
    pub starts_on: NaiveDate,
    /// The last day off (inclusive).
    pub ends_on: NaiveDate,
}

/// One manager's page about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AboutPage {
    #[schema(value_type = Uuid)]
    pub person_id: Uuid,
    /// The manager who wrote it; only they see it, and only while they are the manager.
    #[schema(value_type = Uuid)]
    pub author_id: Uuid,
    pub interests: String,
    pub family: String,
    pub dates: Vec<ImportantDate>,
    pub time_off: Vec<TimeOff>,
    /// 0 before anything was written; send it back to save (a stale one is refused).
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

impl AboutPage {
    pub fn empty(person_id: Uuid, author_id: Uuid) -> AboutPage {
        AboutPage {
            person_id,
            author_id,
            interests: String::new(),
            family: String::new(),
            dates: vec![],
            time_off: vec![],
            version: 0,
            updated_at: None,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DateInput {
    /// Kept when given (an existing date); a new one gets an id.
    #[serde(default)]
    pub id: Option<Uuid>,
    pub label: String,
    /// YYYY-MM-DD. For a yearly date the year is the first one (a birth year, or any year).
    #[schema(value_type = String, format = Date)]
    pub date: FormDay,
    #[serde(default)]
    pub yearly: bool,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeOffInput {
    #[serde(default)]
    pub id: Option<Uuid>,
    pub label: String,
    /// YYYY-MM-DD, the first day off.
    #[schema(value_type = String, format = Date)]
    pub starts_on: FormDay,
    /// YYYY-MM-DD, the last day off.
    #[schema(value_type = String, format = Date)]
    pub ends_on: FormDay,
}

/// The whole page, as it should be after saving.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AboutInput {
    #[serde(default)]
    pub interests: String,
    #[serde(default)]
    pub family: String,
    #[serde(default)]
    pub dates: Vec<DateInput>,
    #[serde(default)]
    pub time_off: Vec<TimeOffInput>,
    /// The version you read (0 for a page never written). Left out: save over whatever is there.
    #[serde(default)]
    pub version: Option<i64>,
}

impl AboutInput {
    /// The input that saves a page unchanged.
    pub fn from_page(p: &AboutPage) -> AboutInput {
        AboutInput {
            interests: p.interests.clone(),
            family: p.family.clone(),
            dates: p
                .dates
                .iter()
                .map(|d| DateInput { id: Some(d.id), label: d.label.clone(), date: FormDay::read(&d.date.to_string()), yearly: d.yearly })
                .collect(),
            time_off: p
                .time_off
                .iter()
                .map(|t| TimeOffInput {
                    id: Some(t.id),
                    label: t.label.clone(),
                    starts_on: FormDay::read(&t.starts_on.to_string()),
                    ends_on: FormDay::read(&t.ends_on.to_string()),
                })
                .collect(),
            version: Some(p.version),
        }
    }
}

/// What a valid input becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AboutFields {
    pub interests: String,
    pub family: String,
    pub dates: Vec<ImportantDate>,
    pub time_off: Vec<TimeOff>,
}

fn long_text(field: &str, s: &str, errors: &mut Invalid) -> String {
    let s = s.trim().replace("\r\n", "\n");
    if s.chars().count() > TEXT_MAX {
        errors.push(FieldError::new(field, format!("Keep it to {TEXT_MAX} characters; this is {}.", s.chars().count())));
    }
    s
}

fn label(field: &str, s: &str, what: &str, errors: &mut Invalid) -> String {
    let s = s.trim();
    if s.is_empty() {
        errors.push(FieldError::new(
            field,
            format!("Name the {what}, like “{}”.", if what == "date" { "Birthday" } else { "Summer holiday" }),
        ));
    } else if s.chars().count() > LABEL_MAX {
        errors.push(FieldError::new(field, format!("Keep the name to {LABEL_MAX} characters.")));
    } else if s.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "The name contains control characters."));
    }
    s.to_string()
}

/// A date field that must be filled in: the day read from it, or a message next to `field`.
fn required(field: &str, d: &FormDay, errors: &mut Invalid) -> Option<NaiveDate> {
    d.required(field, errors).map(Day::date)
}

/// Checks a whole page. Field names locate each problem: `dates[1].date`, `time_off[0].ends_on`.
pub fn validate(input: &AboutInput) -> Result<AboutFields, Invalid> {
    let mut errors = Invalid::default();
    let interests = long_text("interests", &input.interests, &mut errors);
    let family = long_text("family", &input.family, &mut errors);
    if input.dates.len() > ITEMS_MAX {
        errors.push(FieldError::new("dates", format!("Keep it to {ITEMS_MAX} dates.")));
    }
    if input.time_off.len() > ITEMS_MAX {
        errors.push(FieldError::new("time_off", format!("Keep it to {ITEMS_MAX} periods of time off.")));
    }
    let mut dates = vec![];
    for (i, d) in input.dates.iter().enumerate() {
        let l = label(&format!("dates[{i}].label"), &d.label, "date", &mut errors);
        if let Some(date) = required(&format!("dates[{i}].date"), &d.date, &mut errors) {
            dates.push(ImportantDate { id: d.id.unwrap_or_else(Uuid::now_v7), label: l, date, yearly: d.yearly });
        }
    }
    let mut time_off = vec![];
    for (i, t) in input.time_off.iter().enumerate() {
        let l = label(&format!("time_off[{i}].label"), &t.label, "time off", &mut errors);
        let s = required(&format!("time_off[{i}].starts_on"), &t.starts_on, &mut errors);
        let e = required(&format!("time_off[{i}].ends_on"), &t.ends_on, &mut errors);
        if let (Some(s), Some(e)) = (s, e) {
            if e < s {
                errors.push(FieldError::new(
                    format!("time_off[{i}].ends_on"),
                    format!("The last day ({e}) is before the first ({s}): the time off must end on or after its start."),
                ));
            } else {
                time_off.push(TimeOff { id: t.id.unwrap_or_else(Uuid::now_v7), label: l, starts_on: s, ends_on: e });
            }
        }
    }
    errors.into_result()?;
    dates.sort_by_key(|d| (d.yearly, d.date.month(), d.date.day(), d.date.year()));
    time_off.sort_by_key(|t| (t.starts_on, t.ends_on));
    Ok(AboutFields { interests, family, dates, time_off })
}

/// The day a date falls on in a given year: 29 February becomes 28 February in other years.
fn in_year(d: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, d.month(), d.day()).or_else(|| NaiveDate::from_ymd_opt(year, d.month(), 28)).unwrap_or(d)
}

impl ImportantDate {
    /// The next time this date comes (today included), or `None` for a one-off date that passed.
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        if !self.yearly {
            return (self.date >= today).then_some(self.date);
        }
        let this_year = in_year(self.date, today.year());
        Some(if this_year >= today { this_year } else { in_year(self.date, today.year() + 1) })
    }
}

/// The facts the prep view's suggestions read from a manager's about page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AboutFacts {
    /// Today, in the manager's time zone.
    pub today: NaiveDate,
    pub dates: Vec<ImportantDate>,
    pub time_off: Vec<TimeOff>,
}

/// Something from the about page worth raising in the next 1:1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coming {
    /// An important date `in_days` from today (0 is today).
    Date { label: String, on: NaiveDate, in_days: i64 },
    /// Time off that starts `in_days` from today.
    TimeOff { label: String, starts_on: NaiveDate, ends_on: NaiveDate, in_days: i64 },
    /// Time off that has started and not ended.
    Away { label: String, starts_on: NaiveDate, ends_on: NaiveDate },
}

/// Dates and time off within `days` days from today (exactly `days` ahead counts, one more
/// does not), and time off under way; soonest first.
pub fn upcoming(f: &AboutFacts, days: u32) -> Vec<Coming> {
    let days = days as i64;
    let mut out: Vec<(i64, Coming)> = vec![];
    for d in &f.dates {
        if let Some(on) = d.next_on_or_after(f.today) {
            let n = (on - f.today).num_days();
            if n <= days {
                out.push((n, Coming::Date { label: d.label.clone(), on, in_days: n }));
            }
        }
    }
    for t in &f.time_off {
        let n = (t.starts_on - f.today).num_days();
        if (0..=days).contains(&n) {
            out.push((n, Coming::TimeOff { label: t.label.clone(), starts_on: t.starts_on, ends_on: t.ends_on, in_days: n }));
        } else if n < 0 && t.ends_on >= f.today {
            out.push((-1, Coming::Away { label: t.label.clone(), starts_on: t.starts_on, ends_on: t.ends_on }));
        }
    }
    out.sort_by_key(|(n, _)| *n);
    out.into_iter().map(|(_, c)| c).collect()
}

/// "3 December" (with the year when it is not `today`'s year).
pub fn day_words(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { d.format("%-d %B").to_string() } else { d.format("%-d %B %Y").to_string() }
}

/// "20 to 31 December", "28 December to 4 January 2027".
pub fn range_words(a: NaiveDate, b: NaiveDate, today: NaiveDate) -> String {
    if a == b {
        return format!("on {}", day_words(a, today));
    }
    if a.year() == b.year() && a.month() == b.month() {
        format!("from {} to {}", a.day(), day_words(b, today))
    } else if a.year() == b.year() && b.year() == today.year() {
        format!("from {} to {}", day_words(a, today), day_words(b, today))
    } else {
        format!("from {} to {}", a.format("%-d %B %Y"), b.format("%-d %B %Y"))
    }
}

/// "today", "tomorrow", "in 9 days".
pub fn in_days_words(n: i64) -> String {
    match n {
        0 => "today".into(),
        1 => "tomorrow".into(),
        n => format!("in {n} days"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn date(label: &str, on: NaiveDate, yearly: bool) -> ImportantDate {
        ImportantDate { id: Uuid::nil(), label: label.into(), date: on, yearly }
    }

    fn off(label: &str, a: NaiveDate, b: NaiveDate) -> TimeOff {
        TimeOff { id: Uuid::nil(), label: label.into(), starts_on: a, ends_on: b }
    }

    fn labels(v: &[Coming]) -> Vec<String> {
        v.iter()
            .map(|c| match c {
                Coming::Date { label, in_days, .. } => format!("{label}+{in_days}"),
                Coming::TimeOff { label, in_days, .. } => format!("{label}+{in_days}"),
                Coming::Away { label, .. } => format!("{label} (away)"),
            })
            .collect()
    }

    #[test]
    fn a_date_exactly_n_days_ahead_counts_and_one_more_does_not() {
        let today = d(2026, 11, 24);
        let f = AboutFacts {
            today,
            dates: vec![date("In 14", d(2026, 12, 8), false), date("In 15", d(2026, 12, 9), false), date("Today", today, false)],
            time_off: vec![off("Off in 14", d(2026, 12, 8), d(2026, 12, 10)), off("Off in 15", d(2026, 12, 9), d(2026, 12, 10))],
        };
        assert_eq!(labels(&upcoming(&f, 14)), vec!["Today+0", "In 14+14", "Off in 14+14"]);
        assert_eq!(labels(&upcoming(&f, 15)), vec!["Today+0", "In 14+14", "Off in 14+14", "In 15+15", "Off in 15+15"]);
    }

    #[test]
    fn yearly_dates_come_back_across_new_year_and_one_off_dates_pass() {
        let today = d(2026, 12, 28);
        let f = AboutFacts {
            today,
            dates: vec![
                date("Birthday", d(1990, 1, 3), true),
                date("Last year's move", d(2025, 1, 3), false),
                date("Anniversary", d(2019, 12, 27), true),
            ],
            time_off: vec![],
        };
        // 3 January is six days after 28 December; the anniversary was yesterday (next: a year away).
        assert_eq!(labels(&upcoming(&f, 14)), vec!["Birthday+6"]);
        assert_eq!(f.dates[0].next_on_or_after(today), Some(d(2027, 1, 3)));
        assert_eq!(f.dates[1].next_on_or_after(today), None);
        // 29 February in a year without one is marked on the 28th.
        assert_eq!(date("Leap", d(2000, 2, 29), true).next_on_or_after(d(2027, 2, 1)), Some(d(2027, 2, 28)));
    }

    #[test]
    fn time_off_under_way_counts_until_its_last_day() {
        let f = |today| AboutFacts { today, dates: vec![], time_off: vec![off("Holiday", d(2026, 12, 20), d(2026, 12, 31))] };
        assert_eq!(labels(&upcoming(&f(d(2026, 12, 24)), 14)), vec!["Holiday (away)"]);
        assert_eq!(labels(&upcoming(&f(d(2026, 12, 31)), 14)), vec!["Holiday (away)"]);
        assert!(upcoming(&f(d(2027, 1, 1)), 14).is_empty());
        assert_eq!(labels(&upcoming(&f(d(2026, 12, 20)), 14)), vec!["Holiday+0"]);
    }

    #[test]
    fn bad_dates_and_an_end_before_the_start_are_named_by_field() {
        let input = AboutInput {
            dates: vec![
                DateInput { label: "Birthday".into(), date: "2026-02-30".into(), ..Default::default() },
                DateInput { label: " ".into(), date: "2026-03-01".into(), ..Default::default() },
            ],
            time_off: vec![TimeOffInput {
                label: "Holiday".into(),
                starts_on: "2026-12-31".into(),
                ends_on: "2026-12-20".into(),
                id: None,
            }],
            ..Default::default()
        };
        let e = validate(&input).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["dates[0].date", "dates[1].label", "time_off[0].ends_on"]);
        assert!(e.message_for("time_off[0].ends_on").unwrap().contains("before"));
        let ok = AboutInput {
            interests: " Climbing ".into(),
            dates: vec![DateInput { label: "Birthday".into(), date: "1990-12-03".into(), yearly: true, id: None }],
            ..Default::default()
        };
        let v = validate(&ok).unwrap();
        assert_eq!(v.interests, "Climbing");
        assert_eq!(v.dates[0].date, d(1990, 12, 3));
    }

    #[test]
    fn ranges_read_naturally() {
        let today = d(2026, 11, 24);
        assert_eq!(range_words(d(2026, 12, 20), d(2026, 12, 31), today), "from 20 to 31 December");
        assert_eq!(range_words(d(2026, 12, 28), d(2027, 1, 4), today), "from 28 December 2026 to 4 January 2027");
        assert_eq!(range_words(d(2026, 11, 30), d(2026, 12, 2), today), "from 30 November to 2 December");
        assert_eq!(in_days_words(9), "in 9 days");
    }
}
