//! The rule both backends follow for content-addressed files: a file is kept under its own sha256 and
//! handed out only while its bytes still match it.

use crate::{ErrorKind, Result, StoreError};
use sha2::{Digest, Sha256};

/// The sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Refuses to keep `bytes` under a name that is not their hash.
pub(crate) fn check_put(sha256: &str, bytes: &[u8]) -> Result<()> {
    if sha256_hex(bytes) == sha256 {
        Ok(())
    } else {
        Err(StoreError::new(
            ErrorKind::Invalid,
            "Il file non corrisponde alla sua impronta: non è stato salvato.",
        )
        .detail(format!("put_file under {sha256}")))
    }
}

/// Hands read bytes out only when they still match their name.
pub(crate) fn check_read(sha256: &str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    if sha256_hex(&bytes) == sha256 {
        Ok(bytes)
    } else {
        Err(StoreError::new(
            ErrorKind::Corrupt,
            "Il file conservato è danneggiato (l'impronta non corrisponde): avvisare l'assistenza.",
        )
        .detail(format!("file {sha256}: stored bytes do not match")))
    }
}
