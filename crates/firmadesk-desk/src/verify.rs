//! "Verifica un PDF firmato" (issue #14): the check of any signed PDF the clerk drops, and
//! `firmadesk verify FILE.pdf [--fiscal-code CF]` for IT staff, over `firmadesk_verify`.
//!
//! The crate says what it found in no language; here each finding is worded in the clerk's language
//! (`verify-<code>` in the catalogues) and the verdict too ("Firma valida" / "Firma valida, avvisi" /
//! "Firma non valida", `verification-verdict-<verdict>`).
//!
//! Trust anchors follow the profile, never mixed: in Modalità prova the sandbox's test root only; the
//! body's own profiles the EU trusted lists' qualified services, for the time each was granted
//! (`crate::trust`). Until lists are read (or when they are out of date) their chains' trust is not checked
//! (the warning `trust_not_checked`, never "non valida" for that alone).

use crate::i18n::{self, Arg};
use crate::settings::Locale;
use crate::{Code, Desk, UiError, SANDBOX_PROFILE};
use firmadesk_verify::{Expect, Report, Severity, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Which anchors a verification trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustKind {
    /// The sandbox's test authority (Modalità prova).
    Sandbox,
    /// The EU trusted lists' qualified services (the body's own profiles).
    TrustedLists,
    /// No trust anchors: the chain's trust is not checked (the body's own profiles, until trusted lists are
    /// read, or when they are out of date).
    NotChecked,
}

/// The trust anchors of a profile and what they are.
#[derive(Clone, Debug)]
pub struct Trust {
    /// What the anchors are.
    pub kind: TrustKind,
    /// DER certificates (empty when not checked).
    pub anchors: Vec<Vec<u8>>,
    /// When the anchors from trusted lists were granted.
    pub periods: Vec<firmadesk_verify::trusted_list::ListedAnchor>,
}

impl Trust {
    /// No anchors: trust is not checked.
    pub fn not_checked() -> Self {
        Self {
            kind: TrustKind::NotChecked,
            anchors: Vec::new(),
            periods: Vec::new(),
        }
    }

    /// The trusted lists' anchors, or not checked when there are none.
    pub fn of_lists(listed: Vec<firmadesk_verify::trusted_list::ListedAnchor>) -> Self {
        if listed.is_empty() {
            return Self::not_checked();
        }
        Self {
            kind: TrustKind::TrustedLists,
            anchors: listed.iter().map(|a| a.certificate.clone()).collect(),
            periods: listed,
        }
    }

    /// What a verification with this trust expects (with the fiscal code the signer must have).
    pub fn expect(&self, fiscal_code: Option<String>) -> Expect {
        Expect {
            fiscal_code,
            trust_anchors: self.anchors.clone(),
            anchor_periods: self.periods.clone(),
            ..Expect::default()
        }
    }
}

/// The anchors for `profile_id`: the sandbox's test root for the sandbox profile (from the running
/// sandbox, else from its state in the data folder), the trusted lists' for any other profile.
pub fn trust_for(desk: &Desk, profile_id: &str) -> Trust {
    if profile_id != SANDBOX_PROFILE {
        return Trust::of_lists(desk.trusted_lists.anchors.get());
    }
    let root = match desk.sandbox.running() {
        Some(running) => Some(running.handle.test_root_certificate_der()),
        None => iosign_sandbox::test_root_certificate_in(&desk.data_dir.join("sandbox")),
    };
    match root {
        Some(root) => Trust {
            kind: TrustKind::Sandbox,
            anchors: vec![root],
            periods: Vec::new(),
        },
        None => Trust::not_checked(),
    }
}

/// One finding, worded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Reason {
    /// The stable code (`digest_mismatch`, ...).
    pub code: firmadesk_verify::Code,
    /// Error (the signature is not valid) or warning.
    pub severity: Severity,
    /// The signature it is about (index in `report.signatures`).
    pub signature: Option<usize>,
    /// What is wrong and what to do, in the clerk's language.
    pub text: String,
    /// Technical detail (English, for IT staff).
    pub detail: String,
}

