//! Clerks' roles (conformance: both backends): the first desk on a new office becomes its administrator,
//! once; roles are set and listed; the last administrator cannot be demoted.

use crate::*;
use firmadesk_store::*;

pub async fn the_first_clerk_administers_and_the_office_keeps_one_administrator(store: &dyn Store) {
    assert_eq!(store.clerk_role("anna@pc-1").await.unwrap(), None);
    assert!(
        store.claim_first_admin("anna@pc-1", NOW).await.unwrap(),
        "a new office: the first claim wins"
    );
    assert!(!store.claim_first_admin("bruno@pc-2", NOW).await.unwrap(), "only once");
    assert_eq!(store.clerk_role("anna@pc-1").await.unwrap(), Some(Role::Amministratore));
    assert_eq!(store.clerk_role("bruno@pc-2").await.unwrap(), None);

    store
        .set_clerk_role("bruno@pc-2", Role::Operatore, "anna@pc-1", NOW + 1)
        .await
        .unwrap();
    let refused = store
        .set_clerk_role("anna@pc-1", Role::Operatore, "anna@pc-1", NOW + 2)
        .await
        .unwrap_err();
    assert_eq!(refused.kind, ErrorKind::Invalid, "the last administrator stays");
    store
        .set_clerk_role("bruno@pc-2", Role::Amministratore, "anna@pc-1", NOW + 3)
        .await
        .unwrap();
    store
        .set_clerk_role("anna@pc-1", Role::Operatore, "bruno@pc-2", NOW + 4)
        .await
        .unwrap();
    let roles = store.clerk_roles().await.unwrap();
    assert_eq!(
        roles
            .iter()
            .map(|r| (r.identity.as_str(), r.role, r.set_by.as_str(), r.set_at))
            .collect::<Vec<_>>(),
        vec![
            ("anna@pc-1", Role::Operatore, "bruno@pc-2", NOW + 4),
            ("bruno@pc-2", Role::Amministratore, "anna@pc-1", NOW + 3),
        ]
    );
}
