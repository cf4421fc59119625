//! Concurrent requests: single-use links work once and a collectivity is registered once, whatever the timing.

use std::sync::{Arc, Barrier};

use encommun::demo::DEMO_PASSWORD;
use encommun::domain::territory::TerritoryKind;
use encommun::storage::collectivities::{count_collectivities, register_collectivity};
use encommun::storage::territories::find_territory;

use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(a_reset_link_used_twice_at_once_works_once, a_collectivity_is_registered_once_under_contention);

async fn a_reset_link_used_twice_at_once_works_once(app: TestApp) {
    app.load_demo();
    let email = "prestataire@demo.encommun.fr";
    app.client().submit("/mot-de-passe-oublie", "/mot-de-passe-oublie", &[("email", email)]).await.assert_status(200);
    let path = app.emails_to(email)[0].link_containing("/mot-de-passe/nouveau/");
    let (first, second) = (app.client(), app.client());
    let (token_1, token_2) = (first.get(&path).await.csrf_token(), second.get(&path).await.csrf_token());
    let (a, b) = ("premier mot de passe", "second mot de passe");
    let fields_1 = [("csrf_token", token_1.as_str()), ("password", a), ("password_confirmation", a)];
    let fields_2 = [("csrf_token", token_2.as_str()), ("password", b), ("password_confirmation", b)];
    let (r1, r2) = tokio::join!(first.post(&path, &fields_1), second.post(&path, &fields_2));
    let mut statuses = [r1.status, r2.status];
    statuses.sort();
    assert_eq!(statuses, [303, 410], "exactly one use");
    let winner = if r1.status == 303 { a } else { b };
    let loser = if r1.status == 303 { b } else { a };
    app.client().login(email, winner).await.assert_redirect("/");
    app.client().login(email, loser).await.assert_status(422);
    app.client().login(email, DEMO_PASSWORD).await.assert_status(422);
}

async fn a_collectivity_is_registered_once_under_contention(app: TestApp) {
    app.load_demo();
    let territory = with_conn(&app, |conn| find_territory(conn, TerritoryKind::Commune, "41018").unwrap().unwrap());
    let before = with_conn(&app, |conn| count_collectivities(conn).unwrap());
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let url = app.config.database_url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                // Each racer has its own connection (the app's pool is smaller than the crowd).
                let mut conn = encommun::storage::establish(&url).unwrap();
                barrier.wait();
                register_collectivity(&mut conn, territory.id).unwrap().id
            })
        })
        .collect();
    let ids: Vec<i64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "one collectivity for all: {ids:?}");
    assert_eq!(with_conn(&app, |conn| count_collectivities(conn).unwrap()), before + 1);
}
