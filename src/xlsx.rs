//! Minimal .xlsx (Office Open XML spreadsheet) support.
//!
//! * [`read_workbook`] turns an uploaded workbook (an XLSForm questionnaire) into plain text grids.
//!   Uploads are hostile: every size is bounded, and breaking a bound is an error, never a panic.
//! * [`XlsxWriter`] streams a workbook to a non-seekable writer (an HTTP response) row by row, with
//!   memory that does not grow with the number of rows.
//!
//! Only cell text is handled: no formulas, dates or styles beyond a bold, frozen header row.

use std::borrow::Cow;
use std::fmt::{self, Display, Write as _};
use std::io::{Cursor, Read, Seek, Write};

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use zip::result::ZipError;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The media type of Excel workbooks, for the `Content-Type` of a download.
pub const MEDIA_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const MIB: u64 = 1024 * 1024;
/// Largest decompressed part (XML file inside the zip) that is read.
const MAX_PART_BYTES: u64 = 32 * MIB;
/// Largest decompressed total: several sheets may point at the same big part.
const MAX_TOTAL_BYTES: u64 = 128 * MIB;
/// Memory allowed for the decoded text: shared strings, rows and cells, counting each `Vec` and
/// `String` slot besides the text. Without it a few kilobytes of XML could create 100,000 rows of
/// 1,000 empty cells, or copy one huge shared string into every cell.
const MAX_TEXT_MEMORY: usize = 128 * 1024 * 1024;
const MAX_ROWS: usize = 100_000;
const MAX_COLUMNS: usize = 1_000;
/// Excel's own limits, respected when writing so that Excel opens what we produce.
const EXCEL_MAX_ROWS: u32 = 1_048_576;
const EXCEL_MAX_COLUMNS: usize = 16_384;
const EXCEL_MAX_CELL_CHARS: usize = 32_767;
const EXCEL_MAX_SHEET_NAME: usize = 31;

/// Why a workbook could not be read or written; `Display` speaks to a non-technical user, in French.
#[derive(Debug)]
pub enum XlsxError {
    /// Not a zip, not a workbook, or a damaged one; the text says what was wrong.
    NotXlsx(String),
    TooLarge,
    TooManyRows(String),
    TooManyColumns(String),
    /// Writing failed (usually the client went away); the text is the cause.
    Write(String),
}

impl Display for XlsxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotXlsx(why) => write!(f, "Le fichier n’est pas un classeur Excel (.xlsx) lisible : {why}."),
            Self::TooLarge => f.write_str(
                "Le classeur est trop volumineux pour être importé. \
                 Supprimez les feuilles, lignes ou colonnes inutiles, puis réessayez.",
            ),
            Self::TooManyRows(sheet) => write!(f, "La feuille « {sheet} » dépasse 100 000 lignes."),
            Self::TooManyColumns(sheet) => write!(f, "La feuille « {sheet} » dépasse 1 000 colonnes."),
            Self::Write(why) => write!(f, "L’export Excel a échoué : {why}."),
        }
    }
}

impl std::error::Error for XlsxError {}

fn not_xlsx(why: impl Into<String>) -> XlsxError {
    XlsxError::NotXlsx(why.into())
}

fn write_error(error: impl Display) -> XlsxError {
    XlsxError::Write(error.to_string())
}

// ------------------------------------------------------------------------------------------ reading

/// One worksheet: `rows[i][j]` is the text of the cell in spreadsheet row `i + 1`, column `j`
/// (A = 0). Empty cells are `""`; trailing empty cells and rows are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// Reads every worksheet of an .xlsx file, in workbook order.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, XlsxError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx("ce n’est pas une archive ZIP"))?;
    let mut total_budget = MAX_TOTAL_BYTES;
    let mut part = |path: &str| read_part(&mut zip, path, &mut total_budget);

    let workbook = part("xl/workbook.xml")?.ok_or_else(|| not_xlsx("la partie xl/workbook.xml est absente"))?;
    let rels = part("xl/_rels/workbook.xml.rels")?
        .ok_or_else(|| not_xlsx("la partie xl/_rels/workbook.xml.rels est absente"))?;
    let relationships = parse_relationships(&rels)?;
    let mut memory_budget = MAX_TEXT_MEMORY;
    let mut shared_strings = Vec::new();
    if let Some(rel) = relationships.iter().find(|r| r.kind.ends_with("/sharedStrings")) {
        if let Some(xml) = part(&part_path(&rel.target))? {
            shared_strings = parse_shared_strings(&xml, &mut memory_budget)?;
        }
    }
    let mut sheets = Vec::new();
    for (name, rel_id) in parse_sheet_list(&workbook)? {
        let missing = || not_xlsx(format!("la feuille « {name} » est introuvable"));
        let rel = relationships.iter().find(|r| r.id == rel_id).ok_or_else(missing)?;
        let xml = part(&part_path(&rel.target))?.ok_or_else(missing)?;
        let rows = parse_worksheet(&xml, &name, &shared_strings, &mut memory_budget)?;
        sheets.push(Sheet { name, rows });
    }
    Ok(sheets)
}

