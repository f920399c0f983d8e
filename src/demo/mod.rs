//! Demo data: a small, realistic organisation for a first look (`rapport demo`,
//! `rapport serve --demo`), and a large one for benchmarks (`--people 10000 --years 5`).
//! The same seed always gives the same organisation, ids included.

mod growth;
mod guidance;
mod history;
mod pulse;
mod roster;

use crate::app::App;
use crate::domain::PersonId;
use crate::store::people::{self, NewPerson};
use chrono::{DateTime, Duration, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};

use guidance::guidance;
use roster::{FIRST, IC_TITLES, LAST, SMALL, ZONES, email_for};

/// Everyone in the demo signs in with this password.
pub const DEMO_PASSWORD: &str = "rapport-demo";
pub const DEMO_DOMAIN: &str = "demo.rapport.example";

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    /// 0 means the small hand-made organisation.
    pub people: usize,
    /// How far back people joined.
    pub years: u32,
    pub seed: u64,
    pub progress: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self { people: 0, years: 1, seed: 1, progress: true }
    }
}

/// Who to sign in as, printed after the demo is made.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub people: usize,
    pub sign_ins: Vec<(String, String)>,
}

/// SplitMix64: small, fast, and the same on every machine.
pub struct Rng(u64, u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15, 0)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn uuid(&mut self) -> uuid::Uuid {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        uuid::Builder::from_random_bytes(b).into_uuid()
    }
    /// A version-7 UUID that sorts after every one made before it by this generator, like
    /// the ids rapport makes itself. Bulk loads of such keys append to the indexes instead of
    /// writing all over them, which is what makes the large demo fast.
    pub fn ordered_uuid(&mut self) -> uuid::Uuid {
        self.1 += 1;
        let mut tail = [0u8; 10];
        tail.copy_from_slice(&self.next_u64().to_le_bytes().repeat(2)[..10]);
        // 2025-01-01 plus one millisecond per id: ordered, and in the past.
        uuid::Builder::from_unix_timestamp_millis(1_735_689_600_000 + self.1, &tail).into_uuid()
    }
}

/// Fills an empty instance. Refuses an instance that already has people, so a demo can
/// never mix with real data.
pub async fn generate(app: &App, opts: DemoOptions) -> anyhow::Result<DemoSummary> {
    if people::count(&app.db).await? > 0 {
        anyhow::bail!("this instance already has people in it; the demo only fills an empty one (use a new --data-dir or database)");
    }
    // One hash for everyone: hashing 10,000 passwords would take minutes, and these
    // accounts are for trying rapport out, not for real people.
    let hash = crate::app::secrets::hash_password(DEMO_PASSWORD.to_string()).await?;
    let mut rng = Rng::new(opts.seed);
    let epoch: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().expect("valid date");
    let span_days = (opts.years.max(1) as i64) * 365;

    let mut rows: Vec<NewPerson> = Vec::new();
    if opts.people == 0 {
        let ids: Vec<PersonId> = SMALL.iter().map(|_| PersonId(rng.uuid())).collect();
        for (i, (name, title, tz, mgr)) in SMALL.iter().enumerate() {
            let email = email_for(name, None);
            rows.push(NewPerson {
                id: ids[i],
                name: name.to_string(),
                email_lower: email.clone(),
                email,
                title: title.to_string(),
                timezone: roster_zone(tz),
                manager_id: mgr.map(|m| ids[m]),
                is_admin: i == 0 || *title == "IT Administrator",
                password_hash: Some(hash.clone()),
            });
        }
    } else {
        // A tree with ten reports per manager: person i reports to person (i - 1) / 10.
        let n = opts.people;
        let ids: Vec<PersonId> = (0..n).map(|_| PersonId(rng.uuid())).collect();
        for i in 0..n {
            let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
            let email = email_for(&name, Some(i));
            let is_manager = i * 10 + 1 < n;
            let title = match i {
                0 => "Chief Technology Officer".to_string(),
                1..=10 => "VP of Engineering".to_string(),
                _ if is_manager => "Engineering Manager".to_string(),
                _ => rng.pick(IC_TITLES).to_string(),
            };
            rows.push(NewPerson {
                id: ids[i],
                name,
                email_lower: email.clone(),
                email,
                title,
                timezone: roster_zone(rng.pick::<&str>(ZONES)),
                manager_id: if i == 0 { None } else { Some(ids[(i - 1) / 10]) },
                is_admin: i == 0,
                password_hash: Some(hash.clone()),
            });
        }
    }

    let bar = if opts.progress { ProgressBar::new(rows.len() as u64) } else { ProgressBar::hidden() };
    bar.set_style(ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({eta})").expect("valid template").progress_chars("=> "));
    bar.set_message("people");
    let mut tx = app.db.begin().await?;
    for (i, p) in rows.iter().enumerate() {
        // Managers are inserted before their reports (ids point backwards), so foreign keys hold.
        let joined = epoch - Duration::days(rng.below(span_days as usize) as i64);
        people::insert(&mut tx, p, joined).await?;
        if i % 250 == 0 {
            bar.set_position(i as u64);
        }
    }
    tx.commit().await?;
    bar.finish_with_message("people done");
    if opts.people == 0 {
        history::small(app, &rows, &mut rng).await?;
        growth::growth(app, &rows).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        guidance(app, &rows).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    } else {
        history::large(app, &rows, opts.years.max(1), &mut rng, opts.progress).await?;
    }
    crate::store::refresh_statistics(&app.db).await?;

    let sign_ins = if opts.people == 0 {
        vec![
            (format!("{} (director, admin)", SMALL[0].0), email_for(SMALL[0].0, None)),
            (format!("{} (manager)", SMALL[2].0), email_for(SMALL[2].0, None)),
            (format!("{} (teammate)", SMALL[11].0), email_for(SMALL[11].0, None)),
        ]
    } else {
        vec![("the CTO (admin)".to_string(), rows[0].email.clone()), ("a manager".to_string(), rows[1].email.clone())]
    };
    Ok(DemoSummary { people: rows.len(), sign_ins })
}

/// [`generate`] for a large organisation on SQLite, made beside `target` (the data directory's
/// database, empty, whose connections `app` holds and which this closes) and moved into place
/// whole when complete: written without a journal or flushes it takes a fraction of the time,
/// and a load that stops half way leaves the instance as it was.
pub async fn generate_beside(app: &App, target: &std::path::Path, opts: DemoOptions) -> anyhow::Result<DemoSummary> {
    if people::count(&app.db).await? > 0 {
        anyhow::bail!("this instance already has people in it; the demo only fills an empty one (use a new --data-dir or database)");
    }
    app.db.close().await;
    in_use_elsewhere(target)?;
    let loading = target.with_extension("db.loading");
    let _ = std::fs::remove_file(&loading);
    let db = crate::store::Db::connect_for_load(&loading).await?;
    let made = async {
        db.migrate().await?;
        let bulk = App::new(db.clone(), (*app.config).clone()).with_clock(app.clock.clone());
        generate(&bulk, opts).await
    }
    .await;
    db.close().await;
    match made {
        Ok(summary) => {
            move_into_place(&loading, target).await?;
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&loading);
            Err(e)
        }
    }
}

