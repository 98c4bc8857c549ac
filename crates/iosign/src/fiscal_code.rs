//! Italian fiscal code (codice fiscale) of a natural person.
//!
//! [`FiscalCode::parse`] is stricter than the service: the service only matches
//! `^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$`
//! (see [`matches_service_format`]), while a clerk's typo usually still matches that pattern and
//! would only surface as "citizen not found" after a round trip. So we also verify the check
//! character and that the birth date exists, and every failure says, in Italian, what is wrong.
//!
//! Layout (1-based positions): 1-3 surname, 4-6 name, 7-8 year, 9 month letter, 10-11 day
//! (+40 for women), 12-15 Belfiore code of the birthplace, 16 check character. When two people
//! would get the same code, the Agenzia delle Entrate replaces digits from the right with
//! letters (omocodia): positions 7, 8, 10, 11, 13, 14, 15 may hold `LMNPQRSTUV` for `0..=9`.
//!
//! ```
//! use iosign::fiscal_code::{FiscalCode, Sex};
//! use time::macros::date;
//!
//! let cf = FiscalCode::parse(" rssmra80a01h501u ").unwrap();
//! assert_eq!(cf.as_str(), "RSSMRA80A01H501U");
//! assert_eq!(cf.sex(), Sex::Male);
//! assert_eq!(cf.birth_date(date!(2026 - 01 - 01)), date!(1980 - 01 - 01));
//! assert_eq!(cf.belfiore_code(), "H501");
//!
//! let err = FiscalCode::parse("RSSMRA80A01H501").unwrap_err();
//! assert_eq!(err.to_string(), "Il codice fiscale deve avere 16 caratteri (ne ha 15)");
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;
use time::{Date, Month};

/// Number of characters of a fiscal code.
pub const LENGTH: usize = 16;

/// 0-based indices where omocodia may replace a digit with a letter.
const OMOCODIA_POSITIONS: [usize; 7] = [6, 7, 9, 10, 12, 13, 14];

/// Letters that stand for digits 0..=9 under omocodia.
const OMOCODIA_LETTERS: &[u8; 10] = b"LMNPQRSTUV";

/// Month letters, January to December.
const MONTH_LETTERS: &[u8; 12] = b"ABCDEHLMPRST";

/// Values of characters in odd (1-based) positions for the check character, indexed by
/// `digit` or `letter - 'A'` (digits and letters A-J share values).
const ODD_VALUES: [u32; 26] = [
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
];

/// Why a string is not a valid fiscal code. Messages are in Italian: they reach the clerk.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FiscalCodeError {
    /// Nothing but whitespace.
    #[error("Il codice fiscale è vuoto")]
    Empty,
    /// Not 16 characters.
    #[error("Il codice fiscale deve avere 16 caratteri (ne ha {found})")]
    Length {
        /// Characters found (after trimming).
        found: usize,
    },
    /// A character of the wrong class at a position (1-based).
    #[error("Il carattere in posizione {position} ('{found}') non è valido: è attesa {expected}")]
    Character {
        /// 1-based position.
        position: usize,
        /// The offending character.
        found: char,
        /// What the position admits, in Italian.
        expected: &'static str,
    },
    /// Position 9 is not a month letter.
    #[error("Il mese di nascita '{found}' non è valido (ammesse le lettere A B C D E H L M P R S T)")]
    Month {
        /// The offending letter.
        found: char,
    },
    /// Positions 10-11 are not 1..=31 or 41..=71.
    #[error("Il giorno di nascita {day:02} non è valido (ammessi 01-31 per gli uomini, 41-71 per le donne)")]
    Day {
        /// The decoded day field (omocodia already undone).
        day: u8,
    },
    /// Day and month are in range but the date does not exist (e.g. 30 February).
    #[error("La data di nascita {day:02}/{month:02}/{year:02} non esiste")]
    Date {
        /// Day of month (without the +40).
        day: u8,
        /// Month 1..=12.
        month: u8,
        /// Two-digit year.
        year: u8,
    },
    /// The check character does not match the first 15 characters.
    #[error("Il carattere di controllo dovrebbe essere {expected}, non {found}")]
    CheckCharacter {
        /// The character the first 15 imply.
        expected: char,
        /// The character found.
        found: char,
    },
}

