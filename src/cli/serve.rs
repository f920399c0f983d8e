//! `rapport serve`: the web app and the API until a signal stops it.

use super::{open, print_sign_ins};
use crate::config::Config;
use crate::demo::{self, DemoOptions};
use anyhow::Context;
use std::time::Instant;

pub(super) async fn serve(config: Config, with_demo: bool, migrate: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let app = open(&config, migrate).await?;
    if with_demo {
        if app.has_no_people().await? {
            let s = demo::generate(&app, DemoOptions { progress: false, ..Default::default() }).await?;
            println!("Filled the database with the demo organisation ({} people).", s.people);
            print_sign_ins(&s.sign_ins);
        } else if app.person_for_command(&demo::small_demo_sign_ins()[0].1).await?.is_some() {
            print_sign_ins(&demo::small_demo_sign_ins());
        } else {
            println!("This instance already has people in it, so no demo data was added.");
        }
    }
    let listener = tokio::net::TcpListener::bind(&config.bind).await.with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    // Housekeeping: expired sessions and old sign-in attempts, hourly.
    let sweeper = app.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = sweeper.clean_up().await {
                tracing::warn!(error = %e, "housekeeping failed");
            }
        }
    });
    tracing::info!(address = %addr, database = app.db.backend_name(), startup_ms = started.elapsed().as_millis() as u64, "rapport is listening");
    println!("rapport is running at http://{addr}/ ({} database). Press Ctrl+C to stop.", app.db.backend_name());
    // The job worker: reminders and messages, until shutdown (a job in flight when the process
    // dies is taken over by any instance once its lease runs out).
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(app.clone().work(format!("{}-{}", addr, std::process::id()), stopped));
    let db = app.db.clone();
    crate::web::serve(app, listener, shutdown_signal()).await?;
    let _ = stop.send(true);
    let _ = worker.await;
    db.close().await;
    Ok(())
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