/// A verification as the clerk reads it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Checked {
    /// The verdict.
    pub verdict: Verdict,
    /// "Firma valida", "Firma valida, avvisi" or "Firma non valida", in the clerk's language.
    pub verdict_text: String,
    /// The signer's name, from the first signature's certificate.
    pub signer: Option<String>,
    /// The signer's fiscal code, from the certificate.
    pub fiscal_code: Option<String>,
    /// The fiscal code it was checked against, when given.
    pub expected_fiscal_code: Option<String>,
    /// When it was signed (RFC 3339, UTC).
    pub signing_time: Option<String>,
    /// The signing time comes from a valid timestamp.
    pub timestamped: bool,
    /// Which anchors were trusted.
    pub trust: TrustKind,
    /// The findings, worded, errors first.
    pub reasons: Vec<Reason>,
    /// The crate's report as it is.
    pub report: Report,
    /// "Verifica un PDF firmato" on a body's profile: the EU trusted lists it used, or why none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_lists: Option<crate::trust::ListsView>,
}

/// The verdict's words.
pub fn verdict_text(locale: Locale, verdict: Verdict) -> String {
    let id = match verdict {
        Verdict::Valid => "verification-verdict-valid",
        Verdict::ValidWithWarnings => "verification-verdict-valid_with_warnings",
        Verdict::Invalid => "verification-verdict-invalid",
    };
    i18n::text(locale, id, &[])
}

/// The words of one finding: `verify-<code>` with the signature's and the expected fiscal code
/// (`found`, `expected`) and field name (`field`).
pub fn reason_text(
    locale: Locale,
    report: &Report,
    finding: &firmadesk_verify::Finding,
    expected: Option<&str>,
) -> String {
    let signature = finding.signature.and_then(|i| report.signatures.get(i));
    let dash = || "—".to_owned();
    let args = [
        (
            "found",
            Arg::from(signature.and_then(|s| s.fiscal_code.clone()).unwrap_or_else(dash)),
        ),
        ("expected", Arg::from(expected.map_or_else(dash, str::to_owned))),
        ("field", Arg::from(signature.map_or_else(dash, |s| s.field.clone()))),
    ];
    i18n::text(locale, &format!("verify-{}", finding.code.as_str()), &args)
}

/// Words `report` (checked against `expected`, with `trust`) in `locale`.
pub fn word(locale: Locale, report: Report, expected: Option<String>, trust: TrustKind) -> Checked {
    let mut reasons: Vec<Reason> = report
        .findings
        .iter()
        .map(|f| Reason {
            code: f.code,
            severity: f.severity,
            signature: f.signature,
            text: reason_text(locale, &report, f, expected.as_deref()),
            detail: f.detail.clone(),
        })
        .collect();
    reasons.sort_by_key(|r| r.severity != Severity::Error);
    let first = report.signatures.iter().find(|s| s.subject.is_some());
    Checked {
        verdict: report.verdict,
        verdict_text: verdict_text(locale, report.verdict),
        signer: first.and_then(|s| s.name.clone()),
        fiscal_code: first.and_then(|s| s.fiscal_code.clone()),
        expected_fiscal_code: expected,
        signing_time: first.and_then(|s| s.signing_time.clone()),
        timestamped: first.is_some_and(|s| s.timestamped),
        trust,
        reasons,
        report,
        trusted_lists: None,
    }
}

/// The trust a kept report of `profile_id` was made with: the sandbox's for Modalità prova; for the body's
/// profiles the trusted lists', unless the report says the trust was not checked.
pub fn trust_kind_of(profile_id: &str, report: &Report) -> TrustKind {
    if profile_id == SANDBOX_PROFILE {
        TrustKind::Sandbox
    } else if report.signatures.is_empty() || report.has(firmadesk_verify::Code::TrustNotChecked) {
        TrustKind::NotChecked
    } else {
        TrustKind::TrustedLists
    }
}

