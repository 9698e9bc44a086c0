import { randomUUID } from 'node:crypto';
import {
  proxyConsoleLimits,
  type ConsoleProxyRelationship,
  type IdentityMethod,
  type ProxyLevel,
  type StaffProxyBody,
  type StaffProxyView,
} from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, forbidden, notFound } from '../../errors.ts';
import { can, dayInZone, proxyAgeBand, type Actor } from '../access/access.policy.ts';
import { withAuditedPatientAccess, withPatientRead, type PatientAccessRequest } from '../access/access.service.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { enqueueEmail } from '../mail/mail.service.ts';
import { attachmentFileName, checkedFileType } from '../messaging/attachments.service.ts';
import { proxyAccessOf, proxyCategoriesOf } from '../proxies/proxy-access.ts';
import { accessEndedEmail } from '../proxies/proxy-emails.ts';
import { findPatientMailContext, revokeGrant } from '../proxies/proxies.repository.ts';
import { setUpEmail } from './proxy-console-emails.ts';
import {
  findAccountByEmail,
  findSetupDocument,
  insertConsoleGrant,
  listPatientProxies,
  saveSetupDocument,
  type PatientProxyRow,
} from './proxy-console.repository.ts';

/** A file as the document route receives it. */
export interface UploadedDocument {
  bytes: Buffer;
  declaredType: string;
  fileNameHeader: string | string[] | undefined;
}

/** 403 before anything is read for anyone who does not work the console anywhere (a patient, a clinician). */
function requireConsole(actor: Actor): void {
  if (!can(actor, 'proxies.manage')) throw forbidden('The proxy console is for the registration desk and administrators.');
}

/**
 * The console's access to one patient: the policy (staff of the patient's organization read their demographics;
 * anyone else gets the audited 404), then the console ability in that organization (else 404 too: the console of
 * another organization never learns the patient exists).
 */
function consoleAccess(
  patientId: string,
  auditAction: string,
  auditDetails?: Record<string, unknown>,
): PatientAccessRequest & { action: 'read' } {
  return { patientId, action: 'read', categories: ['demographics'], auditAction, ...(auditDetails ? { auditDetails } : {}) };
}

function viewOf(row: PatientProxyRow): StaffProxyView {
  const { level, areas } = proxyAccessOf(row.categories);
  const hasDocument = row.documentName !== null && row.documentType !== null;
  return {
    grantId: row.grantId,
    relationship: row.relationship as StaffProxyView['relationship'],
    name: row.name,
    email: row.email,
    level,
    areas,
    since: row.startsAt.toISOString(),
    until: row.endsAt?.toISOString() ?? null,
    setup:
      row.setupId && row.identityMethod && row.setupAt
        ? {
            setUpByName: row.setUpByName ?? '',
            identityMethod: row.identityMethod as IdentityMethod,
            note: row.note,
            document: hasDocument
              ? { name: row.documentName!, type: row.documentType as 'application/pdf', sizeBytes: row.documentSize ?? 0 }
              : null,
            createdAt: row.setupAt.toISOString(),
          }
        : null,
    documentMissing: row.relationship === 'legal_representative' && !hasDocument,
  };
}

async function oneProxy(tx: Executor, patientId: string, grantId: string, now: Date): Promise<StaffProxyView> {
  const [row] = await listPatientProxies(tx, patientId, now, grantId);
  if (!row) throw notFound('That access');
  return viewOf(row);
}

/** GET /api/patients/:id/proxies: the patient's proxies in force, with how the console set them up. */
export async function listStaffProxies(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string): Promise<StaffProxyView[]> {
  requireConsole(actor);
  return withPatientRead(deps.db, actor, audit, consoleAccess(patientId, 'proxy.console.read'), async (db, { patient }) => {
    if (!can(actor, 'proxies.manage', patient.organizationId)) throw notFound('The patient');
    return (await listPatientProxies(db, patient.id, new Date())).map(viewOf);
  });
}

/**
 * POST /api/patients/:id/proxies: staff set up a guardian (of a minor) or a legal representative for an existing
 * account found by its email, after checking identity and the relationship in person. The grant is in force at once
 * (granted by the staff member: a guardian's ends at 18, a legal representative's does not); a legal representative
 * shows "document missing" until the guardianship order or power of attorney is uploaded.
 */
