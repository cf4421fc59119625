//! Single-use invitations: each link records one response, however many times it is sent.

use std::future::Future;

use encommun::storage::questionnaires::{count_responses, invitations_of};

use super::{add_question, empty_questionnaire, id_in, questions_of_builder, survey_of};
use crate::helpers::{with_conn, Client, TestApp};
use crate::on_both_backends;

on_both_backends!(an_invitation_records_one_response_only);

/// Posts the same form `n` times at once, as ten tabs would; the statuses.
async fn futures_join(client: &Client, path: &str, fields: &[(&str, &str)], n: usize) -> Vec<u16> {
    let mut posts: Vec<_> = (0..n).map(|_| Some(Box::pin(client.post(path, fields)))).collect();
    let mut statuses: Vec<Option<u16>> = vec![None; n];
    std::future::poll_fn(|cx| {
        for (slot, status) in posts.iter_mut().zip(statuses.iter_mut()) {
            if let Some(post) = slot {
                if let std::task::Poll::Ready(page) = post.as_mut().poll(cx) {
                    *status = Some(page.status);
                    *slot = None;
                }
            }
        }
        if posts.iter().all(Option::is_none) {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    statuses.into_iter().flatten().collect()
}

async fn an_invitation_records_one_response_only(app: TestApp) {
    let (admin, builder) = empty_questionnaire(&app).await;
    add_question(&admin, &builder, &[("kind", "short_text"), ("label", "Votre idée ?")]).await.assert_status(303);
    let question = format!("q{}", questions_of_builder(&app, &builder)[0]);
    let invitations = format!("{builder}/invitations");
    admin.submit(&invitations, &format!("{invitations}/mode"), &[("only", "oui")]).await.assert_status(303);
    admin.submit(&invitations, &invitations, &[("count", "0")]).await.assert_status(422);
    admin.submit(&invitations, &invitations, &[("count", "2")]).await.assert_status(303);
    let tokens: Vec<String> =
        with_conn(&app, |conn| invitations_of(conn, id_in(&builder)).unwrap().into_iter().map(|(t, _)| t).collect());
    assert_eq!(tokens.len(), 2);
    let csv = admin.get(&format!("{invitations}.csv")).await;
    csv.assert_status(200).assert_contains(&format!("?invitation={}", tokens[0]));

    let survey = survey_of(&app, &builder);
    let visitor = app.client();
    visitor.get(&survey).await.assert_status(200).assert_contains("se remplit sur invitation");
    let invited = format!("{survey}?invitation={}", tokens[0]);
    // Ten simultaneous submissions with the same invitation: one response.
    let token = visitor.get(&invited).await.csrf_token();
    let fields = [("csrf_token", token.as_str()), (question.as_str(), "Un jardin partagé")];
    let pages = futures_join(&visitor, &invited, &fields, 10).await;
    assert_eq!(pages.iter().filter(|s| **s == 303).count(), 1, "statuses: {pages:?}");
    assert!(pages.iter().all(|s| *s == 303 || *s == 410), "statuses: {pages:?}");
    assert_eq!(with_conn(&app, |conn| count_responses(conn, id_in(&builder)).unwrap()), 1);
    visitor.get(&invited).await.assert_contains("Cette invitation a déjà servi");
    let used = with_conn(&app, |conn| invitations_of(conn, id_in(&builder)).unwrap());
    assert_eq!(used.iter().filter(|(_, at)| at.is_some()).count(), 1);
}
