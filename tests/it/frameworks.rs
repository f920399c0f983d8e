//! Frameworks over their life, on both databases: a new version that renames or drops a level
//! (who is placed on it, and what their growth page says), archiving and deleting, exact round
//! trips of every format, and the small honesties of import and export.

use crate::on_both;
use crate::support::{Org, TestApp, admin_ada_on_the_command_line, an_organisation, plain, rapport_cli};
use rapport::domain::framework::Format;
use serde_json::Value;

on_both!(
    a_new_version_without_a_level_names_who_is_placed_on_it_and_their_page_asks_for_a_choice,
    an_archived_framework_leaves_new_choices_and_one_never_used_can_be_deleted,
    every_export_imports_back_unchanged_without_being_given_a_name,
);

const EXAMPLE: &str = include_str!("../../frameworks/example.yaml");

/// The example framework, with Ivy, Tom (Emil's) and Una (Otto's) at Engineer II.
async fn three_at_engineer_two(t: &TestApp, o: &Org) -> uuid::Uuid {
    let id = t.app.import_framework(&o.ada, EXAMPLE.as_bytes(), Format::Yaml, "", true).await.unwrap().framework_id;
    let tom = o.hires(t, "Tom Two", &o.emil).await;
    let una = o.hires(t, "Una Other", &o.otto).await;
    for (by, who) in [(&o.emil, &o.ivy), (&o.emil, &tom), (&o.otto, &una)] {
        t.app.set_level(by, who.id, id, "Engineer II").await.unwrap();
    }
    id
}

