//! Bulk loading for the demo generator: many rows per INSERT statement, the same SQL on
//! both databases. Only the demo uses it; everything a person does goes row by row through
//! the use cases.

use super::{Result, Tx, on_tx};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub enum Value {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Text(String),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Time(DateTime<Utc>),
    OptTime(Option<DateTime<Utc>>),
    OptDate(Option<NaiveDate>),
}

/// Rows waiting to be written to one table; flushed every `batch` rows.
pub struct Batch {
    table: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
    batch: usize,
    pub written: u64,
}

impl Batch {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Batch {
        // Stay well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters, even when
        // a caller overfills a batch a little before flushing.
        let batch = (12_000 / columns.len()).min(1000);
        Batch { table, columns, rows: Vec::with_capacity(batch), batch, written: 0 }
    }

    /// Queues a row. The caller flushes (parents before children, so foreign keys hold).
    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    pub fn is_full(&self) -> bool {
        self.rows.len() >= self.batch
    }

    pub async fn flush(&mut self, tx: &mut Tx) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let width = self.columns.len();
        let sqlite = matches!(tx, Tx::Sqlite(_));
        let mut sql = format!("INSERT INTO {} ({}) VALUES ", self.table, self.columns.join(", "));
        for (r, _) in self.rows.iter().enumerate() {
            if r > 0 {
                sql.push(',');
            }
            sql.push('(');
            for c in 0..width {
                if c > 0 {
                    sql.push(',');
                }
                // SQLite looks `$N` names up one by one (quadratic in a statement this size);
                // plain `?` is positional. PostgreSQL only knows `$N`.
                if sqlite { sql.push('?') } else { sql.push_str(&format!("${}", r * width + c + 1)) }
            }
            sql.push(')');
        }
        let rows = std::mem::take(&mut self.rows);
        let n = rows.len() as u64;
        on_tx!(tx, c => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in rows {
                for v in row {
                    q = match v {
                        Value::Uuid(x) => q.bind(x),
                        Value::OptUuid(x) => q.bind(x),
                        Value::Text(x) => q.bind(x),
                        Value::Int(x) => q.bind(x),
                        Value::OptInt(x) => q.bind(x),
                        Value::Bool(x) => q.bind(x),
                        Value::Time(x) => q.bind(x),
                        Value::OptTime(x) => q.bind(x),
                        Value::OptDate(x) => q.bind(x),
                    };
                }
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
        self.written += n;
        Ok(())
    }
}

/// A bulk load in transactions of bounded size, so the write-ahead log never has to hold
/// more than one of them (a load in one transaction puts all of it in the log at once:
/// 240 MB for a 2,000-person demo). Within each transaction the triggers are off (see
/// [`without_triggers`]) and its search documents are indexed at its end; between them,
/// every trigger is in place, so a load that stops half way leaves a consistent database.
pub struct BulkTx {
    tx: Tx,
    saved: Vec<String>,
    /// SQLite: the last search document indexed before this transaction.
    indexed: i64,
}

impl BulkTx {
    pub async fn begin(db: &super::Db) -> Result<BulkTx> {
        let mut tx = db.begin().await?;
        let saved = without_triggers(&mut tx).await?;
        let indexed = match &mut tx {
            Tx::Sqlite(t) => sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM search_doc").fetch_one(&mut **t).await?,
            Tx::Postgres(_) => 0,
        };
        Ok(BulkTx { tx, saved, indexed })
    }

    pub fn tx(&mut self) -> &mut Tx {
        &mut self.tx
    }

    /// Indexes the search documents added, turns the triggers back on, and commits.
    pub async fn commit(mut self) -> Result<()> {
        if let Tx::Sqlite(t) = &mut self.tx {
            sqlx::query("INSERT INTO search_fts (rowid, body, scope) SELECT seq, body, scope FROM search_doc WHERE seq > $1 ORDER BY seq")
                .bind(self.indexed)
                .execute(&mut **t)
                .await?;
        }
        restore_triggers(&mut self.tx, self.saved).await?;
        self.tx.commit().await
    }
}

/// For a bulk load: the triggers that index search text (SQLite) and count series revisions
/// (both) are off for the rest of this transaction. Returns what [`restore_triggers`] needs to
/// turn them back on; index the search documents added before that (as [`BulkTx::commit`] does).
pub async fn without_triggers(tx: &mut Tx) -> Result<Vec<String>> {
    match tx {
        Tx::Sqlite(t) => {
            let saved: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'rev!_%' ESCAPE '!' OR name = 'search_doc_ai')",
            )
            .fetch_all(&mut **t)
            .await?;
            for (name, _) in &saved {
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP TRIGGER {name}"))).execute(&mut **t).await?;
            }
            Ok(saved.into_iter().map(|(_, sql)| sql).collect())
        }
        Tx::Postgres(t) => {
            // Read by the trigger functions of migrations/postgres/0007_series_rev.sql.
            sqlx::query("SET LOCAL rapport.bulk = 'on'").execute(&mut **t).await?;
            Ok(vec![])
        }
    }
}

/// Turns back on what [`without_triggers`] turned off.
pub async fn restore_triggers(tx: &mut Tx, saved: Vec<String>) -> Result<()> {
    match tx {
        Tx::Sqlite(t) => {
            for sql in saved {
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **t).await?;
            }
        }
        Tx::Postgres(t) => {
            sqlx::query("SET LOCAL rapport.bulk = 'off'").execute(&mut **t).await?;
        }
    }
    Ok(())
}
