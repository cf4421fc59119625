//! Middleware applied to every request: security headers, compression, the CSRF check, and the public page cache.

use actix_http::encoding::Encoder;
use actix_http::ResponseHead;
use actix_session::{SessionExt, SessionStatus};
use actix_web::body::{to_bytes, BodySize, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{AcceptEncoding, ContentEncoding, Encoding, HeaderValue};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::web::{self, Bytes};
use actix_web::{Error, HttpMessage, HttpResponse};

use super::cache::Hit;
use super::context::SESSION_CSRF;
use super::{AppError, AppState};
use crate::security::constant_time_eq;

pub const CSRF_FIELD: &str = "csrf_token";
/// The signed unsubscribe link, posted without any form token.
pub const UNSUBSCRIBE_PATTERN: &str = "/desabonnement/{id}/{signature}";
/// The routes whose POST carries no session token: a signature checked by their handler is the proof. The
/// unsubscribe link is posted by mail clients without any session (RFC 8058); the public questionnaire and its
/// feedback form, and the inhabitants' ideas for a territory's cycle, are sent without a cookie, with a signed form
/// token (`web::survey::FormToken`).
pub const SIGNED_PATTERNS: [&str; 6] = [
    UNSUBSCRIBE_PATTERN,
    FORGET_ADDRESS_PATTERN,
    STOP_FOLLOWING_PATTERN,
    "/q/{token}",
    "/q/{token}/suivi",
    "/i/{token}",
];
/// The one-click link of a restitution's message to a respondent: it forgets their address (RFC 8058 too).
pub const FORGET_ADDRESS_PATTERN: &str = "/oubli/{digest}/{signature}";
/// The one-click link of a notice of new messages in a forum or a peer group: it stops those notices.
pub const STOP_FOLLOWING_PATTERN: &str = "/echanges/arret/{id}/{signature}";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The policy of every page: nothing from elsewhere, no inline script or style. `images_from` adds image sources
/// for the one page that shows map tiles when asked (a page setting its own policy keeps it: the default headers
/// only fill what a response lacks).
pub fn content_security_policy(images_from: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{images_from}; font-src 'self'; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
}

/// No inline script or style anywhere: the CSP can forbid them outright.
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, content_security_policy("")))
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

/// Encodings offered, the client's preference deciding (browsers name brotli first); identity when it names none.
const ENCODINGS: [Encoding; 3] = [Encoding::brotli(), Encoding::gzip(), Encoding::identity()];

/// Below this, a compressed body saves less than its headers and the work cost (nginx's `gzip_min_length` idea).
const COMPRESS_FROM_BYTES: u64 = 1024;

