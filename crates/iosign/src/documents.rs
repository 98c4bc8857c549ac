//! Documents: dry-run validation (`POST /validate-document`), upload of the PDF to the blob
//! SAS URL, download of the signed PDF.
//!
//! Blob calls go straight to Azure storage: they carry no API key and take no rate-limit
//! token (APIM does not see them), and their URLs are never logged with the query string,
//! which is the SAS token.

use crate::client::{redacted_location, transport_allowed, Call, Client, Idempotency, Received};
use crate::error::{ApiError, ApiErrorKind};
use crate::types::{DocumentValidationResult, SignatureField};
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use reqwest::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::multipart::{Form, Part};
use reqwest::{Body, Method};
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use url::Url;

/// Size of the pieces an in-memory body is sent in, so progress moves smoothly.
const CHUNK: usize = 64 * 1024;

type StreamFactory = dyn Fn() -> BoxStream<'static, io::Result<Bytes>> + Send + Sync;

/// The bytes of a document to upload, replayable: a retry opens the source again.
#[derive(Clone)]
pub struct UploadSource(Source);

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Factory(Arc<StreamFactory>),
}

impl UploadSource {
    /// Bytes in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self(Source::Bytes(bytes.into()))
    }

    /// A file, reopened on every attempt.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path: PathBuf = path.into();
        Self::stream_factory(move || {
            let path = path.clone();
            futures::stream::once(async move { tokio::fs::File::open(path).await })
                .map_ok(|file| tokio_util::io::ReaderStream::with_capacity(file, CHUNK))
                .try_flatten()
        })
    }

    /// Any stream, made anew by `factory` for every attempt.
    pub fn stream_factory<F, S>(factory: F) -> Self
    where
        F: Fn() -> S + Send + Sync + 'static,
        S: futures::Stream<Item = io::Result<Bytes>> + Send + 'static,
    {
        Self(Source::Factory(Arc::new(move || factory().boxed())))
    }

    fn open(&self) -> BoxStream<'static, io::Result<Bytes>> {
        match &self.0 {
            Source::Bytes(bytes) => {
                let bytes = bytes.clone();
                let pieces = (0..bytes.len())
                    .step_by(CHUNK)
                    .map(move |start| Ok(bytes.slice(start..(start + CHUNK).min(bytes.len()))));
                futures::stream::iter(pieces.collect::<Vec<_>>()).boxed()
            }
            Source::Factory(factory) => factory(),
        }
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Bytes(b) => write!(f, "UploadSource::Bytes({} bytes)", b.len()),
            Source::Factory(_) => f.write_str("UploadSource::Stream"),
        }
    }
}

impl From<Bytes> for UploadSource {
    fn from(b: Bytes) -> Self {
        Self::bytes(b)
    }
}

impl From<Vec<u8>> for UploadSource {
    fn from(b: Vec<u8>) -> Self {
        Self::bytes(b)
    }
}

impl From<&'static [u8]> for UploadSource {
    fn from(b: &'static [u8]) -> Self {
        Self::bytes(b)
    }
}

/// Parses a blob URL, refusing plain http off this machine (the SAS token and the document
/// would travel in clear).
// ApiError is large by design (the problem kept as data); this sits next to a network call.
#[allow(clippy::result_large_err)]
fn blob_url(op: &'static str, url: &str) -> Result<Url, ApiError> {
    let invalid = |why: String| {
        let mut e = ApiError::new(op, ApiErrorKind::InvalidRequest);
        // Never the URL itself: its query is the SAS token.
        e.body = Some(why);
        e
    };
    let url = Url::parse(url).map_err(|e| invalid(format!("invalid URL: {e}")))?;
    if !transport_allowed(&url) {
        return Err(invalid("blob URLs must be https (plain http only to loopback)".into()));
    }
    Ok(url)
}

impl Client {
    /// `POST /validate-document`: would this PDF (and these fields) pass the service's checks?
    ///
    /// Sent as `multipart/form-data` with a part `document` (`application/pdf`) and, when
    /// `fields` is given, a JSON file part `signature_fields` (`application/json`) holding the
    /// array: the service matches parts by content type. A dry run, so it is retried.
    pub async fn validate_document(
        &self,
        pdf: impl Into<Bytes>,
        fields: Option<&[SignatureField]>,
    ) -> Result<DocumentValidationResult, ApiError> {
        const OP: &str = "validateDocument";
        let pdf: Bytes = pdf.into();
        let fields = match fields {
            Some(fields) => {
                Some(Bytes::from(serde_json::to_vec(fields).map_err(|e| {
                    ApiError::new(OP, ApiErrorKind::InvalidRequest).with_source(e)
                })?))
            }
            None => None,
        };
        let url = self.url(&["validate-document"]);
        // The whole PDF goes up in this call: allow for a slow office link (64 KiB/s).
        let timeout = self.api_timeout() + Duration::from_secs(pdf.len() as u64 / (64 * 1024));
        self.api_json(OP, Method::POST, Idempotency::Safe, url, &|r| {
            // multipart::Form is single-use: rebuild it (cheaply, Bytes are shared) per attempt.
            let document = Part::stream_with_length(pdf.clone(), pdf.len() as u64)
                .file_name("document.pdf")
                .mime_str("application/pdf")
                .expect("static mime");
            let mut form = Form::new().part("document", document);
            if let Some(fields) = &fields {
                let part = Part::stream_with_length(fields.clone(), fields.len() as u64)
                    .file_name("signature_fields.json")
                    .mime_str("application/json")
                    .expect("static mime");
                form = form.part("signature_fields", part);
            }
            r.multipart(form).timeout(timeout)
        })
        .await
    }

