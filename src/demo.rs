//! Demo data: a small, realistic organisation for a first look (`rapport demo`,
//! `rapport serve --demo`), and a large one for benchmarks (`--people 10000 --years 5`).
//! The same seed always gives the same organisation, ids included.

use crate::app::App;
use crate::domain::PersonId;
use crate::store::people::{self, NewPerson};
use chrono::{DateTime, Duration, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};

/// Everyone in the demo signs in with this password.
pub const DEMO_PASSWORD: &str = "rapport-demo";
pub const DEMO_DOMAIN: &str = "demo.rapport.example";

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// 0 means the small hand-made organisation.
    pub people: usize,
    /// How far back people joined.
    pub years: u32,
    pub seed: u64,
    pub progress: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { people: 0, years: 1, seed: 1, progress: true }
    }
}

/// Who to sign in as, printed after the demo is made.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub people: usize,
    pub sign_ins: Vec<(String, String)>,
}

/// SplitMix64: small, fast, and the same on every machine.
pub struct Rng(u64, u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15, 0)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn uuid(&mut self) -> uuid::Uuid {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        uuid::Builder::from_random_bytes(b).into_uuid()
    }
    /// A version-7 UUID that sorts after every one made before it by this generator, like
    /// the ids rapport makes itself. Bulk loads of such keys append to the indexes instead of
    /// writing all over them, which is what makes the large demo fast.
    pub fn ordered_uuid(&mut self) -> uuid::Uuid {
        self.1 += 1;
        let mut tail = [0u8; 10];
        tail.copy_from_slice(&self.next_u64().to_le_bytes().repeat(2)[..10]);
        // 2025-01-01 plus one millisecond per id: ordered, and in the past.
        uuid::Builder::from_unix_timestamp_millis(1_735_689_600_000 + self.1, &tail).into_uuid()
    }
}

const FIRST: &[&str] = &[
    "Amara", "Bao", "Carmen", "Dmitri", "Elif", "Farah", "Gustavo", "Hana", "Ibrahim", "Jonas", "Keiko", "Lars", "Mei", "Nadia", "Omar",
    "Priya", "Quentin", "Rosa", "Santiago", "Tamsin", "Uche", "Valeria", "Wen", "Ximena", "Yusuf", "Zofia", "Aditya", "Beatriz", "Chidi",
    "Dalia", "Emeka", "Freya", "Goran", "Helga", "Ines", "Jae", "Kofi", "Leila", "Mateo", "Noor", "Olu", "Paulina", "Rafael", "Sanna",
    "Tariq", "Ulla", "Vikram", "Wanjiru", "Yara", "Zeynep",
];
const LAST: &[&str] = &[
    "Abebe",
    "Bergström",
    "Castillo",
    "Dubois",
    "Eze",
    "Fischer",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Mensah",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rahman",
    "Silva",
    "Tanaka",
    "Umarov",
    "Varga",
    "Wiśniewski",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Achebe",
    "Bianchi",
    "Chen",
    "Da Costa",
    "Esposito",
    "Fernández",
    "Gupta",
    "Hoang",
    "Iyer",
    "Joshi",
    "Kim",
    "Lopez",
    "Moreau",
    "Novak",
    "O'Brien",
    "Park",
    "Rossi",
    "Sato",
    "Torres",
    "Usman",
    "Vogel",
    "Weber",
    "Yamamoto",
    "Zulu",
];
const ZONES: &[&str] = &[
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Europe/Warsaw",
    "America/Los_Angeles",
    "Africa/Lagos",
    "Asia/Tokyo",
];
const IC_TITLES: &[&str] = &[
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Site Reliability Engineer",
    "Product Designer",
    "QA Engineer",
    "Data Engineer",
    "Frontend Engineer",
];

