//! The JSON API: tokens, people, imports, errors that say where, the OpenAPI document,
//! health checks, and several instances sharing one PostgreSQL.

use crate::on_both;
use crate::support::{Backend, TestApp, plain, spawn_on};
use serde_json::{Value, json};

on_both!(
    tokens_authenticate_scripts_until_revoked,
    people_are_created_read_and_changed_through_the_api,
    bad_requests_get_clear_errors_and_change_nothing,
    csv_imports_through_the_api_report_lines_and_columns,
    the_openapi_document_describes_every_api_route,
    health_and_readiness_answer,
);

async fn tokens_authenticate_scripts_until_revoked(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let r = c.get(t.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    let r = c.get(t.url("/api/v1/me")).bearer_auth("rpt_wrong").send().await.unwrap();
    assert_eq!(r.status(), 401);
    let me: Value = c.get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "ada@example.com");

    // Tokens make tokens; none of them needs a CSRF token (no cookie to forge).
    let r = c.post(t.url("/api/v1/tokens")).bearer_auth(&token).json(&json!({"name": "cron"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let new: Value = r.json().await.unwrap();
    let second = new["token"].as_str().unwrap().to_string();
    assert!(second.starts_with("rpt_"));
    let list: Value = c.get(t.url("/api/v1/tokens")).bearer_auth(&second).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list.to_string().find("rpt_").is_none(), "secrets are never listed");
    let r = c.delete(t.url(&format!("/api/v1/tokens/{}", new["id"].as_str().unwrap()))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(c.get(t.url("/api/v1/me")).bearer_auth(&second).send().await.unwrap().status(), 401);
}

async fn people_are_created_read_and_changed_through_the_api(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let r = c
        .post(t.url("/api/v1/people"))
        .bearer_auth(&token)
        .json(&json!({"name": "Grace Hopper", "email": "grace@example.com", "timezone": "America/New_York", "manager_id": admin.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let grace: Value = r.json().await.unwrap();
    let id = grace["id"].as_str().unwrap();
    let profile: Value = c.get(t.url(&format!("/api/v1/people/{id}"))).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(profile["managers"][0]["name"], "Ada Admin");

    let r = c
        .patch(t.url(&format!("/api/v1/people/{id}")))
        .bearer_auth(&token)
        .json(&json!({"version": grace["version"], "title": "Rear Admiral", "manager_id": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["title"], "Rear Admiral");
    assert_eq!(changed["manager_id"], Value::Null, "null removes the manager");
    // The same change again, from the old version: someone else got there first.
    let r = c
        .patch(t.url(&format!("/api/v1/people/{id}")))
        .bearer_auth(&token)
        .json(&json!({"version": grace["version"], "title": "X"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    // A loop, through the API.
    let r = c
        .patch(t.url(&format!("/api/v1/people/{}", admin.id)))
        .bearer_auth(&token)
        .json(&json!({"version": admin.version, "manager_id": admin.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "manager_id");

    let list: Value = c.get(t.url("/api/v1/people?q=grace")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["total"], 1);
    let org: Value = c.get(t.url("/api/v1/org")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(org["below"].as_array().unwrap().len(), 2, "two people at the top now");

    let r = c.post(t.url(&format!("/api/v1/people/{id}/invitation"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let inv: Value = r.json().await.unwrap();
    let url = inv["url"].as_str().unwrap();
    assert!(url.starts_with(&t.base));
    let invite_token = url.rsplit('/').next().unwrap();
    let r = c
        .post(t.url(&format!("/api/v1/invitations/{invite_token}/accept")))
        .json(&json!({"password": "graces passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(t.url(&format!("/api/v1/invitations/{invite_token}/accept")))
        .json(&json!({"password": "graces passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422, "used once");
}

async fn bad_requests_get_clear_errors_and_change_nothing(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let url = t.url("/api/v1/people");
    let r =
        c.post(&url).bearer_auth(&token).body("name=x").header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
    assert_eq!(r.status(), 415);
    let r = c
        .post(&url)
        .bearer_auth(&token)
        .body("{\"name\": \"Grace\",\n \"email\": }")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("line 2"), "{body}");
    let r = c
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"name": "G", "email": "g@example.com", "timezone": "UTC", "nickname": "Amazing"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "nickname", "{body}");
    let r = c.post(&url).bearer_auth(&token).json(&json!({"name": "G", "email": 42, "timezone": "UTC"})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let r = c.post(&url).bearer_auth(&token).json(&json!({"name": "", "email": "nope", "timezone": "Moon/Base"})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["name", "email", "timezone"]);
    // Just over the 1 MiB limit, so the whole body is written before the server answers.
    let huge = "x".repeat(1024 * 1024 + 16 * 1024);
    let r =
        c.post(&url).bearer_auth(&token).json(&json!({"name": huge, "email": "g@example.com", "timezone": "UTC"})).send().await.unwrap();
    assert_eq!(r.status(), 413);
    let r = c
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"name": "Again", "email": "ADA@example.com", "timezone": "UTC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("already in rapport"));
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1);
    let r = c.get(t.url("/api/v1/people/not-a-uuid")).bearer_auth(&token).send().await.unwrap();
    assert!(r.status().is_client_error());
    let r = c.get(t.url("/api/v1/nothing-here")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

async fn csv_imports_through_the_api_report_lines_and_columns(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let csv = "name,email,title,manager_email,timezone\nA,a@example.com,,b@example.com,UTC\nB,b@example.com,,a@example.com,UTC\nC,c@example.com,,,Mars/Base\n";
    let r = c.post(t.url("/api/v1/people/import")).bearer_auth(&token).header("content-type", "text/csv").body(csv).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    let fields = body["error"]["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f["line"] == 4 && f["column"] == 5 && f["field"] == "timezone"), "{body}");
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1);
    let csv = "name,email,title,manager_email,timezone\nA,a@example.com,,,UTC\nB,b@example.com,,a@example.com,UTC\n";
    let dry: Value = c
        .post(t.url("/api/v1/people/import?dry_run=true"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dry, json!({"created": 2, "updated": 0, "applied": false}));
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1);
    let done: Value = c
        .post(t.url("/api/v1/people/import"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(done, json!({"created": 2, "updated": 0, "applied": true}));
    // The loop case: a file that makes people manage each other.
    let csv = "name,email,title,manager_email,timezone\nA,a@example.com,,b@example.com,UTC\n";
    let r = c.post(t.url("/api/v1/people/import")).bearer_auth(&token).header("content-type", "text/csv").body(csv).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("loop"));
    let r = c
        .post(t.url("/api/v1/people/import"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
}

async fn the_openapi_document_describes_every_api_route(t: TestApp) {
    let doc: Value = plain().get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() > 50, "{} paths", paths.len());
    // The router and the document come from one list (`routes!` in `web::api`). Check it from
    // outside: every documented path is served, with exactly the documented methods. A method
    // the path does not document (TRACE is documented nowhere) is answered 405, whose `Allow`
    // header is what the router serves there; an undocumented path would answer 404.
    let c = plain();
    for (path, item) in paths {
        assert!(path.starts_with("/api/v1/"), "{path}");
        let documented: std::collections::BTreeSet<String> = item.as_object().unwrap().keys().map(|m| m.to_uppercase()).collect();
        // Any value fits a parameter: a uuid never collides with a fixed segment (`import`, `team`).
        let url = path
            .split('/')
            .map(|s| if s.starts_with('{') { "00000000-0000-0000-0000-000000000000" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let r = c.request(reqwest::Method::TRACE, t.url(&url)).send().await.unwrap();
        assert_eq!(r.status(), 405, "TRACE {url}: is {path} served?");
        let allow = r.headers().get("allow").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let served: std::collections::BTreeSet<String> =
            allow.split(',').map(|m| m.trim().to_string()).filter(|m| !m.is_empty() && m != "HEAD").collect();
        assert_eq!(served, documented, "the methods {path} serves and documents");
        assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "method_not_allowed");
    }
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
}

async fn health_and_readiness_answer(t: TestApp) {
    let c = plain();
    assert_eq!(c.get(t.url("/healthz")).send().await.unwrap().text().await.unwrap(), "ok");
    let r = c.get(t.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("x-request-id"), "every answer carries a request id");
    t.app.db.close().await;
    assert_eq!(c.get(t.url("/readyz")).send().await.unwrap().status(), 503);
}

/// Two app instances over one PostgreSQL: a session made on one works on the other, and a
/// sign-out on one ends it on both, because sessions live in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_sharing_one_postgres_share_sessions() {
    let a = crate::support::spawn(Backend::Postgres).await;
    let b = spawn_on(&a.db_url, None, rapport::config::Config::default()).await;
    a.admin().await;
    let (c, _) = a.signed_in("ada@example.com").await;
    let cookie = {
        let r = crate::support::browser()
            .post(a.url("/sign-in"))
            .form(&[("email", "ada@example.com"), ("password", crate::support::PASSWORD)])
            .send()
            .await
            .unwrap();
        r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
    };
    let r = plain().get(b.url("/settings")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), 200, "instance b knows a's session");
    let r =
        plain().post(b.url("/sign-out")).header("cookie", &cookie).form(&[("_csrf", csrf_for(&b, &cookie).await)]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(plain().get(a.url("/settings")).header("cookie", &cookie).send().await.unwrap().status(), 303, "signed out on a too");
    assert_eq!(c.get(a.url("/settings")).send().await.unwrap().status(), 200, "the other session is untouched");
}

async fn csrf_for(t: &TestApp, cookie: &str) -> String {
    let html = plain().get(t.url("/settings")).header("cookie", cookie).send().await.unwrap().text().await.unwrap();
    crate::support::csrf_in(&html)
}

/// Every error under /api answers the documented JSON shape, including the ones axum and the
/// middleware produce before a handler runs: a bad query string, a bad path parameter, a
/// missing query parameter, a body over the limit, another method on a known path, an unknown
/// path. (The web layer only; the database does not matter, so SQLite only.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_error_answers_the_json_error_shape() {
    let config = rapport::config::Config { max_import_bytes: 0, ..Default::default() };
    let t = crate::support::spawn_with(Backend::Sqlite, config).await;
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let too_big = vec![b'a'; 200 * 1024];
    let cases = [
        (c.get(t.url("/api/v1/people?page=-1")), 400, "bad_request"),
        (c.get(t.url("/api/v1/people?per_page=x")), 400, "bad_request"),
        (c.get(t.url("/api/v1/people/not-a-uuid")), 400, "bad_request"),
        (c.post(t.url("/api/v1/frameworks/import")).header("content-type", "text/csv").body("a,b"), 400, "bad_request"),
        (c.post(t.url("/api/v1/frameworks/import?format=csv")).header("content-type", "text/csv").body(too_big), 413, "payload_too_large"),
        (c.delete(t.url("/api/v1/me")), 405, "method_not_allowed"),
        (c.get(t.url("/api/v1/no-such-thing")), 404, "not_found"),
    ];
    for (request, status, code) in cases {
        let r = request.bearer_auth(&token).send().await.unwrap();
        let what = format!("{} {}", r.url(), r.status());
        assert_eq!(r.status().as_u16(), status, "{what}");
        let ct = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{what}: {ct}");
        if status == 405 {
            assert!(r.headers().contains_key("allow"), "{what}: 405 keeps its Allow header");
        }
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{what}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "{what}: {body}");
    }
    // Pages keep their own error pages.
    let r = c.get(t.url("/no-such-page")).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

/// What the server refuses, the schema says; what the schema forbids, the server refuses.
/// (Found by schemathesis: `per_page=2147483648` and `kind=` were accepted, `limit` and
/// `purposes` were checked but not stated.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_and_the_schema_agree_on_constraints() {
    let t = crate::support::spawn(Backend::Sqlite).await;
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let c = plain();
    let doc: Value = c.get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == name).unwrap()["schema"].clone()
    };
    let per_page = param("/api/v1/people", "per_page");
    assert_eq!((per_page["minimum"].as_i64(), per_page["maximum"].as_i64()), (Some(1), Some(200)), "{per_page}");
    assert_eq!(param("/api/v1/people", "page")["minimum"].as_i64(), Some(1));
    let limit = param("/api/v1/meetings/upcoming", "limit");
    assert_eq!((limit["minimum"].as_i64(), limit["maximum"].as_i64()), (Some(1), Some(100)), "{limit}");
    assert_eq!(doc["components"]["schemas"]["NewQuestion"]["properties"]["purposes"]["minItems"], 1);

    for (query, status) in [
        ("/api/v1/people?per_page=2147483648", 400),
        ("/api/v1/people?per_page=201", 400),
        ("/api/v1/people?per_page=0", 400),
        ("/api/v1/people?page=0", 400),
        ("/api/v1/people?page=1&per_page=200", 200),
        ("/api/v1/actions?kind=", 400),
        ("/api/v1/actions?kind=help", 200),
        ("/api/v1/search?q=x&with=", 400),
        ("/api/v1/meetings/upcoming?limit=", 400),
        ("/api/v1/meetings/upcoming?limit=101", 422),
        ("/api/v1/meetings/upcoming?limit=100", 200),
    ] {
        let r = c.get(t.url(query)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), status, "{query}");
        if status != 200 {
            let body: Value = r.json().await.unwrap();
            assert!(body["error"]["code"].is_string(), "{query}: {body}");
        }
    }
    let r = c.post(t.url("/api/v1/questions")).bearer_auth(&token).json(&json!({"text": "Why?", "purposes": []})).send().await.unwrap();
    assert_eq!(r.status(), 422);

    // Every operation documents the error answers it can give.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            for status in ["400", "404", "422", "503"] {
                assert!(responses.contains_key(status), "{method} {path} does not document {status}");
            }
            if op.get("requestBody").is_some() {
                assert!(responses.contains_key("413") && responses.contains_key("415"), "{method} {path}");
            }
            if method != "get" {
                assert!(responses.contains_key("409"), "{method} {path} does not document 409");
            }
        }
    }
}
