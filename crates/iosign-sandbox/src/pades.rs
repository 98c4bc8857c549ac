//! A real, verifiable PAdES (ETSI.CAdES.detached) signature made with a sandbox test "QTSP": a
//! self-signed P-256 certificate derived from the sandbox secret. Viewers show it as a valid
//! signature by an untrusted certificate, which is exactly what a test signature should look like.
//! It is no qualified signature and the certificate says so.

use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Bytes reserved in `/Contents` for the CMS (hex doubles it in the file).
pub const CONTENTS_LEN: usize = 8192;
/// Placeholder of every `/ByteRange` number before the real offsets are patched in.
pub const BYTE_RANGE_PLACEHOLDER: i64 = 9_999_999_999;

// ---- minimal DER encoder --------------------------------------------------------------------

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().iter().copied().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &cat(parts))
}

fn set(parts: &[&[u8]]) -> Vec<u8> {
    // DER: SET OF elements sorted by their encoding.
    let mut v: Vec<&[u8]> = parts.to_vec();
    v.sort();
    tlv(0x31, &v.concat())
}

fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &a in &arcs[2..] {
        let mut stack = vec![(a & 0x7f) as u8];
        let mut rest = a >> 7;
        while rest > 0 {
            stack.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        stack.reverse();
        body.extend(stack);
    }
    tlv(0x06, &body)
}

fn uint(bytes: &[u8]) -> Vec<u8> {
    let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut v = if trimmed.is_empty() { vec![0] } else { trimmed };
    if v[0] & 0x80 != 0 {
        v.insert(0, 0);
    }
    tlv(0x02, &v)
}

fn utc_time(t: OffsetDateTime) -> Vec<u8> {
    let s = format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}Z",
        t.year() % 100,
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    tlv(0x17, s.as_bytes())
}

fn octets(b: &[u8]) -> Vec<u8> {
    tlv(0x04, b)
}

fn bits(b: &[u8]) -> Vec<u8> {
    let mut v = vec![0];
    v.extend_from_slice(b);
    tlv(0x03, &v)
}

fn explicit(n: u8, content: &[u8]) -> Vec<u8> {
    tlv(0xA0 | n, content)
}

const SHA256: &[u64] = &[2, 16, 840, 1, 101, 3, 4, 2, 1];
const ECDSA_SHA256: &[u64] = &[1, 2, 840, 10045, 4, 3, 2];
const DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 1];
const SIGNED_DATA: &[u64] = &[1, 2, 840, 113549, 1, 7, 2];

fn name(cn: &str) -> Vec<u8> {
    let rdn = |arcs: &[u64], value: Vec<u8>| set(&[&seq(&[&oid(arcs), &value])]);
    seq(&[
        &rdn(&[2, 5, 4, 6], tlv(0x13, b"IT")),
        &rdn(&[2, 5, 4, 10], tlv(0x0c, b"FirmaDesk sandbox (not a QTSP)")),
        &rdn(&[2, 5, 4, 3], tlv(0x0c, cn.as_bytes())),
    ])
}

/// The sandbox's signing identity.
#[derive(Clone)]
pub struct TestQtsp {
    key: SigningKey,
    issuer: Vec<u8>,
    serial: Vec<u8>,
    cert: Vec<u8>,
}

impl std::fmt::Debug for TestQtsp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestQtsp { key: <redacted> }")
    }
}

impl TestQtsp {
    /// Derives the key and the self-signed certificate from `secret` (stable for a state dir).
    pub fn from_secret(secret: &[u8]) -> Self {
        let mut counter = 0u32;
        let key = loop {
            let seed = Sha256::digest([secret, b"\0pades-key\0", &counter.to_be_bytes()].concat());
            if let Ok(k) = SigningKey::from_slice(&seed) {
                break k;
            }
            counter += 1;
        };
        let issuer = name("FirmaDesk Sandbox Test QTSP - NOT QUALIFIED");
        let serial = uint(&Sha256::digest([secret, b"\0serial"].concat())[..16]);
        let point = key.verifying_key().to_encoded_point(false);
        let spki = seq(&[
            &seq(&[&oid(&[1, 2, 840, 10045, 2, 1]), &oid(&[1, 2, 840, 10045, 3, 1, 7])]),
            &bits(point.as_bytes()),
        ]);
        let not_before = time::macros::datetime!(2024-01-01 0:00 UTC);
        let not_after = time::macros::datetime!(2049-12-31 23:59:59 UTC);
        // keyUsage: digitalSignature + nonRepudiation, critical.
        let key_usage = seq(&[
            &oid(&[2, 5, 29, 15]),
            &tlv(0x01, &[0xff]),
            &octets(&tlv(0x03, &[6, 0xc0])),
        ]);
        let tbs = seq(&[
            &explicit(0, &uint(&[2])),
            &serial,
            &seq(&[&oid(ECDSA_SHA256)]),
            &issuer,
            &seq(&[&utc_time(not_before), &utc_time(not_after)]),
            &issuer,
            &spki,
            &explicit(3, &seq(&[&key_usage])),
        ]);
        let sig: Signature = key.sign(&tbs);
        let cert = seq(&[&tbs, &seq(&[&oid(ECDSA_SHA256)]), &bits(sig.to_der().as_bytes())]);
        Self {
            key,
            issuer,
            serial,
            cert,
        }
    }