/// The small organisation: a director, four managers, twenty teammates, an admin.
/// (name, title, timezone, index of manager in this list)
const SMALL: &[(&str, &str, &str, Option<usize>)] = &[
    ("Maya Okafor", "Director of Engineering", "Europe/London", None),
    ("Tomás Herrera", "Engineering Manager, Payments", "Europe/Madrid", Some(0)),
    ("Aiko Tanaka", "Engineering Manager, Platform", "Europe/Berlin", Some(0)),
    ("Samuel Mensah", "Engineering Manager, Mobile", "Africa/Accra", Some(0)),
    ("Ingrid Larsen", "Engineering Manager, Data", "Europe/Oslo", Some(0)),
    ("Priya Raman", "Senior Software Engineer", "Europe/London", Some(1)),
    ("Luca Bianchi", "Software Engineer", "Europe/Rome", Some(1)),
    ("Hannah Weiss", "Software Engineer", "Europe/Berlin", Some(1)),
    ("Diego Alvarez", "Staff Engineer", "America/Mexico_City", Some(1)),
    ("Fatima Zahra", "QA Engineer", "Africa/Casablanca", Some(1)),
    ("Jonas Becker", "Site Reliability Engineer", "Europe/Berlin", Some(2)),
    ("Mei Lin", "Senior Software Engineer", "Asia/Singapore", Some(2)),
    ("Oskar Nowak", "Software Engineer", "Europe/Warsaw", Some(2)),
    ("Grace Adeyemi", "Software Engineer", "Africa/Lagos", Some(2)),
    ("Rohan Mehta", "Senior Software Engineer", "Asia/Kolkata", Some(2)),
    ("Chloé Martin", "Mobile Engineer", "Europe/Paris", Some(3)),
    ("Kwame Boateng", "Mobile Engineer", "Africa/Accra", Some(3)),
    ("Sofia Costa", "Product Designer", "Europe/Lisbon", Some(3)),
    ("Ethan Brooks", "Senior Mobile Engineer", "America/New_York", Some(3)),
    ("Nadia Haddad", "Data Engineer", "Asia/Beirut", Some(4)),
    ("Erik Lindqvist", "Senior Data Engineer", "Europe/Stockholm", Some(4)),
    ("Yuki Sato", "Analytics Engineer", "Asia/Tokyo", Some(4)),
    ("Marta Kowalska", "Data Engineer", "Europe/Warsaw", Some(4)),
    ("Ben Carter", "IT Administrator", "Europe/London", Some(0)),
];

fn email_for(name: &str, n: Option<usize>) -> String {
    let ascii: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' => Some(c),
            ' ' | '-' => Some('.'),
            'á' | 'à' | 'ä' | 'å' => Some('a'),
            'é' | 'è' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ś' => Some('s'),
            'ç' => Some('c'),
            _ => None,
        })
        .collect();
    match n {
        Some(n) => format!("{ascii}.{n}@{DEMO_DOMAIN}"),
        None => format!("{ascii}@{DEMO_DOMAIN}"),
    }
}

