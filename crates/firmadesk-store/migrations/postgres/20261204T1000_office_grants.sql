-- Roles enforced by the database itself, where the body gives each clerk a login of their own: members of
-- the group `firmadesk_operatori` read everything and write what sending, following and archiving write;
-- members of `firmadesk_amministratori` write everything (profiles, document types, roles too). The groups
-- are the body's IT's to create (packaging/postgres/office-roles.sql); until they exist this does nothing,
-- and a database used through one login keeps the desk's own checks only.
--
-- Run again (by the migrating owner) after every migration, so new tables get their grants as well.
CREATE FUNCTION firmadesk_grant_roles() RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
    here TEXT := quote_ident(current_schema());
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_amministratori')
       OR NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'firmadesk_operatori') THEN
        RETURN 'no office groups';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %s TO firmadesk_amministratori', here);
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %s TO firmadesk_operatori', here);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO firmadesk_amministratori, firmadesk_operatori', here);
    -- Sending, following, archiving, the outbox and its files, the worker's lease; not profiles, document
    -- types or roles.
    GRANT INSERT, UPDATE, DELETE ON requests, documents, signature_fields, events, sends, archived_files,
        dossiers, signers, files, worker_leases, request_counts TO firmadesk_operatori;
    RETURN 'granted';
END;
$$;

SELECT firmadesk_grant_roles();