/// The verdict a store row names (`valid`, `valid_with_warnings`, `invalid`); an unknown one is never valid.
pub fn verdict_of(name: &str) -> Verdict {
    match name {
        "valid" => Verdict::Valid,
        "valid_with_warnings" => Verdict::ValidWithWarnings,
        _ => Verdict::Invalid,
    }
}

/// The verification kept with an archived document (the engine made it), worded.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Kept {
    /// The archived document (IO's id).
    pub io_document_id: String,
    /// When it was verified (ms).
    pub verified_at: i64,
    /// The result.
    #[serde(flatten)]
    pub checked: Checked,
}

/// Words a kept verification of a request sent to `expected` on `profile_id`.
pub fn kept(locale: Locale, v: &firmadesk_store::Verification, expected: Option<&str>, profile_id: &str) -> Kept {
    let report = serde_json::from_str::<Report>(&v.report_json).unwrap_or_else(|_| Report {
        verdict: verdict_of(&v.verdict),
        signatures: Vec::new(),
        findings: Vec::new(),
    });
    let expected = expected.filter(|c| !c.is_empty()).map(str::to_owned);
    let kind = trust_kind_of(profile_id, &report);
    let mut checked = word(locale, report, expected, kind);
    // What the store row says wins over a report it could not read.
    checked.signer = checked.signer.or_else(|| v.signer.clone());
    checked.fiscal_code = checked.fiscal_code.or_else(|| v.fiscal_code.clone());
    checked.signing_time = checked.signing_time.or_else(|| v.signing_time.clone());
    Kept {
        io_document_id: v.io_document_id.clone(),
        verified_at: v.verified_at,
        checked,
    }
}

/// A request's verification at a glance: the worst verdict of its documents, worded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// `valid`, `valid_with_warnings` or `invalid`.
    pub verdict: String,
    /// "Firma valida"...
    pub text: String,
}

/// The worst of `verdicts` (store names), worded; `None` when there is none (not verified yet).
pub fn summary<'a>(locale: Locale, verdicts: impl IntoIterator<Item = &'a str>) -> Option<Summary> {
    let rank = |v: Verdict| match v {
        Verdict::Valid => 0,
        Verdict::ValidWithWarnings => 1,
        Verdict::Invalid => 2,
    };
    let worst = verdicts.into_iter().map(verdict_of).max_by_key(|v| rank(*v))?;
    Some(Summary {
        verdict: firmadesk_engine::verification::verdict_name(worst).to_owned(),
        text: verdict_text(locale, worst),
    })
}

/// The summaries of these requests, by local id (requests not verified yet have none).
pub async fn summaries(desk: &Desk, ids: &[firmadesk_store::LocalId]) -> Result<BTreeMap<String, Summary>, UiError> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let all = desk.store.verifications(ids).await.map_err(crate::store_error)?;
    let mut by_request: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for v in &all {
        by_request
            .entry(v.request_id.as_str().to_owned())
            .or_default()
            .push(v.verdict.as_str());
    }
    let locale = desk.locale();
    Ok(by_request
        .into_iter()
        .filter_map(|(id, verdicts)| summary(locale, verdicts).map(|s| (id, s)))
        .collect())
}

/// The fiscal code typed by the clerk (or given to the CLI), checked: empty is none.
fn expected_fiscal_code(input: Option<&str>) -> Result<Option<String>, UiError> {
    let Some(text) = input.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    iosign::fiscal_code::FiscalCode::parse(text)
        .map(|cf| Some(cf.as_str().to_owned()))
        .map_err(|e| {
            UiError::new(
                Code::RequestInvalidFiscalCode,
                "Il codice fiscale indicato non è valido: correggerlo o lasciarlo vuoto.",
            )
            .with_detail(e.code())
        })
}

