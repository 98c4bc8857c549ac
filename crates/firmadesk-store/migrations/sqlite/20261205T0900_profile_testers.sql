-- The fiscal codes registered as testers of a test key (space separated, in capitals): IO Sign's test
-- environment sends only to them, so FirmaDesk refuses any other before calling the service.
ALTER TABLE profiles ADD COLUMN testers TEXT NOT NULL DEFAULT '';
