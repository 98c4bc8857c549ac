//! EU trusted lists (ETSI TS 119 612, issue #14): where the trust in a qualified signature comes from in
//! production. The European Commission publishes the list of the lists (LOTL), signed by one of the
//! certificates the Official Journal names (pinned in FirmaDesk, [`eu_lotl_signers`]); it points at each
//! member state's list and names the certificates allowed to sign it; a member state's list names its
//! qualified trust service providers' services (certificate authorities issuing qualified certificates,
//! qualified timestamping), each with its certificates and the history of its status.
//!
//! [`read`] checks a list's enveloped XML signature (XMLDSig, exclusive canonicalisation, with the kept
//! `bergshamra` crates; only the given certificates are tried, never one the document carries) and that it
//! covers the whole list, then reads it. [`anchors`] turns a member state's list into the trust anchors and
//! the periods in which each was qualified ("granted"), which [`crate::Expect`] takes. Fetching, caching and
//! refreshing are the desk's (`firmadesk-desk`, `trust.rs`): this module does no I/O.

use base64::Engine as _;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How the LOTL names the Official Journal notice that published [`eu_lotl_signers`] (part of its address).
pub const EU_LOTL_NOTICE: &str = "C_202601944";
/// Where the European Commission publishes the LOTL.
pub const EU_LOTL_URL: &str = "https://ec.europa.eu/tools/lotl/eu-lotl.xml";
/// The namespace of TS 119 612 (versions 5 and 6 of the lists).
pub const NS: &str = "http://uri.etsi.org/02231/v2#";
/// The namespace of the pointers' additional information (`MimeType`).
const NS_ADDITIONAL: &str = "http://uri.etsi.org/02231/v2/additionaltypes#";
/// A certificate authority issuing qualified certificates.
pub const CA_QC: &str = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC";
/// A qualified timestamping authority.
pub const TSA_QTST: &str = "http://uri.etsi.org/TrstSvc/Svctype/TSA/QTST";
/// The status of a qualified service under supervision.
pub const GRANTED: &str = "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted";
/// The statuses lists used before July 2016 for what is now "granted".
const GRANTED_BEFORE_2016: [&str; 3] = [
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/accredited",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/supervisionincessation",
];
/// The MIME type of a pointer to a list in XML (the other is its PDF rendering).
const XML_LIST: &str = "application/vnd.etsi.tsl+xml";
/// The largest list read (the biggest national lists are a few megabytes).
pub const MAX_LIST_BYTES: usize = 32 * 1024 * 1024;

/// The certificates allowed to sign the LOTL, as the Official Journal of the EU published them
/// (`pins/eu-lotl-signers.pem`: OJ C/2026/1944).
pub fn eu_lotl_signers() -> Vec<Vec<u8>> {
    certificates_in_pem(include_str!("../pins/eu-lotl-signers.pem"))
}

/// The DER certificates of a PEM text (comments between them are skipped).
pub fn certificates_in_pem(pem: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = pem;
    while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
        let body = &rest[start + "-----BEGIN CERTIFICATE-----".len()..];
        let Some(end) = body.find("-----END CERTIFICATE-----") else {
            break;
        };
        let b64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
        if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b64) {
            out.push(der);
        }
        rest = &body[end..];
    }
    out
}

/// Why a list was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListError {
    /// Not a readable XML trusted list (or over [`MAX_LIST_BYTES`]).
    Malformed(String),
    /// Its signature does not verify with any of the certificates allowed to sign it (or it has none).
    Signature(String),
    /// The signature verifies but does not cover the whole list.
    NotCovered,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(e) => write!(f, "not a readable trusted list: {e}"),
            Self::Signature(e) => write!(f, "the list's signature is not valid: {e}"),
            Self::NotCovered => f.write_str("the list's signature does not cover the whole list"),
        }
    }
}

impl std::error::Error for ListError {}

