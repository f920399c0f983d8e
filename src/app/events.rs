//! Live updates: when something in a meeting changes, everyone who has it open hears about
//! it within a second. Events carry no content, only what changed; pages fetch the new
//! content through the access policy like any other read.
//!
//! On SQLite (one instance) the app publishes after each commit. On PostgreSQL the write
//! transaction calls `pg_notify`, delivered only if it commits, and every instance relays
//! what its listener hears to its own subscribers
//! ([`App::relay_other_instances`](super::App::relay_other_instances)) — so two people on two
//! instances see each other's changes. The LISTEN itself is in the store
//! (`store::meetings::listen_for_meeting_changes`).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingEvent {
    pub meeting_id: Uuid,
    /// What changed: "points", "notes", "actions" or "meeting".
    pub what: String,
    /// Who changed it, so a page can ignore its own echo.
    pub by: Uuid,
}

#[derive(Default)]
pub struct Events {
    channels: Mutex<HashMap<Uuid, broadcast::Sender<MeetingEvent>>>,
}

impl Events {
    pub fn subscribe(&self, meeting: Uuid) -> broadcast::Receiver<MeetingEvent> {
        let mut map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        // Forget channels nobody listens to any more.
        map.retain(|_, tx| tx.receiver_count() > 0);
        map.entry(meeting).or_insert_with(|| broadcast::channel(64).0).subscribe()
    }

    pub fn publish(&self, event: MeetingEvent) {
        let map = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tx) = map.get(&event.meeting_id) {
            let _ = tx.send(event);
        }
    }
}

impl super::App {
    /// On PostgreSQL, starts relaying other instances' changes to this instance's live pages
    /// (until the task is aborted); on SQLite there is one instance and nothing to relay.
    pub fn relay_other_instances(&self) -> Option<tokio::task::JoinHandle<()>> {
        if !matches!(self.db, crate::store::Db::Postgres(_)) {
            return None;
        }
        let (db, events) = (self.db.clone(), self.events.clone());
        Some(tokio::spawn(async move {
            crate::store::meetings::listen_for_meeting_changes(&db, |payload| match serde_json::from_str::<MeetingEvent>(payload) {
                Ok(event) => events.publish(event),
                Err(e) => tracing::warn!(error = %e, "unreadable meeting notification"),
            })
            .await
        }))
    }
}
