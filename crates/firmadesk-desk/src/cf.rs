//! The codice fiscale check the new-request form runs as the clerk types, and `firmadesk cf CODE...
//! [--name "Nome Cognome"]`, the same check for IT staff and scripts: one JSON object per code on its own
//! line; exits 0 when every code is valid, 1 otherwise, 2 on usage errors. Needs no display.

use iosign::birthplace::{Birthplace, Lookup};
use iosign::FiscalCode;
use serde::Serialize;
use std::io::Write;
use time::Date;

/// Outcome of a fiscal-code check, with what it encodes for the clerk to cross-check.
#[derive(Debug, Serialize)]
pub struct FiscalCodeCheck {
    /// Whether the code is well formed, with the right check character and an existing birth date.
    pub valid: bool,
    /// The code as checked: trimmed, in capitals.
    pub normalized: String,
    /// Why the code is not valid, in Italian.
    pub message: Option<String>,
    /// The birth date, `YYYY-MM-DD` (the century settled by today's date).
    pub birth_date: Option<String>,
    /// `M` or `F`.
    pub sex: Option<&'static str>,
    /// The Belfiore code of the birthplace, omocodia undone.
    pub belfiore: Option<String>,
    /// The birthplace that code names at the birth date (or, when it named none then, the nearest).
    pub birthplace: Option<BirthplaceView>,
    /// What the clerk should look at again, in Italian; never makes the code invalid.
    pub warnings: Vec<String>,
    /// Whether the code's name letters fit the signer's name, when one was given (a warning, never a block).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_match: Option<bool>,
}

/// The decoded birthplace.
#[derive(Debug, Serialize)]
pub struct BirthplaceView {
    /// Code, name, province and validity period.
    #[serde(flatten)]
    pub place: Birthplace,
    /// "Roma (RM)", or the country.
    pub label: String,
    /// Whether the code names a foreign country.
    pub abroad: bool,
    /// Whether the code named this place on the birth date; `false` is a warning (a code assigned by
    /// mistake, or a century misread for a centenarian).
    pub valid_at_birth: bool,
}

/// Validates a codice fiscale (check character, omocodia) and decodes it; `today` settles the century.
pub fn check_on(code: &str, name: Option<&str>, today: Date) -> FiscalCodeCheck {
    let normalized = code.trim().to_uppercase();
    let cf = match FiscalCode::parse(code) {
        Ok(cf) => cf,
        Err(e) => {
            return FiscalCodeCheck {
                valid: false,
                normalized,
                message: Some(e.to_string()),
                birth_date: None,
                sex: None,
                belfiore: None,
                birthplace: None,
                warnings: Vec::new(),
                name_match: None,
            }
        }
    };
    let birth = cf.birth_date(today);
    let belfiore = cf.belfiore_code();
    let mut warnings = Vec::new();
    let birthplace = match cf.birthplace(today) {
        Lookup::Found(place) => Some(view(place, true)),
        Lookup::NotValidOn(place) => {
            warnings.push(format!(
                "Il codice catastale {belfiore} indica {} solo {}, non alla data di nascita {}: verificare il codice \
                 sul documento del cittadino.",
                place.label(),
                period(&place),
                birth
            ));
            Some(view(place, false))
        }
        Lookup::Unknown => {
            warnings.push(format!(
                "Il codice catastale {belfiore} non corrisponde a nessun comune o stato estero noto: verificare il \
                 codice sul documento del cittadino."
            ));
            None
        }
    };
    let name_match = name.and_then(|n| cf.name_matches(n));
    if name_match == Some(false) {
        warnings.push(
            "Le lettere del codice fiscale non corrispondono a nome e cognome indicati: verificare di non aver \
             scambiato il codice con quello di un'altra persona."
                .to_owned(),
        );
    }
    FiscalCodeCheck {
        valid: true,
        normalized: cf.as_str().to_owned(),
        message: None,
        birth_date: Some(birth.to_string()),
        sex: Some(match cf.sex() {
            iosign::fiscal_code::Sex::Male => "M",
            iosign::fiscal_code::Sex::Female => "F",
        }),
        belfiore: Some(belfiore),
        birthplace,
        warnings,
        name_match,
    }
}

