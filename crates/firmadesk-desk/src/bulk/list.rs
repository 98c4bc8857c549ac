//! Reading the clerk's list of recipients, and guessing what each of its columns holds.
//!
//! A list comes the way a registry or a spreadsheet exported it: CSV separated by `;` (the Italian Excel
//! default), `,` or TAB, in UTF-8 with or without a BOM, in UTF-16 with a BOM (Excel's "Testo Unicode") or
//! in Windows-1252 (older Excel and many registry programs); or an Excel workbook (`.xlsx`, `.xlsm`),
//! recognised by its content whatever its name. [`read_list`] makes it a [`Table`]: the header row, then every
//! row with content, each with the number the spreadsheet shows beside it, so that a problem reported on
//! "riga 214" is found on row 214. [`guess_mapping`] proposes which column holds the signer's name, fiscal
//! code, email, PDF and protocol number, for the clerk to confirm.
//!
//! The header is the first row with content, unless that row has a single cell and a row with two or more
//! follows within the first ten rows with content: title lines above the column titles ("Elenco beneficiari
//! 2025") are then skipped.
//!
//! Everything is bounded before it is allocated: at most [`MAX_BYTES`] of input, [`MAX_ROWS`] data rows and
//! [`MAX_COLUMNS`] columns. A workbook is refused when its parts would unpack to more than [`MAX_UNPACKED`]
//! bytes, and its sheet is streamed cell by cell, never built as the dense grid that a single stray cell at
//! row 1,048,576 would ask for. For that reason Excel 97-2003 workbooks (recognised by their content: a
//! `.xls` that is really TAB-separated text, as some registry programs save, is read as text) and OpenDocument
//! `.ods` files are refused with a message that says how to save them as `.xlsx` or CSV: the spreadsheet
//! library reads those formats only as dense grids, whose size a tiny hostile file chooses.

use crate::{Code, UiError};
use calamine::{DataRef, ExcelDateTime, Reader, SheetType, SheetVisible};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Cursor;

/// At most this many data rows (the header not counted).
pub const MAX_ROWS: usize = 20_000;
/// At most this many bytes of input.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// At most this many columns, from the header's first title to its last.
pub const MAX_COLUMNS: usize = 200;
/// At most this many bytes once a workbook's parts are unpacked (20,000 rows of a real list take a few
/// tens of MB).
pub const MAX_UNPACKED: u64 = 256 * 1024 * 1024;
/// The header is looked for among this many first rows with content.
const HEADER_SEARCH: usize = 10;
/// The signature of an OLE compound file: Excel 97-2003 (`.xls`), and old Word files.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A list as read: the column titles and the rows with content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The column titles, trimmed; a column without a title is named by its letter ("Colonna C").
    pub headers: Vec<String>,
    /// The rows with content below the header, in the file's order (rows with no content are left out).
    pub rows: Vec<Row>,
    /// What the file was, as read.
    pub format: ListFormat,
}

/// One row of a list (the window sends the rows back, corrected in place, to be checked again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Row {
    /// The row's number as a spreadsheet shows it, from 1 (the header is row 1 in the usual list). In a CSV
    /// file, a quoted value that spans lines stays in one row, and an empty line still counts as a row, as
    /// when the file is opened in a spreadsheet.
    pub line: usize,
    /// The row's values, trimmed, one per header (missing ones empty, extra ones dropped).
    pub cells: Vec<String>,
}

/// What a list's file was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ListFormat {
    /// Text with separated values.
    Csv {
        /// The separator found: `;`, `,` or TAB.
        separator: char,
        /// The text encoding found: `UTF-8`, `windows-1252`, `UTF-16LE` or `UTF-16BE`.
        encoding: &'static str,
    },
    /// An Excel workbook (`.xlsx` or `.xlsm`).
    Xlsx {
        /// The sheet read: the first one with content (visible sheets first).
        sheet: String,
    },
}

/// Reads a list of recipients from the bytes of a file and its name (which is only a hint: a workbook is
/// recognised by its content). Errors say in Italian what to do.
pub fn read_list(bytes: &[u8], file_name: &str) -> Result<Table, UiError> {
    let name = base_name(file_name);
    if bytes.len() > MAX_BYTES {
        return Err(UiError::new(
            Code::BulkTooLarge,
            format!(
                "Il file «{name}» supera 10 MB: togliere le colonne che non servono o dividere l'elenco in più file."
            ),
        )
        .with_detail(format!("{} bytes", bytes.len())));
    }
    let blank = bytes
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(bytes)
        .iter()
        .all(u8::is_ascii_whitespace);
    if blank {
        return Err(empty(name));
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if bytes.starts_with(b"PK\x03\x04") {
        return read_workbook(bytes, name);
    }
    // A `.xls` that is not an OLE file is text (registry programs save TAB-separated text under that name).
    if bytes.starts_with(OLE_MAGIC) {
        return Err(old_excel(name));
    }
    if extension == "ods" {
        return Err(opendocument(name));
    }
    if matches!(extension.as_str(), "xlsx" | "xlsm" | "xlsb") {
        return Err(unreadable(name, "not a zip archive"));
    }
    if bytes.starts_with(b"%PDF-") {
        return Err(UiError::new(
            Code::BulkUnsupported,
            format!(
                "Il file «{name}» è un PDF: qui serve l'elenco dei destinatari, salvato dal foglio di calcolo come CSV o Excel (.xlsx)."
            ),
        ));
    }
    read_csv(bytes, name)
}

// ---- errors ----

fn empty(name: &str) -> UiError {
    UiError::new(
        Code::BulkEmpty,
        format!("Il file «{name}» è vuoto: esportare di nuovo l'elenco dal foglio di calcolo e riprovare."),
    )
}

fn not_a_list(name: &str) -> UiError {
    UiError::new(
        Code::BulkUnsupported,
        format!(
            "Il file «{name}» non è un elenco che FirmaDesk sa leggere: salvarlo dal foglio di calcolo come CSV o Excel (.xlsx) e riprovare."
        ),
    )
}

fn old_excel(name: &str) -> UiError {
    UiError::new(
        Code::BulkUnsupported,
        format!(
            "Il file «{name}» è nel vecchio formato di Excel (.xls): aprirlo e salvarlo come Excel (.xlsx) o CSV, poi riprovare."
        ),
    )
}

fn opendocument(name: &str) -> UiError {
    UiError::new(
        Code::BulkUnsupported,
        format!(
            "Il file «{name}» è un foglio OpenDocument (.ods): aprirlo e salvarlo come Excel (.xlsx) o CSV (File › Salva con nome), poi riprovare."
        ),
    )
}

fn unreadable(name: &str, detail: impl std::fmt::Display) -> UiError {
    UiError::new(
        Code::BulkUnreadable,
        format!(
            "Il file «{name}» non si riesce a leggere come foglio Excel: aprirlo, salvarlo di nuovo come Excel (.xlsx) o CSV e riprovare."
        ),
    )
    .with_detail(detail)
}

/// The last part of a path, as the clerk knows the file.
fn base_name(file_name: &str) -> &str {
    file_name.rsplit(['/', '\\']).next().unwrap_or(file_name)
}

/// A column's letter as a spreadsheet names it: 0 is `A`, 25 `Z`, 26 `AA`.
fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(char::from(b'A' + u8::try_from(index % 26).unwrap_or(0)));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

// ---- the rows, whatever the format ----

/// The header as settled.
struct Header {
    /// Its row number.
    line: usize,
    /// The column (0-based, in the file) of its first title: the table's first column.
    first: usize,
    /// The titles, one per column from the first title to the last.
    titles: Vec<String>,
}

/// Makes a [`Table`] of the rows with content a reader hands over in order, each as its non-empty trimmed
/// cells with their column.
struct Builder<'a> {
    /// The file's name, for the messages.
    name: &'a str,
    /// Rows with content seen while the header is not settled yet.
    waiting: Vec<(usize, Vec<(usize, String)>)>,
    header: Option<Header>,
    rows: Vec<Row>,
}

