//! The QR code image behind `qr_code_url`.

use std::io::Cursor;

use image::{ImageFormat, Luma};
use qrcode::QrCode;

/// The universal link the IO app opens for a signature request (what the real QR encodes).
pub fn citizen_link(signature_request_id: &str) -> String {
    iosign::link::signing_link(signature_request_id)
}

/// A PNG QR code encoding `data`, at least `min_px` pixels wide.
pub fn png(data: &str, min_px: u32) -> Result<Vec<u8>, String> {
    let code = QrCode::new(data.as_bytes()).map_err(|e| e.to_string())?;
    let img = code.render::<Luma<u8>>().min_dimensions(min_px, min_px).build();
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Png).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    #[test]
    fn png_has_the_signature() {
        let bytes = super::png(&super::citizen_link("01ARZ3NDEKTSV4RRFFQ69G5FAV"), 150).unwrap();
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
        let img = image::load_from_memory(&bytes).unwrap();
        assert!(img.width() >= 150);
    }
}