/// Compresses what is worth it: pages, CSS and scripts, CSV and GeoJSON exports, SVG; never what is compressed
/// already (workbooks are zip files, images) nor tiny bodies. The public page cache sits inside, so it keeps
/// pages as rendered and each visitor gets the encoding their browser accepts. Unlike actix-web's `Compress`, a
/// client accepting none of our encodings gets the page as it is rather than a 406.
pub async fn compress(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let encoding = negotiated_encoding(&req);
    let response = next.call(req).await?;
    Ok(response.map_body(|head, body| {
        let compressible = worth_compressing(head.headers.get(header::CONTENT_TYPE), &body.size());
        if compressible {
            // Caches in between keep one copy per encoding.
            head.headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        Encoder::response(if compressible { encoding } else { ContentEncoding::Identity }, head, body)
    }))
}

/// The encoding of the response: the client's preference among [`ENCODINGS`].
fn negotiated_encoding(req: &ServiceRequest) -> ContentEncoding {
    match req.get_header::<AcceptEncoding>().and_then(|accepted| accepted.negotiate(ENCODINGS.iter())) {
        Some(Encoding::Known(encoding)) => encoding,
        _ => ContentEncoding::Identity,
    }
}

/// A body compressed by the encoder [`compress`] uses, with its settings.
async fn encode(encoding: ContentEncoding, body: Bytes) -> Result<Bytes, AppError> {
    let mut head = ResponseHead::new(StatusCode::OK);
    to_bytes(Encoder::response(encoding, &mut head, body))
        .await
        .map_err(|e| AppError::internal(anyhow::anyhow!("compression d’une page gardée : {e}")))
}

fn worth_compressing(content_type: Option<&HeaderValue>, size: &BodySize) -> bool {
    let Some(content_type) = content_type.and_then(|v| v.to_str().ok()) else { return false };
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let textual = essence.starts_with("text/")
        || matches!(
            essence.as_str(),
            "application/json"
                | "application/geo+json"
                | "application/javascript"
                | "application/xml"
                | "image/svg+xml"
        );
    let big_enough = match size {
        BodySize::Sized(bytes) => *bytes >= COMPRESS_FROM_BYTES,
        BodySize::Stream => true,
        BodySize::None => false,
    };
    textual && big_enough
}

/// Guards every request before it reaches a handler:
/// - the path, query and urlencoded body must decode to UTF-8 without NUL characters (PostgreSQL refuses NUL in
///   text, and a lossy decoding would store replacement characters): otherwise a French 400;
/// - every state-changing request must carry the session's CSRF token, in the form field `csrf_token`
///   (urlencoded forms), the `X-CSRF-Token` header, or the query string (multipart uploads, whose body is not
///   read here): otherwise a French 403.
pub async fn request_guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // A browser's preflight before reading the public API from another site.
    if req.method() == Method::OPTIONS && req.path().starts_with("/api/") {
        return Ok(req.into_response(super::api::preflight()));
    }
    match check_request(&mut req).await {
        Ok(()) => Ok(next.call(req).await?.map_into_boxed_body()),
        // A response rather than an error, so that the access log records the refusal like any other (the logger
        // does not see errors returned by the middleware it wraps).
        Err(refusal) => Ok(req.error_response(refusal)),
    }
}