/// Walks the bytes within the hardening bounds (`structure::scan`, via `check_bytes`), then verifies.
fn run(bytes: &[u8], expect: &Expect) -> Result<Report, firmadesk_pdf::PdfError> {
    firmadesk_pdf::document::check_bytes(bytes, &firmadesk_pdf::Limits::default())?;
    Ok(firmadesk_verify::verify(bytes, expect))
}

/// Verifies every archived signed document that has no verification yet: those archived by a FirmaDesk from
/// before issue #14 (or whose verification was cut short). Each is checked as the engine checks on archive —
/// against the request's fiscal code, the SHA-256 of the documents it uploaded and its profile's trust — except
/// for the clauses IO Sign recorded, which are not known without the service (the verification of a document
/// archived since #14 checks them). The bytes are the archived file's, else the team database's copy. Each
/// result is kept and written in the timeline, as on archive. Returns how many were verified.
pub async fn backfill(desk: &Desk) -> Result<usize, UiError> {
    // One query for what lacks a verification: at each start it costs nothing once all are verified.
    let missing = desk.store.unverified_archives().await.map_err(crate::store_error)?;
    let mut verified = 0;
    let mut against: Option<(firmadesk_store::LocalId, firmadesk_engine::verification::Against)> = None;
    for file in missing {
        // Files come by request: what a request is checked against is read once for all of its files.
        if against.as_ref().is_none_or(|(id, _)| *id != file.request_id) {
            let Some(request) = desk.store.request(&file.request_id).await.map_err(crate::store_error)? else {
                continue;
            };
            let uploaded: Vec<String> = desk
                .store
                .documents(&request.id)
                .await
                .map_err(crate::store_error)?
                .into_iter()
                .filter_map(|d| d.sha256)
                .collect();
            let trust = trust_for(desk, &request.profile_id);
            against = Some((
                request.id.clone(),
                firmadesk_engine::verification::Against {
                    fiscal_code: Some(request.fiscal_code.clone()),
                    uploaded_sha256: uploaded,
                    trust_anchors: trust.anchors,
                    anchor_periods: trust.periods,
                    fields: Vec::new(),
                },
            ));
        }
        let Some((_, expect)) = against.clone() else {
            continue;
        };
        let bytes = match tokio::fs::read(&file.path).await {
            Ok(bytes) => bytes,
            Err(_) => match desk.store.file(&file.sha256).await.map_err(crate::store_error)? {
                Some(bytes) => bytes,
                None => {
                    tracing::warn!(target: "firmadesk_desk", request_id = %file.request_id, path = %file.path, "archived file missing: not verified");
                    continue;
                }
            },
        };
        let report = tokio::task::spawn_blocking(move || firmadesk_engine::verification::check(&bytes, &expect))
            .await
            .map_err(crate::archive::write_failed)?;
        let now = desk.now_ms();
        let record = firmadesk_engine::verification::record(&file.request_id, &file.io_document_id, &report, now);
        desk.store
            .record_verification(&record)
            .await
            .map_err(crate::store_error)?;
        desk.store
            .add_event(&firmadesk_engine::verification::event(&record, now))
            .await
            .map_err(crate::store_error)?;
        tracing::info!(target: "firmadesk_desk", request_id = %file.request_id, verdict = %record.verdict, "archived document verified afterwards");
        verified += 1;
    }
    Ok(verified)
}

/// Verifies `bytes` (a signed PDF from anywhere) with the ACTIVE profile's trust, against the optional
/// fiscal code; worded in the clerk's language. Reads and keeps nothing of any profile's data.
pub async fn verify_pdf(desk: &Desk, bytes: Vec<u8>, fiscal_code: Option<String>) -> Result<Checked, UiError> {
    let expected = expected_fiscal_code(fiscal_code.as_deref())?;
    let profile = crate::session::active_profile(desk);
    let trust = trust_for(desk, &profile);
    let expect = trust.expect(expected.clone());
    let report = tokio::task::spawn_blocking(move || run(&bytes, &expect))
        .await
        .map_err(|e| UiError::new(Code::PdfUnreadable, "Verifica del PDF interrotta: riprovare.").with_detail(e))?
        .map_err(crate::requests::pdf_error)?;
    tracing::info!(verdict = ?report.verdict, findings = ?report.codes(), "signed PDF verified on demand");
    let mut checked = word(desk.locale(), report, expected, trust.kind);
    // The body's profiles say which trusted lists they used (or why none).
    if profile != SANDBOX_PROFILE {
        checked.trusted_lists = Some(desk.trusted_lists.view());
    }
    Ok(checked)
}

