//! People and reporting lines through the pages: adding, editing, conflicts, loops,
//! the directory, the org chart and the CSV import.

use crate::on_both;
use crate::support::TestApp;

on_both!(
    adding_a_person_validates_every_field_and_keeps_what_was_typed,
    an_edit_based_on_an_old_version_is_refused_and_shows_the_current_details,
    a_reporting_line_that_would_make_a_loop_is_refused,
    the_directory_searches_and_pages,
    the_org_chart_shows_the_chain_above_and_the_reports_below,
    a_csv_import_is_all_or_nothing_with_every_problem_located,
    in_a_large_organisation_the_manager_is_typed_as_an_email_address,
    every_text_search_is_capped_with_a_422_naming_the_field,
    search_wildcards_are_matched_as_typed,
);

async fn adding_a_person_validates_every_field_and_keeps_what_was_typed(t: TestApp) {
    let admin = t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let page = c.get(t.url("/people/new")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("name=\"manager_id\"") && page.contains("Ada Admin"));

    let r = c
        .post(t.url("/people/new"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("name", "Grace Hopper"),
            ("email", "not-an-email"),
            ("title", "Rear Admiral"),
            ("timezone", "Nowhere"),
            ("manager_id", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("class=\"field-error\" id=\"f-email-error\""), "{html}");
    assert!(html.contains("is not an e-mail address: it has no @"), "the message says what is wrong");
    assert!(html.contains("id=\"f-timezone-error\""));
    assert!(html.contains("value=\"Grace Hopper\"") && html.contains("value=\"Rear Admiral\""));
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1);

    let mgr = admin.id.to_string();
    let form = [
        ("_csrf", csrf.as_str()),
        ("name", "Grace Hopper"),
        ("email", "grace@example.com"),
        ("title", "Engineer"),
        ("timezone", "America/New_York"),
        ("manager_id", mgr.as_str()),
    ];
    let r = c.post(t.url("/people/new")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let profile = c.get(t.url(r.headers()["location"].to_str().unwrap())).send().await.unwrap().text().await.unwrap();
    assert!(profile.contains("<h1>Grace Hopper</h1>") && profile.contains("America/New_York"));
    assert!(profile.contains("Ada Admin"), "the manager is shown");

    // The same address again, in other letters, is a duplicate.
    let dup = [
        ("_csrf", csrf.as_str()),
        ("name", "Grace Two"),
        ("email", "GRACE@example.com"),
        ("title", ""),
        ("timezone", "UTC"),
        ("manager_id", ""),
    ];
    let r = c.post(t.url("/people/new")).form(&dup).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("already in rapport"));
}

async fn an_edit_based_on_an_old_version_is_refused_and_shows_the_current_details(t: TestApp) {
    let admin = t.admin().await;
    let bo = t.person(&admin, "Bo Builder", Some(admin.id)).await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let v = bo.version.to_string();
    let mgr = admin.id.to_string();
    let edit = |title: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("name", "Bo Builder".to_string()),
            ("email", bo.email.clone()),
            ("title", title.to_string()),
            ("timezone", "UTC".to_string()),
            ("manager_id", mgr.clone()),
            ("version", v.clone()),
        ]
    };
    let r = c.post(t.url(&format!("/people/{}/edit", bo.id))).form(&edit("Staff Engineer")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    // A second form opened at the same version arrives late.
    let r = c.post(t.url(&format!("/people/{}/edit", bo.id))).form(&edit("Principal Engineer")).send().await.unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(html.contains("changed by someone else"));
    assert!(html.contains("value=\"Staff Engineer\""), "the form now holds the saved title");
    let saved = rapport::store::people::get(&t.app.db, bo.id).await.unwrap().unwrap();
    assert_eq!(saved.title, "Staff Engineer");
    assert_eq!(saved.version, bo.version + 1);
}