impl<'a> Builder<'a> {
    fn new(name: &'a str) -> Self {
        Self {
            name,
            waiting: Vec::new(),
            header: None,
            rows: Vec::new(),
        }
    }

    /// Whether no row with content came.
    fn is_blank(&self) -> bool {
        self.header.is_none() && self.waiting.is_empty()
    }

    /// Takes row `line`'s non-empty cells.
    fn push(&mut self, line: usize, cells: Vec<(usize, String)>) -> Result<(), UiError> {
        if cells.is_empty() {
            return Ok(());
        }
        if self.header.is_some() {
            return self.add_row(line, cells);
        }
        if cells.len() >= 2 {
            // The first row with two titles or more: whatever came above it was a title line.
            self.waiting.clear();
            return self.set_header(line, cells);
        }
        self.waiting.push((line, cells));
        if self.waiting.len() == HEADER_SEARCH {
            self.settle()?;
        }
        Ok(())
    }

    /// No row with two titles among the first rows: the first row is the header.
    fn settle(&mut self) -> Result<(), UiError> {
        let mut waiting = std::mem::take(&mut self.waiting).into_iter();
        if let Some((line, cells)) = waiting.next() {
            self.set_header(line, cells)?;
            for (line, cells) in waiting {
                self.add_row(line, cells)?;
            }
        }
        Ok(())
    }

    fn set_header(&mut self, line: usize, cells: Vec<(usize, String)>) -> Result<(), UiError> {
        let first = cells.iter().map(|c| c.0).min().unwrap_or(0);
        let last = cells.iter().map(|c| c.0).max().unwrap_or(0);
        if last - first >= MAX_COLUMNS {
            return Err(UiError::new(
                Code::BulkTooManyColumns,
                format!(
                    "L'elenco «{}» ha più di {MAX_COLUMNS} colonne (i titoli vanno dalla colonna {} alla {}): tenere solo quelle che servono (nominativo, codice fiscale, PDF...) e caricarlo di nuovo.",
                    self.name,
                    column_letter(first),
                    column_letter(last)
                ),
            ));
        }
        let mut titles: Vec<String> = (first..=last)
            .map(|c| format!("Colonna {}", column_letter(c)))
            .collect();
        for (column, title) in cells {
            titles[column - first] = title;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, title) in titles.iter().enumerate() {
            let key = title.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(&before) = seen.get(&key) {
                return Err(UiError::new(
                    Code::BulkDuplicateHeader,
                    format!(
                        "Le colonne {} e {} dell'elenco «{}» hanno lo stesso titolo «{title}»: rinominarne una nel foglio di calcolo e caricare di nuovo l'elenco.",
                        column_letter(first + before),
                        column_letter(first + i),
                        self.name
                    ),
                ));
            }
            seen.insert(key, i);
        }
        self.header = Some(Header { line, first, titles });
        Ok(())
    }

    fn add_row(&mut self, line: usize, cells: Vec<(usize, String)>) -> Result<(), UiError> {
        let Some(header) = &self.header else {
            return Ok(());
        };
        let mut row = vec![String::new(); header.titles.len()];
        let mut content = false;
        for (column, text) in cells {
            if let Some(slot) = column.checked_sub(header.first).and_then(|i| row.get_mut(i)) {
                *slot = text;
                content = true;
            }
        }
        if !content {
            return Ok(());
        }
        if self.rows.len() == MAX_ROWS {
            return Err(UiError::new(
                Code::BulkTooManyRows,
                format!(
                    "L'elenco «{}» ha più di 20.000 righe: dividerlo in più file e inviarli uno alla volta.",
                    self.name
                ),
            ));
        }
        self.rows.push(Row { line, cells: row });
        Ok(())
    }

    fn finish(mut self, format: ListFormat) -> Result<Table, UiError> {
        if self.header.is_none() {
            self.settle()?;
        }
        let Some(header) = self.header else {
            return Err(empty(self.name));
        };
        if self.rows.is_empty() {
            return Err(UiError::new(
                Code::BulkNoRows,
                format!(
                    "L'elenco «{}» ha solo la riga dei titoli delle colonne (riga {}): aggiungere una riga per ogni destinatario.",
                    self.name, header.line
                ),
            ));
        }
        Ok(Table {
            headers: header.titles,
            rows: self.rows,
            format,
        })
    }
}

// ---- CSV ----

/// The text of a CSV file and its encoding's name.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()) {
        return (encoding_rs::UTF_8.decode_without_bom_handling(rest).0, "UTF-8");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE".as_slice()) {
        return (encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0, "UTF-16LE");
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF".as_slice()) {
        return (encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0, "UTF-16BE");
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => (
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
            "windows-1252",
        ),
    }
}

/// Whether decoded text looks like text: no NUL, and control characters other than line breaks, TAB and
/// form feed in at most 1 % of its first 64 K characters (any binary file fails this).
fn is_text(text: &str) -> bool {
    let (mut total, mut odd) = (0usize, 0usize);
    for c in text.chars().take(64 * 1024) {
        if c == '\0' {
            return false;
        }
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            odd += 1;
        }
    }
    odd * 100 <= total
}

/// The separator of a CSV text: among `;`, TAB and `,`, the one whose count (outside quotes) most of the
/// first 20 lines agree on; `;`, the Italian Excel default, when none is found or on a tie, then TAB.
fn detect_separator(text: &str) -> char {
    const CANDIDATES: [char; 3] = [';', '\t', ','];
    let mut lines: Vec<[usize; 3]> = Vec::new();
    let mut counts = [0usize; 3];
    let (mut quoted, mut content) = (false, false);
    for c in text.chars().take(64 * 1024) {
        match c {
            '"' => {
                quoted = !quoted;
                content = true;
            }
            '\n' if !quoted => {
                if content {
                    lines.push(counts);
                    if lines.len() == 20 {
                        break;
                    }
                }
                counts = [0; 3];
                content = false;
            }
            _ if quoted => {}
            c => {
                if let Some(i) = CANDIDATES.iter().position(|&s| s == c) {
                    counts[i] += 1;
                }
                content |= !c.is_whitespace() || c == '\t';
            }
        }
    }
    if content && lines.len() < 20 {
        lines.push(counts);
    }
    let mut best = ((0usize, 0usize), ';');
    for (i, &separator) in CANDIDATES.iter().enumerate() {
        let mut agreeing: HashMap<usize, usize> = HashMap::new();
        for line in lines.iter().filter(|l| l[i] > 0) {
            *agreeing.entry(line[i]).or_default() += 1;
        }
        // (lines agreeing, the count they agree on)
        let score = agreeing
            .into_iter()
            .map(|(count, lines)| (lines, count))
            .max()
            .unwrap_or_default();
        if score > best.0 {
            best = (score, separator);
        }
    }
    best.1
}

