//! A real rapport server per test, on SQLite (a file in a temporary directory) or on the
//! PostgreSQL server named by RAPPORT_TEST_PG_URL (a fresh database per test). `scripts/test`
//! starts a throwaway PostgreSQL and sets that variable; without it the PostgreSQL variant of
//! every test fails and says so, rather than being skipped. A test's database goes when the
//! test ends (see [`Scratch`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rapport::app::App;
use rapport::app::accounts::NewAdmin;
use rapport::app::meetings::SeriesInput;
use rapport::app::people::PersonInput;
use rapport::clock::{Clock, FixedClock};
use rapport::config::Config;
use rapport::domain::meeting::{Meeting, Series, SeriesKind};
use rapport::domain::schedule::Cadence;
use rapport::domain::{Person, PersonId};
use rapport::store::Db;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub base: String,
    pub app: App,
    pub clock: FixedClock,
    pub db_url: String,
    _server: tokio::task::JoinHandle<()>,
    // Last, so that it goes after the server: the database of the test.
    _dir: Option<Scratch>,
}

/// What a test's database leaves behind, removed when it is dropped: the temporary directory
/// of a SQLite file, or a PostgreSQL database (dropped, WITH (FORCE), over a connection of its
/// own, so that a run leaves no test databases on the server).
pub enum Scratch {
    Dir { _dir: tempfile::TempDir },
    Database { server: String, name: String },
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let Scratch::Database { server, name } = self else { return };
        let (server, name) = (server.clone(), name.clone());
        // Drop is synchronous and may run on the test's runtime: a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                let Ok(Db::Postgres(p)) = Db::connect(&server).await else { return };
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&p).await;
                p.close().await;
            })
        });
        let _ = dropped.join();
    }
}

pub const PASSWORD: &str = "a long test password";

pub fn pg_server_url() -> String {
    std::env::var("RAPPORT_TEST_PG_URL").unwrap_or_else(|_| {
        panic!("RAPPORT_TEST_PG_URL is not set: PostgreSQL tests need a server. Run `scripts/test`, which starts one, or point RAPPORT_TEST_PG_URL at a server you run.")
    })
}

/// A new, empty database for one test: a SQLite file, or a PostgreSQL database. Both go when
/// the [`Scratch`] is dropped: keep it (not `_`) as long as the database is used.
pub async fn fresh_database(backend: Backend) -> (String, Option<Scratch>) {
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            (rapport::store::sqlite_url_for(dir.path()), Some(Scratch::Dir { _dir: dir }))
        }
        Backend::Postgres => {
            let server = pg_server_url();
            let name = format!("rt_{}", uuid::Uuid::new_v4().simple());
            let admin = Db::connect(&server).await.unwrap_or_else(|e| panic!("cannot reach PostgreSQL at RAPPORT_TEST_PG_URL: {e}"));
            if let Db::Postgres(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(p).await.expect("create test database");
            }
            admin.close().await;
            let (prefix, _) = server.rsplit_once('/').expect("URL has a database part");
            (format!("{prefix}/{name}"), Some(Scratch::Database { server, name }))
        }
    }
}

pub async fn spawn(backend: Backend) -> TestApp {
    spawn_with(backend, Config::default()).await
}

pub async fn spawn_with(backend: Backend, config: Config) -> TestApp {
    let (db_url, dir) = fresh_database(backend).await;
    spawn_on(&db_url, dir, config).await
}