async fn a_reporting_line_that_would_make_a_loop_is_refused(t: TestApp) {
    let admin = t.admin().await;
    let vp = t.person(&admin, "Vera Vp", Some(admin.id)).await;
    let em = t.person(&admin, "Emil Manager", Some(vp.id)).await;
    let ic = t.person(&admin, "Ivy Coder", Some(em.id)).await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    for (who, new_manager) in [(&vp, ic.id), (&vp, vp.id)] {
        let form = [
            ("_csrf", csrf.clone()),
            ("name", who.name.clone()),
            ("email", who.email.clone()),
            ("title", who.title.clone()),
            ("timezone", who.timezone.to_string()),
            ("manager_id", new_manager.to_string()),
            ("version", who.version.to_string()),
        ];
        let r = c.post(t.url(&format!("/people/{}/edit", who.id))).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(html.contains("id=\"f-manager_id-error\""));
        assert!(html.contains("reports to them") || html.contains("their own manager"), "{html}");
    }
    let still = rapport::store::people::get(&t.app.db, vp.id).await.unwrap().unwrap();
    assert_eq!(still.manager_id, Some(admin.id));
    // Moving someone sideways is fine.
    let r = t
        .app
        .update_person(&admin, ic.id, rapport::app::people::PersonPatch { manager_id: Some(Some(vp.id)), ..Default::default() }, ic.version)
        .await;
    assert_eq!(r.unwrap().manager_id, Some(vp.id));
}

async fn the_directory_searches_and_pages(t: TestApp) {
    let admin = t.admin().await;
    let mut csv = String::from("name,email,title,manager_email,timezone\n");
    for i in 0..120 {
        csv.push_str(&format!(
            "Person {i:03},p{i}@example.com,{},ada@example.com,UTC\n",
            if i % 10 == 0 { "Designer" } else { "Engineer" }
        ));
    }
    t.app.import_people(&admin, csv.as_bytes(), true).await.unwrap();
    let (c, _) = t.signed_in("ada@example.com").await;
    let page1 = c.get(t.url("/people")).send().await.unwrap().text().await.unwrap();
    assert!(page1.contains("1–50 of 121 people"), "{}", &page1[page1.find("aria-live").unwrap()..][..80]);
    assert!(page1.contains("href=\"/people?page=2\""));
    let page3 = c.get(t.url("/people?page=3")).send().await.unwrap().text().await.unwrap();
    assert!(page3.contains("101–121 of 121 people"));
    assert!(!page3.contains("rel=\"next\""));
    let found = c.get(t.url("/people?q=designer")).send().await.unwrap().text().await.unwrap();
    assert!(found.contains("12 people"), "titles are searched");
    let none = c.get(t.url("/people?q=zzzz")).send().await.unwrap().text().await.unwrap();
    assert!(none.contains("No one matches"));
    // Wildcards in a search are plain text, not patterns.
    let pct = c.get(t.url("/people?q=%25")).send().await.unwrap();
    assert_eq!(pct.status(), 200);
}

