import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { messageAttachments } from '../../db/schema/index.ts';
import { buildOrganization, buildPatient } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { createFileAttachmentStore } from './attachment-store.ts';
import { sweepUnsentAttachments } from './attachment-sweeper.ts';

let t: TestApp;
const dir = mkdtempSync(path.join(os.tmpdir(), 'portico-sweep-'));
const store = createFileAttachmentStore(dir);

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sweepUnsentAttachments', () => {
  it('removes uploads never sent within a day, row and file, and keeps newer ones', async () => {
    const { organization } = await buildOrganization(t.db);
    const { patient, user } = await buildPatient(t.db, organization.id, { withAccount: true });
    const upload = async (createdAt: Date) => {
      const stored = await store.save(Buffer.from('%PDF-1.4\n%%EOF\n'));
      const [row] = await t.db
        .insert(messageAttachments)
        .values({
          patientId: patient.id,
          uploadedBy: user!.id,
          storageKey: stored.storageKey,
          fileName: 'scan.pdf',
          contentType: 'application/pdf',
          sizeBytes: 15,
          sha256: stored.sha256,
          createdAt,
        })
        .returning();
      return row!;
    };
    const now = new Date();
    const stale = await upload(new Date(now.getTime() - 25 * 3_600_000));
    const fresh = await upload(new Date(now.getTime() - 3_600_000));

    expect(await sweepUnsentAttachments(t.db, store, now)).toBe(1);
    expect(await t.db.select().from(messageAttachments).where(eq(messageAttachments.id, stale.id))).toEqual([]);
    await expect(store.read(stale.storageKey)).rejects.toThrow();
    expect(await t.db.select().from(messageAttachments).where(eq(messageAttachments.id, fresh.id))).toHaveLength(1);
    expect((await store.read(fresh.storageKey)).toString()).toContain('%PDF');
    expect(await sweepUnsentAttachments(t.db, store, now)).toBe(0);
  });
});
