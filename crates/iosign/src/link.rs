//! The link a citizen opens to sign a request in the IO app: the universal link IO's QR code encodes
//! (`qr_code_url`'s image), the one the service documents for sharing outside the IO message (REFERENCE.md
//! §8). On a phone with IO it opens the request in the app; elsewhere IO's page explains how to get it.

/// The origin of IO's universal links.
pub const LINK_ORIGIN: &str = "https://continua.io.pagopa.it";

/// The universal link that opens signature request `signature_request_id` in the IO app:
/// `https://continua.io.pagopa.it/open?feat=firma&srid=<id>`. It leads somewhere only while the request
/// waits for signature (`WAIT_FOR_SIGNATURE`, when IO gives its `qr_code_url`).
pub fn signing_link(signature_request_id: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("feat", "firma")
        .append_pair("srid", signature_request_id)
        .finish();
    format!("{LINK_ORIGIN}/open?{query}")
}

#[cfg(test)]
mod tests {
    use super::signing_link;

    #[test]
    fn the_link_is_the_one_ios_qr_code_encodes() {
        assert_eq!(
            signing_link("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
            "https://continua.io.pagopa.it/open?feat=firma&srid=01ARZ3NDEKTSV4RRFFQ69G5FAV"
        );
    }

    #[test]
    fn an_odd_id_cannot_add_parameters() {
        assert_eq!(
            signing_link("a&feat=x #"),
            "https://continua.io.pagopa.it/open?feat=firma&srid=a%26feat%3Dx+%23"
        );
    }
}
