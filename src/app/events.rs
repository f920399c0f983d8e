//! Live updates: when something in a meeting changes, everyone who has it open hears about
//! it within a second. Events carry no content, only what changed; pages fetch the new
//! content through the access policy like any other read.
//!
//! On SQLite (one instance) the app publishes after each commit. On PostgreSQL the write
//! transaction calls `pg_notify`, delivered only if it commits, and every instance's listener
//! ([`listen`]) publishes to its own subscribers — so two people on two instances see each
//! other's changes.

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
        match &self.db {
            crate::store::Db::Postgres(pool) => Some(tokio::spawn(listen(pool.clone(), self.events.clone()))),
            crate::store::Db::Sqlite(_) => None,
        }
    }
}

/// PostgreSQL: relays notifications from every instance to this instance's subscribers.
/// Reconnects after a dropped connection.
pub async fn listen(pool: sqlx::PgPool, events: std::sync::Arc<Events>) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(e) = listener.listen("rapport_meeting").await {
                    tracing::warn!(error = %e, "cannot LISTEN for meeting changes");
                } else {
                    loop {
                        match listener.try_recv().await {
                            Ok(Some(n)) => match serde_json::from_str::<MeetingEvent>(n.payload()) {
                                Ok(event) => events.publish(event),
                                Err(e) => tracing::warn!(error = %e, "unreadable meeting notification"),
                            },
                            Ok(None) => {
                                tracing::warn!("notification connection lost; reconnecting");
                                continue;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "notification listener failed");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot connect the notification listener"),
        }
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }
}