impl FiscalCodeError {
    /// A stable machine-readable code (snake_case) for the UI's `{code, message}`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "fiscal_code_empty",
            Self::Length { .. } => "fiscal_code_length",
            Self::Character { .. } => "fiscal_code_character",
            Self::Month { .. } => "fiscal_code_month",
            Self::Day { .. } => "fiscal_code_day",
            Self::Date { .. } => "fiscal_code_date",
            Self::CheckCharacter { .. } => "fiscal_code_check_character",
        }
    }
}

/// Sex as encoded in the fiscal code (the day of birth of women is increased by 40).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Day field 01-31.
    Male,
    /// Day field 41-71.
    Female,
}

/// A fiscal code that passed [`FiscalCode::parse`]: uppercase, 16 characters, valid check
/// character and an existing birth date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FiscalCode(String);

impl FiscalCode {
    /// Trims, uppercases and validates `input`.
    pub fn parse(input: &str) -> Result<Self, FiscalCodeError> {
        let code = input.trim().to_uppercase();
        if code.is_empty() {
            return Err(FiscalCodeError::Empty);
        }
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != LENGTH {
            return Err(FiscalCodeError::Length { found: chars.len() });
        }
        for (i, &c) in chars.iter().enumerate() {
            check_class(i, c)?;
        }
        // From here on every character is ASCII (check_class admits only A-Z and 0-9).
        let bytes = code.as_bytes();
        let month = month_number(bytes[8]).ok_or(FiscalCodeError::Month { found: chars[8] })?;
        let day_field = decoded_number(&bytes[9..11]);
        let day = match day_field {
            1..=31 => day_field,
            41..=71 => day_field - 40,
            _ => return Err(FiscalCodeError::Day { day: day_field }),
        };
        let year = decoded_number(&bytes[6..8]);
        if !date_exists_in_some_century(year, month, day) {
            return Err(FiscalCodeError::Date { day, month, year });
        }
        let expected = compute_check_character(&bytes[..15]);
        if bytes[15] != expected {
            return Err(FiscalCodeError::CheckCharacter {
                expected: expected as char,
                found: chars[15],
            });
        }
        Ok(Self(code))
    }

    /// The normalised code (uppercase).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The sex encoded in the day field.
    pub fn sex(&self) -> Sex {
        if decoded_number(&self.0.as_bytes()[9..11]) > 40 {
            Sex::Female
        } else {
            Sex::Male
        }
    }

    /// The birth date. The code has only two year digits, so the century is chosen as the most
    /// recent one that gives a date not after `today` (a person cannot be born in the future);
    /// a centenarian born in 1925 therefore reads as 2025 — the code cannot tell them apart.
    pub fn birth_date(&self, today: Date) -> Date {
        let b = self.0.as_bytes();
        let yy = i32::from(decoded_number(&b[6..8]));
        let month = month_number(b[8]).expect("validated by parse");
        let day = decoded_number(&b[9..11]) % 40;
        let month = Month::try_from(month).expect("validated by parse");
        let make = |year: i32| Date::from_calendar_date(year, month, day).ok();
        let this_century = today.year() - today.year().rem_euclid(100);
        // Walk back one century at a time; parse guaranteed the date exists in a century whose
        // year is a multiple of 4 away, so one of the first few candidates exists.
        (0..4)
            .filter_map(|k| make(this_century - 100 * k + yy))
            .find(|d| *d <= today)
            .expect("validated by parse: the date exists in one of four centuries")
    }

    /// The cadastral (Belfiore) code of the birthplace, omocodia undone (e.g. `H501` for Rome,
    /// `Z...` for a foreign country).
    pub fn belfiore_code(&self) -> String {
        self.0[11..15]
            .bytes()
            .enumerate()
            .map(|(i, c)| if i == 0 { c as char } else { decode_digit(c) as char })
            .collect()
    }

