import type { RecordSection } from '@portico/shared';
import type { MessageId } from '@portico/shared/i18n';
import type { DateRange } from './date-range.ts';

/** Every section a download or print can hold, in the order they print, with the words the patient picks them by. */
export const recordSectionChoices: readonly { key: RecordSection; label: MessageId }[] = [
  { key: 'problems', label: 'record.section.problems' },
  { key: 'allergies', label: 'record.section.allergies' },
  { key: 'medications', label: 'record.section.medications' },
  { key: 'immunizations', label: 'record.section.immunizations' },
  { key: 'carePlans', label: 'record.section.carePlans' },
  { key: 'visits', label: 'record.section.visits' },
  { key: 'results', label: 'record.section.results' },
];

/** What the download page hands the print page, in memory (router state), never in the URL. */
export interface PrintChoice extends DateRange {
  sections: RecordSection[];
}

const sectionKeys: readonly string[] = recordSectionChoices.map((c) => c.key);

function isRecordSection(value: unknown): value is RecordSection {
  return typeof value === 'string' && sectionKeys.includes(value);
}

function isIsoDate(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** Reads the print choice from router state without trusting it; every section when there is none (a direct visit). */
export function readPrintChoice(state: unknown): PrintChoice {
  const all = recordSectionChoices.map((c) => c.key);
  if (typeof state !== 'object' || state === null) return { sections: all };
  const sections = 'sections' in state && Array.isArray(state.sections) ? state.sections.filter(isRecordSection) : [];
  const from = 'from' in state && isIsoDate(state.from) ? state.from : undefined;
  const to = 'to' in state && isIsoDate(state.to) ? state.to : undefined;
  return { sections: sections.length > 0 ? sections : all, from, to };
}
