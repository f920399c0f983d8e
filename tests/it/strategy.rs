//! Strategy into day-to-day on both databases: a leader's talking point reaches exactly the next
//! 1:1 of every active pair in their part of the organisation (not other teams, not paused or
//! ended 1:1s), all at once; it counts as the strategy purpose; it can be withdrawn from the 1:1s
//! still to come; people with no one to reach are told why. The page, the API and the CLI.

use crate::on_both;
use crate::support::{TestApp, an_organisation, at, day, plain, weekly_one_on_ones};
use rapport::app::AppError;
use rapport::app::meetings::PointPatch;
use rapport::domain::Person;
use rapport::domain::guidance::Purpose;
use rapport::domain::meeting::SeriesStatus;
use serde_json::{Value, json};
use uuid::Uuid;

on_both!(a_talking_point_reaches_exactly_the_leaders_part_of_the_organisation, the_strategy_page_and_api_preview_place_and_withdraw);

async fn points_of(t: &TestApp, viewer: &Person, series: Uuid) -> Vec<(Uuid, String, rapport::domain::PersonId)> {
    let next = t.app.series_view(viewer, series, None).await.unwrap().upcoming[0].id;
    t.app.meeting_view(viewer, next).await.unwrap().points.into_iter().map(|p| (p.id, p.body, p.author_id)).collect()
}

async fn a_talking_point_reaches_exactly_the_leaders_part_of_the_organisation(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await; // Ada → Vera → Emil → Ivy; Ada → Otto
    let wes = t.person(&o.ada, "Wes Lead", Some(o.vera.id)).await;
    let zoe = t.person(&o.ada, "Zoe Dev", Some(wes.id)).await;
    let kai = t.person(&o.ada, "Kai Paused", Some(o.emil.id)).await;
    let lia = t.person(&o.ada, "Lia Ended", Some(o.emil.id)).await;
    let pia = t.person(&o.ada, "Pia Other", Some(o.otto.id)).await;
    let emil_ivy = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-11-25")).await;
    let wes_zoe = weekly_one_on_ones(&t, &wes, &zoe, day("2026-11-26")).await;
    let vera_emil = weekly_one_on_ones(&t, &o.vera, &o.emil, day("2026-11-27")).await;
    let paused = weekly_one_on_ones(&t, &o.emil, &kai, day("2026-11-25")).await;
    t.app.set_series_status(&o.emil, paused, 1, SeriesStatus::Paused).await.unwrap();
    let ended = weekly_one_on_ones(&t, &o.emil, &lia, day("2026-11-25")).await;
    t.app.set_series_status(&o.emil, ended, 1, SeriesStatus::Ended).await.unwrap();
    let other_team = weekly_one_on_ones(&t, &o.otto, &pia, day("2026-11-25")).await;

    // Who it would reach: Vera's own pair and the pairs below her; not Otto's, not paused or ended.
    let reach = t.app.strategy_reach(&o.vera).await.unwrap();
    let mut series: Vec<Uuid> = reach.iter().map(|r| r.series.id).collect();
    series.sort();
    let mut want = vec![emil_ivy, wes_zoe, vera_emil];
    want.sort();
    assert_eq!(series, want);

    // Bad text: refused, nothing placed anywhere.
    let e = t.app.place_strategy(&o.vera, "   ").await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("text").is_some()), "{e:?}");
    assert!(t.app.my_placements(&o.vera).await.unwrap().is_empty());

    let v = t.app.place_strategy(&o.vera, "Q1: fewer, better launches. What would you stop doing?").await.unwrap();
    assert_eq!(v.pairs.len(), 3);
    let body = "From Vera Vp: Q1: fewer, better launches. What would you stop doing?";
    for (s, manager, teammate) in [(emil_ivy, &o.emil, &o.ivy), (wes_zoe, &wes, &zoe), (vera_emil, &o.vera, &o.emil)] {
        let points = points_of(&t, teammate, s).await;
        let p = points.iter().find(|p| p.1 == body).unwrap_or_else(|| panic!("in the next 1:1 of {}: {points:?}", teammate.name));
        assert_eq!(p.2, manager.id, "the pair's manager brings it");
        // Remembered as the strategy purpose for the pair (the prep view counts it).
        let uses = t.app.pair_uses(manager, s).await.unwrap();
        assert!(uses.iter().any(|u| u.purposes == vec![Purpose::Strategy]), "{uses:?}");
    }
    for (s, viewer) in [(other_team, &o.otto), (paused, &o.emil)] {
        let view = t.app.series_view(viewer, s, None).await.unwrap();
        for m in view.upcoming.iter().chain(view.history.iter()) {
            let pts = t.app.meeting_view(viewer, m.id).await.unwrap().points;
            assert!(pts.iter().all(|p| p.body != body), "nothing in series {s}");
        }
    }

    // Nobody to reach: a clear reason.
    let e = t.app.place_strategy(&o.ivy, "Hello").await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("text").is_some_and(|m| m.contains("No one reports to you"))), "{e:?}");
    let e = t.app.place_strategy(&kai, "Hello").await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.message_for("text").is_some_and(|m| m.contains("No one reports to you"))));
    // Only its leader withdraws it; everyone else gets "not found".
    for other in [&o.emil, &o.ivy, &o.otto, &o.ada] {
        assert!(matches!(t.app.withdraw_strategy(other, v.placement.id).await, Err(AppError::NotFound)), "{}", other.name);
    }
    assert!(matches!(t.app.withdraw_strategy(&o.vera, Uuid::now_v7()).await, Err(AppError::NotFound)));

    // Emil and Ivy talk about it first; then Vera withdraws: it leaves the other two 1:1s only.
    let ivy_point = points_of(&t, &o.ivy, emil_ivy).await.into_iter().find(|p| p.1 == body).unwrap().0;
    t.app.update_point(&o.ivy, ivy_point, 1, PointPatch { discussed: Some(true), ..Default::default() }).await.unwrap();
    assert_eq!(t.app.withdraw_strategy(&o.vera, v.placement.id).await.unwrap(), (2, 1));
    assert!(points_of(&t, &zoe, wes_zoe).await.iter().all(|p| p.1 != body));
    assert!(points_of(&t, &o.emil, vera_emil).await.iter().all(|p| p.1 != body));
    assert!(points_of(&t, &o.ivy, emil_ivy).await.iter().any(|p| p.1 == body), "discussed: it stays");
    let e = t.app.withdraw_strategy(&o.vera, v.placement.id).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(_)), "{e:?}");
    let mine = t.app.my_placements(&o.vera).await.unwrap();
    assert_eq!((mine.len(), mine[0].placement.withdrawn_at.is_some(), mine[0].pairs.len()), (1, true, 3));
    assert!(t.app.my_placements(&o.emil).await.unwrap().is_empty());
}

