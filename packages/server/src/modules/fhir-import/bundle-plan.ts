import { createHash } from 'node:crypto';
import {
  forEachReference,
  identifierQuery,
  parseReference,
  patientReferenceOf,
  searchColumns,
  sensitiveCategoryOf,
  validateResource,
  type OutcomeIssue,
  type SensitiveCategory,
} from '@portico/fhir';

/**
 * Plans the import of one FHIR R4 Bundle: checks every entry, gives each resource its server id, resolves every
 * reference (`urn:uuid:` fullUrls, `Type/id`, conditional `Type?identifier=system|value`) and derives the search
 * columns. Pure except for the lookups it is handed; the importer writes the plan in one transaction.
 */

/** The Bundle types the importer takes: FHIR `transaction` (all or nothing), `batch` and `collection` (entry by entry). */
export type ImportBundleType = 'transaction' | 'batch' | 'collection';

/** A patient row the import creates or refreshes, from an imported Patient resource. */
export interface PlannedPatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: string | null;
  phone: string | null;
  address: string | null;
  existing: boolean;
}

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
export interface PlanLookups {
  /** Patients of the organization by MRN. */
  patientsByMrn(mrns: string[]): Promise<Map<string, string>>;
  /** Stored resources of a type carrying any of these identifiers (`system|value`, or `|value` for any system). */
  resourcesByIdentifier(queries: { type: string; identifier: string }[]): Promise<{ id: string; type: string; identifiers: string[] }[]>;
  /** Which of these ids exist, with their type. */
  existingResources(ids: string[]): Promise<Map<string, string>>;
}

/**
 * Patients are keyed by MRN, not by the source's id, so the source id is kept as an identifier of ours: a later
 * bundle that refers to `Patient/<source id>` still finds its patient.
 */
export const sourceIdSystem = 'urn:portico:source-id';

/** FHIR R4 v2-0203 identifier type for a medical record number. */
const mrnTypeCode = 'MR';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Most issues one refusal lists; past this the rest are counted. */
const maxIssues = 50;

