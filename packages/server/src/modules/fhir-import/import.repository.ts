import { sql } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db/client.ts';
import { sourceIdSystem, type PlannedEntry, type PlannedPatient, type PlanLookups } from './bundle-plan.ts';

/** Rows per INSERT: one JSON parameter each, so a bundle of thousands of entries is a handful of round trips. */
const chunkSize = 1000;

/** The database lookups the planner needs, scoped to one organization. */
export function planLookups(tx: Executor, organizationId: string): PlanLookups {
  return {
    async patientsByMrn(mrns) {
      const rows = await queryRows<{ id: string; mrn: string }>(
        tx,
        sql`select id, mrn from patients where organization_id = ${organizationId} and mrn = any(${sql.param(mrns)}::text[])`,
      );
      return new Map(rows.map((r) => [r.mrn, r.id]));
    },
    async patientsById(ids) {
      const rows = await queryRows<{ id: string; mrn: string }>(
        tx,
        sql`select id, mrn from patients where organization_id = ${organizationId} and id = any(${sql.param(ids)}::uuid[])`,
      );
      return new Map(rows.map((r) => [r.id, r.mrn]));
    },
    async resourcesByIdentifier(queries) {
      const exact = queries.filter((q) => !q.identifier.startsWith('|'));
      const anySystem = queries.filter((q) => q.identifier.startsWith('|'));
      const rows: { id: string; type: string; identifiers: string[] }[] = [];
      if (exact.length > 0) {
        rows.push(
          ...(await queryRows<{ id: string; type: string; identifiers: string[] }>(
            tx,
            sql`select id, resource_type as type, identifiers from fhir_resources
                where organization_id = ${organizationId}
                  and resource_type = any(${sql.param([...new Set(exact.map((q) => q.type))])}::text[])
                  and identifiers && ${sql.param(exact.map((q) => q.identifier))}::text[]`,
          )),
        );
      }
      for (const q of anySystem) {
        rows.push(
          ...(await queryRows<{ id: string; type: string; identifiers: string[] }>(
            tx,
            sql`select id, resource_type as type, identifiers from fhir_resources
                where organization_id = ${organizationId} and resource_type = ${q.type}
                  and exists (select 1 from unnest(identifiers) i where split_part(i, '|', 2) = ${q.identifier.slice(1)})
                limit 2`,
          )),
        );
      }
      return rows;
    },
    async existingResources(ids) {
      const rows = await queryRows<{ id: string; type: string }>(
        tx,
        sql`select id, resource_type as type from fhir_resources
            where organization_id = ${organizationId} and id = any(${sql.param(ids)}::uuid[])`,
      );
      return new Map(rows.map((r) => [r.id, r.type]));
    },
  };
}

/**
 * Creates the imported patients or refreshes their demographics from the source; the portal's own fields stay. A new
 * patient under a freshly minted MRN is only inserted: when a concurrent import of the same source Patient created it
 * first (same id, its own MRN), that one stands.
 */
export async function upsertPatients(tx: Executor, organizationId: string, rows: PlannedPatient[]): Promise<void> {
  const minted = rows.filter((p) => p.newLocalMrn);
  if (minted.length > 0) {
    await tx.execute(sql`
      insert into patients (id, organization_id, mrn, given_name, family_name, birth_date, sex, phone, address)
      select x.id, ${organizationId}, x.mrn, x.given_name, x.family_name, x.birth_date, x.sex, x.phone, x.address
      from jsonb_to_recordset(${patientsJson(minted)}::jsonb) as x(id uuid, mrn text, given_name text, family_name text, birth_date date, sex text, phone text, address text)
      on conflict (id) do nothing`);
  }
  const keyed = rows.filter((p) => !p.newLocalMrn);
  if (keyed.length === 0) return;
  await tx.execute(sql`
    insert into patients (id, organization_id, mrn, given_name, family_name, birth_date, sex, phone, address)
    select x.id, ${organizationId}, x.mrn, x.given_name, x.family_name, x.birth_date, x.sex, x.phone, x.address
    from jsonb_to_recordset(${patientsJson(keyed)}::jsonb) as x(id uuid, mrn text, given_name text, family_name text, birth_date date, sex text, phone text, address text)
    on conflict (organization_id, mrn) do update set
      given_name = excluded.given_name, family_name = excluded.family_name, birth_date = excluded.birth_date,
      sex = excluded.sex, phone = coalesce(excluded.phone, patients.phone), address = coalesce(excluded.address, patients.address)`);
}

