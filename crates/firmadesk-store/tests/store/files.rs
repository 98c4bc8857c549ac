//! Content-addressed files (conformance: both backends): kept once under their sha256, refused under a
//! wrong name, and (SQLite here, the rule is shared) never handed out once their bytes no longer match.

use crate::*;
use firmadesk_store::*;

pub async fn files_are_kept_once_under_their_hash(store: &dyn Store) {
    let pdf = b"%PDF-1.7 contratto firmato".to_vec();
    let sha = sha256_hex(&pdf);
    assert_eq!(store.file(&sha).await.unwrap(), None);
    store.put_file(&sha, &pdf, NOW).await.unwrap();
    store.put_file(&sha, &pdf, NOW + 1).await.unwrap();
    assert_eq!(store.file(&sha).await.unwrap().as_deref(), Some(&pdf[..]));

    let other = b"%PDF-1.7 altro".to_vec();
    let refused = store.put_file(&sha256_hex(&other), &pdf, NOW).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Invalid);
    assert_eq!(
        store.file(&sha256_hex(&other)).await.unwrap(),
        None,
        "nothing kept under a wrong name"
    );
}

#[test]
fn a_damaged_file_is_an_error_not_bytes() {
    let (dir, store) = store_with_profile();
    let pdf = b"%PDF-1.7 originale".to_vec();
    let sha = sha256_hex(&pdf);
    store.put_file(&sha, &pdf, NOW).unwrap();
    rusqlite_conn(&dir.path().join("firmadesk.db"))
        .execute("UPDATE files SET bytes = X'00'", [])
        .unwrap();
    assert_eq!(store.file(&sha).unwrap_err().kind, ErrorKind::Corrupt);
}