/// Refuses to replace a database another program has open (a running `rapport serve`, say):
/// SQLite removes a database's `-wal` and `-shm` files when its last connection closes, so
/// with ours closed, either one still there means someone else holds it.
fn in_use_elsewhere(target: &std::path::Path) -> anyhow::Result<()> {
    if ["-wal", "-shm"].iter().any(|s| std::path::Path::new(&format!("{}{s}", target.display())).exists()) {
        anyhow::bail!("another program has {} open (a running `rapport serve`?); stop it, then make the demo", target.display());
    }
    Ok(())
}

/// Puts a finished load in place of `target` (whose connections are closed): in WAL mode,
/// flushed to disk, then renamed over it in one step, so `target` is either the empty database
/// it was or the whole load.
async fn move_into_place(loaded: &std::path::Path, target: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context as _;
    crate::store::finish_load(loaded).await?;
    let flush = |p: &std::path::Path| std::fs::File::open(p).and_then(|f| f.sync_all());
    flush(loaded).with_context(|| format!("cannot flush {}", loaded.display()))?;
    in_use_elsewhere(target)?;
    std::fs::rename(loaded, target).with_context(|| format!("cannot move {} into place", loaded.display()))?;
    if let Some(dir) = target.parent() {
        let _ = flush(dir);
    }
    Ok(())
}

/// The sign-in details of an existing small demo, for `serve --demo` on a second start.
pub fn small_demo_sign_ins() -> Vec<(String, String)> {
    vec![
        (format!("{} (director, admin)", SMALL[0].0), email_for(SMALL[0].0, None)),
        (format!("{} (manager)", SMALL[2].0), email_for(SMALL[2].0, None)),
        (format!("{} (teammate)", SMALL[11].0), email_for(SMALL[11].0, None)),
    ]
}

/// A zone name from the roster; every one of them is checked by a test in `roster.rs`.
fn roster_zone(name: &str) -> crate::domain::Zone {
    crate::domain::Zone::parse(name).unwrap_or(crate::domain::Zone::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b, mut c) = (Rng::new(7), Rng::new(7), Rng::new(8));
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..5).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }
}
