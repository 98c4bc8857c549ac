//! The birthplace a fiscal code names: its Belfiore (cadastral) code decoded into the municipality and
//! province, or the foreign country, valid at the birth date.
//!
//! Municipalities merge, split, change province and get new codes; a code names a place only within its
//! validity dates. The table (`data/birthplaces.tsv`) holds every validity period of the national registry's
//! archive of municipalities (ANPR, CC BY 4.0) and ISTAT's foreign country codes (CC BY 4.0), embedded at
//! build time; `cargo xtask places` refreshes it and records its source and date in its header.
//!
//! ```
//! use iosign::birthplace::{lookup, Lookup};
//! use time::macros::date;
//! let Lookup::Found(rome) = lookup("H501", date!(1980 - 01 - 01)) else { panic!() };
//! assert_eq!((rome.name.as_str(), rome.province), ("Roma", Some("RM")));
//! ```

use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;
use time::macros::format_description;
use time::Date;

static TABLE_TEXT: &str = include_str!("../data/birthplaces.tsv");

/// A place a Belfiore code names in one validity period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Birthplace {
    /// The Belfiore code (`H501`).
    pub code: String,
    /// The municipality's or country's name (`Roma`); two names joined by " / " in the rare period where
    /// the archive gives one code to two municipalities.
    pub name: String,
    /// The province's abbreviation (`RM`), `None` abroad.
    pub province: Option<&'static str>,
    /// The first day of the period (`None`: not given).
    #[serde(with = "opt_day")]
    pub valid_from: Option<Date>,
    /// The last day of the period (`None`: still valid).
    #[serde(with = "opt_day")]
    pub valid_to: Option<Date>,
}

impl Birthplace {
    /// Whether the code names a foreign country.
    pub fn is_abroad(&self) -> bool {
        self.province.is_none()
    }

    /// "Roma (RM)", or the country's name.
    pub fn label(&self) -> String {
        match self.province {
            Some(p) => format!("{} ({p})", self.name),
            None => self.name.clone(),
        }
    }
}

/// What the table says of a code at a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The code names this place on that date.
    Found(Birthplace),
    /// The code is known, but named no place on that date; the period nearest to the date is given.
    NotValidOn(Birthplace),
    /// The code is not in the table.
    Unknown,
}

/// Where and when the embedded table comes from, as its header records it.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    /// The package the data were taken from, with its version.
    pub package: &'static str,
    /// The date of the data files.
    pub data_date: &'static str,
    /// Validity periods of municipalities.
    pub municipality_periods: usize,
    /// Foreign countries.
    pub countries: usize,
    /// Distinct Belfiore codes.
    pub codes: usize,
}

#[derive(Debug)]
struct Period {
    from: Option<Date>,
    to: Option<Date>,
    name: &'static str,
    province: &'static str,
}

impl Period {
    fn contains(&self, day: Date) -> bool {
        self.from.is_none_or(|f| f <= day) && self.to.is_none_or(|t| day <= t)
    }

    /// Days from the period to `day` (0 inside it).
    fn distance(&self, day: Date) -> i64 {
        match (self.from, self.to) {
            (Some(f), _) if day < f => (f - day).whole_days(),
            (_, Some(t)) if day > t => (day - t).whole_days(),
            _ => 0,
        }
    }
}

struct Table {
    by_code: HashMap<&'static str, Vec<Period>>,
    dataset: Dataset,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| parse(TABLE_TEXT))
}

fn parse(text: &'static str) -> Table {
    let day = format_description!("[year]-[month]-[day]");
    let date = |s: &str| (!s.is_empty()).then(|| Date::parse(s, &day).expect("the embedded table's dates are valid"));
    let mut by_code: HashMap<&'static str, Vec<Period>> = HashMap::new();
    let (mut package, mut data_date) = ("", "");
    let (mut municipality_periods, mut countries) = (0, 0);
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            if let Some(v) = header.strip_prefix("package: ") {
                package = v;
            } else if let Some(v) = header.strip_prefix("data-date: ") {
                data_date = v;
            }
            continue;
        }
        let mut cols = line.split('\t');
        let mut next = || cols.next().expect("the embedded table has five columns");
        let (code, from, to, name, province) = (next(), next(), next(), next(), next());
        if province == "EE" {
            countries += 1;
        } else {
            municipality_periods += 1;
        }
        by_code.entry(code).or_default().push(Period {
            from: date(from),
            to: date(to),
            name,
            province,
        });
    }
    let codes = by_code.len();
    Table {
        by_code,
        dataset: Dataset {
            package,
            data_date,
            municipality_periods,
            countries,
            codes,
        },
    }
}

/// The embedded table's source, date and size.
pub fn dataset() -> Dataset {
    table().dataset.clone()
}