/// Decompresses one part, or `None` if the zip has no such entry.
fn read_part<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
    total_budget: &mut u64,
) -> Result<Option<String>, XlsxError> {
    let damaged = || not_xlsx(format!("la partie {path} est endommagée"));
    let entry = match zip.by_name(path) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(damaged()),
    };
    // The declared size lets us refuse a bomb before inflating anything, but it is written by the
    // uploader and may lie: the real guard is to inflate at most one byte more than the limit.
    if entry.size() > MAX_PART_BYTES {
        return Err(XlsxError::TooLarge);
    }
    let mut bytes = Vec::new();
    entry.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes).map_err(|_| damaged())?;
    let size = bytes.len() as u64;
    if size > MAX_PART_BYTES {
        return Err(XlsxError::TooLarge);
    }
    *total_budget = total_budget.checked_sub(size).ok_or(XlsxError::TooLarge)?;
    let mut text = String::from_utf8(bytes).map_err(|_| not_xlsx(format!("la partie {path} n’est pas en UTF-8")))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8()); // byte order mark
    }
    Ok(Some(text))
}

/// Zip path of a relationship target, which is relative to `xl/` or absolute from the zip root.
fn part_path(target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    segments.join("/")
}

struct Relationship {
    id: String,
    kind: String,
    target: String,
}

fn xml_error(error: quick_xml::Error) -> XlsxError {
    not_xlsx(format!("contenu XML invalide ({error})"))
}

/// Value of the attribute with this local name (prefixes such as `r:` are ignored), unescaped.
fn attribute(element: &BytesStart<'_>, local_name: &[u8]) -> Option<String> {
    let attr = element.attributes().flatten().find(|a| a.key.local_name().as_ref() == local_name)?;
    attr.normalized_value(XmlVersion::Implicit1_0).ok().map(Cow::into_owned)
}