async fn the_strategy_page_and_api_preview_place_and_withdraw(t: TestApp) {
    t.clock.set(at("2026-11-23T10:00:00Z"));
    let o = an_organisation(&t).await;
    let s = weekly_one_on_ones(&t, &o.emil, &o.ivy, day("2026-11-25")).await;
    let (m, csrf) = t.signed_in(&o.vera.email).await;
    let form = |intent: &str, text: &str| vec![("_csrf", csrf.clone()), ("intent", intent.into()), ("text", text.into())];
    let page = m.get(t.url("/strategy")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Share a talking point with your organisation") && page.contains("Nothing yet."), "{page}");
    let r = m.post(t.url("/strategy")).form(&form("preview", "")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"f-text-error\""));
    let r = m.post(t.url("/strategy")).form(&form("preview", "Our Q1 goals")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("next 1:1 of 1 pair") && html.contains("Emil Manager and Ivy Coder") && html.contains("Place it in this 1:1"),
        "{html}"
    );
    assert!(t.app.my_placements(&o.vera).await.unwrap().is_empty(), "a preview places nothing");
    let r = m.post(t.url("/strategy")).form(&form("place", "Our Q1 goals")).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/strategy?done=placed:1"));
    let page = m.get(t.url("/strategy?done=placed:1")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Placed in one 1:1.") && page.contains("Our Q1 goals") && page.contains("Withdraw"), "{page}");
    let id = t.app.my_placements(&o.vera).await.unwrap()[0].placement.id;
    let (ivy, ivy_csrf) = t.signed_in(&o.ivy.email).await;
    let r = ivy.post(t.url(&format!("/strategy/{id}/withdraw"))).form(&[("_csrf", ivy_csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = ivy.post(t.url("/strategy")).form(&[("_csrf", ivy_csrf.as_str()), ("intent", "preview"), ("text", "Hi")]).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("No one reports to you"));
    let r = m.post(t.url(&format!("/strategy/{id}/withdraw"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.headers()["location"].to_str().unwrap(), "/strategy?done=withdrawn:1-0");
    assert!(points_of(&t, &o.ivy, s).await.iter().all(|p| !p.1.contains("Our Q1 goals")));

    // The API: reach, place, list, withdraw.
    let c = plain();
    let vera = t.token(&o.vera).await;
    let reach: Value = c.get(t.url("/api/v1/strategy/reach")).bearer_auth(&vera).send().await.unwrap().json().await.unwrap();
    assert_eq!((reach[0]["manager"].as_str(), reach[0]["teammate"].as_str()), (Some("Emil Manager"), Some("Ivy Coder")), "{reach}");
    let r = c.post(t.url("/api/v1/strategy")).bearer_auth(&vera).json(&json!({"text": ""})).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let r = c.post(t.url("/api/v1/strategy")).bearer_auth(&vera).json(&json!({"text": "A change in Q2"})).send().await.unwrap();
    assert_eq!(r.status(), 201);
    let p: Value = r.json().await.unwrap();
    assert_eq!(p["pairs"].as_array().unwrap().len(), 1);
    let list: Value = c.get(t.url("/api/v1/strategy")).bearer_auth(&vera).send().await.unwrap().json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let ivy_token = t.token(&o.ivy).await;
    let url = t.url(&format!("/api/v1/strategy/{}/withdraw", p["id"].as_str().unwrap()));
    assert_eq!(c.post(&url).bearer_auth(&ivy_token).send().await.unwrap().status(), 404);
    let w: Value = c.post(&url).bearer_auth(&vera).send().await.unwrap().json().await.unwrap();
    assert_eq!(w, json!({"removed": 1, "kept": 0}));
    let doc: Value = c.get(t.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    for path in ["/api/v1/strategy", "/api/v1/strategy/reach", "/api/v1/strategy/{id}/withdraw"] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}
