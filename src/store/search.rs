//! Full-text search over 1:1 content, with the access rule inside the query: a document is
//! found only by the two people of its series, and a private note only by its author.
//! SQLite uses FTS5, PostgreSQL a tsvector; both index the same plain text.

use super::{Db, Result, Tx, on_db, on_tx};
use crate::domain::PersonId;
use crate::domain::meeting::DocKind;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub struct Doc<'a> {
    pub kind: DocKind,
    pub ref_id: Uuid,
    pub series_id: Uuid,
    pub meeting_id: Uuid,
    pub private_to: Option<PersonId>,
    pub occurred_at: DateTime<Utc>,
    pub body: &'a str,
}

/// SQLite: the statements that bring the FTS5 index up to date with what the triggers queued
/// (migrations/sqlite/0006_search_queue.sql), run by the writer before each commit.
pub const SQLITE_BEFORE_COMMIT: &[&str] = &[
    "INSERT INTO search_fts (search_fts, rowid, body, scope) \
     SELECT CASE op WHEN 'd' THEN 'delete' END, seq, body, scope FROM search_queue ORDER BY id",
    "DELETE FROM search_queue",
];

/// Indexes a document. The text is made plain here, for every caller: `<`, `>` and `&`
/// blanked, so PostgreSQL's parser cannot mistake `<script> growth` for a tag and drop words.
pub async fn upsert(tx: &mut Tx, d: &Doc<'_>) -> Result<()> {
    let body = crate::domain::text::plain(d.body);
    const Q: &str = "INSERT INTO search_doc (kind, ref_id, series_id, meeting_id, private_to, occurred_at, body, scope) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                     ON CONFLICT (ref_id) DO UPDATE SET body = excluded.body, occurred_at = excluded.occurred_at, meeting_id = excluded.meeting_id";
    on_tx!(tx, c => sqlx::query(Q).bind(d.kind.as_str()).bind(d.ref_id).bind(d.series_id).bind(d.meeting_id).bind(d.private_to.map(|p| p.0))
        .bind(d.occurred_at).bind(&body).bind(scope_token(d.series_id)).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn remove(tx: &mut Tx, ref_id: Uuid) -> Result<()> {
    on_tx!(tx, c => sqlx::query("DELETE FROM search_doc WHERE ref_id = $1").bind(ref_id).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub kind: DocKind,
    pub ref_id: Uuid,
    pub series_id: Uuid,
    pub meeting_id: Uuid,
    pub private: bool,
    /// Whose private note this is (the index keeps a private note's author beside it).
    pub private_to: Option<Uuid>,
    pub occurred_at: DateTime<Utc>,
    /// The matching passage, with U+E000 and U+E001 around each match.
    pub snippet: String,
}

pub struct Filter {
    /// Only 1:1s with this person.
    pub with: Option<PersonId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: i64,
}

/// The token that names a series in the SQLite index: "s" and the id in lower-case hex.
pub fn scope_token(series: Uuid) -> String {
    format!("s{}", series.simple())
}

/// SQLite: the most recent matches that are ranked (a word found in more documents than this
/// ranks only its most recent ones). Six times the hits a search shows; for a common word on
/// the 3,000-person demo, 1,000 took 2.2 ms to read and 300 take 1.25 ms, before ranking.
pub const SQLITE_CANDIDATES: i64 = 300;

pub const MARK_START: char = '\u{E000}';
pub const MARK_END: char = '\u{E001}';

/// FTS5 query syntax from what a person typed: every word quoted (so `"`, `NEAR`, `-` and
/// `col:` are just text), all words required, whole words (as PostgreSQL's `simple`
/// configuration matches them; a prefix query merges every word that starts alike).
pub fn fts5_query(input: &str) -> Option<String> {
    let words: Vec<String> = crate::domain::text::plain(input)
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '_')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(words.join(" "))
}

type HitRow = (String, Uuid, Uuid, Uuid, Option<Uuid>, DateTime<Utc>, String);

pub async fn search(db: &Db, actor: PersonId, query: &str, f: &Filter) -> Result<Vec<Hit>> {
    // The actor's series (with one person, if asked): a handful, even for a leader. The index
    // is searched within them only; the join on `series` below re-checks the rule.
    const MINE: &str =
        "SELECT id FROM series WHERE (manager_id = $1 OR teammate_id = $1) AND ($2 IS NULL OR manager_id = $2 OR teammate_id = $2)";
    let mine: Vec<Uuid> = on_db!(db, p => sqlx::query_scalar(MINE).bind(actor.0).bind(f.with.map(|w| w.0)).fetch_all(p).await)?;
    if mine.is_empty() {
        return Ok(vec![]);
    }
    let rows: Vec<HitRow> = match db {
        Db::Sqlite(s) => {
            let p = &s.pool;
            let Some(words) = fts5_query(query) else { return Ok(vec![]) };
            let scopes = mine.iter().map(|id| format!("\"{}\"", scope_token(*id))).collect::<Vec<_>>().join(" OR ");
            let q = format!("body : ({words}) AND scope : ({scopes})");
            // The index finds the candidates (newest first, at most SQLITE_CANDIDATES); they are
            // ranked and cut into snippets here. FTS5's own bm25() counts each word's documents
            // across the whole index on every query, which costs tens of milliseconds for a
            // common word in a large organisation.
            const Q: &str = "SELECT d.kind, d.ref_id, d.series_id, d.meeting_id, d.private_to, d.occurred_at, d.body \
                             FROM search_fts JOIN search_doc d ON d.seq = search_fts.rowid JOIN series s ON s.id = d.series_id \
                             WHERE search_fts MATCH $1 AND (s.manager_id = $2 OR s.teammate_id = $2) \
                             AND (d.private_to IS NULL OR d.private_to = $2) \
                             AND ($3 IS NULL OR d.occurred_at >= $3) AND ($4 IS NULL OR d.occurred_at < $4) \
                             ORDER BY search_fts.rowid DESC LIMIT $5";
            let candidates: Vec<HitRow> =
                sqlx::query_as(Q).bind(q).bind(actor.0).bind(f.from).bind(f.to).bind(SQLITE_CANDIDATES).fetch_all(p).await?;
            let bodies: Vec<&str> = candidates.iter().map(|c| c.6.as_str()).collect();
            let scores = crate::domain::text::rank(query, &bodies);
            let mut order: Vec<usize> = (0..candidates.len()).collect();
            order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(candidates[*b].5.cmp(&candidates[*a].5)));
            let mut candidates: Vec<Option<HitRow>> = candidates.into_iter().map(Some).collect();
            order
                .into_iter()
                .take(f.limit.max(0) as usize)
                .filter_map(|i| candidates[i].take())
                .map(|(kind, ref_id, series_id, meeting_id, private_to, occurred_at, body)| {
                    let snippet = crate::domain::text::snippet(&body, query, 16, (MARK_START, MARK_END));
                    (kind, ref_id, series_id, meeting_id, private_to, occurred_at, snippet)
                })
                .collect()
        }
        Db::Postgres(p) => {
            let q = crate::domain::text::plain(query);
            if q.trim().is_empty() {
                return Ok(vec![]);
            }
            // The actor's own documents first (the series index), then the words among them:
            // a common word matches millions of rows across a large organisation, and going
            // through the word index first (which the planner picks, misjudging how many) costs
            // seconds; the actor's history is a few thousand rows whatever the word. Snippets
            // are cut for the page of hits only.
            const Q: &str = "WITH q AS (SELECT websearch_to_tsquery('simple', $1) AS q), \
                             mine AS MATERIALIZED (SELECT d.seq, d.occurred_at, d.tsv FROM search_doc d \
                               WHERE d.series_id = ANY($6) AND (d.private_to IS NULL OR d.private_to = $2) \
                               AND ($3::timestamptz IS NULL OR d.occurred_at >= $3) AND ($4::timestamptz IS NULL OR d.occurred_at < $4)), \
                             top AS (SELECT m.seq, m.occurred_at, ts_rank_cd(m.tsv, q.q) AS rank FROM mine m, q WHERE m.tsv @@ q.q \
                               ORDER BY rank DESC, m.occurred_at DESC LIMIT $5) \
                             SELECT d.kind, d.ref_id, d.series_id, d.meeting_id, d.private_to, d.occurred_at, \
                             ts_headline('simple', d.body, q.q, 'StartSel=' || chr(57344) || ', StopSel=' || chr(57345) || ', MaxWords=24, MinWords=8, MaxFragments=1') \
                             FROM top JOIN search_doc d ON d.seq = top.seq JOIN series s ON s.id = d.series_id, q \
                             WHERE s.manager_id = $2 OR s.teammate_id = $2 \
                             ORDER BY top.rank DESC, top.occurred_at DESC";
            sqlx::query_as(Q).bind(q).bind(actor.0).bind(f.from).bind(f.to).bind(f.limit).bind(&mine).fetch_all(p).await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|(kind, ref_id, series_id, meeting_id, private_to, occurred_at, snippet)| {
            Some(Hit {
                kind: DocKind::parse(&kind)?,
                ref_id,
                series_id,
                meeting_id,
                private: private_to.is_some(),
                private_to,
                occurred_at,
                snippet,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_never_reaches_fts5_as_syntax() {
        assert_eq!(fts5_query("career growth").unwrap(), "\"career\" \"growth\"");
        assert_eq!(fts5_query("NEAR(a b) OR \"x").unwrap(), "\"NEAR\" \"a\" \"b\" \"OR\" \"x\"");
        assert_eq!(fts5_query("title:boss -x").unwrap(), "\"title\" \"boss\" \"x\"");
        assert_eq!(fts5_query("  ** <> "), None);
    }
}