function patientsJson(rows: PlannedPatient[]): string {
  return JSON.stringify(
    rows.map((p) => ({
      id: p.id,
      mrn: p.mrn,
      given_name: p.givenName,
      family_name: p.familyName,
      birth_date: p.birthDate,
      sex: p.sex,
      phone: p.phone,
      address: p.address,
    })),
  );
}

/** What happened to each written resource: created, or updated to a new version. Unchanged ones are not listed. */
export interface WrittenResource {
  id: string;
  created: boolean;
  versionId: number;
}

/**
 * Creates or updates resources in one statement per chunk. An update keeps the replaced version in
 * fhir_resource_versions and bumps version_id; a resource identical to the stored one is left alone (re-imports are
 * idempotent and do not grow history).
 */
export async function upsertResources(tx: Executor, organizationId: string, entries: PlannedEntry[]): Promise<WrittenResource[]> {
  const written: WrittenResource[] = [];
  for (let i = 0; i < entries.length; i += chunkSize) {
    const chunk = entries.slice(i, i + chunkSize);
    const json = JSON.stringify(
      chunk.map((e) => ({
        id: e.id,
        patient_id: e.patientId,
        resource_type: e.resourceType,
        category: e.category,
        code: e.code,
        effective_at: e.effectiveAt?.toISOString() ?? null,
        status: e.status,
        encounter_id: e.encounterId,
        identifiers: e.identifiers,
        sensitive_category: e.sensitiveCategory,
        confidential: e.confidential,
        resource: e.resource,
      })),
    );
    // Lock the stored rows this chunk replaces (in id order, as the caller sorted them), so a concurrent import of the
    // same resource waits and the next statement's snapshot sees its committed version: no version is lost.
    await tx.execute(sql`select 1 from fhir_resources where id = any(${sql.param(chunk.map((e) => e.id))}::uuid[]) order by id for update`);
    const rows = await queryRows<{ id: string; created: boolean; version_id: number }>(
      tx,
      sql`
      with input as (
        select * from jsonb_to_recordset(${json}::jsonb) as x(
          id uuid, patient_id uuid, resource_type text, category text, code text, effective_at timestamptz, status text,
          encounter_id uuid, identifiers text[], sensitive_category text, confidential boolean, resource jsonb)
      ), superseded as (
        insert into fhir_resource_versions (id, version_id, organization_id, patient_id, resource_type, last_updated, resource)
        select f.id, f.version_id, f.organization_id, f.patient_id, f.resource_type, f.last_updated, f.resource
        from fhir_resources f join input i on i.id = f.id
        where f.organization_id = ${organizationId} and f.resource is distinct from i.resource
        -- Two imports creating the same new resource at once: the second finds no row to lock; keep the first version.
        on conflict do nothing
      )
      insert into fhir_resources as f (id, organization_id, patient_id, resource_type, category, code, effective_at, status,
        encounter_id, identifiers, sensitive_category, is_sensitive, confidential, resource)
      select id, ${organizationId}, patient_id, resource_type, category, code, effective_at, status, encounter_id,
        coalesce(identifiers, '{}'), sensitive_category, sensitive_category is not null, coalesce(confidential, false), resource
      from input
      on conflict (id) do update set
        patient_id = excluded.patient_id, resource_type = excluded.resource_type, category = excluded.category,
        code = excluded.code, effective_at = excluded.effective_at, status = excluded.status,
        encounter_id = excluded.encounter_id,
        -- A source id once recorded stays (sourceIdSystem): later references to Patient/<that id> still resolve.
        identifiers = excluded.identifiers || array(select i from unnest(f.identifiers) i
          where i like ${`${sourceIdSystem}|%`} and i <> all(excluded.identifiers)),
        sensitive_category = excluded.sensitive_category, is_sensitive = excluded.is_sensitive, confidential = excluded.confidential,
        resource = excluded.resource, version_id = f.version_id + 1, last_updated = now()
      where f.organization_id = excluded.organization_id and f.resource is distinct from excluded.resource
      returning f.id, (xmax = 0) as created, f.version_id`,
    );
    for (const r of rows) written.push({ id: r.id, created: r.created, versionId: r.version_id });
  }
  return written;
}