    /// The birthplace the code names, read in the embedded table at the birth date (see
    /// [`crate::birthplace`]).
    pub fn birthplace(&self, today: Date) -> crate::birthplace::Lookup {
        crate::birthplace::lookup(&self.belfiore_code(), self.birth_date(today))
    }

    /// Whether some digits were replaced by letters (omocodia).
    pub fn is_omocodic(&self) -> bool {
        let b = self.0.as_bytes();
        OMOCODIA_POSITIONS.iter().any(|&i| b[i].is_ascii_alphabetic())
    }

    /// The code with omocodia undone and the check character recomputed: the form the code
    /// would have without a collision. Equal to `self` when not omocodic.
    pub fn without_omocodia(&self) -> FiscalCode {
        let mut b = self.0.as_bytes().to_vec();
        for &i in &OMOCODIA_POSITIONS {
            b[i] = decode_digit(b[i]);
        }
        b[15] = compute_check_character(&b[..15]);
        FiscalCode(String::from_utf8(b).expect("ASCII by construction"))
    }

    /// Whether the code's six name letters fit `full_name` as a clerk types it ("Mario Rossi", "Rossi
    /// Mario", "Maria Grazia De Luca"): every split of its words into name and surname, in either order,
    /// is tried. `None` when there is nothing to compare (fewer than two words with letters). A mismatch is
    /// a reason to look again, not proof of an error (married or foreign names, registry spellings).
    pub fn name_matches(&self, full_name: &str) -> Option<bool> {
        let words: Vec<&str> = full_name
            .split_whitespace()
            .filter(|w| w.chars().any(|c| fold_letter(c).is_some()))
            .collect();
        if words.len() < 2 {
            return None;
        }
        let letters = &self.0[..6];
        Some((1..words.len()).any(|k| {
            let (first, rest) = (words[..k].join(" "), words[k..].join(" "));
            name_letters(&rest, &first) == letters || name_letters(&first, &rest) == letters
        }))
    }
}

/// The six letters a fiscal code carries for `surname` and `name`: three of the surname (its consonants,
/// then its vowels, then `X`), three of the name (the first, third and fourth consonant when it has four or
/// more, otherwise as for the surname). Accented letters count as their plain letter; anything that is not a
/// letter (spaces, apostrophes, hyphens) is skipped.
pub fn name_letters(surname: &str, name: &str) -> String {
    let mut out = three_letters(surname, false);
    out.push_str(&three_letters(name, true));
    out
}

fn three_letters(part: &str, is_name: bool) -> String {
    let letters: Vec<char> = part.chars().filter_map(fold_letter).collect();
    let vowel = |c: &char| "AEIOU".contains(*c);
    let consonants: Vec<char> = letters.iter().copied().filter(|c| !vowel(c)).collect();
    if is_name && consonants.len() >= 4 {
        return [consonants[0], consonants[2], consonants[3]].iter().collect();
    }
    consonants
        .iter()
        .copied()
        .chain(letters.iter().copied().filter(vowel))
        .chain(std::iter::repeat('X'))
        .take(3)
        .collect()
}

/// A letter in capitals with its accent dropped ("è" → 'E', "Ñ" → 'N'); any other character in capitals.
/// The fiscal code's letters, and the desk's matching of column titles, fold names this way.
pub fn plain_capital(c: char) -> char {
    match c.to_uppercase().next().unwrap_or(c) {
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'A',
        'È' | 'É' | 'Ê' | 'Ë' => 'E',
        'Ì' | 'Í' | 'Î' | 'Ï' => 'I',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'O',
        'Ù' | 'Ú' | 'Û' | 'Ü' => 'U',
        'Ç' => 'C',
        'Ñ' => 'N',
        other => other,
    }
}

/// A letter as the fiscal code counts it (uppercase A-Z, accents dropped); `None` for anything else.
fn fold_letter(c: char) -> Option<char> {
    let plain = plain_capital(c);
    plain.is_ascii_uppercase().then_some(plain)
}

