-- Issue #14: how many years the records office keeps a document type's documents (its "massimario di
-- scarto"): the hand-off package's TempoDiConservazione. Unset: the records office decides.
ALTER TABLE document_types ADD COLUMN retention_years INTEGER CHECK (retention_years IS NULL OR retention_years BETWEEN 1 AND 999);
