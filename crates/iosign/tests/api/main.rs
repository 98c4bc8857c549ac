//! Client behaviour against a mock server: request shapes, decoding, error mapping, retries,
//! rate limiting, uploads. Full flows against the real sandbox live in `iosign-sandbox`.

mod documents;
mod errors;
mod fetch;
mod handlers;
mod retry;
mod support;
