//! Writes on SQLite: one writer at a time, many writes per disk flush.
//!
//! SQLite lets one connection write at a time. Left to itself, a second writer sleeps in
//! SQLite's busy handler and retries, which under load means long, uneven waits. Here the
//! writers of this process queue instead (a fair async mutex), and transactions that queue
//! up behind each other share one real transaction and one `fsync` (group commit):
//!
//! - `begin` takes the writer; if no outer transaction is open it opens one (`BEGIN
//!   IMMEDIATE`), then opens a savepoint for this use case.
//! - `commit` releases the savepoint. If nobody else is waiting to write, it commits the outer
//!   transaction at once. Otherwise it hands the writer on and a finisher, queued behind the
//!   writers already waiting, commits for all of them.
//! - A transaction dropped without `commit` rolls back to its savepoint; the others in the
//!   batch are unaffected.
//!
//! `commit` returns only after the outer `COMMIT` succeeded (with `synchronous=FULL`, after
//! the write reached the disk). If that fails, every member of the batch gets the error: no
//! write is acknowledged that is not durable.

use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

/// A batch never grows past this many transactions before it is committed.
const MAX_BATCH: usize = 256;

/// The write-ahead log is checkpointed at once, busy or not, beyond this size.
pub const WAL_LIMIT: u64 = 256 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct SqliteDb {
    pub pool: SqlitePool,
    writer: Arc<Writer>,
}

#[derive(Debug)]
struct Writer {
    /// Statements run in the outer transaction just before it commits.
    before_commit: &'static [&'static str],
    state: Arc<Mutex<State>>,
    /// Transactions waiting in `begin` for the writer.
    waiting: AtomicUsize,
    /// Outer transactions committed so far.
    commits: AtomicU64,
}

#[derive(Default, Debug)]
struct State {
    /// The connection holding the open outer transaction, if one is open.
    conn: Option<PoolConnection<Sqlite>>,
    /// Counts outer transactions, so a finisher knows whether its batch is still open.
    batch: u64,
    /// Transactions whose savepoint was released, waiting for the outer commit.
    members: Vec<oneshot::Sender<Result<(), String>>>,
}

type Ack = Result<(), String>;

impl SqliteDb {
    /// `before_commit` runs in every outer transaction just before its commit (once per batch,
    /// not once per write).
    pub fn new(pool: SqlitePool, before_commit: &'static [&'static str]) -> SqliteDb {
        let writer = Writer {
            before_commit,
            state: Arc::new(Mutex::new(State::default())),
            waiting: AtomicUsize::new(0),
            commits: AtomicU64::new(0),
        };
        SqliteDb { pool, writer: Arc::new(writer) }
    }

    pub async fn begin(&self) -> sqlx::Result<SqliteTx> {
        let mut guard = {
            let _queued = Queued::new(&self.writer.waiting);
            self.writer.state.clone().lock_owned().await
        };
        if guard.conn.is_none() {
            let mut conn = self.pool.acquire().await?;
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
            guard.conn = Some(conn);
            guard.batch += 1;
        }
        if let Err(e) = sqlx::query("SAVEPOINT w").execute(&mut **guard.conn.as_mut().expect("open")).await {
            abandon(&mut guard, &e.to_string()).await;
            return Err(e);
        }
        Ok(SqliteTx { guard: Some(guard), writer: self.writer.clone() })
    }

    /// Copies the write-ahead log (`wal`, the file's path) into the database file on a
    /// connection of its own: once writes have paused for a second, or at once when the log
    /// has grown past [`WAL_LIMIT`]. A checkpoint writes and flushes the database file; done
    /// in the middle of a burst of writes it makes every commit behind it wait for the disk.
    /// PASSIVE never blocks writers or readers. Stops when the pool closes; when the last
    /// connection closes, SQLite checkpoints whatever is left.
    pub fn checkpoint_in_background(&self, wal: std::path::PathBuf) {
        let pool = self.pool.clone();
        let writer = self.writer.clone();
        tokio::spawn(async move {
            let mut seen = 0;
            let mut checkpointed = 0;
            let mut quiet_ticks = 0;
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !pool.is_closed() {
                tick.tick().await;
                let commits = writer.commits.load(Ordering::Relaxed);
                quiet_ticks = if commits == seen { quiet_ticks + 1 } else { 0 };
                seen = commits;
                let big = std::fs::metadata(&wal).map(|m| m.len() > WAL_LIMIT).unwrap_or(false);
                if commits == checkpointed || !(quiet_ticks >= 4 || big) {
                    continue;
                }
                checkpointed = commits;
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await
                    && !pool.is_closed()
                {
                    tracing::warn!(error = %e, "background checkpoint failed");
                }
            }
        });
    }

    /// How many real commits (disk flushes) this process has made; each may carry many
    /// transactions.
    pub fn commits(&self) -> u64 {
        self.writer.commits.load(Ordering::Relaxed)
    }
}

