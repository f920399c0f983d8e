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
    on_db!(&db, p => sqlx::query("CREATE TABLE wtest (n BIGINT PRIMARY KEY)").execute(p).await.map(|r| r.rows_affected())).unwrap();
    on_db!(&db, p => sqlx::query("INSERT INTO wtest (n) VALUES (1000)").execute(p).await.map(|r| r.rows_affected())).unwrap();

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
    on_db!(&db, p => sqlx::query("CREATE TABLE wtest (n BIGINT PRIMARY KEY)").execute(p).await.map(|r| r.rows_affected())).unwrap();

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
