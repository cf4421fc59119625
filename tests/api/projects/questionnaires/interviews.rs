//! Interviews and paper forms recorded by the group: who recorded each response and how.

use super::{group_path, id_in, logged_in, with_one_question, OUTSIDER, REFERENT};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(the_group_records_interviews_and_paper_forms);

/// A referent of the territory records a phone interview, then a paper form: each response keeps who recorded it
/// and how; the way and the place are kept from one entry to the next.
async fn the_group_records_interviews_and_paper_forms(app: TestApp) {
    let (_, builder, q) = with_one_question(&app, "yes_no", "Avez-vous une voiture ?").await;
    let group = group_path(&app);
    let q = format!("q{q}");
    let entry = format!("{builder}/saisie");
    let referent = logged_in(&app, REFERENT).await;
    referent.get(&group).await.assert_contains(&format!("href=\"{entry}\""));
    let token = referent.get(&entry).await.assert_status(200).csrf_token();
    // A forgotten answer: refused, what was typed kept.
    let page = referent.post(&entry, &[("csrf_token", &token), ("way", "phone"), ("place", "Marché de Vienne")]).await;
    page.assert_status(422)
        .assert_contains("Cette question demande une réponse.")
        .assert_contains(r#"value="Marché de Vienne""#);
    let done = referent
        .post(&entry, &[("csrf_token", &token), ("way", "phone"), ("place", "Marché de Vienne"), (&q, "non")])
        .await;
    let next = done.location.clone().unwrap();
    assert!(next.starts_with(&format!("{entry}?way=phone&place=March")), "{next}");
    referent
        .get(&next)
        .await
        .assert_contains("vous en avez saisi 1 pour ce questionnaire")
        .assert_contains(r#"value="Marché de Vienne""#);
    referent
        .post(&entry, &[("csrf_token", &token), ("way", "paper"), ("place", ""), (&q, "oui")])
        .await
        .assert_status(303);
    referent.post(&entry, &[("csrf_token", &token), ("way", "par pigeon"), (&q, "oui")]).await.assert_status(422);
    let stored = with_conn(&app, |conn| {
        use diesel::prelude::*;
        use encommun::storage::schema::responses;
        responses::table
            .filter(responses::questionnaire_id.eq(id_in(&builder)))
            .select((
                responses::channel,
                responses::interview_mode,
                responses::place,
                responses::interviewer_id.is_not_null(),
            ))
            .order(responses::id)
            .load::<(String, Option<String>, Option<String>, bool)>(conn)
            .unwrap()
    });
    assert_eq!(
        stored,
        vec![
            ("interview".into(), Some("phone".into()), Some("Marché de Vienne".into()), true),
            ("paper".into(), None, None, true),
        ]
    );
    // The export says how each was collected, where, and who recorded it; with labels if asked.
    let csv = referent.get(&format!("{builder}/reponses.csv")).await;
    csv.assert_contains(",entretien,téléphone,Marché de Vienne,Sophie Martin,")
        .assert_contains(",papier,,,Sophie Martin,")
        .assert_contains(",non\n")
        .assert_lacks(",Non\n");
    referent.get(&format!("{builder}/reponses.csv?libelles=oui")).await.assert_contains(",Non\n");
    // The results say who collected what, and filter by the way of collecting.
    let results = referent.get(&format!("{builder}/resultats")).await;
    results
        .assert_contains(r#"<th scope="row">entretien</th><td>Sophie Martin</td><td class="num">1</td>"#)
        .assert_contains(r#"<th scope="row">papier</th><td>Sophie Martin</td><td class="num">1</td>"#);
    let paper = referent.get(&format!("{builder}/resultats?canal=paper")).await;
    paper
        .assert_contains("Résultats de 1 réponse recueillie sur papier.")
        .assert_contains(r#"<th scope="row">Oui</th><td class="num">1</td><td class="num">100 %</td>"#)
        .assert_contains(r#"<th scope="row">Non</th><td class="num">0</td>"#);
    // Outside the territory, no entry.
    logged_in(&app, OUTSIDER).await.get(&entry).await.assert_status(403);
}
