//! The write path under concurrency: every acknowledged transaction is there afterwards (read
//! through a new connection), every refused or abandoned one left nothing, and on SQLite
//! transactions that queue behind each other share commits.

use crate::support::{Backend, fresh_database};
use rapport::store::{Db, Tx, on_db, on_tx};
use std::time::Duration;

/// Runs a test on a fresh database of each backend (no server needed here).
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::support::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(crate::support::Backend::Postgres).await
            }
        }
    )*};
}

/// A statement run by hand around the writer (the test's own set-up): on SQLite it needs a
/// connection that may write, and the readers' may not.
async fn by_hand(db: &Db, sql: &'static str) {
    match db {
        Db::Sqlite(s) => sqlx::query(sql).execute(&s.write_pool).await.map(|r| r.rows_affected()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()),
    }
    .unwrap();
}

async fn insert(tx: &mut Tx, n: i64) -> Result<(), rapport::store::StoreError> {
    on_tx!(tx, c => sqlx::query("INSERT INTO wtest (n) VALUES ($1)").bind(n).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

async fn numbers(url: &str) -> Vec<i64> {
    let db = Db::connect(url).await.unwrap();
    let rows: Vec<i64> = on_db!(&db, p => sqlx::query_scalar("SELECT n FROM wtest ORDER BY n").fetch_all(p).await).unwrap();
    db.close().await;
    rows
}

on_both_databases!(concurrent_transactions_are_all_durable_or_all_absent);
async fn concurrent_transactions_are_all_durable_or_all_absent(backend: Backend) {
    let (url, _dir) = fresh_database(backend).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    by_hand(&db, "CREATE TABLE wtest (n BIGINT PRIMARY KEY)").await;
    by_hand(&db, "INSERT INTO wtest (n) VALUES (1000)").await;

    let mut tasks = Vec::new();
    for n in 0..300i64 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await?;
            insert(&mut tx, n).await?;
            if n % 7 == 0 {
                // A second row with a taken key: the statement fails and the whole
                // transaction (its first row too) must vanish.
                insert(&mut tx, 1000).await?;
            }
            if n % 11 == 0 {
                return Ok::<bool, rapport::store::StoreError>(false); // dropped without commit
            }
            tx.commit().await?;
            Ok(true)
        }));
    }
    let mut acknowledged = Vec::new();
    for (n, t) in tasks.into_iter().enumerate() {
        if let Ok(true) = t.await.unwrap() {
            acknowledged.push(n as i64);
        }
    }
    let expected: Vec<i64> = (0..300).filter(|n| n % 11 != 0 && n % 7 != 0).collect();
    assert_eq!(acknowledged, expected);
    let mut want = expected.clone();
    want.push(1000);
    assert_eq!(numbers(&url).await, want, "what was acknowledged is exactly what is stored");

    if let Db::Sqlite(s) = &db {
        let commits = s.commits();
        assert!(commits < acknowledged.len() as u64, "{commits} commits for {} transactions: nothing was shared", acknowledged.len());
    }
    db.close().await;
}

on_both_databases!(a_transaction_cancelled_half_way_leaves_nothing_and_blocks_no_one);
async fn a_transaction_cancelled_half_way_leaves_nothing_and_blocks_no_one(backend: Backend) {
    let (url, _dir) = fresh_database(backend).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    by_hand(&db, "CREATE TABLE wtest (n BIGINT PRIMARY KEY)").await;

    let (started_tx, started) = tokio::sync::oneshot::channel();
    let held = {
        let db = db.clone();
        tokio::spawn(async move {
            let mut tx = db.begin().await.unwrap();
            insert(&mut tx, 1).await.unwrap();
            started_tx.send(()).unwrap();
            tokio::time::sleep(Duration::from_secs(3600)).await; // a client that went away
            tx.commit().await.unwrap();
        })
    };
    started.await.unwrap();
    held.abort();
    assert!(held.await.unwrap_err().is_cancelled());

    let later = tokio::time::timeout(Duration::from_secs(5), async {
        let mut tx = db.begin().await.unwrap();
        insert(&mut tx, 2).await.unwrap();
        tx.commit().await.unwrap();
    })
    .await;
    assert!(later.is_ok(), "the next writer waited for a transaction nobody will finish");
    assert_eq!(numbers(&url).await, vec![2]);
    db.close().await;
}

/// Polls `fut` until it has been suspended `k` times, then drops it, the way axum drops a
/// handler whose client went away. `Some` when it finished first.
async fn dropped_after<F: std::future::Future>(fut: F, k: usize) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut suspended = 0;
    std::future::poll_fn(|cx| match fut.as_mut().poll(cx) {
        std::task::Poll::Ready(v) => std::task::Poll::Ready(Some(v)),
        std::task::Poll::Pending if suspended >= k => std::task::Poll::Ready(None),
        std::task::Poll::Pending => {
            suspended += 1;
            std::task::Poll::Pending
        }
    })
    .await
}