async fn check_request(req: &mut ServiceRequest) -> Result<(), AppError> {
    let invalid = || AppError::BadRequest(INVALID_ENCODING.into());
    let query = decode_form(req.query_string().as_bytes()).ok_or_else(invalid)?;
    if percent_decode(req.uri().path().as_bytes()).is_none() {
        return Err(invalid());
    }
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    if req.match_pattern().is_some_and(|p| SIGNED_PATTERNS.contains(&p.as_str())) {
        return Ok(());
    }
    let expected = req.get_session().get::<String>(SESSION_CSRF).ok().flatten();
    let mut given = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    given = given.or_else(|| field(&query, CSRF_FIELD));
    if req.content_type() == "application/x-www-form-urlencoded" {
        let Ok(body) = req.extract::<Bytes>().await else {
            return Err(AppError::BadRequest("Le formulaire envoyé est trop volumineux ou incomplet.".into()));
        };
        let fields = decode_form(&body).ok_or_else(invalid)?;
        given = given.or_else(|| field(&fields, CSRF_FIELD));
        req.set_payload(Payload::from(body));
    }
    match (expected, given) {
        (Some(expected), Some(given)) if constant_time_eq(expected.as_bytes(), given.as_bytes()) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// Says a page came from the instance's memory (operations and tests read it).
pub const CACHE_HEADER: &str = "x-encommun-cache";

/// The public pages kept in memory for visitors without a session: the ones a programme's whole audience reads,
/// and the public questionnaire a poster's QR code sends a whole town to (its form token is the same for every
/// visitor of an hour, see `web::survey::FormToken`; a page kept at most `ttl` carries a token valid a day).
const CACHED_PAGES: [&str; 7] =
    ["/themes", "/themes/{id}", "/inspiration", "/inspiration/{id}", "/projets", "/projets/{id}", "/q/{token}"];

/// Serves public pages from [`PageCache`](super::cache::PageCache) to visitors without a session, as long as
/// the content version has not moved; renders and keeps them otherwise. A request with a session (logged in, a
/// flash message, a form token) always reaches its handler, and so does a page whose rendering touched the
/// session or that its handler marked `Cache-Control: private`. Costs one indexed read, the version, shared by the
/// requests that arrived before it started (see [`SharedRead`](super::cache::SharedRead)).
pub async fn public_page_cache(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (true, Some(state)) = (req.method() == Method::GET && req.get_session().entries().is_empty(), state) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let url = req.uri().to_string();
    // Finding a path's route runs the route table in order, a regular expression per route with a parameter:
    // about a hundred before `/q/{token}`, which made that page a third slower than `/themes` (issue 14). A URL
    // is kept only once its route was found among `CACHED_PAGES`, so a URL the cache holds needs no second look.
    let cacheable =
        state.public_pages.holds(&url) || req.match_pattern().is_some_and(|p| CACHED_PAGES.contains(&p.as_str()));
    if !cacheable {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let version = state.content_version().await?;
    let encoding = negotiated_encoding(&req);
    if let Some(hit) = state.public_pages.get(&url, version, encoding) {
        // Compressed here once per page, version and encoding; `compress` leaves a body with its encoding alone.
        let (body, encoding) = match hit {
            Hit::Ready(body) => (body, encoding),
            Hit::ToEncode(body) if (body.len() as u64) < COMPRESS_FROM_BYTES => (body, ContentEncoding::Identity),
            Hit::ToEncode(body) => {
                let encoded = encode(encoding, body).await?;
                state.public_pages.put_encoded(&url, version, encoding, encoded.clone());
                (encoded, encoding)
            }
        };
        let mut response = HttpResponse::Ok();
        response.content_type("text/html; charset=utf-8").insert_header((CACHE_HEADER, "hit"));
        if encoding != ContentEncoding::Identity {
            response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static(encoding.as_str())));
        }
        return Ok(req.into_response(response.body(body)));
    }
    let response = next.call(req).await?;
    let untouched = response.request().get_session().status() == SessionStatus::Unchanged;
    // A handler marks a page that belongs to one person (a personal link) `private`: it is not kept.
    let personal = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    if response.status() != StatusCode::OK || !untouched || personal {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (response, body) = response.into_parts();
    let body = to_bytes(body).await.map_err(|_| AppError::internal(anyhow::anyhow!("corps de page illisible")))?;
    state.public_pages.put(&url, version, body.clone());
    Ok(ServiceResponse::new(request, response.set_body(BoxBody::new(body))))
}

const INVALID_ENCODING: &str =
    "La demande contient des caractères invalides (codage autre qu’UTF-8 ou caractère nul). Rechargez la page et réessayez.";

fn field(fields: &[(String, String)], key: &str) -> Option<String> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// `application/x-www-form-urlencoded` pairs, or None when a component is not UTF-8 or contains NUL.
pub fn decode_form(encoded: &[u8]) -> Option<Vec<(String, String)>> {
    encoded
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &b""[..]),
            };
            let plus_as_space =
                |bytes: &[u8]| bytes.iter().map(|b| if *b == b'+' { b' ' } else { *b }).collect::<Vec<u8>>();
            Some((percent_decode(&plus_as_space(key))?, percent_decode(&plus_as_space(value))?))
        })
        .collect()
}

fn percent_decode(bytes: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().filter(|text| !text.contains('\0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_text_of_some_size_is_compressed() {
        let big = BodySize::Sized(20_000);
        let worth = |content_type: &'static str, size: &BodySize| {
            worth_compressing(Some(&HeaderValue::from_static(content_type)), size)
        };
        assert!(worth("text/html; charset=utf-8", &big));
        assert!(worth("text/csv; charset=utf-8", &BodySize::Stream), "streamed exports");
        assert!(worth("application/geo+json", &big));
        assert!(worth("image/svg+xml", &big));
        assert!(!worth("text/html; charset=utf-8", &BodySize::Sized(300)), "too small to gain");
        assert!(!worth("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &big), "a zip already");
        assert!(!worth("image/png", &big));
        assert!(!worth_compressing(None, &big));
    }

    #[test]
    fn forms_decode_strictly() {
        let fields = decode_form(b"a=1&b=%C3%A9t%C3%A9+chaud&c").unwrap_or_default();
        assert_eq!(
            fields,
            vec![("a".into(), "1".into()), ("b".into(), "été chaud".into()), ("c".into(), String::new())]
        );
        assert!(decode_form(b"a=%FF%FE").is_none(), "not UTF-8");
        assert!(decode_form(b"a=x%00y").is_none(), "NUL");
        assert_eq!(percent_decode(b"100%"), Some("100%".into()));
    }
}
