//! The change feed of the team database: one connection per desk that `LISTEN`s to `firmadesk_changes`
//! (the triggers of `20261203T1200_change_feed.sql` announce every change there, at commit) and hands each
//! announcement to the desk's subscribers. A lost connection is opened again with backoff; when it is back
//! the subscribers get [`Change::Resync`], since anything may have changed meanwhile.

use crate::Change;
use futures::StreamExt;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_postgres::tls::MakeTlsConnect;
use tokio_postgres::{AsyncMessage, Socket};

/// The channel the triggers announce on.
pub(crate) const CHANNEL: &str = "firmadesk_changes";

/// How many announcements a slow subscriber may fall behind before it is told to read everything again
/// (a lagged receiver sees `RecvError::Lagged`, which the desk treats as a resync).
pub(crate) const BACKLOG: usize = 1024;

fn parse(payload: &str) -> Option<Change> {
    let v: serde_json::Value = serde_json::from_str(payload).ok()?;
    Some(Change::Row {
        table: v.get("table")?.as_str()?.to_owned(),
        id: v.get("id").and_then(|i| i.as_str()).unwrap_or_default().to_owned(),
    })
}

/// One listening session: returns when the connection ends.
async fn session<T>(
    driver: &tokio_postgres::Config,
    tls: T,
    feed: &broadcast::Sender<Change>,
    announce_resync: bool,
    ready: &mut Option<oneshot::Sender<()>>,
) -> Result<(), tokio_postgres::Error>
where
    T: MakeTlsConnect<Socket>,
    T::Stream: Send + 'static,
{
    let (client, mut connection) = driver.connect(tls).await?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    // The connection must be driven for LISTEN to complete, so it runs first, on its own task.
    let drive = tokio::spawn(async move {
        let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if tx.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "team database: change feed connection lost");
                    break;
                }
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    if announce_resync {
        let _ = feed.send(Change::Resync);
    }
    if let Some(ready) = ready.take() {
        let _ = ready.send(());
    }
    while let Some(payload) = rx.recv().await {
        match parse(&payload) {
            Some(change) => {
                let _ = feed.send(change);
            }
            None => tracing::warn!("team database: unreadable change announcement ignored"),
        }
    }
    drop(client);
    let _ = drive.await;
    Ok(())
}

/// Listens until the store is dropped (the task is aborted then), reconnecting with backoff.
pub(crate) async fn listen(
    driver: tokio_postgres::Config,
    tls: super::PgTls,
    feed: broadcast::Sender<Change>,
    ready: oneshot::Sender<()>,
) {
    let mut ready = Some(ready);
    let mut backoff = Duration::from_millis(250);
    let mut announce_resync = false;
    loop {
        let outcome = match &tls {
            super::PgTls::Off => session(&driver, tokio_postgres::NoTls, &feed, announce_resync, &mut ready).await,
            other => match super::tls_connector(other) {
                Ok(connector) => session(&driver, connector, &feed, announce_resync, &mut ready).await,
                Err(e) => {
                    tracing::error!(error = %e, "team database: change feed has no TLS configuration");
                    return;
                }
            },
        };
        match outcome {
            // It was up: try again soon, and tell subscribers what they may have missed.
            Ok(()) => backoff = Duration::from_millis(250),
            Err(e) => tracing::warn!(error = %e, "team database: change feed cannot connect"),
        }
        announce_resync = true;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_name_the_table_and_the_subject() {
        assert_eq!(
            parse(r#"{"table":"requests","id":"r1"}"#),
            Some(Change::Row {
                table: "requests".into(),
                id: "r1".into()
            })
        );
        assert_eq!(
            parse(r#"{"table":"profiles","id":null}"#),
            Some(Change::Row {
                table: "profiles".into(),
                id: String::new()
            })
        );
        assert_eq!(parse("not json"), None);
        assert_eq!(parse(r#"{"id":"r1"}"#), None);
    }
}