/// Calls `visit` with every start or empty element of `xml`.
fn for_each_element(xml: &str, mut visit: impl FnMut(&BytesStart<'_>)) -> Result<(), XlsxError> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(xml_error)? {
            Event::Start(element) | Event::Empty(element) => visit(&element),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn parse_relationships(xml: &str) -> Result<Vec<Relationship>, XlsxError> {
    let mut relationships = Vec::new();
    for_each_element(xml, |element| {
        if element.local_name().as_ref() == b"Relationship" {
            if let (Some(id), Some(kind), Some(target)) =
                (attribute(element, b"Id"), attribute(element, b"Type"), attribute(element, b"Target"))
            {
                relationships.push(Relationship { id, kind, target });
            }
        }
    })?;
    Ok(relationships)
}

/// `(name, relationship id)` of each sheet, in workbook order.
fn parse_sheet_list(xml: &str) -> Result<Vec<(String, String)>, XlsxError> {
    let mut sheets = Vec::new();
    for_each_element(xml, |element| {
        if element.local_name().as_ref() == b"sheet" {
            if let (Some(name), Some(id)) = (attribute(element, b"name"), attribute(element, b"id")) {
                sheets.push((name, id));
            }
        }
    })?;
    Ok(sheets)
}

/// Appends the text of a text, CDATA or entity event: quick-xml reports `&amp;` or `&#10;` as
/// events of their own, between the text events around them.
fn push_text(out: &mut String, event: &Event<'_>) -> Result<(), quick_xml::Error> {
    match event {
        Event::Text(text) => out.push_str(&text.xml10_content()?),
        Event::CData(text) => out.push_str(&text.decode()?),
        Event::GeneralRef(entity) => match entity.resolve_char_ref()? {
            Some(character) => out.push(character),
            None => {
                let name = entity.decode()?;
                match resolve_predefined_entity(&name) {
                    Some(value) => out.push_str(value),
                    None => out.push_str(&format!("&{name};")), // undeclared: keep it visible
                }
            }
        },
        _ => {}
    }
    Ok(())
}

/// Reads the text inside the element just opened, up to its end tag. For rich text (`<si>` in
/// sharedStrings.xml, `<is>` in a cell) only `<t>` elements count, the text of formatting runs
/// `<r><t>` included, the phonetic guides `<rPh><t>` (Japanese furigana) excluded.
fn read_text(reader: &mut Reader<&[u8]>, rich: bool) -> Result<String, XlsxError> {
    let (mut text, mut depth, mut in_t, mut in_phonetic) = (String::new(), 0usize, false, false);
    loop {
        let event = reader.read_event().map_err(xml_error)?;
        match &event {
            Event::Start(element) => {
                depth += 1;
                match element.local_name().as_ref() {
                    b"t" => in_t = true,
                    b"rPh" => in_phonetic = true,
                    _ => {}
                }
            }
            Event::End(element) => {
                let Some(inner_depth) = depth.checked_sub(1) else { return Ok(text) };
                depth = inner_depth;
                match element.local_name().as_ref() {
                    b"t" => in_t = false,
                    b"rPh" => in_phonetic = false,
                    _ => {}
                }
            }
            Event::Eof => return Err(not_xlsx("contenu XML tronqué")),
            _ if !rich || (in_t && !in_phonetic) => push_text(&mut text, &event).map_err(xml_error)?,
            _ => {}
        }
    }
}

/// Takes `cost` bytes from the memory budget, or fails when it is spent.
fn charge(memory_budget: &mut usize, cost: usize) -> Result<(), XlsxError> {
    *memory_budget = memory_budget.checked_sub(cost).ok_or(XlsxError::TooLarge)?;
    Ok(())
}

fn parse_shared_strings(xml: &str, memory_budget: &mut usize) -> Result<Vec<String>, XlsxError> {
    let mut strings = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        let text = match reader.read_event().map_err(xml_error)? {
            Event::Start(element) if element.local_name().as_ref() == b"si" => read_text(&mut reader, true)?,
            Event::Empty(element) if element.local_name().as_ref() == b"si" => String::new(),
            Event::Eof => return Ok(strings),
            _ => continue,
        };
        charge(memory_budget, std::mem::size_of::<String>() + text.len())?;
        strings.push(text);
    }
}

/// 0-based column of a cell reference: "A1" → 0, "AA7" → 26; `None` without letters.
fn column_index(reference: &str) -> Option<usize> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic);
    let one_based = letters.fold(0usize, |n, letter| {
        n.saturating_mul(26).saturating_add(usize::from(letter.to_ascii_uppercase() - b'A') + 1)
    });
    one_based.checked_sub(1)
}

fn parse_worksheet(
    xml: &str,
    sheet: &str,
    shared_strings: &[String],
    memory_budget: &mut usize,
) -> Result<Vec<Vec<String>>, XlsxError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut reader = Reader::from_str(xml);
    // Where the next row and cell go when they have no `r` attribute: right after the previous.
    let (mut next_row, mut next_column) = (0usize, 0usize);
    // The cell being read: its row, column, type (`t` attribute) and `<v>` or `<is>` text.
    let mut cell: Option<(usize, usize, Option<String>)> = None;
    let mut value = String::new();
    loop {
        let (element, empty) = match reader.read_event().map_err(xml_error)? {
            Event::Start(element) => (element, false),
            Event::Empty(element) => (element, true),
            Event::End(element) if element.local_name().as_ref() == b"c" => {
                if let Some((row, column, kind)) = cell.take() {
                    let text = match kind.as_deref() {
                        Some("s") => value
                            .trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|index| shared_strings.get(index))
                            .cloned()
                            .ok_or_else(|| not_xlsx(format!("la feuille « {sheet} » cite un texte inexistant")))?,
                        _ => std::mem::take(&mut value), // numbers, booleans (1/0), errors, formula results
                    };
                    place_cell(&mut rows, row, column, text, sheet, memory_budget)?;
                }
                continue;
            }
            Event::Eof => return Ok(rows),
            _ => continue,
        };
        match element.local_name().as_ref() {
            b"row" => {
                let number = attribute(&element, b"r").and_then(|r| r.parse::<usize>().ok());
                let row = number.and_then(|n| n.checked_sub(1)).unwrap_or(next_row);
                (next_row, next_column) = (row.saturating_add(1), 0);
            }
            b"c" => {
                let column = attribute(&element, b"r").and_then(|r| column_index(&r)).unwrap_or(next_column);
                next_column = column.saturating_add(1);
                if !empty {
                    cell = Some((next_row.saturating_sub(1), column, attribute(&element, b"t")));
                    value.clear();
                }
            }
            b"v" if !empty && cell.is_some() => value = read_text(&mut reader, false)?,
            b"is" if !empty && cell.is_some() => value = read_text(&mut reader, true)?,
            _ => {}
        }
    }
}