async fn the_org_chart_shows_the_chain_above_and_the_reports_below(t: TestApp) {
    let admin = t.admin().await;
    let vp = t.person(&admin, "Vera Vp", Some(admin.id)).await;
    let em = t.person(&admin, "Emil Manager", Some(vp.id)).await;
    let _a = t.person(&admin, "Ann Coder", Some(em.id)).await;
    let _b = t.person(&admin, "Ben Coder", Some(em.id)).await;
    let (c, _) = t.signed_in("ann.coder@example.com").await;
    let top = c.get(t.url("/org")).send().await.unwrap().text().await.unwrap();
    assert!(top.contains("Ada Admin") && top.contains("Vera Vp"), "one person at the top: the chart opens on them");
    let page = c.get(t.url(&format!("/org?focus={}", em.id))).send().await.unwrap().text().await.unwrap();
    let focus = &page[page.find("<main").unwrap()..];
    let above = focus.find("Managers above").unwrap();
    let (ada, vera, emil, ann) = (
        focus.find("Ada Admin").unwrap(),
        focus.find("Vera Vp").unwrap(),
        focus.find("Emil Manager").unwrap(),
        focus.find("Ann Coder").unwrap(),
    );
    assert!(above < ada && ada < vera && vera < emil && emil < ann, "top-down order");
    assert!(focus.contains("2 direct reports"));
    let r = c.get(t.url(&format!("/org?focus={}", uuid::Uuid::new_v4()))).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

async fn a_csv_import_is_all_or_nothing_with_every_problem_located(t: TestApp) {
    t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let bad = "name,email,title,manager_email,timezone\nGrace,grace@example.com,Eng,ada@example.com,UTC\nLin,lin@example,Eng,grace@example.com,Asia/Shanghai\n";
    let form = reqwest::multipart::Form::new().text("_csrf", csrf.clone()).text("csv", bad).text("mode", "import");
    let r = c.post(t.url("/people/import")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Nothing was imported"));
    assert!(html.contains("<td>3</td><td>2 <span class=\"muted\">(email)</span></td>"), "{html}");
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1, "the valid line was not imported either");

    // Without the token in the address, an upload is refused.
    let form = reqwest::multipart::Form::new().text("csv", bad).text("mode", "import");
    assert_eq!(c.post(t.url("/people/import")).multipart(form).send().await.unwrap().status(), 403);
    // The token goes in the form, as its first field: in the address, or after the upload, it is refused.
    let form = reqwest::multipart::Form::new().text("csv", bad).text("mode", "import");
    assert_eq!(c.post(t.url(&format!("/people/import?_csrf={csrf}"))).multipart(form).send().await.unwrap().status(), 403);
    let form = reqwest::multipart::Form::new().text("csv", bad).text("mode", "import").text("_csrf", csrf.clone());
    assert_eq!(c.post(t.url("/people/import")).multipart(form).send().await.unwrap().status(), 403);

    let good = "name,email,title,manager_email,timezone\nGrace,grace@example.com,Eng,ada@example.com,UTC\nLin,lin@example.com,Eng,grace@example.com,Asia/Shanghai\n";
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .part("file", reqwest::multipart::Part::bytes(good.as_bytes().to_vec()).file_name("people.csv"))
        .text("mode", "check");
    let r = c.post(t.url("/people/import")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Importing will add 2 and update 0"));
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1, "checking changes nothing");
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.clone())
        .part("file", reqwest::multipart::Part::bytes(good.as_bytes().to_vec()).file_name("people.csv"))
        .text("mode", "import");
    let r = c.post(t.url("/people/import")).multipart(form).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("Imported: 2 added, 0 updated"));
    let lin = rapport::store::people::get_by_email(&t.app.db, "lin@example.com").await.unwrap().unwrap();
    let grace = rapport::store::people::get_by_email(&t.app.db, "grace@example.com").await.unwrap().unwrap();
    assert_eq!(lin.manager_id, Some(grace.id), "a manager from the same file");
    assert!(!lin.can_sign_in, "imported people sign in after an invitation");
}

on_both!(a_form_that_cannot_be_read_gets_a_page_that_says_so);

async fn a_form_that_cannot_be_read_gets_a_page_that_says_so(t: TestApp) {
    let admin = t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let form = [("_csrf", csrf.as_str()), ("name", "Ada Admin"), ("timezone", "UTC"), ("version", "not a number")];
    let r = c.post(t.url(&format!("/people/{}/edit", admin.id))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("This form could not be read") && html.contains("version"), "{html}");
}

/// Past `MANAGER_LIST_MAX` people the form asks for the manager's e-mail address instead of
/// listing everyone; a typed address that matches no one is named, and nothing is saved.
async fn in_a_large_organisation_the_manager_is_typed_as_an_email_address(t: TestApp) {
    use rapport::web::pages::people::MANAGER_LIST_MAX;
    let admin = t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let page = c.get(t.url("/people/new")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<select id=\"f-manager_id\""), "a small organisation picks from a list");

    let mut csv = String::from("name,email,title,manager_email,timezone\n");
    for i in 0..MANAGER_LIST_MAX {
        csv.push_str(&format!("Person {i},p{i}@example.com,Engineer,ada@example.com,UTC\n"));
    }
    t.app.import_people(&admin, csv.as_bytes(), true).await.unwrap();
    let page = c.get(t.url("/people/new")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Manager’s e-mail address") && page.contains("type=\"email\""), "{page}");
    assert!(!page.contains("Person 17"), "no list of everyone");

    let form = |manager: &'static str| {
        [
            ("_csrf", csrf.clone()),
            ("name", "Grace Hopper".into()),
            ("email", "grace@example.com".into()),
            ("title", String::new()),
            ("timezone", "UTC".into()),
            ("manager_id", manager.into()),
        ]
    };
    let before = rapport::store::people::count(&t.app.db).await.unwrap();
    let r = c.post(t.url("/people/new")).form(&form("nobody@example.com")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("No one in rapport has the e-mail address nobody@example.com."), "{html}");
    assert!(html.contains("value=\"nobody@example.com\""), "what was typed is kept");
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), before);

    let r = c.post(t.url("/people/new")).form(&form("P17@Example.com")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let grace = rapport::store::people::get_by_email(&t.app.db, "grace@example.com").await.unwrap().unwrap();
    let p17 = rapport::store::people::get_by_email(&t.app.db, "p17@example.com").await.unwrap().unwrap();
    assert_eq!(grace.manager_id, Some(p17.id));
    // Editing shows the current manager's address.
    let edit = c.get(t.url(&format!("/people/{}/edit", grace.id))).send().await.unwrap().text().await.unwrap();
    assert!(edit.contains("value=\"p17@example.com\""), "{edit}");
}

