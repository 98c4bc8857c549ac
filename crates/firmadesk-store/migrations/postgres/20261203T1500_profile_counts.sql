-- The dashboard counts one profile at a time (a locked profile's numbers never mix in): its counters read
-- this index alone.
CREATE INDEX requests_profile_status_expiry ON requests (profile_id, status, expires_at);
