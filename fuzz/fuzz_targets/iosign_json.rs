//! The client's JSON decoding of every response type (and the problem body of errors) on arbitrary
//! bytes: never panics, and what decodes serializes and decodes again (the engine stores and re-reads it).
#![no_main]

use iosign::{
    DocumentDetailView, DocumentValidationResult, DossierDetailView, NotificationDetailView, ProblemDetail,
    SignatureRequestDetailView, SignatureRequestList, SignerDetailView, UploadUrl,
};
use libfuzzer_sys::fuzz_target;
use serde::{de::DeserializeOwned, Serialize};

fn round_trip<T: DeserializeOwned + Serialize + std::fmt::Debug>(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<T>(data) else {
        return;
    };
    let text = serde_json::to_vec(&value).expect("a decoded response serializes");
    if let Err(e) = serde_json::from_slice::<T>(&text) {
        panic!(
            "{} does not decode its own output: {e}\n{value:?}",
            std::any::type_name::<T>()
        );
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<DossierDetailView>(data);
    round_trip::<SignerDetailView>(data);
    round_trip::<SignatureRequestDetailView>(data);
    round_trip::<SignatureRequestList>(data);
    round_trip::<DocumentDetailView>(data);
    round_trip::<DocumentValidationResult>(data);
    round_trip::<NotificationDetailView>(data);
    round_trip::<ProblemDetail>(data);
    round_trip::<UploadUrl>(data);
});