/// A trusted list whose signature was checked.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedList {
    /// `EU` for the LOTL, else the member state (`IT`).
    pub territory: String,
    /// Its sequence number (grows with each issue).
    pub sequence: u64,
    /// When it was issued.
    pub issued: OffsetDateTime,
    /// When the next issue is due at the latest (`None`: the list is closed).
    pub next_update: Option<OffsetDateTime>,
    /// The lists it points at, in XML (the LOTL's; its pointer to itself, territory `EU`, names who may sign
    /// the next LOTL).
    pub pointers: Vec<Pointer>,
    /// Its `SchemeInformationURI`s, in order (the LOTL's: the pivot LOTLs, then the Official Journal notice).
    pub scheme_uris: Vec<String>,
    /// The services it lists (a member state's).
    pub services: Vec<Service>,
    /// The certificate (DER) that signed it: one of those given to [`read`].
    pub signer: Vec<u8>,
}

/// A pointer of the LOTL to a member state's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    /// The member state (`IT`), or `EU` for the LOTL itself.
    pub territory: String,
    /// Where the list is published.
    pub location: String,
    /// The certificates (DER) allowed to sign it.
    pub signers: Vec<Vec<u8>>,
}

/// What kind of service a list names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceKind {
    /// Issues qualified certificates ([`CA_QC`]).
    QualifiedCertificates,
    /// Qualified timestamps ([`TSA_QTST`]).
    QualifiedTimestamps,
    /// Anything else (its type URI).
    Other(String),
}

/// A period in which a service was qualified (granted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// From.
    pub from: OffsetDateTime,
    /// Until (excluded); `None`: still.
    pub until: Option<OffsetDateTime>,
}

/// A trust service of a member state's list.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// The provider's name.
    pub provider: String,
    /// The service's name.
    pub name: String,
    /// Its kind.
    pub kind: ServiceKind,
    /// Its certificates (DER).
    pub certificates: Vec<Vec<u8>>,
    /// When it was granted, from its current status and its history.
    pub granted: Vec<Period>,
}

