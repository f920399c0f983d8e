use super::*;
use crate::domain::Invalid;
use chrono::{DateTime, Utc};
use std::collections::HashSet;

#[test]
fn the_bank_has_at_least_350_unique_questions_and_20_per_purpose() {
    let b = bank();
    assert!(b.len() >= 350, "{} questions", b.len());
    let mut keys = HashSet::new();
    let mut texts = HashSet::new();
    for q in b {
        assert!(keys.insert(q.key.clone()), "duplicate key {}", q.key);
        assert!(texts.insert(q.text.to_lowercase()), "duplicate question {}", q.text);
        assert!(!q.purposes.is_empty(), "{} has no purpose", q.key);
        assert!(q.text.len() <= QUESTION_MAX && q.text.ends_with('?'), "{}: {}", q.key, q.text);
        let mut distinct = q.purposes.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), q.purposes.len(), "{} repeats a purpose", q.key);
    }
    for p in Purpose::ALL {
        let n = b.iter().filter(|q| q.purposes.contains(&p)).count();
        assert!(n >= 20, "{p:?} has {n} questions");
    }
}

/// Whether `short`'s words all appear, in order, in `long`, which has at most three more: "What's
/// one thing you'd like me to keep doing" in "What's one thing I do that you'd like me to keep doing".
fn nearly_the_same(short: &str, long: &str) -> bool {
    let (s, l): (Vec<&str>, Vec<&str>) = (short.split(' ').collect(), long.split(' ').collect());
    let mut rest = l.iter();
    s.len() < l.len() && l.len() - s.len() <= 3 && s.iter().all(|w| rest.any(|x| x == w))
}

#[test]
fn no_two_questions_of_the_bank_say_the_same() {
    let texts: Vec<(String, &str)> = bank().iter().map(|q| (normalised(&q.text), q.key.as_str())).collect();
    let mut seen = std::collections::HashMap::new();
    for (t, key) in &texts {
        if let Some(first) = seen.insert(t.clone(), *key) {
            panic!("{first} and {key} are the same question: {t}");
        }
        assert_eq!(in_bank(t).map(|q| q.key.as_str()), Some(*key), "{key} is found by its text");
    }
    for (a, ka) in &texts {
        for (b, kb) in &texts {
            assert!(!nearly_the_same(a, b), "{ka} and {kb} nearly say the same: \"{a}\" and \"{b}\"");
        }
    }
    assert_eq!(normalised("  What\u{2019}s  one THING you'd like?!  "), "what's one thing you'd like");
    assert_eq!(in_bank("what\u{2019}s one thing you\u{2019}d like me to keep doing").map(|q| q.key.as_str()), Some("feedback-06"));
}

#[test]
fn a_file_s_questions_that_our_bank_has_are_skipped_and_said_so() {
    let csv =
        "text,purposes\nHow are the on-call weeks?,wellbeing\n\"WHAT\u{2019}S ONE THING YOU\u{2019}D LIKE ME TO KEEP DOING\",feedback\n";
    let plan = plan_questions(csv.as_bytes(), QuestionFormat::Csv, &HashSet::new()).unwrap();
    assert_eq!(plan.questions.iter().map(|q| q.text.as_str()).collect::<Vec<_>>(), vec!["How are the on-call weeks?"]);
    assert_eq!(plan.in_bank.len(), 1);
    assert_eq!(plan.in_bank[0].message, "Line 3 is already in the bank as feedback-06; it is skipped.");
}

#[test]
fn our_templates_cover_the_seven_kinds_and_tag_every_prompt() {
    let t = templates();
    for key in ["weekly", "career", "setback", "feedback", "review", "promotion", "skip-level"] {
        let tpl = t.iter().find(|t| t.key == key).unwrap_or_else(|| panic!("no {key}"));
        assert!(tpl.prompts.len() >= 3, "{key}");
        assert!(tpl.prompts.iter().all(|p| !p.purposes.is_empty() && !p.text.is_empty()), "{key}");
    }
    let keys: HashSet<_> = t.iter().map(|t| &t.key).collect();
    assert_eq!(keys.len(), t.len());
}

#[test]
fn purposes_parse_by_slug_or_label() {
    assert_eq!(Purpose::parse("Safety"), Some(Purpose::Safety));
    assert_eq!(Purpose::parse("psychological safety"), Some(Purpose::Safety));
    assert_eq!(Purpose::parse("fun"), None);
    for p in Purpose::ALL {
        assert_eq!(Purpose::parse(p.slug()), Some(p));
    }
}

fn sample() -> Vec<QuestionInput> {
    vec![
        QuestionInput {
            text: "What's one thing, \"big\" or small, you'd change?".into(),
            purposes: vec![Purpose::Strategy, Purpose::Plans],
        },
        QuestionInput { text: "How are you, really?".into(), purposes: vec![Purpose::Wellbeing] },
    ]
}

