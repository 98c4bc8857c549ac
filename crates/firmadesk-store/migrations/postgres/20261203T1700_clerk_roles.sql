-- Roles in the office: "amministratore" (profiles, keys, templates, team settings) and "operatore" (send,
-- follow, export), by clerk: the login's subject, or user@machine on a desk without the body's login.
CREATE TABLE clerk_roles (
    identity TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('amministratore', 'operatore')),
    set_by   TEXT NOT NULL,
    set_at   BIGINT NOT NULL
);

-- A role changed on one desk reaches the others (their menus follow at once).
CREATE OR REPLACE FUNCTION firmadesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$
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
    ELSIF TG_TABLE_NAME IN ('clerk_roles') THEN
        subject := CASE WHEN TG_OP = 'DELETE' THEN OLD.identity ELSE NEW.identity END;
    END IF;
    PERFORM pg_notify('firmadesk_changes', json_build_object('table', TG_TABLE_NAME, 'id', subject)::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER clerk_roles_announce AFTER INSERT OR UPDATE OR DELETE ON clerk_roles
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce();