/// A server on an existing database (for several instances sharing one).
pub async fn spawn_on(db_url: &str, dir: Option<Scratch>, config: Config) -> TestApp {
    let db = Db::connect(db_url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let clock = FixedClock::new(rapport::clock::Clock::now(&rapport::clock::SystemClock));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    // Like `rapport serve`: the bind address is the one listened on (links use it when no
    // public URL is configured).
    let config = Config { bind: listener.local_addr().expect("addr").to_string(), ..config };
    let app = App::new(db, config).with_clock(Arc::new(clock.clone()));
    let served = app.clone();
    let server = tokio::spawn(async move {
        let _ = rapport::web::serve(served, listener, std::future::pending()).await;
    });
    TestApp { base, app, clock, db_url: db_url.to_string(), _server: server, _dir: dir }
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub fn plain() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// The `_csrf` value in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..start + 64].to_string()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The first admin, made through the use case (the setup page has its own test).
    pub async fn admin(&self) -> Person {
        self.app
            .create_first_admin(NewAdmin {
                name: "Ada Admin".into(),
                email: "ada@example.com".into(),
                password: PASSWORD.into(),
                timezone: "Europe/London".into(),
                title: "Director".into(),
            })
            .await
            .expect("first admin")
    }

    /// A person who can sign in with [`PASSWORD`], reporting to `manager`.
    pub async fn person(&self, admin: &Person, name: &str, manager: Option<PersonId>) -> Person {
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let p = self
            .app
            .create_person(
                admin,
                PersonInput {
                    name: name.into(),
                    email,
                    title: "Engineer".into(),
                    timezone: "UTC".into(),
                    manager_id: manager,
                    is_admin: false,
                },
            )
            .await
            .expect("person");
        let inv = self.app.invite(admin, p.id).await.expect("invite");
        self.app.accept_invitation(&inv.token, PASSWORD).await.expect("accept");
        rapport::store::people::get(&self.app.db, p.id).await.unwrap().unwrap()
    }

    /// A browser signed in as `email`, and its CSRF token.
    pub async fn signed_in(&self, email: &str) -> (reqwest::Client, String) {
        let c = browser();
        let r = c.post(self.url("/sign-in")).form(&[("email", email), ("password", PASSWORD), ("next", "/people")]).send().await.unwrap();
        assert_eq!(r.status(), 303, "sign-in as {email} failed");
        let page = c.get(self.url("/people")).send().await.unwrap().text().await.unwrap();
        (c, csrf_in(&page))
    }

    /// The day after today, by the test's clock.
    pub fn tomorrow(&self) -> NaiveDate {
        Clock::now(&self.clock).date_naive() + Duration::days(1)
    }

    /// An API token for `person`.
    pub async fn token(&self, person: &Person) -> String {
        self.app.create_token(person, "test").await.expect("token").token
    }
}

/// Runs an async test body against SQLite and against PostgreSQL, as two tests named
/// `<name>::sqlite` and `<name>::postgres`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::support::spawn($crate::support::Backend::Sqlite).await).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::support::spawn($crate::support::Backend::Postgres).await).await
            }
        }
    )*};
}

// ---- The people and the 1:1s that tests start from ----

/// A moment, from RFC 3339 text.
pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A date, from `YYYY-MM-DD`.
pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A day as the app takes it from a form (`YYYY-MM-DD`, within the years a `Day` allows).
pub fn a_day(s: &str) -> rapport::domain::day::Day {
    s.parse().unwrap()
}

/// A small organisation: Ada (the admin, at the top); Vera, who reports to Ada; Emil, who
/// reports to Vera; Ivy, who reports to Emil (so Vera is her skip-level leader); and Otto, who
/// reports to Ada and is unrelated to Emil's team.
pub struct Org {
    pub ada: Person,
    pub vera: Person,
    pub emil: Person,
    pub ivy: Person,
    pub otto: Person,
}

pub async fn an_organisation(t: &TestApp) -> Org {
    let ada = t.admin().await;
    let vera = t.person(&ada, "Vera Vp", Some(ada.id)).await;
    let emil = t.person(&ada, "Emil Manager", Some(vera.id)).await;
    let ivy = t.person(&ada, "Ivy Coder", Some(emil.id)).await;
    let otto = t.person(&ada, "Otto Other", Some(ada.id)).await;
    Org { ada, vera, emil, ivy, otto }
}

impl Org {
    /// Someone more, added by Ada, who reports to `manager` and can sign in.
    pub async fn hires(&self, t: &TestApp, name: &str, manager: &Person) -> Person {
        t.person(&self.ada, name, Some(manager.id)).await
    }
}

/// A manager (Maria, who reports to the admin), her report (Tom) and someone unrelated
/// (Olga, who reports to the admin), all able to sign in.
pub struct Pair {
    pub admin: Person,
    pub manager: Person,
    pub teammate: Person,
    pub outsider: Person,
}

pub async fn a_manager_with_a_report(t: &TestApp) -> Pair {
    let admin = t.admin().await;
    let manager = t.person(&admin, "Maria Manager", Some(admin.id)).await;
    let teammate = t.person(&admin, "Tom Teammate", Some(manager.id)).await;
    let outsider = t.person(&admin, "Olga Outsider", Some(admin.id)).await;
    Pair { admin, manager, teammate, outsider }
}

/// Weekly 30-minute 1:1s of `manager` with `teammate` at 10:00 UTC from `first` ("2026-03-04"):
/// the series' id.
pub async fn weekly_from(t: &TestApp, manager: &Person, teammate: &Person, first: &str) -> uuid::Uuid {
    t.app.create_series(manager, weekly_at_ten(teammate, day(first), "UTC")).await.unwrap().id
}