fn read_csv(bytes: &[u8], name: &str) -> Result<Table, UiError> {
    let (text, encoding) = decode(bytes);
    if !is_text(&text) {
        return Err(not_a_list(name));
    }
    if text.trim_start().starts_with('<') {
        return Err(UiError::new(
            Code::BulkUnsupported,
            format!(
                "Il file «{name}» è una pagina web o un file XML, non un elenco: aprirlo nel foglio di calcolo e salvarlo come Excel (.xlsx) o CSV, poi riprovare."
            ),
        ));
    }
    // Old Mac exports end lines with CR alone: make them line feeds, so that rows are counted.
    let text = if text.contains('\r') && !text.contains('\n') {
        Cow::Owned(text.replace('\r', "\n"))
    } else {
        text
    };
    let separator = detect_separator(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(u8::try_from(separator).unwrap_or(b';'))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut builder = Builder::new(name);
    let mut record = csv::StringRecord::new();
    // Line breaks inside quoted values so far: the file's lines that are not rows of their own.
    let mut inner_breaks = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(UiError::new(
                    Code::BulkUnreadable,
                    format!(
                        "Il file «{name}» non si riesce a leggere come CSV: aprirlo nel foglio di calcolo, salvarlo di nuovo come CSV e riprovare."
                    ),
                )
                .with_detail(e))
            }
        }
        // The reader's position is where it started looking for the record: before the empty lines it
        // skips and the LF of the previous record's CRLF. Those line breaks are counted on to the record.
        let (line, byte) = record.position().map_or((1, 0), |p| {
            (
                usize::try_from(p.line()).unwrap_or(usize::MAX),
                usize::try_from(p.byte()).unwrap_or(usize::MAX),
            )
        });
        let skipped = text
            .as_bytes()
            .get(byte..)
            .unwrap_or_default()
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .filter(|&&b| b == b'\n')
            .count();
        let line = (line + skipped).saturating_sub(inner_breaks).max(1);
        inner_breaks += record.iter().map(|field| field.matches('\n').count()).sum::<usize>();
        let cells = record
            .iter()
            .enumerate()
            .map(|(i, field)| (i, field.trim()))
            .filter(|(_, field)| !field.is_empty())
            .map(|(i, field)| (i, field.to_owned()))
            .collect();
        builder.push(line, cells)?;
    }
    builder.finish(ListFormat::Csv { separator, encoding })
}

// ---- workbooks ----

fn read_workbook(bytes: &[u8], name: &str) -> Result<Table, UiError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(name, e))?;
    // What the parts declare is what the reader will unpack at most (it stops at a part's declared size).
    let mut unpacked = 0u64;
    for i in 0..archive.len() {
        let part = archive.by_index_raw(i).map_err(|e| unreadable(name, e))?;
        unpacked = unpacked.saturating_add(part.size());
    }
    if unpacked > MAX_UNPACKED {
        return Err(UiError::new(
            Code::BulkTooLarge,
            format!(
                "Il foglio di calcolo «{name}» è troppo grande una volta aperto: tenere solo le colonne e le righe che servono, o salvarlo come CSV, e riprovare."
            ),
        )
        .with_detail(format!("{unpacked} bytes unpacked")));
    }
    let has = |part: &str| archive.file_names().any(|n| n == part);
    if !has("xl/workbook.xml") {
        if has("xl/workbook.bin") {
            return Err(UiError::new(
                Code::BulkUnsupported,
                format!(
                    "Il file «{name}» è una cartella di lavoro binaria di Excel (.xlsb): aprirlo e salvarlo come Excel (.xlsx) o CSV, poi riprovare."
                ),
            ));
        }
        if has("content.xml") && has("mimetype") {
            return Err(opendocument(name));
        }
        return Err(UiError::new(
            Code::BulkUnsupported,
            format!(
                "Il file «{name}» è un archivio compresso, non un foglio di calcolo: scegliere l'elenco salvato come Excel (.xlsx) o CSV."
            ),
        ));
    }
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(name, e))?;
    let mut sheets: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    // Visible sheets first, each group in the workbook's order.
    sheets.sort_by_key(|(_, visible)| !visible);
    for (sheet, _) in sheets {
        let mut builder = Builder::new(name);
        let mut cells = workbook
            .worksheet_cells_reader(&sheet)
            .map_err(|e| unreadable(name, e))?;
        let mut current: Option<u32> = None;
        let mut row: Vec<(usize, String)> = Vec::new();
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(name, e))? {
            let text = cell_text(cell.get_value());
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            let (at_row, at_column) = cell.get_position();
            match current {
                Some(r) if r == at_row => {}
                Some(r) if at_row < r => return Err(unreadable(name, "rows out of order")),
                Some(r) => {
                    builder.push(spreadsheet_row(r), std::mem::take(&mut row))?;
                    current = Some(at_row);
                }
                None => current = Some(at_row),
            }
            row.push((usize::try_from(at_column).unwrap_or(usize::MAX), text.to_owned()));
        }
        if let Some(r) = current {
            builder.push(spreadsheet_row(r), row)?;
        }
        if !builder.is_blank() {
            return builder.finish(ListFormat::Xlsx { sheet });
        }
    }
    Err(empty(name))
}

/// A 0-based row index as the spreadsheet numbers it.
fn spreadsheet_row(index: u32) -> usize {
    usize::try_from(index).map_or(usize::MAX, |i| i.saturating_add(1))
}

/// A cell's value as the spreadsheet shows it (in Italian: decimal comma, dates as dd/mm/yyyy).
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => if *b { "VERO" } else { "FALSO" }.to_owned(),
        DataRef::DateTime(d) => date_time_text(d),
        DataRef::DateTimeIso(s) => iso_date_text(s),
        DataRef::Error(e) => e.to_string(),
    }
}

/// A number as the General format shows it: integers without decimals, others with up to 15 significant
/// digits and a decimal comma.
fn number_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)] // integral and within i64's range, checked above
        return (value as i64).to_string();
    }
    #[allow(clippy::cast_possible_truncation)] // a decimal exponent, between -324 and 308
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = usize::try_from((14 - magnitude).clamp(0, 15)).unwrap_or(0);
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.truncate(text.trim_end_matches('0').trim_end_matches('.').len());
    }
    text.replace('.', ",")
}

/// A date as dd/mm/yyyy, with its time when it has one; a time alone as hh:mm; a duration as h:mm:ss.
fn date_time_text(value: &ExcelDateTime) -> String {
    if value.is_duration() {
        #[allow(clippy::cast_possible_truncation)] // a duration in seconds
        let seconds = (value.as_f64() * 86_400.0).round() as i64;
        return format!("{}:{:02}:{:02}", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }
    let (year, month, day, hour, minute, second, _) = value.to_ymd_hms_milli();
    let time = if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    };
    if value.as_f64() < 1.0 {
        return time;
    }
    let date = format!("{day:02}/{month:02}/{year:04}");
    if (hour, minute, second) == (0, 0, 0) {
        date
    } else {
        format!("{date} {time}")
    }
}

