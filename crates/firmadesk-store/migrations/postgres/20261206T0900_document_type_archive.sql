-- A document type requests were sent with is archived, not deleted: no longer offered for new requests,
-- its name still read on the requests (and their archive folder) that carry it.
ALTER TABLE document_types ADD COLUMN archived BOOLEAN NOT NULL DEFAULT false;
