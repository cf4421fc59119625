//! A questionnaire's responses as CSV, one row per response and one column per question (or per choice, matrix
//! row, rank), in an order that does not depend on the responses' conditional paths; and its codebook. The CSV is
//! streamed: responses are read a page at a time and written to the connection as they come, so memory stays flat
//! however many there are.

use std::io::Write;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::domain::questionnaire::{
    asked_when, export_columns, export_row, Column, ColumnContent, Question, QuestionType, OTHER,
};
use crate::storage::questionnaires::{self, Channel, Questionnaire};
use crate::web::context::PageCtx;
use crate::web::projects::access::{questionnaire_and_access, Need};
use crate::web::projects::paths::download_disposition;
use crate::web::{AppError, AppState};
use crate::xlsx::{self, Cell, XlsxWriter};

/// Responses read per page of the export.
const PAGE: i64 = 2000;

#[derive(Deserialize)]
pub struct ExportQuery {
    /// "pointvirgule" for the `;` that French spreadsheet software expects; a comma otherwise.
    separateur: Option<String>,
    /// "oui" for the labels of the answers (« Vélo ») instead of their codes (« velo »).
    libelles: Option<String>,
}

impl ExportQuery {
    fn labels(&self) -> bool {
        self.libelles.as_deref() == Some("oui")
    }
}

/// How an interview was held, as the export says it.
fn interview_mode(code: &str) -> &'static str {
    match code {
        "face_to_face" => "face à face",
        "phone" => "téléphone",
        _ => "",
    }
}

/// A body fed by a channel: the export's producer sends chunks, the connection takes them as it can. The bounded
/// channel makes a slow client slow the producer down instead of piling chunks up in memory.
struct ChannelBody(mpsc::Receiver<Bytes>);

impl MessageBody for ChannelBody {
    type Error = std::convert::Infallible;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(Ok))
    }
}

async fn readable(state: &AppState, ctx: &PageCtx, id: i64) -> Result<(Questionnaire, Vec<Question>), AppError> {
    let (questionnaire, _, _) = questionnaire_and_access(state, ctx, id, Need::Group).await?;
    let questions = state.db(move |conn| Ok(questionnaires::questions_of(conn, id)?)).await?;
    Ok((questionnaire, questions))
}

/// The separator asked for: ";" for French spreadsheet software, "," otherwise.
fn separator(query: &ExportQuery) -> u8 {
    if query.separateur.as_deref() == Some("pointvirgule") {
        b';'
    } else {
        b','
    }
}

fn csv_writer(separator: u8) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(separator).from_writer(Vec::new())
}

/// What the writer holds so far, leaving an empty writer for the next chunk.
fn take(writer: &mut csv::Writer<Vec<u8>>, separator: u8) -> Result<Bytes, AppError> {
    let full = std::mem::replace(writer, csv_writer(separator));
    let bytes = full.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!(e.to_string())))?;
    Ok(Bytes::from(bytes))
}

/// Bytes written go to the connection in chunks of about `CHUNK` through the bounded channel; an error once the
/// client has gone, which ends the export.
struct ChannelWriter {
    sender: mpsc::Sender<Bytes>,
    buffer: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl ChannelWriter {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.sender
            .blocking_send(chunk)
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "le client est parti"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.send()
    }
}

/// The file being written: CSV or an Excel workbook, row by row.
enum Table {
    Csv(Box<csv::Writer<ChannelWriter>>),
    Xlsx(Box<XlsxWriter<ChannelWriter>>),
}

/// The format asked for.
#[derive(Clone, Copy)]
enum Format {
    Csv(u8),
    Xlsx,
}

impl Table {
    fn open(format: Format, sender: mpsc::Sender<Bytes>) -> Result<Table, AppError> {
        let mut out = ChannelWriter { sender, buffer: Vec::with_capacity(CHUNK) };
        Ok(match format {
            Format::Csv(separator) => {
                // The byte order mark tells spreadsheet software the file is UTF-8.
                out.write_all(b"\xEF\xBB\xBF").map_err(AppError::internal)?;
                Table::Csv(Box::new(csv::WriterBuilder::new().delimiter(separator).from_writer(out)))
            }
            Format::Xlsx => {
                let mut writer = XlsxWriter::new(out).map_err(AppError::internal)?;
                writer.start_sheet("Réponses").map_err(AppError::internal)?;
                Table::Xlsx(Box::new(writer))
            }
        })
    }

