//! The consented respondent profile and the coverage of publics: targets per profile answer, what each channel
//! reached, and results filtered by profile.

use encommun::domain::questionnaire::QuestionType;
use encommun::storage::questionnaires::{answer_counts, questions_of, ResponseFilter};

use super::{add_question, answer, empty_questionnaire, id_in, logged_in, survey_of, REFERENT};
use crate::helpers::{with_conn, TestApp};
use crate::on_both_backends;

on_both_backends!(the_profile_is_kept_only_with_consent_and_coverage_counts_it);

async fn the_profile_is_kept_only_with_consent_and_coverage_counts_it(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "yes_no"), ("label", "Connaissez-vous le marché ?")])
        .await
        .assert_status(303);
    admin.submit(&builder, &format!("{builder}/profil-type"), &[]).await.assert_status(303);
    let questions = with_conn(&app, |conn| questions_of(conn, id_in(&builder)).unwrap());
    // Agglopolys is an intercommunality: its communes are asked, with « Autre » for one its list lacks.
    let profile: Vec<&str> = questions.iter().filter(|q| q.profile).map(|q| q.label.as_str()).collect();
    assert_eq!(profile, ["Votre tranche d’âge", "Votre situation (cochez ce qui vous concerne)", "Votre commune"]);
    let commune = questions.iter().find(|q| q.label == "Votre commune").unwrap();
    assert_eq!(commune.settings.choices[0].label, "Blois");
    assert!(commune.settings.allow_other);
    let situation = questions.iter().find(|q| q.profile && q.kind == QuestionType::MultipleChoice).unwrap().id;
    let market = questions[0].id;
    // The group wants 2 respondents without internet at home.
    let coverage = format!("{builder}/couverture");
    let target = format!("cible-{situation}-sans_internet");
    let page = admin.submit(&coverage, &coverage, &[(&target, "deux")]).await;
    page.assert_status(422).assert_contains("indiquez un nombre entier de répondants");
    admin.submit(&coverage, &coverage, &[(&target, "2")]).await.assert_redirect(&coverage);

    let survey = survey_of(&app, &builder);
    let (q_market, q_situation) = (format!("q{market}"), format!("q{situation}"));
    let visitor = app.client();
    // The page says, before sending, that profile answers need the box ticked.
    visitor
        .get(&survey)
        .await
        .assert_contains(r#"aria-describedby="profil-accord-aide""#)
        .assert_contains("Sans cette case cochée, les réponses aux questions de profil ne sont pas enregistrées");
    // Without consent, the profile answer is not kept; with it, it is.
    answer(&visitor, &survey, &[(&q_market, "oui"), (&q_situation, "sans_internet")]).await.assert_status(303);
    let with_consent = [(q_market.as_str(), "non"), (q_situation.as_str(), "sans_internet"), ("profil_accord", "oui")];
    answer(&visitor, &survey, &with_consent).await.assert_status(303);
    // An interview recorded by Agglopolys's referent, with consent.
    let referent = logged_in(&app, REFERENT).await;
    let entry = format!("{builder}/saisie");
    let interview = [("way", "phone"), (q_situation.as_str(), "vit_seul"), ("profil_accord", "oui")];
    referent.submit(&entry, &entry, &interview).await.assert_status(303);
    with_conn(&app, |conn| {
        let all = answer_counts(conn, id_in(&builder), &ResponseFilter::default()).unwrap();
        let profile: i64 = all.iter().filter(|(q, _, _, _)| *q == situation).map(|(_, _, _, n)| n).sum();
        assert_eq!(profile, 2, "one online profile with consent, one interview");
        let filter = ResponseFilter { channel: None, profile: Some((situation, "sans_internet".into())) };
        let filtered = answer_counts(conn, id_in(&builder), &filter).unwrap();
        let market_answers: Vec<(String, i64)> =
            filtered.iter().filter(|(q, _, _, _)| *q == market).map(|(_, _, v, n)| (v.clone(), *n)).collect();
        assert_eq!(market_answers, [("non".to_owned(), 1)]);
    });
    let page = admin.get(&coverage).await;
    page.assert_status(200)
        .assert_contains("encore <strong>1</strong> répondant à trouver sur 2")
        .assert_contains("Sophie Martin");
    let results = admin.get(&format!("{builder}/resultats?profil={situation}:sans_internet")).await;
    results.assert_status(200).assert_contains("Résultats de 1 réponse dont le profil indique");
}
