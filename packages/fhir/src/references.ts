/** How a reference string names its target (FHIR R4 3.1.3.2 "Literal references"). */
export type ParsedReference =
  | { kind: 'relative'; type: string; id: string }
  | { kind: 'conditional'; type: string; query: string }
  | { kind: 'urn'; value: string }
  | { kind: 'contained'; id: string }
  | { kind: 'absolute'; url: string };

const relativePattern = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const conditionalPattern = /^([A-Z][A-Za-z]+)\?(.+)$/;

/** Classifies a reference string; null when it is none of the forms FHIR allows. */
export function parseReference(reference: string): ParsedReference | null {
  if (reference.startsWith('#')) return { kind: 'contained', id: reference.slice(1) };
  if (reference.startsWith('urn:uuid:') || reference.startsWith('urn:oid:')) return { kind: 'urn', value: reference };
  const relative = relativePattern.exec(reference);
  if (relative) return { kind: 'relative', type: relative[1]!, id: relative[2]! };
  const conditional = conditionalPattern.exec(reference);
  if (conditional) return { kind: 'conditional', type: conditional[1]!, query: conditional[2]! };
  if (/^https?:\/\/\S+$/.test(reference)) return { kind: 'absolute', url: reference };
  return null;
}

/** A Reference object found inside a resource, with its FHIRPath-like location. */
export interface FoundReference {
  target: { reference: string };
  path: string;
}

/**
 * Calls `visit` for every Reference (an object with a string `reference`) anywhere in a resource, contained resources
 * included, in document order. The objects are the resource's own, so `visit` may rewrite `target.reference` in place.
 */
export function forEachReference(resource: unknown, path: string, visit: (found: FoundReference) => void): void {
  walk(resource, path, visit);
}

function walk(node: unknown, path: string, visit: (found: FoundReference) => void): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item: unknown = node[i];
      if (item !== null && typeof item === 'object') walk(item, `${path}[${i}]`, visit);
    }
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const record = node as Record<string, unknown>;
  if (typeof record.reference === 'string') visit({ target: record as { reference: string }, path: `${path}.reference` });
  for (const key in record) {
    const value = record[key];
    if (value !== null && typeof value === 'object') walk(value, `${path}.${key}`, visit);
  }
}

/** A conditional reference's search, when it is the one form we resolve: `identifier=[system|]value`. */
export function identifierQuery(query: string): string | null {
  const params = new URLSearchParams(query);
  const keys = [...params.keys()];
  if (keys.length !== 1 || keys[0] !== 'identifier') return null;
  const value = params.get('identifier');
  if (!value) return null;
  return value.includes('|') ? value : `|${value}`;
}
