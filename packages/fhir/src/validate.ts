import type { IssueCode, OutcomeIssue } from './outcome.ts';
import { r4ResourceTypes } from './resource-types.ts';
import {
  datatypes,
  isJsonObject,
  jsonTypeOf,
  primitiveChecks,
  primitiveHints,
  type ComplexDef,
  type ElementDef,
  type IssueSink,
  type JsonObject,
  type PrimitiveResult,
} from './validate-datatypes.ts';
import { resourceDefFor } from './validate-resources.ts';

// One pass over the parsed JSON: generic FHIR JSON rules (R4 json.html) everywhere, datatype rules where the type of an
// element is known, and per-resource rules for the resource types in validate-resources.ts. Paths are kept as a stack
// of segments and only joined into strings when an issue is reported, so a valid resource costs no string building.

const maxIssues = 100;
const maxDepth = 100;
const namePattern = /^[A-Za-z][A-Za-z0-9_]*$/;
// eslint-disable-next-line no-control-regex -- finds the control characters FHIR strings may not contain (R4 datatypes.html#string)
const controlCharacter = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const codeableConcept = datatypes.get('CodeableConcept')!;

/** True for a resource type in FHIR R4 (4.0.1). */
export function isKnownResourceType(type: string): boolean {
  return r4ResourceTypes.has(type);
}

/**
 * Structural check of one resource. `path` is the FHIRPath-like location of the resource, e.g. 'Bundle.entry[3].resource';
 * every issue's expression is a full path such as 'Bundle.entry[3].resource.code.coding[0].system'. Returns [] when valid.
 */
export function validateResource(resource: unknown, path: string): OutcomeIssue[] {
  const context = new Context(path);
  try {
    checkResource(resource, context, 0, false);
  } catch {
    context.add('processing', 'The resource could not be checked: reading it failed unexpectedly');
  }
  return context.issues;
}

class Context implements IssueSink {
  readonly issues: OutcomeIssue[] = [];
  readonly segments: (string | number)[] = [];
  /** The resources being walked (contained and Bundle entries nest), with where their segments start. */
  readonly resources: { type: string; start: number }[] = [];
  localReferences: { id: string; expression: string }[] = [];

  constructor(private readonly base: string) {}

  /** The element's name for people: resource type and element names without indexes, e.g. `Observation.component.code`. */
  label(element?: string): string {
    const resource = this.resources[this.resources.length - 1];
    let out = resource?.type ?? 'Resource';
    for (let i = resource?.start ?? 0; i < this.segments.length; i++) {
      const segment = this.segments[i];
      if (typeof segment === 'string') out += `.${segment}`;
    }
    return element === undefined ? out : `${out}.${element}`;
  }

  expression(element?: string): string {
    let out = this.base;
    for (const segment of this.segments) out += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
    return element === undefined ? out : `${out}.${element}`;
  }

  add(code: IssueCode, diagnostics: string, element?: string): void {
    if (this.issues.length <= maxIssues) this.addAt(this.expression(element), code, diagnostics);
  }

  addAt(expression: string, code: IssueCode, diagnostics: string): void {
    if (this.issues.length > maxIssues) return;
    if (this.issues.length === maxIssues) {
      const tooMany = `More than ${maxIssues} problems; the rest are not listed`;
      this.issues.push({ severity: 'error', code: 'too-costly', diagnostics: tooMany, expression: [this.base] });
      return;
    }
    this.issues.push({ severity: 'error', code, diagnostics, expression: [expression] });
  }

  report(code: IssueCode, diagnostics: string, element?: string): void {
    this.add(code, diagnostics, element);
  }

  noteLocalReference(id: string): void {
    this.localReferences.push({ id, expression: this.expression('reference') });
  }
}

function checkResource(value: unknown, context: Context, depth: number, contained: boolean): void {
  if (!isJsonObject(value)) {
    context.add('structure', `A resource must be a JSON object, not ${describe(value)}`);
    return;
  }
  const type = value.resourceType;
  if (type === undefined) {
    context.add('required', 'resourceType is required', 'resourceType');
    return;
  }
  if (typeof type !== 'string') {
    context.add('structure', `resourceType must be a JSON string, not ${describe(type)}`, 'resourceType');
    return;
  }
  if (!r4ResourceTypes.has(type)) {
    context.add('not-supported', `${excerpt(type)} is not a FHIR R4 resource type`, 'resourceType');
    return;
  }
  context.resources.push({ type, start: context.segments.length });
  if (contained) checkContained(value, type, context);
  const outer = context.localReferences;
  if (!contained) context.localReferences = [];
  walkObject(value, resourceDefFor(type), context, depth);
  context.resources.pop();
  if (!contained) {
    if (context.localReferences.length > 0) checkLocalReferences(value, context);
    context.localReferences = outer;
  }
}

