//! File uploads: a `multipart/form-data` body read up to a limit, and its parts. Forms that upload carry their
//! CSRF token in the query string (see `middleware::request_guard`), so the body is read only here. A file to import
//! waits for its column mapping under a token (`storage::pending_imports`).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::context::PageCtx;
use super::views::see_other;
use super::{AppError, AppState};
use crate::import::places::{read_table, Table};
use crate::security::random_token;
use crate::storage::pending_imports::{self, PendingImport, Purpose};

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

/// Keeps an uploaded file's text for its column-mapping step, for its uploader alone; returns its token.
pub async fn keep_for_mapping(
    state: &AppState,
    user_id: i64,
    purpose: Purpose,
    file: &Part,
    text: String,
) -> Result<String, AppError> {
    let token = random_token();
    let file_name: String = file.file_name.clone().unwrap_or_default().chars().take(200).collect();
    let kept = token.clone();
    state
        .db(move |conn| {
            crate::storage::write_transaction(conn, |conn| {
                Ok::<_, AppError>(pending_imports::keep(conn, &kept, user_id, purpose, &file_name, &text)?)
            })
        })
        .await?;
    Ok(token)
}

/// A file kept for its mapping: still waiting, read as a table, or imported already.
pub enum Kept {
    Waiting(Box<(PendingImport, Table)>),
    Imported,
}

/// The file this person uploaded for this purpose under the token; gone after a day.
pub async fn kept_for_mapping(
    state: &AppState,
    user_id: i64,
    purpose: Purpose,
    token: String,
) -> Result<Kept, AppError> {
    let pending =
        state.db(move |conn| Ok(pending_imports::find(conn, &token, user_id, purpose)?)).await?.ok_or_else(|| {
            AppError::Gone("Ce fichier n’est plus gardé (un jour au plus) : envoyez-le de nouveau.".into())
        })?;
    if pending.imported_at.is_some() {
        return Ok(Kept::Imported);
    }
    let table = read_table(&pending.content).map_err(AppError::BadRequest)?;
    Ok(Kept::Waiting(Box::new((pending, table))))
}

/// A mapping page opened or sent again once its file is imported (a double click, a reload, two tabs): where the
/// import went, saying so.
pub fn imported_already(ctx: &PageCtx, destination: &str) -> HttpResponse {
    ctx.set_flash("Ce fichier est déjà importé.");
    see_other(destination)
}