/// What starts weekly 30-minute 1:1s with `teammate` from `first`, at 10:00 in `zone`.
pub fn weekly_at_ten(teammate: &Person, first: NaiveDate, zone: &str) -> SeriesInput {
    SeriesInput {
        teammate_id: teammate.id,
        kind: SeriesKind::Regular,
        cadence: Cadence::Weekly,
        first_date: first,
        time: "10:00".into(),
        timezone: zone.into(),
        duration_minutes: 30,
    }
}

/// `manager` starts weekly 1:1s with `teammate` from `first` at 10:00 UTC: the series' id.
pub async fn weekly_one_on_ones(t: &TestApp, manager: &Person, teammate: &Person, first: NaiveDate) -> Uuid {
    t.app.create_series(manager, weekly_at_ten(teammate, first, "UTC")).await.expect("series").id
}

/// The meetings to come of `series`, as `who` sees them.
pub async fn upcoming(t: &TestApp, who: &Person, series: Uuid) -> Vec<Meeting> {
    t.app.series_view(who, series, None).await.expect("series view").upcoming
}

/// Mia (a manager with no manager) and Tom, her report, with their weekly 1:1s.
pub struct WeeklyPair {
    pub admin: Person,
    pub mia: Person,
    pub tom: Person,
    pub series: Series,
}

/// Mia and Tom meet weekly on Tuesdays at 10:00 in Berlin from 13 October 2026, across the end
/// of summer time on 25 October. The clock is 1 October, 09:00 UTC.
pub async fn mia_meets_tom_weekly_in_berlin(t: &TestApp) -> WeeklyPair {
    t.clock.set(at("2026-10-01T09:00:00Z"));
    let admin = t.admin().await;
    let mia = t.person(&admin, "Mia Manager", None).await;
    let tom = t.person(&admin, "Tom Teammate", Some(mia.id)).await;
    let series = t.app.create_series(&mia, weekly_at_ten(&tom, day("2026-10-13"), "Europe/Berlin")).await.expect("series");
    WeeklyPair { admin, mia, tom, series }
}

/// SQL statements counted as sqlx logs them (`sqlx::query` events; `RAPPORT_SHOW_STATEMENTS=1`
/// prints them), transaction control left out, for tests that a page's
/// statements do not grow with the length of a history or the number of series. Each test runs
/// in its own process, so one global count serves it.
pub mod statements {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tracing_subscriber::layer::{Context, Layer};

    static COUNT: AtomicUsize = AtomicUsize::new(0);
    /// Of those counted, the statements that write (INSERT, UPDATE, DELETE, a savepoint).
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    /// The rows the counted statements returned.
    static ROWS: AtomicUsize = AtomicUsize::new(0);
    /// The text of each statement counted, for [`texts_of`].
    static TEXTS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    /// The span whose statements are counted: the server's "request" unless [`count_in`] names another.
    static SPAN: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

    struct Count;

