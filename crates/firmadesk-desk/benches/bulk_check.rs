//! The dry run of a list of 10,000 citizens (target ≤ 2 s to the report): the CSV read, the columns
//! guessed, every row checked (fiscal code, name letters, birthplace at the birth date, duplicates, requests
//! still waiting) and the CSV report written. The office's answers (requests waiting, PDFs) are gathered
//! once before the rows are checked, so they are given here as a table of 1,000 waiting codes.
//! Run: `cargo bench -p firmadesk-desk --bench bulk_check`.

use criterion::{criterion_group, criterion_main, Criterion};
use firmadesk_desk::bulk::check::{check_rows, Active, Context};
use firmadesk_desk::bulk::list::{guess_mapping, read_list};
use std::collections::HashMap;
use std::hint::black_box;

const ROWS: usize = 10_000;
const NAMES: [(&str, &str); 6] = [
    ("Mario", "MRA"),
    ("Anna", "NNA"),
    ("Luca", "LCU"),
    ("Sara", "SRA"),
    ("Paolo", "PLA"),
    ("Giulia", "GLI"),
];
const SURNAMES: [(&str, &str); 5] = [
    ("Rossi", "RSS"),
    ("Bianchi", "BNC"),
    ("Verdi", "VRD"),
    ("Neri", "NRE"),
    ("Romano", "RMN"),
];
const MONTHS: &str = "ABCDEHLMPRST";
const PLACES: [&str; 4] = ["H501", "F205", "L219", "A794"];

/// Row `i`: a distinct, valid code whose letters fit the name (a few every hundred are swapped or broken).
fn row(i: usize) -> (String, String, String) {
    let (name, n) = NAMES[i % NAMES.len()];
    let (surname, s) = SURNAMES[(i / NAMES.len()) % SURNAMES.len()];
    let year = 40 + (i / 30) % 60;
    let month = MONTHS.as_bytes()[(i / 7) % 12] as char;
    let day = 1 + i % 28;
    let place = PLACES[i % PLACES.len()];
    let first15 = format!("{s}{n}{year:02}{month}{day:02}{place}");
    let mut code = format!("{first15}{}", iosign::fiscal_code::check_character(&first15).unwrap());
    if i % 100 == 7 {
        code.replace_range(15..16, "0"); // a typo in the check character
    }
    (name.to_owned(), surname.to_owned(), code)
}

fn list() -> Vec<u8> {
    let mut text = String::from("Nome;Cognome;Codice fiscale;Email\n");
    for i in 0..ROWS {
        let (name, surname, code) = row(i);
        text.push_str(&format!(
            "{name};{surname};{code};{}.{}@example.org\n",
            name.to_lowercase(),
            i
        ));
    }
    text.into_bytes()
}

fn bench(c: &mut Criterion) {
    let bytes = list();
    let today = time::Date::from_calendar_date(2026, time::Month::December, 3).unwrap();
    let active: HashMap<String, Active> = (0..ROWS)
        .step_by(10)
        .map(|i| {
            (
                row(i).2,
                Active {
                    title: "Accordo".into(),
                    created_at: 1_764_720_000_000,
                },
            )
        })
        .collect();
    let pdfs = HashMap::new();
    let mut group = c.benchmark_group("bulk");
    group.sample_size(10);
    group.bench_function("dry run of 10,000 rows (read, check, CSV report)", |b| {
        b.iter(|| {
            let table = read_list(black_box(&bytes), "elenco.csv").unwrap();
            let mapping = guess_mapping(&table.headers);
            let report = check_rows(
                &table.rows,
                &mapping,
                &Context {
                    today,
                    testers: None,
                    active: &active,
                    pdfs: &pdfs,
                },
            );
            assert_eq!(report.rows.len(), ROWS);
            black_box(report.to_csv().unwrap())
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