/// [`check_on`] today.
pub fn check_fiscal_code(code: String, name: Option<String>) -> FiscalCodeCheck {
    check_on(&code, name.as_deref(), time::OffsetDateTime::now_utc().date())
}

fn view(place: Birthplace, valid_at_birth: bool) -> BirthplaceView {
    BirthplaceView {
        label: place.label(),
        abroad: place.is_abroad(),
        place,
        valid_at_birth,
    }
}

/// A date as an Italian reader writes it: `26/07/1936`.
pub(crate) fn italian_date(d: Date) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), u8::from(d.month()), d.year())
}

/// "dal 1936-07-26 al 2016-12-31", in the order an Italian reader expects.
fn period(place: &Birthplace) -> String {
    let it = italian_date;
    match (place.valid_from, place.valid_to) {
        (Some(f), Some(t)) => format!("dal {} al {}", it(f), it(t)),
        (Some(f), None) => format!("dal {}", it(f)),
        (None, Some(t)) => format!("fino al {}", it(t)),
        (None, None) => String::new(),
    }
}

/// Usage text of `firmadesk cf`.
pub const USAGE: &str = "uso: firmadesk cf CODICE... [--name \"Nome Cognome\"]\n\
Stampa per ogni codice fiscale una riga JSON: validità, errori, data di nascita, sesso, comune o stato\n\
di nascita con la provincia, corrispondenza con il nome indicato.\n\
Esce con 0 se tutti i codici sono validi, 1 altrimenti, 2 per errori d'uso.";

/// Runs `firmadesk cf` on the arguments that follow `cf`; returns the exit code.
pub fn cf_cli(args: &[String], out: &mut impl Write, err: &mut impl Write) -> i32 {
    cf_cli_on(args, time::OffsetDateTime::now_utc().date(), out, err)
}

fn cf_cli_on(args: &[String], today: Date, out: &mut impl Write, err: &mut impl Write) -> i32 {
    let mut codes = Vec::new();
    let mut name: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "-h" | "--help" => {
                let _ = writeln!(out, "{USAGE}");
                return 0;
            }
            "--name" => match it.next() {
                Some(n) if !n.trim().is_empty() => name = Some(n.clone()),
                _ => return usage(err, "--name vuole nome e cognome"),
            },
            flag if flag.starts_with("--name=") => name = Some(flag["--name=".len()..].to_owned()),
            flag if flag.starts_with("--") => return usage(err, &format!("opzione sconosciuta: {flag}")),
            code => codes.push(code.to_owned()),
        }
    }
    if codes.is_empty() {
        return usage(err, "manca il codice fiscale");
    }
    let mut all_valid = true;
    for code in &codes {
        let check = check_on(code, name.as_deref(), today);
        all_valid &= check.valid;
        let line = serde_json::json!({ "input": code, "check": check });
        if writeln!(out, "{line}").is_err() {
            return 2;
        }
    }
    i32::from(!all_valid)
}

