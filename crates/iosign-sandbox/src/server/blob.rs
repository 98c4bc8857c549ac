//! Blob storage (SAS upload and download), the QR code image and the citizen simulation.

use super::*;

// ---- blob storage -------------------------------------------------------------------------------

#[derive(Deserialize)]
pub(super) struct Sas {
    sig: Option<String>,
    se: Option<String>,
}

pub(super) async fn put_upload(
    AxState(inner): AxState<Arc<Inner>>,
    Path(upload_id): Path<String>,
    Query(sas): Query<Sas>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // The SAS signature is this route's key: checked before a byte of the body is read.
    let now = inner.now();
    let (Some(sig), Some(se)) = (sas.sig, sas.se) else {
        return azure_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
            "",
        );
    };
    let slot = {
        let state = lock(&inner.state);
        state.uploads.get(&upload_id).and_then(|(rid, did)| {
            let r = state.requests.get(rid)?;
            let d = r.documents.iter().find(|d| &d.id == did)?;
            Some((rid.clone(), did.clone(), d.upload.clone()?))
        })
    };
    let Some((request_id, document_id, slot)) = slot else {
        return auth_failed("Signature did not match the blob or the upload URL was superseded.");
    };
    if slot.upload_id != upload_id || slot.sig != sig || sas_expiry(slot.expires_at) != se {
        return auth_failed("Signature did not match. String to sign used was racw.");
    }
    if now > slot.expires_at {
        return auth_failed(&format!(
            "Signed expiry time [{}] must be after signed start time [{}]",
            format_ts(slot.expires_at),
            format_ts(now)
        ));
    }
    match headers.get("x-ms-blob-type").map(axum::http::HeaderValue::as_bytes) {
        None => {
            return azure_error(
                StatusCode::BAD_REQUEST,
                "MissingRequiredHeader",
                "An HTTP header that's mandatory for this request is not specified.",
                "<HeaderName>x-ms-blob-type</HeaderName>",
            )
        }
        Some(b"BlockBlob") => {}
        Some(_) => {
            return azure_error(
                StatusCode::BAD_REQUEST,
                "InvalidHeaderValue",
                "The value for one of the HTTP headers is not in the correct format.",
                "<HeaderName>x-ms-blob-type</HeaderName>",
            )
        }
    }
    let limit = inner.cfg.max_document_bytes;
    let Ok(body) = read_capped(&headers, body, limit).await else {
        // Azure's answer to a body over its Put Blob limit.
        let mut res = azure_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            "RequestBodyTooLarge",
            "The request body is too large and exceeds the maximum permissible limit.",
            &format!("<MaxLimit>{limit}</MaxLimit>"),
        );
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return res;
    };
    // Single use: checked and consumed under one lock so two racing uploads cannot both pass.
    let consumed = inner.mutate(|s| {
        let d = s.requests.get_mut(&request_id)?.document_mut(&document_id)?;
        let u = d.upload.as_mut().filter(|u| u.upload_id == upload_id && !u.used)?;
        u.used = true;
        Some(())
    });
    if consumed.is_none() {
        return auth_failed("This upload URL was already used: request a new one for the document.");
    }
    if let Err(e) = inner.blobs.put(UPLOADED, &upload_id, body) {
        return azure_error(StatusCode::INTERNAL_SERVER_ERROR, "InternalError", &e.to_string(), "");
    }
    let started = inner.mutate(|s| {
        let Some(r) = s.requests.get_mut(&request_id) else {
            return false;
        };
        let status = r.status;
        let Some(d) = r.document_mut(&document_id) else {
            return false;
        };
        let started = d.start_validation(&upload_id, status, now);
        if started {
            r.updated_at = now;
        }
        started
    });
    if started {
        inner.schedule_validation(request_id, document_id, upload_id);
    } else {
        // The blob trigger would find the document in a state that refuses the upload.
        tracing::info!("upload {upload_id} ignored: document not accepting uploads");
    }
    let mut res = StatusCode::CREATED.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("\"0x{}\"", &random_hex(8).to_uppercase())) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        h.insert("x-ms-request-id", v);
    }
    h.insert("x-ms-request-server-encrypted", HeaderValue::from_static("true"));
    res
}

pub(super) async fn get_signed(
    AxState(inner): AxState<Arc<Inner>>,
    Path(document_id): Path<String>,
    Query(sas): Query<Sas>,
) -> Response {
    let (Some(sig), Some(se)) = (sas.sig, sas.se) else {
        return azure_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFound",
            "The specified resource does not exist.",
            "",
        );
    };
    let secret = lock(&inner.state).secret.clone();
    if inner.signed_sig(&secret, &document_id, &se) != sig {
        return auth_failed("Signature did not match. String to sign used was r.");
    }
    let now = inner.now();
    match parse_ts(&se) {
        Some(expiry) if now <= expiry => {}
        _ => {
            return auth_failed(&format!(
                "Signed expiry time [{se}] must be after signed start time [{}]",
                format_ts(now)
            ))
        }
    }
    inner
        .holds
        .wait(Some(super::hold::DOWNLOAD_SIGNED), super::hold::HoldAt::Before)
        .await;
    match inner.blobs.get(SIGNED, &document_id) {
        Some(bytes) => {
            let mut res = (StatusCode::OK, bytes).into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
            res.headers_mut()
                .insert("x-ms-blob-type", HeaderValue::from_static("BlockBlob"));
            res
        }
        None => azure_error(
            StatusCode::NOT_FOUND,
            "BlobNotFound",
            "The specified blob does not exist.",
            "",
        ),
    }
}

pub(super) async fn blob_fallback() -> Response {
    // Private containers: anything without a valid SAS looks like a missing resource to anonymous callers.
    azure_error(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        "The specified resource does not exist.",
        "",
    )
}

// ---- QR code and citizen simulation -------------------------------------------------------------

#[derive(Deserialize)]
pub(super) struct QrQuery {
    srid: Option<String>,
    width: Option<u32>,
}

pub(super) async fn qr_code(Query(q): Query<QrQuery>) -> Response {
    let Some(srid) = q.srid.filter(|s| !s.is_empty()) else {
        return (StatusCode::BAD_REQUEST, "missing srid").into_response();
    };
    match crate::qr::png(&crate::qr::citizen_link(&srid), q.width.unwrap_or(300).clamp(64, 2000)) {
        Ok(png) => {
            let mut res = (StatusCode::OK, png).into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            res
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e).into_response(),
    }
}

pub(super) async fn sandbox_sign(AxState(inner): AxState<Arc<Inner>>, Path(id): Path<String>) -> Response {
    match inner.citizen_sign(&id).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => refusal(e),
    }
}

pub(super) async fn sandbox_reject(
    AxState(inner): AxState<Arc<Inner>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let reason = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["reason"].as_str().map(str::to_string))
        .filter(|r| !r.is_empty())
        .unwrap_or_else(|| "Per un problema tecnico, non è stato possibile completare la firma".to_string());
    match inner.citizen_reject(&id, reason) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => refusal(e),
    }
}

pub(super) async fn sandbox_list(AxState(inner): AxState<Arc<Inner>>) -> Response {
    let state = lock(&inner.state);
    let items: Vec<Value> = state
        .requests
        .values()
        .map(|r| json!({ "id": r.id, "dossier_id": r.dossier_id, "status": r.status.as_str() }))
        .collect();
    json_response(StatusCode::OK, &items)
}
