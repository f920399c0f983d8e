//! The store: everything rapport keeps, in SQLite or PostgreSQL.
//!
//! One [`Db`] value holds a pool for one of the two backends. Queries are written once, in SQL
//! both understand (`$1` placeholders work in SQLite too), and [`on_db!`] runs the same code
//! against whichever pool is live. Where the dialects differ, the difference is written here,
//! next to its twin, and nowhere else. Handlers and use cases never contain SQL.

pub mod about;
pub mod accounts;
pub mod bulk;
pub mod growth;
pub mod guidance;
pub mod home;
pub mod insights;
pub mod jobs;
pub mod kickoff;
pub mod meetings;
pub mod messages;
pub mod people;
pub mod practice;
pub mod program;
pub mod pulse;
pub mod reporting;
pub mod reviews;
pub mod search;
pub mod strategy;
pub mod writer;

use sqlx::PgPool;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(writer::SqliteDb),
    Postgres(PgPool),
}

/// After a bulk load (the demo): on PostgreSQL, `VACUUM ANALYZE`, so that plans are made from
/// statistics of what is there and index-only scans find pages marked all-visible, instead of
/// waiting for autovacuum (a freshly loaded 10,000-person demo answered every page 1.5 to 3
/// times slower until then). Nothing on SQLite, whose plans are chosen without statistics.
pub async fn refresh_statistics(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE").execute(p).await?;
    }
    Ok(())
}

/// The database's side of a `/metrics` scrape.
pub struct DbStats<'a> {
    /// Connections open in the pool, of which idle, and the most it opens.
    pub pool_open: u32,
    pub pool_idle: usize,
    pub pool_max: u32,
    /// The write-ahead log's size (SQLite's `-wal` file; PostgreSQL's `pg_wal`, when the
    /// server lets rapport read it).
    pub wal_bytes: Option<u64>,
    /// SQLite's writer: transactions per commit and waits for the writer.
    pub writes: Option<&'a writer::WriteStats>,
}

/// A write transaction on either backend.
pub enum Tx {
    Sqlite(writer::SqliteTx),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$pool` bound to the live pool (or transaction) of either backend. The
/// body is compiled once per backend, so it may use backend-generic sqlx calls only.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite(sqlite) => {
                let $pool = &sqlite.pool;
                $body
            }
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}

#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Runs one write statement as a transaction of its own: on SQLite it queues with the other
/// writes (see [`writer`]) instead of racing them for the lock.
#[macro_export]
macro_rules! on_write {
    ($db:expr, $conn:ident => $body:expr) => {
        async {
            let mut tx = $db.begin().await?;
            let out = $crate::on_tx!(&mut tx, $conn => $body)?;
            tx.commit().await?;
            Ok::<_, $crate::store::StoreError>(out)
        }
        .await
    };
}

pub use crate::{on_db, on_tx, on_write};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (use sqlite:PATH or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// A stored value rapport cannot read back (a bug or a hand-edited database).
    #[error("unexpected value in the database: {0}")]
    Corrupt(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// Why no write can be made now ([`Db::check_writable`]).
#[derive(Debug, thiserror::Error)]
pub enum Unwritable {
    #[error("no write could begin within {} s: the write lock is taken", .0.as_secs_f32())]
    Busy(Duration),
    #[error("the database accepts no writes (read-only)")]
    ReadOnly,
    #[error("a trivial write failed: {0}")]
    Failed(StoreError),
}

/// What kind of failure a [`StoreError`] is, the same on both databases; `app` maps each kind
/// to one answer (`From<StoreError> for AppError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreErrorKind {
    /// A unique rule refused a second row with the same key (two people added it at once).
    UniqueViolation,
    /// A row refers to one that is not there (deleted meanwhile), or an expected row is missing.
    NotFound,
    /// The database is busy or locked, or no connection was free in time: try again.
    Busy,
    /// Anything else: a bug, a broken connection, a bad migration.
    Other,
}

impl StoreError {
    pub fn is_unique_violation(&self) -> bool {
        self.kind() == StoreErrorKind::UniqueViolation
    }