fn usage(err: &mut impl Write, problem: &str) -> i32 {
    let _ = writeln!(err, "firmadesk cf: {problem}\n{USAGE}");
    2
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 03);

    #[test]
    fn a_valid_code_is_decoded_with_its_birthplace() {
        let ok = check_on(" rssmra80a01h501u ", None, TODAY);
        assert!(ok.valid);
        assert_eq!(ok.normalized, "RSSMRA80A01H501U");
        assert_eq!(ok.birth_date.as_deref(), Some("1980-01-01"));
        assert_eq!(ok.sex, Some("M"));
        assert_eq!(ok.belfiore.as_deref(), Some("H501"));
        let place = ok.birthplace.as_ref().unwrap();
        assert_eq!(
            (place.label.as_str(), place.valid_at_birth, place.abroad),
            ("Roma (RM)", true, false)
        );
        assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
        assert_eq!(ok.name_match, None, "no name, no comparison");
    }

    #[test]
    fn an_invalid_code_says_why() {
        let bad = check_on("RSSMRA80A01H501X", Some("Mario Rossi"), TODAY);
        assert!(!bad.valid);
        assert!(bad.message.unwrap().contains("carattere di controllo"));
        assert_eq!(bad.name_match, None);
    }

    #[test]
    fn a_code_swapped_with_another_citizens_is_flagged_against_the_typed_name() {
        let right = check_on("RSSMRA80A01H501U", Some(" Mario  Rossi "), TODAY);
        assert_eq!(right.name_match, Some(true));
        let swapped = check_on("NRENNA85M41F205S", Some("Mario Rossi"), TODAY);
        assert!(swapped.valid, "a valid code: only the name says it is the wrong one");
        assert_eq!(swapped.name_match, Some(false));
        assert_eq!(swapped.warnings.len(), 1);
        let json = serde_json::to_value(&swapped).unwrap();
        assert_eq!(json["name_match"], false);
        assert_eq!(json["birthplace"]["label"], "Milano (MI)");
    }

    #[test]
    fn a_birthplace_code_that_named_nothing_at_birth_is_a_warning() {
        // Abetone (A012) merged into Abetone Cutigliano on 2017-01-01: a child born in 2018 cannot have it.
        let code = with_check("RSSMRA18A01A012");
        let late = check_on(&code, None, TODAY);
        assert!(late.valid, "a warning, not an error");
        let place = late.birthplace.as_ref().unwrap();
        assert_eq!((place.label.as_str(), place.valid_at_birth), ("Abetone (PT)", false));
        assert!(
            late.warnings[0].contains("dal 26/07/1936 al 31/12/2016"),
            "{:?}",
            late.warnings
        );
        let unknown = check_on(&with_check("RSSMRA80A01Z999"), None, TODAY);
        assert!(unknown.valid && unknown.birthplace.is_none());
        assert!(unknown.warnings[0].contains("Z999"));
    }

    fn with_check(first15: &str) -> String {
        format!("{first15}{}", iosign::fiscal_code::check_character(first15).unwrap())
    }

    fn run(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(ToString::to_string).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = cf_cli_on(&args, TODAY, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn the_command_prints_one_json_line_per_code_and_exits_by_validity() {
        let (code, out, _) = run(&["RSSMRA80A01H501U", "--name", "Mario Rossi"]);
        assert_eq!(code, 0);
        let line: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
        assert_eq!(line["input"], "RSSMRA80A01H501U");
        assert_eq!(line["check"]["valid"], true);
        assert_eq!(line["check"]["birthplace"]["name"], "Roma");
        assert_eq!(line["check"]["birthplace"]["province"], "RM");
        assert_eq!(line["check"]["name_match"], true);

        let (code, out, _) = run(&["RSSMRA80A01H501U", "RSSMRA80A01H501X"]);
        assert_eq!(code, 1, "one invalid code");
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["check"]["valid"], false);
        assert!(lines[1]["check"]["message"]
            .as_str()
            .unwrap()
            .contains("carattere di controllo"));
    }

    #[test]
    fn usage_errors_exit_2_with_the_usage() {
        for args in [&[][..], &["--name"][..], &["RSSMRA80A01H501U", "--verbose"][..]] {
            let (code, out, err) = run(args);
            assert_eq!(code, 2, "{args:?}");
            assert!(out.is_empty());
            assert!(err.contains("uso: firmadesk cf"), "{err}");
        }
        let (code, out, _) = run(&["--help"]);
        assert_eq!((code, out.starts_with("uso:")), (0, true));
    }
}
