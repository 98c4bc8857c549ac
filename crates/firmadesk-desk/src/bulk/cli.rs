//! `firmadesk bulk check LIST --template NAME [--pdf FILE | --pdf-dir DIR] [--data-dir DIR]`: the dry run of
//! a list for IT staff and scripts, with no window. It reads the list, guesses the columns, and checks every
//! row against the office this desk uses (its own file, or in Modalità ufficio the team database with the
//! password in the keyring): the same checks the window runs. Prints one JSON object; exits 0 when no row
//! has an error (warnings are sent), 1 when some row has one or the shared PDF is refused, 2 on usage errors
//! (a missing file, an unknown type, a list without a fiscal-code column, an office that cannot be opened).

use super::check::{self, DryRun, PdfVerdict};
use super::list::{self, ListFormat, Mapping};
use crate::{Desk, UiError};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

const USAGE: &str =
    "uso: firmadesk bulk check ELENCO.csv|.xlsx --template TIPO [--pdf FILE.pdf | --pdf-dir CARTELLA] [--data-dir DIR]";

/// What `bulk check` asks for.
#[derive(Debug, PartialEq)]
struct Args {
    list: PathBuf,
    template: String,
    pdf: Option<PathBuf>,
    pdf_dir: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    if it.next().map(String::as_str) != Some("check") {
        return Err(USAGE.into());
    }
    let (mut list, mut template, mut pdf, mut pdf_dir) = (None, None, None, None);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name}: manca il valore. {USAGE}"))
        };
        match arg.as_str() {
            "--template" => template = Some(value("--template")?),
            "--pdf" => pdf = Some(PathBuf::from(value("--pdf")?)),
            "--pdf-dir" => pdf_dir = Some(PathBuf::from(value("--pdf-dir")?)),
            // Read by the data folder's own resolution (paths.rs).
            "--data-dir" => {
                value("--data-dir")?;
            }
            a if a.starts_with("--data-dir=") => {}
            a if a.starts_with("--") => return Err(format!("opzione sconosciuta {a}. {USAGE}")),
            a if list.is_none() => list = Some(PathBuf::from(a)),
            a => return Err(format!("un solo elenco alla volta ({a}). {USAGE}")),
        }
    }
    if pdf.is_some() && pdf_dir.is_some() {
        return Err(format!("--pdf e --pdf-dir insieme: sceglierne uno. {USAGE}"));
    }
    Ok(Args {
        list: list.ok_or_else(|| USAGE.to_owned())?,
        template: template.ok_or_else(|| format!("manca --template. {USAGE}"))?,
        pdf,
        pdf_dir,
    })
}

/// What `bulk check` prints.
#[derive(Serialize)]
struct Output<'a> {
    list: String,
    format: &'a ListFormat,
    template: &'a str,
    profile: String,
    mapping: &'a Mapping,
    /// The shared PDF's verdict (`--pdf`): `null` when accepted or not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pdf_error: Option<String>,
    #[serde(flatten)]
    report: &'a DryRun,
}

/// Runs `firmadesk bulk ...` on `args` (after `bulk`) against this user's data folder; returns the exit code.
pub fn bulk_cli(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    cli_on(args, None, out, err)
}

/// [`bulk_cli`] on the data folder `data_dir` (else the process's: `--data-dir`, `FIRMADESK_DATA_DIR`, the OS
/// default).
fn cli_on(args: &[String], data_dir: Option<PathBuf>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "firmadesk bulk: {e}");
            return 2;
        }
    };
    let desk = match runtime.block_on(open_desk(data_dir)) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "firmadesk bulk: {e}");
            return 2;
        }
    };
    match runtime.block_on(run(&desk, &args)) {
        Ok((json, code)) => {
            let _ = writeln!(out, "{json}");
            code
        }
        Err(e) => {
            let _ = writeln!(err, "firmadesk bulk: {}", e.message);
            2
        }
    }
}

/// The desk this user's window uses: its data folder, and the team database in Modalità ufficio.
async fn open_desk(data_dir: Option<PathBuf>) -> Result<Desk, String> {
    let data_dir = match data_dir {
        Some(dir) => crate::private::init_data_dir(&dir).map_err(|e| e.to_string())?,
        None => crate::paths::data_dir_from_process().map_err(|e| e.to_string())?,
    };
    let settings = crate::settings::load(&data_dir)?;
    let secrets: Arc<dyn firmadesk_auth::SecretStore> = Arc::new(firmadesk_auth::KeyringStore::new());
    let clock: Arc<dyn firmadesk_auth::Clock> = Arc::new(firmadesk_auth::SystemClock);
    let sandbox = crate::sandbox::SandboxService::new(&data_dir);
    let store: Arc<dyn firmadesk_store::Store> = match settings.team.clone() {
        Some(team) => Arc::new(
            crate::team::open(&team, &*secrets, crate::unix_ms(clock.now()))
                .await
                .map_err(|e| e.message)?,
        ),
        // The sandbox profile keeps the address it had (this one only names it on a desk that never ran).
        None => Arc::new(crate::store::open_store(
            &data_dir,
            "http://127.0.0.1/api/v1/sign",
            crate::unix_ms(clock.now()),
        )?),
    };
    Ok(Desk::with_store(data_dir, settings, sandbox, store, secrets, clock))
}