/// Checks `xml`'s signature with `signers` (the pinned LOTL signers, or those the LOTL names for a member
/// state's list) and that it covers the whole list, then reads it.
pub fn read(xml: &[u8], signers: &[Vec<u8>]) -> Result<TrustedList, ListError> {
    if xml.len() > MAX_LIST_BYTES {
        return Err(ListError::Malformed(format!("{} bytes", xml.len())));
    }
    let text = std::str::from_utf8(xml).map_err(|e| ListError::Malformed(e.to_string()))?;
    let doc = roxmltree::Document::parse(text).map_err(|e| ListError::Malformed(e.to_string()))?;
    let root = doc.root_element();
    let signer = check_signature(text, signers, root.attribute("Id"))?;
    if !is(root, "TrustServiceStatusList") {
        return Err(ListError::Malformed(format!(
            "the root is {}, not TrustServiceStatusList",
            root.tag_name().name()
        )));
    }
    let scheme = child(root, "SchemeInformation").ok_or_else(|| ListError::Malformed("no SchemeInformation".into()))?;
    let territory = text_of(child(scheme, "SchemeTerritory")).unwrap_or_default();
    let sequence = text_of(child(scheme, "TSLSequenceNumber"))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ListError::Malformed("no TSLSequenceNumber".into()))?;
    let issued = text_of(child(scheme, "ListIssueDateTime"))
        .and_then(|s| parse_time(&s))
        .ok_or_else(|| ListError::Malformed("no ListIssueDateTime".into()))?;
    let next_update = child(scheme, "NextUpdate")
        .and_then(|n| text_of(child(n, "dateTime")))
        .and_then(|s| parse_time(&s));
    let scheme_uris = uris_of(scheme);
    let pointers = child(scheme, "PointersToOtherTSL")
        .map(|p| children(p, "OtherTSLPointer").filter_map(pointer).collect())
        .unwrap_or_default();
    let services = child(root, "TrustServiceProviderList")
        .map(|list| {
            children(list, "TrustServiceProvider")
                .flat_map(|tsp| {
                    let provider = child(tsp, "TSPInformation")
                        .and_then(|i| child(i, "TSPName"))
                        .and_then(|n| text_of(child(n, "Name")))
                        .unwrap_or_default();
                    child(tsp, "TSPServices")
                        .into_iter()
                        .flat_map(|s| children(s, "TSPService"))
                        .filter_map(move |s| service(s, &provider))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(TrustedList {
        territory,
        sequence,
        issued,
        next_update,
        pointers,
        scheme_uris,
        services,
        signer,
    })
}

/// The `SchemeInformationURI`s of a `SchemeInformation`.
fn uris_of(scheme: roxmltree::Node<'_, '_>) -> Vec<String> {
    child(scheme, "SchemeInformationURI")
        .into_iter()
        .flat_map(|u| children(u, "URI"))
        .filter_map(|u| text_of(Some(u)))
        .collect()
}

/// The `SchemeInformationURI`s of a list whose signature is not checked yet: only to find the pivot LOTLs to
/// download (nothing read here is trusted; each pivot is then checked with the signers known so far).
pub fn unchecked_scheme_uris(xml: &[u8]) -> Vec<String> {
    let Ok(text) = std::str::from_utf8(xml) else {
        return Vec::new();
    };
    let Ok(doc) = roxmltree::Document::parse(text) else {
        return Vec::new();
    };
    child(doc.root_element(), "SchemeInformation")
        .map(uris_of)
        .unwrap_or_default()
}

/// The certificate of `signers` that the list's signature verifies with, once it is known the signature
/// covers the whole document (the reference `""`, or the root's `root_id`).
fn check_signature(text: &str, signers: &[Vec<u8>], root_id: Option<&str>) -> Result<Vec<u8>, ListError> {
    use bergshamra_dsig::{context::DsigContext, verify, VerifyResult};
    let mut keys = bergshamra_keys::KeysManager::new();
    for der in signers {
        if let Ok(key) = bergshamra_keys::loader::load_x509_cert_der(der) {
            keys.add_key(key);
        }
    }
    if keys.is_empty() {
        return Err(ListError::Signature("no certificate may sign it".into()));
    }
    // Only the keys given are tried (never one the document carries). Where a signed reference points is
    // checked below; the XAdES properties a list's signature also signs sit inside the signature, which the
    // library's strict placement rule (written for SAML) refuses.
    let mut ctx = DsigContext::new_permissive(keys);
    ctx.trusted_keys_only = true;
    ctx.skip_time_checks = true;
    match verify::verify(&ctx, text) {
        Ok(result @ VerifyResult::Valid { .. }) => {
            if !result.all_reference_digests_verified() {
                return Err(ListError::Signature("a reference was not verified".into()));
            }
            let VerifyResult::Valid {
                references, key_info, ..
            } = result
            else {
                unreachable!("matched as valid");
            };
            // The whole list: a reference to the document (URI "") or to its root by id.
            let whole = references
                .iter()
                .any(|r| r.uri.is_empty() || root_id.is_some_and(|id| r.uri.strip_prefix('#') == Some(id)));
            if !whole {
                return Err(ListError::NotCovered);
            }
            let signer = key_info
                .x509_chain
                .first()
                .cloned()
                .or_else(|| signers.first().filter(|_| signers.len() == 1).cloned())
                .unwrap_or_default();
            Ok(signer)
        }
        Ok(VerifyResult::Invalid { reason }) => Err(ListError::Signature(reason)),
        Err(e) => Err(ListError::Signature(e.to_string())),
    }
}

fn pointer(p: roxmltree::Node<'_, '_>) -> Option<Pointer> {
    let location = text_of(child(p, "TSLLocation"))?;
    let mut territory = None;
    let mut mime = None;
    if let Some(info) = child(p, "AdditionalInformation") {
        for other in children(info, "OtherInformation") {
            for n in other.children().filter(roxmltree::Node::is_element) {
                match n.tag_name().name() {
                    "SchemeTerritory" => territory = text_of(Some(n)),
                    "MimeType" if n.tag_name().namespace() == Some(NS_ADDITIONAL) => mime = text_of(Some(n)),
                    _ => {}
                }
            }
        }
    }
    if mime.as_deref().is_some_and(|m| m != XML_LIST) {
        return None;
    }
    let signers = child(p, "ServiceDigitalIdentities")
        .into_iter()
        .flat_map(|ids| children(ids, "ServiceDigitalIdentity"))
        .flat_map(certificates_of)
        .collect();
    Some(Pointer {
        territory: territory?,
        location,
        signers,
    })
}

fn service(s: roxmltree::Node<'_, '_>, provider: &str) -> Option<Service> {
    let info = child(s, "ServiceInformation")?;
    let kind = match text_of(child(info, "ServiceTypeIdentifier"))?.as_str() {
        CA_QC => ServiceKind::QualifiedCertificates,
        TSA_QTST => ServiceKind::QualifiedTimestamps,
        other => ServiceKind::Other(other.to_owned()),
    };
    let name = child(info, "ServiceName")
        .and_then(|n| text_of(child(n, "Name")))
        .unwrap_or_default();
    let certificates = child(info, "ServiceDigitalIdentity")
        .map(certificates_of)
        .unwrap_or_default();
    // The current status, then the history, newest first: each status holds until the newer one starts.
    let mut statuses: Vec<(String, OffsetDateTime)> = Vec::new();
    let status_of = |n: roxmltree::Node<'_, '_>| {
        Some((
            text_of(child(n, "ServiceStatus"))?,
            parse_time(&text_of(child(n, "StatusStartingTime"))?)?,
        ))
    };
    statuses.extend(status_of(info));
    if let Some(history) = child(s, "ServiceHistory") {
        statuses.extend(children(history, "ServiceHistoryInstance").filter_map(status_of));
    }
    statuses.sort_by_key(|s| std::cmp::Reverse(s.1));
    let mut granted = Vec::new();
    let mut until = None;
    for (status, from) in statuses {
        if status == GRANTED || GRANTED_BEFORE_2016.contains(&status.as_str()) {
            granted.push(Period { from, until });
        }
        until = Some(from);
    }
    Some(Service {
        provider: provider.to_owned(),
        name,
        kind,
        certificates,
        granted,
    })
}

/// The X.509 certificates of a `ServiceDigitalIdentity` (its `DigitalId/X509Certificate`s).
fn certificates_of(identity: roxmltree::Node<'_, '_>) -> Vec<Vec<u8>> {
    children(identity, "DigitalId")
        .filter_map(|id| text_of(child(id, "X509Certificate")))
        .filter_map(|b64| {
            let clean: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD.decode(clean).ok()
        })
        .collect()
}

/// A trust anchor from a trusted list: a qualified service's certificate and when it was granted.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedAnchor {
    /// The certificate (DER).
    pub certificate: Vec<u8>,
    /// When the service was granted.
    pub granted: Vec<Period>,
}

/// The trust anchors of member states' lists: every certificate of a service that issues qualified
/// certificates or qualified timestamps and was granted at some time.
pub fn anchors(lists: &[TrustedList]) -> Vec<ListedAnchor> {
    lists
        .iter()
        .flat_map(|l| &l.services)
        .filter(|s| {
            matches!(
                s.kind,
                ServiceKind::QualifiedCertificates | ServiceKind::QualifiedTimestamps
            ) && !s.granted.is_empty()
        })
        .flat_map(|s| {
            s.certificates.iter().map(|c| ListedAnchor {
                certificate: c.clone(),
                granted: s.granted.clone(),
            })
        })
        .collect()
}

fn is(n: roxmltree::Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(NS)
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| is(*c, name))
}

fn children<'a, 'i: 'a>(
    n: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    n.children().filter(move |c| is(*c, name))
}

fn text_of(n: Option<roxmltree::Node<'_, '_>>) -> Option<String> {
    let t = n?.text()?.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

/// The anchors of the trusted lists as last read, shared between whoever keeps the lists current (the desk)
/// and whoever verifies (the engine): empty until a list was read, or when the lists are out of date.
#[derive(Clone, Debug, Default)]
pub struct SharedAnchors(std::sync::Arc<std::sync::RwLock<Vec<ListedAnchor>>>);

impl SharedAnchors {
    /// Replaces the anchors.
    pub fn set(&self, anchors: Vec<ListedAnchor>) {
        *self.0.write().unwrap_or_else(std::sync::PoisonError::into_inner) = anchors;
    }

    /// The anchors now.
    pub fn get(&self) -> Vec<ListedAnchor> {
        self.0.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}