/// Whether `s` matches, exactly as given (no trimming or case folding), the pattern the
/// service validates `fiscal_code` against. No check character verification: this is what an
/// emulator of the service should accept.
pub fn matches_service_format(s: &str) -> bool {
    // check_class admits only ASCII uppercase letters and digits, so 16 bytes = 16 chars.
    s.len() == LENGTH
        && s.chars().enumerate().all(|(i, c)| check_class(i, c).is_ok())
        && MONTH_LETTERS.contains(&s.as_bytes()[8])
}

/// The check character for the first 15 characters of a code, or `None` if `first15` is not
/// 15 ASCII letters or digits. Meant for tools that build synthetic codes (sandbox, fixtures).
pub fn check_character(first15: &str) -> Option<char> {
    let b = first15.as_bytes();
    (b.len() == 15 && b.iter().all(u8::is_ascii_alphanumeric))
        .then(|| compute_check_character(&first15.to_ascii_uppercase().into_bytes()) as char)
}

fn compute_check_character(first15: &[u8]) -> u8 {
    let sum: u32 = first15
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let index = if c.is_ascii_digit() { c - b'0' } else { c - b'A' } as usize;
            // i is 0-based: even i is an odd 1-based position.
            if i % 2 == 0 {
                ODD_VALUES[index]
            } else {
                index as u32
            }
        })
        .sum();
    b'A' + (sum % 26) as u8
}

/// Checks the character class of 0-based position `i`, the same classes as the service's regex
/// except position 9 (month), which accepts any letter here so that the month gets its own
/// clearer error.
fn check_class(i: usize, c: char) -> Result<(), FiscalCodeError> {
    const LETTER: &str = "una lettera";
    const DIGIT: &str = "una cifra o una lettera tra L M N P Q R S T U V";
    let ok_letter = c.is_ascii_uppercase();
    let ok_digit = c.is_ascii_digit() || (c.is_ascii() && OMOCODIA_LETTERS.contains(&(c as u8)));
    let (ok, expected) = if OMOCODIA_POSITIONS.contains(&i) {
        (ok_digit, DIGIT)
    } else {
        (ok_letter, LETTER)
    };
    if ok {
        Ok(())
    } else {
        Err(FiscalCodeError::Character {
            position: i + 1,
            found: c,
            expected,
        })
    }
}

fn month_number(letter: u8) -> Option<u8> {
    MONTH_LETTERS.iter().position(|&m| m == letter).map(|i| i as u8 + 1)
}

/// Undoes omocodia for one character (a digit stays a digit).
fn decode_digit(c: u8) -> u8 {
    match OMOCODIA_LETTERS.iter().position(|&l| l == c) {
        Some(d) => b'0' + d as u8,
        None => c,
    }
}

/// A two-character number field, omocodia undone.
fn decoded_number(two: &[u8]) -> u8 {
    (decode_digit(two[0]) - b'0') * 10 + (decode_digit(two[1]) - b'0')
}

fn date_exists_in_some_century(yy: u8, month: u8, day: u8) -> bool {
    let Ok(month) = Month::try_from(month) else {
        return false;
    };
    // 29 February exists in 19yy or 20yy iff yy is a multiple of 4 (2000 is a leap year).
    [1900, 2000]
        .iter()
        .any(|c| Date::from_calendar_date(c + i32::from(yy), month, day).is_ok())
}

impl fmt::Display for FiscalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for FiscalCode {
    type Err = FiscalCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for FiscalCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for FiscalCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for FiscalCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<str>::deserialize(d)?;
        FiscalCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod name_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_name_letters_follow_the_consonant_vowel_and_four_consonant_rules() {
        let cases = [
            ("Rossi", "Mario", "RSSMRA"),
            ("Neri", "Anna", "NRENNA"),
            // Four consonants or more in the name: the first, third and fourth.
            ("Bianchi", "Gianfranco", "BNCGFR"),
            // Short parts: vowels after consonants, then X.
            ("Fo", "Ugo", "FOXGUO"),
            ("Ek", "Al", "KEXLAX"),
            // Several words, apostrophes, accents.
            ("De Luca", "Maria Grazia", "DLCMGR"),
            ("D'Angelo", "Niccolò", "DNGNCL"),
            ("Mürner", "José", "MRNJSO"),
        ];
        for (surname, name, letters) in cases {
            assert_eq!(name_letters(surname, name), letters, "{surname} {name}");
        }
    }

