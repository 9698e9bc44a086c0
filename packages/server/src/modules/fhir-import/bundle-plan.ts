import {
  forEachReference,
  identifierQuery,
  parseReference,
  patientReferenceOf,
  searchColumns,
  hasRestrictedConfidentiality,
  sensitiveCategoryOf,
  type OutcomeIssue,
  type SensitiveCategory,
} from '@portico/fhir';
import {
  checkBundle,
  draftEntry,
  isRecord,
  issue,
  referenceIssue,
  serverId,
  refusedTargetIssue,
  uuidPattern,
  type EntryDraft,
  type RefusedTarget,
  type ImportBundleType,
} from './bundle-entry.ts';
import { patientIdentities, patientRow, sourceIdIdentifier, type PatientLookups, type PlannedPatient } from './bundle-patients.ts';
import { dropPortalMrn, mintLocalMrn } from './patient-identity.ts';

/** What callers of the plan used to import from here: the issue cap, server ids, the source-id system, bundle types. */
export { capIssues, serverId, sourceIdSystem, type ImportBundleType } from './bundle-entry.ts';
/** The patient rows a plan creates or refreshes. */
export type { PlannedPatient } from './bundle-patients.ts';

/**
 * Plans the import of one FHIR R4 Bundle: checks every entry, gives each resource its server id, resolves every
 * reference (`urn:uuid:` fullUrls, `Type/id`, conditional `Type?identifier=system|value`) and derives the search
 * columns. Pure except for the lookups it is handed; the importer writes the plan in one transaction.
 */

/** One entry ready to write. */
export interface PlannedEntry {
  index: number;
  id: string;
  resourceType: string;
  patientId: string | null;
  encounterId: string | null;
  resource: Record<string, unknown>;
  category: string | null;
  code: string | null;
  effectiveAt: Date | null;
  status: string | null;
  identifiers: string[];
  sensitiveCategory: SensitiveCategory | null;
  /** meta.security marks it restricted or very restricted (hasRestrictedConfidentiality): the `confidential` column. */
  confidential: boolean;
  /** A conditional create whose match already exists: nothing to write (FHIR `ifNoneExist`). */
  matchedExisting: boolean;
}

/** The plan: the entries to write, the patients to create or refresh, and the entries refused with why. */
export interface BundlePlan {
  type: ImportBundleType;
  entryCount: number;
  entries: PlannedEntry[];
  patients: PlannedPatient[];
  failures: Map<number, OutcomeIssue[]>;
}

/** What the planner may ask the database, all scoped to the importing organization. */
export interface PlanLookups extends PatientLookups {
  /** Stored resources of a type carrying any of these identifiers (`system|value`, or `|value` for any system). */
  resourcesByIdentifier(queries: { type: string; identifier: string }[]): Promise<{ id: string; type: string; identifiers: string[] }[]>;
  /** Which of these ids exist, with their type. */
  existingResources(ids: string[]): Promise<Map<string, string>>;
}

/** What a caller may fix for a plan besides the lookups (tests): how a new local MRN is drawn. */
export interface PlanOptions {
  mintMrn?: () => string;
}