    /// The self-signed certificate, DER.
    pub fn certificate_der(&self) -> &[u8] {
        &self.cert
    }

    /// CMS SignedData (detached) over a document digest, with the PAdES baseline attributes
    /// (content-type, message-digest, signing-certificate-v2; no signing-time, per PAdES).
    pub fn cms(&self, digest: &[u8; 32]) -> Vec<u8> {
        let signed_attrs = signed_attrs(&self.cert, digest);
        let sig: Signature = self.key.sign(&signed_attrs);
        // In the SignerInfo the attributes are [0] IMPLICIT: same content, context tag.
        let mut implicit_attrs = signed_attrs.clone();
        implicit_attrs[0] = 0xA0;
        let signer_info = seq(&[
            &uint(&[1]),
            &seq(&[&self.issuer, &self.serial]),
            &seq(&[&oid(SHA256)]),
            &implicit_attrs,
            &seq(&[&oid(ECDSA_SHA256)]),
            &octets(sig.to_der().as_bytes()),
        ]);
        let signed_data = seq(&[
            &uint(&[1]),
            &set(&[&seq(&[&oid(SHA256)])]),
            &seq(&[&oid(DATA)]),
            &explicit(0, &self.cert),
            &set(&[&signer_info]),
        ]);
        seq(&[&oid(SIGNED_DATA), &explicit(0, &signed_data)])
    }
}