    /// Writes a row; `numeric` says which cells are numbers (the workbook types them).
    fn row(&mut self, cells: &[&str], numeric: &[bool]) -> Result<(), AppError> {
        match self {
            Table::Csv(writer) => writer.write_record(cells).map_err(AppError::internal),
            Table::Xlsx(writer) => {
                let typed: Vec<Cell> = cells
                    .iter()
                    .zip(numeric.iter().chain(std::iter::repeat(&false)))
                    .map(|(cell, numeric)| match (cell.is_empty(), numeric, cell.parse::<f64>()) {
                        (true, _, _) => Cell::Empty,
                        (false, true, Ok(n)) => Cell::Number(n),
                        _ => Cell::Text(cell),
                    })
                    .collect();
                writer.write_row(&typed).map_err(AppError::internal)
            }
        }
    }

    /// Sends what a page of responses produced, so that the client receives it as it comes.
    fn flush(&mut self) -> Result<(), AppError> {
        match self {
            Table::Csv(writer) => writer.flush().map_err(AppError::internal),
            // The workbook's compressor holds its own buffer; chunks leave as they fill.
            Table::Xlsx(_) => Ok(()),
        }
    }

    fn finish(self) -> Result<(), AppError> {
        match self {
            Table::Csv(writer) => {
                let mut out = writer.into_inner().map_err(|e| AppError::internal(anyhow::anyhow!(e.to_string())))?;
                out.flush().map_err(AppError::internal)
            }
            Table::Xlsx(writer) => writer.finish().map_err(AppError::internal)?.flush().map_err(AppError::internal),
        }
    }
}

/// The columns every export starts with, before the questions': the response, how, where and by whom it was
/// collected (interview mode, place, who recorded it), and when.
const RESPONSE_COLUMNS: [&str; 6] = ["reponse", "canal", "mode_entretien", "lieu_entretien", "saisie_par", "date"];

/// Writes the whole export into `chunks`; `labels` puts the answers' labels where their codes would be.
fn produce(
    conn: &mut crate::storage::DbConnection,
    questionnaire_id: i64,
    columns: &[Column],
    (format, labels): (Format, bool),
    chunks: mpsc::Sender<Bytes>,
) -> Result<(), AppError> {
    let mut table = Table::open(format, chunks)?;
    let mut header = RESPONSE_COLUMNS.to_vec();
    header.extend(columns.iter().map(|c| c.name.as_str()));
    table.row(&header, &[])?;
    let mut numeric = vec![true, false, false, false, false, false];
    // A column given as labels holds words where its codes were numbers (a scale's ends).
    numeric.extend(columns.iter().map(|c| c.numeric && (!labels || c.codes.is_empty())));
    let mut after = 0;
    loop {
        let page = questionnaires::responses_after(conn, questionnaire_id, after, PAGE)?;
        let Some(last) = page.last().map(|r| r.id) else { break };
        let ids: Vec<i64> = page.iter().map(|r| r.id).collect();
        let answers = questionnaires::answers_of_responses(conn, &ids)?;
        let interviewers: Vec<i64> = page.iter().filter_map(|r| r.interviewer_id).collect();
        let names = crate::storage::users::names_of(conn, &interviewers)?;
        let mut rest = answers.as_slice();
        for response in &page {
            let split = rest.iter().position(|(r, _, _, _)| *r != response.id).unwrap_or(rest.len());
            let (mine, others) = rest.split_at(split);
            rest = others;
            let items: Vec<(i64, &str, &str)> =
                mine.iter().map(|(_, q, item, value)| (*q, item.as_str(), value.as_str())).collect();
            let (id, at) = (response.id.to_string(), response.submitted_at.format("%Y-%m-%d %H:%M").to_string());
            let recorder = response
                .interviewer_id
                .and_then(|u| names.iter().find(|(id, _)| *id == u))
                .map_or("", |(_, name)| name.as_str());
            let mut row = vec![
                id.as_str(),
                Channel::parse(&response.channel).unwrap_or(Channel::Online).label(),
                response.interview_mode.as_deref().map_or("", interview_mode),
                response.place.as_deref().unwrap_or(""),
                recorder,
                at.as_str(),
            ];
            let cells = export_row(columns, &items);
            if labels {
                row.extend(columns.iter().zip(cells).map(|(column, cell)| column.labelled(cell)));
            } else {
                row.extend(cells);
            }
            table.row(&row, &numeric)?;
        }
        table.flush()?;
        after = last;
    }
    table.finish()
}

