//! The issuer API: the APIM-like layer (key, rate limit, faults, latency, request log) and one
//! handler per operation.

use super::*;
use hold::HoldAt;

// ---- API middleware -------------------------------------------------------------------------------

/// The spec's operationId for a method and path under the API prefix.
pub(super) fn operation_id(method: &Method, path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix(API_PREFIX)?;
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    Some(match (method.as_str(), segs.as_slice()) {
        ("GET", ["info"]) => "getInfo",
        ("POST", ["dossiers"]) => "createDossier",
        ("GET", ["dossiers", _]) => "getDossier",
        ("GET", ["dossiers", _, "signature-requests"]) => "getRequestsByDossier",
        ("POST", ["signers"]) => "getSignerByFiscalCode",
        ("POST", ["signature-requests"]) => "createSignatureRequest",
        ("GET", ["signature-requests", _]) => "getSignatureRequest",
        ("PUT", ["signature-requests", _, "status"]) => "setSignatureRequestStatus",
        ("GET", ["signature-requests", _, "documents", _, "upload_url"]) => "getDocumentUploadUrl",
        ("PUT", ["signature-requests", _, "notification"]) => "sendNotification",
        ("POST", ["validate-document"]) => "validateDocument",
        _ => return None,
    })
}

pub(super) enum Fault {
    Before(StatusCode),
    After(StatusCode),
}

pub(super) fn fault_response(status: StatusCode) -> Response {
    if status == StatusCode::SERVICE_UNAVAILABLE {
        titled(
            status,
            "Service Unavailable",
            "The service is temporarily unavailable (sandbox fault injection)",
        )
    } else {
        titled(status, "Internal Server Error", "SandboxInjectedFault")
    }
}

pub(super) async fn api_layer(AxState(inner): AxState<Arc<Inner>>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    // Inside `nest` the URI is stripped of the prefix: log the one the caller sent.
    let uri = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map(|u| u.0.clone())
        .unwrap_or_else(|| req.uri().clone());
    let path = uri.path().to_string();
    let query = uri.query().map(str::to_string);
    let operation = operation_id(&method, &path);
    let (parts, body) = req.into_parts();
    let mut request_json = None;

    // The body is read only once the operation and the key are known: a caller without a valid key
    // cannot make the sandbox read (or hold in memory) a single byte of what it sends.
    let response = 'outcome: {
        if !inner.cfg.latency.is_zero() {
            tokio::time::sleep(inner.cfg.latency).await;
        }
        if inner.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            break 'outcome titled(
                StatusCode::SERVICE_UNAVAILABLE,
                "Service Unavailable",
                "The service is temporarily unavailable (sandbox outage simulation).",
            );
        }
        match operation {
            // No key and no body: `GET /info` reads nothing.
            Some("getInfo") => break 'outcome next.run(Request::from_parts(parts, Body::empty())).await,
            // APIM matches the operation before it looks at the key.
            None => break 'outcome api_not_found().await,
            Some(_) => {}
        }
        let Some(caller) = caller_of(&inner, &parts.headers) else {
            break 'outcome unauthorized();
        };
        let key = parts
            .headers
            .get(KEY_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let remaining = match inner.limiter.check(&key, Instant::now()) {
            Decision::Allow { remaining } => remaining,
            Decision::Deny { retry_after_secs } => {
                let mut res = json_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    &json!({
                        "statusCode": 429,
                        "message": format!("Rate limit is exceeded. Try again in {retry_after_secs} seconds."),
                    }),
                );
                let h = res.headers_mut();
                h.insert("x-rate-limit-retry-after", HeaderValue::from(retry_after_secs));
                h.insert("x-rate-limit-remaining", HeaderValue::from(0u32));
                break 'outcome res;
            }
        };
        // Only `validate-document` carries a document; every other operation carries JSON.
        let limit = if operation == Some("validateDocument") {
            inner.cfg.max_document_bytes
        } else {
            MAX_JSON_BODY
        };
        let Ok(body) = read_capped(&parts.headers, body, limit).await else {
            let mut res = titled(
                StatusCode::PAYLOAD_TOO_LARGE,
                "Payload Too Large",
                &format!("The request body is larger than {limit} bytes."),
            );
            res.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            break 'outcome res;
        };
        if inner.cfg.record_bodies {
            request_json = serde_json::from_slice::<Value>(&body).ok();
        }
        let mut req = Request::from_parts(parts, Body::from(body));
        let fault = {
            let mut rng = lock(&inner.faults);
            if inner.cfg.fault_rate > 0.0 && rng.gen::<f64>() < inner.cfg.fault_rate {
                let status = if rng.gen_bool(0.5) {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::SERVICE_UNAVAILABLE
                };
                let changes = matches!(
                    operation,
                    Some(
                        "createDossier"
                            | "getSignerByFiscalCode"
                            | "createSignatureRequest"
                            | "setSignatureRequestStatus"
                            | "sendNotification"
                            | "getDocumentUploadUrl"
                    )
                );
                Some(if changes && rng.gen_bool(0.5) {
                    Fault::After(status)
                } else {
                    Fault::Before(status)
                })
            } else {
                None
            }
        };
        req.extensions_mut().insert(caller);
        inner.holds.wait(operation, HoldAt::Before).await;
        let mut res = match fault {
            Some(Fault::Before(status)) => break 'outcome fault_response(status),
            Some(Fault::After(status)) => {
                let _applied = next.run(req).await;
                break 'outcome fault_response(status);
            }
            None => next.run(req).await,
        };
        inner.holds.wait(operation, HoldAt::After).await;
        res.headers_mut()
            .insert("x-rate-limit-remaining", HeaderValue::from(remaining));
        res
    };

    let (parts, body) = response.into_parts();
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (body, response_json) = if inner.cfg.record_bodies {
        // Our own responses: bounded by what the handlers build (at most a document).
        let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
        let json = if content_type.as_deref().is_some_and(|c| c.contains("json")) {
            serde_json::from_slice::<Value>(&bytes).ok()
        } else {
            None
        };
        (Body::from(bytes), json)
    } else {
        (body, None)
    };
    let mut log = lock(&inner.log);
    if log.len() >= MAX_LOG {
        // A long session must not grow without bound: keep the most recent calls.
        log.drain(..MAX_LOG / 10);
    }
    log.push(LogEntry {
        method: method.to_string(),
        path,
        query,
        operation,
        status: parts.status.as_u16(),
        request_json,
        response_content_type: content_type,
        response_json,
    });
    drop(log);
    Response::from_parts(parts, body)
}

