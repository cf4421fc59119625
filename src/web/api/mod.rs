//! The public read API (`/api/v1`): JSON for what every visitor reads on the pages, and nothing else — the same
//! rules, from the same storage functions. What every answer shares lives here: lists by pages of at most 100 with
//! an opaque cursor (`next` in the body and a `Link` header), `ETag` and `Last-Modified` answered by `304`, CORS for
//! reading from any site, a per-address quota told in `RateLimit-*` headers (`429` and `Retry-After` past it), and
//! errors as French JSON. The endpoints are in data.rs; the OpenAPI document and its human page in spec.rs.

pub mod data;
pub mod spec;

use std::time::Instant;

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::auth::client_address;
use super::limits::Quota;
use super::{AppError, AppState};

pub const BASE: &str = "/api/v1";
/// Items of a list page unless `limit` says otherwise, and at most.
pub const DEFAULT_LIMIT: usize = 20;
pub const MAX_LIMIT: usize = 100;

/// A refusal, as the API tells it: a status, a stable code and a French message.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, code: "requete_invalide", message: message.into() }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, code: "introuvable", message: message.into() }
    }

    /// The body every error has.
    pub fn body(&self) -> Value {
        json!({ "erreur": { "code": self.code, "message": self.message, "statut": self.status.as_u16() } })
    }

    fn response(&self, quota: Option<Quota>) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.content_type("application/json; charset=utf-8");
        cors(&mut response);
        if let Some(quota) = quota {
            rate_limit_headers(&mut response, quota);
            if !quota.allowed {
                response.insert_header((header::RETRY_AFTER, quota.reset_seconds.to_string()));
            }
        }
        response.body(self.body().to_string())
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::NotFound => ApiError::not_found("Cette ressource n’existe pas ou n’est pas publique."),
            other => {
                log::error!("API : {other}");
                ApiError {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                    code: "erreur_interne",
                    message: "Une erreur interne est survenue ; réessayez dans un instant.".into(),
                }
            }
        }
    }
}

/// What a list's address may say.
#[derive(Deserialize, Default)]
pub struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

/// A list's page asked for: how many, after which item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub limit: usize,
    pub after: i64,
}

impl Paging {
    pub fn of(query: &ListQuery) -> Result<Paging, ApiError> {
        let limit = match query.limit.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIMIT,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_request(format!(
                        "Le paramètre « limit » va de 1 à {MAX_LIMIT} (« {text:.20} » reçu)."
                    )))
                }
            },
        };
        let after = match query.cursor.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(cursor) => decode_cursor(cursor).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Le curseur « {cursor:.40} » n’est pas valable : reprenez l’adresse « next » d’une page précédente."
                ))
            })?,
        };
        Ok(Paging { limit, after })
    }

    /// How many rows to read for a page: one more than shown, to know whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit as i64 + 1
    }

    /// This page of `items` (sorted by id) and the id after which the next one starts, if there is one.
    pub fn page<T>(&self, items: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
        let mut page: Vec<T> = items.into_iter().filter(|item| id(item) > self.after).take(self.limit + 1).collect();
        let next = (page.len() > self.limit).then(|| {
            page.truncate(self.limit);
            page.last().map(&id).unwrap_or_default()
        });
        (page, next)
    }
}

/// Cursors are opaque to callers: « c » and the last id in base 36, so that nobody builds them by hand.
fn encode_cursor(after: i64) -> String {
    let mut digits = Vec::new();
    let mut n = after.max(0) as u64;
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    format!("c{}", digits.iter().rev().collect::<String>())
}

fn decode_cursor(cursor: &str) -> Option<i64> {
    let digits = cursor.strip_prefix('c')?;
    (!digits.is_empty() && digits.len() <= 12).then_some(())?;
    i64::from_str_radix(digits, 36).ok().filter(|n| *n > 0)
}

/// A list's answer: its items, the address of the next page (null on the last), when they last changed.
pub fn list_reply(
    req: &HttpRequest,
    data: Vec<Value>,
    paging: Paging,
    next: Option<i64>,
    last_modified: Option<NaiveDateTime>,
) -> Reply {
    let next = next.map(|after| format!("{}?limit={}&cursor={}", req.path(), paging.limit, encode_cursor(after)));
    Reply { body: json!({ "data": data, "next": next }).to_string(), last_modified, next, media_type: JSON }
}

const JSON: &str = "application/json; charset=utf-8";

/// What an endpoint answers: its body, when what it holds last changed, and the next page's address.
pub struct Reply {
    /// As sent.
    pub body: String,
    pub last_modified: Option<NaiveDateTime>,
    pub next: Option<String>,
    pub media_type: &'static str,
}

impl Reply {
    pub fn item(body: Value, last_modified: Option<NaiveDateTime>) -> Reply {
        Reply { body: body.to_string(), last_modified, next: None, media_type: JSON }
    }

    /// A GeoJSON document (RFC 7946), written already, which GIS tools recognise by its media type.
    pub fn geojson(body: String, last_modified: Option<NaiveDateTime>) -> Reply {
        Reply { body, last_modified, next: None, media_type: "application/geo+json" }
    }
}