    /// Uploads a PDF to the SAS URL from
    /// [`upload_url`](crate::SignatureRequestsHandler::upload_url) (Azure "Put Blob":
    /// `PUT`, `x-ms-blob-type: BlockBlob`, `Content-Type: application/pdf`), streaming `source`
    /// whose length must be `len`. `progress(sent, total)` is called as the body goes out; it
    /// never goes backwards, even when a retry replays the body from the start (it pauses
    /// until the replay passes the previous mark) and ends at `(len, len)` on success.
    ///
    /// Expects 201 (200 accepted too). Put Blob overwrites, so failures are retried.
    pub async fn upload_document(
        &self,
        url: &str,
        source: impl Into<UploadSource>,
        len: u64,
        progress: impl Fn(u64, u64) + Send + Sync + 'static,
    ) -> Result<(), ApiError> {
        const OP: &str = "uploadDocument";
        let url = blob_url(OP, url)?;
        let source: UploadSource = source.into();
        let progress: Arc<dyn Fn(u64, u64) + Send + Sync> = Arc::new(progress);
        let reported = Arc::new(AtomicU64::new(0));
        let timeout = self.api_timeout() + Duration::from_secs(len / (32 * 1024));
        let log_path = redacted_location(&url);
        let call = Call {
            op: OP,
            method: Method::PUT,
            log_path: &log_path,
            idempotency: Idempotency::Safe,
            api: false,
        };
        let http = &self.inner.http;
        let build = || {
            let progress = progress.clone();
            let reported = reported.clone();
            let mut sent = 0u64;
            let body = source.open().map(move |chunk| {
                let chunk = chunk?;
                sent += chunk.len() as u64;
                if sent > len {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("the document is longer than the declared {len} bytes"),
                    ));
                }
                if sent > reported.fetch_max(sent, Ordering::SeqCst) {
                    progress(sent, len);
                }
                Ok(chunk)
            });
            http.put(url.clone())
                .header("x-ms-blob-type", HeaderValue::from_static("BlockBlob"))
                .header(CONTENT_TYPE, HeaderValue::from_static("application/pdf"))
                // Azure refuses chunked uploads: the length must be declared.
                .header(CONTENT_LENGTH, len)
                // A stalled upload would otherwise hang forever: allow 32 KiB/s at worst.
                .timeout(timeout)
                .body(Body::wrap_stream(body))
        };
        self.execute(&call, false, &build).await?;
        if len == 0 {
            progress(0, 0);
        }
        Ok(())
    }

    /// Sends the download GET (retried until a response starts) with the total timeout of
    /// [`ClientBuilder::download_limits`](crate::ClientBuilder::download_limits), and refuses a
    /// declared length over the cap before reading anything.
    async fn start_download(&self, op: &'static str, url: &str) -> Result<reqwest::Response, ApiError> {
        let url = blob_url(op, url)?;
        let log_path = redacted_location(&url);
        let call = Call {
            op,
            method: Method::GET,
            log_path: &log_path,
            idempotency: Idempotency::Safe,
            api: false,
        };
        let http = &self.inner.http;
        let limits = self.inner.download;
        // The total timeout covers the body too: a server that never finishes cannot hang the
        // poller.
        let build = || http.get(url.clone()).timeout(limits.total_timeout);
        let Received::Streaming(response) = self.execute(&call, true, &build).await? else {
            unreachable!("execute called with stream = true")
        };
        if response.content_length().is_some_and(|n| n > limits.max_bytes) {
            return Err(too_large(op, limits.max_bytes));
        }
        Ok(response)
    }

    /// Downloads a signed PDF from its short-lived SAS URL (plain `GET`, no API key) into
    /// memory, streamed with the size cap and total timeout of
    /// [`ClientBuilder::download_limits`](crate::ClientBuilder::download_limits). Retried on
    /// transient failures until a response starts; the URL lives 5 minutes, so call it at once.
    pub async fn download_signed(&self, url: &str) -> Result<Bytes, ApiError> {
        const OP: &str = "downloadSigned";
        let mut response = self.start_download(OP, url).await?;
        let max = self.inner.download.max_bytes;
        let mut out = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| ApiError::network(OP, e))? {
            if (out.len() + chunk.len()) as u64 > max {
                return Err(too_large(OP, max));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }

    /// Downloads a signed PDF into `writer`, streaming (size cap and total timeout as
    /// [`download_signed`](Self::download_signed)), and returns the bytes written. A failure
    /// while streaming is returned and the writer then holds a partial file (the engine archives from
    /// [`download_signed`](Self::download_signed) and writes the file itself, never over another).
    pub async fn download_signed_to<W>(&self, url: &str, writer: &mut W) -> Result<u64, ApiError>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        const OP: &str = "downloadSigned";
        let mut response = self.start_download(OP, url).await?;
        let max = self.inner.download.max_bytes;
        let mut written = 0u64;
        while let Some(chunk) = response.chunk().await.map_err(|e| ApiError::network(OP, e))? {
            written += chunk.len() as u64;
            if written > max {
                return Err(too_large(OP, max));
            }
            writer
                .write_all(&chunk)
                .await
                .map_err(|e| ApiError::new(OP, ApiErrorKind::Io).with_source(e))?;
        }
        writer
            .flush()
            .await
            .map_err(|e| ApiError::new(OP, ApiErrorKind::Io).with_source(e))?;
        Ok(written)
    }
}

fn too_large(op: &'static str, max: u64) -> ApiError {
    let mut e = ApiError::new(op, ApiErrorKind::TooLarge);
    e.body = Some(format!("the download is larger than the {max} bytes allowed"));
    e
}