/// Fills an empty instance. Refuses an instance that already has people, so a demo can
/// never mix with real data.
pub async fn generate(app: &App, opts: DemoOptions) -> anyhow::Result<DemoSummary> {
    if people::count(&app.db).await? > 0 {
        anyhow::bail!("this instance already has people in it; the demo only fills an empty one (use a new --data-dir or database)");
    }
    // One hash for everyone: hashing 10,000 passwords would take minutes, and these
    // accounts are for trying rapport out, not for real people.
    let hash = crate::app::secrets::hash_password(DEMO_PASSWORD.to_string()).await?;
    let mut rng = Rng::new(opts.seed);
    let epoch: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().expect("valid date");
    let span_days = (opts.years.max(1) as i64) * 365;

    let mut rows: Vec<NewPerson> = Vec::new();
    if opts.people == 0 {
        let ids: Vec<PersonId> = SMALL.iter().map(|_| PersonId(rng.uuid())).collect();
        for (i, (name, title, tz, mgr)) in SMALL.iter().enumerate() {
            let email = email_for(name, None);
            rows.push(NewPerson {
                id: ids[i],
                name: name.to_string(),
                email_lower: email.clone(),
                email,
                title: title.to_string(),
                timezone: tz.to_string(),
                manager_id: mgr.map(|m| ids[m]),
                is_admin: i == 0 || *title == "IT Administrator",
                password_hash: Some(hash.clone()),
            });
        }
    } else {
        // A tree with ten reports per manager: person i reports to person (i - 1) / 10.
        let n = opts.people;
        let ids: Vec<PersonId> = (0..n).map(|_| PersonId(rng.uuid())).collect();
        for i in 0..n {
            let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let email = email_for(&name, Some(i));
            let is_manager = i * 10 + 1 < n;
            let title = match i {
                0 => "Chief Technology Officer".to_string(),
                1..=10 => "VP of Engineering".to_string(),
                _ if is_manager => "Engineering Manager".to_string(),
                _ => rng.pick(IC_TITLES).to_string(),
            };
            rows.push(NewPerson {
                id: ids[i],
                name,
                email_lower: email.clone(),
                email,
                title,
                timezone: rng.pick(ZONES).to_string(),
                manager_id: if i == 0 { None } else { Some(ids[(i - 1) / 10]) },
                is_admin: i == 0,
                password_hash: Some(hash.clone()),
            });
        }
    }

    let bar = if opts.progress { ProgressBar::new(rows.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})").expect("valid template").progress_chars("=> "));
    bar.set_message("people");
    let mut tx = app.db.begin().await?;
    for (i, p) in rows.iter().enumerate() {
        // Managers are inserted before their reports (ids point backwards), so foreign keys hold.
        let joined = epoch - Duration::days(rng.below(span_days as usize) as i64);
        people::insert(&mut tx, p, joined).await?;
        if i % 250 == 0 {
            bar.set_position(i as u64);
        }
    }
    tx.commit().await?;
    bar.finish_with_message("people done");
    if opts.people == 0 {
        history::small(app, &rows, &mut rng).await?;
        let pairs: Vec<_> = rows.iter().map(|p| (p.id, p.manager_id)).collect();
        crate::app::growth::demo(app, &pairs).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        guidance(app, &rows).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    } else {
        history::large(app, &rows, opts.years.max(1), &mut rng, opts.progress).await?;
    }

    let sign_ins = if opts.people == 0 {
        vec![
            (format!("{} (director, admin)", SMALL[0].0), email_for(SMALL[0].0, None)),
            (format!("{} (manager)", SMALL[2].0), email_for(SMALL[2].0, None)),
            (format!("{} (teammate)", SMALL[11].0), email_for(SMALL[11].0, None)),
        ]
    } else {
        vec![("the CTO (admin)".to_string(), rows[0].email.clone()), ("a manager".to_string(), rows[1].email.clone())]
    };
    Ok(DemoSummary { people: rows.len(), sign_ins })
}

/// Guidance in the small demo, so its pages have something to show: the director's talking
/// point in every pair's next 1:1; for the demo manager (Aiko) an about page on Mei with her
/// birthday next week, a setback record with a follow-up, the first ten 1:1s started with
/// another teammate (session 1 on their next agenda); and "how to work with me" from both.
async fn guidance(app: &App, rows: &[NewPerson]) -> crate::app::AppResult<()> {
    use crate::domain::about::{AboutInput, DateInput, TimeOffInput};
    use crate::domain::setback::{FollowUpInput, SetbackInput};
    let get = |i: usize| {
        let id = rows[i].id;
        async move { people::get(&app.db, id).await?.ok_or(crate::app::AppError::NotFound) }
    };
    let (director, aiko, mei) = (get(0).await?, get(2).await?, get(11).await?);
    let today = app.clock.now().date_naive();
    let day = |d: i64| (today + Duration::days(d)).format("%Y-%m-%d").to_string();

    app.place_strategy(&director, "This quarter: fewer, better launches. What would you stop doing to make room for that?").await?;

    let birthday = today + Duration::days(6);
    let about = AboutInput {
        interests: "Climbing on weekends; learning Korean; bakes sourdough for the team on Fridays.".into(),
        family: "Partner Wei; a cat called Miso.".into(),
        dates: vec![DateInput { id: None, label: "Birthday".into(), date: format!("1994-{}", birthday.format("%m-%d")), yearly: true }],
        time_off: vec![TimeOffInput { id: None, label: "Visiting family in Penang".into(), starts_on: day(24), ends_on: day(35) }],
        version: Some(0),
    };
    app.save_about_page(&aiko, mei.id, &about).await?;

    let setback = SetbackInput {
        occurred_on: day(-10),
        facts: "The cache migration was rolled back twice in one week. Search was slow for about two hours on the second attempt.".into(),
        contexts: vec!["competing_priorities".into(), "unclear_expectations".into()],
        context_other: String::new(),
        remedy: "The migration now runs behind a flag, one region at a time, with a rollback script tested first.".into(),
        manager_change: "I'll keep on-call weeks free of migration work, and agree on what done means before we start.".into(),
        learned: "A dry run against a copy of production data finds the slow queries before users do.".into(),
        meeting_id: None,
    };
    let follow_up = FollowUpInput { body: "Write the migration runbook together".into(), owner_id: None, due_date: Some(day(12)) };
    app.record_setback(&aiko, mei.id, &setback, &[follow_up]).await?;

    for (who, words) in [
        (
            &aiko,
            [
                "Short messages are fine; I answer in batches, twice a day.",
                "Mornings are for deep work; meetings after lunch suit me best.",
                "Tell me straight away, in private, with an example.",
            ],
        ),
        (
            &mei,
            [
                "I prefer writing first and talking after, so I can think it through.",
                "I start early (Singapore) and stop at 6.",
                "Specific and soon; I like to know what good would have looked like.",
            ],
        ),
    ] {
        let sections: Vec<(String, String)> =
            ["communication", "hours", "feedback"].iter().zip(words).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        app.save_work_with_me(who, who.id, &sections, 0).await?;
        app.share_work_with_me(who, who.id, true).await?;
    }

    // The first ten 1:1s with one of Aiko's other reports (a manager who inherited a team).
    if let Some(pair) = app.my_series(&aiko).await?.into_iter().find(|s| s.other.id != mei.id && s.series.manager_id == aiko.id) {
        app.start_program(&aiko, pair.series.id).await?;
        app.run_session(&aiko, pair.series.id, "getting-to-know", None).await?;
    }
    Ok(())
}

