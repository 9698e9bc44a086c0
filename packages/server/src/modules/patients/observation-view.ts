/** The parts of a FHIR R4 Observation the result summary reads; everything optional, as in the spec. */
interface ObservationLike {
  code?: { text?: string; coding?: { display?: string; code?: string }[] };
  valueQuantity?: { value?: number; unit?: string; code?: string };
  valueString?: string;
  valueCodeableConcept?: { text?: string; coding?: { display?: string }[] };
  referenceRange?: { low?: { value?: number }; high?: { value?: number }; text?: string }[];
  interpretation?: { coding?: { code?: string }[] }[];
}

/** A lab result line for the home page, from an Observation (FHIR R4 Observation, v3 ObservationInterpretation). */
export function toResultSummary(id: string, resource: unknown, effectiveAt: Date) {
  const o = (typeof resource === 'object' && resource !== null ? resource : {}) as ObservationLike;
  const name = o.code?.text ?? o.code?.coding?.[0]?.display ?? o.code?.coding?.[0]?.code ?? 'Result';
  const q = o.valueQuantity;
  const value =
    q?.value !== undefined
      ? String(q.value)
      : (o.valueString ?? o.valueCodeableConcept?.text ?? o.valueCodeableConcept?.coding?.[0]?.display ?? '');
  const range = o.referenceRange?.[0];
  const low = range?.low?.value;
  const high = range?.high?.value;
  const referenceRange =
    range?.text ??
    (low !== undefined && high !== undefined
      ? `${low}-${high}`
      : low !== undefined
        ? `>= ${low}`
        : high !== undefined
          ? `<= ${high}`
          : null);
  const code = o.interpretation?.[0]?.coding?.[0]?.code;
  let flag: 'H' | 'L' | null = code === 'H' || code === 'HH' ? 'H' : code === 'L' || code === 'LL' ? 'L' : null;
  if (!code && q?.value !== undefined) flag = high !== undefined && q.value > high ? 'H' : low !== undefined && q.value < low ? 'L' : null;
  return { id, name, value, unit: q?.unit ?? q?.code ?? null, referenceRange, flag, effectiveAt: effectiveAt.toISOString() };
}
