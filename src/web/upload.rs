//! File uploads: a `multipart/form-data` body read up to a limit, and its parts. Forms that upload carry their
//! CSRF token in the query string (see `middleware::request_guard`), so the body is read only here.

use actix_web::http::header;
use actix_web::{web, HttpRequest};

use super::AppError;

/// One field of a multipart form.
pub struct Part {
    pub name: String,
    /// The file's name as the browser gave it, for file fields.
    pub file_name: Option<String>,
    /// A slice of the body, not a copy: an uploaded file is held once, however many hands it passes through.
    pub data: web::Bytes,
}

impl Part {
    /// The part's content as text (an ordinary field), if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// Reads the body up to `limit` bytes; a larger one is refused with a French message naming the limit.
pub async fn read_body(payload: web::Payload, limit: usize) -> Result<web::Bytes, AppError> {
    // The outer error is the limit; the inner one, the connection.
    match payload.to_bytes_limited(limit).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(_)) => Err(AppError::BadRequest("L’envoi du fichier a été interrompu.".into())),
        Err(_) => Err(AppError::BadRequest(format!(
            "Le fichier dépasse {} Mo : allégez-le ou découpez-le.",
            limit / (1024 * 1024)
        ))),
    }
}

/// The parts of a `multipart/form-data` body.
pub fn parts(req: &HttpRequest, body: &web::Bytes) -> Result<Vec<Part>, AppError> {
    let malformed =
        || AppError::BadRequest("Le formulaire envoyé est incomplet : choisissez le fichier et renvoyez.".into());
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        return Err(malformed());
    }
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .filter(|b| !b.is_empty())
        .ok_or_else(malformed)?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut parts = Vec::new();
    let mut rest = &body[..];
    let start = find(rest, &delimiter).ok_or_else(malformed)?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or_else(malformed)?;
        let headers_end = find(rest, b"\r\n\r\n").ok_or_else(malformed)?;
        let headers = std::str::from_utf8(&rest[..headers_end]).map_err(|_| malformed())?;
        rest = &rest[headers_end + 4..];
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let end = find(rest, &closing).ok_or_else(malformed)?;
        let disposition = headers
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .ok_or_else(malformed)?;
        let parameter = |key: &str| {
            disposition.split(';').find_map(|p| {
                let (k, v) = p.trim().split_once('=')?;
                (k.eq_ignore_ascii_case(key)).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        parts.push(Part {
            name: parameter("name").ok_or_else(malformed)?,
            file_name: parameter("filename"),
            data: body.slice_ref(&rest[..end]),
        });
        rest = &rest[end + closing.len()..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