/// A whole write (begin, insert, commit) that must finish within a second.
async fn write_within_a_second(db: &Db, n: i64, after: &str) {
    let done = tokio::time::timeout(Duration::from_secs(1), async {
        let mut tx = db.begin().await?;
        insert(&mut tx, n).await?;
        tx.commit().await
    })
    .await;
    match done {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("the write after {after} failed: {e}"),
        Err(_) => panic!("the write after {after} took more than a second"),
    }
}

on_both_databases!(a_write_dropped_at_any_await_point_leaves_no_lock_behind);
async fn a_write_dropped_at_any_await_point_leaves_no_lock_behind(backend: Backend) {
    let (url, _dir) = fresh_database(backend).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    by_hand(&db, "CREATE TABLE wtest (n BIGINT PRIMARY KEY)").await;

    let mut written = vec![];
    for k in 0..12 {
        // `begin` given up after k suspensions (a transaction it opened is undone).
        if let Some(Ok(mut tx)) = dropped_after(db.begin(), k).await {
            insert(&mut tx, 10_000 + k as i64).await.unwrap();
        }
        let n = 100 * k as i64;
        write_within_a_second(&db, n, &format!("a begin dropped after {k} suspensions")).await;
        written.push(n);

        // `commit` given up after k suspensions (whether it then lands is not promised).
        let mut tx = db.begin().await.unwrap();
        insert(&mut tx, 20_000 + k as i64).await.unwrap();
        let _ = dropped_after(tx.commit(), k).await;
        write_within_a_second(&db, n + 1, &format!("a commit dropped after {k} suspensions")).await;
        written.push(n + 1);

        // Two writers, so the second joins the first one's batch and a finisher commits.
        let (a, b) = (db.clone(), db.clone());
        let first = tokio::spawn(async move {
            let mut tx = a.begin().await.unwrap();
            insert(&mut tx, 30_000 + k as i64).await.unwrap();
            tokio::task::yield_now().await;
            let _ = dropped_after(tx.commit(), k).await;
        });
        let second = tokio::spawn(async move {
            let mut tx = b.begin().await.unwrap();
            insert(&mut tx, 40_000 + k as i64).await.unwrap();
            let _ = dropped_after(tx.commit(), k / 2).await;
        });
        first.await.unwrap();
        second.await.unwrap();
        write_within_a_second(&db, n + 2, &format!("two commits dropped after {k} suspensions")).await;
        written.push(n + 2);
    }
    let stored = numbers(&url).await;
    for n in &written {
        assert!(stored.contains(n), "acknowledged write {n} is missing");
    }
    assert!(!stored.iter().any(|n| (10_000..20_000).contains(n)), "a begin nobody received wrote something: {stored:?}");

    // Nothing in the pool still holds the write lock: a second process writes at once.
    let other = Db::connect(&url).await.unwrap();
    write_within_a_second(&other, 99_999, "the storm, from another connection pool").await;
    other.close().await;
    db.close().await;
}

/// SQLite only: there an open transaction holds the one write lock of the whole database. On
/// PostgreSQL every transaction is sqlx's own, which rolls back when dropped (and the
/// architecture test allows no hand-written `BEGIN` outside the SQLite writer).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_never_goes_back_to_the_pool_inside_a_transaction() {
    let (url, _dir) = fresh_database(Backend::Sqlite).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    by_hand(&db, "CREATE TABLE wtest (n BIGINT PRIMARY KEY)").await;
    let Db::Sqlite(s) = &db else { unreachable!() };
    // Code that forgets the writer and begins by hand on a reader: readers cannot write, so
    // they can never hold the write lock (and need no rollback as they come back).
    let mut conn = s.pool.acquire().await.unwrap();
    let refused = async {
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO wtest (n) VALUES (6)").execute(&mut *conn).await
    }
    .await;
    assert!(refused.is_err(), "a reader took the write lock and wrote");
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    drop(conn);
    // The same on the writers' pool, then the connection lost half way: it is rolled back
    // as it comes back to the pool.
    let mut conn = s.write_pool.acquire().await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await.unwrap();
    sqlx::query("INSERT INTO wtest (n) VALUES (7)").execute(&mut *conn).await.unwrap();
    drop(conn);
    let other = Db::connect(&url).await.unwrap();
    write_within_a_second(&other, 1, "a connection went back to the pool inside a transaction").await;
    other.close().await;
    for _ in 0..8 {
        write_within_a_second(&db, 0, "a connection went back to the pool inside a transaction").await;
        by_hand(&db, "DELETE FROM wtest WHERE n = 0").await;
    }
    assert_eq!(numbers(&url).await, vec![1], "the abandoned transaction was rolled back");
    db.close().await;
}