// ---- API handlers -------------------------------------------------------------------------------

pub(super) async fn info() -> Response {
    json_response(
        StatusCode::OK,
        &json!({ "message": "It's working!", "version": format!("sandbox-{}", env!("CARGO_PKG_VERSION")) }),
    )
}

pub(super) async fn create_dossier(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let body = match parse_json(&body) {
        Ok(v) => v,
        Err(v) => return validation_error(v),
    };
    let new = match validate::create_dossier(&body) {
        Ok(d) => d,
        Err(v) => return validation_error(v),
    };
    let now = inner.now();
    let dossier = Dossier {
        id: ulid::Ulid::new().to_string(),
        issuer: caller.issuer,
        title: new.title,
        support_email: new.support_email.unwrap_or_else(|| inner.cfg.support_email.clone()),
        documents_metadata: new.documents_metadata,
        created_at: now,
        updated_at: now,
    };
    let view = views::dossier(&dossier);
    inner.mutate(|s| s.dossiers.insert(dossier.id.clone(), dossier));
    json_response(StatusCode::CREATED, &view)
}

pub(super) async fn get_dossier(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Response {
    let state = lock(&inner.state);
    match state.dossier(&caller.issuer, &id) {
        Ok(d) => json_response(StatusCode::OK, &views::dossier(d)),
        Err(r) => refusal(r),
    }
}

pub(super) async fn list_requests(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut violations = Vec::new();
    let limit = match q.get("limit") {
        None => 25,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (25..=100).contains(&n) => n,
            _ => {
                violations.push(format!(
                    "value \"{l}\" at root.limit is not a valid integer >= 25 and <= 100"
                ));
                25
            }
        },
    };
    let after = match q.get("continuationToken") {
        None => None,
        Some(t) => match hex::decode(t).ok().and_then(|b| String::from_utf8(b).ok()) {
            Some(id) => Some(id),
            None => {
                violations.push(format!(
                    "value \"{t}\" at root.continuationToken is not a valid continuation token"
                ));
                None
            }
        },
    };
    if !violations.is_empty() {
        return validation_error(violations);
    }
    let state = lock(&inner.state);
    if let Err(r) = state.dossier(&caller.issuer, &id) {
        return refusal(r);
    }
    let (items, more) = state.page(&caller.issuer, &id, after.as_deref(), limit);
    let list = iosign::types::SignatureRequestList {
        continuation_token: if more {
            items.last().map(|r| hex::encode(r.id.as_bytes()))
        } else {
            None
        },
        items: items.into_iter().map(views::list_item).collect(),
    };
    json_response(StatusCode::OK, &list)
}

