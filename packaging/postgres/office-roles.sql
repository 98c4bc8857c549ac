-- FirmaDesk team mode: the office's roles enforced by PostgreSQL itself.
--
-- Run once, as the team database's owner (a role that may create roles), connected to the team database
-- after FirmaDesk has created its tables (the worker's first start does):
--
--     psql "postgres://firmadesk@db.comune.example/firmadesk" -f office-roles.sql
--
-- Then give each clerk a login of their own in one of the two groups, and write it in the clerk's
-- Impostazioni › Modalità ufficio (postgres://anna.rossi@db.comune.example/firmadesk):
--
--     CREATE ROLE "anna.rossi" LOGIN PASSWORD '...' IN ROLE firmadesk_operatori;
--     CREATE ROLE "mario.bianchi" LOGIN PASSWORD '...' IN ROLE firmadesk_amministratori;
--
-- Operators read everything and write what sending, following and archiving write; they cannot change
-- profiles, document types or roles, whatever program they connect with. Administrators write everything.
-- The owner's login is for the worker and upgrades (it applies FirmaDesk's migrations, which re-grant new
-- tables to the groups). Running this file again changes nothing.

DO $$
BEGIN
    CREATE ROLE firmadesk_amministratori NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

DO $$
BEGIN
    CREATE ROLE firmadesk_operatori NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

SELECT firmadesk_grant_roles();