/// An ISO 8601 date (`2025-03-01`, maybe with a time) as dd/mm/yyyy; anything else as it is.
fn iso_date_text(value: &str) -> String {
    let bytes = value.as_bytes();
    let is_date = bytes.len() >= 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| bytes[i].is_ascii_digit());
    if !is_date {
        return value.to_owned();
    }
    let date = format!("{}/{}/{}", &value[8..10], &value[5..7], &value[..4]);
    match value.get(11..16) {
        Some(time) if time != "00:00" => format!("{date} {time}"),
        _ => date,
    }
}

// ---- the column mapping ----

/// Which column (0-based, in [`Table::headers`]) holds what; `None` where the list has no such column.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// The signer's full name ("Nominativo"), when the list does not split it.
    pub full_name: Option<usize>,
    /// The signer's first name.
    pub name: Option<usize>,
    /// The signer's surname.
    pub surname: Option<usize>,
    /// The signer's fiscal code.
    pub fiscal_code: Option<usize>,
    /// The signer's email or PEC address.
    pub email: Option<usize>,
    /// The row's own PDF (a file name).
    pub pdf: Option<usize>,
    /// The row's protocol number.
    pub protocol: Option<usize>,
}

impl Mapping {
    /// Each role with a column, and the role's name (`full_name`, `fiscal_code`...).
    fn roles(&self) -> [(&'static str, Option<usize>); 7] {
        [
            ("full_name", self.full_name),
            ("name", self.name),
            ("surname", self.surname),
            ("fiscal_code", self.fiscal_code),
            ("email", self.email),
            ("pdf", self.pdf),
            ("protocol", self.protocol),
        ]
    }

    /// The mapping by column titles (role → title), to offer again for a list with the same titles.
    pub fn to_titles(&self, headers: &[String]) -> std::collections::BTreeMap<String, String> {
        self.roles()
            .into_iter()
            .filter_map(|(role, column)| Some((role.to_owned(), headers.get(column?)?.clone())))
            .collect()
    }

    /// A mapping kept by titles, on a list's `headers`: `None` unless every title kept is one of them (a
    /// list of another shape gets the guess instead).
    pub fn from_titles(titles: &std::collections::BTreeMap<String, String>, headers: &[String]) -> Option<Mapping> {
        let mut m = Mapping::default();
        for (role, title) in titles {
            let column = Some(headers.iter().position(|h| h == title)?);
            match role.as_str() {
                "full_name" => m.full_name = column,
                "name" => m.name = column,
                "surname" => m.surname = column,
                "fiscal_code" => m.fiscal_code = column,
                "email" => m.email = column,
                "pdf" => m.pdf = column,
                "protocol" => m.protocol = column,
                _ => return None,
            }
        }
        m.fiscal_code.is_some().then_some(m)
    }

    /// The signer's name on `row`: "Nome Cognome" when both columns have a value, else the full name, else
    /// whichever of name and surname has one.
    pub fn signer_name(&self, row: &Row) -> String {
        let name = self.cell(row, self.name);
        let surname = self.cell(row, self.surname);
        let full_name = self.cell(row, self.full_name);
        if !name.is_empty() && !surname.is_empty() {
            format!("{name} {surname}")
        } else if !full_name.is_empty() {
            full_name.to_owned()
        } else if !name.is_empty() {
            name.to_owned()
        } else {
            surname.to_owned()
        }
    }

    /// The value of column `col` on `row`; empty when the column is not mapped or not in the row.
    pub fn cell<'r>(&self, row: &'r Row, col: Option<usize>) -> &'r str {
        col.and_then(|c| row.cells.get(c)).map_or("", String::as_str)
    }

    fn slot(&mut self, field: Field) -> &mut Option<usize> {
        match field {
            Field::FullName => &mut self.full_name,
            Field::Name => &mut self.name,
            Field::Surname => &mut self.surname,
            Field::FiscalCode => &mut self.fiscal_code,
            Field::Email => &mut self.email,
            Field::Pdf => &mut self.pdf,
            Field::Protocol => &mut self.protocol,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    FullName,
    Name,
    Surname,
    FiscalCode,
    Email,
    Pdf,
    Protocol,
}

/// The titles each field is known by, folded (lower case, no accents, punctuation as spaces; compared
/// without the spaces too, so "C.F.", "cf" and "codicefiscale" match), and whether a longer title that
/// begins with it still means it ("Codice fiscale del destinatario"; not so "Documento di identità").
const TITLES: &[(Field, &str, bool)] = &[
    (Field::FullName, "nominativo", true),
    (Field::FullName, "nome e cognome", true),
    (Field::FullName, "cognome e nome", true),
    (Field::FullName, "cognome nome", true),
    (Field::FullName, "nome cognome", true),
    (Field::FullName, "full name", true),
    (Field::Name, "nome", false),
    (Field::Name, "name", false),
    (Field::Name, "first name", true),
    (Field::Name, "given name", true),
    (Field::Surname, "cognome", true),
    (Field::Surname, "surname", true),
    (Field::Surname, "last name", true),
    (Field::Surname, "family name", true),
    (Field::FiscalCode, "codice fiscale", true),
    (Field::FiscalCode, "cod fiscale", true),
    (Field::FiscalCode, "cf", true),
    (Field::FiscalCode, "c f", true),
    (Field::FiscalCode, "fiscal code", true),
    (Field::FiscalCode, "tax code", true),
    (Field::Email, "email", true),
    (Field::Email, "e mail", true),
    (Field::Email, "mail", false),
    (Field::Email, "pec", true),
    (Field::Email, "indirizzo email", true),
    (Field::Email, "indirizzo e mail", true),
    (Field::Email, "indirizzo pec", true),
    (Field::Email, "posta elettronica", true),
    (Field::Pdf, "pdf", true),
    (Field::Pdf, "file pdf", true),
    (Field::Pdf, "file", false),
    (Field::Pdf, "nome file", true),
    (Field::Pdf, "file name", true),
    (Field::Pdf, "documento", false),
    (Field::Protocol, "protocollo", true),
    (Field::Protocol, "n protocollo", true),
    (Field::Protocol, "numero protocollo", true),
    (Field::Protocol, "num protocollo", true),
    (Field::Protocol, "prot", true),
    (Field::Protocol, "n prot", true),
    (Field::Protocol, "protocol", true),
    (Field::Protocol, "protocol number", true),
];

/// A title folded for matching: lower case, accents dropped, anything not a letter or digit a single space.
fn fold(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let plain = title.chars().map(iosign::fiscal_code::plain_capital);
    for c in plain.flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Guesses which column holds what from the titles, in Italian or English, whatever their case and accents.
/// Exact titles are matched first, then titles that begin with a known one; each column is used once and each
/// field takes the first column that matches. A lone "Nome" or "Name", with no surname column, is taken as
/// the full name (a list without a surname column gives the whole name in one).
pub fn guess_mapping(headers: &[String]) -> Mapping {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let compact: Vec<String> = folded.iter().map(|f| f.replace(' ', "")).collect();
    let mut mapping = Mapping::default();
    let mut used = vec![false; headers.len()];
    // Exact titles.
    for (field, title, _) in TITLES {
        let wanted = title.replace(' ', "");
        if mapping.slot(*field).is_some() {
            continue;
        }
        if let Some(i) = (0..headers.len()).find(|&i| !used[i] && compact[i] == wanted) {
            *mapping.slot(*field) = Some(i);
            used[i] = true;
        }
    }
    // Titles that begin with a known one: the longest known one decides.
    for i in 0..headers.len() {
        if used[i] {
            continue;
        }
        let words: Vec<&str> = folded[i].split(' ').collect();
        let best = TITLES
            .iter()
            .filter(|(_, _, prefix)| *prefix)
            .map(|(field, title, _)| (field, title.split(' ').collect::<Vec<_>>()))
            .filter(|(_, known)| words.len() > known.len() && words[..known.len()] == known[..])
            .max_by_key(|(_, known)| known.len());
        if let Some((field, _)) = best {
            if mapping.slot(*field).is_none() {
                *mapping.slot(*field) = Some(i);
                used[i] = true;
            }
        }
    }
    if let (Some(i), None, None) = (mapping.name, mapping.surname, mapping.full_name) {
        if compact[i] == "nome" || compact[i] == "name" {
            mapping.full_name = mapping.name.take();
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn headers(titles: &[&str]) -> Vec<String> {
        titles.iter().map(|t| (*t).to_owned()).collect()
    }

    fn lines(table: &Table) -> Vec<usize> {
        table.rows.iter().map(|r| r.line).collect()
    }

    fn error_code(bytes: &[u8], name: &str) -> Code {
        read_list(bytes, name).expect_err("an error").code
    }

    /// Cells at 0-based (row, column).
    type Cells = Vec<(u32, u32, String)>;

    /// A small valid workbook: a header and two citizens.
    pub(super) fn small_workbook() -> Vec<u8> {
        let cell = |r: u32, c: u32, v: &str| (r, c, v.to_owned());
        workbook(&[(
            "Elenco",
            "visible",
            vec![
                cell(0, 0, "Nominativo"),
                cell(0, 1, "Codice fiscale"),
                cell(1, 0, "Mario Rossi"),
                cell(1, 1, "RSSMRA80A01H501U"),
                cell(2, 0, "Anna Bianchi"),
                cell(2, 1, "BNCNNA85M41F205Q"),
            ],
        )])
    }

    /// A minimal workbook written by hand: sheets as (name, state, cells); strings inline. Enough for
    /// calamine, and free to put a cell anywhere.
    fn workbook(sheets: &[(&str, &str, Cells)]) -> Vec<u8> {
        fn escape(text: &str) -> String {
            text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        }
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let put = |zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>, path: &str, body: String| {
            zip.start_file(path, options).unwrap();
            zip.write_all(body.as_bytes()).unwrap();
        };
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let mut content_types = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
        );
        let mut sheet_list = String::new();
        let mut rels = String::new();
        for (n, (name, state, cells)) in sheets.iter().enumerate() {
            let id = n + 1;
            content_types.push_str(&format!(
                r#"<Override PartName="/xl/worksheets/sheet{id}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
            ));
            sheet_list.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{id}" state="{state}" r:id="rId{id}"/>"#
            ));
            rels.push_str(&format!(
                r#"<Relationship Id="rId{id}" Type="{rel}/worksheet" Target="worksheets/sheet{id}.xml"/>"#
            ));
            let mut sorted = cells.clone();
            sorted.sort_by_key(|c| (c.0, c.1));
            let mut data = String::new();
            let mut open: Option<u32> = None;
            for (r, c, text) in sorted {
                if open != Some(r) {
                    if open.is_some() {
                        data.push_str("</row>");
                    }
                    data.push_str(&format!(r#"<row r="{}">"#, r + 1));
                    open = Some(r);
                }
                let at = format!("{}{}", column_letter(c as usize), r + 1);
                data.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    escape(&text)
                ));
            }
            if open.is_some() {
                data.push_str("</row>");
            }
            put(
                &mut zip,
                &format!("xl/worksheets/sheet{id}.xml"),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{data}</sheetData></worksheet>"#
                ),
            );
        }
        content_types.push_str("</Types>");
        put(&mut zip, "[Content_Types].xml", content_types);
        put(
            &mut zip,
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
            ),
        );
        put(
            &mut zip,
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{sheet_list}</sheets></workbook>"#
            ),
        );
        put(
            &mut zip,
            "xl/_rels/workbook.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
            ),
        );
        zip.finish().unwrap().into_inner()
    }

    fn cells(rows: &[&[&str]]) -> Cells {
        let mut out = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    out.push((r as u32, c as u32, (*text).to_owned()));
                }
            }
        }
        out
    }

    // ---- CSV ----

    #[test]
    fn semicolon_csv_with_bom_as_excel_saves_it() {
        let bytes = "\u{feff}Cognome;Nome;Codice fiscale\r\nRossi;Mario;RSSMRA80A01H501U\r\n Verdi ; Anna ;VRDNNA75C41F205Z\r\n"
            .as_bytes();
        let table = read_list(bytes, "C:\\Utenti\\ufficio\\elenco.csv").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Csv {
                separator: ';',
                encoding: "UTF-8"
            }
        );
        assert_eq!(table.headers, ["Cognome", "Nome", "Codice fiscale"]);
        assert_eq!(lines(&table), [2, 3]);
        assert_eq!(table.rows[1].cells, ["Verdi", "Anna", "VRDNNA75C41F205Z"]);
    }

    #[test]
    fn comma_csv_with_quotes_and_line_breaks_keeps_the_spreadsheet_rows() {
        let text = "nominativo,cf,note\n\
                    \"Rossi, Mario\",RSSMRA80A01H501U,\"prima riga\nseconda riga\"\n\
                    \"Bianchi \"\"Gigi\"\" Luigi\",BNCLGU70A01H501X,ok\n\
                    \n\
                    Verdi Anna,VRDNNA75C41F205Z,\"tre\r\nrighe\r\nqui\"\n\
                    Neri Carlo,NRECRL60A01H501Y,\n";
        let table = read_list(text.as_bytes(), "elenco.csv").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Csv {
                separator: ',',
                encoding: "UTF-8"
            }
        );
        assert_eq!(table.headers, ["nominativo", "cf", "note"]);
        // Row 4 is the empty line; the values on two and three lines stay in their rows.
        assert_eq!(lines(&table), [2, 3, 5, 6]);
        assert_eq!(
            table.rows[0].cells,
            ["Rossi, Mario", "RSSMRA80A01H501U", "prima riga\nseconda riga"]
        );
        assert_eq!(table.rows[1].cells[0], "Bianchi \"Gigi\" Luigi");
        assert_eq!(table.rows[2].cells[2], "tre\r\nrighe\r\nqui");
        assert_eq!(table.rows[3].cells, ["Neri Carlo", "NRECRL60A01H501Y", ""]);
    }

    #[test]
    fn crlf_rows_keep_their_numbers_across_empty_lines_and_quoted_breaks() {
        let text = "\r\n\r\nNome;CF;Note\r\nMario Rossi;RSS;\"a\r\nb\"\r\n\r\n\r\nAnna Verdi;VRD;\r\n";
        let table = read_list(text.as_bytes(), "elenco.csv").unwrap();
        assert_eq!(table.headers, ["Nome", "CF", "Note"]);
        // Header on row 3; Mario on row 4 (over two lines); rows 5 and 6 empty; Anna on row 7.
        assert_eq!(lines(&table), [4, 7]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        let bytes = b"Nome;Cognome;Citt\xe0\nNiccol\xf2;Ros\xe8;Forl\xec\n";
        let table = read_list(bytes, "elenco.csv").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Csv {
                separator: ';',
                encoding: "windows-1252"
            }
        );
        assert_eq!(table.headers, ["Nome", "Cognome", "Città"]);
        assert_eq!(table.rows[0].cells, ["Niccolò", "Rosè", "Forlì"]);
    }

    #[test]
    fn tab_separated_and_utf16_as_excel_unicode_text() {
        let text = "Nome\tCognome\tCF\r\nMario\tRossi, detto Mario\tRSSMRA80A01H501U\r\n";
        let table = read_list(text.as_bytes(), "elenco.txt").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Csv {
                separator: '\t',
                encoding: "UTF-8"
            }
        );
        assert_eq!(table.rows[0].cells, ["Mario", "Rossi, detto Mario", "RSSMRA80A01H501U"]);

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let table = read_list(&utf16, "elenco.txt").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Csv {
                separator: '\t',
                encoding: "UTF-16LE"
            }
        );
        assert_eq!(table.rows[0].cells[1], "Rossi, detto Mario");
    }

    #[test]
    fn separator_is_the_one_the_lines_agree_on() {
        // Commas inside the names, the separator is `;`.
        assert_eq!(detect_separator("Nominativo;CF\nRossi, Mario;X\nVerdi, Anna;Y\n"), ';');
        // A `;` inside quotes is not a separator.
        assert_eq!(detect_separator("a,b,c\n\"x;y\",1,2\n\"z;w\",3,4\n"), ',');
        assert_eq!(detect_separator("a\tb\n1\t2\n"), '\t');
        // Nothing to go by: the Italian default.
        assert_eq!(detect_separator("nominativo\nRossi Mario\n"), ';');
    }

    #[test]
    fn old_mac_line_ends_are_rows() {
        let table = read_list(b"Nome;CF\rMario Rossi;RSS\rAnna Verdi;VRD\r", "elenco.csv").unwrap();
        assert_eq!(lines(&table), [2, 3]);
    }

    #[test]
    fn title_lines_above_the_header_and_empty_rows_are_skipped() {
        let text = "Elenco beneficiari 2025;;;\n;;;\nCognome;Nome;CF;\n;;;\nRossi;Mario;RSS;\n;;;\n";
        let table = read_list(text.as_bytes(), "elenco.csv").unwrap();
        assert_eq!(table.headers, ["Cognome", "Nome", "CF"]);
        assert_eq!(lines(&table), [5]);
    }

    #[test]
    fn cells_are_padded_and_truncated_to_the_header_and_untitled_columns_named() {
        let table = read_list(b"Nome;;CF\nMario;x;RSS;oltre\nAnna\n", "elenco.csv").unwrap();
        assert_eq!(table.headers, ["Nome", "Colonna B", "CF"]);
        assert_eq!(table.rows[0].cells, ["Mario", "x", "RSS"]);
        assert_eq!(table.rows[1].cells, ["Anna", "", ""]);
    }

    #[test]
    fn a_one_column_list_has_its_first_row_as_header() {
        let table = read_list(b"Nominativo\nMario Rossi\nAnna Verdi\n", "elenco.csv").unwrap();
        assert_eq!(table.headers, ["Nominativo"]);
        assert_eq!(lines(&table), [2, 3]);
    }

    #[test]
    fn ten_thousand_rows() {
        let mut text = String::from("Cognome;Nome;Codice fiscale;PDF\n");
        for i in 0..10_000 {
            text.push_str(&format!("Cognome{i};Nome{i};CF{i:014};doc{i}.pdf\n"));
        }
        let table = read_list(text.as_bytes(), "elenco.csv").unwrap();
        assert_eq!(table.rows.len(), 10_000);
        assert_eq!(table.rows[9_999].line, 10_001);
        assert_eq!(table.rows[9_999].cells[3], "doc9999.pdf");
    }

    // ---- workbooks ----

    #[test]
    fn xlsx_reads_the_first_sheet_with_content_as_displayed() {
        // Written by rust_xlsxwriter: an empty first sheet "Istruzioni", then "Destinatari" with a bold header,
        // dates formatted dd/mm/yyyy, numbers, an empty row 3 and a value with spaces around it.
        let bytes = include_bytes!("../../tests/data/bulk/destinatari.xlsx");
        let table = read_list(bytes, "destinatari.xlsx").unwrap();
        assert_eq!(
            table.format,
            ListFormat::Xlsx {
                sheet: "Destinatari".into()
            }
        );
        assert_eq!(
            table.headers,
            [
                "Cognome",
                "Nome",
                "Codice fiscale",
                "Data di nascita",
                "N. protocollo",
                "Importo"
            ]
        );
        assert_eq!(lines(&table), [2, 4]);
        assert_eq!(
            table.rows[0].cells,
            ["Rossi", "Mario", "RSSMRA80A01H501U", "01/01/1980", "1234", "12,5"]
        );
        assert_eq!(
            table.rows[1].cells,
            ["Bianchi", "Niccolò", "BNCNCC85M10F205X", "10/08/1985", "20250001", ""]
        );
        // Recognised by its content, whatever its name.
        assert_eq!(read_list(bytes, "elenco").unwrap(), table);
        assert_eq!(read_list(bytes, "elenco.csv").unwrap(), table);
    }

    #[test]
    fn xlsx_prefers_visible_sheets_and_skips_title_rows() {
        let bytes = workbook(&[
            ("Nascosto", "hidden", cells(&[&["Nome", "CF"], &["Segreto", "X"]])),
            ("Vuoto", "visible", vec![]),
            (
                "Elenco",
                "visible",
                cells(&[
                    &["Elenco dei destinatari"],
                    &[],
                    &["", "Nome", "CF"],
                    &["", "Mario Rossi", "RSS"],
                ]),
            ),
        ]);
        let table = read_list(&bytes, "elenco.xlsx").unwrap();
        assert_eq!(table.format, ListFormat::Xlsx { sheet: "Elenco".into() });
        assert_eq!(table.headers, ["Nome", "CF"]);
        assert_eq!(lines(&table), [4]);
        assert_eq!(table.rows[0].cells, ["Mario Rossi", "RSS"]);
    }

    /// A cell in the last row and column of a sheet: the grid is never built (it would take tens of GB).
    #[test]
    fn xlsx_with_a_stray_far_cell_is_read_without_a_dense_grid() {
        let mut sheet = cells(&[&["Nome", "CF"], &["Mario Rossi", "RSS"]]);
        sheet.push((1_048_575, 16_383, "x".into()));
        let table = read_list(&workbook(&[("Foglio1", "visible", sheet)]), "elenco.xlsx").unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells, ["Mario Rossi", "RSS"]);
    }

    #[test]
    fn xlsx_with_too_many_rows_is_refused() {
        let mut sheet = cells(&[&["Nome", "CF"]]);
        for r in 1..=20_001u32 {
            sheet.push((r, 0, format!("Persona {r}")));
            sheet.push((r, 1, "X".into()));
        }
        let bytes = workbook(&[("Foglio1", "visible", sheet)]);
        assert_eq!(error_code(&bytes, "elenco.xlsx"), Code::BulkTooManyRows);
    }

    #[test]
    fn workbooks_only_with_an_empty_sheet_or_a_header_are_refused() {
        let bytes = workbook(&[("Foglio1", "visible", vec![])]);
        assert_eq!(error_code(&bytes, "elenco.xlsx"), Code::BulkEmpty);
        let bytes = workbook(&[("Foglio1", "visible", cells(&[&["Nome", "CF"]]))]);
        let err = read_list(&bytes, "elenco.xlsx").unwrap_err();
        assert_eq!(err.code, Code::BulkNoRows);
        assert!(err.message.contains("riga 1"), "{}", err.message);
    }

    // ---- what is refused ----

    #[test]
    fn empty_files_are_refused() {
        assert_eq!(error_code(b"", "elenco.csv"), Code::BulkEmpty);
        assert_eq!(error_code(b"\xEF\xBB\xBF \r\n\r\n", "elenco.csv"), Code::BulkEmpty);
        assert_eq!(error_code(b";;;\n;;;\n", "elenco.csv"), Code::BulkEmpty);
    }

    #[test]
    fn a_header_without_rows_is_refused() {
        let err = read_list(b"Cognome;Nome;CF\r\n;;\r\n", "elenco.csv").unwrap_err();
        assert_eq!(err.code, Code::BulkNoRows);
        assert!(err.message.contains("aggiungere una riga"), "{}", err.message);
    }

    #[test]
    fn duplicate_titles_are_refused_naming_both_columns() {
        let err = read_list(b"Nome;Email;CF;EMAIL\nMario;a@b.it;RSS;c@d.it\n", "elenco.csv").unwrap_err();
        assert_eq!(err.code, Code::BulkDuplicateHeader);
        assert!(err.message.contains("colonne B e D"), "{}", err.message);
    }

    #[test]
    fn more_than_20000_rows_are_refused() {
        let mut text = String::from("Nome;CF\n");
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("Persona {i};CF{i}\n"));
        }
        assert_eq!(error_code(text.as_bytes(), "elenco.csv"), Code::BulkTooManyRows);
        // Exactly the limit is fine.
        let cut = text.trim_end().rfind('\n').unwrap();
        assert_eq!(
            read_list(&text.as_bytes()[..cut], "elenco.csv").unwrap().rows.len(),
            MAX_ROWS
        );
    }

    #[test]
    fn files_over_10_mb_and_too_many_columns_are_refused() {
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(error_code(&big, "elenco.csv"), Code::BulkTooLarge);
        let titles: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("T{i}")).collect();
        let wide = format!("{}\n1\n", titles.join(";"));
        assert_eq!(error_code(wide.as_bytes(), "elenco.csv"), Code::BulkTooManyColumns);
        let titles: Vec<String> = (0..MAX_COLUMNS).map(|i| format!("T{i}")).collect();
        let fits = format!("{}\n1\n", titles.join(";"));
        assert_eq!(
            read_list(fits.as_bytes(), "elenco.csv").unwrap().headers.len(),
            MAX_COLUMNS
        );
    }

    #[test]
    fn what_is_not_a_list_is_refused_with_what_to_do() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        assert_eq!(error_code(png, "elenco.csv"), Code::BulkUnsupported);
        let pdf = read_list(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "elenco.pdf").unwrap_err();
        assert_eq!(pdf.code, Code::BulkUnsupported);
        assert!(pdf.message.contains("è un PDF"), "{}", pdf.message);
        let mut xls = OLE_MAGIC.to_vec();
        xls.extend([0u8; 504]);
        let old = read_list(&xls, "elenco.xls").unwrap_err();
        assert_eq!(old.code, Code::BulkUnsupported);
        assert!(old.message.contains(".xls"), "{}", old.message);
        // Registry programs' ".xls" that are TAB-separated text or a web page.
        let tsv = read_list(b"Nome\tCF\r\nMario Rossi\tRSS\r\n", "export.xls").unwrap();
        assert_eq!(tsv.rows[0].cells, ["Mario Rossi", "RSS"]);
        let html = b"<html><body><table><tr><td>Nome</td><td>CF</td></tr></table></body></html>";
        let web = read_list(html, "export.xls").unwrap_err();
        assert_eq!(web.code, Code::BulkUnsupported);
        assert!(web.message.contains("pagina web"), "{}", web.message);
        // A text file named like a workbook.
        assert_eq!(error_code(b"Nome;CF\nMario;X\n", "elenco.xlsx"), Code::BulkUnreadable);
        assert_eq!(error_code(b"Nome;CF\nMario;X\n", "elenco.ods"), Code::BulkUnsupported);
    }

    #[test]
    fn zip_files_that_are_not_workbooks_are_refused() {
        let archive = |parts: &[(&str, &str)]| {
            let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
            for (path, body) in parts {
                zip.start_file(*path, zip::write::SimpleFileOptions::default()).unwrap();
                zip.write_all(body.as_bytes()).unwrap();
            }
            zip.finish().unwrap().into_inner()
        };
        let ods = archive(&[
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", "<office:document-content/>"),
        ]);
        let err = read_list(&ods, "elenco.ods").unwrap_err();
        assert_eq!(err.code, Code::BulkUnsupported);
        assert!(err.message.contains(".ods"), "{}", err.message);
        let other = archive(&[("documenti/a.pdf", "%PDF-1.7")]);
        assert_eq!(error_code(&other, "documenti.zip"), Code::BulkUnsupported);
        let mut broken = b"PK\x03\x04".to_vec();
        broken.extend(b"not really a zip");
        assert_eq!(error_code(&broken, "elenco.xlsx"), Code::BulkUnreadable);
        let damaged = archive(&[("xl/workbook.xml", "<workbook")]);
        assert_eq!(error_code(&damaged, "elenco.xlsx"), Code::BulkUnreadable);
    }

    #[test]
    fn every_error_names_the_file_in_italian() {
        let err = read_list(b"", "/home/ufficio/Elenco bonus.csv").unwrap_err();
        assert!(err.message.contains("«Elenco bonus.csv»"), "{}", err.message);
    }

    // ---- displayed values ----

    #[test]
    fn numbers_and_dates_as_a_spreadsheet_shows_them() {
        assert_eq!(number_text(1234.0), "1234");
        assert_eq!(number_text(-7.0), "-7");
        assert_eq!(number_text(12.5), "12,5");
        assert_eq!(number_text(0.1 + 0.2), "0,3");
        assert_eq!(iso_date_text("2025-03-01"), "01/03/2025");
        assert_eq!(iso_date_text("2025-03-01T10:30:00"), "01/03/2025 10:30");
        assert_eq!(iso_date_text("altro"), "altro");
        let day = ExcelDateTime::new(45_717.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_time_text(&day), "01/03/2025");
        let moment = ExcelDateTime::new(45_717.437_5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(date_time_text(&moment), "01/03/2025 10:30");
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn list_format_serialises_for_the_ui() {
        let csv = ListFormat::Csv {
            separator: ';',
            encoding: "UTF-8",
        };
        assert_eq!(
            serde_json::to_value(csv).unwrap(),
            serde_json::json!({"kind": "csv", "separator": ";", "encoding": "UTF-8"})
        );
        let xlsx = ListFormat::Xlsx {
            sheet: "Foglio1".into(),
        };
        assert_eq!(
            serde_json::to_value(xlsx).unwrap(),
            serde_json::json!({"kind": "xlsx", "sheet": "Foglio1"})
        );
    }

    // ---- the mapping ----

    #[test]
    fn italian_titles_are_recognised() {
        let m = guess_mapping(&headers(&[
            "N.",
            "COGNOME",
            "Nome",
            "Cod. Fiscale",
            "E-mail",
            "Nome file",
            "N. Protocollo",
        ]));
        assert_eq!(
            m,
            Mapping {
                full_name: None,
                name: Some(2),
                surname: Some(1),
                fiscal_code: Some(3),
                email: Some(4),
                pdf: Some(5),
                protocol: Some(6),
            }
        );
        for cf in [
            "codice fiscale",
            "CF",
            "c.f.",
            "CodiceFiscale",
            "codice_fiscale",
            "Codice Fiscale del destinatario",
        ] {
            assert_eq!(
                guess_mapping(&headers(&["Nominativo", cf])).fiscal_code,
                Some(1),
                "{cf}"
            );
        }
        let m = guess_mapping(&headers(&[
            "Nome e cognome",
            "Posta elettronica",
            "Documento",
            "Protocollo",
        ]));
        assert_eq!(
            (m.full_name, m.email, m.pdf, m.protocol),
            (Some(0), Some(1), Some(2), Some(3))
        );
        // As registries export them.
        let m = guess_mapping(&headers(&[
            "COGNOME NOME",
            "C.F./P.IVA",
            "Indirizzo PEC",
            "Prot. n.",
            "File PDF",
        ]));
        assert_eq!(
            (m.full_name, m.surname, m.fiscal_code, m.email, m.protocol, m.pdf),
            (Some(0), None, Some(1), Some(2), Some(3), Some(4))
        );
    }

    #[test]
    fn english_titles_are_recognised() {
        let m = guess_mapping(&headers(&[
            "First Name",
            "Last Name",
            "Tax code",
            "Email",
            "File",
            "Protocol",
        ]));
        assert_eq!(
            m,
            Mapping {
                full_name: None,
                name: Some(0),
                surname: Some(1),
                fiscal_code: Some(2),
                email: Some(3),
                pdf: Some(4),
                protocol: Some(5),
            }
        );
        let m = guess_mapping(&headers(&["Given name", "Family name", "Fiscal code"]));
        assert_eq!((m.name, m.surname, m.fiscal_code), (Some(0), Some(1), Some(2)));
        // "Name" beside a surname is the first name.
        let m = guess_mapping(&headers(&["Name", "Surname"]));
        assert_eq!((m.name, m.surname, m.full_name), (Some(0), Some(1), None));
    }

    #[test]
    fn full_name_only_lists() {
        let m = guess_mapping(&headers(&["Nominativo", "C.F.", "PEC", "PDF"]));
        assert_eq!(
            m,
            Mapping {
                full_name: Some(0),
                fiscal_code: Some(1),
                email: Some(2),
                pdf: Some(3),
                ..Mapping::default()
            }
        );
        let m = guess_mapping(&headers(&["Full name", "Tax code"]));
        assert_eq!((m.full_name, m.name), (Some(0), None));
        // A lone "Name" or "Nome" holds the whole name.
        let m = guess_mapping(&headers(&["Name", "Fiscal code"]));
        assert_eq!((m.full_name, m.name, m.fiscal_code), (Some(0), None, Some(1)));
        let m = guess_mapping(&headers(&["nome", "cf"]));
        assert_eq!((m.full_name, m.name), (Some(0), None));
    }

    #[test]
    fn accents_case_and_each_column_once() {
        let m = guess_mapping(&headers(&["NOMINATIVO", "Codice Fiscale", "Èmail"]));
        assert_eq!((m.full_name, m.fiscal_code, m.email), (Some(0), Some(1), Some(2)));
        // Two email columns: the first one; the second is left for the clerk.
        let m = guess_mapping(&headers(&["Email", "PEC"]));
        assert_eq!(m.email, Some(0));
        // Titles that only look alike stay unmapped.
        let m = guess_mapping(&headers(&[
            "Documento di identità",
            "Nome del padre",
            "Indirizzo",
            "Note",
        ]));
        assert_eq!(m, Mapping::default());
    }

    #[test]
    fn signer_name_and_cells() {
        let row = Row {
            line: 2,
            cells: vec!["Mario".into(), "Rossi".into(), "Rossi Mario".into(), String::new()],
        };
        let split = Mapping {
            name: Some(0),
            surname: Some(1),
            full_name: Some(2),
            ..Mapping::default()
        };
        assert_eq!(split.signer_name(&row), "Mario Rossi");
        let whole = Mapping {
            full_name: Some(2),
            ..Mapping::default()
        };
        assert_eq!(whole.signer_name(&row), "Rossi Mario");
        let surname_only = Mapping {
            surname: Some(1),
            name: Some(3),
            ..Mapping::default()
        };
        assert_eq!(surname_only.signer_name(&row), "Rossi");
        assert_eq!(split.cell(&row, None), "");
        assert_eq!(split.cell(&row, Some(9)), "");
        assert_eq!(split.cell(&row, Some(1)), "Rossi");
        let back: Mapping = serde_json::from_value(serde_json::to_value(&split).unwrap()).unwrap();
        assert_eq!(back, split);
    }
}

/// Hostile or broken lists (bytes of any kind, text in any separator, half-written workbooks) are read or
/// refused with one of the list's own errors, never a panic, within the row and column limits.
#[cfg(test)]
mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn refused_as_a_list(e: &UiError) -> bool {
        e.code.as_str().starts_with("bulk.")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048), xlsx in any::<bool>()) {
            let name = if xlsx { "elenco.xlsx" } else { "elenco.csv" };
            match read_list(&bytes, name) {
                Ok(t) => {
                    prop_assert!(!t.headers.is_empty());
                    prop_assert!(t.rows.len() <= MAX_ROWS);
                    prop_assert!(t.rows.iter().all(|r| r.cells.len() == t.headers.len()));
                    let _ = guess_mapping(&t.headers);
                }
                Err(e) => prop_assert!(refused_as_a_list(&e), "{e:?}"),
            }
        }

        #[test]
        fn any_text_in_any_separator_is_read_or_refused(
            cells in proptest::collection::vec(proptest::collection::vec("[^\\x00]{0,12}", 1..6), 1..20),
            sep in prop_oneof![Just(';'), Just(','), Just('\t'), Just('|')],
        ) {
            let text: String = cells.iter().map(|row| row.join(&sep.to_string())).collect::<Vec<_>>().join("\n");
            match read_list(text.as_bytes(), "elenco.csv") {
                Ok(t) => prop_assert!(t.rows.iter().all(|r| r.cells.len() == t.headers.len())),
                Err(e) => prop_assert!(refused_as_a_list(&e), "{e:?}"),
            }
        }

        #[test]
        fn a_cut_workbook_is_refused_not_a_panic(cut in 0usize..4096) {
            let book = workbook_bytes();
            let cut = cut.min(book.len());
            if let Err(e) = read_list(&book[..cut], "elenco.xlsx") {
                prop_assert!(refused_as_a_list(&e), "{e:?}");
            }
        }
    }

    fn workbook_bytes() -> Vec<u8> {
        let book = super::tests::small_workbook();
        assert!(read_list(&book, "elenco.xlsx").is_ok(), "the whole workbook is read");
        book
    }
}
