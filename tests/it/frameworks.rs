//! Frameworks over their life, on both databases: a new version that renames or drops a level
//! (who is placed on it, and what their growth page says), archiving and deleting, exact round
//! trips of every format, and the small honesties of import and export.

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, plain};
use rapport::domain::framework::Format;
use serde_json::Value;

on_both!(a_new_version_without_a_level_names_who_is_placed_on_it_and_their_page_asks_for_a_choice,);

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