/// Counts the request against the caller's quota; a refusal when it is spent.
pub fn admit(req: &HttpRequest, state: &AppState) -> Result<Quota, (ApiError, Quota)> {
    let quota = state.api_limiter.count(&client_address(req, state), Instant::now());
    if quota.allowed {
        Ok(quota)
    } else {
        let error = ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "trop_de_requetes",
            message: format!(
                "Trop de requêtes depuis votre adresse : {} par minute au plus. Réessayez dans {} s.",
                quota.limit, quota.reset_seconds
            ),
        };
        Err((error, quota))
    }
}

/// Answers a request: the quota first, then the endpoint's work; a JSON body with its validators, or `304` when
/// the caller holds it already.
pub async fn answer<F>(req: &HttpRequest, state: &AppState, work: F) -> HttpResponse
where
    F: std::future::Future<Output = Result<Reply, ApiError>>,
{
    let quota = match admit(req, state) {
        Ok(quota) => quota,
        Err((error, quota)) => return error.response(Some(quota)),
    };
    match work.await {
        Ok(reply) => respond(req, reply, quota),
        Err(error) => error.response(Some(quota)),
    }
}

fn respond(req: &HttpRequest, reply: Reply, quota: Quota) -> HttpResponse {
    let body = reply.body;
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"{}\"", digest.iter().take(16).map(|b| format!("{b:02x}")).collect::<String>());
    // To the second, as HTTP dates are.
    let last_modified = reply.last_modified.map(|at| at.and_utc().timestamp());
    let header_text = |name: header::HeaderName| req.headers().get(name).and_then(|v| v.to_str().ok());
    let fresh = match header_text(header::IF_NONE_MATCH) {
        Some(tags) => tags.split(',').map(str::trim).any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag),
        None => match (header_text(header::IF_MODIFIED_SINCE).and_then(parse_http_date), last_modified) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        },
    };
    let mut response = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    cors(&mut response);
    rate_limit_headers(&mut response, quota);
    response.insert_header((header::ETAG, etag));
    response.insert_header((header::CACHE_CONTROL, "public, max-age=60"));
    if let Some(modified) = last_modified {
        response.insert_header((header::LAST_MODIFIED, http_date(modified)));
    }
    if let Some(next) = &reply.next {
        response.insert_header((header::LINK, format!("<{next}>; rel=\"next\"")));
    }
    if fresh {
        return response.finish();
    }
    response.content_type(reply.media_type).body(body)
}

/// Any site may read the API from a browser.
fn cors(response: &mut actix_web::HttpResponseBuilder) {
    response.insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")));
    response.insert_header((
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(
            "ETag, Last-Modified, Link, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After",
        ),
    ));
}

fn rate_limit_headers(response: &mut actix_web::HttpResponseBuilder, quota: Quota) {
    response.insert_header(("RateLimit-Limit", quota.limit.to_string()));
    response.insert_header(("RateLimit-Remaining", quota.remaining.to_string()));
    response.insert_header(("RateLimit-Reset", quota.reset_seconds.to_string()));
}

/// The answer to a browser's preflight before a cross-site read (`OPTIONS`): reading is allowed from anywhere.
pub fn preflight() -> HttpResponse {
    let mut response = HttpResponse::NoContent();
    cors(&mut response);
    response.insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS"));
    response.insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, "If-None-Match, If-Modified-Since"));
    response.insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"));
    response.finish()
}

/// An address under `/api/v1` that names no endpoint: a JSON 404, not the site's page.
pub async fn unknown(req: HttpRequest, state: actix_web::web::Data<AppState>) -> HttpResponse {
    let path = req.path().to_owned();
    answer(&req, &state, async move {
        Err(ApiError::not_found(format!("Aucune ressource à l’adresse {path:.120} : voir {BASE}/openapi.json.")))
    })
    .await
}

/// An HTTP date (RFC 9110, IMF-fixdate) from a Unix time.
fn http_date(timestamp: i64) -> String {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .map(|at| at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
        .unwrap_or_default()
}

fn parse_http_date(text: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(text.trim(), "%a, %d %b %Y %H:%M:%S GMT")
        .ok()
        .map(|at| at.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_what_was_not_given() {
        for id in [1, 35, 36, 123_456_789] {
            assert_eq!(decode_cursor(&encode_cursor(id)), Some(id));
        }
        for bad in ["", "c", "12", "c-1", "czzzzzzzzzzzzzzzz", "c0"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_page_says_where_the_next_starts() {
        let paging = Paging { limit: 2, after: 1 };
        assert_eq!(paging.page(vec![1, 2, 3, 4], |n| *n), (vec![2, 3], Some(3)));
        assert_eq!(Paging { limit: 2, after: 3 }.page(vec![1, 2, 3, 4], |n| *n), (vec![4], None));
        let query = ListQuery { limit: Some("101".into()), cursor: None };
        assert!(Paging::of(&query).unwrap_err().message.contains("de 1 à 100"));
    }

    #[test]
    fn http_dates_round_trip() {
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
    }
}
