/** A date range the patient chose for printing: calendar dates `YYYY-MM-DD`, either end open. */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

function localDate(value: string): string {
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * Whether a FHIR date falls in the range, on the reader's calendar. A partial date (`2019`, `2019-04`) is compared
 * at its own precision, so a result dated only "2019" stays in a range that starts in 2019.
 */
export function isInRange(value: string | null, range: DateRange): boolean {
  if (!range.from && !range.to) return true;
  if (value === null) return false;
  const day = localDate(value);
  if (range.from && day < range.from.slice(0, day.length)) return false;
  if (range.to && day > range.to.slice(0, day.length)) return false;
  return true;
}

/** Whether a list read newest first has gone past the range's start, so no later page can hold anything in range. */
export function isBeforeRange(value: string | null, range: DateRange): boolean {
  if (!range.from || value === null) return false;
  const day = localDate(value);
  return day < range.from.slice(0, day.length);
}
