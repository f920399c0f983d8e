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
            // limited to series they are part of, `pairs` too), and search (the access rule is inside
            // the query).
            let scoped_to_actor = ["list_people", "my_series", "pairs", "upcoming_meetings", "my_actions", "search"]
                .iter()
                .any(|f| signature.starts_with(&format!("{f}(")));
            assert!(checked || scoped_to_actor, "{file}: `{}` does not consult the access policy", signature.split('(').next().unwrap());
        }
    }
}

#[test]
fn every_use_case_has_a_span_of_its_own() {
    // So that `RAPPORT_LOG=info,rapport::app=debug` shows, for a slow request, which use cases
    // it ran and how long each took.
    for (file, text) in rust_files("src/app") {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("pub async fn ") else { continue };
            let takes_self = rest.contains("(&self") || lines.get(i + 1).is_some_and(|l| l.trim_start().starts_with("&self"));
            if !takes_self {
                continue;
            }
            let above = lines[..i].iter().rev().find(|l| !l.trim_start().starts_with("///")).copied().unwrap_or("");
            assert!(
                above.trim() == "#[tracing::instrument(level = \"debug\", skip_all)]",
                "{file}: `{}` has no `#[tracing::instrument(level = \"debug\", skip_all)]`",
                rest.split('(').next().unwrap()
            );
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

/// The files under src/ that a file's `use crate::…`, `crate::…::` and `super::…` paths reach,
/// as an import graph, and every cycle in it. A path into an item counts as its module's file
/// (src/a/b.rs or src/a/b/mod.rs, the longest module the path names). Kept simple: `mod x;`
/// declarations, paths a file takes into its own child modules, `self::` and paths of other
/// crates are not edges; a child's `super::` into its parent is. `super::` inside an inline
/// module (`mod tests { use super::*; }`) is the file itself.
fn import_cycles(files: &[(String, String)]) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let module_of = |file: &str| -> Option<Vec<String>> {
        let rel = file.strip_prefix("src/")?.strip_suffix(".rs")?;
        let mut parts: Vec<String> = rel.split('/').map(String::from).collect();
        if parts.last().is_some_and(|p| p == "mod") || rel == "lib" {
            parts.pop();
        }
        (rel != "main").then_some(parts)
    };
    let modules: BTreeMap<Vec<String>, String> = files.iter().filter_map(|(f, _)| module_of(f).map(|m| (m, f.clone()))).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in files {
        let Some(own) = module_of(file) else { continue };
        for (inline, path) in crate_paths(text) {
            let mut target: Vec<String> = own.iter().chain(&inline).cloned().collect();
            let mut segments = path.as_slice();
            match segments.first().map(String::as_str) {
                Some("crate") => {
                    target.clear();
                    segments = &segments[1..];
                }
                Some("super") => {
                    while segments.first().is_some_and(|s| s == "super") {
                        target.pop();
                        segments = &segments[1..];
                    }
                }
                _ => continue,
            }
            target.extend(segments.iter().cloned());
            let module = (0..=target.len()).rev().map(|n| &target[..n]).find(|m| modules.contains_key(*m)).unwrap();
            if !module.starts_with(&own) {
                edges.entry(file.clone()).or_default().insert(modules[module].clone());
            }
        }
    }
    // Every file that can reach itself again, one cycle per strongly connected group.
    let reach = |from: &String| -> BTreeMap<String, String> {
        let mut came_from = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([from.clone()]);
        while let Some(f) = queue.pop_front() {
            for next in edges.get(&f).into_iter().flatten() {
                if !came_from.contains_key(next) {
                    came_from.insert(next.clone(), f.clone());
                    queue.push_back(next.clone());
                }
            }
        }
        came_from
    };
    let mut seen = BTreeSet::new();
    let mut cycles = vec![];
    for file in edges.keys() {
        let came_from = reach(file);
        if seen.contains(file) || !came_from.contains_key(file) {
            continue;
        }
        let mut cycle = vec![file.clone()];
        let mut at = came_from[file].clone();
        while &at != file {
            cycle.push(at.clone());
            at = came_from[&at].clone();
        }
        cycle.push(file.clone());
        cycle.reverse();
        seen.extend(came_from.keys().filter(|f| reach(f).contains_key(file)).cloned());
        cycles.push(cycle.join(" → "));
    }
    cycles
}

/// The paths a file names that start with `crate` or `super`, each with the inline modules
/// (`mod tests { … }`) it is written in. Comments, strings and characters are skipped.
fn crate_paths(text: &str) -> Vec<(Vec<String>, Vec<String>)> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<String> = vec![];
    let mut i = 0;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        let starts_word = i == 0 || !ident(chars[i - 1]);
        if rest.starts_with("//") {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if starts_word && (rest.starts_with("r#") || rest.starts_with("r\"") || rest.starts_with("br")) {
            // A raw string: r"…", r#"…"#, br#"…"#.
            let mut j = i + if c == 'b' { 2 } else { 1 };
            let hashes = chars[j..].iter().take_while(|c| **c == '#').count();
            j += hashes;
            if chars.get(j) != Some(&'"') {
                tokens.push(c.to_string());
                i += 1;
                continue;
            }
            let end: String = std::iter::once('"').chain(std::iter::repeat_n('#', hashes)).collect();
            j += 1;
            while j < chars.len() && !chars[j..].iter().take(end.len()).copied().eq(end.chars()) {
                j += 1;
            }
            i = j + end.len();
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            // A character ('x', '\n', '\u{2192}') or a lifetime ('a).
            if chars.get(i + 1) == Some(&'\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if ident(c) {
            let start = i;
            while i < chars.len() && ident(chars[i]) {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if rest.starts_with("::") {
            tokens.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }

    fn use_tree(tokens: &[String], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
        let mut path = prefix;
        while *i < tokens.len() {
            match tokens[*i].as_str() {
                "{" => {
                    *i += 1;
                    while *i < tokens.len() && tokens[*i] != "}" {
                        use_tree(tokens, i, path.clone(), out);
                        if tokens.get(*i).is_some_and(|t| t == ",") {
                            *i += 1;
                        }
                    }
                    *i += 1;
                    return;
                }
                "*" => {
                    *i += 1;
                    break;
                }
                "::" => *i += 1,
                segment => {
                    if segment != "self" || path.is_empty() {
                        path.push(segment.to_string());
                    }
                    *i += 1;
                    if tokens.get(*i).is_some_and(|t| t == "as") {
                        *i += 2;
                    }
                    if tokens.get(*i).is_none_or(|t| t != "::") {
                        break;
                    }
                }
            }
        }
        out.push(path);
    }

    let mut found = vec![];
    let mut scopes: Vec<Option<String>> = vec![];
    let mut i = 0;
    while i < tokens.len() {
        let inline: Vec<String> = scopes.iter().flatten().cloned().collect();
        let previous = |n: usize| if i >= n { tokens[i - n].as_str() } else { "" };
        match tokens[i].as_str() {
            "{" => {
                scopes.push((previous(2) == "mod").then(|| previous(1).to_string()));
                i += 1;
            }
            "}" => {
                scopes.pop();
                i += 1;
            }
            "use" => {
                i += 1;
                let mut paths = vec![];
                use_tree(&tokens, &mut i, vec![], &mut paths);
                found.extend(paths.into_iter().map(|p| (inline.clone(), p)));
            }
            "crate" | "super" if tokens.get(i + 1).is_some_and(|t| t == "::") && !["::", "in"].contains(&previous(1)) => {
                let mut path = vec![tokens[i].clone()];
                i += 1;
                while tokens.get(i).is_some_and(|t| t == "::")
                    && tokens.get(i + 1).is_some_and(|t| t.chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    path.push(tokens[i + 1].clone());
                    i += 2;
                }
                found.push((inline, path));
            }
            _ => i += 1,
        }
    }
    found
}

#[test]
fn no_import_cycle_between_files() {
    // Imports go one way between files (ARCHITECTURE.md, "Code map"): a cycle means two files
    // that can only be understood, changed and tested together.
    let files: Vec<(String, String)> = rust_files("src").into_iter().map(|(f, t)| (f.replace('\\', "/"), t)).collect();
    let cycles = import_cycles(&files);
    assert!(cycles.is_empty(), "import cycles between files (break each one):\n{}", cycles.join("\n"));
}

#[test]
fn the_import_cycle_check_sees_a_cycle() {
    let file = |f: &str, t: &str| (f.to_string(), t.to_string());
    let one_way = [
        file("src/lib.rs", "pub mod a; pub mod b; pub mod c; use crate::a::Thing;"),
        file("src/a/mod.rs", "mod x; use crate::b::{One, two::Two}; use x::Local; use crate::a::x::Y;"),
        file("src/a/x.rs", "use super::Thing; // use crate::c::Y;"),
        file("src/b/mod.rs", "pub mod two; fn f() { let s = \"crate::a::\"; crate::c::y(); use self::two::T; }"),
        file("src/b/two.rs", "use crate::c; use super::One; #[cfg(test)] mod tests { use super::*; }"),
        file("src/c.rs", "use crate::{Error, self as root};"),
    ];
    assert_eq!(import_cycles(&one_way), Vec::<String>::new());
    let mut with_cycle = one_way.to_vec();
    with_cycle[5] = file("src/c.rs", "use crate::Error; fn g<'a>(c: char) -> bool { c == '{' || super::a::x::f() }");
    assert_eq!(import_cycles(&with_cycle), vec!["src/a/mod.rs → src/b/mod.rs → src/c.rs → src/a/x.rs → src/a/mod.rs"]);
}