/** Plans a Bundle's import. Entries that fail are in `failures`; for a transaction any failure means nothing is written. */
export async function planBundle(
  bundle: unknown,
  organizationId: string,
  lookups: PlanLookups,
  options: PlanOptions = {},
): Promise<BundlePlan | OutcomeIssue[]> {
  const checked = checkBundle(bundle);
  if (Array.isArray(checked)) return checked;
  const { type, entries: rawEntries } = checked;
  const failures = new Map<number, OutcomeIssue[]>();
  const fail = (index: number, issues: OutcomeIssue[]) => {
    if (issues.length === 0) return;
    const list = failures.get(index) ?? [];
    list.push(...issues);
    failures.set(index, list);
  };

  // 1. Each entry on its own: shape, request, resource validation.
  const drafts: EntryDraft[] = [];
  const fullUrls = new Map<string, EntryDraft>();
  for (let i = 0; i < rawEntries.length; i++) {
    const issues: OutcomeIssue[] = [];
    const draft = draftEntry(rawEntries[i], i, type, organizationId, issues);
    if (draft?.fullUrl) {
      if (fullUrls.has(draft.fullUrl)) issues.push(issue('invalid', 'Two entries have the same fullUrl.', `${draft.path}.fullUrl`));
      else fullUrls.set(draft.fullUrl, draft);
    }
    fail(i, issues);
    if (draft && issues.length === 0) drafts.push(draft);
  }

  // 2. Identity: patients by MRN (or, without one, by source), conditional creates and updates by identifier, a resource
  // whose id is already one of ours in this organization (our own export coming back) by that id, everything else by
  // its source key.
  const conditions = new Map<string, { type: string; identifier: string }>();
  const addCondition = (type: string, identifier: string) => conditions.set(`${type}\u0000${identifier}`, { type, identifier });
  for (const d of drafts) if (d.condition) addCondition(d.resourceType, d.condition);
  for (const d of drafts) if (d.resourceType === 'Patient' && !d.mrn) addCondition('Patient', sourceIdIdentifier(d.sourceKey));
  const conditionalRefs: { draft: EntryDraft; type: string; identifier: string | null }[] = [];
  for (const d of drafts) {
    forEachReference(d.resource, `${d.path}.resource`, ({ target }) => {
      const parsed = parseReference(target.reference);
      if (parsed?.kind === 'relative' && parsed.type === 'Patient') addCondition('Patient', sourceIdIdentifier(parsed.id));
      if (parsed?.kind === 'conditional') {
        const identifier = identifierQuery(parsed.query);
        conditionalRefs.push({ draft: d, type: parsed.type, identifier });
        if (identifier) addCondition(parsed.type, identifier);
      }
    });
  }
  const stored = conditions.size > 0 ? await lookups.resourcesByIdentifier([...conditions.values()]) : [];
  const storedIndex = new Map<string, Set<string>>();
  for (const row of stored) {
    for (const identifier of row.identifiers) {
      for (const key of [`${row.type}\u0000${identifier}`, `${row.type}\u0000|${identifier.slice(identifier.indexOf('|') + 1)}`]) {
        const set = storedIndex.get(key) ?? new Set<string>();
        set.add(row.id);
        storedIndex.set(key, set);
      }
    }
  }
  const storedMatches = (type: string, identifier: string) => [...(storedIndex.get(`${type}\u0000${identifier}`) ?? [])];
  const identities = await patientIdentities(
    drafts.filter((d) => d.resourceType === 'Patient'),
    organizationId,
    lookups,
    (sourceKey) => storedMatches('Patient', sourceIdIdentifier(sourceKey)),
    options.mintMrn ?? mintLocalMrn,
  );
  const ownIds = drafts.flatMap((d) =>
    d.resourceType !== 'Patient' && !d.condition && uuidPattern.test(d.sourceKey) ? [d.sourceKey.toLowerCase()] : [],
  );
  const ours = ownIds.length > 0 ? await lookups.existingResources(ownIds) : new Map<string, string>();

  const patients: PlannedPatient[] = [];
  const byId = new Map<string, EntryDraft>();
  for (const d of drafts) {
    const issues: OutcomeIssue[] = [];
    if (d.resourceType === 'Patient') {
      const identity = identities.get(d);
      const row = patientRow(d, identity, issues);
      if (row) {
        d.id = row.id;
        patients.push(row);
      }
    } else if (d.condition) {
      const matches = storedMatches(d.resourceType, d.condition);
      if (matches.length > 1) {
        issues.push(
          issue(
            'multiple-matches',
            `The condition matches ${matches.length} stored resources; it must match at most one.`,
            `${d.path}.request`,
          ),
        );
      } else if (matches.length === 1) {
        d.id = matches[0]!;
        d.matchedExisting = d.conditionKind === 'create';
      } else d.id = serverId(organizationId, d.resourceType, d.sourceKey);
    } else {
      const own = d.sourceKey.toLowerCase();
      d.id = ours.get(own) === d.resourceType ? own : serverId(organizationId, d.resourceType, d.sourceKey);
    }
    if (d.id && byId.has(d.id)) issues.push(issue('invalid', 'Two entries describe the same resource.', `${d.path}.resource.id`));
    fail(d.index, issues);
    if (d.id && issues.length === 0) byId.set(d.id, d);
  }
  let live = drafts.filter((d) => !failures.has(d.index) && d.id);
  const refusedTarget = refusedTargets(rawEntries, failures);

  // 3. References: within the bundle first, then stored resources of this organization.
  const bundleTargets = new Map<string, EntryDraft>();
  for (const d of live) {
    if (d.fullUrl) bundleTargets.set(d.fullUrl, d);
    const ownId = typeof d.resource.id === 'string' ? d.resource.id : null;
    if (ownId) bundleTargets.set(`${d.resourceType}/${ownId}`, d);
  }
  const candidateIds = new Set<string>();
  const candidatesOf = (type: string, id: string) => {
    const list = [serverId(organizationId, type, id)];
    if (uuidPattern.test(id)) list.push(id.toLowerCase());
    return list;
  };
  for (const d of live) {
    forEachReference(d.resource, '', ({ target }) => {
      const parsed = parseReference(target.reference);
      if (parsed?.kind === 'relative' && !bundleTargets.has(`${parsed.type}/${parsed.id}`)) {
        for (const c of candidatesOf(parsed.type, parsed.id)) candidateIds.add(c);
      }
    });
  }
  const existing = candidateIds.size > 0 ? await lookups.existingResources([...candidateIds]) : new Map<string, string>();

  const bundleIdentifierIndex = new Map<string, EntryDraft[]>();
  for (const d of live) {
    const identifiers = d.resource.identifier;
    const list = Array.isArray(identifiers)
      ? (identifiers as fhir4.Identifier[])
      : isRecord(identifiers)
        ? [identifiers as fhir4.Identifier]
        : [];
    for (const identifier of list) {
      if (!identifier.value) continue;
      for (const key of [
        `${d.resourceType}\u0000${identifier.system ?? ''}|${identifier.value}`,
        `${d.resourceType}\u0000|${identifier.value}`,
      ]) {
        const found = bundleIdentifierIndex.get(key) ?? [];
        if (!found.includes(d)) found.push(d);
        bundleIdentifierIndex.set(key, found);
      }
    }
  }

  const resolvedTarget = (reference: string): { id: string; type: string } | OutcomeIssue['code'] | 'leave' => {
    const parsed = parseReference(reference);
    if (!parsed) return 'invalid';
    switch (parsed.kind) {
      case 'contained':
      case 'absolute':
        return bundleTargets.has(reference)
          ? { id: bundleTargets.get(reference)!.id!, type: bundleTargets.get(reference)!.resourceType }
          : 'leave';
      case 'urn': {
        const target = bundleTargets.get(reference);
        return target ? { id: target.id!, type: target.resourceType } : 'not-found';
      }
      case 'relative': {
        const target = bundleTargets.get(`${parsed.type}/${parsed.id}`);
        if (target) return { id: target.id!, type: target.resourceType };
        for (const c of candidatesOf(parsed.type, parsed.id)) if (existing.get(c) === parsed.type) return { id: c, type: parsed.type };
        const bySourceId = parsed.type === 'Patient' ? storedMatches('Patient', sourceIdIdentifier(parsed.id)) : [];
        return bySourceId.length === 1 ? { id: bySourceId[0]!, type: 'Patient' } : 'not-found';
      }
      case 'conditional': {
        const identifier = identifierQuery(parsed.query);
        if (!identifier) return 'not-supported';
        const inBundle = bundleIdentifierIndex.get(`${parsed.type}\u0000${identifier}`) ?? [];
        if (inBundle.length === 1) return { id: inBundle[0]!.id!, type: parsed.type };
        if (inBundle.length > 1) return 'multiple-matches';
        const matches = storedMatches(parsed.type, identifier);
        if (matches.length === 1) return { id: matches[0]!, type: parsed.type };
        return matches.length > 1 ? 'multiple-matches' : 'not-found';
      }
    }
  };

  // Failed targets fail their referrers too (batch); repeat until nothing new fails.
  for (let changed = true; changed;) {
    changed = false;
    for (const d of live) {
      const issues: OutcomeIssue[] = [];
      forEachReference(d.resource, `${d.path}.resource`, ({ target, path }) => {
        const resolved = resolvedTarget(target.reference);
        const refused = resolved === 'not-found' ? refusedTarget(target.reference) : undefined;
        if (typeof resolved === 'object') {
          const targetDraft = byId.get(resolved.id);
          if (targetDraft && failures.has(targetDraft.index)) {
            issues.push(refusedTargetIssue(target.reference, { index: targetDraft.index, type: targetDraft.resourceType }, path));
          }
        } else if (refused) issues.push(refusedTargetIssue(target.reference, refused, path));
        else if (resolved !== 'leave') issues.push(referenceIssue(resolved, target.reference, path));
      });
      if (issues.length > 0) {
        fail(d.index, issues);
        changed = true;
      }
    }
    live = live.filter((d) => !failures.has(d.index));
  }

  // 4. Rewrite references to server ids and derive the stored row.
  const planned: PlannedEntry[] = [];
  for (const d of live) {
    forEachReference(d.resource, '', ({ target }) => {
      const resolved = resolvedTarget(target.reference);
      if (typeof resolved === 'object') target.reference = `${resolved.type}/${resolved.id}`;
    });
    const resource = d.resource;
    resource.id = d.id;
    if (d.resourceType === 'Patient') dropPortalMrn(resource, organizationId);
    if (isRecord(resource.meta)) {
      const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta;
      if (Object.keys(meta).length > 0) resource.meta = meta;
      else delete resource.meta;
    }
    const typed = resource as unknown as fhir4.Resource;
    let patientId: string | null = null;
    if (d.resourceType === 'Patient') patientId = d.id;
    else {
      const reference = patientReferenceOf(typed);
      const parsed = reference ? parseReference(reference) : null;
      if (parsed?.kind === 'relative' && parsed.type === 'Patient') patientId = parsed.id;
    }
    const columns = searchColumns(typed);
    const encounter = columns.encounterReference ? parseReference(columns.encounterReference) : null;
    planned.push({
      index: d.index,
      id: d.id!,
      resourceType: d.resourceType,
      patientId,
      encounterId: encounter?.kind === 'relative' && encounter.type === 'Encounter' && uuidPattern.test(encounter.id) ? encounter.id : null,
      resource,
      category: columns.category,
      code: columns.code,
      effectiveAt: columns.effectiveAt,
      status: columns.status,
      identifiers:
        d.resourceType === 'Patient'
          ? [...searchable(columns.identifiers), sourceIdIdentifier(d.sourceKey)]
          : searchable(columns.identifiers),
      sensitiveCategory: sensitiveCategoryOf(typed),
      confidential: hasRestrictedConfidentiality(typed),
      matchedExisting: d.matchedExisting,
    });
  }

  // A resource in a patient's compartment must name a patient we know: stored or imported in this bundle.
  const patientIds = new Set(patients.map((p) => p.id));
  for (const identity of identities.values()) if (identity.existing) patientIds.add(identity.id);
  const unknownPatients = planned.filter((p) => p.patientId && !patientIds.has(p.patientId)).map((p) => p.patientId!);
  if (unknownPatients.length > 0) {
    const stillUnknown = new Set(unknownPatients);
    const found = await lookups.existingResources([...stillUnknown]);
    for (const [id, t] of found) if (t === 'Patient') stillUnknown.delete(id);
    for (const p of planned) {
      if (p.patientId && stillUnknown.has(p.patientId))
        fail(p.index, [issue('not-found', 'The patient this resource belongs to is not known.', `Bundle.entry[${p.index}].resource`)]);
    }
  }

  return {
    type,
    entryCount: rawEntries.length,
    entries: planned.filter((p) => !failures.has(p.index)),
    patients: patients.filter((p) => ![...failures.keys()].some((i) => byId.get(p.id)?.index === i)),
    failures,
  };
}

