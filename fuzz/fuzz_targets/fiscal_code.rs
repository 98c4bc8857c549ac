//! `iosign::FiscalCode::parse` on arbitrary text: never panics, and what it accepts is consistent
//! (re-parses to itself, its accessors work, omocodia undoes to a valid code).
#![no_main]

use iosign::FiscalCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(cf) = FiscalCode::parse(text) else { return };
    let again = FiscalCode::parse(cf.as_str()).expect("a parsed code re-parses");
    assert_eq!(again, cf);
    let _ = cf.sex();
    let _ = cf.belfiore_code();
    let today = time::Date::from_calendar_date(2026, time::Month::January, 1).expect("date");
    assert!(cf.birth_date(today) <= today, "born in the future: {}", cf.as_str());
    let plain = cf.without_omocodia();
    assert!(!plain.is_omocodic());
    FiscalCode::parse(plain.as_str()).expect("the code without omocodia is valid");
});
