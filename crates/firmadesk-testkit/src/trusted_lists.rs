//! EU trusted lists as tests need them (issue #14): a LOTL and a member state's list in the ETSI TS 119 612
//! layout, each signed as the real ones are — an enveloped XML signature over the whole list (exclusive
//! canonicalisation) plus a reference to XAdES signed properties inside the signature — by a test list
//! signer made with rcgen, signed with the kept `bergshamra` crates. Nothing here is used by the app.

use base64::Engine as _;

/// A test signer of lists: an ECDSA P-256 key and its self-signed certificate.
pub struct ListSigner {
    key_pem: String,
    /// The certificate (DER): what a verifier pins.
    pub certificate: Vec<u8>,
}

impl ListSigner {
    /// A new signer named `name`.
    pub fn generate(name: &str) -> Self {
        let key = rcgen::KeyPair::generate().expect("a key");
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("parameters");
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("a certificate");
        Self {
            key_pem: key.serialize_pem(),
            certificate: cert.der().to_vec(),
        }
    }
}

/// A service of a member state's test list.
pub struct TestService {
    /// The service type URI (CA/QC, TSA/QTST...).
    pub kind: &'static str,
    /// Its certificate (DER).
    pub certificate: Vec<u8>,
    /// Its current status URI and since when (RFC 3339).
    pub status: (&'static str, String),
    /// Older statuses, newest first: (status URI, since).
    pub history: Vec<(&'static str, String)>,
}

const NS: &str = "http://uri.etsi.org/02231/v2#";

fn b64(der: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(der)
}

/// The `SchemeInformation` opening every list.
fn scheme(territory: &str, sequence: u64, issued: &str, next_update: &str, kind: &str, extra: &str) -> String {
    format!(
        r#"<SchemeInformation><TSLVersionIdentifier>6</TSLVersionIdentifier><TSLSequenceNumber>{sequence}</TSLSequenceNumber><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/{kind}</TSLType><SchemeOperatorName><Name xml:lang="en">Test operator {territory}</Name></SchemeOperatorName><SchemeTerritory>{territory}</SchemeTerritory>{extra}<ListIssueDateTime>{issued}</ListIssueDateTime><NextUpdate><dateTime>{next_update}</dateTime></NextUpdate></SchemeInformation>"#
    )
}

/// A LOTL pointing at one member state's list, at `location`, signed by `list_signers`.
pub fn lotl(
    signer: &ListSigner,
    territory: &str,
    location: &str,
    list_signers: &[&ListSigner],
    next_update: &str,
) -> String {
    lotl_with(&TestLotl {
        signer,
        sequence: 388,
        pointers: vec![(territory.to_owned(), location.to_owned(), list_signers.to_vec())],
        scheme_uris: Vec::new(),
        next_update: next_update.to_owned(),
    })
}

/// A LOTL as a test needs it.
pub struct TestLotl<'a> {
    /// Who signs it.
    pub signer: &'a ListSigner,
    /// Its sequence number.
    pub sequence: u64,
    /// (territory, location, who may sign that list): `EU` for the LOTL's pointer to itself (who may sign the
    /// next LOTL).
    pub pointers: Vec<(String, String, Vec<&'a ListSigner>)>,
    /// Its `SchemeInformationURI`s: pivot LOTLs (newest first), then the Official Journal notice.
    pub scheme_uris: Vec<String>,
    /// Its next update (RFC 3339).
    pub next_update: String,
}

/// `lotl`, signed.
pub fn lotl_with(l: &TestLotl<'_>) -> String {
    let pointer = |territory: &str, mime: &str, loc: &str, signers: &[&ListSigner]| {
        let ids: String = signers
            .iter()
            .map(|s| {
                format!(
                    "<ServiceDigitalIdentity><DigitalId><X509Certificate>{}</X509Certificate></DigitalId></ServiceDigitalIdentity>",
                    b64(&s.certificate)
                )
            })
            .collect();
        format!(
            r#"<OtherTSLPointer><ServiceDigitalIdentities>{ids}</ServiceDigitalIdentities><TSLLocation>{loc}</TSLLocation><AdditionalInformation><OtherInformation><SchemeTerritory>{territory}</SchemeTerritory></OtherInformation><OtherInformation><tslx:MimeType xmlns:tslx="http://uri.etsi.org/02231/v2/additionaltypes#">{mime}</tslx:MimeType></OtherInformation></AdditionalInformation></OtherTSLPointer>"#
        )
    };
    let pointers: String = l
        .pointers
        .iter()
        .map(|(territory, location, signers)| {
            pointer(territory, "application/pdf", &format!("{location}.pdf"), signers)
                + &pointer(territory, "application/vnd.etsi.tsl+xml", location, signers)
        })
        .collect();
    let uris: String = l
        .scheme_uris
        .iter()
        .map(|u| format!("<URI xml:lang=\"en\">{u}</URI>"))
        .collect();
    let extra = format!(
        "<SchemeInformationURI>{uris}</SchemeInformationURI><PointersToOtherTSL>{pointers}</PointersToOtherTSL>"
    );
    let body = scheme(
        "EU",
        l.sequence,
        "2026-11-20T00:00:00Z",
        &l.next_update,
        "EUlistofthelists",
        &extra,
    );
    sign(l.signer, &body)
}

/// A member state's list of `services` (one provider), signed by `signer`.
pub fn national(
    signer: &ListSigner,
    territory: &str,
    sequence: u64,
    services: &[TestService],
    next_update: &str,
) -> String {
    let identity = |der: &[u8]| {
        format!(
            "<ServiceDigitalIdentity><DigitalId><X509Certificate>{}</X509Certificate></DigitalId></ServiceDigitalIdentity>",
            b64(der)
        )
    };
    let services: String = services
        .iter()
        .map(|s| {
            let history: String = s
                .history
                .iter()
                .map(|(status, since)| {
                    format!(
                        "<ServiceHistoryInstance><ServiceTypeIdentifier>{}</ServiceTypeIdentifier><ServiceName><Name xml:lang=\"en\">Test service</Name></ServiceName>{}<ServiceStatus>{status}</ServiceStatus><StatusStartingTime>{since}</StatusStartingTime></ServiceHistoryInstance>",
                        s.kind,
                        identity(&s.certificate)
                    )
                })
                .collect();
            let history = if history.is_empty() {
                String::new()
            } else {
                format!("<ServiceHistory>{history}</ServiceHistory>")
            };
            format!(
                "<TSPService><ServiceInformation><ServiceTypeIdentifier>{}</ServiceTypeIdentifier><ServiceName><Name xml:lang=\"en\">Test service</Name></ServiceName>{}<ServiceStatus>{}</ServiceStatus><StatusStartingTime>{}</StatusStartingTime></ServiceInformation>{history}</TSPService>",
                s.kind,
                identity(&s.certificate),
                s.status.0,
                s.status.1
            )
        })
        .collect();
    let body = format!(
        "{}<TrustServiceProviderList><TrustServiceProvider><TSPInformation><TSPName><Name xml:lang=\"en\">Test provider</Name></TSPName></TSPInformation><TSPServices>{services}</TSPServices></TrustServiceProvider></TrustServiceProviderList>",
        scheme(territory, sequence, "2026-11-20T00:00:00Z", next_update, "EUgeneric", "")
    );
    sign(signer, &body)
}

/// `body` in a `TrustServiceStatusList` with an enveloped signature by `signer`: a reference to the whole list
/// and one to XAdES signed properties inside the signature, as the EU's lists carry.
fn sign(signer: &ListSigner, body: &str) -> String {
    use bergshamra_dsig::{context::DsigContext, sign};
    let c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
    let template = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="{NS}" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" Id="tsl" TSLTag="http://uri.etsi.org/19612/TSLTag">{body}<ds:Signature Id="sig"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="{c14n}"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"/><ds:Reference Id="ref-tsl" URI=""><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><ds:Transform Algorithm="{c14n}"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference><ds:Reference Type="http://uri.etsi.org/01903#SignedProperties" URI="#xades-props"><ds:Transforms><ds:Transform Algorithm="{c14n}"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue></ds:SignatureValue><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{}</ds:X509Certificate></ds:X509Data></ds:KeyInfo><ds:Object><xades:QualifyingProperties xmlns:xades="http://uri.etsi.org/01903/v1.3.2#" Target="#sig"><xades:SignedProperties Id="xades-props"><xades:SignedSignatureProperties><xades:SigningTime>2026-11-20T00:00:00Z</xades:SigningTime></xades:SignedSignatureProperties></xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature></TrustServiceStatusList>"##,
        b64(&signer.certificate)
    );
    let mut keys = bergshamra_keys::KeysManager::new();
    keys.add_key(bergshamra_keys::loader::load_pem_auto(signer.key_pem.as_bytes(), None).expect("the signer's key"));
    let ctx = DsigContext::new_permissive(keys);
    sign::sign(&ctx, &template).expect("sign the list")
}
