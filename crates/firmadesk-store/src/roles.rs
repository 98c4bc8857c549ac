//! What both backends say when a role change is refused.

use crate::{ErrorKind, StoreError};

/// Taking the last administrator's role away.
pub(crate) fn last_admin(identity: &str) -> StoreError {
    StoreError::new(
        ErrorKind::Invalid,
        "L'ufficio deve avere almeno un amministratore: nominarne un altro prima di cambiare questo ruolo.",
    )
    .detail(format!("last administrator {identity}"))
}

/// A role name the schema does not know (a newer FirmaDesk wrote it).
pub(crate) fn unknown(name: &str) -> StoreError {
    StoreError::new(ErrorKind::Invalid, "Ruolo sconosciuto nel database.").detail(format!("role {name}"))
}