mod history {
    //! Months of 1:1s for the small organisation: weekly series between every manager and
    //! each of their reports, most meetings held and rated, some skipped with a reason,
    //! topics from both people, shared notes, action items (most done), and the next
    //! meeting already holding the teammate's topics.

    use super::Rng;
    use crate::app::App;
    use crate::domain::meeting::{ActionItem, ActionKind, Meeting, MeetingStatus, Note, Series, SeriesKind, SeriesStatus, TalkingPoint};
    use crate::domain::schedule::{Cadence, Schedule, next_weekday};
    use crate::store::people::NewPerson;
    use crate::store::search::{Doc, DocKind};
    use crate::store::{meetings as store, search};
    use chrono::{Duration, NaiveTime, Weekday};
    use uuid::Uuid;

    const TEAMMATE_TOPICS: &[&str] = &[
        "Feeling stretched across two projects",
        "Can we talk about the staff engineer path?",
        "Feedback on my design doc for the billing retries",
        "On-call was rough this week",
        "I'd like to mentor the new hire",
        "Conference talk proposal: what do you think?",
        "Unclear which comes first: the migration or the new API",
        "Taking two weeks off in August",
        "How am I doing against my goals?",
        "Curious about the platform team's work",
        "The code review queue keeps blocking me",
        "Pairing with design went really well",
    ];
    const MANAGER_TOPICS: &[&str] = &[
        "This quarter's priorities and what they mean for you",
        "What we learned from the incident review",
        "Team changes coming next month",
        "Your growth plan: the next step",
        "Would you join the interview loop?",
        "Celebrating the launch",
        "Feedback on how you ran the planning meeting",
    ];
    const NOTES: &[&str] = &[
        "**Agreed**\n\n- Focus on the migration first; the API waits two weeks\n- Ask for help earlier when blocked",
        "Talked through the design doc. Strong on trade-offs; add a rollout plan.\n\n- Next: share with the architecture group",
        "On-call load is too high. We will review alert noise together next sprint.",
        "Growth: interested in technical leadership. Start by leading the next small project end to end.",
        "Good week. The launch landed well; thanked the team in the all-hands.",
        "Feedback both ways: more context on priorities would help (noted); planning meeting ran long.",
    ];
    const ACTIONS: &[(&str, bool)] = &[
        ("Share the design doc with the architecture group", false),
        ("Find a mentor in the data team", true),
        ("Book time to walk through the promotion criteria", true),
        ("Write up three on-call improvements", false),
        ("Review alert noise with the SRE team", true),
        ("Draft the conference talk outline", false),
    ];
    const SKIP_REASONS: &[&str] = &["Out sick", "Conference week", "Public holiday", "Travelling to the offsite"];
    const RATING_COMMENTS: &[&str] = &["", "", "Clear next steps", "Helpful to talk through the priorities", "Felt rushed today"];