/** R4 ref-1: a `#id` reference names a resource contained in the same resource. */
function checkLocalReferences(value: JsonObject, context: Context): void {
  const ids = new Set<unknown>(
    Array.isArray(value.contained) ? value.contained.map((c: unknown) => (isJsonObject(c) ? c.id : undefined)) : [],
  );
  for (const reference of context.localReferences) {
    if (!ids.has(reference.id)) {
      context.addAt(reference.expression, 'not-found', `Reference #${excerptRaw(reference.id)} names no contained resource (R4 ref-1)`);
    }
  }
}

/** R4 dom-2/dom-4 and contained ids: a contained resource has an id, no contained resources of its own, no version metadata. */
function checkContained(value: JsonObject, type: string, context: Context): void {
  if (value.id === undefined) context.add('required', `A contained ${type} needs an id so it can be referenced`, 'id');
  if (value.contained !== undefined) {
    context.add('structure', 'A contained resource cannot contain other resources (R4 dom-2)', 'contained');
  }
  const meta = value.meta;
  if (isJsonObject(meta) && (meta.versionId !== undefined || meta.lastUpdated !== undefined)) {
    context.add('invalid', 'A contained resource cannot have meta.versionId or meta.lastUpdated (R4 dom-4)', 'meta');
  }
}

function walkObject(value: JsonObject, def: ComplexDef | null, context: Context, depth: number): void {
  if (depth > maxDepth) {
    context.add('too-costly', `Elements nested more than ${maxDepth} levels deep are not accepted`);
    return;
  }
  let empty = true;
  for (const key in value) {
    if (value[key] === undefined) continue; // a JavaScript caller's absent element; JSON has no undefined
    empty = false;
    context.segments.push(key);
    const element = def?.elements.get(key);
    if (element !== undefined) checkElement(value, key, element, context, depth);
    else checkUnknown(value, key, def, context, depth);
    context.segments.pop();
  }
  if (empty) {
    context.add('structure', 'An empty object is not allowed in FHIR JSON; leave the element out instead');
    return;
  }
  if (def !== null) checkShape(value, def, context);
}

/** Required elements, one variant per choice, and the definition's invariants. */
function checkShape(value: JsonObject, def: ComplexDef, context: Context): void {
  for (const required of def.required) {
    if (!isPresent(value, required.keys)) context.add('required', `${context.label(required.label)} is required`, required.element);
  }
  for (const choice of def.choices) {
    let first: string | null = null;
    for (const key of choice.keys) {
      if (value[key] === undefined) continue;
      if (first === null) first = key;
      else {
        context.add('structure', `${context.label(choice.base)}[x] has more than one type (${first} and ${key}); only one is allowed`, key);
        break;
      }
    }
  }
  for (const invariant of def.invariants) invariant(value, context);
}

function isPresent(value: JsonObject, keys: readonly string[]): boolean {
  for (const key of keys) {
    if (value[key] !== undefined || value[`_${key}`] !== undefined) return true;
  }
  return false;
}

function checkElement(parent: JsonObject, key: string, element: ElementDef, context: Context, depth: number): void {
  const value = parent[key];
  if (element.array) {
    if (!Array.isArray(value)) {
      context.add('structure', `${context.label()} must be a JSON array`);
      return;
    }
    if (value.length === 0) {
      context.add('structure', `${context.label()} is an empty array; leave the element out instead`);
      return;
    }
    for (let i = 0; i < value.length; i++) {
      context.segments.push(i);
      const item: unknown = value[i];
      if (item !== null) checkValue(item, element, context, depth);
      else if (!hasPairedValue(parent, key, i)) nullIssue(context);
      context.segments.pop();
    }
  } else if (Array.isArray(value)) {
    context.add('structure', `${context.label()} must be a single value, not an array`);
  } else if (value === null) {
    nullIssue(context);
  } else {
    checkValue(value, element, context, depth);
  }
}

function checkValue(value: unknown, element: ElementDef, context: Context, depth: number): void {
  const type = element.type;
  if (typeof type !== 'string') {
    checkComplex(value, type, context, depth);
    return;
  }
  const primitive = primitiveChecks.get(type);
  if (primitive !== undefined) {
    checkPrimitive(value, type, primitive(value), element, context);
    return;
  }
  if (type === 'Resource') {
    checkResource(value, context, depth + 1, element.key === 'contained');
    return;
  }
  checkComplex(value, datatypes.get(type) ?? null, context, depth);
}

function checkComplex(value: unknown, def: ComplexDef | null, context: Context, depth: number): void {
  if (!isJsonObject(value)) {
    context.add('structure', `${context.label()} must be a JSON object, not ${describe(value)}`);
    return;
  }
  walkObject(value, def, context, depth + 1);
}

