//! Issue 12, findings 1–3 and hardening 8a–8c: invitations that cannot take over an account,
//! `next` that never leaves rapport, a sign-in throttle that cannot be raced, sessions and
//! tokens, links built from configuration only, the Origin check and HSTS.

use crate::on_both;
use crate::support::{Backend, PASSWORD, TestApp, browser, csrf_in, fresh_database, plain, spawn_on, spawn_with};
use futures_util::future::join_all;
use rapport::config::Config;
use rapport::domain::Person;
use serde_json::{Value, json};

on_both!(
    a_second_invitation_link_cannot_take_over_an_active_account,
    issuing_an_invitation_revokes_the_older_ones,
    two_simultaneous_acceptances_of_one_link_exactly_one_wins,
    next_never_leaves_rapport_over_http,
    thirty_parallel_wrong_passwords_check_at_most_five,
    one_client_address_is_throttled_across_accounts,
    a_forwarded_address_counts_only_behind_a_trusted_proxy,
    wrong_current_passwords_are_throttled,
    the_session_cookie_has_the_same_attributes_when_set_and_cleared,
    a_burst_of_pages_reads_the_session_once_and_it_never_outlives_its_end,
);

/// Someone who can be invited (no password yet), reporting to `manager`.
async fn invitee(t: &TestApp, admin: &Person, name: &str, manager: Option<&Person>) -> Person {
    t.app
        .create_person(
            admin,
            rapport::app::people::PersonInput {
                name: name.into(),
                email: format!("{}@example.com", name.to_lowercase()),
                timezone: "UTC".into(),
                manager_id: manager.map(|m| m.id),
                ..Default::default()
            },
        )
        .await
        .unwrap()
}

fn token_of(url: &str) -> String {
    url.rsplit('/').next().unwrap().to_string()
}

async fn api_invite(t: &TestApp, token: &str, person: &Person) -> String {
    let r = plain().post(t.url(&format!("/api/v1/people/{}/invitation", person.id))).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string()
}

async fn api_accept(t: &TestApp, token: &str, password: &str) -> reqwest::Response {
    plain().post(t.url(&format!("/api/v1/invitations/{token}/accept"))).json(&json!({ "password": password })).send().await.unwrap()
}

/// The exact attack of the issue: two links; the person accepts the first; the second must not
/// replace their password or sign anyone in as them.
async fn a_second_invitation_link_cannot_take_over_an_active_account(t: TestApp) {
    let admin = t.admin().await;
    let manager = t.person(&admin, "Mona", None).await;
    let aiko = invitee(&t, &admin, "Aiko", Some(&manager)).await;
    let mtoken = t.token(&manager).await;
    let first = token_of(&api_invite(&t, &mtoken, &aiko).await);
    let second = token_of(&api_invite(&t, &mtoken, &aiko).await);
    assert_ne!(first, second);

    // Aiko accepts a link (whichever the manager sent her: here the older one is already
    // replaced, so she uses the newer, and the attacker holds the older) …
    let r = api_accept(&t, &first, "aikos own passphrase").await;
    let (aikos, attackers) = if r.status() == 200 { (first, second) } else { (second, first) };
    if r.status() != 200 {
        let r = api_accept(&t, &aikos, "aikos own passphrase").await;
        assert_eq!(r.status(), 200);
    }
    // … and the other link, with any password, changes nothing and signs nobody in.
    let r = api_accept(&t, &attackers, "the attackers phrase").await;
    assert_ne!(r.status(), 200, "the second link must not work");
    assert!(r.headers().get("set-cookie").is_none(), "no session for the holder of the second link");
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap_or_default().contains("no longer works"), "{body}");
    // The used link too, again.
    let r = api_accept(&t, &aikos, "the attackers phrase").await;
    assert_ne!(r.status(), 200);
    assert!(r.headers().get("set-cookie").is_none());
    // The page says so as well.
    let r = browser().post(t.url(&format!("/invite/{attackers}"))).form(&[("password", "the attackers phrase")]).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("no longer works"));
    assert!(t.app.sign_in("aiko@example.com", "the attackers phrase").await.is_err());
    assert!(t.app.sign_in("aiko@example.com", "aikos own passphrase").await.is_ok(), "Aiko's password is hers");
    // Inviting an account that is active is refused.
    let r = plain().post(t.url(&format!("/api/v1/people/{}/invitation", aiko.id))).bearer_auth(&mtoken).send().await.unwrap();
    assert_eq!(r.status(), 422);
}

