//! CSV injection: every CSV file rapport writes (framework matrices, question lists) shows a
//! spreadsheet formula as text (a single quote before `=`, `+`, `-`, `@`, tab or CR, per
//! OWASP), and importing that file gives back exactly the same data, through the API and the
//! command line.

use crate::on_both;
use crate::support::{TestApp, plain};
use rapport::domain::framework::{self, Area, Competency, Format, Framework, Track};
use serde_json::{Value, json};
use std::process::Command;

on_both!(csv_exports_through_the_api_neutralise_formulas_and_import_back_exactly);

const FORMULAS: [&str; 6] = ["=HYPERLINK(\"http://x\",\"y\")", "+SUM(1,2)", "@cmd", "-2+3", "\tTabbed", "\rReturned"];

/// Every cell of a CSV file; none may start as a formula.
fn cells(file: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(file.as_bytes());
    let out: Vec<String> = r.records().flat_map(|rec| rec.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect();
    for c in &out {
        assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "a cell a spreadsheet would run: {c:?}\n{file}");
    }
    out
}

fn framework_with_formulas() -> Framework {
    Framework {
        name: "Formulas".into(),
        tracks: vec![Track { name: "=Track".into(), levels: vec!["+L1".into(), "@L2".into()] }],
        areas: vec![Area {
            name: "-Area".into(),
            competencies: FORMULAS
                .iter()
                .enumerate()
                .map(|(i, f)| Competency {
                    name: format!("{f} {i}"),
                    description: f.to_string(),
                    expectations: vec![f.to_string(), format!("'{f}")],
                })
                .collect(),
        }],
    }
}

async fn csv_exports_through_the_api_neutralise_formulas_and_import_back_exactly(t: TestApp) {
    let admin = t.admin().await;
    let ivy = t.person(&admin, "Ivy Teammate", None).await;
    let token = t.token(&admin).await;
    let c = plain();
    // A framework whose names and cells look like formulas, imported as JSON.
    let json_file = framework::export(&framework_with_formulas(), Format::Json);
    let r = c.post(t.url("/api/v1/frameworks/import?format=json")).bearer_auth(&token).body(json_file).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let id = r.json::<Value>().await.unwrap()["framework_id"].as_str().unwrap().to_string();
    let export = |fmt: &'static str| {
        let (c, url, token) = (c.clone(), t.url(&format!("/api/v1/frameworks/{id}/export?format={fmt}")), token.clone());
        async move { c.get(url).bearer_auth(token).send().await.unwrap().text().await.unwrap() }
    };
    let stored = export("json").await;
    let csv_file = export("csv").await;
    let all = cells(&csv_file);
    for expected in ["'=Track", "'+L1", "'@L2", "'-Area", "'=HYPERLINK(\"http://x\",\"y\")", "'+SUM(1,2)", "'@cmd", "'-2+3", "''-2+3"] {
        assert!(all.iter().any(|c| c == expected), "{expected:?} is not a cell of\n{csv_file}");
    }
    // Imported back: the same framework, so nothing changes, and the JSON is the same.
    let r = c
        .post(t.url("/api/v1/frameworks/import?format=csv&name=Formulas"))
        .bearer_auth(&token)
        .body(csv_file.clone())
        .send()
        .await
        .unwrap();
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["change"], "unchanged", "{again}");
    assert_eq!(export("json").await, stored);
    assert_eq!(export("csv").await, csv_file);

    // Questions: Ivy's list as CSV, imported by Ada, is the same list.
    let ivy_token = t.token(&ivy).await;
    let questions: Vec<Value> = FORMULAS.iter().map(|f| json!({"text": format!("{f} question?"), "purposes": ["plans"]})).collect();
    let r = c.post(t.url("/api/v1/questions/import?format=json")).bearer_auth(&ivy_token).json(&questions).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let get = |token: &str, fmt: &str| {
        let (c, url, token) = (c.clone(), t.url(&format!("/api/v1/questions/export?format={fmt}")), token.to_string());
        async move { c.get(url).bearer_auth(token).send().await.unwrap().text().await.unwrap() }
    };
    let ivy_csv = get(&ivy_token, "csv").await;
    let all = cells(&ivy_csv);
    for expected in ["'=HYPERLINK(\"http://x\",\"y\") question?", "'+SUM(1,2) question?", "'@cmd question?", "'-2+3 question?"] {
        assert!(all.iter().any(|c| c == expected), "{expected:?} is not a cell of\n{ivy_csv}");
    }
    let r = c.post(t.url("/api/v1/questions/import?format=csv")).bearer_auth(&token).body(ivy_csv.clone()).send().await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    assert_eq!(get(&token, "json").await, get(&ivy_token, "json").await, "the same questions");
    assert_eq!(get(&token, "csv").await, ivy_csv);
}

fn rapport(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.current_dir(dir).env_remove("RAPPORT_DATABASE_URL").env_remove("RAPPORT_CONFIG").arg("--data-dir").arg(dir.join("data"));
    c
}

fn ok(out: std::process::Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_command_line_exports_a_framework_matrix_without_formulas_and_imports_it_back() {
    let dir = tempfile::tempdir().unwrap();
    ok(rapport(dir.path())
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap());
    let json_path = dir.path().join("formulas.json");
    std::fs::write(&json_path, framework::export(&framework_with_formulas(), Format::Json)).unwrap();
    ok(rapport(dir.path()).args(["framework", "import"]).arg(&json_path).output().unwrap());
    let stored = ok(rapport(dir.path()).args(["framework", "export", "--format", "json"]).output().unwrap());
    let csv_file = ok(rapport(dir.path()).args(["framework", "export", "--format", "csv"]).output().unwrap());
    let all = cells(&csv_file);
    assert!(all.iter().any(|c| c == "'=HYPERLINK(\"http://x\",\"y\")"), "{csv_file}");
    let csv_path = dir.path().join("formulas.csv");
    std::fs::write(&csv_path, &csv_file).unwrap();
    let out = ok(rapport(dir.path()).args(["framework", "import", "--name", "Formulas"]).arg(&csv_path).output().unwrap());
    assert!(out.contains("Nothing was changed"), "{out}");
    assert_eq!(ok(rapport(dir.path()).args(["framework", "export", "--format", "json"]).output().unwrap()), stored);
}

/// Every place that writes CSV neutralises its cells with the one shared helper, and every
/// place that reads a CSV file rapport writes undoes it.
#[test]
fn every_csv_writer_uses_the_shared_escape() {
    let mut writers = 0;
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                if text.contains("csv::Writer") {
                    writers += 1;
                    assert!(text.contains("csv_cells::escape"), "{} writes CSV without csv_cells::escape", path.display());
                    // A file whose CSV comes back in (an import of what was exported) undoes it.
                    if text.contains("csv::StringRecord") {
                        assert!(text.contains("csv_cells::unescape"), "{} reads its CSV back without csv_cells::unescape", path.display());
                    }
                }
            }
        }
    }
    assert_eq!(writers, 4, "the framework matrix, the question list, one's practice and the organisation's view");
}
