ALTER TABLE "fhir_resources" ADD COLUMN "confidential" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "message_threads" ADD COLUMN "confidential" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill (by hand): a stored resource is confidential when meta.security holds the v3 Confidentiality code R or V,
-- as @portico/fhir's hasRestrictedConfidentiality reads it (the same three system spellings).
UPDATE "fhir_resources" SET "confidential" = true
WHERE jsonb_typeof("resource" -> 'meta' -> 'security') = 'array'
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements("resource" -> 'meta' -> 'security') AS l(label)
    WHERE jsonb_typeof(l.label) = 'object'
      AND l.label ->> 'system' IN ('http://terminology.hl7.org/CodeSystem/v3-Confidentiality', 'urn:oid:2.16.840.1.113883.5.25', 'http://hl7.org/fhir/v3/Confidentiality')
      AND l.label ->> 'code' IN ('R', 'V')
  );
