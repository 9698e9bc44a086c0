import { createHash } from 'node:crypto';

/**
 * The patient's chosen records as one FHIR R4 `collection` Bundle (the "download" of ONC 170.315(e)(1) in a
 * computable form). Each entry's fullUrl is `urn:uuid:<id>`. A relative reference (`Patient/<id>`) cannot be resolved
 * against a urn:uuid fullUrl (FHIR R4 Bundle 2.36.4.1, "Resolving references in Bundles"), so references to resources
 * in the Bundle are rewritten to their entry's fullUrl; references to anything else (a clinician not exported, an
 * absolute URL, a contained `#id`) are left exactly as written.
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `Type/id` or `Type/id/_history/version` (FHIR R4 3.1.3.2 "Literal references"). */
const relativeReference = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?$/;

interface Target {
  fullUrl: string;
  versionId: string | undefined;
}

/** A FHIR R4 collection Bundle of copies of `resources` (the inputs are not changed), stamped with `generatedAt`. */
export function buildRecordBundle(input: { resources: fhir4.Resource[]; generatedAt: Date }): fhir4.Bundle {
  const targets = new Map<string, Target>();
  const usedFullUrls = new Set<string>();
  const entries: { fullUrl: string; resource: fhir4.Resource }[] = [];

  input.resources.forEach((original, index) => {
    const key = original.id ? `${original.resourceType}/${original.id}` : null;
    // The same resource twice (two sections can hold it) is one entry: bdl-7 wants fullUrls unique.
    if (key && targets.has(key)) return;
    let fullUrl = original.id && uuidPattern.test(original.id) ? `urn:uuid:${original.id.toLowerCase()}` : null;
    if (!fullUrl || usedFullUrls.has(fullUrl)) fullUrl = `urn:uuid:${nameUuid(key ?? `entry ${index}`)}`;
    usedFullUrls.add(fullUrl);
    if (key) targets.set(key, { fullUrl, versionId: original.meta?.versionId });
    entries.push({ fullUrl, resource: structuredClone(original) });
  });

  for (const entry of entries) {
    forEachReference(entry.resource, (reference) => {
      const match = relativeReference.exec(reference.reference);
      if (!match) return;
      const target = targets.get(`${match[1]}/${match[2]}`);
      const version = match[3];
      // A reference to another version than the one exported keeps pointing at that version.
      if (target && (!version || version === target.versionId)) reference.reference = target.fullUrl;
    });
  }

  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: input.generatedAt.toISOString(),
    // FHIR JSON never holds an empty array, so an empty export has no `entry`. FhirResource is the union of every R4
    // resource type; the entries are the caller's resources, whichever they are.
    ...(entries.length > 0 && { entry: entries.map(({ fullUrl, resource }) => ({ fullUrl, resource: resource as fhir4.FhirResource })) }),
  };
}

/** Calls `visit` for every Reference (an object with a string `reference`) in a resource, contained resources included. */
function forEachReference(node: unknown, visit: (reference: { reference: string }) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node as unknown[]) forEachReference(item, visit);
    return;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.reference === 'string') visit(record as { reference: string });
  for (const value of Object.values(record)) forEachReference(value, visit);
}

/** A stable name-based UUID (RFC 9562 version 5 layout) for a resource whose id is not a UUID. */
function nameUuid(name: string): string {
  const bytes = createHash('sha1').update(`portico:record-export:${name}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