pub(super) async fn get_signer(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let parsed = serde_json::from_slice::<Value>(&body).ok();
    // APIM policy for test keys runs before the backend decodes anything.
    if caller.test {
        let cf = parsed
            .as_ref()
            .and_then(|v| v["fiscal_code"].as_str())
            .unwrap_or_default();
        if !inner.cfg.testers.iter().any(|t| t == cf) {
            let mut res = (StatusCode::FORBIDDEN, "Forbidden").into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
            return res;
        }
    }
    let Some(v) = parsed else {
        return validation_error(vec!["value at root is not valid JSON".into()]);
    };
    let cf = match validate::signer(&v) {
        Ok(cf) => cf,
        Err(v) => return validation_error(v),
    };
    if inner.cfg.not_on_io.iter().any(|c| c == &cf) {
        return titled(StatusCode::NOT_FOUND, "Not Found", "User profile not found!");
    }
    let id = inner.mutate(|s| {
        let id = Inner::signer_id(&s.secret, &cf);
        s.signers.insert(id.clone(), cf);
        id
    });
    // The spec says 201; the service answers 200.
    json_response(StatusCode::OK, &iosign::types::SignerDetailView { id })
}

pub(super) async fn create_request(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let body = match parse_json(&body) {
        Ok(v) => v,
        Err(v) => return validation_error(v),
    };
    let new = match validate::create_request(&body) {
        Ok(r) => r,
        Err(v) => return validation_error(v),
    };
    let now = inner.now();
    let expires_at = match new.expires_at.as_deref() {
        None => now + DEFAULT_EXPIRY,
        Some(s) => match parse_ts(s) {
            Some(t) if t > now => t,
            _ => return titled(StatusCode::BAD_REQUEST, "Bad Request", "Invalid expire date."),
        },
    };
    let result = inner.mutate(|s| {
        let dossier = s.dossier(&caller.issuer, &new.dossier_id)?;
        let metadata = new
            .documents_metadata
            .clone()
            .unwrap_or_else(|| dossier.documents_metadata.clone());
        let documents = metadata
            .into_iter()
            .map(|m| Document {
                id: ulid::Ulid::new().to_string(),
                metadata: m,
                status: DocumentStatus::WaitForUpload,
                created_at: now,
                updated_at: now,
                uploaded_at: None,
                rejected_at: None,
                reject_reason: None,
                upload: None,
                validating: None,
            })
            .collect();
        let r = SignatureRequest {
            id: ulid::Ulid::new().to_string(),
            issuer: caller.issuer.clone(),
            dossier_id: new.dossier_id.clone(),
            signer_id: new.signer_id.clone(),
            status: RequestStatus::Draft,
            expires_at,
            documents,
            created_at: now,
            updated_at: now,
            notification: None,
            qr_code_url: None,
            signed_at: None,
            rejected_at: None,
            reject_reason: None,
            cancelled_at: None,
        };
        s.requests.insert(r.id.clone(), r.clone());
        Ok::<_, Refusal>((r, s.secret.clone()))
    });
    match result {
        Ok((r, secret)) => {
            let minter = Minter {
                inner: &inner,
                secret: &secret,
                now,
            };
            json_response(StatusCode::CREATED, &views::request(&r, &minter))
        }
        Err(e) => refusal(e),
    }
}