    /// Every manager's weekly 1:1s with each report for `years`: a meeting a week, two
    /// topics, a shared note, a rating most weeks and an action item every fourth, written
    /// in bulk. Produces about 2.6 million meetings for 10,000 people over five years.
    pub async fn large(app: &App, people: &[NewPerson], years: u32, rng: &mut Rng, progress: bool) -> anyhow::Result<()> {
        use crate::store::bulk::{Batch, Value as V};
        let now = app.clock.now();
        let today = now.date_naive();
        let bar = if progress { indicatif::ProgressBar::new(people.len() as u64) } else { indicatif::ProgressBar::hidden() };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message("1:1 history");
        let mut tx = app.db.begin().await?;
        let triggers = crate::store::bulk::without_triggers(&mut tx).await?;
        let mut series_rows = Batch::new(
            "series",
            &[
                "id",
                "manager_id",
                "teammate_id",
                "kind",
                "cadence",
                "first_date",
                "local_time",
                "timezone",
                "duration_minutes",
                "status",
                "created_by",
                "created_at",
                "updated_at",
                "version",
            ],
        );
        let mut meetings = Batch::new(
            "meeting",
            &[
                "id",
                "series_id",
                "occurrence",
                "starts_at",
                "duration_minutes",
                "status",
                "status_reason",
                "rating",
                "rating_comment",
                "rated_at",
                "created_at",
                "updated_at",
                "version",
            ],
        );
        let mut points = Batch::new(
            "talking_point",
            &[
                "id",
                "meeting_id",
                "series_id",
                "origin_id",
                "author_id",
                "body",
                "position",
                "discussed",
                "recurring",
                "carried_on",
                "created_at",
                "updated_at",
                "version",
            ],
        );
        let mut notes =
            Batch::new("note", &["id", "meeting_id", "private", "author_id", "body", "updated_by", "created_at", "updated_at", "version"]);
        let mut revisions = Batch::new("note_revision", &["note_id", "version", "body", "author_id", "created_at"]);
        let mut actions = Batch::new(
            "action_item",
            &[
                "id",
                "series_id",
                "meeting_id",
                "owner_id",
                "created_by",
                "body",
                "kind",
                "due_date",
                "done_at",
                "created_at",
                "updated_at",
                "version",
            ],
        );
        let mut docs = Batch::new("search_doc", &["kind", "ref_id", "series_id", "meeting_id", "occurred_at", "body", "scope"]);
        let start = today - Duration::weeks(52 * years as i64);
        for (i, teammate) in people.iter().enumerate() {
            if i % 100 == 0 {
                bar.set_position(i as u64);
            }
            let Some(manager) = teammate.manager_id else { continue };
            let weekday = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri][i % 5];
            let tz: chrono_tz::Tz = teammate.timezone.parse().unwrap_or(chrono_tz::UTC);
            let schedule = Schedule {
                cadence: Cadence::Weekly,
                first_date: next_weekday(start, weekday),
                local_time: NaiveTime::from_hms_opt([9, 10, 11, 14, 15][i % 5], 0, 0).expect("valid time"),
                tz,
            };
            let series_id = rng.ordered_uuid();
            let created = now - Duration::weeks(52 * years as i64 + 1);
            series_rows.push(vec![
                V::Uuid(series_id),
                V::Uuid(manager.0),
                V::Uuid(teammate.id.0),
                V::Text("regular".into()),
                V::Text("weekly".into()),
                V::OptDate(Some(schedule.first_date)),
                V::Text(schedule.local_time.format("%H:%M").to_string()),
                V::Text(tz.name().into()),
                V::Int(30),
                V::Text("active".into()),
                V::Uuid(manager.0),
                V::Time(created),
                V::Time(created),
                V::Int(1),
            ]);
            let mut index = 0u32;
            let mut next_done = false;
            while let Some(o) = schedule.occurrence(index) {
                if o.starts_at > now + Duration::weeks(2) {
                    break;
                }
                let past = o.starts_at + Duration::minutes(30) < now;
                let skipped = past && rng.below(100) < 8;
                let meeting_id = rng.ordered_uuid();
                let rated = past && !skipped && rng.below(10) < 6;
                meetings.push(vec![
                    V::Uuid(meeting_id),
                    V::Uuid(series_id),
                    V::Int(index as i64),
                    V::Time(o.starts_at),
                    V::Int(30),
                    V::Text(
                        (if !past {
                            "scheduled"
                        } else if skipped {
                            "skipped"
                        } else {
                            "held"
                        })
                        .into(),
                    ),
                    V::Text((if skipped { *rng.pick(SKIP_REASONS) } else { "" }).into()),
                    V::OptInt(rated.then(|| [3, 4, 4, 5, 5][rng.below(5)])),
                    V::Text(String::new()),
                    V::OptTime(rated.then(|| o.starts_at + Duration::hours(1))),
                    V::Time(created),
                    V::Time(o.starts_at),
                    V::Int(1),
                ]);
                let with_points = (past && !skipped) || (!past && !next_done);
                if with_points {
                    for (k, by_teammate) in [(1i64, true), (2, false)] {
                        if !past && !by_teammate {
                            continue;
                        }
                        let body = if by_teammate { *rng.pick(TEAMMATE_TOPICS) } else { *rng.pick(MANAGER_TOPICS) };
                        let id = rng.ordered_uuid();
                        let author = if by_teammate { teammate.id.0 } else { manager.0 };
                        points.push(vec![
                            V::Uuid(id),
                            V::Uuid(meeting_id),
                            V::Uuid(series_id),
                            V::Uuid(id),
                            V::Uuid(author),
                            V::Text(body.into()),
                            V::Int(k),
                            V::Bool(past),
                            V::Bool(false),
                            V::Bool(past),
                            V::Time(o.starts_at),
                            V::Time(o.starts_at),
                            V::Int(1),
                        ]);
                        docs.push(vec![
                            V::Text("point".into()),
                            V::Uuid(id),
                            V::Uuid(series_id),
                            V::Uuid(meeting_id),
                            V::Time(o.starts_at),
                            V::Text(body.into()),
                            V::Text(crate::store::search::scope_token(series_id)),
                        ]);
                    }
                    if !past {
                        next_done = true;
                    }
                }
                if past && !skipped {
                    let note_id = rng.ordered_uuid();
                    let body = *rng.pick(NOTES);
                    notes.push(vec![
                        V::Uuid(note_id),
                        V::Uuid(meeting_id),
                        V::Bool(false),
                        V::Uuid(manager.0),
                        V::Text(body.into()),
                        V::Uuid(manager.0),
                        V::Time(o.starts_at),
                        V::Time(o.starts_at),
                        V::Int(1),
                    ]);
                    revisions.push(vec![V::Uuid(note_id), V::Int(1), V::Text(body.into()), V::Uuid(manager.0), V::Time(o.starts_at)]);
                    docs.push(vec![
                        V::Text("note".into()),
                        V::Uuid(note_id),
                        V::Uuid(series_id),
                        V::Uuid(meeting_id),
                        V::Time(o.starts_at),
                        V::Text(crate::domain::text::search_text(body)),
                        V::Text(crate::store::search::scope_token(series_id)),
                    ]);
                    if index.is_multiple_of(4) {
                        let (text, help) = *rng.pick(ACTIONS);
                        let action_id = rng.ordered_uuid();
                        let done = o.starts_at < now - Duration::weeks(2) && rng.below(10) > 0;
                        actions.push(vec![
                            V::Uuid(action_id),
                            V::Uuid(series_id),
                            V::Uuid(meeting_id),
                            V::Uuid(if help { manager.0 } else { teammate.id.0 }),
                            V::Uuid(manager.0),
                            V::Text(text.into()),
                            V::Text((if help { "help" } else { "normal" }).into()),
                            V::OptDate(Some(o.local_date + Duration::days(14))),
                            V::OptTime(done.then(|| o.starts_at + Duration::days(6))),
                            V::Time(o.starts_at),
                            V::Time(o.starts_at),
                            V::Int(1),
                        ]);
                        docs.push(vec![
                            V::Text("action".into()),
                            V::Uuid(action_id),
                            V::Uuid(series_id),
                            V::Uuid(meeting_id),
                            V::Time(o.starts_at),
                            V::Text(text.into()),
                            V::Text(crate::store::search::scope_token(series_id)),
                        ]);
                    }
                }
                index += 1;
            }
            let batches = [&series_rows, &meetings, &points, &notes, &revisions, &actions, &docs];
            if batches.iter().any(|b| b.is_full()) {
                for b in [&mut series_rows, &mut meetings, &mut points, &mut notes, &mut revisions, &mut actions, &mut docs] {
                    b.flush(&mut tx).await?;
                }
            }
        }
        // Parents before children: the foreign keys hold at every flush.
        for b in [&mut series_rows, &mut meetings, &mut points, &mut notes, &mut revisions, &mut actions, &mut docs] {
            b.flush(&mut tx).await?;
        }
        bar.set_message("search index");
        crate::store::bulk::rebuild_search(&mut tx).await?;
        crate::store::bulk::restore_triggers(&mut tx, triggers).await?;
        tx.commit().await?;
        bar.finish_with_message("1:1 history");
        Ok(())
    }

    pub async fn small(app: &App, people: &[NewPerson], rng: &mut Rng) -> anyhow::Result<()> {
        let now = app.clock.now();
        let today = now.date_naive();
        let mut tx = app.db.begin().await?;
        for teammate in people.iter().filter(|p| p.manager_id.is_some()) {
            let manager = teammate.manager_id.expect("filtered");
            let weekday = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu][rng.below(4)];
            let first_date = next_weekday(today - Duration::weeks(16), weekday);
            let tz = teammate.timezone.parse().unwrap_or(chrono_tz::UTC);
            let time = NaiveTime::from_hms_opt([9, 10, 11, 14, 15][rng.below(5)], [0, 30][rng.below(2)], 0).expect("valid time");
            let series = Series {
                id: rng.uuid(),
                manager_id: manager,
                teammate_id: teammate.id,
                kind: SeriesKind::Regular,
                schedule: Schedule { cadence: Cadence::Weekly, first_date, local_time: time, tz },
                duration_minutes: [25, 30, 45][rng.below(3)],
                status: SeriesStatus::Active,
                created_at: now - Duration::weeks(17),
                version: 1,
            };
            store::insert_series(&mut tx, &series, manager, series.created_at).await?;
            let mut index = 0u32;
            // Topics left open in the latest held meeting: they carry on to the next one when
            // the app is first opened. Older ones have long since moved on.
            let mut open_topics: Vec<Uuid> = vec![];
            while let Some(o) = series.schedule.occurrence(index) {
                if o.starts_at > now + Duration::weeks(3) {
                    break;
                }
                let past = o.starts_at + Duration::minutes(series.duration_minutes as i64) < now;
                let roll = rng.below(100);
                let status = if !past {
                    MeetingStatus::Scheduled
                } else if roll < 8 {
                    MeetingStatus::Skipped
                } else {
                    MeetingStatus::Held
                };
                let m = Meeting {
                    id: rng.uuid(),
                    series_id: series.id,
                    occurrence: index as i64,
                    starts_at: o.starts_at,
                    duration_minutes: series.duration_minutes,
                    status: MeetingStatus::Scheduled,
                    status_reason: String::new(),
                    moved_from_at: None,
                    rating: None,
                    rating_comment: String::new(),
                    version: 1,
                };
                store::insert_meeting_if_absent(&mut tx, &m, series.created_at).await?;
                if status != MeetingStatus::Scheduled {
                    let reason = if status == MeetingStatus::Skipped { *rng.pick(SKIP_REASONS) } else { "" };
                    store::set_meeting_status(&mut tx, m.id, 1, status, reason, o.starts_at).await?;
                }
                let is_next =
                    !past && index > 0 && series.schedule.occurrence(index - 1).is_some_and(|p| p.starts_at + Duration::minutes(30) < now);
                let mut next_open: Vec<Uuid> = vec![];
                if status == MeetingStatus::Held || is_next {
                    let count = if is_next { 1 + rng.below(2) } else { 2 + rng.below(3) };
                    for k in 0..count {
                        let by_teammate = k % 2 == 0;
                        let body = if by_teammate { *rng.pick(TEAMMATE_TOPICS) } else { *rng.pick(MANAGER_TOPICS) };
                        let id = rng.uuid();
                        let p = TalkingPoint {
                            id,
                            meeting_id: m.id,
                            origin_id: id,
                            carried_from: None,
                            author_id: if by_teammate { teammate.id } else { manager },
                            body: body.to_string(),
                            position: k as i64 + 1,
                            discussed: status == MeetingStatus::Held && (k > 0 || rng.below(4) > 0),
                            recurring: false,
                            version: 1,
                        };
                        store::insert_point(&mut tx, &p, series.id, o.starts_at - Duration::days(2)).await?;
                        if status == MeetingStatus::Held {
                            if p.discussed {
                                store::mark_carried(&mut tx, p.id).await?;
                            } else {
                                next_open.push(p.id);
                            }
                        }
                        search::upsert(
                            &mut tx,
                            &Doc {
                                kind: DocKind::Point,
                                ref_id: p.origin_id,
                                series_id: series.id,
                                meeting_id: m.id,
                                private_to: None,
                                occurred_at: o.starts_at,
                                body,
                            },
                        )
                        .await?;
                    }
                }
                if status == MeetingStatus::Held {
                    for id in std::mem::replace(&mut open_topics, next_open) {
                        store::mark_carried(&mut tx, id).await?;
                    }
                    let body = rng.pick(NOTES).to_string();
                    let note = Note {
                        id: rng.uuid(),
                        meeting_id: m.id,
                        private: false,
                        author_id: manager,
                        body: body.clone(),
                        updated_by: manager,
                        updated_at: o.starts_at,
                        version: 1,
                    };
                    store::insert_note(&mut tx, &note, o.starts_at).await?;
                    let plain = crate::domain::text::search_text(&body);
                    search::upsert(
                        &mut tx,
                        &Doc {
                            kind: DocKind::Note,
                            ref_id: note.id,
                            series_id: series.id,
                            meeting_id: m.id,
                            private_to: None,
                            occurred_at: o.starts_at,
                            body: &plain,
                        },
                    )
                    .await?;
                    if rng.below(3) == 0 {
                        let (text, help) = *rng.pick(ACTIONS);
                        let owner = if help { manager } else { teammate.id };
                        let done = o.starts_at < now - Duration::weeks(2) && rng.below(5) > 0;
                        let a = ActionItem {
                            id: rng.uuid(),
                            series_id: series.id,
                            meeting_id: m.id,
                            owner_id: owner,
                            created_by: manager,
                            body: text.to_string(),
                            kind: if help { ActionKind::Help } else { ActionKind::Normal },
                            due_date: Some(o.local_date + Duration::days(7 + rng.below(14) as i64)),
                            done_at: done.then(|| o.starts_at + Duration::days(5)),
                            created_at: o.starts_at,
                            version: 1,
                        };
                        store::insert_action(&mut tx, &a, o.starts_at).await?;
                        search::upsert(
                            &mut tx,
                            &Doc {
                                kind: DocKind::Action,
                                ref_id: a.id,
                                series_id: series.id,
                                meeting_id: m.id,
                                private_to: None,
                                occurred_at: o.starts_at,
                                body: text,
                            },
                        )
                        .await?;
                    }
                    if rng.below(10) < 7 {
                        let rating = [3, 4, 4, 5, 5][rng.below(5)];
                        let comment: &&str = rng.pick(RATING_COMMENTS);
                        store::rate_meeting(&mut tx, m.id, rating, comment, o.starts_at + Duration::hours(1)).await?;
                    }
                }
                index += 1;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The sign-in details of an existing small demo, for `serve --demo` on a second start.
pub fn small_demo_sign_ins() -> Vec<(String, String)> {
    vec![
        (format!("{} (director, admin)", SMALL[0].0), email_for(SMALL[0].0, None)),
        (format!("{} (manager)", SMALL[2].0), email_for(SMALL[2].0, None)),
        (format!("{} (teammate)", SMALL[11].0), email_for(SMALL[11].0, None)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b, mut c) = (Rng::new(7), Rng::new(7), Rng::new(8));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn demo_emails_are_plain_ascii() {
        assert_eq!(email_for("Chloé Martin", None), format!("chloe.martin@{DEMO_DOMAIN}"));
        assert_eq!(email_for("Da Costa O'Brien", Some(3)), format!("da.costa.obrien.3@{DEMO_DOMAIN}"));
        for (name, _, tz, _) in SMALL {
            assert!(crate::domain::EmailAddress::parse(&email_for(name, None)).is_ok());
            assert!(crate::domain::TimeZoneName::parse(tz).is_ok(), "{tz}");
        }
    }
}
