//! Months of 1:1s for the small organisation: weekly series between every manager and
//! each of their reports, most meetings held and rated, some skipped with a reason,
//! topics from both people, shared notes, action items (most done), and the next
//! meeting already holding the teammate's topics.

use super::Rng;
use crate::app::App;
use crate::domain::meeting::DocKind;
use crate::domain::meeting::{ActionItem, ActionKind, Meeting, MeetingStatus, Note, Series, SeriesKind, SeriesStatus, TalkingPoint};
use crate::domain::schedule::{Cadence, Schedule, next_weekday};
use crate::store::people::NewPerson;
use crate::store::search::Doc;
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
    use crate::store::bulk::{Batch, BulkTx, Value as V};
    // Rows per transaction: about 8 MB of log each (see `BulkTx`).
    const ROWS_PER_TX: u64 = 25_000;
    let now = app.clock.now();
    let today = now.date_naive();
    let bar = if progress { indicatif::ProgressBar::new(people.len() as u64) } else { indicatif::ProgressBar::hidden() };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})").expect("valid template").progress_chars("=> "),
    );
    bar.set_message("1:1 history");
    let mut tx = BulkTx::begin(&app.db).await?;
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
            "status_by",
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
    let mut pulses = Batch::new("pulse", &["meeting_id", "series_id", "teammate_id", "comment", "answered_at", "updated_at"]);
    let mut answers = Batch::new("pulse_answer", &["meeting_id", "question", "value"]);
    let mut moods = super::pulse::Pulses::new(people.len() as u64, app.pulse_questions());
    let start = today - Duration::weeks(52 * years as i64);
    let mut committed = 0;
    for (i, teammate) in people.iter().enumerate() {
        if i % 100 == 0 {
            bar.set_position(i as u64);
        }
        let Some(manager) = teammate.manager_id else { continue };
        let weekday = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri][i % 5];
        let tz = teammate.timezone.tz();
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
                // About a third of the skips are the manager's (no draw: the history stays as it was).
                V::OptUuid(skipped.then_some(if (index as usize + i).is_multiple_of(3) { manager.0 } else { teammate.id.0 })),
                V::OptInt(rated.then(|| [3, 4, 4, 5, 5][rng.below(5)])),
                V::Text(String::new()),
                V::OptTime(rated.then(|| o.starts_at + Duration::hours(1))),
                V::Time(created),
                V::Time(o.starts_at),
                V::Int(1),
            ]);
            if !skipped && moods.answered(o.starts_at, now) {
                let (values, comment) = moods.answers(teammate.id.0, (now - o.starts_at).num_weeks());
                let at = (o.starts_at - Duration::days(1)).min(now);
                pulses.push(vec![
                    V::Uuid(meeting_id),
                    V::Uuid(series_id),
                    V::Uuid(teammate.id.0),
                    V::Text(comment),
                    V::Time(at),
                    V::Time(at),
                ]);
                for (key, value) in values {
                    answers.push(vec![V::Uuid(meeting_id), V::Text(key), V::Int(value)]);
                }
            }
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
        let batches = [&series_rows, &meetings, &points, &notes, &revisions, &actions, &docs, &pulses, &answers];
        if batches.iter().any(|b| b.is_full()) {
            for b in [
                &mut series_rows,
                &mut meetings,
                &mut points,
                &mut notes,
                &mut revisions,
                &mut actions,
                &mut docs,
                &mut pulses,
                &mut answers,
            ] {
                b.flush(tx.tx()).await?;
            }
            let flushed: u64 =
                [&series_rows, &meetings, &points, &notes, &revisions, &actions, &docs, &pulses, &answers].iter().map(|b| b.written).sum();
            if flushed - committed >= ROWS_PER_TX {
                tx.commit().await?;
                tx = BulkTx::begin(&app.db).await?;
                committed = flushed;
            }
        }
    }
    // Parents before children: the foreign keys hold at every flush.
    for b in [&mut series_rows, &mut meetings, &mut points, &mut notes, &mut revisions, &mut actions, &mut docs, &mut pulses, &mut answers]
    {
        b.flush(tx.tx()).await?;
    }
    tx.commit().await?;
    bar.finish_with_message("1:1 history");
    Ok(())
}

pub async fn small(app: &App, people: &[NewPerson], rng: &mut Rng) -> anyhow::Result<()> {
    let now = app.clock.now();
    let today = now.date_naive();
    let mut tx = app.db.begin().await?;
    let mut moods = super::pulse::Pulses::new(people.len() as u64, app.pulse_questions());
    for teammate in people.iter().filter(|p| p.manager_id.is_some()) {
        let manager = teammate.manager_id.expect("filtered");
        let weekday = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu][rng.below(4)];
        let first_date = next_weekday(today - Duration::weeks(16), weekday);
        let tz = teammate.timezone.tz();
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
            let m = Meeting::planned(rng.uuid(), &series, index as i64, o.starts_at);
            store::insert_meeting_if_absent(&mut tx, &m, series.created_at).await?;
            if status != MeetingStatus::Scheduled {
                let reason = if status == MeetingStatus::Skipped { *rng.pick(SKIP_REASONS) } else { "" };
                // Held is marked by the manager; a skip is asked for by either of the two.
                let by = if status == MeetingStatus::Skipped && roll % 2 == 1 { teammate.id } else { manager };
                store::set_meeting_status(&mut tx, m.id, 1, status, reason, by, o.starts_at).await?;
            }
            if status != MeetingStatus::Skipped && moods.answered(o.starts_at, now) {
                let (values, comment) = moods.answers(teammate.id.0, (now - o.starts_at).num_weeks());
                let at = (o.starts_at - Duration::days(1)).min(now);
                crate::store::pulse::save(&mut tx, m.id, series.id, teammate.id, &values, &comment, at).await?;
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
                        note: String::new(),
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