/// Streams the responses in `format`: the producer holds one blocking thread and one connection for the length
/// of the download, and stops quietly when the client goes away.
async fn stream_responses(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: i64,
    (format, labels): (Format, bool),
) -> Result<HttpResponse, AppError> {
    let (questionnaire, questions) = readable(&state, &ctx, id).await?;
    let columns = export_columns(&questions);
    let (sender, receiver) = mpsc::channel::<Bytes>(4);
    let pool = state.pool.clone();
    let questionnaire_id = questionnaire.id;
    actix_web::rt::spawn(web::block(move || {
        let result = pool
            .get()
            .map_err(|e| AppError::internal(anyhow::anyhow!(e)))
            .and_then(|mut conn| produce(&mut conn, questionnaire_id, &columns, (format, labels), sender));
        if let Err(error) = result {
            log::info!("export du questionnaire {questionnaire_id} interrompu : {error:?}");
        }
    }));
    let (content_type, extension) = match format {
        Format::Csv(_) => ("text/csv; charset=utf-8", "csv"),
        Format::Xlsx => (xlsx::MEDIA_TYPE, "xlsx"),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", download_disposition(&questionnaire, "reponses", extension)))
        .body(ChannelBody(receiver)))
}

pub async fn responses_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    stream_responses(ctx, state, id.into_inner(), (Format::Csv(separator(&query)), query.labels())).await
}

pub async fn responses_xlsx(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    stream_responses(ctx, state, id.into_inner(), (Format::Xlsx, query.labels())).await
}

/// The codebook: each column of the export with its question, its type and the codes of its answers.
pub async fn codebook_csv(
    ctx: PageCtx,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let (questionnaire, questions) = readable(&state, &ctx, id.into_inner()).await?;
    let separator = separator(&query);
    let mut writer = csv_writer(separator);
    writer
        .write_record(["colonne", "question", "type", "contenu", "posée si", "code", "libellé"])
        .map_err(AppError::internal)?;
    let described = [
        ("reponse", "numéro de la réponse"),
        ("canal", "en ligne, entretien ou papier"),
        ("mode_entretien", "face à face ou téléphone, pour un entretien"),
        ("lieu_entretien", "lieu de l’entretien, s’il a été indiqué"),
        ("saisie_par", "personne qui a saisi l’entretien ou le questionnaire papier"),
        ("date", "date et heure d’enregistrement"),
    ];
    for (name, content) in described {
        writer.write_record([name, "", "", content, "", "", ""]).map_err(AppError::internal)?;
    }
    for column in export_columns(&questions) {
        let Some(question) = questions.iter().find(|q| q.id == column.question_id) else { continue };
        let content = match &column.content {
            ColumnContent::Value => "réponse",
            ColumnContent::Ticked(_) => "1 si cochée, 0 sinon, vide sans réponse",
            ColumnContent::Item(item) if item == OTHER => "précision de « Autre »",
            ColumnContent::Item(_) if question.kind == QuestionType::Ranking => "rang (1 = en premier)",
            ColumnContent::Item(_) => "point de l’échelle",
        };
        let asked = asked_when(&questions, question).unwrap_or_default();
        let row = |code: &str, label: &str| {
            [
                column.name.clone(),
                column.label.clone(),
                question.kind.label().to_owned(),
                content.to_owned(),
                asked.clone(),
                code.to_owned(),
                label.to_owned(),
            ]
        };
        if column.codes.is_empty() {
            writer.write_record(row("", "")).map_err(AppError::internal)?;
        }
        for (code, label) in &column.codes {
            writer.write_record(row(code, label)).map_err(AppError::internal)?;
        }
    }
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(&take(&mut writer, separator)?);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", download_disposition(&questionnaire, "codes", "csv")))
        .body(body))
}