    #[test]
    fn a_typed_name_matches_in_either_order_and_a_swapped_code_does_not() {
        let mario = FiscalCode::parse("RSSMRA80A01H501U").unwrap();
        assert_eq!(mario.name_matches("Mario Rossi"), Some(true));
        assert_eq!(mario.name_matches("  rossi   MARIO "), Some(true));
        assert_eq!(mario.name_matches("Anna Neri"), Some(false), "another citizen's code");
        assert_eq!(mario.name_matches("Rossi"), None, "one word: nothing to compare");
        assert_eq!(mario.name_matches(""), None);
        let maria = FiscalCode::parse(&with_check("DLCMGR80A41H501")).unwrap();
        assert_eq!(maria.name_matches("Maria Grazia De Luca"), Some(true));
        assert_eq!(maria.name_matches("De Luca Maria Grazia"), Some(true));
        // Omocodia changes digits only: the letters still match.
        let omocodic = FiscalCode::parse(&with_check("RSSMRA80A01H50M")).unwrap();
        assert!(omocodic.is_omocodic());
        assert_eq!(omocodic.name_matches("Mario Rossi"), Some(true));
    }

    fn with_check(first15: &str) -> String {
        format!("{first15}{}", compute_check_character(first15.as_bytes()) as char)
    }