const USAGE: &str = "uso: firmadesk verify FILE.pdf [--fiscal-code CODICE_FISCALE] [--data-dir DIR]";

/// What `verify` asks for.
#[derive(Debug, PartialEq)]
struct Args {
    file: PathBuf,
    fiscal_code: Option<String>,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let (mut file, mut fiscal_code) = (None, None);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--fiscal-code" => {
                fiscal_code = Some(
                    it.next()
                        .cloned()
                        .ok_or_else(|| format!("--fiscal-code: manca il valore. {USAGE}"))?,
                );
            }
            a if a.starts_with("--fiscal-code=") => fiscal_code = Some(a["--fiscal-code=".len()..].to_owned()),
            // Read by the data folder's own resolution (paths.rs).
            "--data-dir" => {
                it.next()
                    .ok_or_else(|| format!("--data-dir: manca il valore. {USAGE}"))?;
            }
            a if a.starts_with("--data-dir=") => {}
            a if a.starts_with("--") => return Err(format!("opzione sconosciuta {a}. {USAGE}")),
            a if file.is_none() => file = Some(PathBuf::from(a)),
            a => return Err(format!("un solo file alla volta ({a}). {USAGE}")),
        }
    }
    Ok(Args {
        file: file.ok_or_else(|| USAGE.to_owned())?,
        fiscal_code,
    })
}

/// Runs `firmadesk verify ...` on `args` (after `verify`): prints the worded report as JSON; exits 0 when
/// the signature is valid (with or without warnings), 1 when it is not, 2 on usage errors (no file, an
/// unreadable or refused file, an invalid fiscal code). Trust follows this user's active profile.
pub fn verify_cli(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    cli_on(args, None, out, err)
}