/// The dry run of `args` on `desk`: the JSON and the exit code.
async fn run(desk: &Desk, args: &Args) -> Result<(String, i32), UiError> {
    let bytes = std::fs::read(&args.list).map_err(|e| {
        UiError::new(
            crate::Code::BulkUnreadable,
            format!("Impossibile leggere l'elenco {}: {e}", args.list.display()),
        )
    })?;
    let name = args.list.file_name().and_then(|n| n.to_str()).unwrap_or("elenco");
    let table = list::read_list(&bytes, name)?;
    let mapping = list::guess_mapping(&table.headers);
    let pdf_error = match &args.pdf {
        Some(path) => match check::pdf_verdict(path) {
            PdfVerdict::Accepted => None,
            PdfVerdict::Missing => Some(format!("Il PDF {} non esiste.", path.display())),
            PdfVerdict::Refused(why) => Some(format!("Il PDF {} non è accettato: {why}", path.display())),
        },
        None => None,
    };
    let report = check::dry_run_unchecked(desk, &table.rows, &mapping, &args.template, args.pdf_dir.clone()).await?;
    let code = i32::from(report.errors > 0 || pdf_error.is_some());
    let output = Output {
        list: args.list.display().to_string(),
        format: &table.format,
        template: &args.template,
        profile: crate::session::active_profile(desk),
        mapping: &mapping,
        pdf_error,
        report: &report,
    };
    let json = serde_json::to_string(&output).map_err(|e| UiError::new(crate::Code::BulkUnreadable, e.to_string()))?;
    Ok((json, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn usage_errors_are_named() {
        let ok = parse(&args(&[
            "check",
            "elenco.csv",
            "--template",
            "Accordo",
            "--pdf-dir",
            "pdf",
        ]))
        .unwrap();
        assert_eq!(
            ok,
            Args {
                list: "elenco.csv".into(),
                template: "Accordo".into(),
                pdf: None,
                pdf_dir: Some("pdf".into())
            }
        );
        for bad in [
            &["check", "elenco.csv"][..],
            &["check", "--template", "Accordo"],
            &["send", "elenco.csv", "--template", "Accordo"],
            &["check", "a.csv", "b.csv", "--template", "Accordo"],
            &[
                "check",
                "a.csv",
                "--template",
                "Accordo",
                "--pdf",
                "x.pdf",
                "--pdf-dir",
                "d",
            ],
            &["check", "a.csv", "--template"],
            &["check", "a.csv", "--template", "Accordo", "--fast"],
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
        let mut out = Vec::new();
        let mut err = Vec::new();
        assert_eq!(bulk_cli(&args(&["check"]), &mut out, &mut err), 2);
        assert!(String::from_utf8_lossy(&err).contains("uso: firmadesk bulk check"));
    }

    #[test]
    fn a_list_is_checked_against_the_desks_own_office_and_exits_by_verdict() {
        let data = tempfile::tempdir().unwrap();
        let files = tempfile::tempdir().unwrap();
        let list = files.path().join("elenco.csv");
        let good = "Nome;Cognome;Codice fiscale\nMario;Rossi;RSSMRA80A01H501U\n";
        std::fs::write(&list, good).unwrap();
        let run = |extra: &[&str]| {
            let mut argv = args(&["check", list.to_str().unwrap(), "--template"]);
            argv.extend(args(extra));
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = cli_on(&argv, Some(data.path().to_owned()), &mut out, &mut err);
            (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
        };
        let (code, out, err) = run(&["Accordo"]);
        assert_eq!(code, 0, "{out}{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["summary"], "1 pronta, 0 con avvisi, 0 errate", "{json}");
        assert_eq!(json["rows"][0]["birthplace"], "Roma (RM)");
        assert_eq!(json["format"]["separator"], ";");

        std::fs::write(&list, format!("{good}Anna;Bianchi;RSSMRA80A01H501X\n")).unwrap();
        let (code, out, _) = run(&["Accordo"]);
        assert_eq!(code, 1, "a row in error: {out}");
        let (code, _, err) = run(&["Delibera"]);
        assert_eq!(code, 2, "an unknown type is a usage error");
        assert!(err.contains("tipo di documento"), "{err}");
    }
}
