import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { auditEvents, messageAttachments } from '../../db/schema/index.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import {
  buildMessagingWorld,
  joinPool,
  newThread,
  requestsFor,
  sampleFiles,
  type MessagingWorld,
  type Person,
} from './messaging.fixtures.ts';
import { postMessage } from './threads.service.ts';

let t: TestApp;
let w: MessagingWorld;
let http: ReturnType<typeof requestsFor>;
/** Where this file's app keeps attachments. */
let attachmentsDir: string;

const uploadUrl = (patientId: string) => `/api/patients/${patientId}/messages/attachments`;
const downloadUrl = (patientId: string, attachmentId: string) => `${uploadUrl(patientId)}/${attachmentId}`;
const staffUploadUrl = (threadId: string) => `/api/inbox/threads/${threadId}/attachments`;
const staffDownloadUrl = (attachmentId: string) => `/api/inbox/attachments/${attachmentId}`;

beforeAll(async () => {
  attachmentsDir = await mkdtemp(path.join(tmpdir(), 'portico-attachments-test-'));
  t = await buildTestApp({ attachmentsDir });
  w = await buildMessagingWorld(t);
  http = requestsFor(t);
});
afterAll(async () => {
  await t?.close();
  await rm(attachmentsDir, { recursive: true, force: true });
});
// Most tests upload files they never send: age them, so the limit on waiting uploads is met only where a test means to.
beforeEach(async () => {
  await t.db
    .update(messageAttachments)
    .set({ createdAt: sql`${messageAttachments.createdAt} - interval '2 days'` })
    .where(isNull(messageAttachments.messageId));
});

/** Uploads a file as the patient and returns its attachment info. */
async function upload(who: Person & { patientId: string }, bytes: Buffer, type: string, fileName?: string) {
  const response = await http.upload(who, uploadUrl(who.patientId), bytes, type, fileName === undefined ? {} : { 'x-file-name': fileName });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; fileName: string; contentType: string; sizeBytes: number }>();
}

/** A thread of the patient with these attachments on its first message. */
async function threadWith(attachmentIds: string[]) {
  const response = await http.post(w.patient, `/api/patients/${w.patient.patientId}/messages/threads`, newThread(w, { attachmentIds }));
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ thread: { id: string }; messages: { attachments: { id: string }[] }[] }>();
}