#[test]
fn every_format_reads_back_what_it_wrote() {
    for f in [QuestionFormat::Csv, QuestionFormat::Json, QuestionFormat::Markdown] {
        let out = export_questions(&sample(), f);
        assert_eq!(parse_questions(out.as_bytes(), f, &HashSet::new()).unwrap(), sample(), "{f:?}\n{out}");
    }
}

fn places(e: Invalid) -> Vec<(u64, u64, String)> {
    e.0.into_iter().map(|e| (e.line.unwrap(), e.column.unwrap(), e.field)).collect()
}

#[test]
fn problems_are_located_in_each_format() {
    let none = HashSet::new();
    let csv = "text,purposes\nHow are you?,wellbeing\nWhat next?,plans fun\n,career\n";
    assert_eq!(
        places(parse_questions(csv.as_bytes(), QuestionFormat::Csv, &none).unwrap_err()),
        vec![(3, 18, "purposes".into()), (4, 1, "text".into())]
    );
    let md = "# Mine\n\n- [plans] Fine?\nnot a list item\n- [wellbeing, nope] Also fine?\n- No purposes?\n";
    assert_eq!(
        places(parse_questions(md.as_bytes(), QuestionFormat::Markdown, &none).unwrap_err()),
        vec![(4, 1, "line".into()), (5, 15, "purposes".into()), (6, 3, "purposes".into())]
    );
    let json = "[\n  {\"text\": \"Fine?\", \"purposes\": [\"plans\"]},\n  {\"text\": \"Odd?\", \"purposes\": [\"odd\"]}\n]";
    assert_eq!(places(parse_questions(json.as_bytes(), QuestionFormat::Json, &none).unwrap_err()), vec![(3, 34, "purposes".into())]);
    let broken = "[\n  {\"text\": \"Fine?\",}\n]";
    assert_eq!(places(parse_questions(broken.as_bytes(), QuestionFormat::Json, &none).unwrap_err())[0].0, 2);
    let existing: HashSet<String> = ["how are you?".to_string()].into();
    let dup = "text,purposes\nHow are you?,wellbeing\n";
    assert_eq!(places(parse_questions(dup.as_bytes(), QuestionFormat::Csv, &existing).unwrap_err()), vec![(2, 1, "text".into())]);
}

#[test]
fn a_template_form_reads_purposes_per_line() {
    let (n, _, ps) = check_template("Mine", "", "[wellbeing] How are you?\nWhat's next?").unwrap();
    assert_eq!(n, "Mine");
    assert_eq!(ps[0].purposes, vec![Purpose::Wellbeing]);
    assert!(ps[1].purposes.is_empty());
    assert_eq!(prompts_as_text(&ps), "[wellbeing] How are you?\nWhat's next?");
    assert!(check_template("Mine", "", "[fun] Hi?").is_err());
    assert!(check_template("", "", "").is_err());
}

fn day(d: u32) -> DateTime<Utc> {
    chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 1, 10, 0, 0).unwrap() + chrono::Duration::days(d as i64)
}

#[test]
fn every_purpose_has_suggestion_words() {
    for p in Purpose::ALL {
        assert!(phrases().purpose_gap.contains_key(p.slug()), "{p:?}");
    }
}

#[test]
fn suggestions_name_the_longest_gaps_carried_topics_and_falling_ratings() {
    let t = Thresholds::default();
    let all_but = |skip: &[Purpose]| Purpose::ALL.into_iter().filter(|p| !skip.contains(p)).collect::<Vec<_>>();
    let h = PairHistory {
        now: day(70),
        started: day(0),
        // Everything touched on day 63 except feedback (day 42: 4 weeks) and career (never: 10 weeks).
        touched: vec![(day(42), vec![Purpose::Feedback]), (day(63), all_but(&[Purpose::Feedback, Purpose::Career]))],
        ratings: vec![5, 4, 4, 3, 2],
        carried: vec![("Hiring plan".into(), 2), ("Laptop".into(), 1)],
        about: Default::default(),
        pulse: vec![],
    };
    let s = suggest(&h, &t);
    let reasons: Vec<&str> = s.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "No feedback exchanged in 4 weeks.",
            "No career conversation in 10 weeks.",
            "It has been carried over 2 times.",
            "The last 3 ratings went down: 4, 3, 2.",
        ]
    );
    assert!(s[2].text.contains("Hiring plan"));
    // Thresholds move the answer: with a 5-week feedback threshold, feedback is not due.
    let t2 = Thresholds { feedback_gap_weeks: 5, carried_times: 3, falling_ratings: 4, ..Thresholds::default() };
    let reasons: Vec<String> = suggest(&h, &t2).into_iter().map(|s| s.reason).collect();
    assert_eq!(reasons, vec!["No career conversation in 10 weeks.".to_string()]);
    // A young pair gets no "not touched" suggestion, and steady ratings are no trend.
    let young = PairHistory {
        now: day(7),
        started: day(0),
        touched: vec![],
        ratings: vec![4, 4, 3],
        carried: vec![],
        about: Default::default(),
        pulse: vec![],
    };
    assert!(suggest(&young, &t).is_empty());
}

