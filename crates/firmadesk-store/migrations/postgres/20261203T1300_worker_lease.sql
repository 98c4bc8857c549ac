-- One worker per API key: the lease a process must hold to talk to IO Sign with a key (named by the
-- profile that holds it, never by the key). `epoch` is the fencing token: it grows by one at every
-- take-over, and a worker's writes go through only while the row still carries its holder and epoch.
-- Times are unix milliseconds from the contenders' clocks; a skewed clock can only make a take-over
-- early, which the fencing makes harmless.
CREATE TABLE worker_leases (
    profile_id TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    epoch      BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