/// Counts a task as waiting for the writer while it exists (also when the wait is cancelled).
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn new(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::SeqCst);
        Queued(n)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// One use case's transaction: a savepoint inside the shared outer transaction.
pub struct SqliteTx {
    guard: Option<OwnedMutexGuard<State>>,
    writer: Arc<Writer>,
}

impl std::ops::Deref for SqliteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.guard.as_ref().and_then(|g| g.conn.as_deref()).expect("transaction in use")
    }
}

impl std::ops::DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.guard.as_mut().and_then(|g| g.conn.as_deref_mut()).expect("transaction in use")
    }
}

impl SqliteTx {
    pub async fn commit(mut self) -> sqlx::Result<()> {
        let mut guard = self.guard.take().expect("transaction in use");
        let conn = guard.conn.as_mut().expect("open");
        if let Err(e) = sqlx::query("RELEASE w").execute(&mut **conn).await {
            undo_savepoint(guard).await;
            return Err(e);
        }
        let (tx, rx) = oneshot::channel::<Ack>();
        guard.members.push(tx);
        if self.writer.waiting.load(Ordering::SeqCst) == 0 || guard.members.len() >= MAX_BATCH {
            commit_batch(&mut guard, &self.writer).await;
        } else {
            // Others are queued to write: let them join this batch. The finisher queues
            // behind them and commits whatever is still open of this batch; it runs as its
            // own task, so the commit happens even if this caller goes away.
            let batch = guard.batch;
            let writer = self.writer.clone();
            drop(guard);
            tokio::spawn(async move {
                let mut guard = writer.state.clone().lock_owned().await;
                if guard.batch == batch && guard.conn.is_some() {
                    commit_batch(&mut guard, &writer).await;
                }
            });
        }
        match rx.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(msg)) => Err(sqlx::Error::Protocol(format!("commit failed: {msg}"))),
            Err(_) => Err(sqlx::Error::Protocol("commit abandoned".into())),
        }
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        // Dropped without commit: undo this transaction's savepoint, keeping the writer
        // until that is done (the guard moves into the task).
        if let Some(guard) = self.guard.take() {
            match tokio::runtime::Handle::try_current() {
                Ok(rt) => {
                    rt.spawn(undo_savepoint(guard));
                }
                Err(_) => drop(guard),
            }
        }
    }
}

/// Rolls back the innermost savepoint; if no one else's work is in the batch, ends the outer
/// transaction too so the write lock is not held for nothing.
async fn undo_savepoint(mut guard: OwnedMutexGuard<State>) {
    let Some(conn) = guard.conn.as_mut() else { return };
    let undone = async {
        sqlx::query("ROLLBACK TO w").execute(&mut **conn).await?;
        sqlx::query("RELEASE w").execute(&mut **conn).await
    }
    .await;
    match undone {
        Err(e) => abandon(&mut guard, &e.to_string()).await,
        Ok(_) if guard.members.is_empty() => {
            let mut conn = guard.conn.take().expect("open");
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
        }
        Ok(_) => {}
    }
}

/// Commits the outer transaction and tells every member how it went.
async fn commit_batch(guard: &mut State, writer: &Writer) {
    let Some(mut conn) = guard.conn.take() else { return };
    let started = std::time::Instant::now();
    let mut prepared_us = 0;
    let result = async {
        for sql in writer.before_commit {
            sqlx::query(*sql).execute(&mut *conn).await?;
        }
        prepared_us = started.elapsed().as_micros() as u64;
        sqlx::query("COMMIT").execute(&mut *conn).await
    }
    .await;
    let elapsed_us = started.elapsed().as_micros() as u64;
    tracing::debug!(transactions = guard.members.len(), prepared_us, elapsed_us, ok = result.is_ok(), "commit");
    match result {
        Ok(_) => {
            writer.commits.fetch_add(1, Ordering::Relaxed);
            for m in guard.members.drain(..) {
                let _ = m.send(Ok(()));
            }
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            let msg = e.to_string();
            for m in guard.members.drain(..) {
                let _ = m.send(Err(msg.clone()));
            }
        }
    }
}

/// The outer transaction is broken: roll it back and fail everyone waiting on it.
async fn abandon(guard: &mut State, why: &str) {
    if let Some(mut conn) = guard.conn.take() {
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    for m in guard.members.drain(..) {
        let _ = m.send(Err(why.to_string()));
    }
}
