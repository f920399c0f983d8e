//! Search across a person's 1:1s, and what keeps the search index current.

use super::SEARCH_LIMIT;
use super::view::SearchResult;
use crate::app::{App, AppResult};
use crate::domain::meeting::DocKind;
use crate::domain::meeting::{ActionItem, Meeting, Series, TalkingPoint};
use crate::domain::policy::{Action, Resource};
use crate::domain::{Person, PersonId};
use crate::store::search::{Doc, Filter};
use crate::store::{Tx, meetings as store, people, search};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use uuid::Uuid;

impl App {
    /// A topic is found by search under its origin, at the meeting it is in now.
    pub(crate) async fn index_point(tx: &mut Tx, point: &TalkingPoint, series: Uuid, meeting: &Meeting) -> AppResult<()> {
        // A topic is found by its words and by the note under it.
        let text = if point.note.is_empty() { point.body.clone() } else { format!("{}\n{}", point.body, point.note) };
        let doc = Doc {
            kind: DocKind::Point,
            ref_id: point.origin_id,
            series_id: series,
            meeting_id: meeting.id,
            private_to: None,
            occurred_at: meeting.starts_at,
            body: &text,
        };
        search::upsert(tx, &doc).await?;
        Ok(())
    }

    /// An action is found by search at the meeting it was agreed in.
    pub(super) async fn index_action(tx: &mut Tx, item: &ActionItem, meeting: &Meeting) -> AppResult<()> {
        let doc = Doc {
            kind: DocKind::Action,
            ref_id: item.id,
            series_id: item.series_id,
            meeting_id: meeting.id,
            private_to: None,
            occurred_at: meeting.starts_at,
            body: &item.body,
        };
        search::upsert(tx, &doc).await?;
        Ok(())
    }

    /// Searches every 1:1 the actor is part of: topics, shared notes, their own private notes
    /// and actions. The access rule is inside the query, so counts and limits never leak.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn search(
        &self,
        actor: &Person,
        query: &str,
        with: Option<PersonId>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> AppResult<Vec<SearchResult>> {
        let query = crate::domain::validation::search_query("q", query)?;
        let _slot = match tokio::time::timeout(super::SEARCH_WAIT, self.search_gate.clone().acquire_owned()).await {
            Ok(Ok(slot)) => slot,
            _ => return Err(crate::app::AppError::Unavailable),
        };
        let hits = search::search(&self.db, actor.id, query, &Filter { with, from, to, limit: SEARCH_LIMIT }).await?;
        if hits.is_empty() {
            return Ok(vec![]);
        }
        // Hits come from the actor's own series (the query keeps to them): read those and the
        // people on their other side once, whatever the number of hits or series.
        let all_series: HashMap<Uuid, Series> = store::series_of_person(&self.db, actor.id).await?.into_iter().map(|s| (s.id, s)).collect();
        let others: HashMap<PersonId, Person> = people::met_by(&self.db, actor.id).await?.into_iter().map(|p| (p.id, p)).collect();
        let mut out = vec![];
        for hit in hits {
            let Some(series) = all_series.get(&hit.series_id).cloned() else { continue };
            let Some(other) = others.get(&series.other(actor.id)).cloned() else { continue };
            // The query already keeps to the actor's series; each hit still passes the check
            // the meeting page makes for it, so search never shows what that page refuses.
            let resource = if hit.private {
                // A private note: the meeting page shows the actor their own one only (the
                // index keeps its author, who never changes).
                Resource::PrivateNote { actor_is_author: hit.private_to == Some(actor.id.0) }
            } else {
                Resource::SharedMeetingContent
            };
            if !self.may_pair(actor, series.manager_id, series.teammate_id, Action::Read, resource) {
                continue;
            }
            out.push(SearchResult { hit, series, other });
        }
        Ok(out)
    }
}

/// A search snippet as safe HTML: escaped, with the matches in `<mark>`.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    for c in snippet.chars() {
        match c {
            search::MARK_START => out.push_str("<mark>"),
            search::MARK_END => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snippets_are_escaped_and_marked() {
        let s = format!("a <script> {}growth{} plan", crate::store::search::MARK_START, crate::store::search::MARK_END);
        assert_eq!(super::snippet_html(&s), "a &lt;script&gt; <mark>growth</mark> plan");
    }
}
