//! The access policy as a caller meets it: every role against every people action through
//! the API, and "not allowed" indistinguishable from "not found".

use crate::on_both;
use crate::support::{Org, TestApp, an_organisation, plain};
use rapport::domain::Person;
use serde_json::{Value, json};

on_both!(every_role_gets_exactly_its_rights_over_people, refusals_look_exactly_like_missing_records);

#[derive(Clone, Copy, Debug)]
enum Act {
    EditTitle,
    EditOwnName,
    Invite,
    Import,
    Create,
    Read,
}

/// Nia, who reports to Emil and has not signed in yet (so she can be invited).
async fn nia_who_has_not_signed_in(t: &TestApp, o: &Org) -> Person {
    t.app
        .create_person(
            &o.ada,
            rapport::app::people::PersonInput {
                name: "Nia New".into(),
                email: "nia@example.com".into(),
                timezone: "UTC".into(),
                manager_id: Some(o.emil.id),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

async fn attempt(t: &TestApp, token: &str, act: Act, subject: &Person, n: usize) -> u16 {
    let c = plain();
    let current: Value =
        c.get(t.url(&format!("/api/v1/people/{}", subject.id))).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let version = current["person"]["version"].clone();
    let r = match act {
        Act::Read => c.get(t.url(&format!("/api/v1/people/{}", subject.id))).bearer_auth(token).send().await,
        Act::EditTitle => {
            c.patch(t.url(&format!("/api/v1/people/{}", subject.id)))
                .bearer_auth(token)
                .json(&json!({"version": version, "title": format!("Title {n}")}))
                .send()
                .await
        }
        Act::EditOwnName => {
            c.patch(t.url(&format!("/api/v1/people/{}", subject.id)))
                .bearer_auth(token)
                .json(&json!({"version": version, "name": format!("{} {n}", subject.name)}))
                .send()
                .await
        }
        Act::Invite => c.post(t.url(&format!("/api/v1/people/{}/invitation", subject.id))).bearer_auth(token).send().await,
        Act::Import => {
            c.post(t.url("/api/v1/people/import?dry_run=true"))
                .bearer_auth(token)
                .header("content-type", "text/csv")
                .body("name,email,title,manager_email,timezone\nZed,zed@example.com,,,UTC\n")
                .send()
                .await
        }
        Act::Create => {
            c.post(t.url("/api/v1/people"))
                .bearer_auth(token)
                .json(&json!({"name": "Zed", "email": format!("zed{n}@example.com"), "timezone": "UTC"}))
                .send()
                .await
        }
    };
    r.unwrap().status().as_u16()
}

async fn every_role_gets_exactly_its_rights_over_people(t: TestApp) {
    let o = an_organisation(&t).await;
    let nia = nia_who_has_not_signed_in(&t, &o).await;
    let tok = |p: &Person| {
        let p = p.clone();
        let app = t.app.clone();
        async move { app.create_token(&p, "t").await.unwrap().token }
    };
    let (ada, vera, emil, ivy, otto) = (tok(&o.ada).await, tok(&o.vera).await, tok(&o.emil).await, tok(&o.ivy).await, tok(&o.otto).await);
    // (who, their token, what, about whom, expected status). Ivy's record is the subject;
    // Nia is the one to invite. Ada is an admin and also above everyone.
    let table: Vec<(&str, &str, Act, &Person, u16)> = vec![
        ("ivy herself", &ivy, Act::Read, &o.ivy, 200),
        ("her manager", &emil, Act::Read, &o.ivy, 200),
        ("skip-level", &vera, Act::Read, &o.ivy, 200),
        ("unrelated", &otto, Act::Read, &o.ivy, 200),
        ("admin", &ada, Act::Read, &o.ivy, 200),
        ("ivy herself", &ivy, Act::EditOwnName, &o.ivy, 200),
        ("her manager", &emil, Act::EditOwnName, &o.ivy, 404),
        ("skip-level", &vera, Act::EditOwnName, &o.ivy, 404),
        ("unrelated", &otto, Act::EditOwnName, &o.ivy, 404),
        ("admin", &ada, Act::EditOwnName, &o.ivy, 200),
        ("ivy herself", &ivy, Act::EditTitle, &o.ivy, 422),
        ("her manager", &emil, Act::EditTitle, &o.ivy, 404),
        ("skip-level", &vera, Act::EditTitle, &o.ivy, 404),
        ("unrelated", &otto, Act::EditTitle, &o.ivy, 404),
        ("admin", &ada, Act::EditTitle, &o.ivy, 200),
        ("a peer", &ivy, Act::Invite, &nia, 404),
        ("nia's manager", &emil, Act::Invite, &nia, 201),
        ("skip-level", &vera, Act::Invite, &nia, 404),
        ("unrelated", &otto, Act::Invite, &nia, 404),
        ("admin", &ada, Act::Invite, &nia, 201),
        ("teammate", &ivy, Act::Import, &o.ivy, 404),
        ("manager", &emil, Act::Import, &o.ivy, 404),
        ("skip-level", &vera, Act::Import, &o.ivy, 404),
        ("admin", &ada, Act::Import, &o.ivy, 200),
        ("teammate", &ivy, Act::Create, &o.ivy, 404),
        ("manager", &emil, Act::Create, &o.ivy, 404),
        ("skip-level", &vera, Act::Create, &o.ivy, 404),
        ("admin", &ada, Act::Create, &o.ivy, 201),
    ];
    let mut wrong = vec![];
    for (n, (who, token, act, subject, want)) in table.iter().enumerate() {
        let got = attempt(&t, token, *act, subject, n).await;
        if got != *want {
            wrong.push(format!("{who} {act:?} {}: got {got}, want {want}", subject.name));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

async fn refusals_look_exactly_like_missing_records(t: TestApp) {
    let o = an_organisation(&t).await;
    let nia = nia_who_has_not_signed_in(&t, &o).await;
    let otto = t.app.create_token(&o.otto, "t").await.unwrap().token;
    let c = plain();
    let forbidden = c.post(t.url(&format!("/api/v1/people/{}/invitation", nia.id))).bearer_auth(&otto).send().await.unwrap();
    let missing = c.post(t.url(&format!("/api/v1/people/{}/invitation", uuid::Uuid::new_v4()))).bearer_auth(&otto).send().await.unwrap();
    assert_eq!(forbidden.status(), missing.status());
    assert_eq!(forbidden.text().await.unwrap(), missing.text().await.unwrap());
    let forbidden = c
        .patch(t.url(&format!("/api/v1/people/{}", o.ivy.id)))
        .bearer_auth(&otto)
        .json(&json!({"version": 1, "title": "x"}))
        .send()
        .await
        .unwrap();
    let missing = c
        .patch(t.url(&format!("/api/v1/people/{}", uuid::Uuid::new_v4())))
        .bearer_auth(&otto)
        .json(&json!({"version": 1, "title": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), missing.status());
    assert_eq!(forbidden.text().await.unwrap(), missing.text().await.unwrap());
    // The same through the pages.
    let (browser, _) = t.signed_in("otto.other@example.com").await;
    let forbidden = browser.get(t.url(&format!("/people/{}/edit", o.ivy.id))).send().await.unwrap();
    let missing = browser.get(t.url(&format!("/people/{}/edit", uuid::Uuid::new_v4()))).send().await.unwrap();
    assert_eq!(forbidden.status(), 404);
    assert_eq!(forbidden.text().await.unwrap(), missing.text().await.unwrap());
}
