import { createHash } from 'node:crypto';
import { identifierQuery, validateResource, type OutcomeIssue } from '@portico/fhir';
import { mrnOf } from './patient-identity.ts';

/**
 * One Bundle entry on its own, before any lookup: the Bundle's type, the entry's request, its resource's validation and
 * the key it is known by at its source. Also the issue helpers every step of the plan uses.
 */

/** The Bundle types the importer takes: FHIR `transaction` (all or nothing), `batch` and `collection` (entry by entry). */
export type ImportBundleType = 'transaction' | 'batch' | 'collection';

/**
 * Patients are keyed by MRN, not by the source's id, so the source id is kept as an identifier of ours: a later
 * bundle that refers to `Patient/<source id>` still finds its patient.
 */
export const sourceIdSystem = 'urn:portico:source-id';

/** A lower- or upper-case UUID, as our server ids are. */
export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Most issues one refusal lists; past this the rest are counted. */
const maxIssues = 50;

/** A stable server id for a resource of an organization: the same source resource always lands on the same row. */
export function serverId(organizationId: string, resourceType: string, sourceKey: string): string {
  const h = createHash('sha256').update(`${organizationId}\u0000${resourceType}\u0000${sourceKey}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An entry read on its own; the plan fills in `id` (and `mrn` for a Patient the source gave none). */
export interface EntryDraft {
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

/** One error issue at a FHIRPath-like location. */
export function issue(code: OutcomeIssue['code'], diagnostics: string, expression: string): OutcomeIssue {
  return { severity: 'error', code, diagnostics, expression: [expression] };
}

/** Whether a JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value short enough to quote in a diagnostic. */
export function short(value: string): string {
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

function contentKey(resource: Record<string, unknown>): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(resource)).digest('hex')}`;
}

/** Reads one entry's request; issues when it asks for something we do not do. */
export function draftEntry(
  raw: unknown,
  index: number,
  bundleType: ImportBundleType,
  organizationId: string,
  issues: OutcomeIssue[],
): EntryDraft | null {
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
    mrn: resourceType === 'Patient' ? mrnOf(record, organizationId) : null,
  };
}

/** The issue for a reference that does not resolve. */
export function referenceIssue(code: OutcomeIssue['code'] | 'invalid', reference: string, path: string): OutcomeIssue {
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

/** An entry of the Bundle that was refused, as a reference target. */
export interface RefusedTarget {
  index: number;
  type: string;
}

/** The issue for a reference to an entry that was refused: it names that entry, so the first refusal is the one to fix. */
export function refusedTargetIssue(reference: string, target: RefusedTarget, path: string): OutcomeIssue {
  return issue(
    'not-found',
    `Reference ${JSON.stringify(short(reference))} is to the ${target.type} of entry ${target.index}, which was refused.`,
    path,
  );
}