fn place_cell(
    rows: &mut Vec<Vec<String>>,
    row: usize,
    column: usize,
    text: String,
    sheet: &str,
    memory_budget: &mut usize,
) -> Result<(), XlsxError> {
    if text.is_empty() {
        return Ok(()); // empty cells (often just formatted) must not lengthen rows
    }
    if row >= MAX_ROWS {
        return Err(XlsxError::TooManyRows(sheet.to_owned()));
    }
    if column >= MAX_COLUMNS {
        return Err(XlsxError::TooManyColumns(sheet.to_owned()));
    }
    let new_rows = (row + 1).saturating_sub(rows.len());
    let new_cells = (column + 1).saturating_sub(rows.get(row).map_or(0, Vec::len));
    let slot_size = (std::mem::size_of::<Vec<String>>(), std::mem::size_of::<String>());
    charge(memory_budget, new_rows * slot_size.0 + new_cells * slot_size.1 + text.len())?;
    if rows.len() <= row {
        rows.resize_with(row + 1, Vec::new);
    }
    let cells = &mut rows[row];
    if cells.len() <= column {
        cells.resize(column + 1, String::new());
    }
    cells[column] = text;
    Ok(())
}

// ------------------------------------------------------------------------------------------ writing

/// A cell to write. Non-finite numbers are written as empty cells, texts are cut at Excel's limit
/// of 32,767 characters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

/// Streams a workbook: `start_sheet`, then `write_row` for each row (the first one is shown as a
/// bold, frozen header), possibly another sheet, then `finish`.
///
/// Each sheet is one deflated zip entry written as rows come, with a data descriptor after it
/// (the zip "streaming" mode), so the output never has to be seekable. Strings are written inline
/// (`t="inlineStr"`) rather than in a shared-string table, which would have to be held in memory
/// until the end and written before the sheets. Memory use is therefore one row.
pub struct XlsxWriter<W: Write> {
    zip: ZipWriter<StreamWriter<W>>,
    sheet_names: Vec<String>,
    in_sheet: bool,
    /// 1-based number of the next row of the current sheet.
    next_row: u32,
    /// The XML of one row, reused so that rows are written with one call and no new allocation.
    row_xml: String,
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const SHEET_START: &str = "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" \
    activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><sheetData>";
/// Style 0: normal; style 1: bold (the header row).
const STYLES: &str = "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/>\
    <sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill><patternFill patternType=\"none\"/>\
    </fill><fill><patternFill patternType=\"gray125\"/></fill></fills><borders count=\"1\"><border><left/><right/>\
    <top/><bottom/><diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" \
    fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" \
    borderId=\"0\" xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" \
    applyFont=\"1\"/></cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>\
    </cellStyles>";

impl<W: Write> XlsxWriter<W> {
    pub fn new(out: W) -> Result<Self, XlsxError> {
        let zip = ZipWriter::new_stream(out);
        Ok(Self { zip, sheet_names: Vec::new(), in_sheet: false, next_row: 1, row_xml: String::new() })
    }

    /// Starts a new sheet (ending the current one). The name is adapted to Excel's rules.
    pub fn start_sheet(&mut self, name: &str) -> Result<(), XlsxError> {
        self.end_sheet()?;
        let name = excel_sheet_name(name, &self.sheet_names);
        self.sheet_names.push(name);
        let path = format!("xl/worksheets/sheet{}.xml", self.sheet_names.len());
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        self.zip.start_file(path, options).map_err(write_error)?;
        let header = format!("{XML_DECLARATION}<worksheet xmlns=\"{MAIN_NS}\">{SHEET_START}");
        self.zip.write_all(header.as_bytes()).map_err(write_error)?;
        (self.in_sheet, self.next_row) = (true, 1);
        Ok(())
    }