/// What the Belfiore `code` named on `day`.
pub fn lookup(code: &str, day: Date) -> Lookup {
    let code = code.trim().to_ascii_uppercase();
    let Some(periods) = table().by_code.get(code.as_str()) else {
        return Lookup::Unknown;
    };
    let place = |ps: &[&Period]| {
        let first = ps[0];
        let mut names: Vec<&str> = ps.iter().map(|p| p.name).collect();
        names.dedup();
        Birthplace {
            code: code.clone(),
            name: names.join(" / "),
            province: (first.province != "EE").then_some(first.province),
            valid_from: first.from,
            valid_to: first.to,
        }
    };
    let inside: Vec<&Period> = periods.iter().filter(|p| p.contains(day)).collect();
    if !inside.is_empty() {
        return Lookup::Found(place(&inside));
    }
    let nearest = periods
        .iter()
        .min_by_key(|p| p.distance(day))
        .expect("a code has at least one period");
    Lookup::NotValidOn(place(&[nearest]))
}

mod opt_day {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            // `Date`'s display is `YYYY-MM-DD`.
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn found(code: &str, day: Date) -> Birthplace {
        match lookup(code, day) {
            Lookup::Found(p) => p,
            other => panic!("{code} on {day}: {other:?}"),
        }
    }

    #[test]
    fn rome_and_a_country() {
        assert_eq!(found("H501", date!(1980 - 01 - 01)).label(), "Roma (RM)");
        let germany = found("z112", date!(1990 - 05 - 05));
        assert!(germany.is_abroad());
        assert_eq!(germany.label(), "Germania");
    }

    #[test]
    fn a_merger_ends_the_old_code_and_starts_the_new_one() {
        // Abetone and Cutigliano merged into Abetone Cutigliano on 2017-01-01.
        assert_eq!(found("A012", date!(2016 - 12 - 31)).label(), "Abetone (PT)");
        match lookup("A012", date!(2017 - 01 - 01)) {
            Lookup::NotValidOn(p) => assert_eq!(p.valid_to, Some(date!(2016 - 12 - 31))),
            other => panic!("{other:?}"),
        }
        assert_eq!(found("M376", date!(2017 - 01 - 01)).label(), "Abetone Cutigliano (PT)");
        assert!(matches!(lookup("M376", date!(2016 - 12 - 31)), Lookup::NotValidOn(_)));
    }

    #[test]
    fn a_province_change_is_read_at_the_date() {
        // Abbasanta moved from Cagliari to the new province of Oristano on 1974-08-20.
        assert_eq!(found("A007", date!(1974 - 08 - 19)).province, Some("CA"));
        assert_eq!(found("A007", date!(1974 - 08 - 20)).province, Some("OR"));
        // ... and did not exist as a municipality between 1927 and 1934: the nearest period is named.
        match lookup("A007", date!(1930 - 01 - 01)) {
            Lookup::NotValidOn(p) => assert_eq!(p.valid_to, Some(date!(1927 - 07 - 27))),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_country_that_ceased() {
        assert_eq!(found("Z105", date!(1980 - 01 - 01)).label(), "Cecoslovacchia");
        assert!(matches!(lookup("Z105", date!(2000 - 01 - 01)), Lookup::NotValidOn(_)));
    }

    #[test]
    fn an_unknown_code() {
        assert_eq!(lookup("Z999", date!(2000 - 01 - 01)), Lookup::Unknown);
        assert_eq!(lookup("", date!(2000 - 01 - 01)), Lookup::Unknown);
    }

    /// Every period of the table is found at its first and last day, under its own name; prints the size
    /// of the table the closing note of issue #13 gives.
    #[test]
    fn every_period_resolves_at_its_own_dates() {
        let t = table();
        let mut resolved = std::collections::HashSet::new();
        let mut checked = 0;
        let today = time::OffsetDateTime::now_utc().date();
        for (code, periods) in &t.by_code {
            for p in periods {
                let days: Vec<Date> = match (p.from, p.to) {
                    (None, None) => vec![today],
                    (from, to) => [from, to].into_iter().flatten().collect(),
                };
                for day in days {
                    let got = found(code, day);
                    assert!(got.name.split(" / ").any(|n| n == p.name), "{code} on {day}: {got:?}");
                    checked += 1;
                    resolved.insert(*code);
                }
            }
        }
        let d = dataset();
        assert_eq!(
            resolved.len(),
            d.codes,
            "codes that named no place on any of their own dates"
        );
        assert_eq!(
            d.municipality_periods + d.countries,
            t.by_code.values().map(Vec::len).sum::<usize>()
        );
        assert!(d.package.starts_with("python-codicefiscale "), "{}", d.package);
        eprintln!(
            "birthplace table ({}, data of {}): {} municipality periods, {} countries, {} codes, {} dated lookups",
            d.package, d.data_date, d.municipality_periods, d.countries, d.codes, checked
        );
    }
}
