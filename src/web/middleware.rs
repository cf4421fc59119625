//! Middleware applied to every request: security headers and the CSRF check.

use actix_session::SessionExt;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};

use super::context::SESSION_CSRF;
use super::AppError;
use crate::security::constant_time_eq;

pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// No inline script or style anywhere: the CSP can forbid them outright.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add(("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains"))
    } else {
        headers
    }
}

/// Every state-changing request must carry the session's token, in the form field `csrf_token` (urlencoded
/// forms), the `X-CSRF-Token` header, or the query string (multipart uploads, whose body is not read here).
pub async fn csrf_protection(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await;
    }
    let expected = req.get_session().get::<String>(SESSION_CSRF).ok().flatten();
    let mut given = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if given.is_none() {
        given = form_value(req.query_string().as_bytes(), CSRF_FIELD);
    }
    if given.is_none() && req.content_type() == "application/x-www-form-urlencoded" {
        let Ok(body) = req.extract::<Bytes>().await else {
            return Err(AppError::BadRequest("Le formulaire envoyé est trop volumineux ou incomplet.".into()).into());
        };
        given = form_value(&body, CSRF_FIELD);
        req.set_payload(Payload::from(body));
    }
    match (expected, given) {
        (Some(expected), Some(given)) if constant_time_eq(expected.as_bytes(), given.as_bytes()) => {
            next.call(req).await
        }
        _ => Err(AppError::Csrf.into()),
    }
}

fn form_value(encoded: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(encoded)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}
