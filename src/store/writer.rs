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
//!
//! Callers may go away at any `.await` (axum drops the handler of a client that hung up). So
//! the critical sections of `begin` and `commit` run in tasks of their own, which own the
//! writer and the connection until the database is back in a known state, and answer over a
//! channel: a `begin` whose caller left undoes its savepoint, a `commit` whose caller left
//! still finishes the batch. A connection never goes back to the pool inside `BEGIN
//! IMMEDIATE` (and the writers' pool rolls back any that would: [`end_forgotten_transaction`]).
//!
//! Reads use a pool of their own whose connections are opened read-only: they cannot take
//! the write lock at all, so they need no such check (which would cost every read a second
//! round trip to SQLite's thread), and nothing can write around the writer.
//!
//! The write-ahead log stays under [`WAL_LIMIT`] (see [`checkpoint_while_holding`]): past
//! [`CHECKPOINT_AT`] a background task copies it while writes go on, then takes the writer
//! briefly to finish and truncate it; past [`HOLD_AT`] the commit that crossed it does so
//! itself before the writer passes to anyone else.

use crate::metrics::{self, Histogram};
use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

/// A batch never grows past this many transactions before it is committed.
const MAX_BATCH: usize = 256;

/// The write-ahead log never grows past this size (`-wal` file, in bytes).
pub const WAL_LIMIT: u64 = 64 * 1024 * 1024;

/// Past this size the background task checkpoints the log and truncates it, waiting at most
/// [`READER_WAIT`] for readers still using it.
pub const CHECKPOINT_AT: u64 = 16 * 1024 * 1024;

/// Past this size (the background task fell behind) the commit that crossed it checkpoints
/// before the next write begins, and no write begins until that has succeeded, however long
/// readers hold it up (up to [`HOLD_AT_MOST`]). The room left to [`WAL_LIMIT`], 32 MiB, is
/// more than one batch writes (the demo's bulk transactions stay near 8 MiB).
pub const HOLD_AT: u64 = 32 * 1024 * 1024;

/// How long a checkpoint waits for readers before the writer lets writes go on.
const READER_WAIT: std::time::Duration = std::time::Duration::from_millis(250);

/// How long writes are held past [`HOLD_AT`] waiting for readers (a page's read takes
/// milliseconds; this only runs out for a reader stuck for that long).
const HOLD_AT_MOST: std::time::Duration = std::time::Duration::from_secs(10);

/// The connection's usual wait for a lock (`busy_timeout`, set in `Db::connect`), restored
/// after a checkpoint's shorter wait.
const BUSY_TIMEOUT_MS: u64 = 10_000;

#[derive(Clone, Debug)]
pub struct SqliteDb {
    /// Reads: read-only connections (the same pool as `write_pool` for an in-memory database).
    pub pool: SqlitePool,
    /// The writer's connection and the checkpointer's; migrations run here too.
    pub write_pool: SqlitePool,
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
    /// Transactions per outer commit, and how long each waited for the writer.
    stats: WriteStats,
    /// The `-wal` file (none for an in-memory database).
    wal: Option<std::path::PathBuf>,
    /// Wakes the background checkpointer when a commit takes the log past [`CHECKPOINT_AT`].
    wake: tokio::sync::Notify,
}

/// What `/metrics` reports of the writer.
#[derive(Debug)]
pub struct WriteStats {
    pub batch_sizes: Histogram,
    pub wait: Histogram,
}

#[derive(Default, Debug)]
struct State {
    /// The connection holding the open outer transaction, if one is open.
    conn: Option<PoolConnection<Sqlite>>,
    /// Counts outer transactions, so a finisher knows whether its batch is still open.
    batch: u64,
    /// Transactions whose savepoint was released, waiting for the outer commit.
    members: Vec<oneshot::Sender<Ack>>,
    /// A checkpoint between [`CHECKPOINT_AT`] and [`HOLD_AT`] that readers held up is not
    /// tried again before this, so commits meanwhile do not each wait for the same reader.
    retry_checkpoint_at: Option<std::time::Instant>,
}