export async function setUpProxy(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  body: StaffProxyBody & { level: ProxyLevel; relationship: ConsoleProxyRelationship },
): Promise<StaffProxyView> {
  requireConsole(actor);
  const now = new Date();
  const grantId = randomUUID();
  const endsAt = body.endsAt ? new Date(body.endsAt) : null;
  if (endsAt && endsAt <= now) throw new AppError(400, 'validation_failed', 'endsAt: The end date must be in the future.', 'endsAt');
  const details = { grantId, relationship: body.relationship, identityMethod: body.identityMethod };
  const view = await withAuditedPatientAccess(
    deps.db,
    actor,
    audit,
    consoleAccess(patientId, 'proxy.console.set_up', details),
    async (tx, patient) => {
      if (!can(actor, 'proxies.manage', patient.organizationId)) throw notFound('The patient');
      const account = await findAccountByEmail(tx, body.email);
      if (!account)
        throw new AppError(
          400,
          'account_not_found',
          'No portal account uses that email address. Ask the person to create an account first.',
          'email',
        );
      if (account.id === patient.userId)
        throw new AppError(400, 'validation_failed', 'email: Invite someone else; this is the patient’s own email address.', 'email');
      // Two people for every grant staff make: nobody sets up their own access to a record (security review, issue 11).
      if (account.id === actor.userId)
        throw new AppError(403, 'forbidden', 'You cannot give yourself access to a record. Ask a colleague to set it up.', 'email');
      if (body.relationship === 'guardian' && proxyAgeBand(patient.birthDate, dayInZone(now, patient.timeZone)) === 'adult')
        throw new AppError(
          400,
          'patient_not_minor',
          'This patient is 18 or older. A parent or guardian cannot be given access; set up a legal representative instead.',
          'relationship',
        );
      const made = await insertConsoleGrant(
        tx,
        {
          id: grantId,
          granteeUserId: account.id,
          patientId: patient.id,
          relationship: body.relationship,
          categories: proxyCategoriesOf(body.level, body.areas ?? []),
          grantedBy: actor.userId,
          reason: body.relationship,
          startsAt: now,
          endsAt,
        },
        { organizationId: patient.organizationId, identityMethod: body.identityMethod, note: body.note || null },
      );
      if (!made)
        throw new AppError(409, 'proxy_exists', 'This person can already see this record. End that access first if it must change.');
      const context = await findPatientMailContext(tx, patient.id);
      await enqueueEmail(
        tx,
        setUpEmail(account.email, context?.organizationName ?? '', `${deps.config.publicUrl}/`, account.locale),
        `proxy-set-up:${grantId}`,
      );
      return oneProxy(tx, patient.id, grantId, now);
    },
  );
  deps.kickMail();
  return view;
}

/**
 * POST /api/patients/:id/proxies/:grantId/document: the document of a console set-up (birth certificate, guardianship
 * order, power of attorney): PDF, PNG or JPEG checked by its bytes, at most 5 MB; a second upload replaces the first.
 */
export async function uploadProxyDocument(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  grantId: string,
  file: UploadedDocument,
): Promise<StaffProxyView> {
  requireConsole(actor);
  if (file.bytes.length > proxyConsoleLimits.documentMaxBytes)
    throw new AppError(413, 'payload_too_large', 'The document may be at most 5 MB.', 'document');
  const type = checkedFileType(file);
  const name = attachmentFileName(file.fileNameHeader, type);
  const request = consoleAccess(patientId, 'proxy.console.document.upload', { grantId, type, sizeBytes: file.bytes.length });
  return withAuditedPatientAccess(deps.db, actor, audit, request, async (tx, patient) => {
    if (!can(actor, 'proxies.manage', patient.organizationId)) throw notFound('The patient');
    const now = new Date();
    await oneProxy(tx, patient.id, grantId, now);
    if (!(await saveSetupDocument(tx, grantId, { name, type, bytes: file.bytes }))) throw notFound('That set-up');
    return oneProxy(tx, patient.id, grantId, now);
  });
}

/** GET /api/patients/:id/proxies/:grantId/document: the document, for the console's staff (an audited read). */
export async function readProxyDocument(deps: AuthDeps, actor: Actor, audit: AuditContext, patientId: string, grantId: string) {
  requireConsole(actor);
  return withPatientRead(
    deps.db,
    actor,
    audit,
    consoleAccess(patientId, 'proxy.console.document.read', { grantId }),
    async (db, { patient }) => {
      if (!can(actor, 'proxies.manage', patient.organizationId)) throw notFound('The patient');
      const doc = await findSetupDocument(db, patient.id, grantId);
      if (!doc) throw notFound('The document');
      return doc;
    },
  );
}

/**
 * DELETE /api/patients/:id/proxies/:grantId: staff end a proxy (any relationship) with a reason kept on the grant; the
 * proxy's next request is refused, and they are told, without the patient's name.
 */
export async function endProxy(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  patientId: string,
  grantId: string,
  reason: string,
): Promise<void> {
  requireConsole(actor);
  await withAuditedPatientAccess(deps.db, actor, audit, consoleAccess(patientId, 'proxy.console.end', { grantId }), async (tx, patient) => {
    if (!can(actor, 'proxies.manage', patient.organizationId)) throw notFound('The patient');
    const now = new Date();
    const [row] = await listPatientProxies(tx, patient.id, now, grantId);
    if (!row) throw notFound('That access');
    if (!(await revokeGrant(tx, grantId, actor.userId, reason, now))) throw notFound('That access');
    const context = await findPatientMailContext(tx, patient.id);
    await enqueueEmail(tx, accessEndedEmail(row.email, context?.organizationName ?? '', row.locale), `grant-revoked:${grantId}`);
  });
  deps.kickMail();
}
