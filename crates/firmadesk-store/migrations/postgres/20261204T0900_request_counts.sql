-- The counters of the dashboard and the tray, kept as the requests change instead of counted each time
-- (counting 100,000 rows by status took 22-28 ms; reading these rows takes well under one).
CREATE TABLE request_counts (
    profile_id TEXT NOT NULL,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (profile_id, status)
);

-- One row's move from (old profile, old status) to (new profile, new status): both counters in one
-- statement, in key order, so two transactions that each move one request never wait on each other in a
-- circle.
CREATE FUNCTION firmadesk_count_requests() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.profile_id = NEW.profile_id AND OLD.status = NEW.status THEN
        RETURN NULL;
    END IF;
    INSERT INTO request_counts AS c (profile_id, status, n)
    SELECT profile_id, status, SUM(delta) FROM (
        SELECT OLD.profile_id AS profile_id, OLD.status AS status, -1 AS delta WHERE TG_OP IN ('UPDATE', 'DELETE')
        UNION ALL
        SELECT NEW.profile_id, NEW.status, 1 WHERE TG_OP IN ('UPDATE', 'INSERT')
    ) AS moves
    GROUP BY profile_id, status
    ORDER BY profile_id, status
    ON CONFLICT (profile_id, status) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END;
$$;

-- The trigger first: creating it locks out writers until this migration commits, so the counts below
-- include every row and every later change goes through the trigger.
CREATE TRIGGER requests_count AFTER INSERT OR UPDATE OF profile_id, status OR DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION firmadesk_count_requests();

INSERT INTO request_counts (profile_id, status, n)
SELECT profile_id, status, COUNT(*) FROM requests GROUP BY profile_id, status;

-- "In attesa di firma" by deadline (no deadline first, as SQLite orders it; the id breaks ties): these
-- indexes give a page in that order instead of sorting every waiting request (13 ms → 0.5 ms for one
-- profile at 100,000 requests). They also serve the deadline counts, which the two they replace served.
CREATE INDEX requests_profile_status_deadline ON requests (profile_id, status, expires_at NULLS FIRST, id);
CREATE INDEX requests_status_deadline ON requests (status, expires_at NULLS FIRST, id);
DROP INDEX requests_profile_status_expiry;
DROP INDEX requests_status_expiry;