async fn a_new_version_without_a_level_names_who_is_placed_on_it_and_their_page_asks_for_a_choice(t: TestApp) {
    let o = an_organisation(&t).await;
    let id = three_at_engineer_two(&t, &o).await;
    let renamed = EXAMPLE.replace("Engineer II", "Engineer 2");
    let token = t.token(&o.ada).await;
    let c = plain();

    // The dry run says who is on the vanished level and what becomes of them, and gives the real id.
    let r =
        c.post(t.url("/api/v1/frameworks/import?format=yaml&dry_run=true")).bearer_auth(&token).body(renamed.clone()).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let preview: Value = r.json().await.unwrap();
    assert_eq!(preview["change"], "new_version");
    assert_eq!(preview["framework_id"], id.to_string(), "a new version's dry run names the framework it adds to");
    let gone = &preview["vanished_levels"];
    assert_eq!(gone.as_array().unwrap().len(), 1, "{preview}");
    assert_eq!(gone[0]["level"], "Engineer II");
    assert_eq!(gone[0]["renamed_to"], "Engineer 2");
    assert_eq!(
        gone[0]["people"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect::<Vec<_>>(),
        ["Ivy Coder", "Tom Two", "Una Other"]
    );
    assert_eq!(
        gone[0]["message"],
        "Engineer II is not in the new version (it looks renamed to Engineer 2): 3 people are placed on it (Ivy Coder, Tom Two, Una Other); their level will need choosing."
    );

    // A new framework's dry run has no id yet: nothing to GET.
    let r = c
        .post(t.url("/api/v1/frameworks/import?format=csv&name=Fresh&dry_run=true"))
        .bearer_auth(&token)
        .body("area,competency,A,B\nCraft,Code,a,b\n")
        .send()
        .await
        .unwrap();
    let fresh: Value = r.json().await.unwrap();
    assert_eq!((fresh["change"].as_str(), &fresh["framework_id"]), (Some("created"), &Value::Null), "{fresh}");

    // The page's preview says the same.
    let (admin, csrf) = t.signed_in("ada@example.com").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .text("text", renamed.clone())
        .text("format", "yaml")
        .text("name", "")
        .text("mode", "check");
    let page = admin.post(t.url("/frameworks/import")).multipart(form).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Engineer II is not in the new version (it looks renamed to Engineer 2): 3 people are placed on it"), "{page}");

    // Importing says it again, and moves nobody.
    let out = t.app.import_framework(&o.ada, renamed.as_bytes(), Format::Yaml, "", true).await.unwrap();
    assert_eq!(out.vanished_levels.len(), 1);
    assert_eq!(t.app.growth(&o.emil, o.ivy.id).await.unwrap().level.unwrap().level, "Engineer II", "nobody is moved unasked");

    // Ivy's page asks for a choice instead of an empty "Now" and "Top of the track".
    let g: Value = c
        .get(t.url(&format!("/api/v1/people/{}/growth", o.ivy.id)))
        .bearer_auth(t.token(&o.ivy).await)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(g["level_needs_choosing"], "Your level needs choosing: Engineer II is not in Example engineering framework version 2.");
    assert_eq!((g["expectations"].as_array().unwrap().len(), &g["next_level"]), (0, &Value::Null));
    let (ivy, _) = t.signed_in("ivy.coder@example.com").await;
    let page = ivy.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Your level needs choosing: Engineer II is not in Example engineering framework version 2."), "{page}");
    assert!(!page.contains("Top of the track") && !page.contains("Next level"), "{page}");

    // Her manager's level select starts at nothing, not at a level of another framework.
    t.app.import_framework(&o.ada, b"area,competency,Aardvark one\nCraft,Code,a\n", Format::Csv, "Aardvark ladder", true).await.unwrap();
    let (emil, _) = t.signed_in("emil.manager@example.com").await;
    let page = emil.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Ivy Coder’s level needs choosing: Engineer II is not in Example engineering framework version 2."), "{page}");
    let select = &page[page.find("id=\"f-level\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert!(select.contains("<option value=\"\" selected>Choose a level</option>"), "{select}");
    assert_eq!(select.matches(" selected").count(), 1, "no level is preset: {select}");
}

async fn an_archived_framework_leaves_new_choices_and_one_never_used_can_be_deleted(t: TestApp) {
    let o = an_organisation(&t).await;
    let example = t.app.import_framework(&o.ada, EXAMPLE.as_bytes(), Format::Yaml, "", true).await.unwrap().framework_id;
    t.app.set_level(&o.emil, o.ivy.id, example, "Engineer I").await.unwrap();
    let trial_csv = "area,competency,Trial one,Trial two\nCraft,Code,a,b\n";
    let trial = t.app.import_framework(&o.ada, trial_csv.as_bytes(), Format::Csv, "Trial ladder", true).await.unwrap().framework_id;
    let token = t.token(&o.ada).await;
    let c = plain();
    let names = |list: Value| list.as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();

    // Someone else may not archive.
    let r = c.post(t.url(&format!("/api/v1/frameworks/{example}/archive"))).bearer_auth(t.token(&o.emil).await).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = c.post(t.url(&format!("/api/v1/frameworks/{example}/archive"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let archived: Value = r.json().await.unwrap();
    assert!(archived["archived_at"].is_string(), "{archived}");
    let list: Value = c.get(t.url("/api/v1/frameworks")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(list), ["Trial ladder"], "archived frameworks leave the list");
    let list: Value = c.get(t.url("/api/v1/frameworks?archived=true")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(list), ["Example engineering framework", "Trial ladder"]);

    // Ivy keeps it and still sees what it expects; nobody new is placed on it.
    let g = t.app.growth(&o.ivy, o.ivy.id).await.unwrap();
    assert_eq!((g.level.unwrap().level.as_str(), g.expectations.len()), ("Engineer I", 6));
    let tom = o.hires(&t, "Tom Two", &o.emil).await;
    let refused = t.app.set_level(&o.emil, tom.id, example, "Engineer I").await.unwrap_err();
    assert!(refused.to_string().contains("Example engineering framework is archived"), "{refused}");
    let (emil, _) = t.signed_in("emil.manager@example.com").await;
    let page = emil.get(t.url(&format!("/people/{}/growth", tom.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Trial ladder — ") && !page.contains("Example engineering framework — "), "{page}");
    let page = emil.get(t.url(&format!("/people/{}/growth", o.ivy.id))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Example engineering framework — Individual contributor"), "her own stays in her select");

    // In use: it cannot be deleted. Restored: it is back.
    let r = c.delete(t.url(&format!("/api/v1/frameworks/{example}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert!(body.to_string().contains("archive it instead"), "{body}");
    let r = c.post(t.url(&format!("/api/v1/frameworks/{example}/restore"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let list: Value = c.get(t.url("/api/v1/frameworks")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(names(list).len(), 2);

    // On the page: archive the trial, see it under "Archived", delete it after confirming.
    let (admin, csrf) = t.signed_in("ada@example.com").await;
    let r = admin.post(t.url(&format!("/frameworks/{trial}/archive"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/frameworks"));
    let page = admin.get(t.url("/frameworks")).send().await.unwrap().text().await.unwrap();
    let archived_part = &page[page.find("id=\"archived\"").expect("an archived part")..];
    assert!(archived_part.contains("Trial ladder") && archived_part.contains(">Restore<") && archived_part.contains("Delete for good"));
    let r = admin.post(t.url(&format!("/frameworks/{trial}/delete"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 422, "deleting asks to confirm first");
    assert!(r.text().await.unwrap().contains("Tick the box to confirm"));
    let r = admin
        .post(t.url(&format!("/frameworks/{trial}/delete")))
        .form(&[("_csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(admin.get(t.url(&format!("/frameworks/{trial}"))).send().await.unwrap().status(), 404);
    // The example is in use: no delete button for it.
    let r = admin.post(t.url(&format!("/frameworks/{example}/archive"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let page = admin.get(t.url("/frameworks")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Delete for good") && page.contains("1 person is placed on it"), "{page}");
}

/// Runs the CLI; its exit status, standard output and standard error.
fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = rapport_cli(dir).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn the_command_line_archives_restores_and_deletes_frameworks_and_names_the_versions_there_are() {
    let dir = tempfile::tempdir().unwrap();
    admin_ada_on_the_command_line(dir.path());
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks/example.yaml");
    assert!(run(dir.path(), &["framework", "import", example.to_str().unwrap()]).0);
    let name = "Example engineering framework";

    let (ok, said, err) = run(dir.path(), &["framework", "export", "--version", "7"]);
    assert!(!ok && err.contains("Example engineering framework has no version 7: it has version 1 only."), "{said}{err}");

    // A CSV export imports back to the same framework without --name.
    let (_, csv, _) = run(dir.path(), &["framework", "export", "--format", "csv"]);
    let file = dir.path().join("copy of the ladder.csv");
    std::fs::write(&file, csv).unwrap();
    let (_, said, err) = run(dir.path(), &["framework", "import", file.to_str().unwrap()]);
    assert!(said.contains("the same as version 1"), "{said}{err}");

    let (ok, said, err) = run(dir.path(), &["framework", "archive", name]);
    assert!(ok && said.contains("Archived Example engineering framework"), "{said}{err}");
    let (_, listed, _) = run(dir.path(), &["framework", "list"]);
    assert!(listed.contains("archived"), "{listed}");
    let (ok, said, _) = run(dir.path(), &["framework", "restore", name]);
    assert!(ok && said.contains("Restored Example engineering framework"), "{said}");
    let (ok, said, err) = run(dir.path(), &["framework", "delete", name]);
    assert!(ok && said.contains("Deleted Example engineering framework"), "{said}{err}");
    let (_, listed, _) = run(dir.path(), &["framework", "list"]);
    assert!(!listed.contains(name), "{listed}");
    let (ok, _, err) = run(dir.path(), &["framework", "archive", "Nothing like it"]);
    assert!(!ok && err.contains("no framework named Nothing like it"), "{err}");
}

async fn every_export_imports_back_unchanged_without_being_given_a_name(t: TestApp) {
    let o = an_organisation(&t).await;
    let token = t.token(&o.ada).await;
    let c = plain();
    // A multi-line expectation and a cell left empty (not expected at that level).
    let csv = "area,competency,description,Junior,Senior\nCraft,Code,Writing it,\"Writes code\nwith tests\",Designs\nPeople,Leading,,,Leads a team\n";
    let id = t.app.import_framework(&o.ada, csv.as_bytes(), Format::Csv, "Ladder", true).await.unwrap().framework_id;
    for format in ["yaml", "json", "csv"] {
        let r = c.get(t.url(&format!("/api/v1/frameworks/{id}/export?format={format}"))).bearer_auth(&token).send().await.unwrap();
        let file = r.text().await.unwrap();
        if format == "yaml" {
            assert!(file.contains("|-\n            Writes code\n            with tests\n") && !file.contains("\\n"), "{file}");
        }
        let r = c.post(t.url(&format!("/api/v1/frameworks/import?format={format}"))).bearer_auth(&token).body(file).send().await.unwrap();
        let back: Value = r.json().await.unwrap();
        assert_eq!(
            (back["change"].as_str(), back["framework_id"].as_str()),
            (Some("unchanged"), Some(id.to_string().as_str())),
            "{format}: {back}"
        );
    }
    // The page: a downloaded CSV uploaded as it is, under its file name.
    let exported = t.app.export_framework(&o.ada, id, None, Format::Csv).await.unwrap().1;
    let (admin, csrf) = t.signed_in("ada@example.com").await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf)
        .part("file", reqwest::multipart::Part::bytes(exported.into_bytes()).file_name("ladder-v1.csv"))
        .text("format", "yaml")
        .text("name", "")
        .text("mode", "check");
    let page = admin.post(t.url("/frameworks/import")).multipart(form).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("this is the same as version 1 of “Ladder”"), "{page}");
    assert_eq!(t.app.frameworks(&o.ada).await.unwrap().len(), 1);
}