function checkPrimitive(value: unknown, type: string, result: PrimitiveResult, element: ElementDef, context: Context): void {
  if (result === 1) {
    context.add('structure', `${context.label()} must be ${jsonTypeOf(type)}, not ${describe(value)}`);
    return;
  }
  if (typeof value === 'string' && !checkString(value, context)) return;
  if (result === 2) {
    const hint = primitiveHints.get(type);
    const shown = typeof value === 'string' ? excerpt(value) : String(value);
    context.add('value', `${context.label()}: ${shown} is not a valid ${type}${hint === undefined ? '' : ` (expected ${hint})`}`);
    return;
  }
  if (element.codes !== undefined && typeof value === 'string' && !element.codes.has(value)) {
    context.add('value', `${context.label()}: ${excerpt(value)} is not one of ${[...element.codes].join(', ')}`);
  }
}

/** Rules for every JSON string in a resource; false when an issue was reported. */
function checkString(value: string, context: Context): boolean {
  if (value === '') {
    context.add('structure', `${context.label()} is an empty string; leave the element out instead`);
    return false;
  }
  const control = controlCharacter.exec(value);
  if (control !== null) {
    const point = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    context.add(
      'value',
      `${context.label()} contains the control character U+${point} at position ${control.index + 1}; FHIR strings may not contain it`,
    );
    return false;
  }
  return true;
}

/** An element the definition does not list (or no definition is known): generic FHIR JSON rules only. */
function checkUnknown(parent: JsonObject, key: string, def: ComplexDef | null, context: Context, depth: number): void {
  const value = parent[key];
  const isExtension = key.charCodeAt(0) === 95; // `_name`: the id and extensions of primitive `name` (R4 json.html#primitive)
  if (!namePattern.test(isExtension ? key.slice(1) : key)) {
    context.add('structure', `${excerpt(key)} is not a valid element name`);
    return;
  }
  if (def !== null && !isExtension) {
    for (const choice of def.choices) {
      if (key.length > choice.base.length && key.startsWith(choice.base) && isUpperCase(key.charCodeAt(choice.base.length))) {
        context.add(
          'structure',
          `${excerpt(key)} is not an allowed type for ${context.label(choice.base)}[x] (allowed: ${choice.types.join(', ')})`,
        );
        return;
      }
    }
    if (def.closed) {
      context.segments.pop();
      context.add(
        'structure',
        `${context.label()} has no element ${excerpt(key)} (a ${def.name} has ${[...def.elements.keys()].join(', ')})`,
        key,
      );
      context.segments.push(key);
      return;
    }
  }
  const elementDef = isExtension ? datatypes.get('Element')! : null;
  if (value === null) {
    nullIssue(context);
  } else if (Array.isArray(value)) {
    if (value.length === 0) context.add('structure', `${context.label()} is an empty array; leave the element out instead`);
    for (let i = 0; i < value.length; i++) {
      context.segments.push(i);
      const item: unknown = value[i];
      if (item === null) {
        if (!hasPairedValue(parent, key, i)) nullIssue(context);
      } else if (Array.isArray(item)) {
        context.add('structure', `${context.label()} is an array of arrays, which FHIR JSON never has`);
      } else if (elementDef !== null) {
        checkComplex(item, elementDef, context, depth);
      } else {
        checkGeneric(item, key, context, depth);
      }
      context.segments.pop();
    }
  } else if (elementDef !== null) {
    checkComplex(value, elementDef, context, depth);
  } else {
    checkGeneric(value, key, context, depth);
  }
}

function checkGeneric(value: unknown, key: string, context: Context, depth: number): void {
  switch (typeof value) {
    case 'string':
      if (checkString(value, context) && key.endsWith('DateTime') && primitiveChecks.get('dateTime')!(value) !== 0) {
        context.add('value', `${context.label()}: ${excerpt(value)} is not a valid dateTime (expected ${primitiveHints.get('dateTime')!})`);
      }
      return;
    case 'number':
      if (!Number.isFinite(value)) context.add('value', `${context.label()} must be a finite number`);
      return;
    case 'boolean':
      return;
    case 'object':
      if (!isJsonObject(value)) return; // null and arrays are handled by the caller
      if (value.resourceType !== undefined) checkResource(value, context, depth + 1, false);
      else walkObject(value, key.endsWith('CodeableConcept') ? codeableConcept : null, context, depth + 1);
      return;
    default:
      context.add('structure', `${context.label()} is not a JSON value`);
  }
}

/** FHIR JSON allows null only inside a primitive array whose `_name` twin has a value at the same index (R4 json.html). */
function hasPairedValue(parent: JsonObject, key: string, index: number): boolean {
  const twin = key.charCodeAt(0) === 95 ? parent[key.slice(1)] : parent[`_${key}`];
  return Array.isArray(twin) && twin[index] !== null && twin[index] !== undefined;
}

function isUpperCase(charCode: number): boolean {
  return charCode >= 65 && charCode <= 90;
}

function nullIssue(context: Context): void {
  context.add('structure', `${context.label()} is null; FHIR JSON does not allow null, leave the element out instead`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** A value shown in a diagnostic: at most 60 characters, quoted, control characters escaped (values may be patient data). */
function excerpt(value: string): string {
  return `'${excerptRaw(value)}'`;
}

function excerptRaw(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}…` : value;
  return JSON.stringify(cut).slice(1, -1);
}
