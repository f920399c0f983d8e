//! The command line, run as a user would: the real binary in a temporary directory.

use std::process::Command;

fn rapport(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.current_dir(dir).env_remove("RAPPORT_DATABASE_URL").env_remove("RAPPORT_CONFIG").arg("--data-dir").arg(dir.join("data"));
    c
}

#[test]
fn config_example_prints_every_setting() {
    let dir = tempfile::tempdir().unwrap();
    let out = rapport(dir.path()).args(["config", "example"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for key in ["bind", "data_dir", "database_url", "public_url", "session_days", "login_max_failures"] {
        assert!(text.contains(&format!("# {key} = ")), "{key} missing");
    }
}

#[test]
fn people_import_reports_problems_with_file_line_and_column_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let admin = rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name,email,title,manager_email,timezone\nGrace,grace@example.com,,,UTC\nLin,lin@,,,UTC\n").unwrap();
    let out = rapport(dir.path()).args(["people", "import"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Nothing was imported"), "{err}");
    assert!(err.contains("bad.csv:line 3, column 2 (email)"), "{err}");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, "name,email,title,manager_email,timezone\nGrace,grace@example.com,,ada@example.com,UTC\n").unwrap();
    let out = rapport(dir.path()).args(["people", "import"]).arg(&good).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("1 added, 0 updated"));
    let list = rapport(dir.path()).args(["people", "list"]).output().unwrap();
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(text.contains("grace@example.com") && text.contains("ada@example.com"));
    assert_eq!(text.lines().next(), Some("name\temail\ttitle\ttime zone"), "a header row first: {text}");
}

#[test]
fn each_command_s_help_shows_its_own_options_and_the_global_ones_once() {
    let dir = tempfile::tempdir().unwrap();
    let help = |args: &[&str]| {
        let out = rapport(dir.path()).args(args).arg("--help").output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let import = help(&["people", "import"]);
    assert!(import.lines().count() < 30, "{} lines:\n{import}", import.lines().count());
    for wanted in ["--dry-run", "--data-dir", "--database-url", "--config "] {
        assert_eq!(import.matches(wanted).count(), 1, "{wanted} once in:\n{import}");
    }
    assert!(import.contains("<FILE>  The CSV file to read"), "{import}");
    for server_only in ["SMTP", "--bind", "--mail-host", "--public-url", "--webhook", "--metrics-token"] {
        assert!(!import.contains(server_only), "{server_only} in:\n{import}");
    }
    let upcoming = help(&["meetings", "upcoming"]);
    assert!(upcoming.contains("--email") && upcoming.contains("How many 1:1s to show"), "{upcoming}");
    let serve = help(&["serve"]);
    for option in ["--bind", "--mail-host", "--public-url", "--metrics-token", "--data-dir"] {
        assert!(serve.contains(option), "{option} in:\n{serve}");
    }
    // The global options work before the command and after it.
    let before = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .current_dir(dir.path())
        .env_remove("RAPPORT_DATABASE_URL")
        .env_remove("RAPPORT_CONFIG")
        .args(["--data-dir", "elsewhere", "migrate"])
        .output()
        .unwrap();
    assert!(before.status.success(), "{}", String::from_utf8_lossy(&before.stderr));
    assert!(dir.path().join("elsewhere").exists());
}

#[test]
fn the_demo_is_the_same_for_the_same_seed() {
    let list = |seed: &str| {
        let dir = tempfile::tempdir().unwrap();
        let out = rapport(dir.path()).args(["demo", "--people", "50", "--seed", seed]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stdout).contains("50 people"));
        String::from_utf8(rapport(dir.path()).args(["people", "list"]).output().unwrap().stdout).unwrap()
    };
    let (a, b, c) = (list("7"), list("7"), list("8"));
    assert_eq!(a.lines().count(), 51, "a header row and 50 people");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn the_demo_refuses_an_instance_with_people_in_it() {
    let dir = tempfile::tempdir().unwrap();
    assert!(rapport(dir.path()).arg("demo").output().unwrap().status.success());
    let again = rapport(dir.path()).arg("demo").output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has people"));
}

#[test]
fn a_database_password_never_appears_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        rapport(dir.path()).args(["migrate", "--database-url", "postgres://rapport:hunter2-secret@127.0.0.1:1/rapport"]).output().unwrap();
    assert!(!out.status.success());
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(all.contains("cannot open the database postgres://rapport:***@127.0.0.1:1/rapport"), "{all}");
    assert!(!all.contains("hunter2"), "{all}");
}

#[test]
fn review_packet_prints_markdown_json_and_html_for_a_person_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let admin = rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,email,title,manager_email,timezone\nGrace Hopper,grace@example.com,,ada@example.com,UTC\n").unwrap();
    assert!(rapport(dir.path()).args(["people", "import"]).arg(&csv).output().unwrap().status.success());
    let bad = rapport(dir.path()).args(["review", "add-period", "H1", "--start", "2026-06-30", "--end", "2026-01-01"]).output().unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ends before it starts"));
    let ok = rapport(dir.path()).args(["review", "add-period", "H1", "--start", "2026-01-01", "--end", "2026-06-30"]).output().unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let md = rapport(dir.path()).args(["review", "packet", "grace@example.com", "--period", "H1"]).output().unwrap();
    assert!(md.status.success(), "{}", String::from_utf8_lossy(&md.stderr));
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# Review packet: Grace Hopper") && md.contains("Manager: Ada"), "{md}");
    let json = rapport(dir.path()).args(["review", "packet", "grace@example.com", "--period", "h1", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["period"]["name"], "H1");
    let html = rapport(dir.path()).args(["review", "packet", "grace@example.com", "--period", "H1", "--format", "html"]).output().unwrap();
    assert!(String::from_utf8(html.stdout).unwrap().contains("@media print"));
    // Acting as someone who may not read it: refused.
    let other =
        rapport(dir.path()).args(["review", "packet", "ada@example.com", "--period", "H1", "--as", "grace@example.com"]).output().unwrap();
    assert!(!other.status.success());
}

#[test]
fn templates_import_reports_problems_with_file_line_and_column_and_exports_back() {
    let dir = tempfile::tempdir().unwrap();
    let admin = rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    let bad = dir.path().join("mine.md");
    std::fs::write(&bad, "# Quarter start\n- [strategy] Hello {teamate}\n").unwrap();
    let out = rapport(dir.path()).args(["templates", "import", "--as", "ada@example.com"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Nothing was imported"), "{err}");
    assert!(err.contains("mine.md:line 2, column 20 (prompt)") && err.contains("{teamate}"), "{err}");

    std::fs::write(&bad, "# Quarter start\n- [strategy] Hello {teammate}\n").unwrap();
    let dry = rapport(dir.path()).args(["templates", "import", "--dry-run", "--as", "ada@example.com"]).arg(&bad).output().unwrap();
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8(dry.stdout).unwrap().contains("Nothing was changed"));
    let export =
        |format: &str| rapport(dir.path()).args(["templates", "export", "--as", "ada@example.com", "--format", format]).output().unwrap();
    assert_eq!(String::from_utf8(export("md").stdout).unwrap(), "", "a dry run adds nothing");
    let out = rapport(dir.path()).args(["templates", "import", "--as", "ada@example.com"]).arg(&bad).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("Imported 1 template(s)"));
    assert_eq!(String::from_utf8(export("md").stdout).unwrap(), "# Quarter start\n- [strategy] Hello {teammate}\n");
}

#[test]
fn strategy_place_says_why_when_there_is_no_one_to_reach() {
    let dir = tempfile::tempdir().unwrap();
    let admin = rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    for dry in [true, false] {
        let mut c = rapport(dir.path());
        c.args(["strategy", "place", "--as", "ada@example.com", "Our Q1 goals"]);
        if dry {
            c.arg("--dry-run");
        }
        let out = c.output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        if dry {
            assert!(out.status.success() && err.contains("next 1:1 of 0 pairs"), "{err}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{err}");
            assert!(err.contains("No one reports to you"), "{err}");
        }
    }
    let out = rapport(dir.path()).args(["strategy", "place", "--as", "nobody@example.com", "x"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("no one with the e-mail nobody@example.com"));
}

#[test]
fn people_list_refuses_a_search_longer_than_200_characters() {
    let dir = tempfile::tempdir().unwrap();
    let admin = rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(admin.status.success(), "{}", String::from_utf8_lossy(&admin.stderr));
    for n in [201, 50_000] {
        let out = rapport(dir.path()).args(["people", "list", "--search"]).arg("a".repeat(n)).output().unwrap();
        assert!(!out.status.success(), "{n} characters");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("--search") && err.contains("200 characters"), "{n}: {err}");
        assert!(!err.contains("LIKE"), "{err}");
    }
    let out = rapport(dir.path()).args(["people", "list", "--search"]).arg("d".repeat(200)).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

const WAL_LIMIT: u64 = 64 * 1024 * 1024;

/// The size of the data directory's write-ahead logs now (0 when there are none): the
/// database's, and that of anything made beside it.
fn wal_now(dir: &std::path::Path) -> u64 {
    let Ok(files) = std::fs::read_dir(dir.join("data")) else { return 0 };
    files.flatten().filter(|f| f.file_name().to_string_lossy().ends_with("-wal")).filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum()
}

/// Runs `command` while a thread samples the write-ahead log's size every 50 ms: its output
/// and the largest size seen.
fn largest_wal_during(dir: &std::path::Path, command: &mut Command) -> (std::process::Output, u64) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let (watching, at) = (stop.clone(), dir.to_path_buf());
    let watcher = std::thread::spawn(move || {
        let mut largest = 0;
        while !watching.load(Ordering::Relaxed) {
            largest = largest.max(wal_now(&at));
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        largest
    });
    let out = command.output().unwrap();
    stop.store(true, Ordering::Relaxed);
    (out, watcher.join().unwrap())
}

#[test]
fn a_large_demo_keeps_the_write_ahead_log_small_and_leaves_none_behind() {
    let dir = tempfile::tempdir().unwrap();
    // About 240 MB of log when written in one transaction.
    let (out, largest) = largest_wal_during(dir.path(), rapport(dir.path()).args(["demo", "--people", "2000", "--years", "1"]));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(largest <= WAL_LIMIT, "the write-ahead log reached {largest} bytes during the demo (limit {WAL_LIMIT})");
    assert_eq!(wal_now(dir.path()), 0, "the demo left a write-ahead log behind");
    let list = rapport(dir.path()).args(["people", "list"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&list.stdout).lines().count(), 2001, "a header row and 2000 people");
}

#[test]
fn every_command_that_writes_closes_the_database_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,email,title,manager_email,timezone\nGrace,grace@example.com,,ada@example.com,UTC\n").unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["migrate"],
        vec!["admin", "create", "--name", "Ada", "--email", "ada@example.com"],
        vec!["people", "import", csv.to_str().unwrap()],
        vec!["token", "create", "--email", "grace@example.com", "--name", "laptop"],
        vec!["token", "sign-out-everywhere", "--email", "grace@example.com"],
        vec!["jobs", "run"],
    ];
    for args in commands {
        let out = rapport(dir.path()).args(&args).env("RAPPORT_ADMIN_PASSWORD", "a long enough password").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(wal_now(dir.path()), 0, "`rapport {}` left a write-ahead log behind", args.join(" "));
    }
    let fresh = tempfile::tempdir().unwrap();
    assert!(rapport(fresh.path()).arg("demo").output().unwrap().status.success());
    assert_eq!(wal_now(fresh.path()), 0, "`rapport demo` left a write-ahead log behind");
}

