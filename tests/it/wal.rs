//! SQLite's write-ahead log stays small under sustained writes, also while a reader holds a
//! long read transaction (which keeps any checkpoint from finishing while it lasts).

use crate::support::{Backend, a_manager_with_a_report, spawn, upcoming, weekly_one_on_ones};
use rapport::app::meetings::NoteSaved;
use sqlx::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

const LIMIT: u64 = 64 * 1024 * 1024;

/// Samples the size of `wal` every 20 ms until `stop`: the largest size seen.
fn watch_wal(wal: std::path::PathBuf, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut largest = 0;
        while !stop.load(Ordering::Relaxed) {
            largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
            std::thread::sleep(Duration::from_millis(20));
        }
        largest
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sustained_writes_with_a_long_reader_keep_the_log_under_its_limit() {
    let t = spawn(Backend::Sqlite).await;
    let pair = a_manager_with_a_report(&t).await;
    let series = weekly_one_on_ones(&t, &pair.manager, &pair.teammate, t.tomorrow()).await;
    let meetings = upcoming(&t, &pair.manager, series).await;
    let file = t.db_url.strip_prefix("sqlite:").unwrap().to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch_wal(format!("{file}-wal").into(), stop.clone());

    // A reader that, now and then, keeps a read transaction open for 1.5 s.
    let reading = stop.clone();
    let reader_file = file.clone();
    let reader = tokio::spawn(async move {
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite:{reader_file}")).await.unwrap();
        let mut held = 0;
        while !reading.load(Ordering::Relaxed) {
            sqlx::query("BEGIN").execute(&mut c).await.unwrap();
            let _: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM note").fetch_one(&mut c).await.unwrap();
            tokio::time::sleep(Duration::from_millis(1500)).await;
            sqlx::query("COMMIT").execute(&mut c).await.unwrap();
            held += 1;
            tokio::time::sleep(Duration::from_millis(1000)).await;
        }
        held
    });

    // Four writers, each in a meeting of its own, saving 20,000-character notes (each save writes the note, a revision and
    // its search text): about 200 MB of log in all.
    let saved = Arc::new(AtomicU64::new(0));
    let mut writers = vec![];
    for (w, meeting) in meetings.iter().take(4).enumerate() {
        let (app, manager, saved, meeting) = (t.app.clone(), pair.manager.clone(), saved.clone(), meeting.id);
        writers.push(tokio::spawn(async move {
            let mut version = 0;
            for i in 0..300usize {
                let body: String = format!("Writer {w}, save {i}. ").repeat(20_000 / 24).chars().take(19_990).collect();
                match app.save_note(&manager, meeting, false, &body, version).await.expect("saved") {
                    NoteSaved::Saved(n) => version = n.version,
                    other => panic!("not saved: {other:?}"),
                }
                saved.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let held = reader.await.unwrap();
    let largest = watcher.join().unwrap();
    assert_eq!(saved.load(Ordering::Relaxed), 1200);
    assert!(held >= 2, "the reader held its transaction {held} times");
    assert!(largest <= LIMIT, "the write-ahead log reached {largest} bytes (limit {LIMIT})");
}