    impl<S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>> Layer<S> for Count {
        fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
            if !event.metadata().target().starts_with("sqlx::query") {
                return;
            }
            // Only what a request runs (or, after `count_in`, what runs in the span it names):
            // the scheduler's passes and the test's own set-up run outside the server's
            // "request" span, whenever they happen to.
            let name = *SPAN.get_or_init(|| "request");
            let in_span = ctx.event_scope(event).is_some_and(|mut scope| scope.any(|span| span.name() == name));
            if !in_span {
                return;
            }
            struct Sql(String, String, u64);
            impl tracing::field::Visit for Sql {
                fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                    match f.name() {
                        "summary" => self.0 = format!("{v:?}"),
                        "db.statement" => self.1 = format!("{v:?}"),
                        _ => {}
                    }
                }
                fn record_u64(&mut self, f: &tracing::field::Field, v: u64) {
                    if f.name() == "rows_returned" {
                        self.2 = v;
                    }
                }
            }
            let mut sql = Sql(String::new(), String::new(), 0);
            event.record(&mut sql);
            // A pooled SQLite connection is reset (ROLLBACK) when it goes back to the pool,
            // whenever that happens to be: not a statement the page asked for.
            // Nor is a new connection's set-up (PRAGMA …), run whenever the pool opens one.
            if ["\"ROLLBACK\"", "\"BEGIN\"", "\"COMMIT\""].contains(&sql.0.as_str()) || sql.0.starts_with("\"PRAGMA") {
                return;
            }
            // RAPPORT_SHOW_STATEMENTS=1 prints each statement's first words, =full the whole of it.
            match std::env::var("RAPPORT_SHOW_STATEMENTS").as_deref() {
                Ok("full") => eprintln!("statement: {}", if sql.1.is_empty() { &sql.0 } else { &sql.1 }),
                Ok(_) => eprintln!("statement: {}", sql.0),
                Err(_) => {}
            }
            let first = sql.0.trim_start_matches('"').to_ascii_uppercase();
            if ["INSERT", "UPDATE", "DELETE", "SAVEPOINT", "BEGIN IMMEDIATE"].iter().any(|w| first.starts_with(w)) {
                WRITES.fetch_add(1, Ordering::SeqCst);
            }
            COUNT.fetch_add(1, Ordering::SeqCst);
            ROWS.fetch_add(sql.2 as usize, Ordering::SeqCst);
            // The whole text (sqlx gives it Debug-quoted; short ones only as the summary).
            let text = if sql.1.is_empty() { &sql.0 } else { &sql.1 };
            let text = serde_json::from_str::<String>(text).unwrap_or_else(|_| text.trim_matches('"').to_string());
            TEXTS.lock().unwrap_or_else(|e| e.into_inner()).push(text.trim().to_string());
        }
    }

    /// Starts counting; panics when another subscriber was installed first (nothing would be counted).
    pub fn count() {
        count_in("request");
    }

    /// Starts counting the statements run inside spans named `span` (the scheduler's pass runs
    /// in "scheduler"); otherwise as [`count`].
    pub fn count_in(span: &'static str) {
        use tracing_subscriber::prelude::*;
        assert_eq!(*SPAN.get_or_init(|| span), span, "one span per test");
        tracing_subscriber::registry().with(Count).try_init().expect("the statement counter is the only subscriber");
    }

    /// Statements counted so far, and of them those that write.
    pub fn so_far() -> (usize, usize) {
        (COUNT.load(Ordering::SeqCst), WRITES.load(Ordering::SeqCst))
    }

    /// The statements and the rows they returned, for one run of `run`.
    pub async fn statements_and_rows<Fut: std::future::Future>(run: Fut) -> (usize, usize) {
        let (count, rows) = (COUNT.load(Ordering::SeqCst), ROWS.load(Ordering::SeqCst));
        run.await;
        (COUNT.load(Ordering::SeqCst) - count, ROWS.load(Ordering::SeqCst) - rows)
    }

    /// The text of each statement one run of `run` took, in order.
    pub async fn texts_of<Fut: std::future::Future>(run: Fut) -> Vec<String> {
        TEXTS.lock().unwrap_or_else(|e| e.into_inner()).clear();
        run.await;
        std::mem::take(&mut *TEXTS.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The fewest statements any of `tries` runs of `run` took (background work, such as the
    /// scheduler's passes, only ever adds).
    pub async fn fewest<F, Fut, T>(tries: usize, mut run: F) -> usize
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = T>,
    {
        let mut best = usize::MAX;
        for _ in 0..tries {
            let before = COUNT.load(Ordering::SeqCst);
            if std::env::var_os("RAPPORT_SHOW_STATEMENTS").is_some() {
                eprintln!("--- run");
            }
            run().await;
            best = best.min(COUNT.load(Ordering::SeqCst) - before);
        }
        best
    }
}

/// The Python with tests/py/requirements.txt installed (scripts/test puts it in target/pyenv;
/// RAPPORT_TEST_PYTHON may name another).
pub fn python() -> std::path::PathBuf {
    let repo = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p = std::env::var_os("RAPPORT_TEST_PYTHON").map(std::path::PathBuf::from).unwrap_or_else(|| repo.join("target/pyenv/bin/python"));
    assert!(
        p.exists(),
        "{} is missing: these tests need Python with tests/py/requirements.txt. Run scripts/test, which installs them into target/pyenv.",
        p.display()
    );
    p
}

// ---- The command line ----

/// The rapport binary, run in `dir` with its SQLite database in `dir/data` (whatever the
/// environment says of the database and the configuration).
pub fn rapport_cli(dir: &std::path::Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.current_dir(dir).env_remove("RAPPORT_DATABASE_URL").env_remove("RAPPORT_CONFIG").arg("--data-dir").arg(dir.join("data"));
    c
}

/// `rapport admin create` for Ada (ada@example.com) in `dir`'s database.
pub fn admin_ada_on_the_command_line(dir: &std::path::Path) {
    let admin = rapport_cli(dir)
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
}
