-- The change feed: every change a desk must show is announced on the channel `firmadesk_changes`, so the
-- other desks refresh within a second instead of polling. The payload names the table and the request
-- (or profile / document type) it concerns; the rows themselves are read again by the desks, so a
-- notification never carries data a desk could not read anyway.

CREATE FUNCTION firmadesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject TEXT;
BEGIN
    IF TG_TABLE_NAME IN ('requests') THEN
        subject := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    ELSIF TG_TABLE_NAME IN ('events', 'archived_files', 'sends', 'documents') THEN
        subject := CASE WHEN TG_OP = 'DELETE' THEN OLD.request_id ELSE NEW.request_id END;
    ELSIF TG_TABLE_NAME IN ('profiles') THEN
        subject := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
    ELSIF TG_TABLE_NAME IN ('document_types') THEN
        subject := CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END;
    END IF;
    PERFORM pg_notify('firmadesk_changes', json_build_object('table', TG_TABLE_NAME, 'id', subject)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER requests_announce AFTER INSERT OR UPDATE OR DELETE ON requests
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
CREATE TRIGGER events_announce AFTER INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
CREATE TRIGGER archived_files_announce AFTER INSERT OR UPDATE ON archived_files
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
CREATE TRIGGER sends_announce AFTER INSERT OR UPDATE ON sends
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
CREATE TRIGGER profiles_announce AFTER INSERT OR UPDATE OR DELETE ON profiles
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
CREATE TRIGGER document_types_announce AFTER INSERT OR UPDATE OR DELETE ON document_types
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