    pub fn kind(&self) -> StoreErrorKind {
        use sqlx::error::ErrorKind;
        match self {
            StoreError::Sql(sqlx::Error::RowNotFound) => StoreErrorKind::NotFound,
            StoreError::Sql(sqlx::Error::PoolTimedOut) => StoreErrorKind::Busy,
            StoreError::Sql(sqlx::Error::Database(e)) => match e.kind() {
                ErrorKind::UniqueViolation => StoreErrorKind::UniqueViolation,
                ErrorKind::ForeignKeyViolation => StoreErrorKind::NotFound,
                // SQLite: SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes
                // (the primary code is the low byte). PostgreSQL: lock_not_available,
                // serialization_failure, deadlock_detected.
                _ => match e.code().as_deref() {
                    Some("55P03" | "40001" | "40P01") => StoreErrorKind::Busy,
                    Some(code) if matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5 | 6)) => StoreErrorKind::Busy,
                    _ => StoreErrorKind::Other,
                },
            },
            _ => StoreErrorKind::Other,
        }
    }
}

impl Db {
    /// Opens the database named by `url`: `sqlite:PATH`, `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?.application_name("rapport");
            let pool = PgPoolOptions::new()
                .max_connections(32)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:");
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(if memory { SqliteJournalMode::Memory } else { SqliteJournalMode::Wal })
                // FULL: a write the server acknowledged survives a power cut, not only a crash.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
                .pragma("temp_store", "memory")
                // Checkpoints (copying the WAL into the database file, with its own fsync) run
                // in the background when writes pause, and by the writer past a size (see
                // `writer::checkpoint_while_holding`), not inside whichever commit happens to
                // cross SQLite's own threshold.
                .pragma("wal_autocheckpoint", if memory { "1000" } else { "0" })
                // A log copied in full by a quiet-time checkpoint is cut back to 4 MiB when
                // the next write starts it again from its beginning.
                .pragma("journal_size_limit", "4194304")
                // 8 MB of page cache per connection (2 writers' and 8 readers'): memory stays
                // bounded on big databases.
                .pragma("cache_size", "-8000");
            // An in-memory database exists once per connection, so it gets exactly one, which
            // reads and writes.
            let write_pool = SqlitePoolOptions::new()
                .max_connections(if memory { 1 } else { 2 })
                .min_connections(1)
                // A local file does not hang up, so no ping before each use; instead every
                // connection is checked as it comes back: one still inside a transaction
                // (whoever began it) is rolled back there, so it cannot keep the write lock.
                .test_before_acquire(false)
                .after_release(|conn, _| Box::pin(writer::end_forgotten_transaction(conn)))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts.clone())
                .await?;
            // Readers cannot write, so they cannot keep the write lock either: they need no such
            // check, which would cost every read a second round trip to SQLite's thread. Opened
            // once the writers' pool has made the file and put it in WAL mode.
            let pool = if memory {
                write_pool.clone()
            } else {
                let read = SqliteConnectOptions::from_str(url)?
                    .read_only(true)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("temp_store", "memory")
                    .pragma("cache_size", "-8000");
                SqlitePoolOptions::new()
                    .max_connections(8)
                    .min_connections(1)
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(read)
                    .await?
            };
            let wal = (!memory).then(|| std::path::PathBuf::from(format!("{}-wal", opts.get_filename().display())));
            let db = writer::SqliteDb::new(pool, write_pool, search::SQLITE_BEFORE_COMMIT, wal);
            if !memory {
                db.checkpoint_in_background();
            }
            Ok(Db::Sqlite(db))
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }

    /// A new SQLite file for a bulk load that nothing else uses (the large demo, made beside the
    /// data directory's database and moved into place whole by [`finish_load`]): no rollback
    /// journal, no write-ahead log, no flush to disk until the end, and a large page cache. A
    /// load that stops half way leaves only this file, never a half-filled database in place.
    pub async fn connect_for_load(path: &Path) -> Result<Db> {
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-262144");
        // Two connections: the writer's, and one for the reads made while a load is open.
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .min_connections(1)
            .test_before_acquire(false)
            .after_release(|conn, _| Box::pin(writer::end_forgotten_transaction(conn)))
            .connect_with(opts)
            .await?;
        Ok(Db::Sqlite(writer::SqliteDb::new(pool.clone(), pool, search::SQLITE_BEFORE_COMMIT, None)))
    }

    /// The pool and the write-ahead log as they are now, for `/metrics`.
    pub async fn stats(&self) -> DbStats<'_> {
        match self {
            Db::Sqlite(s) => {
                let file = s.pool.connect_options().get_filename().to_path_buf();
                let wal = std::path::PathBuf::from(format!("{}-wal", file.display()));
                DbStats {
                    pool_open: s.pool.size(),
                    pool_idle: s.pool.num_idle(),
                    pool_max: s.pool.options().get_max_connections(),
                    // No file (an in-memory database, or nothing written yet): nothing to copy back.
                    wal_bytes: Some(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0)),
                    writes: Some(s.stats()),
                }
            }
            Db::Postgres(p) => {
                // pg_ls_waldir needs a superuser or the pg_monitor role; without either the
                // figure is left out rather than guessed.
                const Q: &str = "SELECT COALESCE(SUM(size), 0)::BIGINT FROM pg_ls_waldir()";
                let wal: Option<i64> = sqlx::query_scalar(Q).fetch_one(p).await.ok();
                DbStats {
                    pool_open: p.size(),
                    pool_idle: p.num_idle(),
                    pool_max: p.options().get_max_connections(),
                    wal_bytes: wal.map(|w| w.max(0) as u64),
                    writes: None,
                }
            }
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies every migration not yet applied. On PostgreSQL sqlx holds an advisory lock
    /// while it migrates, so several instances starting at once are safe.
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite(s) => SQLITE_MIGRATIONS.run(&s.write_pool).await?,
            Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// Begins a write transaction. On SQLite, writers queue for the one write lock (taken up
    /// front with `BEGIN IMMEDIATE`, so a transaction that reads and then writes never fails
    /// half way with "database is locked") and share commits; see [`writer`].
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(s) => Tx::Sqlite(s.begin().await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// For `/readyz`: can a write be made right now? Begins a write transaction the way every
    /// write does (on SQLite through the writer's queue, up to the database's one write lock;
    /// on PostgreSQL a connection from the pool, not read-only) and commits it, writing
    /// nothing, all within `within`.
    pub async fn check_writable(&self, within: Duration) -> std::result::Result<(), Unwritable> {
        let attempt = async {
            let mut tx = self.begin().await.map_err(Unwritable::Failed)?;
            if let Tx::Postgres(t) = &mut tx {
                const Q: &str = "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on'";
                let read_only: bool = sqlx::query_scalar(Q).fetch_one(&mut **t).await.map_err(|e| Unwritable::Failed(e.into()))?;
                if read_only {
                    return Err(Unwritable::ReadOnly);
                }
            }
            tx.commit().await.map_err(Unwritable::Failed)
        };
        tokio::time::timeout(within, attempt).await.unwrap_or(Err(Unwritable::Busy(within)))
    }

    pub async fn close(&self) {
        match self {
            // Readers first: the last connection to close (a writer's) copies the log into the
            // database and removes it.
            Db::Sqlite(s) => {
                s.pool.close().await;
                s.write_pool.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// Write transactions committed by this process so far (every write is one; see [`writes_committed`]).
static WRITES_COMMITTED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many write transactions this process has committed, on any database: the reminder
/// scheduler looks again at what it had set aside when this moves on.
pub fn writes_committed() -> u64 {
    WRITES_COMMITTED.load(std::sync::atomic::Ordering::Acquire)
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        WRITES_COMMITTED.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        Ok(())
    }
}

/// Switches a database made by a load ([`Db::connect_for_load`], closed) to write-ahead
/// logging, like every database rapport opens, before it is moved into place.
pub async fn finish_load(loaded: &Path) -> Result<()> {
    use sqlx::Connection as _;
    let opts = SqliteConnectOptions::new().filename(loaded).journal_mode(SqliteJournalMode::Wal);
    sqlx::SqliteConnection::connect_with(&opts).await?.close().await?;
    Ok(())
}

/// The SQLite file for a data directory.
pub fn sqlite_url_for(data_dir: &Path) -> String {
    format!("sqlite:{}", data_dir.join("rapport.db").display())
}

/// A database URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((creds, host)) = rest.rsplit_once('@')
    {
        let user = creds.split(':').next().unwrap_or("");
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

/// Migrations, embedded in the binary from `migrations/{sqlite,postgres}` (build.rs rebuilds
/// when a file there changes). Both trees carry the same versions; a test checks it and
/// compares the resulting schemas. sqlx records what it applied in `_sqlx_migrations`.
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_removed_from_database_urls() {
        assert_eq!(super::redact_url("postgres://app:s3cret@db:5432/rapport"), "postgres://app:***@db:5432/rapport");
        assert_eq!(super::redact_url("sqlite:data/rapport.db"), "sqlite:data/rapport.db");
    }
}