async fn issuing_an_invitation_revokes_the_older_ones(t: TestApp) {
    let admin = t.admin().await;
    let bo = invitee(&t, &admin, "Bo", None).await;
    let old = t.app.invite(&admin, bo.id).await.unwrap();
    let new = t.app.invite(&admin, bo.id).await.unwrap();
    let r = browser().get(t.url(&format!("/invite/{}", old.token))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("newer invitation"));
    let r = api_accept(&t, &old.token, "bos chosen passphrase").await;
    assert_eq!(r.status(), 422);
    assert!(t.app.sign_in("bo@example.com", "bos chosen passphrase").await.is_err());
    let r = api_accept(&t, &new.token, "bos chosen passphrase").await;
    assert_eq!(r.status(), 200);
    assert!(t.app.sign_in("bo@example.com", "bos chosen passphrase").await.is_ok());
}

async fn two_simultaneous_acceptances_of_one_link_exactly_one_wins(t: TestApp) {
    let admin = t.admin().await;
    let cy = invitee(&t, &admin, "Cy", None).await;
    let inv = t.app.invite(&admin, cy.id).await.unwrap();
    let tries = (0..10).map(|i| {
        let (url, token) = (t.url(&format!("/api/v1/invitations/{}/accept", inv.token)), inv.token.clone());
        async move {
            let _ = token;
            let password = format!("racing passphrase {i}");
            let r = plain().post(url).json(&json!({ "password": password })).send().await.unwrap();
            (r.status().as_u16(), password)
        }
    });
    let results = join_all(tries).await;
    let winners: Vec<_> = results.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(winners.len(), 1, "exactly one acceptance wins: {results:?}");
    assert!(results.iter().all(|(s, _)| *s == 200 || *s == 422), "{results:?}");
    assert!(t.app.sign_in("cy@example.com", &winners[0].1).await.is_ok(), "the winner's password works");
    // The losers' passwords do not (four of them: a fifth failure would pause the account).
    for (_, password) in results.iter().filter(|(s, _)| *s != 200).take(4) {
        assert!(t.app.sign_in("cy@example.com", password).await.is_err(), "{password} was not set");
    }
}

/// The corpus of known bypasses (tests/data/redirect_bypasses.txt, with escapes).
pub fn redirect_corpus() -> Vec<String> {
    include_str!("../data/redirect_bypasses.txt").lines().filter(|l| !l.is_empty() && !l.starts_with('#')).map(unescape).collect()
}

