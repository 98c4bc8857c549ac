-- The dashboard's text search (`search_text LIKE '%...%'`) on a trigram index, so it does not read every
-- request of the office. pg_trgm ships with PostgreSQL and is a trusted extension (the database's owner
-- may create it); where it cannot be created the search still works, by reading every row.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX requests_search_trgm ON requests USING gin (search_text gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm not available (%): the text search reads every request', SQLERRM;
END;
$$;