/** Identifiers never copied into the search column: national ids are not something the portal searches by. */
const unsearchedSystems = ['http://hl7.org/fhir/sid/us-ssn|'];

function searchable(identifiers: string[]): string[] {
  return identifiers.filter((i) => !unsearchedSystems.some((s) => i.startsWith(s)));
}

/** Where each entry refused before references are resolved can be referred to (fullUrl, `Type/id`), with its type. */
function refusedTargets(rawEntries: unknown[], failures: Map<number, OutcomeIssue[]>): (reference: string) => RefusedTarget | undefined {
  const targets = new Map<string, RefusedTarget>();
  rawEntries.forEach((raw, index) => {
    if (!failures.has(index) || !isRecord(raw)) return;
    const resource = isRecord(raw.resource) ? raw.resource : {};
    const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'resource';
    if (typeof raw.fullUrl === 'string') targets.set(raw.fullUrl, { index, type });
    if (typeof resource.id === 'string') targets.set(`${type}/${resource.id}`, { index, type });
    const url = isRecord(raw.request) ? raw.request.url : undefined;
    if (typeof url === 'string' && !url.includes('?')) targets.set(url, { index, type });
  });
  return (reference) => {
    const parsed = parseReference(reference);
    if (parsed?.kind === 'urn') return targets.get(reference);
    return parsed?.kind === 'relative' ? targets.get(`${parsed.type}/${parsed.id}`) : undefined;
  };
}