/// `\t`, `\r`, `\n`, `\0`, `\xNN` and `\u{N…}` in a corpus line; any other backslash stays.
fn unescape(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some('0') => out.push('\0'),
            Some('x') => {
                chars.next();
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).expect("\\xNN")));
                continue;
            }
            Some('u') => {
                chars.next();
                assert_eq!(chars.next(), Some('{'));
                let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

/// The function itself, on every entry of the corpus (and on entries that must survive).
#[test]
fn safe_next_keeps_every_bypass_on_rapport() {
    let corpus = redirect_corpus();
    assert!(corpus.len() >= 30, "the corpus has {} entries", corpus.len());
    assert!(corpus.iter().any(|c| c.contains('\t')) && corpus.iter().any(|c| c.contains('\\')), "escapes are read");
    for input in &corpus {
        assert_local(&rapport::web::auth::safe_next(Some(input)), input);
    }
    for (input, want) in [
        ("/meetings", "/meetings"),
        ("/people?q=ada&page=2", "/people?q=ada&page=2"),
        ("/a/./b/../c", "/a/c"),
        ("/caf\u{e9}", "/caf%C3%A9"),
        ("", "/"),
    ] {
        assert_eq!(rapport::web::auth::safe_next(Some(input)), want, "{input:?}");
    }
    assert_eq!(rapport::web::auth::safe_next(None), "/");
}

/// A `Location` that a browser resolves to rapport itself.
fn assert_local(location: &str, input: &str) {
    assert!(location.starts_with('/'), "{input:?} → {location:?}");
    assert!(!location.starts_with("//") && !location.starts_with("/\\"), "{input:?} → {location:?}");
    assert!(location.bytes().all(|b| b.is_ascii_graphic()), "{input:?} → {location:?}: only visible ASCII");
    assert!(!location.contains('\\'), "{input:?} → {location:?}");
    let base = url::Url::parse("http://rapport.test/settings").unwrap();
    let resolved = base.join(location).unwrap();
    assert_eq!(resolved.origin(), base.origin(), "{input:?} → {location:?}");
}

async fn next_never_leaves_rapport_over_http(t: TestApp) {
    t.admin().await;
    let corpus = redirect_corpus();
    assert!(corpus.len() >= 30, "the corpus has {} entries", corpus.len());
    let (c, _) = t.signed_in("ada@example.com").await;
    for input in &corpus {
        // Signed in, the sign-in page sends people on at once.
        let q: String = form_urlencoded::Serializer::new(String::new()).append_pair("next", input).finish();
        let r = c.get(t.url(&format!("/sign-in?{q}"))).send().await.unwrap();
        assert_eq!(r.status(), 303, "GET /sign-in?{q}");
        assert_local(r.headers()["location"].to_str().unwrap(), input);
        // Signing in with it.
        let r = browser()
            .post(t.url("/sign-in"))
            .form(&[("email", "ada@example.com"), ("password", PASSWORD), ("next", input.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "POST /sign-in with next={input:?}");
        assert_local(r.headers()["location"].to_str().unwrap(), input);
    }
    // Ordinary local targets still work, query included.
    let r = c.get(t.url("/sign-in?next=%2Fpeople%3Fq%3Dada")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/people?q=ada");
}

async fn post_wrong(url: String, email: &str) -> u16 {
    plain().post(url).form(&[("email", email), ("password", "not the password")]).send().await.unwrap().status().as_u16()
}

fn count(statuses: &[u16], s: u16) -> usize {
    statuses.iter().filter(|x| **x == s).count()
}

async fn thirty_parallel_wrong_passwords_check_at_most_five(t: TestApp) {
    t.admin().await;
    let statuses = join_all((0..30).map(|_| post_wrong(t.url("/sign-in"), "ada@example.com"))).await;
    assert_eq!(count(&statuses, 422), 5, "five passwords checked: {statuses:?}");
    assert_eq!(count(&statuses, 429), 25, "{statuses:?}");
}

/// Two instances on one PostgreSQL share the count.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_throttle_holds_across_instances_on_postgres() {
    let (db_url, _db) = fresh_database(Backend::Postgres).await;
    let a = spawn_on(&db_url, None, Config::default()).await;
    let b = spawn_on(&db_url, None, Config::default()).await;
    a.admin().await;
    let tries = (0..30).map(|i| post_wrong(if i % 2 == 0 { a.url("/sign-in") } else { b.url("/sign-in") }, "ada@example.com"));
    let statuses = join_all(tries).await;
    assert_eq!(count(&statuses, 422), 5, "five passwords checked in all: {statuses:?}");
    assert_eq!(count(&statuses, 429), 25, "{statuses:?}");
}

fn small_client_limit() -> Config {
    Config { login_max_failures_per_client: 8, ..Config::default() }
}

/// Many accounts from one address: after the address's limit every sign-in from it waits,
/// even with a right password; other addresses' attempts are not affected.
async fn one_client_address_is_throttled_across_accounts(t: TestApp) {
    let t = respawn(t, small_client_limit()).await;
    t.admin().await;
    let mut statuses = vec![];
    for i in 0..10 {
        statuses.push(post_wrong(t.url("/sign-in"), &format!("user{i}@example.com")).await);
    }
    assert_eq!(statuses, [vec![422; 8], vec![429; 2]].concat());
    let r = plain().post(t.url("/sign-in")).form(&[("email", "ada@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(r.status(), 429, "this address waits, right password or not");
    // Ada's account itself was never attacked: she can sign in from elsewhere.
    assert!(t.app.sign_in("ada@example.com", PASSWORD).await.is_ok());
}

/// `X-Forwarded-For` is believed only from a configured proxy.
async fn a_forwarded_address_counts_only_behind_a_trusted_proxy(t: TestApp) {
    let untrusted = respawn(t, small_client_limit()).await;
    untrusted.admin().await;
    for i in 0..8 {
        let r = plain()
            .post(untrusted.url("/sign-in"))
            .header("x-forwarded-for", format!("203.0.113.{i}"))
            .form(&[("email", format!("user{i}@example.com").as_str()), ("password", "wrong wrong")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
    }
    let r = plain()
        .post(untrusted.url("/sign-in"))
        .header("x-forwarded-for", "203.0.113.200")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429, "a made-up X-Forwarded-For does not reset the count");

    let config = Config { trusted_proxies: vec!["127.0.0.1".parse().unwrap()], ..small_client_limit() };
    let (db_url, dir) = fresh_database(if untrusted.db_url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite }).await;
    let proxied = spawn_on(&db_url, dir, config).await;
    proxied.admin().await;
    let from = |ip: &'static str, email: String, password: &'static str| {
        let url = proxied.url("/sign-in");
        async move {
            plain()
                .post(url)
                .header("x-forwarded-for", format!("198.51.100.77, {ip}"))
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..8 {
        assert_eq!(from("203.0.113.5", format!("user{i}@example.com"), "wrong wrong").await, 422);
    }
    assert_eq!(from("203.0.113.5", "ada@example.com".into(), PASSWORD).await, 429, "the client behind the proxy waits");
    assert_eq!(from("203.0.113.6", "ada@example.com".into(), PASSWORD).await, 303, "another client does not");
}

/// The same database and backend, with another configuration.
async fn respawn(t: TestApp, config: Config) -> TestApp {
    let backend = if t.db_url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
    drop(t);
    spawn_with(backend, config).await
}

async fn wrong_current_passwords_are_throttled(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let change = |current: &'static str| {
        let (url, token) = (t.url("/api/v1/me/password"), token.clone());
        async move {
            plain()
                .put(url)
                .bearer_auth(token)
                .json(&json!({ "current_password": current, "new_password": "a fresh new passphrase" }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // In parallel: five checked, the rest wait.
    let statuses = join_all((0..12).map(|_| change("not my password"))).await;
    assert_eq!(count(&statuses, 422), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 7, "{statuses:?}");
    assert_eq!(change(PASSWORD).await, 429, "even the right one waits now");
    // The page too.
    let page = respawn(t, Config::default()).await;
    page.admin().await;
    let (c, csrf) = page.signed_in("ada@example.com").await;
    let mut statuses = vec![];
    for _ in 0..6 {
        let r = c
            .post(page.url("/settings/password"))
            .form(&[("_csrf", csrf.as_str()), ("current_password", "not my password"), ("new_password", "a fresh new passphrase")])
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(r.text().await.unwrap().contains("Too many"));
        }
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    let _ = csrf_in;
}

on_both!(
    a_password_change_keeps_tokens_and_says_so,
    signing_out_everywhere_ends_sessions_and_tokens,
    links_never_come_from_the_host_header,
    the_origin_check_compares_scheme_host_and_port,
);

async fn a_password_change_keeps_tokens_and_says_so(t: TestApp) {
    let admin = t.admin().await;
    let token = t.token(&admin).await;
    let (laptop, csrf) = t.signed_in("ada@example.com").await;
    let (phone, _) = t.signed_in("ada@example.com").await;
    let settings = laptop.get(t.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("your API tokens keep working"), "the page says it before");
    let r = laptop
        .post(t.url("/settings/password"))
        .form(&[("_csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", "a brand new passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("Your other sessions were signed out; this one stays"), "{html}");
    assert!(html.contains("Your API tokens keep working"));
    assert_eq!(laptop.get(t.url("/settings")).send().await.unwrap().status(), 200);
    assert_eq!(phone.get(t.url("/settings")).send().await.unwrap().status(), 303);
    assert_eq!(plain().get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 200, "as the page said");
}

async fn signing_out_everywhere_ends_sessions_and_tokens(t: TestApp) {
    let admin = t.admin().await;
    let bo = t.person(&admin, "Bo", None).await;
    // The page.
    let token = t.token(&admin).await;
    let (laptop, csrf) = t.signed_in("ada@example.com").await;
    let (phone, _) = t.signed_in("ada@example.com").await;
    let (bos, _) = t.signed_in("bo@example.com").await;
    let bos_token = t.token(&bo).await;
    let settings = laptop.get(t.url("/settings")).send().await.unwrap().text().await.unwrap();
    assert!(settings.contains("Sign out everywhere") && settings.contains("revokes all your API tokens"));
    let r = laptop.post(t.url("/settings/sign-out-everywhere")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    for (who, c) in [("this session", &laptop), ("the other session", &phone)] {
        assert_eq!(c.get(t.url("/settings")).send().await.unwrap().status(), 303, "{who} ended");
    }
    assert_eq!(plain().get(t.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 401, "the token is revoked");
    assert_eq!(bos.get(t.url("/settings")).send().await.unwrap().status(), 200, "someone else's session stays");
    assert_eq!(plain().get(t.url("/api/v1/me")).bearer_auth(&bos_token).send().await.unwrap().status(), 200);
    // The API, with a token: that token and every other one end, and the sessions.
    let second = t.token(&bo).await;
    let r = plain().post(t.url("/api/v1/me/sign-out-everywhere")).bearer_auth(&second).send().await.unwrap();
    assert_eq!(r.status(), 204);
    for tk in [&second, &bos_token] {
        assert_eq!(plain().get(t.url("/api/v1/me")).bearer_auth(tk).send().await.unwrap().status(), 401);
    }
    assert_eq!(bos.get(t.url("/settings")).send().await.unwrap().status(), 303);
    assert!(t.app.sign_in("bo@example.com", PASSWORD).await.is_ok(), "the password still works");
}

async fn links_never_come_from_the_host_header(t: TestApp) {
    let admin = t.admin().await;
    let cy = invitee(&t, &admin, "Cy", None).await;
    let token = t.token(&admin).await;
    let host = t.base.trim_start_matches("http://").to_string();
    let r = plain()
        .post(t.url(&format!("/api/v1/people/{}/invitation", cy.id)))
        .header("host", "evil.example")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let url = r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    assert!(!url.contains("evil.example") && url.starts_with(&format!("http://{host}/invite/")), "{url}");
    // The page that shows the link.
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let r = c
        .post(t.url(&format!("/people/{}/invite", cy.id)))
        .header("host", "evil.example")
        .header("origin", "http://evil.example")
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(!html.contains("evil.example"), "{html}");
    // The calendar feed.
    let r = plain().post(t.url("/api/v1/me/calendar-feed")).header("host", "evil.example").bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let url = r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    assert!(!url.contains("evil.example") && url.starts_with(&format!("http://{host}/calendar/")), "{url}");
    // With a public URL, that.
    let configured = respawn(t, Config { public_url: Some("https://rapport.example.org".into()), ..Config::default() }).await;
    let admin = configured.admin().await;
    let cy = invitee(&configured, &admin, "Cy", None).await;
    let token = configured.token(&admin).await;
    let r = plain()
        .post(configured.url(&format!("/api/v1/people/{}/invitation", cy.id)))
        .header("host", "evil.example")
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let url = r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("https://rapport.example.org/invite/"), "{url}");
}

async fn sign_in_from_origin(t: &TestApp, origin: &str) -> u16 {
    plain()
        .post(t.url("/sign-in"))
        .header("origin", origin)
        .form(&[("email", "ada@example.com"), ("password", "not the password")])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn the_origin_check_compares_scheme_host_and_port(t: TestApp) {
    t.admin().await;
    let host = t.base.trim_start_matches("http://").to_string();
    let (h, port) = host.rsplit_once(':').unwrap();
    // No public URL: the request's own origin, over plain HTTP.
    assert_eq!(sign_in_from_origin(&t, &t.base).await, 422, "same origin passes (and the password is checked)");
    assert_eq!(sign_in_from_origin(&t, &format!("https://{host}")).await, 403, "another scheme");
    assert_eq!(sign_in_from_origin(&t, &format!("http://{h}:{}", port.parse::<u16>().unwrap() + 1)).await, 403, "another port");
    assert_eq!(sign_in_from_origin(&t, "http://evil.example").await, 403, "another host");
    assert_eq!(sign_in_from_origin(&t, &format!("http://{h}")).await, 403, "no port is port 80");
    let r = plain().get(t.url("/sign-in")).send().await.unwrap();
    assert!(r.headers().get("strict-transport-security").is_none(), "no HSTS over plain HTTP");

    // A public URL: exactly its origin, whatever the Host header says.
    let configured = respawn(t, Config { public_url: Some("https://rapport.example.org".into()), ..Config::default() }).await;
    configured.admin().await;
    assert_eq!(sign_in_from_origin(&configured, "https://rapport.example.org").await, 422);
    assert_eq!(sign_in_from_origin(&configured, "https://rapport.example.org:443").await, 422, "the default port is the same origin");
    assert_eq!(sign_in_from_origin(&configured, "http://rapport.example.org").await, 403, "http is another origin");
    assert_eq!(sign_in_from_origin(&configured, "https://rapport.example.org:8443").await, 403);
    assert_eq!(sign_in_from_origin(&configured, &configured.base).await, 403, "the bind address is not the public origin");
    let r = plain().get(configured.url("/sign-in")).send().await.unwrap();
    assert_eq!(r.headers()["strict-transport-security"], "max-age=31536000");
}

/// `rapport token sign-out-everywhere`: the operator's way, for someone who lost a device.
#[tokio::test]
async fn the_cli_signs_someone_out_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let rapport = || {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"));
        c.current_dir(dir.path())
            .env_remove("RAPPORT_DATABASE_URL")
            .env_remove("RAPPORT_CONFIG")
            .arg("--data-dir")
            .arg(dir.path().join("data"));
        c
    };
    let out = rapport()
        .args(["admin", "create", "--name", "Ada", "--email", "ada@example.com"])
        .env("RAPPORT_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = rapport().args(["token", "create", "--email", "ada@example.com", "--name", "script"]).output().unwrap();
    let token = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let app = || async {
        let db = rapport::store::Db::connect(&rapport::store::sqlite_url_for(&dir.path().join("data"))).await.unwrap();
        rapport::app::App::new(db, Config::default())
    };
    let before = app().await;
    assert!(before.authenticate_token(&token).await.unwrap().is_some());
    let session = before.sign_in("ada@example.com", PASSWORD).await.unwrap();
    before.db.close().await;
    let out = rapport().args(["token", "sign-out-everywhere", "--email", "ada@example.com"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8(out.stdout).unwrap().contains("1 sessions ended, 1 API tokens revoked"));
    let after = app().await;
    assert!(after.authenticate_token(&token).await.unwrap().is_none(), "the token is revoked");
    assert!(after.session(&session.token).await.unwrap().is_none(), "the session ended");
    assert!(after.sign_in("ada@example.com", PASSWORD).await.is_ok(), "the password is unchanged");
}

/// The attributes of a `Set-Cookie` header, sorted: `name=value` first, then the rest.
fn cookie_parts(r: &reqwest::Response) -> (String, Vec<String>) {
    let all: Vec<_> = r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert_eq!(all.len(), 1, "one cookie: {all:?}");
    let mut parts = all[0].split(';').map(|p| p.trim().to_string());
    let pair = parts.next().unwrap();
    let mut attributes: Vec<String> = parts.collect();
    attributes.sort();
    (pair, attributes)
}

/// The session cookie at sign-in and sign-out: HttpOnly, SameSite=Lax, Path=/, the session's
/// lifetime as Max-Age, Secure only with an https public URL; cleared with Max-Age=0.
async fn the_session_cookie_has_the_same_attributes_when_set_and_cleared(t: TestApp) {
    let sign_in =
        |t: &TestApp, c: &reqwest::Client| c.post(t.url("/sign-in")).form(&[("email", "ada@example.com"), ("password", PASSWORD)]).send();
    let cleared = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    t.admin().await;
    let c = browser();
    let r = sign_in(&t, &c).await.unwrap();
    assert_eq!(r.status(), 303);
    let (pair, attributes) = cookie_parts(&r);
    let (name, token) = pair.split_once('=').unwrap();
    assert_eq!(name, "rapport_session");
    assert!(token.len() >= 32, "{token}");
    assert_eq!(attributes, cleared(&["HttpOnly", "Max-Age=1209600", "Path=/", "SameSite=Lax"]));
    let csrf = csrf_in(&c.get(t.url("/settings")).send().await.unwrap().text().await.unwrap());
    let r = c.post(t.url("/sign-out")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(cookie_parts(&r), ("rapport_session=".to_string(), cleared(&["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax"])));

    // Behind https, the cookie is Secure; the API's sign-out-everywhere clears it the same way.
    let config = Config { public_url: Some("https://rapport.example.org".into()), session_days: 3, ..Config::default() };
    let t = respawn(t, config).await;
    t.admin().await;
    let r = sign_in(&t, &browser()).await.unwrap();
    assert_eq!(r.status(), 303);
    let (pair, attributes) = cookie_parts(&r);
    assert_eq!(attributes, cleared(&["HttpOnly", "Max-Age=259200", "Path=/", "SameSite=Lax", "Secure"]));
    let settings = plain().get(t.url("/settings")).header("cookie", &pair).send().await.unwrap();
    let csrf = csrf_in(&settings.text().await.unwrap());
    let r =
        plain().post(t.url("/api/v1/me/sign-out-everywhere")).header("cookie", &pair).header("x-csrf-token", csrf).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(cookie_parts(&r), ("rapport_session=".to_string(), cleared(&["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax"])));
}

/// A session as a `Cookie` header value, from a sign-in.
async fn session_cookie(t: &TestApp, email: &str) -> String {
    let r = plain().post(t.url("/sign-in")).form(&[("email", email), ("password", PASSWORD), ("next", "/")]).send().await.unwrap();
    assert_eq!(r.status(), 303, "sign-in as {email}");
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

/// Pages in a burst from one browser read its session once (for most pages it was one of two
/// or three statements). Signing out ends it at once; a session ended where this process
/// cannot see it (another instance, the command line) is refused within two seconds.
async fn a_burst_of_pages_reads_the_session_once_and_it_never_outlives_its_end(t: TestApp) {
    crate::support::statements::count();
    t.admin().await;
    let settings = |cookie: String| {
        let url = t.url("/settings");
        async move { plain().get(url).header("cookie", cookie).send().await.unwrap() }
    };
    let first = session_cookie(&t, "ada@example.com").await;
    let page = settings(first.clone()).await;
    assert_eq!(page.status(), 200);
    let csrf = csrf_in(&page.text().await.unwrap());
    let again = crate::support::statements::texts_of(async {
        assert_eq!(settings(first.clone()).await.status(), 200);
    })
    .await;
    assert!(!again.iter().any(|s| s.contains("FROM session")), "the second page read the session again: {again:#?}");

    let r = plain().post(t.url("/sign-out")).header("cookie", &first).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed out");
    assert_eq!(settings(first).await.status(), 303, "a session signed out here is refused at once");

    // Ended behind this process's back: no write of its own tells it.
    let second = session_cookie(&t, "ada@example.com").await;
    assert_eq!(settings(second.clone()).await.status(), 200);
    match &t.app.db {
        rapport::store::Db::Sqlite(s) => sqlx::query("DELETE FROM session").execute(&s.write_pool).await.unwrap().rows_affected(),
        rapport::store::Db::Postgres(p) => sqlx::query("DELETE FROM session").execute(p).await.unwrap().rows_affected(),
    };
    t.clock.advance(chrono::Duration::milliseconds(rapport::app::cache::SESSION_FRESH_MS));
    assert_eq!(settings(second).await.status(), 303, "a session ended elsewhere is refused within two seconds");
}