pub(super) async fn get_request(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Response {
    let now = inner.now();
    let state = lock(&inner.state);
    match state.request(&caller.issuer, &id) {
        Ok(r) => {
            let minter = Minter {
                inner: &inner,
                secret: &state.secret,
                now,
            };
            json_response(StatusCode::OK, &views::request(r, &minter))
        }
        Err(e) => refusal(e),
    }
}

pub(super) async fn set_status(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let target = match validate::status(&body) {
        Ok(t) => t,
        Err(v) => return validation_error(v),
    };
    let now = inner.now();
    let result = inner.mutate(|s| {
        let r = s.request_mut(&caller.issuer, &id)?;
        match target {
            StatusTarget::Ready => r.mark_ready(now),
            StatusTarget::Cancelled => r.mark_cancelled(now),
        }
    });
    match result {
        Ok(()) => {
            if target == StatusTarget::Ready {
                inner.schedule_publish(id);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => refusal(e),
    }
}

pub(super) async fn upload_url(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path((id, doc_id)): Path<(String, String)>,
) -> Response {
    let now = inner.now();
    let result = inner.mutate(|s| {
        let r = s.request_mut(&caller.issuer, &id)?;
        r.can_upload(&doc_id)?;
        let slot = UploadSlot {
            upload_id: ulid::Ulid::new().to_string(),
            sig: random_hex(16),
            expires_at: now + UPLOAD_URL_TTL,
            used: false,
        };
        let doc = r
            .document_mut(&doc_id)
            .ok_or_else(|| Refusal::NotFound("Document not found".into()))?;
        let previous = doc.upload.replace(slot.clone());
        if let Some(p) = previous {
            s.uploads.remove(&p.upload_id);
        }
        s.uploads.insert(slot.upload_id.clone(), (id.clone(), doc_id.clone()));
        Ok::<_, Refusal>(slot)
    });
    match result {
        Ok(slot) => {
            let url = format!(
                "{}/blob/{UPLOADED}/{}?sig={}&se={}",
                inner.origin,
                slot.upload_id,
                slot.sig,
                sas_expiry(slot.expires_at).replace(':', "%3A")
            );
            json_response(StatusCode::OK, &url)
        }
        Err(e) => refusal(e),
    }
}

pub(super) async fn send_notification(
    AxState(inner): AxState<Arc<Inner>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Response {
    let now = inner.now();
    let result = inner.mutate(|s| {
        let message_id = ulid::Ulid::new().to_string();
        let r = s.request(&caller.issuer, &id)?;
        let blocked = s
            .signers
            .get(&r.signer_id)
            .is_some_and(|cf| inner.cfg.messages_blocked.contains(cf));
        let r = s.request_mut(&caller.issuer, &id)?;
        if blocked && r.status == RequestStatus::WaitForSignature && r.notification.is_none() {
            // IO profile with sender_allowed = false.
            return Err(Refusal::BadRequest(
                "It is not allowed to send a message to this user.".into(),
            ));
        }
        r.send_notification(message_id.clone(), now)?;
        s.messages_sent += 1;
        Ok::<_, Refusal>(message_id)
    });
    match result {
        // The spec says 201; the service answers 200.
        Ok(io_message_id) => json_response(StatusCode::OK, &iosign::types::NotificationDetailView { io_message_id }),
        Err(e) => refusal(e),
    }
}

pub(super) const MISSING_FILES: &str =
    "missing files: the pdf document to be validated and a json document containing the signature fields";

pub(super) async fn validate_document(req: Request) -> Response {
    let missing = || titled(StatusCode::BAD_REQUEST, "Bad Request", MISSING_FILES);
    let Ok(mut multipart) = Multipart::from_request(req, &()).await else {
        return missing();
    };
    let mut pdf_bytes = None;
    let mut fields_json = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let ct = field
                    .content_type()
                    .map(|c| c.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
                let Ok(data) = field.bytes().await else {
                    return missing();
                };
                match ct.as_deref() {
                    Some("application/pdf") if pdf_bytes.is_none() => pdf_bytes = Some(data),
                    Some("application/json") if fields_json.is_none() => fields_json = Some(data),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(_) => return missing(),
        }
    }
    let Some(pdf_bytes) = pdf_bytes else { return missing() };
    let fields = match fields_json {
        None => Vec::new(),
        Some(j) => {
            let v = match parse_json(&j) {
                Ok(v) => v,
                Err(v) => return validation_error(v),
            };
            match validate::signature_fields(&v, "signature_fields") {
                Ok(f) => f,
                Err(v) => return validation_error(v),
            }
        }
    };
    let specs = pdf::field_specs(&Value::Array(fields));
    let outcome =
        tokio::task::spawn_blocking(move || pdf::inspect(&pdf_bytes).map(|info| pdf::check_fields(&info, &specs)))
            .await
            .unwrap_or_else(|e| Err(e.to_string()));
    match outcome {
        Ok(problems) if problems.is_empty() => json_response(
            StatusCode::OK,
            &iosign::types::DocumentValidationResult {
                is_valid: true,
                violations: None,
            },
        ),
        Ok(problems) => json_response(
            StatusCode::OK,
            &iosign::types::DocumentValidationResult {
                is_valid: false,
                violations: Some(problems),
            },
        ),
        // pdf-lib failing to open the document is an unhandled error in the service.
        Err(reason) => titled(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error", &reason),
    }
}

pub(super) async fn api_not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        &json!({ "statusCode": 404, "message": "Resource not found" }),
    )
}