/// [`verify_cli`] on the data folder `data_dir` (else the process's).
fn cli_on(args: &[String], data_dir: Option<PathBuf>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            return 2;
        }
    };
    let data_dir = match data_dir.map_or_else(crate::paths::data_dir_from_process, |d| {
        crate::private::init_data_dir(&d)
    }) {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "firmadesk verify: {e}");
            return 2;
        }
    };
    let settings = crate::settings::load(&data_dir).unwrap_or_default();
    let profile = settings
        .active_profile
        .clone()
        .unwrap_or_else(|| SANDBOX_PROFILE.to_owned());
    let trust = if profile == SANDBOX_PROFILE {
        iosign_sandbox::test_root_certificate_in(&data_dir.join("sandbox")).map_or_else(Trust::not_checked, |root| {
            Trust {
                kind: TrustKind::Sandbox,
                anchors: vec![root],
                periods: Vec::new(),
            }
        })
    } else {
        // The lists FirmaDesk keeps in the data folder, as they are (the command downloads nothing).
        Trust::of_lists(crate::trust::kept_anchors(&data_dir))
    };
    let result = std::fs::read(&args.file)
        .map_err(|e| format!("{}: {e}", args.file.display()))
        .and_then(|bytes| {
            let expected = expected_fiscal_code(args.fiscal_code.as_deref()).map_err(|e| e.message)?;
            let expect = trust.expect(expected.clone());
            let report = run(&bytes, &expect).map_err(|e| e.message().to_owned())?;
            Ok(word(settings.locale, report, expected, trust.kind))
        });
    match result {
        Ok(checked) => {
            let json = serde_json::to_string_pretty(&checked).unwrap_or_default();
            let _ = writeln!(out, "{json}");
            i32::from(checked.verdict == Verdict::Invalid)
        }
        Err(e) => {
            let _ = writeln!(err, "firmadesk verify: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iosign_sandbox::pades::{Citizen, Options, TestQtsp, Variant};
    use iosign_sandbox::pdf::{stamp_signed_with, FieldSpec, Sealer};

    const CF: &str = "RSSMRA80A01H501U";

    fn signed(q: &TestQtsp, variant: Variant) -> Vec<u8> {
        let sealer = Sealer {
            qtsp: q,
            citizen: Citizen::from_fiscal_code(CF),
            options: Options { variant, at: None },
        };
        let field = FieldSpec::ToBeCreated {
            clause_title: "Firma".into(),
            page: 0.0,
            x: 100.0,
            y: 700.0,
            w: 200.0,
            h: 50.0,
        };
        stamp_signed_with(
            &firmadesk_testkit::pdf::contract(),
            &[field],
            CF,
            "25/11/2026",
            Some(&sealer),
        )
        .unwrap()
    }

    #[test]
    fn every_code_and_verdict_has_its_words_in_both_languages() {
        for code in firmadesk_verify::Code::ALL {
            let id = format!("verify-{}", code.as_str());
            assert!(i18n::has(Locale::It, &id) && i18n::has(Locale::En, &id), "{id}");
        }
        for v in [Verdict::Valid, Verdict::ValidWithWarnings, Verdict::Invalid] {
            assert_ne!(verdict_text(Locale::It, v), verdict_text(Locale::En, v));
        }
        assert_eq!(verdict_text(Locale::It, Verdict::Valid), "Firma valida");
        assert_eq!(
            verdict_text(Locale::It, Verdict::ValidWithWarnings),
            "Firma valida, avvisi"
        );
        assert_eq!(verdict_text(Locale::It, Verdict::Invalid), "Firma non valida");
    }

    #[tokio::test]
    async fn in_modalita_prova_the_sandbox_signature_is_valid_and_names_the_signer() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::for_tests(dir.path(), std::sync::Arc::new(firmadesk_auth::SystemClock));
        let (sandbox, _) = desk.sandbox.ensure_started().await.unwrap();
        let q = TestQtsp::from_secret(b"unused");
        assert_ne!(
            q.root_certificate_der(),
            &sandbox.handle.test_root_certificate_der()[..]
        );
        // The sandbox's own signatures: its qtsp's root is the anchor trust_for gives.
        let trust = trust_for(&desk, SANDBOX_PROFILE);
        assert_eq!(trust.kind, TrustKind::Sandbox);
        assert_eq!(trust.anchors, vec![sandbox.handle.test_root_certificate_der()]);
        assert_eq!(trust_for(&desk, "comune").kind, TrustKind::NotChecked, "never mixed");

        // A PDF signed by another authority than this sandbox's is untrusted in Modalità prova...
        let other = verify_pdf(&desk, signed(&q, Variant::Genuine), Some(CF.to_lowercase()))
            .await
            .unwrap();
        assert_eq!(other.verdict, Verdict::Invalid);
        assert_eq!(other.verdict_text, "Firma non valida");
        assert!(other
            .reasons
            .iter()
            .any(|r| r.code == firmadesk_verify::Code::UntrustedIssuer));
        assert_eq!(
            other.expected_fiscal_code.as_deref(),
            Some(CF),
            "the typed code is normalised"
        );
        // ...and only not checked on a body's own profile.
        desk.settings.lock().unwrap().active_profile = Some("comune".into());
        let own = verify_pdf(&desk, signed(&q, Variant::Genuine), Some(CF.into()))
            .await
            .unwrap();
        assert_eq!(own.verdict, Verdict::ValidWithWarnings, "{:?}", own.reasons);
        assert_eq!(own.trust, TrustKind::NotChecked);
        assert_eq!(own.verdict_text, "Firma valida, avvisi");
        let [reason] = &own.reasons[..] else {
            panic!("{:?}", own.reasons)
        };
        assert_eq!(reason.code, firmadesk_verify::Code::TrustNotChecked);
        assert!(reason.text.contains("non è stata controllata"), "{}", reason.text);
        assert_eq!(own.signer.as_deref(), Some(CF));
        assert_eq!(own.fiscal_code.as_deref(), Some(CF));
        assert!(own.timestamped && own.signing_time.is_some());

        // Issue #14: once the EU trusted lists are read, a body's profile trusts what they granted, and says
        // so; Modalità prova still trusts its sandbox only.
        let since_2016 = time::Date::from_calendar_date(2016, time::Month::July, 1)
            .unwrap()
            .midnight()
            .assume_utc();
        desk.trusted_lists
            .anchors
            .set(vec![firmadesk_verify::trusted_list::ListedAnchor {
                certificate: q.root_certificate_der().to_vec(),
                granted: vec![firmadesk_verify::trusted_list::Period {
                    from: since_2016,
                    until: None,
                }],
            }]);
        assert_eq!(
            trust_for(&desk, SANDBOX_PROFILE).kind,
            TrustKind::Sandbox,
            "never mixed"
        );
        let listed = verify_pdf(&desk, signed(&q, Variant::Genuine), Some(CF.into()))
            .await
            .unwrap();
        assert_eq!(listed.verdict, Verdict::Valid, "{:?}", listed.reasons);
        assert_eq!(listed.trust, TrustKind::TrustedLists);
        let lists = listed
            .trusted_lists
            .as_ref()
            .expect("a body's profile says which lists");
        assert!(lists.in_use);
        assert!(own.trusted_lists.as_ref().is_some_and(|l| !l.in_use), "none before");
        // A kept report says which trust it was made with.
        assert_eq!(trust_kind_of("comune", &listed.report), TrustKind::TrustedLists);
        assert_eq!(trust_kind_of("comune", &own.report), TrustKind::NotChecked);
        assert_eq!(trust_kind_of(SANDBOX_PROFILE, &listed.report), TrustKind::Sandbox);
    }

    #[tokio::test]
    async fn another_fiscal_code_is_worded_with_both_codes_in_the_clerk_s_language() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::for_tests(dir.path(), std::sync::Arc::new(firmadesk_auth::SystemClock));
        desk.settings.lock().unwrap().active_profile = Some("comune".into());
        let q = TestQtsp::from_secret(b"other");
        let pdf = signed(&q, Variant::OtherFiscalCode("VRDLGU75B02F205X".into()));
        let it = verify_pdf(&desk, pdf.clone(), Some(CF.into())).await.unwrap();
        assert_eq!(it.verdict_text, "Firma non valida");
        let mismatch = &it.reasons[0];
        assert_eq!(
            mismatch.code,
            firmadesk_verify::Code::FiscalCodeMismatch,
            "errors come first"
        );
        assert!(
            mismatch.text.contains("VRDLGU75B02F205X") && mismatch.text.contains(CF),
            "{}",
            mismatch.text
        );
        desk.settings.lock().unwrap().locale = Locale::En;
        let en = verify_pdf(&desk, pdf, Some(CF.into())).await.unwrap();
        assert_eq!(en.verdict_text, "Signature not valid");
        assert_ne!(en.reasons[0].text, mismatch.text);
    }

    #[tokio::test]
    async fn what_is_not_a_pdf_or_a_bad_fiscal_code_is_refused_with_its_code() {
        let dir = tempfile::tempdir().unwrap();
        let desk = Desk::for_tests(dir.path(), std::sync::Arc::new(firmadesk_auth::SystemClock));
        let e = verify_pdf(&desk, b"PK\x03\x04 a zip".to_vec(), None).await.unwrap_err();
        assert_eq!(e.code, Code::PdfNotPdf);
        let e = verify_pdf(
            &desk,
            firmadesk_testkit::pdf::contract(),
            Some("RSSMRA80A01H501X".into()),
        )
        .await
        .unwrap_err();
        assert_eq!(e.code, Code::RequestInvalidFiscalCode);
        // An unsigned PDF is a report, not an error: "Firma non valida", no signature.
        let r = verify_pdf(&desk, firmadesk_testkit::pdf::contract(), Some("  ".into()))
            .await
            .unwrap();
        assert_eq!(r.verdict, Verdict::Invalid);
        assert_eq!(r.report.codes(), ["no_signature"]);
        assert_eq!(r.expected_fiscal_code, None);
    }

    fn cli(args: &[&str], data_dir: &std::path::Path) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = cli_on(&args, Some(data_dir.to_path_buf()), &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[tokio::test]
    async fn the_cli_prints_json_and_exits_by_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        // A sandbox that ran in this data folder: its root is trusted in Modalità prova (the default).
        let root = {
            let desk = Desk::for_tests(&data, std::sync::Arc::new(firmadesk_auth::SystemClock));
            let (sandbox, _) = desk.sandbox.ensure_started().await.unwrap();
            sandbox.handle.test_root_certificate_der()
        };
        assert_eq!(
            iosign_sandbox::test_root_certificate_in(&data.join("sandbox")).as_deref(),
            Some(&root[..]),
            "the root is read from the state without starting the sandbox"
        );
        // The sandbox signs with the authority its state's secret derives.
        let state: serde_json::Value =
            serde_json::from_slice(&std::fs::read(data.join("sandbox").join("state.json")).unwrap()).unwrap();
        let sandbox_q = TestQtsp::from_secret(state["secret"].as_str().unwrap().as_bytes());
        assert_eq!(sandbox_q.root_certificate_der(), &root[..]);
        let write = |name: &str, pdf: Vec<u8>| {
            let file = dir.path().join(name);
            std::fs::write(&file, pdf).unwrap();
            file.to_str().unwrap().to_owned()
        };
        let genuine = write("firmato.pdf", signed(&sandbox_q, Variant::Genuine));
        let foreign = write("altro.pdf", signed(&TestQtsp::from_secret(b"cli"), Variant::Genuine));

        let (code, out, err) = cli(&[&genuine, "--fiscal-code", CF], &data);
        assert_eq!(code, 0, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["verdict"], "valid", "{out}");
        assert_eq!(json["verdict_text"], "Firma valida");
        assert_eq!(json["trust"], "sandbox");
        assert_eq!(json["fiscal_code"], CF);
        assert_eq!(json["reasons"], serde_json::json!([]));

        // Another authority than the sandbox's: invalid in Modalità prova, exit 1.
        let (code, out, err) = cli(&[&foreign, "--fiscal-code", CF], &data);
        assert_eq!(code, 1, "{err}");
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["verdict"], "invalid");
        let codes: Vec<&str> = json["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"untrusted_issuer"), "{codes:?}");

        // On a body's profile: trust not checked, valid with warnings, exit 0.
        let mut settings = crate::settings::load(&data).unwrap_or_default();
        settings.active_profile = Some("comune".into());
        crate::settings::save(&data, &settings).unwrap();
        let (code, out, _) = cli(&[&foreign, &format!("--fiscal-code={CF}")], &data);
        assert_eq!(code, 0);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["verdict"], "valid_with_warnings");
        assert_eq!(json["trust"], "not_checked");
        assert_eq!(json["report"]["signatures"][0]["fiscal_code"], CF);
        let path = genuine.as_str();

        // Usage: no file, an unknown option, a file that is not there, a bad fiscal code.
        assert_eq!(cli(&[], &data).0, 2);
        assert_eq!(cli(&[path, "--nope"], &data).0, 2);
        assert_eq!(cli(&[path, "--fiscal-code"], &data).0, 2);
        assert_eq!(cli(&["/nonexistent/x.pdf"], &data).0, 2);
        let (code, out, err) = cli(&[path, "--fiscal-code", "NOTACODE"], &data);
        assert_eq!((code, out.as_str()), (2, ""));
        assert!(err.contains("codice fiscale"), "{err}");
    }
}