/** A stable server id for a resource of an organization: the same source resource always lands on the same row. */
export function serverId(organizationId: string, resourceType: string, sourceKey: string): string {
  const h = createHash('sha256').update(`${organizationId}\u0000${resourceType}\u0000${sourceKey}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface EntryDraft {
  index: number;
  path: string;
  fullUrl: string | null;
  resource: Record<string, unknown>;
  resourceType: string;
  method: 'POST' | 'PUT' | null;
  /** A conditional create or update: `identifier=system|value`. */
  condition: string | null;
  conditionKind: 'create' | 'update' | null;
  sourceKey: string;
  id: string | null;
  matchedExisting: boolean;
  mrn: string | null;
}

function issue(code: OutcomeIssue['code'], diagnostics: string, expression: string): OutcomeIssue {
  return { severity: 'error', code, diagnostics, expression: [expression] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function short(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/** Checks the Bundle itself; throws the issues when it is not one we can import. */
export function checkBundle(bundle: unknown): { type: ImportBundleType; entries: unknown[] } | OutcomeIssue[] {
  if (!isRecord(bundle)) return [issue('structure', 'The body must be a FHIR Bundle (a JSON object).', 'Bundle')];
  if (bundle.resourceType !== 'Bundle') {
    return [issue('structure', `Expected resourceType 'Bundle', found ${JSON.stringify(short(String(bundle.resourceType)))}.`, 'Bundle')];
  }
  const type = bundle.type;
  if (type !== 'transaction' && type !== 'batch' && type !== 'collection') {
    return [
      issue('not-supported', `Bundle.type must be transaction, batch or collection to import, not ${JSON.stringify(type)}.`, 'Bundle.type'),
    ];
  }
  if (bundle.entry === undefined) return { type, entries: [] };
  if (!Array.isArray(bundle.entry)) return [issue('structure', 'Bundle.entry must be an array.', 'Bundle.entry')];
  return { type, entries: bundle.entry as unknown[] };
}

/** The MRN of an imported Patient: the identifier whose type is v2-0203 `MR`. */
function mrnOf(resource: Record<string, unknown>): string | null {
  const identifiers = resource.identifier;
  if (!Array.isArray(identifiers)) return null;
  for (const identifier of identifiers as fhir4.Identifier[]) {
    if (identifier.value && identifier.type?.coding?.some((c) => c.code === mrnTypeCode)) return identifier.value;
  }
  return null;
}

function contentKey(resource: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(resource)).digest('hex')}`;
}

/** Reads one entry's request; issues when it asks for something we do not do. */
function draftEntry(raw: unknown, index: number, bundleType: ImportBundleType, issues: OutcomeIssue[]): EntryDraft | null {
  const path = `Bundle.entry[${index}]`;
  if (!isRecord(raw)) {
    issues.push(issue('structure', 'Each entry must be a JSON object.', path));
    return null;
  }
  const resource = raw.resource;
  const fullUrl = typeof raw.fullUrl === 'string' ? raw.fullUrl : null;
  if (raw.fullUrl !== undefined && fullUrl === null) issues.push(issue('structure', 'fullUrl must be a string.', `${path}.fullUrl`));
  let method: 'POST' | 'PUT' | null = null;
  let condition: string | null = null;
  let conditionKind: 'create' | 'update' | null = null;
  let urlId: string | null = null;
  if (bundleType !== 'collection') {
    const request = raw.request;
    if (!isRecord(request)) {
      issues.push(issue('required', `Entries of a ${bundleType} need a request (method and url).`, `${path}.request`));
      return null;
    }
    if (request.method !== 'POST' && request.method !== 'PUT') {
      issues.push(
        issue(
          'not-supported',
          `Only POST and PUT entries can be imported, not ${JSON.stringify(request.method)}.`,
          `${path}.request.method`,
        ),
      );
      return null;
    }
    method = request.method;
    if (typeof request.url !== 'string' || request.url === '') {
      issues.push(issue('required', 'request.url is required.', `${path}.request.url`));
      return null;
    }
    const [typePart, query] = request.url.split('?', 2) as [string, string | undefined];
    const [urlType, id, ...extra] = typePart.split('/');
    if (isRecord(resource) && urlType !== resource.resourceType) {
      issues.push(
        issue(
          'invalid',
          `request.url names ${short(urlType ?? '')} but the resource is a ${String(resource.resourceType)}.`,
          `${path}.request.url`,
        ),
      );
    }
    if (method === 'POST') {
      if (id !== undefined || query !== undefined)
        issues.push(issue('invalid', 'A POST url is just the resource type.', `${path}.request.url`));
      if (typeof request.ifNoneExist === 'string') {
        condition = identifierQuery(request.ifNoneExist);
        conditionKind = 'create';
        if (!condition) issues.push(issue('not-supported', 'ifNoneExist must be identifier=system|value.', `${path}.request.ifNoneExist`));
      }
    } else if (query !== undefined) {
      condition = identifierQuery(query);
      conditionKind = 'update';
      if (!condition || id !== undefined)
        issues.push(issue('not-supported', 'A conditional PUT must be Type?identifier=system|value.', `${path}.request.url`));
    } else {
      if (!id || extra.length > 0 || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
        issues.push(issue('invalid', 'A PUT url is Type/id.', `${path}.request.url`));
      } else if (isRecord(resource) && resource.id !== undefined && resource.id !== id) {
        issues.push(issue('invalid', `The resource id does not match the id in request.url.`, `${path}.resource.id`));
      } else urlId = id;
    }
  }
  const resourceIssues = validateResource(resource, `${path}.resource`);
  if (resourceIssues.length > 0) {
    issues.push(...resourceIssues);
    return null;
  }
  const record = resource as Record<string, unknown>;
  const resourceType = record.resourceType as string;
  const ownId = typeof record.id === 'string' ? record.id : null;
  const urnId = fullUrl?.startsWith('urn:uuid:') ? fullUrl.slice('urn:uuid:'.length) : null;
  const sourceKey = urlId ?? ownId ?? urnId ?? fullUrl ?? contentKey(record);
  return {
    index,
    path,
    fullUrl,
    resource: record,
    resourceType,
    method,
    condition,
    conditionKind,
    sourceKey,
    id: null,
    matchedExisting: false,
    mrn: resourceType === 'Patient' ? mrnOf(record) : null,
  };
}

function patientRow(draft: EntryDraft, id: string, existing: boolean, issues: OutcomeIssue[]): PlannedPatient | null {
  const r = draft.resource as unknown as fhir4.Patient;
  const name = r.name?.find((n) => n.use === 'official') ?? r.name?.[0];
  const given = name?.given?.join(' ') ?? '';
  const family = name?.family ?? '';
  if (!draft.mrn) {
    issues.push(
      issue(
        'required',
        'A Patient needs a medical record number: an identifier whose type is MR (v2-0203).',
        `${draft.path}.resource.identifier`,
      ),
    );
  }
  if (!given || !family) issues.push(issue('required', 'A Patient needs a given and a family name.', `${draft.path}.resource.name`));
  if (!r.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(r.birthDate)) {
    issues.push(issue('required', 'A Patient needs a full birthDate (YYYY-MM-DD).', `${draft.path}.resource.birthDate`));
  }
  if (!draft.mrn || !given || !family || !r.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(r.birthDate)) return null;
  const phone = r.telecom?.find((t) => t.system === 'phone')?.value ?? null;
  const address = r.address?.[0];
  const addressText = address
    ? (address.text ?? [...(address.line ?? []), address.city, address.state, address.postalCode].filter(Boolean).join(', '))
    : null;
  return {
    id,
    mrn: draft.mrn,
    givenName: given,
    familyName: family,
    birthDate: r.birthDate,
    sex: r.gender ?? null,
    phone,
    address: addressText || null,
    existing,
  };
}

/** Plans a Bundle's import. Entries that fail are in `failures`; for a transaction any failure means nothing is written. */
export async function planBundle(bundle: unknown, organizationId: string, lookups: PlanLookups): Promise<BundlePlan | OutcomeIssue[]> {
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
    const draft = draftEntry(rawEntries[i], i, type, issues);
    if (draft?.fullUrl) {
      if (fullUrls.has(draft.fullUrl)) issues.push(issue('invalid', 'Two entries have the same fullUrl.', `${draft.path}.fullUrl`));
      else fullUrls.set(draft.fullUrl, draft);
    }
    fail(i, issues);
    if (draft && issues.length === 0) drafts.push(draft);
  }

  // 2. Identity: patients by MRN, conditional creates and updates by identifier, everything else by its source key.
  const mrns = drafts.flatMap((d) => (d.mrn ? [d.mrn] : []));
  const knownPatients = mrns.length > 0 ? await lookups.patientsByMrn([...new Set(mrns)]) : new Map<string, string>();
  const conditions = new Map<string, { type: string; identifier: string }>();
  const addCondition = (type: string, identifier: string) => conditions.set(`${type}\u0000${identifier}`, { type, identifier });
  for (const d of drafts) if (d.condition) addCondition(d.resourceType, d.condition);
  const conditionalRefs: { draft: EntryDraft; type: string; identifier: string | null }[] = [];
  for (const d of drafts) {
    forEachReference(d.resource, `${d.path}.resource`, ({ target }) => {
      const parsed = parseReference(target.reference);
      if (parsed?.kind === 'relative' && parsed.type === 'Patient') addCondition('Patient', `${sourceIdSystem}|${parsed.id}`);
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

  const patients: PlannedPatient[] = [];
  const byId = new Map<string, EntryDraft>();
  for (const d of drafts) {
    const issues: OutcomeIssue[] = [];
    if (d.resourceType === 'Patient' && d.mrn) {
      const existing = knownPatients.get(d.mrn);
      d.id = existing ?? serverId(organizationId, 'Patient#mrn', d.mrn);
      const row = patientRow(d, d.id, existing !== undefined, issues);
      if (row) patients.push(row);
    } else if (d.resourceType === 'Patient') {
      patientRow(d, '', false, issues);
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
      d.id = serverId(organizationId, d.resourceType, d.sourceKey);
    }
    if (d.id && byId.has(d.id)) issues.push(issue('invalid', 'Two entries describe the same resource.', `${d.path}.resource.id`));
    fail(d.index, issues);
    if (d.id && issues.length === 0) byId.set(d.id, d);
  }
  let live = drafts.filter((d) => !failures.has(d.index) && d.id);

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
        const bySourceId = parsed.type === 'Patient' ? storedMatches('Patient', `${sourceIdSystem}|${parsed.id}`) : [];
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
        if (typeof resolved === 'object') {
          const targetDraft = byId.get(resolved.id);
          if (targetDraft && failures.has(targetDraft.index)) {
            issues.push(issue('not-found', `Refers to entry ${targetDraft.index}, which was refused.`, path));
          }
        } else if (resolved !== 'leave') issues.push(referenceIssue(resolved, target.reference, path));
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
          ? [...searchable(columns.identifiers), `${sourceIdSystem}|${d.sourceKey}`]
          : searchable(columns.identifiers),
      sensitiveCategory: sensitiveCategoryOf(typed),
      matchedExisting: d.matchedExisting,
    });
  }

  // A resource in a patient's compartment must name a patient we know: stored or imported in this bundle.
  const patientIds = new Set(patients.map((p) => p.id));
  for (const id of knownPatients.values()) patientIds.add(id);
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

function referenceIssue(code: OutcomeIssue['code'] | 'invalid', reference: string, path: string): OutcomeIssue {
  const ref = JSON.stringify(short(reference));
  switch (code) {
    case 'not-found':
      return issue('not-found', `Reference ${ref} matches no entry of this bundle and no stored resource.`, path);
    case 'not-supported':
      return issue('not-supported', `Conditional reference ${ref}: only identifier=system|value searches are supported.`, path);
    case 'invalid':
      return issue('invalid', `${ref} is not a FHIR reference (Type/id, urn:uuid:..., Type?identifier=... or #id).`, path);
    default:
      return issue('processing', `Reference ${ref} matches more than one resource.`, path);
  }
}

/** Caps a long issue list, saying how many more there were. */
export function capIssues(issues: OutcomeIssue[]): OutcomeIssue[] {
  if (issues.length <= maxIssues) return issues;
  return [
    ...issues.slice(0, maxIssues),
    { severity: 'information', code: 'too-costly', diagnostics: `${issues.length - maxIssues} more issues were found and not listed.` },
  ];
}