/// Fills the `/ByteRange` and `/Contents` placeholders of the last signature dictionary in `pdf`
/// with the real offsets and the CMS over everything but `/Contents`.
pub fn seal(pdf: &mut [u8], qtsp: &TestQtsp) -> Result<(), String> {
    let find_last = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).rposition(|w| w == needle);
    let br = find_last(pdf, b"/ByteRange").ok_or("no /ByteRange placeholder")?;
    let open = br
        + pdf[br..]
            .iter()
            .position(|b| *b == b'[')
            .ok_or("malformed /ByteRange")?;
    let close = open
        + pdf[open..]
            .iter()
            .position(|b| *b == b']')
            .ok_or("malformed /ByteRange")?;
    let hole = {
        let mut placeholder = vec![b'<'];
        placeholder.extend(std::iter::repeat_n(b'0', CONTENTS_LEN * 2));
        placeholder.push(b'>');
        find_last(pdf, &placeholder).ok_or("no /Contents placeholder")?
    };
    let hole_end = hole + CONTENTS_LEN * 2 + 2;
    let ranges = format!("0 {hole} {hole_end} {}", pdf.len() - hole_end);
    let room = close - open - 1;
    if ranges.len() > room {
        return Err("the /ByteRange placeholder is too small".into());
    }
    pdf[open + 1..close].copy_from_slice(format!("{ranges:<room$}").as_bytes());
    let mut h = Sha256::new();
    h.update(&pdf[..hole]);
    h.update(&pdf[hole_end..]);
    let digest: [u8; 32] = h.finalize().into();
    let cms = qtsp.cms(&digest);
    if cms.len() > CONTENTS_LEN {
        return Err("the CMS does not fit in /Contents".into());
    }
    let hex = hex::encode_upper(&cms);
    pdf[hole + 1..hole + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// Checks the last signature of a PDF signed by [`seal`] with `qtsp`: the byte range covers the
/// whole file but `/Contents`, the CMS carries that range's SHA-256, and its ECDSA signature over
/// the signed attributes verifies with the test certificate's key.
pub fn verify(pdf: &[u8], qtsp: &TestQtsp) -> Result<(), String> {
    use p256::ecdsa::signature::Verifier;
    let br = pdf
        .windows(10)
        .rposition(|w| w == b"/ByteRange")
        .ok_or("no signature")?;
    let open = br
        + pdf[br..]
            .iter()
            .position(|b| *b == b'[')
            .ok_or("malformed /ByteRange")?;
    let close = open
        + pdf[open..]
            .iter()
            .position(|b| *b == b']')
            .ok_or("malformed /ByteRange")?;
    let nums: Vec<usize> = std::str::from_utf8(&pdf[open + 1..close])
        .map_err(|e| e.to_string())?
        .split_whitespace()
        .map(|n| n.parse::<usize>().map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let [a, b, c, d] = nums[..] else {
        return Err("a /ByteRange has four numbers".into());
    };
    if a != 0 || c + d != pdf.len() || b >= c || pdf[b] != b'<' || pdf[c - 1] != b'>' {
        return Err(format!(
            "the byte range [{a} {b} {c} {d}] does not cover the whole file but /Contents"
        ));
    }
    let cms = hex::decode(&pdf[b + 1..c - 1]).map_err(|e| e.to_string())?;
    let len = match cms.get(..4) {
        Some([0x30, 0x82, hi, lo]) => 4 + ((*hi as usize) << 8 | *lo as usize),
        _ => return Err("not a DER CMS".into()),
    };
    let cms = cms.get(..len).ok_or("truncated CMS")?;
    let mut h = Sha256::new();
    h.update(&pdf[a..a + b]);
    h.update(&pdf[c..c + d]);
    let digest: [u8; 32] = h.finalize().into();
    if !cms.windows(32).any(|w| w == digest) {
        return Err("the CMS does not carry the digest of the signed ranges".into());
    }
    let sig_len = (64..=72)
        .find(|l| cms.len() > l + 2 && cms[cms.len() - l - 2] == 0x04 && cms[cms.len() - l - 1] as usize == *l)
        .ok_or("no signature value")?;
    let sig = Signature::from_der(&cms[cms.len() - sig_len..]).map_err(|e| e.to_string())?;
    let attrs = signed_attrs(&qtsp.cert, &digest);
    qtsp.key
        .verifying_key()
        .verify(&attrs, &sig)
        .map_err(|e| format!("bad signature: {e}"))
}

fn signed_attrs(cert: &[u8], digest: &[u8; 32]) -> Vec<u8> {
    let attr = |arcs: &[u64], value: &[u8]| seq(&[&oid(arcs), &set(&[value])]);
    let content_type = attr(&[1, 2, 840, 113549, 1, 9, 3], &oid(DATA));
    let message_digest = attr(&[1, 2, 840, 113549, 1, 9, 4], &octets(digest));
    let cert_hash = Sha256::digest(cert);
    let signing_cert = attr(
        &[1, 2, 840, 113549, 1, 9, 16, 2, 47],
        &seq(&[&seq(&[&seq(&[&octets(&cert_hash)])])]),
    );
    set(&[&content_type, &message_digest, &signing_cert])
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn der_basics() {
        assert_eq!(oid(SHA256), hex::decode("0609608648016503040201").unwrap());
        assert_eq!(uint(&[0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(tlv(0x04, &[0; 200])[..3], [0x04, 0x81, 200]);
    }

    #[test]
    fn the_certificate_verifies_with_its_own_key() {
        let q = TestQtsp::from_secret(b"secret");
        assert_eq!(
            q.certificate_der(),
            TestQtsp::from_secret(b"secret").certificate_der(),
            "deterministic"
        );
        let cert = q.certificate_der();
        assert_eq!(cert[0], 0x30);
        // The signed attributes of a CMS verify with the key.
        let digest = [7u8; 32];
        let cms = q.cms(&digest);
        assert!(cms.windows(32).any(|w| w == digest), "message digest embedded");
        let sig_len = (68..=72)
            .find(|l| cms[cms.len() - l - 2] == 0x04 && cms[cms.len() - l - 1] as usize == *l)
            .expect("signature at the end");
        let sig = Signature::from_der(&cms[cms.len() - sig_len..]).unwrap();
        let signed_attrs = signed_attrs(cert, &digest);
        q.key.verifying_key().verify(&signed_attrs, &sig).unwrap();
    }
}
