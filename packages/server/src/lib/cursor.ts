/**
 * The one cursor pager: keyset positions handed to clients as opaque base64url JSON arrays of typed parts, read back
 * with every part checked, so a cursor this server did not write answers 400 naming `cursor` before anything is read.
 */
import { AppError } from '../errors.ts';

/** One typed part of a cursor: how it is written into the cursor and read back (undefined when it is not valid). */
export interface CursorPart<T> {
  write(value: T): unknown;
  read(value: unknown): T | undefined;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const millisecondInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const microsecondInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** True for a real UTC instant as Date#toISOString writes it (no 25:00, no February 30). */
function isIsoInstant(text: string): boolean {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString() === text;
}

/** A row id (UUID). */
export const uuidPart: CursorPart<string> = {
  write: (id) => id,
  read: (value) => (typeof value === 'string' && uuidPattern.test(value) ? value : undefined),
};

/** An instant with milliseconds (a timestamptz column read as a Date). */
export const instantPart: CursorPart<Date> = {
  write: (instant) => instant.toISOString(),
  read: (value) => (typeof value === 'string' && millisecondInstant.test(value) && isIsoInstant(value) ? new Date(value) : undefined),
};

/**
 * An instant with microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ` text, for keys compared in SQL at PostgreSQL's full
 * precision (a Date would drop the last three digits and repeat or skip rows).
 */
export const microInstantPart: CursorPart<string> = {
  write: (text) => text,
  read: (value) =>
    typeof value === 'string' && microsecondInstant.test(value) && isIsoInstant(`${value.slice(0, 23)}Z`) ? value : undefined,
};

/** A part that may also be null (rows with no date, sorted last). */
export function nullablePart<T>(part: CursorPart<T>): CursorPart<T | null> {
  return {
    write: (value) => (value === null ? null : part.write(value)),
    read: (value) => (value === null ? null : part.read(value)),
  };
}

type PartValues<P extends Record<string, CursorPart<unknown>>> = { [K in keyof P]: P[K] extends CursorPart<infer T> ? T : never };

/** Writes and reads one list's cursors; `page` cuts the limit+1 rows a page query read into the page and the next cursor. */
export interface CursorCodec<T> {
  /** The opaque text for a position. */
  encode(position: T): string;
  /** The position a cursor names; anything this codec did not write answers 400 `validation_failed` naming `cursor`. */
  decode(text: string): T;
  /** decode for an optional query parameter: no cursor means the first page (null). */
  decodeOptional(text: string | undefined): T | null;
  /** The first `limit` rows, and the cursor after the last of them when the query found more (null on the last page). */
  page<R>(rows: readonly R[], limit: number, positionOf: (row: R) => T): { page: R[]; nextCursor: string | null };
}

/** The answer to a cursor this server did not write (or wrote for another list). */
function invalidCursor(): AppError {
  return new AppError(400, 'validation_failed', 'cursor: This is not a page of this list; start again from the first page.', 'cursor');
}

/** A cursor codec for positions of the given parts; the cursor is base64url JSON of the parts' values in key order. */
export function cursorCodec<P extends Record<string, CursorPart<unknown>>>(parts: P): CursorCodec<PartValues<P>> {
  const entries = Object.entries(parts) as [keyof P & string, CursorPart<unknown>][];
  const codec: CursorCodec<PartValues<P>> = {
    encode(position) {
      const values = entries.map(([key, part]) => part.write(position[key]));
      return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
    },
    decode(text) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      if (!Array.isArray(parsed) || parsed.length !== entries.length) throw invalidCursor();
      const values: unknown[] = parsed;
      const position: Partial<Record<keyof P, unknown>> = {};
      entries.forEach(([key, part], index) => {
        const value = part.read(values[index]);
        if (value === undefined) throw invalidCursor();
        position[key] = value;
      });
      return position as PartValues<P>;
    },
    decodeOptional(text) {
      return text === undefined ? null : codec.decode(text);
    },
    page(rows, limit, positionOf) {
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { page, nextCursor: rows.length > limit && last !== undefined ? codec.encode(positionOf(last)) : null };
    },
  };
  return codec;
}

/** An audit event's id (a positive bigserial) in a cursor: the activity log's and the support audit report's. */
export const auditEventIdPart: CursorPart<number> = {
  write: (id) => id,
  read: (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined),
};