describe('POST /api/patients/:id/messages/attachments', () => {
  it.each([
    ['a PDF', sampleFiles.pdf, 'application/pdf', 'lab report.pdf'],
    ['a PNG image', sampleFiles.png, 'image/png', 'rash.png'],
    ['a JPEG image', sampleFiles.jpeg, 'image/jpeg', 'rash.jpeg'],
  ])('answers 201 for %s and stores it under a generated name with its SHA-256', async (_kind, bytes, type, name) => {
    const info = await upload(w.patient, bytes, type, encodeURIComponent(name));
    expect(info).toEqual({ id: expect.any(String), fileName: name, contentType: type, sizeBytes: bytes.length });
    const [row] = await t.db.select().from(messageAttachments).where(eq(messageAttachments.id, info.id));
    expect(row).toMatchObject({ patientId: w.patient.patientId, uploadedBy: w.patient.id, messageId: null });
    expect(row!.storageKey).toMatch(/^[0-9a-f]{32}$/);
    expect(row!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const onDisk = await readFile(path.join(attachmentsDir, row!.storageKey));
    expect(onDisk.equals(bytes)).toBe(true);
    expect(await readdir(attachmentsDir)).not.toContain(name);
  });

  it('refuses an HTML page named .pdf and sent as application/pdf with 400 unprocessable_file, storing nothing', async () => {
    const before = await t.db.$count(messageAttachments);
    const response = await http.upload(w.patient, uploadUrl(w.patient.patientId), sampleFiles.html, 'application/pdf', {
      'x-file-name': 'report.pdf',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'unprocessable_file' });
    expect(response.json().error.message).toContain('not a PDF, JPEG or PNG');
    expect(await t.db.$count(messageAttachments)).toBe(before);
  });

  it('refuses a file whose bytes disagree with its declared type', async () => {
    const response = await http.upload(w.patient, uploadUrl(w.patient.patientId), sampleFiles.png, 'application/pdf');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'unprocessable_file',
      message: "The file's content is a PNG image, but it was sent as application/pdf.",
    });
  });

  it('refuses an empty file with 400', async () => {
    const response = await http.upload(w.patient, uploadUrl(w.patient.patientId), Buffer.alloc(0), 'application/pdf');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('unprocessable_file');
  });

  it('answers 413 for a file over 10 MB, and accepts one of exactly 10 MB', async () => {
    const big = Buffer.concat([sampleFiles.pdf, Buffer.alloc(11 * 1024 * 1024 - sampleFiles.pdf.length, 0x20)]);
    const response = await http.upload(w.patient, uploadUrl(w.patient.patientId), big, 'application/pdf');
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    const limit = Buffer.concat([sampleFiles.pdf, Buffer.alloc(10 * 1024 * 1024 - sampleFiles.pdf.length, 0x20)]);
    expect((await upload(w.patient, limit, 'application/pdf')).sizeBytes).toBe(10 * 1024 * 1024);
  });

  it('answers 415 for a type it does not take, and for a file sent to a JSON route', async () => {
    const html = await http.upload(w.patient, uploadUrl(w.patient.patientId), sampleFiles.html, 'text/html');
    expect(html.statusCode).toBe(415);
    expect(html.json().error.code).toBe('unsupported_media_type');
    const json = await http.upload(w.patient, uploadUrl(w.patient.patientId), Buffer.from('{}'), 'application/json');
    expect(json.statusCode).toBe(415);
    const toJsonRoute = await http.upload(
      w.patient,
      `/api/patients/${w.patient.patientId}/messages/threads`,
      sampleFiles.pdf,
      'application/pdf',
    );
    expect(toJsonRoute.statusCode).toBe(415);
  });

  it.each([
    ['a path', '..%2F..%2Fetc%2Fpasswd.pdf', 'passwd.pdf'],
    ['a Windows path', 'C%3A%5CUsers%5Cme%5Cscan.pdf', 'scan.pdf'],
    ['control and direction characters', 'evil%00%0D%0Aname%E2%80%AEfdp.pdf', 'evilnamefdp.pdf'],
    ['no name', undefined, 'attachment.pdf'],
    ['only dots', '..', 'attachment.pdf'],
    ['a name without the right ending', 'report.html', 'report.html.pdf'],
    ['a name in another script', encodeURIComponent('анализ крови 2024.pdf'), 'анализ крови 2024.pdf'],
    ['broken percent-encoding, taken as it came', '50%25 done %zz.pdf', '50%25 done %zz.pdf'],
  ])('cleans a file name with %s', async (_case, header, expected) => {
    expect((await upload(w.patient, sampleFiles.pdf, 'application/pdf', header)).fileName).toBe(expected);
  });

  it('keeps at most 200 characters of a name, and its ending', async () => {
    const info = await upload(w.patient, sampleFiles.pdf, 'application/pdf', `${'a'.repeat(300)}.pdf`);
    expect(info.fileName).toBe(`${'a'.repeat(196)}.pdf`);
  });

  it('answers 429 when 20 uploads of the person are waiting to be sent', async () => {
    for (let i = 0; i < 20; i++) await upload(w.patient, sampleFiles.pdf, 'application/pdf');
    const response = await http.upload(w.patient, uploadUrl(w.patient.patientId), sampleFiles.pdf, 'application/pdf');
    expect(response.statusCode).toBe(429);
    expect(response.json().error.code).toBe('too_many_requests');
  });

  it('answers 401 without a session, before reading the file', async () => {
    expect((await http.upload(null, uploadUrl(w.patient.patientId), sampleFiles.pdf, 'application/pdf')).statusCode).toBe(401);
  });

  it("answers 404 for another patient's record and for staff, storing nothing", async () => {
    const before = await t.db.$count(messageAttachments);
    expect((await http.upload(w.otherPatient, uploadUrl(w.patient.patientId), sampleFiles.pdf, 'application/pdf')).statusCode).toBe(404);
    expect((await http.upload(w.pcp, uploadUrl(w.patient.patientId), sampleFiles.pdf, 'application/pdf')).statusCode).toBe(404);
    expect(await t.db.$count(messageAttachments)).toBe(before);
  });
});

describe('GET /api/patients/:id/messages/attachments/:attachmentId', () => {
  it('answers the bytes as a download: stored type, attachment disposition with the UTF-8 name, nosniff, no-store', async () => {
    const info = await upload(w.patient, sampleFiles.png, 'image/png', encodeURIComponent('Röntgen (links).png'));
    await threadWith([info.id]);
    const response = await http.get(w.patient, downloadUrl(w.patient.patientId, info.id));
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(sampleFiles.png)).toBe(true);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-disposition']).toBe("attachment; filename*=UTF-8''R%C3%B6ntgen%20%28links%29.png");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    const [event] = await t.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'message.attachment.download'), eq(auditEvents.actorUserId, w.patient.id)))
      .orderBy(desc(auditEvents.occurredAt))
      .limit(1);
    expect(event).toMatchObject({ outcome: 'success', patientId: w.patient.patientId });
    expect(event!.details).toMatchObject({ attachmentId: info.id });
  });

  it('shows sent attachments in the thread and lets the patient download their own unsent upload', async () => {
    const sent = await upload(w.patient, sampleFiles.pdf, 'application/pdf', 'letter.pdf');
    const detail = await threadWith([sent.id]);
    expect(detail.messages[0]!.attachments).toEqual([sent]);
    const unsent = await upload(w.patient, sampleFiles.jpeg, 'image/jpeg');
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, unsent.id))).statusCode).toBe(200);
  });

  it("answers 404 for another patient's attachment, whichever path it is asked through, and for staff", async () => {
    const theirs = await upload(w.otherPatient, sampleFiles.pdf, 'application/pdf');
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, theirs.id))).statusCode).toBe(404);
    expect((await http.get(w.patient, downloadUrl(w.otherPatient.patientId, theirs.id))).statusCode).toBe(404);
    const mine = await upload(w.patient, sampleFiles.pdf, 'application/pdf');
    await threadWith([mine.id]);
    expect((await http.get(w.pcp, downloadUrl(w.patient.patientId, mine.id))).statusCode).toBe(404);
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, randomUUID()))).statusCode).toBe(404);
  });

  it('answers 404 for a file on an internal note, which the patient never sees', async () => {
    const detail = await threadWith([]);
    const staffFile = await http.upload(w.nurse, staffUploadUrl(detail.thread.id), sampleFiles.pdf, 'application/pdf');
    expect(staffFile.statusCode).toBe(201);
    await t.db.transaction((tx) =>
      postMessage(tx, {
        threadId: detail.thread.id,
        patientId: w.patient.patientId,
        author: { userId: w.nurse.id, role: 'nurse' },
        body: 'See the attached fax.',
        internal: true,
        attachmentIds: [staffFile.json().id],
      }),
    );
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, staffFile.json().id))).statusCode).toBe(404);
    expect((await http.get(w.nurse, staffDownloadUrl(staffFile.json().id))).statusCode).toBe(200);
  });

  it('answers 400 for a malformed id and 401 without a session', async () => {
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, 'x'))).statusCode).toBe(400);
    expect((await http.get(null, downloadUrl(w.patient.patientId, randomUUID()))).statusCode).toBe(401);
  });
});

