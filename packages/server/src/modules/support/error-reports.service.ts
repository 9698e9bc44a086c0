/**
 * Error reports (issue 12 §3; the seed: "take a screen shot and send to the MyPatients team… we will get back to you
 * within 2 business days"): a practice member sends the page, a description and optionally a screenshot from any page;
 * support answers within two business days (the clock shown) and the reporter is emailed that an answer waits, never
 * the text. A screenshot is a PNG or JPEG by its bytes (SECURITY.md "Uploads"), never by its name.
 */
import { queueSignInNotice } from '../mail/sign-in-notice.ts';
import { supportLimits, type ErrorReportBody, type ErrorReportView, type SupportErrorReportView } from '@portico/shared';
import type { Executor } from '../../db/client.ts';
import { AppError, notFound } from '../../errors.ts';
import type { Actor } from '../access/access.policy.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { sniffFileType } from '../messaging/file-type.ts';
import { findOrganizationName } from '../provider-registrations/provider-registrations.repository.ts';
import { addBusinessDays } from './business-days.ts';
import {
  answerErrorReport,
  findErrorReport,
  findScreenshot,
  insertErrorReport,
  listErrorReports,
  listOwnErrorReports,
  lockErrorReport,
  type ErrorReportRow,
} from './error-reports.repository.ts';
import { decideAudited, practiceOrganization, supportOrganization } from './support-access.ts';
import { findOrganizationZone } from './support.repository.ts';

type ScreenshotType = (typeof supportLimits.screenshotTypes)[number];

function viewOf(row: Omit<ErrorReportRow, 'reporterName' | 'reporterEmail' | 'practiceName'>): ErrorReportView {
  return {
    id: row.id,
    page: row.page,
    description: row.description,
    screenshotType: row.screenshotType === 'image/png' || row.screenshotType === 'image/jpeg' ? row.screenshotType : null,
    status: row.status === 'answered' ? 'answered' : 'open',
    answer: row.answer,
    answeredAt: row.answeredAt?.toISOString() ?? null,
    dueAt: row.dueAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}

function supportViewOf(row: ErrorReportRow): SupportErrorReportView {
  return {
    ...viewOf(row),
    reporter: { userId: row.userId, name: row.reporterName, email: row.reporterEmail, practiceName: row.practiceName },
  };
}

/** The screenshot's bytes and type from its base64, or 400 naming `screenshot` (too big, not a PNG or JPEG). */
function screenshotOf(base64: string | undefined): { bytes: Buffer; type: ScreenshotType } | null {
  if (base64 === undefined) return null;
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > supportLimits.screenshotMaxBytes)
    throw new AppError(400, 'validation_failed', 'screenshot: A screenshot can be at most 2 MB.', 'screenshot');
  const type = sniffFileType(bytes);
  if (type !== 'image/png' && type !== 'image/jpeg')
    throw new AppError(400, 'validation_failed', 'screenshot: The screenshot must be a PNG or JPEG image.', 'screenshot');
  return { bytes, type };
}

/** POST /api/support/error-reports: the report, due two business days later in the organization's zone; audited. */
export async function createErrorReport(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  body: ErrorReportBody,
): Promise<ErrorReportView> {
  const organizationId = practiceOrganization(actor);
  const screenshot = screenshotOf(body.screenshot);
  return deps.db.transaction(async (tx) => {
    const timeZone = await findOrganizationZone(tx, organizationId);
    const now = new Date();
    const id = await insertErrorReport(tx, {
      organizationId,
      userId: actor.userId,
      page: body.page,
      description: body.description,
      screenshot: screenshot?.bytes ?? null,
      screenshotType: screenshot?.type ?? null,
      dueAt: addBusinessDays(now, supportLimits.errorReportBusinessDays, timeZone),
      createdAt: now,
    });
    await recordAudit(tx, audit, {
      action: 'error_report.create',
      outcome: 'success',
      objectType: 'ErrorReport',
      objectId: id,
      details: { screenshot: screenshot !== null },
    });
    const [row] = (await listOwnErrorReports(tx, actor.userId)).filter((r) => r.id === id);
    if (!row) throw new Error('error report insert not found');
    return viewOf(row);
  });
}

/** GET /api/support/error-reports/mine: the member's own reports with support's answers, newest first. */
export async function listMyErrorReports(deps: AuthDeps, actor: Actor): Promise<ErrorReportView[]> {
  practiceOrganization(actor);
  return (await listOwnErrorReports(deps.db, actor.userId)).map(viewOf);
}

/** GET /api/support/error-reports?status=: the organization's queue, oldest first, with the clock; audited. */
export async function listSupportErrorReports(deps: AuthDeps, actor: Actor, audit: AuditContext, status: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  return deps.db.transaction(async (tx) => {
    const rows = await listErrorReports(tx, organizationId, status);
    await recordAudit(tx, audit, { action: 'support.error_reports.read', outcome: 'success', details: { status, results: rows.length } });
    return rows.map(supportViewOf);
  });
}

/** GET /api/support/error-reports/:id: one report of the organization; 404 for another's. */
export async function getSupportErrorReport(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  return deps.db.transaction(async (tx) => {
    const row = await findErrorReport(tx, organizationId, id);
    if (!row) throw notFound('The report');
    await recordAudit(tx, audit, { action: 'support.error_report.read', outcome: 'success', objectType: 'ErrorReport', objectId: id });
    return supportViewOf(row);
  });
}

/** GET /api/support/error-reports/:id/screenshot: the image's bytes and type; 404 without one. */
export async function getErrorReportScreenshot(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  return deps.db.transaction(async (tx) => {
    const row = await findScreenshot(tx, organizationId, id);
    if (!row?.bytes || !row.type) throw notFound('The screenshot');
    await recordAudit(tx, audit, {
      action: 'support.error_report.screenshot.read',
      outcome: 'success',
      objectType: 'ErrorReport',
      objectId: id,
    });
    return { bytes: row.bytes, type: row.type };
  });
}

/** POST /api/support/error-reports/:id/answer: the answer is stored; the reporter is emailed to sign in and read it. */
export async function answerSupportErrorReport(deps: AuthDeps, actor: Actor, audit: AuditContext, id: string, answer: string) {
  const organizationId = supportOrganization(actor, 'support.requests');
  const event = { action: 'support.error_report.answer', objectType: 'ErrorReport', objectId: id };
  return decideAudited(deps, audit, event, async (tx) => {
    const report = await lockErrorReport(tx, organizationId, id);
    if (!report) throw notFound('The report');
    if (report.status !== 'open') throw new AppError(409, 'conflict', 'This report was already answered.');
    await answerErrorReport(tx, id, { answer, answeredBy: actor.userId, answeredAt: new Date() });
    await queueAnsweredEmail(tx, deps, organizationId, report.userId, id);
    await recordAudit(tx, audit, { ...event, outcome: 'success' });
    const row = await findErrorReport(tx, organizationId, id);
    if (!row) throw notFound('The report');
    return supportViewOf(row);
  });
}

/** "Your report was answered; sign in to read it": never the report's or the answer's text. */
async function queueAnsweredEmail(tx: Executor, deps: AuthDeps, organizationId: string, userId: string, reportId: string) {
  await queueSignInNotice(tx, deps.config.publicUrl, {
    userId,
    organizationName: await findOrganizationName(tx, organizationId),
    subject: 'support.email.reportAnswered.subject',
    text: 'support.email.reportAnswered.text',
    path: '/support/report',
    eventKey: `error-report-answered:${reportId}`,
  });
}
