//! Architecture invariants from ARCHITECTURE.md, checked on the source.

fn rust_files(dir: &str) -> Vec<(String, String)> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(path.to_str().unwrap()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

#[test]
fn the_domain_imports_no_web_or_database_crate() {
    for (file, text) in rust_files("src/domain") {
        for banned in ["axum::", "sqlx::", "askama::", "tokio::", "reqwest::", "crate::store", "crate::web", "crate::app"] {
            assert!(!text.contains(banned), "{file} mentions {banned}: the domain has no I/O");
        }
    }
}

#[test]
fn no_source_file_is_longer_than_a_newcomer_can_read_at_once() {
    // A file that grows past this is several modules waiting to be split, named after what
    // people do (ARCHITECTURE.md, "Code map").
    const MOST_LINES: usize = 800;
    let mut long: Vec<String> = rust_files("src")
        .into_iter()
        .filter(|(_, text)| text.lines().count() > MOST_LINES)
        .map(|(file, text)| format!("{file}: {} lines", text.lines().count()))
        .collect();
    long.sort();
    assert!(long.is_empty(), "split these files (at most {MOST_LINES} lines each): {long:?}");
}

#[test]
fn handlers_contain_no_sql() {
    for (file, text) in rust_files("src/web") {
        for sql in ["SELECT ", "INSERT INTO", "UPDATE person", "DELETE FROM", "sqlx::"] {
            assert!(!text.contains(sql), "{file} contains SQL ({sql}); SQL lives in src/store");
        }
    }
}

#[test]
fn the_web_layer_reaches_the_store_only_through_use_cases() {
    // Pages and the API call `app` use cases, which hand out app and domain types; neither
    // store row types, store errors nor the database pool appear in src/web.
    for (file, text) in rust_files("src/web") {
        for store in ["crate::store", "rapport::store", "app.db", "self.db"] {
            assert!(!text.contains(store), "{file} mentions {store}; the web layer goes through src/app");
        }
        let reaches_store = text.lines().any(|l| l.trim_start().starts_with("use crate::{") && l.contains("store"));
        assert!(!reaches_store, "{file} imports the store; the web layer goes through src/app");
    }
}

#[test]
fn the_command_line_reaches_the_store_only_to_connect() {
    // Commands call `app` use cases as the pages do. The command line opens the database (and
    // names it, password hidden, when that fails); nothing else of the store appears in
    // src/cli, and it renders nothing with the web layer's pages.
    const KEPT: &[&str] = &[
        "use crate::store::Db;",
        "let db = Db::connect(&url).await.with_context(|| format!(\"cannot open the database {}\", crate::store::redact_url(&url)))?;",
    ];
    for (file, text) in rust_files("src/cli") {
        for line in text.lines().map(str::trim).filter(|l| l.contains("store::") || l.contains("crate::{")) {
            assert!(KEPT.contains(&line), "{file}: `{line}`: the command line goes through src/app");
        }
        assert!(!text.contains("crate::web::pages"), "{file} renders with the web pages; shared renderers live outside src/web");
    }
}

#[test]
fn every_use_case_that_takes_an_actor_consults_the_policy() {
    // A public `pub async fn x(&self, actor: &Person, …)` in app/ must call `require` or
    // `require_admin` or go through another use case that does (`self.person`/`self.profile`).
    for (file, text) in rust_files("src/app") {
        // app/mod.rs holds the gate itself (`require`, `relation`).
        if file.ends_with("app/mod.rs") {
            continue;
        }
        let fns: Vec<&str> = text.split("pub async fn ").skip(1).collect();
        for f in fns {
            let signature = f.lines().next().unwrap_or("");
            if !signature.contains("actor: &Person") {
                continue;
            }
            let body_end = f.find("\n    }\n").unwrap_or(f.len());
            let body = &f[..body_end];
            let checked = [
                "self.require(",
                "self.require_at(",
                "self.require_admin(",
                "self.require_pair(",
                "self.require_program(",
                "self.load_meeting(",
                "self.load_point(",
                "self.load_kickoff(",
                "self.prepare_series(",
                "policy::allows(",
                // The pair's rule, asked per row where a view gathers several pairs (both end in
                // `policy::allows`).
                "self.may_read_pair(",
                "self.may_pair(",
                "self.person(actor",
                "self.profile(actor",
                "self.person(user",
                "self.invite_with(actor",
                "self.review_in_writing(actor",
            ]
            .iter()
            .any(|c| body.contains(c));
            // Reads whose query only ever returns the actor's own records: the directory (open to
            // everyone signed in), the actor's own series, meetings and actions (the query is
            // limited to series they are part of), and search (the access rule is inside the query).
            let scoped_to_actor = ["list_people", "my_series", "upcoming_meetings", "my_actions", "search"]
                .iter()
                .any(|f| signature.starts_with(&format!("{f}(")));
            assert!(checked || scoped_to_actor, "{file}: `{}` does not consult the access policy", signature.split('(').next().unwrap());
        }
    }
}

#[test]
fn only_the_sqlite_writer_begins_transactions_by_hand() {
    // On SQLite one connection holds the write lock from `BEGIN IMMEDIATE` to `COMMIT`; only
    // the writer (src/store/writer.rs) may open, end or nest a transaction itself, because
    // only it makes sure a transaction is always ended, whoever stops waiting. Everyone else
    // writes through `Db::begin` (or `on_write!`), which goes through the writer.
    let statements = ["BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE ", "END TRANSACTION", "START TRANSACTION"];
    for (file, text) in rust_files("src") {
        if file.ends_with("store/writer.rs") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for quoted in code.split('"').skip(1).step_by(2) {
                let sql = quoted.trim_start();
                if let Some(s) = statements.iter().find(|s| sql.starts_with(**s) && !sql.starts_with("BEGIN:")) {
                    panic!("{file}:{}: `{s}` by hand; transactions begin with `Db::begin` and end in the writer", n + 1);
                }
            }
            // A sqlx pool's own transactions or connections would pass the writer by on SQLite.
            for call in [".begin(", ".begin_with(", ".acquire(", "begin_immediate", ".try_begin("] {
                if let Some(at) = code.find(call) {
                    let receiver: String = code[..at]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.' || *c == '$')
                        .collect::<String>()
                        .chars()
                        .rev()
                        .collect();
                    let through_db = call == ".begin(" && (receiver == "db" || receiver.ends_with(".db") || receiver == "$db");
                    // In `Db` itself: `self.begin(` is `Db::begin`, whose SQLite arm asks the
                    // writer and whose PostgreSQL arm its pool.
                    let db_begin = file.ends_with("store/mod.rs") && call == ".begin(" && ["s", "p", "self"].contains(&receiver.as_str());
                    assert!(through_db || db_begin, "{file}:{}: `{receiver}{call}` begins a transaction outside the writer", n + 1);
                }
            }
        }
    }
}

/// What a page offers (a rating form, the pause button) is the policy's answer, handed out by
/// the use cases as `policy::Allowed` — which only `policy::may` makes — and not ids for the
/// page to compare. This compiles only while the flags are of that type; that only the policy
/// makes one, the compiler checks (its field is private).
#[test]
fn pages_are_told_what_the_viewer_may_do_by_a_value_only_the_policy_makes() {
    use rapport::app::meetings::{MeetingView, SeriesView};
    use rapport::domain::policy::{self, Action, Allowed, Relation, Resource, Role};
    let _: fn(&MeetingView) -> Allowed = |v| v.can_rate;
    let _: fn(&SeriesView) -> Allowed = |v| v.can_pause;
    let teammate = Role { relation: Relation::Themselves, is_admin: false };
    let leader = Role { relation: Relation::Manager, is_admin: true };
    assert!(policy::may(teammate, Action::Write, Resource::MeetingRating).yes());
    assert!(!policy::may(leader, Action::Write, Resource::MeetingRating).yes());
    assert!(policy::may(leader, Action::Write, Resource::SeriesState).yes());
    assert!(!policy::may(teammate, Action::Write, Resource::SeriesState).yes());
}