/// What a member of a batch is told: its outer commit's outcome.
type Ack = sqlx::Result<()>;

impl SqliteDb {
    /// `before_commit` runs in every outer transaction just before its commit (once per batch,
    /// not once per write).
    pub fn new(
        pool: SqlitePool,
        write_pool: SqlitePool,
        before_commit: &'static [&'static str],
        wal: Option<std::path::PathBuf>,
    ) -> SqliteDb {
        let writer = Writer {
            wal,
            wake: tokio::sync::Notify::new(),
            before_commit,
            state: Arc::new(Mutex::new(State::default())),
            waiting: AtomicUsize::new(0),
            commits: AtomicU64::new(0),
            stats: WriteStats { batch_sizes: Histogram::new(metrics::BATCH), wait: Histogram::new(metrics::SECONDS) },
        };
        SqliteDb { pool, write_pool, writer: Arc::new(writer) }
    }

    /// Takes the writer and opens this use case's savepoint. The work runs in a task of its
    /// own that always finishes, even when the caller stops waiting (a client that went away
    /// makes axum drop its handler at whatever `.await` it had reached): a transaction the
    /// caller never received is dropped, which undoes it, so no connection is ever left inside
    /// `BEGIN IMMEDIATE` with nobody to end it.
    pub async fn begin(&self) -> sqlx::Result<SqliteTx> {
        let queued = Queued::new(self.writer.clone());
        let pool = self.write_pool.clone();
        let (reply, answer) = oneshot::channel::<sqlx::Result<SqliteTx>>();
        let asked = std::time::Instant::now();
        tokio::spawn(async move {
            let writer = queued.0.clone();
            let guard = writer.state.clone().lock_owned().await;
            writer.stats.wait.observe_duration(asked.elapsed());
            drop(queued);
            if reply.is_closed() {
                return; // the caller left while queued: nothing was opened
            }
            let opened = open(guard, &pool).await.map(|guard| SqliteTx { guard: Some(guard), writer });
            // If the caller left meanwhile, the refused transaction is dropped here and undoes itself.
            let _ = reply.send(opened);
        });
        answer.await.unwrap_or_else(|_| Err(sqlx::Error::Protocol("the writer stopped before beginning".into())))
    }

    /// Copies the write-ahead log into the database file on a connection of its own once
    /// writes have paused for a second (PASSIVE: blocks no one, and a log it copied completely
    /// starts again from its beginning at the next write). A checkpoint writes and flushes the
    /// database file; done in the middle of a burst of writes it would make every commit
    /// behind it wait for the disk. So past [`CHECKPOINT_AT`] (woken by the commit that
    /// crossed it, or on its next tick) it first copies the log with PASSIVE while writes go
    /// on, and only then takes the writer to copy what was written meanwhile and truncate the
    /// log (see [`checkpoint_while_holding`]). Stops when the pool closes; when the last
    /// connection closes, SQLite checkpoints whatever is left and removes the log.
    pub fn checkpoint_in_background(&self) {
        let pool = self.write_pool.clone();
        let writer = self.writer.clone();
        tokio::spawn(async move {
            let mut seen = 0;
            let mut checkpointed = 0;
            let mut quiet_ticks = 0;
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !pool.is_closed() {
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = writer.wake.notified() => {}
                }
                if writer.wal_bytes() > CHECKPOINT_AT {
                    // Most of the copying, while writes go on.
                    let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await;
                    let mut guard = writer.state.clone().lock_owned().await;
                    // A batch left open for its finisher is committed now, by us.
                    commit_batch(&mut guard, &writer).await;
                    if writer.wal_bytes() > CHECKPOINT_AT
                        && let Ok(mut conn) = pool.acquire().await
                    {
                        checkpoint_while_holding(&mut guard, &writer, &mut conn).await;
                    }
                    continue;
                }
                let commits = writer.commits.load(Ordering::Relaxed);
                quiet_ticks = if commits == seen { quiet_ticks + 1 } else { 0 };
                seen = commits;
                if commits == checkpointed || quiet_ticks < 4 {
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

    /// Batch sizes and waits for the writer, for `/metrics`.
    pub fn stats(&self) -> &WriteStats {
        &self.writer.stats
    }
}

/// Counts a task as waiting for the writer while it exists (also when the wait is cancelled).
struct Queued(Arc<Writer>);

impl Queued {
    fn new(writer: Arc<Writer>) -> Self {
        writer.waiting.fetch_add(1, Ordering::SeqCst);
        Queued(writer)
    }
}

impl Writer {
    /// The `-wal` file's size now (0 when there is none).
    fn wal_bytes(&self) -> u64 {
        self.wal.as_ref().and_then(|w| std::fs::metadata(w).ok()).map_or(0, |m| m.len())
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
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
    /// Releases the savepoint and waits for the outer commit. Like `begin`, the work runs in
    /// a task that always finishes: a caller that stops waiting cannot leave the savepoint
    /// half released or the outer transaction half committed. Whether its write then lands
    /// is not promised to a caller that left; everyone else's is unaffected.
    pub async fn commit(mut self) -> sqlx::Result<()> {
        let guard = self.guard.take().expect("transaction in use");
        let (reply, answer) = oneshot::channel::<Ack>();
        tokio::spawn(release(guard, self.writer.clone(), reply));
        answer.await.unwrap_or_else(|_| Err(sqlx::Error::Protocol("commit abandoned".into())))
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

/// Runs as each connection comes back to the pool: if it is still inside a transaction, rolls
/// that back (an open transaction would hold the database's one write lock for as long as
/// the connection sits idle). The writer never lets this happen; this catches anyone else.
pub async fn end_forgotten_transaction(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    match sqlx::query("ROLLBACK").execute(&mut *conn).await {
        Ok(_) => {
            tracing::error!("a database connection came back to the pool inside a transaction; rolled it back");
            Ok(true)
        }
        Err(sqlx::Error::Database(e)) if e.message().contains("no transaction is active") => Ok(true),
        Err(e) => Err(e),
    }
}

/// Opens the outer transaction if none is open, then this use case's savepoint.
async fn open(mut guard: OwnedMutexGuard<State>, pool: &SqlitePool) -> sqlx::Result<OwnedMutexGuard<State>> {
    if guard.conn.is_none() {
        let mut conn = pool.acquire().await?;
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        guard.conn = Some(conn);
        guard.batch += 1;
    }
    if let Err(e) = sqlx::query("SAVEPOINT w").execute(&mut **guard.conn.as_mut().expect("open")).await {
        abandon(&mut guard, &e.to_string()).await;
        return Err(e);
    }
    Ok(guard)
}

/// Releases a use case's savepoint and sees the outer transaction committed: at once if no
/// one else is waiting to write; otherwise after the writers already waiting have joined the
/// batch (group commit), by whichever of them comes last.
async fn release(mut guard: OwnedMutexGuard<State>, writer: Arc<Writer>, reply: oneshot::Sender<Ack>) {
    let conn = guard.conn.as_mut().expect("open");
    if let Err(e) = sqlx::query("RELEASE w").execute(&mut **conn).await {
        undo_savepoint(guard).await;
        let _ = reply.send(Err(e));
        return;
    }
    guard.members.push(reply);
    if writer.waiting.load(Ordering::SeqCst) == 0 || guard.members.len() >= MAX_BATCH {
        commit_batch(&mut guard, &writer).await;
        return;
    }
    // Others are queued to write: let them join this batch, queue behind them, and commit
    // whatever is still open of this batch.
    let batch = guard.batch;
    drop(guard);
    let mut guard = writer.state.clone().lock_owned().await;
    if guard.batch == batch && guard.conn.is_some() {
        commit_batch(&mut guard, &writer).await;
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
            writer.stats.batch_sizes.observe(guard.members.len() as f64);
            for m in guard.members.drain(..) {
                let _ = m.send(Ok(()));
            }
            // Acknowledged; the writer is still held, so nothing new is written meanwhile.
            let wal = writer.wal_bytes();
            if wal > HOLD_AT {
                checkpoint_while_holding(guard, writer, &mut conn).await;
            } else if wal > CHECKPOINT_AT {
                writer.wake.notify_one();
            }
        }
        Err(e) => {
            let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
            let msg = e.to_string();
            for m in guard.members.drain(..) {
                let _ = m.send(Err(sqlx::Error::Protocol(format!("commit failed: {msg}"))));
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
        let _ = m.send(Err(sqlx::Error::Protocol(format!("commit failed: {why}"))));
    }
}

/// Checkpoints the log and truncates it to nothing, on `conn` (outside any transaction), by
/// whoever holds the writer (`held`): the background task past [`CHECKPOINT_AT`], after a
/// PASSIVE checkpoint copied most of the log, or the commit that took it past [`HOLD_AT`].
///
/// Why this cannot be starved. A PASSIVE checkpoint copies only what no reader still needs and
/// never resets the log while any reader uses it, so steady writes with overlapping reads can
/// keep it from ever finishing, and the log grows. Here, instead:
/// - writers cannot get in the way: the caller holds the writer, so no write begins until this
///   returns, and the log cannot grow while it waits;
/// - readers cannot hold it up for long: TRUNCATE waits (SQLite's busy handler, up to
///   [`READER_WAIT`]) for the readers still using the log to finish; readers that start once
///   the log is copied read from the database file alone and do not hold it up, so a stream
///   of short reads cannot keep it waiting. Only one read transaction kept open longer can.
/// - Between [`CHECKPOINT_AT`] and [`HOLD_AT`], a checkpoint such a reader held up lets writes
///   go on and is tried again a second later. Past [`HOLD_AT`], writes wait until it succeeds
///   (for up to [`HOLD_AT_MOST`], then a warning and writes go on).
async fn checkpoint_while_holding(held: &mut State, writer: &Writer, conn: &mut SqliteConnection) {
    let urgent = writer.wal_bytes() > HOLD_AT;
    let now = std::time::Instant::now();
    if !urgent && held.retry_checkpoint_at.is_some_and(|at| now < at) {
        return;
    }
    let started = now;
    loop {
        match truncate_log(conn).await {
            Ok(true) => {
                held.retry_checkpoint_at = None;
                tracing::debug!(elapsed_ms = started.elapsed().as_millis() as u64, "write-ahead log checkpointed and truncated");
                return;
            }
            Ok(false) if urgent && started.elapsed() < HOLD_AT_MOST => continue,
            Ok(false) => {
                if urgent {
                    tracing::warn!(bytes = writer.wal_bytes(), "a reader kept the write-ahead log from being checkpointed; writes go on");
                }
                held.retry_checkpoint_at = Some(std::time::Instant::now() + std::time::Duration::from_secs(1));
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "checkpoint failed");
                held.retry_checkpoint_at = Some(std::time::Instant::now() + std::time::Duration::from_secs(1));
                return;
            }
        }
    }
}

/// One `wal_checkpoint(TRUNCATE)` waiting at most [`READER_WAIT`] for readers: whether it
/// finished (the log copied and emptied).
async fn truncate_log(conn: &mut SqliteConnection) -> sqlx::Result<bool> {
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {}", READER_WAIT.as_millis()))).execute(&mut *conn).await?;
    let done = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&mut *conn).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"))).execute(&mut *conn).await?;
    // The first column is 1 when readers (or another process writing) kept it from finishing.
    Ok(done?.0 == 0)
}
