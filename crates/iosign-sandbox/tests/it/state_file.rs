//! The state file: an unreadable `state.json` is kept aside and the sandbox starts empty (issue #10,
//! item 8); a readable one is kept.

use serde_json::json;

use crate::common::*;

fn cfg(dir: &std::path::Path) -> iosign_sandbox::SandboxConfig {
    iosign_sandbox::SandboxConfig {
        state_dir: Some(dir.to_path_buf()),
        ..config()
    }
}

/// A real state file with one dossier, as a previous run left it.
async fn saved_state(dir: &std::path::Path) -> Vec<u8> {
    let sb = start(cfg(dir)).await;
    Raw::new(&sb, Some(KEY)).dossier(json!([])).await;
    sb.shutdown().await;
    std::fs::read(dir.join("state.json")).unwrap()
}

async fn starts_fresh_keeping_a_copy_of(bytes: &[u8], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("state.json"), bytes).unwrap();

    let sb = iosign_sandbox::Sandbox::start(cfg(dir.path()))
        .await
        .unwrap_or_else(|e| panic!("{what}: the sandbox must start, got {e}"));

    let aside = sb
        .recovered_from()
        .unwrap_or_else(|| panic!("{what}: recovery reported"))
        .to_path_buf();
    assert_eq!(aside.parent(), Some(dir.path()), "{what}: kept beside the state file");
    let name = aside.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("state.json.corrupt-"), "{what}: {name}");
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        bytes,
        "{what}: the old bytes are kept as they were"
    );
    assert_eq!(sb.dossier_count(), 0, "{what}: fresh state");
    assert_eq!(sb.signature_request_count(), 0, "{what}: fresh state");
    // The fresh state is usable and saved over the broken one.
    let api = Raw::new(&sb, Some(KEY));
    api.dossier(json!([])).await;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("state.json")).unwrap())
        .unwrap_or_else(|e| panic!("{what}: the new state file is valid JSON: {e}"));
    assert_eq!(
        saved["dossiers"].as_object().map(serde_json::Map::len),
        Some(1),
        "{what}"
    );
    sb.shutdown().await;

    // The next start reads the new file normally.
    let again = start(cfg(dir.path())).await;
    assert!(
        again.recovered_from().is_none(),
        "{what}: nothing to recover the second time"
    );
    assert_eq!(again.dossier_count(), 1, "{what}");
    again.shutdown().await;
}

#[tokio::test]
async fn a_state_file_that_is_not_json_is_kept_aside_and_the_sandbox_starts_empty() {
    starts_fresh_keeping_a_copy_of(b"{\"secret\": \"abc\", \"dossiers\": {", "bad JSON").await;
}

#[tokio::test]
async fn an_empty_state_file_is_kept_aside_and_the_sandbox_starts_empty() {
    starts_fresh_keeping_a_copy_of(b"", "empty").await;
}

#[tokio::test]
async fn a_state_file_of_another_schema_is_kept_aside_and_the_sandbox_starts_empty() {
    starts_fresh_keeping_a_copy_of(br#"{"version": 7, "dossiers": []}"#, "wrong schema").await;
}

#[tokio::test]
async fn a_truncated_state_file_is_kept_aside_and_the_sandbox_starts_empty() {
    let dir = tempfile::tempdir().unwrap();
    let whole = saved_state(dir.path()).await;
    starts_fresh_keeping_a_copy_of(&whole[..whole.len() / 2], "truncated").await;
}

#[tokio::test]
async fn two_corrupt_files_in_a_row_are_both_kept() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = || cfg(dir.path());
    let mut kept = Vec::new();
    for bytes in [&b"first"[..], &b"second"[..]] {
        std::fs::write(dir.path().join("state.json"), bytes).unwrap();
        // Usually within the same second: the second copy must not replace the first.
        let sb = start(cfg()).await;
        kept.push(sb.recovered_from().unwrap().to_path_buf());
        sb.shutdown().await;
    }
    assert_ne!(kept[0], kept[1]);
    assert_eq!(std::fs::read(&kept[0]).unwrap(), b"first");
    assert_eq!(std::fs::read(&kept[1]).unwrap(), b"second");
}

#[tokio::test]
async fn a_valid_state_file_is_loaded_and_nothing_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    saved_state(dir.path()).await;
    let sb = start(cfg(dir.path())).await;
    assert!(sb.recovered_from().is_none());
    assert_eq!(sb.dossier_count(), 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("state.json.") || n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no copies or temporaries: {leftovers:?}");
    sb.shutdown().await;
}