    proptest! {
        #[test]
        fn any_names_give_six_letters_that_their_own_code_matches(
            surname in "[A-Za-zàèìòù' ]{1,20}",
            name in "[A-Za-zàèìòù ]{1,20}",
        ) {
            prop_assume!(surname.chars().any(char::is_alphabetic) && name.chars().any(char::is_alphabetic));
            let letters = name_letters(&surname, &name);
            prop_assert_eq!(letters.len(), 6);
            prop_assert!(letters.chars().all(|c| c.is_ascii_uppercase()));
            let code = FiscalCode::parse(&with_check(&format!("{letters}80A01H501"))).unwrap();
            prop_assert_eq!(code.name_matches(&format!("{name} {surname}")), Some(true));
            prop_assert_eq!(code.name_matches(&format!("{surname} {name}")), Some(true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    // All codes below are synthetic. Check characters were computed by hand from the odd/even
    // tables, e.g. for the widely published sample RSSMRA80A01H501U:
    //   odd positions  R S R 8 A 1 5 1 -> 8+12+8+19+1+0+13+0 = 61
    //   even positions S M A 0 0 H 0   -> 18+12+0+0+0+7+0   = 37
    //   98 mod 26 = 20 -> 'U'
    const SAMPLE: &str = "RSSMRA80A01H501U";
    const TODAY: Date = date!(2026 - 11 - 25);

    fn err(s: &str) -> FiscalCodeError {
        FiscalCode::parse(s).expect_err(s)
    }

    #[test]
    fn parses_the_public_sample_and_decodes_it() {
        let cf = FiscalCode::parse(SAMPLE).unwrap();
        assert_eq!(cf.as_str(), SAMPLE);
        assert_eq!(cf.sex(), Sex::Male);
        assert_eq!(cf.birth_date(TODAY), date!(1980 - 01 - 01));
        assert_eq!(cf.belfiore_code(), "H501");
        assert!(!cf.is_omocodic());
        assert_eq!(cf.without_omocodia(), cf);
    }

    #[test]
    fn trims_and_uppercases() {
        let cf = FiscalCode::parse("  rssmra80a01h501u\n").unwrap();
        assert_eq!(cf.as_str(), SAMPLE);
    }

    #[test]
    fn decodes_a_woman_born_abroad_and_in_december() {
        // TSTPRV85T41F205Z: T = December, 41 = day 1 + 40.
        let cf = FiscalCode::parse("TSTPRV85T41F205Z").unwrap();
        assert_eq!(cf.sex(), Sex::Female);
        assert_eq!(cf.birth_date(TODAY), date!(1985 - 12 - 01));
        assert_eq!(cf.belfiore_code(), "F205");

        let abroad = FiscalCode::parse("TSTPRV90C15Z404R").unwrap();
        assert_eq!(abroad.belfiore_code(), "Z404");
        assert_eq!(abroad.birth_date(TODAY), date!(1990 - 03 - 15));
    }

    #[test]
    fn century_is_the_most_recent_not_in_the_future() {
        // 26 H 15 = 15 June 26.
        let cf = FiscalCode::parse("TSTPRV26H15H501W").unwrap();
        assert_eq!(cf.birth_date(date!(2026 - 06 - 15)), date!(2026 - 06 - 15));
        assert_eq!(cf.birth_date(date!(2026 - 06 - 14)), date!(1926 - 06 - 15));
        // 29 February 00 exists in 2000 but not in 1900.
        let leap = FiscalCode::parse("TSTPRV00B29H501E").unwrap();
        assert_eq!(leap.birth_date(TODAY), date!(2000 - 02 - 29));
        assert_eq!(leap.birth_date(date!(1999 - 01 - 01)), date!(1600 - 02 - 29));
    }

    #[test]
    fn accepts_omocodic_variants_and_decodes_them() {
        // Digits replaced from the right, check characters recomputed by hand.
        for code in ["RSSMRA80A01H50MM", "RSSMRA80A01H5LMX", "RSSMRAULALMHRLMD"] {
            let cf = FiscalCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert!(cf.is_omocodic(), "{code}");
            assert_eq!(cf.birth_date(TODAY), date!(1980 - 01 - 01), "{code}");
            assert_eq!(cf.belfiore_code(), "H501", "{code}");
            assert_eq!(cf.sex(), Sex::Male, "{code}");
            assert_eq!(cf.without_omocodia().as_str(), SAMPLE, "{code}");
        }
        let woman = FiscalCode::parse("TSTPRV85T41F20RU").unwrap();
        assert_eq!(woman.belfiore_code(), "F205");
        assert_eq!(woman.without_omocodia().as_str(), "TSTPRV85T41F205Z");
    }

    #[test]
    fn rejects_wrong_length_with_the_count() {
        assert_eq!(err("RSSMRA80A01H501"), FiscalCodeError::Length { found: 15 });
        assert_eq!(
            err("RSSMRA80A01H501").to_string(),
            "Il codice fiscale deve avere 16 caratteri (ne ha 15)"
        );
        assert_eq!(err("RSSMRA80A01H501UX"), FiscalCodeError::Length { found: 17 });
        // Characters, not bytes: a non-ASCII letter counts once.
        assert_eq!(err("RSSMRÀ80A01H501"), FiscalCodeError::Length { found: 15 });
        assert_eq!(err("   "), FiscalCodeError::Empty);
        assert_eq!(err("").to_string(), "Il codice fiscale è vuoto");
    }

    #[test]
    fn rejects_characters_of_the_wrong_class_at_their_position() {
        assert_eq!(
            err("R5SMRA80A01H501U"),
            FiscalCodeError::Character {
                position: 2,
                found: '5',
                expected: "una lettera"
            }
        );
        // 'A' is not an omocodia letter, so it cannot stand for a year digit.
        let e = err("RSSMRAA0A01H501U");
        assert_eq!(
            e.to_string(),
            "Il carattere in posizione 7 ('A') non è valido: è attesa una cifra o una lettera tra L M N P Q R S T U V"
        );
        assert!(matches!(
            err("RSSMRA80A01H501-"),
            FiscalCodeError::Character {
                position: 16,
                found: '-',
                ..
            }
        ));
        assert!(matches!(
            err("RSSMRA80A01H5 1U"),
            FiscalCodeError::Character {
                position: 14,
                found: ' ',
                ..
            }
        ));
    }

    #[test]
    fn rejects_an_invalid_month_letter() {
        let e = err("RSSMRA80F01H501U");
        assert_eq!(e, FiscalCodeError::Month { found: 'F' });
        assert!(e.to_string().starts_with("Il mese di nascita 'F' non è valido"));
    }

    #[test]
    fn rejects_days_out_of_range() {
        for (code, day) in [
            ("RSSMRA80A00H501U", 0),
            ("RSSMRA80A32H501U", 32),
            ("RSSMRA80A40H501U", 40),
            ("RSSMRA80A72H501U", 72),
        ] {
            assert_eq!(err(code), FiscalCodeError::Day { day }, "{code}");
        }
        assert!(err("RSSMRA80A32H501U")
            .to_string()
            .starts_with("Il giorno di nascita 32 non è valido"));
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        // 30 February; and 29 February 01 (neither 1901 nor 2001 is a leap year); 31 April.
        assert_eq!(
            err("RSSMRA80B30H501U"),
            FiscalCodeError::Date {
                day: 30,
                month: 2,
                year: 80
            }
        );
        assert_eq!(
            err("RSSMRA01B69H501U").to_string(),
            "La data di nascita 29/02/01 non esiste"
        );
        assert!(matches!(err("RSSMRA80D31H501U"), FiscalCodeError::Date { .. }));
    }

    #[test]
    fn rejects_a_wrong_check_character() {
        let e = err("RSSMRA80A01H501X");
        assert_eq!(
            e,
            FiscalCodeError::CheckCharacter {
                expected: 'U',
                found: 'X'
            }
        );
        assert_eq!(e.to_string(), "Il carattere di controllo dovrebbe essere U, non X");
        assert_eq!(e.code(), "fiscal_code_check_character");
        // A single typo in the body is caught by the check character.
        assert!(matches!(
            err("RSSMRA80A02H501U"),
            FiscalCodeError::CheckCharacter { .. }
        ));
        // The spec's own example has a wrong check character (T is right).
        assert_eq!(
            err("SPNDNL80R13C555X"),
            FiscalCodeError::CheckCharacter {
                expected: 'T',
                found: 'X'
            }
        );
    }

    #[test]
    fn service_format_is_the_regex_only() {
        assert!(matches_service_format(SAMPLE));
        assert!(matches_service_format("SPNDNL80R13C555X")); // wrong check char: still ok
        assert!(matches_service_format("RSSMRAULALMHRLMD"));
        assert!(!matches_service_format("rssmra80a01h501u")); // no case folding
        assert!(!matches_service_format("RSSMRA80F01H501U")); // F is not a month
        assert!(!matches_service_format("RSSMRAA0A01H501U"));
        assert!(!matches_service_format("RSSMRA80A01H501"));
        assert!(!matches_service_format("RSSMRA80A01H50ÀU"));
    }

    #[test]
    fn check_character_helper_agrees_with_hand_computed_values() {
        assert_eq!(check_character("RSSMRA80A01H501"), Some('U'));
        assert_eq!(check_character("TSTPRV85T41F205"), Some('Z'));
        assert_eq!(check_character("RSSMRA80A01H50"), None);
    }

    #[test]
    fn serde_round_trips_as_a_string_and_validates_on_input() {
        let cf = FiscalCode::parse(SAMPLE).unwrap();
        assert_eq!(serde_json::to_string(&cf).unwrap(), format!("\"{SAMPLE}\""));
        let back: FiscalCode = serde_json::from_str("\"rssmra80a01h501u\"").unwrap();
        assert_eq!(back, cf);
        let e = serde_json::from_str::<FiscalCode>("\"RSSMRA80A01H501X\"").unwrap_err();
        assert!(e.to_string().contains("dovrebbe essere U, non X"), "{e}");
    }
}
