-- A refill thread names its medications, so it is confidential when one of them is (meta.security R or V) or is of a
-- sensitive category: what a guardian of a 12-17 year old does not see. New refill threads are marked when they are
-- made (refills.service.ts); this marks the ones made before.
UPDATE "message_threads" t SET "confidential" = true
WHERE t."topic" = 'refill' AND NOT t."confidential" AND EXISTS (
  SELECT 1 FROM "refill_requests" r
  JOIN "fhir_resources" f ON f."id" = ANY (r."medication_ids") AND f."patient_id" = r."patient_id"
  WHERE r."thread_id" = t."id" AND (f."confidential" OR f."sensitive_category" IS NOT NULL)
);
