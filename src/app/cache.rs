//! Meeting pages kept in memory between requests.
//!
//! A meeting page gathers a dozen things (the agenda, both notes, actions, the last meeting,
//! the next ones). Most views of a page come when nothing about its series has changed since
//! the last view — the two people reloading, or returning to it during the week — so what was
//! gathered is kept, per meeting and viewer, with the series' revision number at the time.
//!
//! Before an entry is used again, that number is read back (one indexed row). Triggers in the
//! database move it on every change to the series, its meetings, points, notes, actions or
//! either person (migrations/*/0007_series_rev.sql), whoever makes the change: this process,
//! another instance, the command line. So an entry is only ever used while it is exactly what
//! the database would give. Entries also age out after [`MAX_AGE_SECS`] (or when one of the
//! meetings shown ends, whichever is sooner), because the passing of time changes a series
//! too: points move on after a meeting, new meetings appear ahead.
//!
//! The access rule is checked again on every use; an entry belongs to one viewer, since it
//! holds that viewer's private note.

use super::meetings::view::MeetingView;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use uuid::Uuid;

/// At most this many entries (meeting × viewer); the least recently used go first.
pub const CAPACITY: usize = 2048;
pub const MAX_AGE_SECS: i64 = 60;

#[derive(Default)]
pub struct ViewCache {
    entries: Mutex<HashMap<(Uuid, Uuid), Entry>>,
    clock: AtomicU64,
}

struct Entry {
    view: MeetingView,
    rev: i64,
    fresh_until: DateTime<Utc>,
    used: u64,
}

pub struct Hit {
    pub view: MeetingView,
    pub rev: i64,
}

impl ViewCache {
    /// The entry for a meeting and viewer, if it has not aged out at `now`. The caller must
    /// still compare `rev` with the database before using it.
    pub fn get(&self, meeting: Uuid, viewer: Uuid, now: DateTime<Utc>) -> Option<Hit> {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get_mut(&(meeting, viewer))?;
        if now >= entry.fresh_until {
            entries.remove(&(meeting, viewer));
            return None;
        }
        entry.used = tick;
        Some(Hit { view: entry.view.clone(), rev: entry.rev })
    }

    pub fn put(&self, meeting: Uuid, viewer: Uuid, view: MeetingView, rev: i64, fresh_until: DateTime<Utc>) {
        let tick = self.clock.fetch_add(1, Ordering::Relaxed);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY && !entries.contains_key(&(meeting, viewer)) {
            // Drop the least recently used eighth in one go, so this runs rarely.
            let mut by_use: Vec<((Uuid, Uuid), u64)> = entries.iter().map(|(k, e)| (*k, e.used)).collect();
            by_use.sort_unstable_by_key(|(_, used)| *used);
            for (key, _) in by_use.into_iter().take(CAPACITY / 8) {
                entries.remove(&key);
            }
        }
        entries.insert((meeting, viewer), Entry { view, rev, fresh_until, used: tick });
    }

    /// Forgets a stale entry (its series changed).
    pub fn forget(&self, meeting: Uuid, viewer: Uuid) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(&(meeting, viewer));
    }

    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sessions read in the last moment, so that a burst of requests from one browser reads its
/// session once, not once per request (for most pages the session was one of two or three
/// statements).
///
/// An entry is used only while two things hold. No write has been committed by this process
/// since it was read ([`crate::store::writes_committed`]): signing out, changing a password,
/// changing a person or who reports to them all write, so this process never answers from a
/// session it has itself changed. And it was read less than [`SESSION_FRESH_MS`] ago (by the
/// application's clock; a clock that went back makes it stale): that bounds
/// how long a change made elsewhere (another instance, the command line) goes unseen here.
/// Expiry is checked on every use against the entry's own end.
pub const SESSION_FRESH_MS: i64 = 2000;

/// At most this many sessions are kept; when full, all are dropped and read again.
pub const SESSION_CAPACITY: usize = 4096;

#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, CachedSession>>,
}

#[derive(Clone)]
pub struct CachedSession {
    pub csrf_token: String,
    pub person: crate::domain::Person,
    pub leads: bool,
    pub expires_at: DateTime<Utc>,
    read_at: DateTime<Utc>,
    writes: u64,
}

impl SessionCache {
    /// The session behind a token hash as read earlier, if it may still be used at `now` with
    /// `writes` writes committed.
    pub fn get(&self, hash: &str, writes: u64, now: DateTime<Utc>) -> Option<CachedSession> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(hash)?;
        let age = (now - entry.read_at).num_milliseconds();
        if entry.writes != writes || !(0..SESSION_FRESH_MS).contains(&age) || now >= entry.expires_at {
            entries.remove(hash);
            return None;
        }
        Some(entry.clone())
    }

    /// Keeps a session read from the database at `now`; `writes` is the count taken before
    /// reading it.
    pub fn put(&self, hash: String, writes: u64, now: DateTime<Utc>, rec: &crate::store::accounts::SessionRecord) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SESSION_CAPACITY {
            entries.clear();
        }
        let entry = CachedSession {
            csrf_token: rec.csrf_token.clone(),
            person: rec.person.clone(),
            leads: rec.leads,
            expires_at: rec.expires_at,
            read_at: now,
            writes,
        };
        entries.insert(hash, entry);
    }

    /// Forgets one session (it was just ended here).
    pub fn forget(&self, hash: &str) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(hash);
    }
}

/// How long the view of an organisation is kept (see [`InsightsCache`]).
pub const INSIGHTS_FRESH_SECS: i64 = 600;

/// The views of organisations as worked out lately. They count whole weeks only, ending at this
/// week's Monday, so what they show changes little within a week: a rating or a status given
/// late to a 1:1 of the weeks counted, a kickoff sent, someone moved between teams. Each is kept
/// for [`INSIGHTS_FRESH_SECS`] at most (the page says when it was worked out) and never across
/// the start of a week; a director's view over a thousand people reads tens of thousands of
/// rows, which a page should not do at each visit.
#[derive(Default)]
pub struct InsightsCache {
    entries: Mutex<HashMap<InsightsKey, (DateTime<Utc>, crate::domain::insights::LeaderView)>>,
}

/// Whose organisation (none: everyone's) and over how many weeks.
type InsightsKey = (Option<uuid::Uuid>, u32);

impl InsightsCache {
    /// The view of `root`'s organisation over `weeks`, if worked out since `since` (the later of
    /// ten minutes ago and this week's start).
    pub fn get(&self, root: Option<uuid::Uuid>, weeks: u32, since: DateTime<Utc>) -> Option<crate::domain::insights::LeaderView> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(&(root, weeks)).filter(|(at, _)| *at >= since).map(|(_, v)| v.clone())
    }

    pub fn put(&self, root: Option<uuid::Uuid>, weeks: u32, at: DateTime<Utc>, view: crate::domain::insights::LeaderView) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= SESSION_CAPACITY {
            entries.clear();
        }
        entries.insert((root, weeks), (at, view));
    }
}