#[test]
fn what_the_pulse_says_comes_first_in_the_words_of_the_content_file() {
    use crate::domain::pulse::Signal;
    let h = PairHistory {
        now: day(7),
        started: day(0),
        touched: vec![],
        ratings: vec![],
        carried: vec![],
        about: Default::default(),
        pulse: vec![
            ("Energy".into(), Signal::Drop { key: "energy".into(), from: 4, to: 2 }),
            ("Workload".into(), Signal::Low { key: "workload".into(), answers: vec![2, 1, 2] }),
        ],
    };
    let s = suggest(&h, &Thresholds::default());
    let reasons: Vec<&str> = s.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(reasons, ["Energy went from 4 to 2 out of 5 since the last pulse.", "Workload was 2, 1, 2 out of 5 in the last 3 pulses."]);
    assert!(s[0].text.contains("“Energy”"), "{}", s[0].text);
}

#[test]
fn important_dates_and_time_off_are_suggested_with_their_reason() {
    use crate::domain::about::{AboutFacts, ImportantDate, TimeOff};
    let d = |m, day| chrono::NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let h = |today, about_dates: Vec<ImportantDate>, off: Vec<TimeOff>| PairHistory {
        now: day(7),
        started: day(0),
        touched: vec![],
        ratings: vec![],
        carried: vec![],
        about: AboutFacts { today, dates: about_dates, time_off: off },
        pulse: vec![],
    };
    let birthday = ImportantDate {
        id: uuid::Uuid::nil(),
        label: "Birthday".into(),
        date: chrono::NaiveDate::from_ymd_opt(1991, 12, 3).unwrap(),
        yearly: true,
    };
    let holiday = TimeOff { id: uuid::Uuid::nil(), label: "Winter holiday".into(), starts_on: d(12, 20), ends_on: d(12, 31) };
    let t = Thresholds::default();
    let reasons = |h: &PairHistory, t: &Thresholds| suggest(h, t).into_iter().map(|s| (s.text, s.reason)).collect::<Vec<_>>();
    // 24 November: the birthday is 9 days ahead, the holiday 26 (beyond 14).
    let r = reasons(&h(d(11, 24), vec![birthday.clone()], vec![holiday.clone()]), &t);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].1, "Birthday is on 3 December, in 9 days.");
    // 6 December: the holiday starts in exactly 14 days (included); with 13 it is not.
    let r = reasons(&h(d(12, 6), vec![], vec![holiday.clone()]), &t);
    assert_eq!(r.len(), 1);
    assert!(r[0].0.contains("from 20 to 31 December"), "{}", r[0].0);
    let t13 = Thresholds { important_date_days: 13, ..Thresholds::default() };
    assert!(reasons(&h(d(12, 6), vec![], vec![holiday.clone()]), &t13).is_empty());
    // 22 December: under way, until the 31st.
    let r = reasons(&h(d(12, 22), vec![], vec![holiday]), &t);
    assert!(r[0].0.contains("31 December") && r[0].1.contains("Winter holiday"), "{r:?}");
}

#[test]
fn a_question_file_with_windows_line_endings_is_located_as_one_with_unix_ones() {
    let lf = "text,purposes\nGood question?,career\nBad purpose question?,carreer\n";
    let crlf = lf.replace('\n', "\r\n");
    let at = |t: &str| {
        parse_questions(t.as_bytes(), QuestionFormat::Csv, &HashSet::new())
            .unwrap_err()
            .0
            .iter()
            .map(|e| (e.line, e.column))
            .collect::<Vec<_>>()
    };
    assert_eq!((at(lf), at(&crlf)), (vec![(Some(3), Some(23))], vec![(Some(3), Some(23))]));
}

#[test]
fn a_question_file_from_a_spreadsheet_with_semicolons_and_a_byte_order_mark_reads_as_the_plain_one() {
    let plain = "text,purposes\n\"Well, how are you?\",wellbeing\nWhat next?,career plans\n";
    let want = parse_questions(plain.as_bytes(), QuestionFormat::Csv, &HashSet::new()).unwrap();
    let semi = "\u{feff}text;purposes\r\n\"Well, how are you?\";wellbeing\r\nWhat next?;career plans\r\n";
    assert_eq!(parse_questions(semi.as_bytes(), QuestionFormat::Csv, &HashSet::new()).unwrap(), want);
    // And a problem in it is found where it is.
    let bad = "text;purposes\nFine?;career\nNot fine?;carreer\n";
    let e = parse_questions(bad.as_bytes(), QuestionFormat::Csv, &HashSet::new()).unwrap_err();
    assert_eq!(e.0.iter().map(|e| (e.line, e.column)).collect::<Vec<_>>(), vec![(Some(3), Some(11))]);
}