    pub fn write_row(&mut self, cells: &[Cell<'_>]) -> Result<(), XlsxError> {
        if !self.in_sheet {
            return Err(XlsxError::Write("aucune feuille n’a été commencée".into()));
        }
        if self.next_row > EXCEL_MAX_ROWS || cells.len() > EXCEL_MAX_COLUMNS {
            return Err(XlsxError::Write(
                "les limites d’Excel (1 048 576 lignes, 16 384 colonnes) sont dépassées".into(),
            ));
        }
        self.row_xml.clear();
        row_xml(&mut self.row_xml, self.next_row, cells).map_err(write_error)?;
        self.zip.write_all(self.row_xml.as_bytes()).map_err(write_error)?;
        self.next_row += 1;
        Ok(())
    }

    fn end_sheet(&mut self) -> Result<(), XlsxError> {
        if std::mem::take(&mut self.in_sheet) {
            self.zip.write_all(b"</sheetData></worksheet>").map_err(write_error)?;
        }
        Ok(())
    }

    /// Ends the last sheet, writes the workbook parts and the zip's central directory, and gives
    /// the output back.
    pub fn finish(mut self) -> Result<W, XlsxError> {
        if self.sheet_names.is_empty() {
            self.start_sheet("Feuille")?; // Excel refuses a workbook without sheets
        }
        self.end_sheet()?;
        let count = self.sheet_names.len();
        let mut sheets = String::new();
        let mut sheet_rels = String::new();
        let mut sheet_types = String::new();
        for (index, name) in (1..).zip(&self.sheet_names) {
            sheets.push_str("<sheet name=\"");
            push_escaped(&mut sheets, name);
            sheets.push_str(&format!("\" sheetId=\"{index}\" r:id=\"rId{index}\"/>"));
            sheet_rels.push_str(&format!(
                "<Relationship Id=\"rId{index}\" Type=\"{REL_NS}/worksheet\" Target=\"worksheets/sheet{index}.xml\"/>"
            ));
            sheet_types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{index}.xml\" ContentType=\"application/\
                 vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
        }
        let package_rels = "http://schemas.openxmlformats.org/package/2006/relationships";
        let parts = [
            (
                "xl/workbook.xml",
                format!("<workbook xmlns=\"{MAIN_NS}\" xmlns:r=\"{REL_NS}\"><sheets>{sheets}</sheets></workbook>"),
            ),
            ("xl/styles.xml", format!("<styleSheet xmlns=\"{MAIN_NS}\">{STYLES}</styleSheet>")),
            (
                "xl/_rels/workbook.xml.rels",
                format!(
                    "<Relationships xmlns=\"{package_rels}\">{sheet_rels}<Relationship Id=\"rId{}\" \
                 Type=\"{REL_NS}/styles\" Target=\"styles.xml\"/></Relationships>",
                    count + 1
                ),
            ),
            (
                "_rels/.rels",
                format!(
                    "<Relationships xmlns=\"{package_rels}\"><Relationship Id=\"rId1\" \
                 Type=\"{REL_NS}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
                ),
            ),
            (
                "[Content_Types].xml",
                format!(
                    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/\
                 vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/styles.xml\" ContentType=\"application/\
                 vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>{sheet_types}</Types>"
                ),
            ),
        ];
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (path, xml) in parts {
            self.zip.start_file(path, options).map_err(write_error)?;
            self.zip.write_all(XML_DECLARATION.as_bytes()).map_err(write_error)?;
            self.zip.write_all(xml.as_bytes()).map_err(write_error)?;
        }
        let mut out = self.zip.finish().map_err(write_error)?.into_inner();
        out.flush().map_err(write_error)?;
        Ok(out)
    }
}

/// Appends `<row>` XML: empty cells are omitted, each written cell carries its reference ("B7").
fn row_xml(xml: &mut String, row: u32, cells: &[Cell<'_>]) -> fmt::Result {
    write!(xml, "<row r=\"{row}\">")?;
    let style = if row == 1 { " s=\"1\"" } else { "" };
    for (column, cell) in cells.iter().enumerate() {
        match cell {
            Cell::Text(text) if !text.is_empty() => {
                push_column_name(xml, column);
                write!(xml, "{row}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">")?;
                push_escaped(xml, text);
                xml.push_str("</t></is></c>");
            }
            Cell::Number(number) if number.is_finite() => {
                push_column_name(xml, column);
                write!(xml, "{row}\"{style}><v>{number}</v></c>")?; // Display: "3", "0.25", no exponent
            }
            _ => {}
        }
    }
    xml.push_str("</row>");
    Ok(())
}

/// Appends `<c r="` and the column letters: 0 → A, 25 → Z, 26 → AA.
fn push_column_name(xml: &mut String, column: usize) {
    xml.push_str("<c r=\"");
    let mut letters = [0u8; 3]; // 16,384 columns (XFD) need at most three letters
    let (mut rest, mut start) = (column + 1, letters.len());
    while rest > 0 && start > 0 {
        start -= 1;
        letters[start] = b'A' + ((rest - 1) % 26) as u8;
        rest = (rest - 1) / 26;
    }
    letters[start..].iter().for_each(|&letter| xml.push(char::from(letter)));
}

/// Appends text escaped for XML content or attributes, without the characters XML 1.0 forbids
/// (control characters other than tab and line breaks), cut at Excel's 32,767 characters per cell.
fn push_escaped(xml: &mut String, text: &str) {
    let mut utf16_length = 0;
    for character in text.chars() {
        utf16_length += character.len_utf16();
        if utf16_length > EXCEL_MAX_CELL_CHARS {
            break;
        }
        match character {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\r' => xml.push_str("&#13;"), // a raw CR would be turned into LF by XML parsers
            '\t' | '\n' => xml.push(character),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            _ => xml.push(character),
        }
    }
}

/// A name Excel accepts: at most 31 characters, none of `[]:*?/\`, no apostrophe at either end,
/// not "History" (reserved), and distinct from `taken` ignoring case.
fn excel_sheet_name(wanted: &str, taken: &[String]) -> String {
    let cleaned: String =
        wanted.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
    let cleaned = cleaned.trim().trim_matches('\'');
    let base = if cleaned.is_empty() { "Feuille" } else { cleaned };
    let mut attempt = 1;
    loop {
        let suffix = if attempt == 1 { String::new() } else { format!(" ({attempt})") };
        let mut length = suffix.len();
        let prefix: String = base
            .chars()
            .take_while(|c| {
                length += c.len_utf16();
                length <= EXCEL_MAX_SHEET_NAME
            })
            .collect();
        let candidate = format!("{}{suffix}", prefix.trim_end_matches('\''));
        let lowercase = candidate.to_lowercase();
        if lowercase != "history" && !taken.iter().any(|name| name.to_lowercase() == lowercase) {
            return candidate;
        }
        attempt += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A workbook of shared/data, or `None` (the test skipped) on a checkout without it.
    fn questionnaire(file: &str) -> Option<Vec<Sheet>> {
        let path = format!("questionnaires/{file}");
        let bytes = crate::shared_data::shared_data(&[&path])?.bytes(&path);
        Some(read_workbook(&bytes).expect("readable workbook"))
    }

    fn names(sheets: &[Sheet]) -> Vec<&str> {
        sheets.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn reads_xlsform_with_formula_strings() {
        let Some(sheets) = questionnaire("xlsform-all-types.xlsx") else { return };
        assert_eq!(names(&sheets), ["survey", "choices", "settings"]);
        let survey = &sheets[0].rows;
        assert_eq!(
            survey[0].join("|"),
            "type|name|calculation|label|appearance|required|hint|constraint|constraint_message|default|relevant"
        );
        assert_eq!(survey.len(), 52);
        assert_eq!(survey[1], ["start", "start"]);
        assert_eq!(survey[10][3], "Persönliche Angaben");
        assert_eq!(survey[46][7], ". >= 18 and . <= 120");
        assert_eq!(
            survey[48].join("|"),
            "text|q_relevant||Wie sollen wir Sie kontaktieren?|||||||${q_mandatory} != ''"
        );
        assert_eq!(sheets[1].rows.len(), 16);
        assert_eq!(
            sheets[2].rows,
            [["form_title", "form_id", "default_language"], ["Workshop-Feedback-Umfrage", "all_types", "de"]]
        );
    }

    #[test]
    fn reads_xlsform_with_shared_strings() {
        let Some(sheets) = questionnaire("xlsform-civil-society-survey-de.xlsx") else { return };
        assert_eq!(names(&sheets), ["survey", "choices", "settings"]);
        let survey = &sheets[0].rows;
        assert_eq!(
            survey[0].join("|"),
            "type|name|appearance|label::Deutsch (de)|hint::Deutsch (de)|required|relevant|constraint"
        );
        assert_eq!(survey.len(), 61);
        assert_eq!(survey[3], ["end_group"]);
        assert_eq!(survey[7][6], "selected(${themenfelder}, 'other')");
        assert_eq!(survey[13][3], "Wie würden Sie die Zusammenarbeit bewerten?");
        assert!(survey[2][3]
            .starts_with("**[Das Zusammenleben e.V.](https://www.zusammenlebenev.de/)** aus Freital möchte"));
        assert!(survey[2][3].contains("helfen.\n\nDiese Umfrage"));
        assert!(survey[14][6].ends_with("'eher_schlecht'\n"), "nothing trimmed");
        assert_eq!(sheets[1].rows.len(), 98);
        assert_eq!(sheets[1].rows[3], ["landkreise", "goerlitz", "Görlitz"]);
        assert_eq!(
            sheets[2].rows[1].join("|"),
            "Bedarfserhebung für Migrant*innenorganisationen in Sachsen|pages|bedarfserhebung_mo_sachsen|Deutsch (de)"
        );
    }

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in entries {
            let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
            zip.start_file(*name, options).expect("start");
            zip.write_all(content).expect("write");
        }
        zip.finish().expect("finish").into_inner()
    }

    #[test]
    fn refuses_what_is_not_a_workbook() {
        let error = read_workbook(b"name;label\nq1;Bonjour\n").expect_err("not a zip");
        assert!(error.to_string().starts_with("Le fichier n’est pas un classeur Excel (.xlsx) lisible"));
        let error = read_workbook(&zip_with(&[("word/document.xml", b"<w/>")])).expect_err("no workbook");
        assert!(matches!(error, XlsxError::NotXlsx(_)), "{error}");
    }

    #[test]
    fn refuses_zip_bombs() {
        let bomb = vec![b' '; 33 * 1024 * 1024];
        let mut bytes = zip_with(&[("xl/workbook.xml", &bomb)]);
        assert!(matches!(read_workbook(&bytes), Err(XlsxError::TooLarge)));
        // Now make the headers lie (declare 1 byte): the bounded read must still stop it.
        let sizes = [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)];
        for (signature, offset) in sizes {
            let at = bytes.windows(4).position(|w| w == signature).expect("header") + offset;
            bytes[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
        }
        let error = read_workbook(&bytes).expect_err("lying bomb");
        assert!(matches!(error, XlsxError::TooLarge), "{error}");
    }

    /// A one-sheet workbook made by hand, its sheet at an absolute target and with prefixed elements.
    fn hand_made(shared_strings: &str, sheet_data: &str) -> Vec<u8> {
        let ns = "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
        let workbook = format!("<x:workbook {ns} xmlns:r=\"{REL_NS}\"><x:sheets><x:sheet name=\"A &amp; B\" r:id=\"s1\"/></x:sheets></x:workbook>");
        let rels = format!("<Relationships><Relationship Id=\"s1\" Type=\"{REL_NS}/worksheet\" Target=\"/xl/a/../s.xml\"/><Relationship Id=\"t\" Type=\"{REL_NS}/sharedStrings\" Target=\"strings.xml\"/></Relationships>");
        let strings = format!("<x:sst {ns}>{shared_strings}</x:sst>");
        let sheet = format!("<x:worksheet {ns}><x:sheetData>{sheet_data}</x:sheetData></x:worksheet>");
        zip_with(&[
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/strings.xml", strings.as_bytes()),
            ("xl/s.xml", sheet.as_bytes()),
        ])
    }

    #[test]
    fn reads_rich_text_inline_strings_and_cells_without_reference() {
        let bytes = hand_made(
            "<x:si><x:t/></x:si><x:si><x:r><x:t>Bon</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space=\"preserve\">\
             jour &amp; </x:t></x:r><x:rPh sb=\"0\" eb=\"1\"><x:t>ボン</x:t></x:rPh></x:si>",
            "<x:row r=\"2\"><x:c t=\"s\"><x:v>1</x:v></x:c><x:c t=\"b\"><x:v>1</x:v></x:c><x:c r=\"E2\" t=\"inlineStr\">\
             <x:is><x:t>x&#10;&lt;y&gt;</x:t></x:is></x:c><x:c s=\"1\"/><x:c><x:f>1+2</x:f><x:v>3.0</x:v></x:c></x:row>\
             <x:row><x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"s\"><x:v>0</x:v></x:c></x:row>",
        );
        let sheets = read_workbook(&bytes).expect("readable");
        assert_eq!(names(&sheets), ["A & B"]);
        assert_eq!(sheets[0].rows, [vec![], vec!["Bonjour & ", "1", "", "", "x\n<y>", "", "3.0"], vec!["#N/A"]]);
    }

    #[test]
    fn refuses_shared_string_amplification() {
        let huge = format!("<x:si><x:t>{}</x:t></x:si>", "a".repeat(1024 * 1024));
        let bytes = hand_made(&huge, &"<x:row><x:c t=\"s\"><x:v>0</x:v></x:c></x:row>".repeat(200));
        assert!(matches!(read_workbook(&bytes), Err(XlsxError::TooLarge)));
    }

    fn written(sheets: &[(&str, Vec<Vec<Cell<'_>>>)]) -> Vec<u8> {
        let mut writer = XlsxWriter::new(Vec::new()).expect("writer");
        for (name, rows) in sheets {
            writer.start_sheet(name).expect("sheet");
            rows.iter().try_for_each(|row| writer.write_row(row)).expect("rows");
        }
        writer.finish().expect("finish")
    }

    #[test]
    fn round_trips_text_numbers_and_gaps() {
        use Cell::{Empty, Number, Text};
        let bytes = written(&[
            (
                "Réponses",
                vec![
                    vec![Text("Nom"), Text("Âge"), Text("Remarque")],
                    vec![Text("Zoé <&> \"L'Haÿ\""), Number(3.0), Text(" multi\nligne\r\n ")],
                    vec![],
                    vec![Empty, Number(-0.25), Empty, Text("a\u{1}b\u{fffe}"), Empty],
                ],
            ),
            ("Questions: [brouillon] / v2 * très longue", vec![vec![Text("type")]]),
            ("réponses", vec![]),
        ]);
        let sheets = read_workbook(&bytes).expect("read back");
        assert_eq!(names(&sheets), ["Réponses", "Questions_ _brouillon_ _ v2 _ t", "réponses (2)"]);
        assert_eq!(
            sheets[0].rows,
            [
                vec!["Nom", "Âge", "Remarque"],
                vec!["Zoé <&> \"L'Haÿ\"", "3", " multi\nligne\r\n "],
                vec![],
                vec!["", "-0.25", "", "ab"]
            ]
        );
        assert_eq!(sheets[1].rows, [["type"]]);
        assert!(sheets[2].rows.is_empty());
    }

    #[test]
    fn read_limits_rows_and_columns() {
        let many_rows: Vec<Vec<Cell<'_>>> = (0..=MAX_ROWS).map(|_| vec![Cell::Number(1.0)]).collect();
        let error = read_workbook(&written(&[("survey", many_rows)])).expect_err("too many rows");
        assert_eq!(error.to_string(), "La feuille « survey » dépasse 100 000 lignes.");
        let wide = vec![vec![Cell::Text("x"); MAX_COLUMNS + 1]];
        assert!(matches!(read_workbook(&written(&[("wide", wide)])), Err(XlsxError::TooManyColumns(_))));
    }

    /// A writer that only counts, and is not `Seek`, like a network stream.
    struct CountingWriter(u64);
    impl Write for CountingWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len() as u64;
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn streams_many_rows_to_a_non_seekable_writer() {
        let mut writer = XlsxWriter::new(CountingWriter(0)).expect("writer");
        fn can_go_to_another_thread<T: Send>(_: &T) {}
        can_go_to_another_thread(&writer);
        writer.start_sheet("Réponses").expect("sheet");
        for row in 0..200_000u32 {
            let id = row.to_string();
            let cells =
                [Cell::Text(&id), Cell::Number(f64::from(row) / 4.0), Cell::Empty, Cell::Text("Oui, tout à fait")];
            writer.write_row(&cells).expect("row");
        }
        assert!(writer.row_xml.capacity() < 1024, "one row is buffered, not the sheet");
        assert!(writer.finish().expect("finish").0 > 100_000);
    }

    #[test]
    fn column_names_and_indexes_agree() {
        for (index, name) in [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")] {
            let mut xml = String::new();
            push_column_name(&mut xml, index);
            assert_eq!(xml, format!("<c r=\"{name}"));
            assert_eq!(column_index(&format!("{name}12")), Some(index));
        }
        assert_eq!(column_index("12"), None);
    }
}
