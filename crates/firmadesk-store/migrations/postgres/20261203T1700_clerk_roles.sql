-- Roles in the office: "amministratore" (profiles, keys, templates, team settings) and "operatore" (send,
-- follow, export), by clerk: the login's subject, or user@machine on a desk without the body's login.
CREATE TABLE clerk_roles (
    identity TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('amministratore', 'operatore')),
    set_by   TEXT NOT NULL,
    set_at   BIGINT NOT NULL
);

-- The change feed's function names each row by the column its trigger passes (TG_ARGV[0]), so a table
-- joins the feed with its trigger alone; the triggers made before this change pass none and keep their
-- column by table.
CREATE OR REPLACE FUNCTION firmadesk_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject_column TEXT := CASE
        WHEN TG_NARGS > 0 THEN TG_ARGV[0]
        WHEN TG_TABLE_NAME IN ('events', 'archived_files', 'sends', 'documents') THEN 'request_id'
        WHEN TG_TABLE_NAME = 'document_types' THEN 'name'
        ELSE 'id'
    END;
    subject TEXT := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> subject_column;
BEGIN
    PERFORM pg_notify('firmadesk_changes', json_build_object('table', TG_TABLE_NAME, 'id', subject)::text);
    RETURN NULL;
END;
$$;

-- A role changed on one desk reaches the others (their menus follow at once).
CREATE TRIGGER clerk_roles_announce AFTER INSERT OR UPDATE OR DELETE ON clerk_roles
    FOR EACH ROW EXECUTE FUNCTION firmadesk_announce('identity');