describe('POST /api/inbox/threads/:threadId/attachments', () => {
  it('lets a member of the thread pool upload a file that the patient can download once it is sent', async () => {
    const detail = await threadWith([]);
    const response = await http.upload(w.nurse, staffUploadUrl(detail.thread.id), sampleFiles.pdf, 'application/pdf', {
      'x-file-name': 'results.pdf',
    });
    expect(response.statusCode).toBe(201);
    const id = response.json().id as string;
    const [row] = await t.db.select().from(messageAttachments).where(eq(messageAttachments.id, id));
    expect(row).toMatchObject({ patientId: w.patient.patientId, uploadedBy: w.nurse.id, messageId: null });
    expect((await http.get(w.patient, downloadUrl(w.patient.patientId, id))).statusCode).toBe(404);
    await t.db.transaction((tx) =>
      postMessage(tx, {
        threadId: detail.thread.id,
        patientId: w.patient.patientId,
        author: { userId: w.nurse.id, role: 'nurse' },
        body: 'Your results are attached.',
        attachmentIds: [id],
      }),
    );
    const download = await http.get(w.patient, downloadUrl(w.patient.patientId, id));
    expect(download.statusCode).toBe(200);
    expect(download.rawPayload.equals(sampleFiles.pdf)).toBe(true);
  });

  it('answers 404 to staff outside the pool, to another organization and to the patient', async () => {
    const detail = await threadWith([]);
    for (const who of [w.cardiologist, w.foreignClinician, w.patient]) {
      const response = await http.upload(who, staffUploadUrl(detail.thread.id), sampleFiles.pdf, 'application/pdf');
      expect(response.statusCode, who.name).toBe(404);
    }
    expect((await http.upload(w.nurse, staffUploadUrl(randomUUID()), sampleFiles.pdf, 'application/pdf')).statusCode).toBe(404);
  });

  it('answers 400 for a mismatched file and 401 without a session', async () => {
    const detail = await threadWith([]);
    expect((await http.upload(w.nurse, staffUploadUrl(detail.thread.id), sampleFiles.jpeg, 'image/png')).statusCode).toBe(400);
    expect((await http.upload(null, staffUploadUrl(detail.thread.id), sampleFiles.pdf, 'application/pdf')).statusCode).toBe(401);
  });
});

describe('GET /api/inbox/attachments/:attachmentId', () => {
  it("lets members of the thread's pool download a patient's file, and nobody else on staff", async () => {
    const info = await upload(w.patient, sampleFiles.pdf, 'application/pdf', 'insurance card.pdf');
    await threadWith([info.id]);
    const response = await http.get(w.pcp, staffDownloadUrl(info.id));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe("attachment; filename*=UTF-8''insurance%20card.pdf");
    expect(response.rawPayload.equals(sampleFiles.pdf)).toBe(true);
    for (const who of [w.cardiologist, w.foreignClinician, w.patient]) {
      expect((await http.get(who, staffDownloadUrl(info.id))).statusCode, who.name).toBe(404);
    }
    await joinPool(t, w.cardiologist.id, w.familyMedicine);
    expect((await http.get(w.cardiologist, staffDownloadUrl(info.id))).statusCode).toBe(200);
  });

  it("answers 404 for a patient's unsent upload, which belongs to no thread yet", async () => {
    const info = await upload(w.patient, sampleFiles.pdf, 'application/pdf');
    expect((await http.get(w.pcp, staffDownloadUrl(info.id))).statusCode).toBe(404);
    expect((await http.get(w.pcp, staffDownloadUrl(randomUUID()))).statusCode).toBe(404);
    expect((await http.get(null, staffDownloadUrl(info.id))).statusCode).toBe(401);
  });
});
