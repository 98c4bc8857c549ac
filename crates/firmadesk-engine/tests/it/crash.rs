//! A real crash: a child process runs the engine on a SQLite file and aborts in the middle of a
//! send; this process reopens the file (WAL recovery included) and finishes the send.

use crate::common::*;
use firmadesk_engine::{CrashPoint, Delivery, EngineStore, SendRecord, SendStep};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

const CHILD: &str = "FIRMADESK_ENGINE_CRASH_CHILD";
const DIR: &str = "FIRMADESK_ENGINE_CRASH_DIR";
const URL: &str = "FIRMADESK_ENGINE_CRASH_URL";
const TEST: &str = "crash::a_killed_process_resumes_from_the_sqlite_file_without_duplicates";

const POINTS: [CrashPoint; 5] = [
    CrashPoint::BeforeCreateCall,
    CrashPoint::CreateResponseLost,
    CrashPoint::UploadUrlFetched,
    CrashPoint::AfterStep(SendStep::WaitValidation),
    CrashPoint::NotifyResponseLost,
];

/// The child: starts the send and aborts the whole process at the chosen point.
async fn child(index: usize) {
    let point = POINTS[index];
    let dir = PathBuf::from(std::env::var_os(DIR).expect("dir"));
    let url = std::env::var(URL).expect("url");
    let store = open_store(&dir);
    let mut config = engine_config(&dir.join("archivio"));
    config.crash_hook = Some(Arc::new(move |p, _r: &SendRecord| {
        if p == point {
            println!("CHILD ABORTS AT {p:?}");
            std::process::abort();
        }
        false
    }));
    let engine = firmadesk_engine::Engine::builder(config, store).build();
    engine
        .add_profile(PROFILE, client_for(&url).build().unwrap())
        .await
        .unwrap();
    engine
        .submit("bozza-crash", spec_for(&dir.join("contratto.pdf"), Delivery::IoMessage))
        .await
        .unwrap();
    // Only the abort ends this process as expected; reaching the deadline is a failure.
    let _ = tokio::time::timeout(Duration::from_secs(30), std::future::pending::<()>()).await;
    panic!("the send never reached {point:?}");
}

#[cfg(unix)]
#[tokio::test]
async fn a_killed_process_resumes_from_the_sqlite_file_without_duplicates() {
    use std::os::unix::process::ExitStatusExt;
    if let Ok(index) = std::env::var(CHILD) {
        return child(index.parse().unwrap()).await;
    }
    for (index, point) in POINTS.iter().enumerate() {
        let sb = sandbox(sandbox_config()).await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("contratto.pdf"), pdf_bytes()).unwrap();
        let out = tokio::time::timeout(
            Duration::from_secs(60),
            tokio::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
                .env(CHILD, index.to_string())
                .env(DIR, dir.path())
                .env(URL, sb.base_url())
                .output(),
        )
        .await
        .expect("child finished")
        .expect("child ran");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.signal(),
            Some(6),
            "{point:?}: the child must die by SIGABRT at the crash point, got {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("CHILD ABORTS AT"), "{stdout}");

        // Restart: reopen the file the dead process was writing.
        let store = open_store(dir.path());
        let before = store
            .send(&"bozza-crash".into())
            .await
            .unwrap()
            .expect("the send survived the crash");
        assert!(before.step.is_unfinished(), "{point:?}: {:?}", before.step);
        let row = store.db().request(&"bozza-crash".into()).await.unwrap().unwrap();
        assert!(
            // Once IO shows WAIT_FOR_SIGNATURE the row says so, even with the message still to send.
            matches!(
                (point, row.status),
                (_, firmadesk_store::Status::Sending)
                    | (CrashPoint::NotifyResponseLost, firmadesk_store::Status::Waiting)
            ),
            "{point:?}: the dashboard shows {:?}",
            row.status
        );

        let engine =
            firmadesk_engine::Engine::builder(engine_config(&dir.path().join("archivio")), store.clone()).build();
        let mut rx = engine.subscribe();
        engine.add_profile(PROFILE, client(&sb)).await.unwrap();
        let request_id = completed(&mut rx, "bozza-crash", 20).await;

        assert_eq!(sb.signature_request_count(), 1, "{point:?}: duplicate request");
        assert_eq!(count_ops(&sb, "createSignatureRequest"), 1, "{point:?}");
        assert_eq!(count_ops(&sb, "sendNotification"), 1, "{point:?}: message sent twice");
        assert_eq!(sb.messages_sent(), 1, "{point:?}");
        assert_eq!(sb.signature_request_status(&request_id), Some("WAIT_FOR_SIGNATURE"));
        let row = store.db().request(&"bozza-crash".into()).await.unwrap().unwrap();
        assert_eq!(row.status, firmadesk_store::Status::Waiting, "{point:?}");
        assert_eq!(row.io_request_id.as_ref(), Some(&request_id));
        assert_eq!(
            store.db().counts(None, 0, 0).await.unwrap().waiting,
            1,
            "{point:?}: one row on the dashboard"
        );
    }
}