/// A search longer than 200 characters is refused with a 422 that names `q`, everywhere text is
/// searched: the directory (API and page) and the 1:1 search (API and page). 200 is fine.
async fn every_text_search_is_capped_with_a_422_naming_the_field(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let (c, _) = t.signed_in("ada@example.com").await;
    let api = crate::support::plain();
    for n in [201, 5_000, 50_000] {
        let q = "a".repeat(n);
        for path in ["/api/v1/people", "/api/v1/search", "/api/v1/questions"] {
            let r = api.get(t.url(path)).query(&[("q", &q)]).bearer_auth(&token).send().await.unwrap();
            assert_eq!(r.status(), 422, "{path} with {n} characters");
            let e: serde_json::Value = r.json().await.unwrap();
            assert_eq!(e["error"]["fields"][0]["field"], "q", "{path}: {e}");
            assert!(e["error"]["fields"][0]["message"].as_str().unwrap().contains("200 characters"), "{path}: {e}");
        }
        for path in ["/people", "/search"] {
            let r = c.get(t.url(path)).query(&[("q", &q)]).send().await.unwrap();
            assert_eq!(r.status(), 422, "{path} with {n} characters");
            let html = r.text().await.unwrap();
            assert!(html.contains("id=\"f-q-error\"") && html.contains("200 characters"), "{path}: the message is next to the field");
        }
    }
    let q = "é".repeat(200);
    for path in ["/api/v1/people", "/api/v1/search"] {
        let r = api.get(t.url(path)).query(&[("q", &q)]).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}: 200 characters (not bytes) are fine");
    }
    for path in ["/people", "/search"] {
        assert_eq!(c.get(t.url(path)).query(&[("q", &q)]).send().await.unwrap().status(), 200, "{path}");
    }
}

/// `%`, `_` and `\` in a directory search are the characters themselves, not patterns.
async fn search_wildcards_are_matched_as_typed(t: TestApp) {
    let admin = t.admin().await;
    let csv = "name,email,title,manager_email,timezone\n\
               Pia Percent,pia@example.com,50% remote,ada@example.com,UTC\n\
               Fay Fifty,fay@example.com,500 remote,ada@example.com,UTC\n\
               Una Under,una@example.com,team_lead,ada@example.com,UTC\n\
               Tom Team,tom@example.com,teamxlead,ada@example.com,UTC\n\
               Bea Back,bea@example.com,ops\\infra,ada@example.com,UTC\n";
    t.app.import_people(&admin, csv.as_bytes(), true).await.unwrap();
    let token = t.token(&admin).await;
    let api = crate::support::plain();
    let names = |q: &'static str| {
        let (api, token, url) = (api.clone(), token.clone(), t.url("/api/v1/people"));
        async move {
            let r = api.get(url).query(&[("q", q)]).bearer_auth(&token).send().await.unwrap();
            assert_eq!(r.status(), 200, "{q}");
            let v: serde_json::Value = r.json().await.unwrap();
            let mut n: Vec<String> = v["people"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect();
            n.sort();
            n
        }
    };
    assert_eq!(names("50%").await, vec!["Pia Percent"]);
    assert_eq!(names("%").await, vec!["Pia Percent"]);
    assert_eq!(names("m_l").await, vec!["Una Under"]);
    assert_eq!(names("_").await, vec!["Una Under"]);
    assert_eq!(names("s\\i").await, vec!["Bea Back"]);
    assert_eq!(names("\\").await, vec!["Bea Back"]);
    assert_eq!(names("remote").await, vec!["Fay Fifty", "Pia Percent"]);
    let (c, _) = t.signed_in("ada@example.com").await;
    let page = c.get(t.url("/people?q=50%25")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Pia Percent") && !page.contains("Fay Fifty"), "the page too");
}
