//! problem+json, APIM and Azure error bodies.

use super::*;

pub(super) fn problem(status: StatusCode, body: Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    res
}

pub(super) fn validation_error(violations: Vec<String>) -> Response {
    problem(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({
            "type": "/problem/validation-error",
            "title": "Validation Error",
            "detail": "Your request didn't validate",
            "status": 422,
            "violations": violations,
        }),
    )
}

pub(super) fn titled(status: StatusCode, title: &str, detail: &str) -> Response {
    problem(
        status,
        json!({ "title": title, "status": status.as_u16(), "detail": detail }),
    )
}

pub(super) fn refusal(r: Refusal) -> Response {
    match r {
        Refusal::BadRequest(d) => titled(StatusCode::BAD_REQUEST, "Bad Request", &d),
        Refusal::NotFound(d) => titled(StatusCode::NOT_FOUND, "Not Found", &d),
        // The service does not return the internal message, only the generic validation error.
        Refusal::Validation(_) => validation_error(vec!["The request is not valid in the current state".into()]),
        Refusal::Conflict(d) => titled(StatusCode::CONFLICT, "Conflict", &d),
    }
}

pub(super) fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    let mut res = (status, serde_json::to_string(body).unwrap_or_default()).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

pub(super) fn azure_error(status: StatusCode, code: &str, message: &str, extra: &str) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{message}\nRequestId:{}\nTime:{}</Message>{extra}</Error>",
        uuid::Uuid::new_v4(),
        format_ts(OffsetDateTime::now_utc())
    );
    let mut res = (status, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/xml"));
    if let Ok(v) = HeaderValue::from_str(code) {
        h.insert("x-ms-error-code", v);
    }
    res
}

pub(super) fn auth_failed(detail: &str) -> Response {
    azure_error(
        StatusCode::FORBIDDEN,
        "AuthenticationFailed",
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
        &format!("<AuthenticationErrorDetail>{detail}</AuthenticationErrorDetail>"),
    )
}

pub(super) fn parse_json(body: &Bytes) -> Result<Value, Vec<String>> {
    serde_json::from_slice(body).map_err(|e| vec![format!("value at root is not valid JSON: {e}")])
}
