//! `firmadesk check FILE.pdf [--fields FIELDS.json] [--title TITLE]`: the preflight for IT staff and
//! scripts. Prints the report as JSON; exits 0 when IO Sign would accept the document, 1 when it would
//! not, 2 on usage errors (bad arguments, unreadable files, pdfium missing). Needs no display.

use crate::document::Limits;
use crate::preflight::{self, Input};
use iosign::SignatureField;
use std::io::Write;

/// Usage text.
pub const USAGE: &str = "uso: firmadesk check FILE.pdf [--fields FIELDS.json] [--title TITOLO]\n\
FIELDS.json: un array di SignatureField come nell'API di Firma con IO.\n\
Esce con 0 se il servizio accetterebbe il documento, 1 se lo rifiuterebbe, 2 per errori d'uso.";

/// Runs the command on the arguments that follow `check`; returns the exit code.
pub fn check_cli(args: &[String], out: &mut impl Write, err: &mut impl Write) -> i32 {
    let mut file = None;
    let mut fields_path = None;
    let mut title = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--fields" => fields_path = it.next(),
            "--title" => title = it.next(),
            "-h" | "--help" => {
                let _ = writeln!(out, "{USAGE}");
                return 0;
            }
            flag if flag.starts_with("--") => return usage(err, &format!("opzione sconosciuta: {flag}")),
            path if file.is_none() => file = Some(path),
            extra => return usage(err, &format!("argomento in più: {extra}")),
        }
    }
    let Some(file) = file else {
        return usage(err, "manca il file PDF");
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage(err, &format!("impossibile leggere {file}: {e}")),
    };
    let fields: Vec<SignatureField> = match fields_path {
        None => Vec::new(),
        Some(path) => match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| serde_json::from_slice(&b).map_err(|e| format!("non è un array di SignatureField: {e}")))
        {
            Ok(fields) => fields,
            Err(e) => return usage(err, &format!("{path}: {e}")),
        },
    };
    let pdfium = match crate::library::pdfium() {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "{}", e.message());
            return 2;
        }
    };
    let report = preflight::run(
        pdfium,
        Input {
            bytes: &bytes,
            fields: &fields,
            title: title.map(String::as_str),
            limits: Limits::default(),
        },
    );
    let _ = writeln!(
        out,
        "{}",
        serde_json::to_string_pretty(&report).expect("report serializes")
    );
    if report.service_accepts {
        0
    } else {
        1
    }
}

fn usage(err: &mut impl Write, problem: &str) -> i32 {
    let _ = writeln!(err, "errore: {problem}\n{USAGE}");
    2
}
