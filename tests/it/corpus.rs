//! The corpus: small files of our own under `tests/corpus/{frameworks,questions,people}/`, each
//! `X.csv` beside an `X.expect` that states its outcome. Every file in those directories is
//! posted to the API's dry run (a new file is covered by adding it), and nothing may be written.
//!
//! An `.expect` file is either `ok` followed by what must be imported, one `name count` a line
//! (`questions 3`, `levels 4`), or one line per problem, `line:column: a fragment of the
//! message`, in the order the API gives them.

use crate::on_both;
use crate::support::TestApp;
use serde_json::Value;
use std::path::{Path, PathBuf};

on_both!(every_corpus_file_imports_as_its_expect_file_says);

/// The corpus files of one kind, sorted by name, each with its `.expect` text.
fn corpus(kind: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x != "expect"))
        .collect();
    files.sort();
    assert!(files.len() >= 2, "{kind}: the corpus has files");
    files
        .into_iter()
        .map(|p| {
            let expect = p.with_extension("expect");
            let text = std::fs::read_to_string(&expect).unwrap_or_else(|e| panic!("{} needs {}: {e}", p.display(), expect.display()));
            (p, text)
        })
        .collect()
}

/// Compares one answer of the API with an `.expect` file: what differs, in words. `counts`
/// reads a named count from an accepted file's answer.
fn check(file: &Path, expect: &str, status: u16, body: &Value, counts: impl Fn(&str) -> Option<u64>) -> Vec<String> {
    let name = file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(file).display().to_string();
    let mut lines = expect.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut wrong = vec![];
    if expect.trim_start().starts_with("ok") {
        lines.next();
        if status != 200 {
            return vec![format!("{name} should be accepted: {status} {body}")];
        }
        for l in lines {
            let (what, n) = l.split_once(' ').unwrap_or_else(|| panic!("{name}: `{l}` is not `name count`"));
            let n: u64 = n.trim().parse().unwrap_or_else(|_| panic!("{name}: `{l}` is not `name count`"));
            if counts(what) != Some(n) {
                wrong.push(format!("{name}: {what} should be {n}: {body}"));
            }
        }
        return wrong;
    }
    if status != 422 {
        return vec![format!("{name} should be refused: {status} {body}")];
    }
    let fields = body["error"]["fields"].as_array().unwrap_or_else(|| panic!("{name}: {body}"));
    let got: Vec<String> = fields
        .iter()
        .map(|f| {
            format!("{}:{}: {}", f["line"].as_u64().unwrap_or(0), f["column"].as_u64().unwrap_or(0), f["message"].as_str().unwrap_or(""))
        })
        .collect();
    let want: Vec<&str> = lines.collect();
    let fits = |g: &String, w: &str| {
        let (place, fragment) = w.split_once(": ").unwrap_or((w, ""));
        assert!(!fragment.trim().is_empty(), "{name}: `{w}` names a fragment of the message");
        g.starts_with(&format!("{place}: ")) && g.contains(fragment.trim())
    };
    if got.len() != want.len() || !got.iter().zip(&want).all(|(g, w)| fits(g, w)) {
        wrong.push(format!("{name}: every problem, and only those, in order\n  got: {got:#?}\n want: {want:#?}"));
    }
    wrong
}

async fn every_corpus_file_imports_as_its_expect_file_says(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = reqwest::Client::new();
    let mut wrong: Vec<String> = vec![];
    let post = |path: String, body: Vec<u8>| c.post(t.url(&path)).bearer_auth(&token).header("content-type", "text/csv").body(body).send();

    for (file, expect) in corpus("frameworks") {
        let r = post("/api/v1/frameworks/import?format=csv&name=Corpus&dry_run=true".into(), std::fs::read(&file).unwrap()).await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        wrong.extend(check(&file, &expect, status, &body, |what| body["summary"][what].as_u64()));
    }
    let listed: Value = c.get(t.url("/api/v1/frameworks")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed, serde_json::json!([]), "a dry run writes no framework");

    let own = || async {
        let all: Value = c.get(t.url("/api/v1/questions")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
        all.as_array().unwrap().iter().filter(|q| q["key"].as_str().unwrap().starts_with("own:")).count()
    };
    for (file, expect) in corpus("questions") {
        let r = post("/api/v1/questions/import?format=csv&dry_run=true".into(), std::fs::read(&file).unwrap()).await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        wrong.extend(check(&file, &expect, status, &body, |what| match what {
            "questions" => body["imported"].as_u64(),
            "skipped" => body["skipped"].as_array().map(|s| s.len() as u64),
            _ => None,
        }));
        assert_eq!(own().await, 0, "{}: a dry run adds no question", file.display());
    }

    for (file, expect) in corpus("people") {
        let r = post("/api/v1/people/import?dry_run=true".into(), std::fs::read(&file).unwrap()).await.unwrap();
        let status = r.status().as_u16();
        let body: Value = r.json().await.unwrap();
        wrong.extend(check(&file, &expect, status, &body, |what| body[what].as_u64()));
        assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1, "{}: a dry run adds no one", file.display());
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
