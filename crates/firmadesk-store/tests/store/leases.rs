//! Worker leases (conformance: both backends): one holder per key, renewed by its holder, taken over
//! only once expired (with a new epoch), given up at once on release.

use crate::*;
use firmadesk_store::*;

const TTL: i64 = 15_000;

pub async fn a_lease_has_one_holder_until_it_expires_or_is_released(store: &dyn Store) {
    assert_eq!(store.lease("p1").await.unwrap(), None);
    let a = store
        .try_lease("p1", "server-a", NOW, TTL)
        .await
        .unwrap()
        .expect("a free key is granted");
    assert_eq!((a.holder.as_str(), a.epoch, a.expires_at), ("server-a", 1, NOW + TTL));
    assert_eq!(
        store.try_lease("p1", "desk-b", NOW + 1_000, TTL).await.unwrap(),
        None,
        "refused while A's lease runs"
    );
    let renewed = store
        .try_lease("p1", "server-a", NOW + 5_000, TTL)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (renewed.epoch, renewed.expires_at),
        (1, NOW + 5_000 + TTL),
        "renewal keeps the epoch"
    );
    assert_eq!(
        store
            .try_lease("p1", "desk-b", NOW + 5_000 + TTL - 1, TTL)
            .await
            .unwrap(),
        None
    );

    let b = store
        .try_lease("p1", "desk-b", NOW + 5_000 + TTL, TTL)
        .await
        .unwrap()
        .expect("an expired lease is taken over");
    assert_eq!(
        (b.holder.as_str(), b.epoch),
        ("desk-b", 2),
        "a take-over is a new epoch"
    );
    assert_eq!(store.lease("p1").await.unwrap(), Some(b.clone()));
    assert_eq!(
        store
            .try_lease("p1", "server-a", NOW + 5_000 + TTL + 1, TTL)
            .await
            .unwrap(),
        None,
        "A, back from a pause, does not get it back"
    );
    // A release by a former holder changes nothing; the holder's own lets the next in at once.
    store.release_lease(&a).await.unwrap();
    assert_eq!(store.lease("p1").await.unwrap(), Some(b.clone()));
    store.release_lease(&b).await.unwrap();
    let c = store
        .try_lease("p1", "server-a", NOW + 5_000 + TTL + 2, TTL)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.epoch, 3);
    // Leases are per key.
    let other = store.try_lease("p2", "desk-b", NOW, TTL).await.unwrap().unwrap();
    assert_eq!(other.epoch, 1);
}