/// People in the data directory's database, read beside whoever is writing it (0 when it has
/// none yet, or no table yet).
fn people_in(dir: &std::path::Path) -> i64 {
    let db = dir.join("data/rapport.db");
    if !db.exists() {
        return 0;
    }
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::Connection as _;
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&db).read_only(true);
        let Ok(mut c) = sqlx::SqliteConnection::connect_with(&opts).await else { return 0 };
        let n = sqlx::query_scalar("SELECT COUNT(*) FROM person").fetch_one(&mut c).await.unwrap_or(0);
        let _ = c.close().await;
        n
    })
}

/// A large demo stopped half way (the machine went down, someone pressed Ctrl-C) leaves the
/// instance as it was: empty, and a demo can be made in it again. It is made beside the
/// database and moved in whole.
#[test]
fn a_large_demo_stopped_half_way_leaves_the_instance_empty() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = rapport(dir.path())
        .args(["demo", "--people", "2000", "--years", "2"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Until it is well under way: its people are written (in place or beside).
    let beside = dir.path().join("data/rapport.db.loading");
    let started = std::time::Instant::now();
    while people_in(dir.path()) == 0 && !beside.exists() {
        assert!(started.elapsed() < std::time::Duration::from_secs(60), "the demo never started");
        assert!(child.try_wait().unwrap().is_none(), "the demo ended before it could be stopped");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the demo ended before it could be stopped");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(people_in(dir.path()), 0, "a demo stopped half way left people in the instance");
    let again = rapport(dir.path()).args(["demo", "--people", "30"]).output().unwrap();
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(people_in(dir.path()), 30);
    assert!(!beside.exists(), "the half-made load was left beside the database");
}

/// The large demo replaces the database file whole, so it refuses while a server has that
/// database open (the server would go on writing to the file replaced), and changes nothing.
#[test]
fn a_large_demo_refuses_a_database_a_server_has_open() {
    let dir = tempfile::tempdir().unwrap();
    assert!(rapport(dir.path()).arg("migrate").output().unwrap().status.success());
    let mut server = rapport(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let shm = dir.path().join("data/rapport.db-shm");
    let started = std::time::Instant::now();
    while !shm.exists() {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "the server never opened the database");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = rapport(dir.path()).args(["demo", "--people", "30"]).output().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(!out.status.success(), "the demo replaced a database a server had open");
    assert!(String::from_utf8_lossy(&out.stderr).contains("another program has"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(people_in(dir.path()), 0);
    assert!(!dir.path().join("data/rapport.db.loading").exists());
}
