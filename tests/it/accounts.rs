//! Setup, sign-in, sessions, CSRF, password change, invitations, throttling.

use crate::on_both;
use crate::support::{PASSWORD, TestApp, browser, csrf_in};
use chrono::Duration;

on_both!(
    a_new_instance_sends_the_first_visitor_to_setup_and_setup_works_once,
    signing_in_checks_the_password_and_signing_out_ends_the_session,
    repeated_failed_sign_ins_pause_the_address,
    forms_without_the_session_token_or_from_other_sites_are_refused,
    changing_the_password_signs_out_other_sessions,
    an_invitation_works_once_and_expires,
);

async fn a_new_instance_sends_the_first_visitor_to_setup_and_setup_works_once(t: TestApp) {
    let c = browser();
    let r = c.get(t.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/setup");

    // Bad input: each problem next to its field, what was typed kept, nothing created.
    let r = c
        .post(t.url("/setup"))
        .form(&[("name", "Ada"), ("email", "ada@"), ("title", "Boss"), ("timezone", "Mars/Base"), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-email-error\""), "{html}");
    assert!(html.contains("id=\"f-timezone-error\""));
    assert!(html.contains("id=\"f-password-error\""));
    assert!(html.contains("value=\"Boss\""), "typed values are kept");
    assert!(t.app.needs_setup().await.unwrap());

    let r = c
        .post(t.url("/setup"))
        .form(&[("name", "Ada Admin"), ("email", "Ada@Example.com"), ("title", ""), ("timezone", "Europe/Berlin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let profile = r.headers()["location"].to_str().unwrap().to_string();
    assert!(profile.starts_with("/people/"));
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let page = c.get(t.url(&profile)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("<h1>Ada Admin</h1>"));

    // Once an admin exists, setup is closed: the page moves on and a replayed form is refused.
    let r = browser().get(t.url("/setup")).send().await.unwrap();
    assert_eq!(r.headers()["location"], "/sign-in");
    let r = browser()
        .post(t.url("/setup"))
        .form(&[("name", "Mallory"), ("email", "m@example.com"), ("title", ""), ("timezone", "UTC"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("already set up"));
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1);
}

async fn signing_in_checks_the_password_and_signing_out_ends_the_session(t: TestApp) {
    t.admin().await;
    let c = browser();
    let r = c
        .post(t.url("/sign-in"))
        .form(&[("email", "ada@example.com"), ("password", "wrong password!"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("do not match"));
    assert!(html.contains("value=\"ada@example.com\""), "the address is kept");
    // An unknown address gets the very same answer.
    let r = c.post(t.url("/sign-in")).form(&[("email", "nobody@example.com"), ("password", "wrong password!")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("do not match"));

    // `next` is followed only within rapport.
    let r = c
        .post(t.url("/sign-in"))
        .form(&[("email", "ADA@example.com"), ("password", PASSWORD), ("next", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let settings = c.get(t.url("/settings")).send().await.unwrap();
    assert_eq!(settings.status(), 200);
    let csrf = csrf_in(&settings.text().await.unwrap());

    let r = c.post(t.url("/sign-out")).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let r = c.get(t.url("/settings")).send().await.unwrap();
    assert_eq!(r.status(), 303, "signed out");
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/sign-in?next=%2Fsettings"));
}

async fn repeated_failed_sign_ins_pause_the_address(t: TestApp) {
    t.admin().await;
    let c = browser();
    for _ in 0..5 {
        let r = c.post(t.url("/sign-in")).form(&[("email", "ada@example.com"), ("password", "not the password")]).send().await.unwrap();
        assert_eq!(r.status(), 422);
    }
    // Now even the right password waits.
    let r = c.post(t.url("/sign-in")).form(&[("email", "ada@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.text().await.unwrap().contains("try again in 15 minutes"));
    // After the window, it works again.
    t.clock.advance(Duration::minutes(16));
    let r = c.post(t.url("/sign-in")).form(&[("email", "ada@example.com"), ("password", PASSWORD)]).send().await.unwrap();
    assert_eq!(r.status(), 303);
}

async fn forms_without_the_session_token_or_from_other_sites_are_refused(t: TestApp) {
    t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let form = [("name", "Grace Hopper"), ("email", "grace@example.com"), ("title", ""), ("timezone", "UTC"), ("manager_id", "")];
    let r = c.post(t.url("/people/new")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 403, "no token");
    let mut with_bad = form.to_vec();
    with_bad.push(("_csrf", "0000"));
    assert_eq!(c.post(t.url("/people/new")).form(&with_bad).send().await.unwrap().status(), 403, "wrong token");
    let mut with_token = form.to_vec();
    with_token.push(("_csrf", csrf.as_str()));
    let r = c.post(t.url("/people/new")).form(&with_token).header("Origin", "https://evil.example").send().await.unwrap();
    assert_eq!(r.status(), 403, "another site's origin");
    let r = c.post(t.url("/people/new")).form(&with_token).header("Sec-Fetch-Site", "cross-site").send().await.unwrap();
    assert_eq!(r.status(), 403, "a cross-site fetch");
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 1, "nothing was created");
    let r = c.post(t.url("/people/new")).form(&with_token).header("Origin", t.base.as_str()).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(rapport::store::people::count(&t.app.db).await.unwrap(), 2);
}

async fn changing_the_password_signs_out_other_sessions(t: TestApp) {
    t.admin().await;
    let (laptop, csrf) = t.signed_in("ada@example.com").await;
    let (phone, _) = t.signed_in("ada@example.com").await;
    let r = laptop
        .post(t.url("/settings/password"))
        .form(&[("_csrf", csrf.as_str()), ("current_password", "not it at all"), ("new_password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"f-current_password-error\"") && html.contains("id=\"f-new_password-error\""));
    let r = laptop
        .post(t.url("/settings/password"))
        .form(&[("_csrf", csrf.as_str()), ("current_password", PASSWORD), ("new_password", "a brand new passphrase")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Your password is changed"));
    assert_eq!(laptop.get(t.url("/settings")).send().await.unwrap().status(), 200, "this session stays");
    assert_eq!(phone.get(t.url("/settings")).send().await.unwrap().status(), 303, "the other one is signed out");
    assert!(t.app.sign_in("ada@example.com", "a brand new passphrase").await.is_ok());
}

async fn an_invitation_works_once_and_expires(t: TestApp) {
    let admin = t.admin().await;
    let (c, csrf) = t.signed_in("ada@example.com").await;
    let grace = t
        .app
        .create_person(
            &admin,
            rapport::app::people::PersonInput {
                name: "Grace".into(),
                email: "grace@example.com".into(),
                timezone: "UTC".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let r = c.post(t.url(&format!("/people/{}/invite", grace.id))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("/invite/").unwrap();
    let path = &html[start..start + "/invite/".len() + 64];

    let guest = browser();
    let page = guest.get(t.url(path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Welcome, Grace"));
    let r = guest.post(t.url(path)).form(&[("password", "short")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let r = guest.post(t.url(path)).form(&[("password", "graces own passphrase")]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(guest.get(t.url("/settings")).send().await.unwrap().status(), 200, "signed in by accepting");

    // Used: the link explains itself, and cannot set the password again.
    let r = browser().post(t.url(path)).form(&[("password", "someone elses phrase")]).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("used already"));
    assert!(t.app.sign_in("grace@example.com", "someone elses phrase").await.is_err());

    // A second person's link expires after seven days.
    let bo = t
        .app
        .create_person(
            &admin,
            rapport::app::people::PersonInput {
                name: "Bo".into(),
                email: "bo@example.com".into(),
                timezone: "UTC".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let inv = t.app.invite(&admin, bo.id).await.unwrap();
    t.clock.advance(Duration::days(8));
    let r = browser().get(t.url(&format!("/invite/{}", inv.token))).send().await.unwrap();
    assert_eq!(r.status(), 410);
    assert!(r.text().await.unwrap().contains("expired"));
    assert_eq!(browser().get(t.url("/invite/not-a-real-token")).send().await.unwrap().status(), 404);
}
