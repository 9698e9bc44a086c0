/**
 * The support team's audit report (issue 12 §3: "an audit report per practice and per user (who opened which patient,
 * when), downloadable as CSV"), read from the audit trail. It names patients, so reading it is itself audited: the
 * report read, and each patient it showed.
 */
import { formatZonedDateTime, supportLimits, type AuditReportEntry, type AuditReportFilter } from '@portico/shared';
import { intlLocales, type Locale } from '@portico/shared/i18n';
import { addDays, formatCivilDate, parseCivilDate, startOfDayInZone } from '@portico/shared/zoned-time';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { memberships } from '../../db/schema/index.ts';
import { notFound } from '../../errors.ts';
import { auditEventIdPart, cursorCodec, microInstantPart, type CursorCodec } from '../../lib/cursor.ts';
import { translatorFor } from '../../lib/i18n.ts';
import type { Actor } from '../access/access.policy.ts';
import { csvText } from '../activity/activity-csv.ts';
import { recordAudit, type AuditContext } from '../audit/audit.service.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { findPractice } from '../provider-registrations/provider-registrations.repository.ts';
import { listAuditReportRows, type AuditReportCursor, type AuditReportRow, type AuditReportScope } from './audit-report.repository.ts';
import { supportOrganization } from './support-access.ts';
import { findOrganizationZone, listPracticesWithMembers } from './support.repository.ts';

const reportCursors: CursorCodec<AuditReportCursor> = cursorCodec({ at: microInstantPart, id: auditEventIdPart });

function entryOf(row: AuditReportRow): AuditReportEntry {
  return {
    id: String(row.id),
    at: row.occurredAt.toISOString(),
    action: row.action,
    who: {
      userId: row.actorUserId,
      name: row.actorName,
      role: row.role === 'sponsored_staff' ? 'sponsored_staff' : 'outside_provider',
      practiceName: row.practiceName,
    },
    patient: { id: row.patientId, name: `${row.patientGivenName} ${row.patientFamilyName}`, mrn: row.patientMrn },
  };
}

/**
 * The report's scope: the support team's organization, the practice (of the organization) and person (who was a member
 * of one of its practices) asked about, 404 otherwise, and the days as instants of the organization's zone.
 */
async function scopeOf(tx: Executor, organizationId: string, filter: AuditReportFilter): Promise<AuditReportScope & { timeZone: string }> {
  if (filter.practiceId && !(await findPractice(tx, organizationId, filter.practiceId))) throw notFound('The practice');
  if (filter.userId) {
    const [member] = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, filter.userId), eq(memberships.kind, 'practice'), eq(memberships.organizationId, organizationId)))
      .limit(1);
    if (!member) throw notFound('The user');
  }
  const timeZone = await findOrganizationZone(tx, organizationId);
  return {
    organizationId,
    practiceId: filter.practiceId,
    userId: filter.userId,
    from: startOfDayInZone(filter.from, timeZone),
    before: startOfDayInZone(formatCivilDate(addDays(parseCivilDate(filter.to), 1)), timeZone),
    timeZone,
  };
}

/** The report read and each patient it showed, audited with the filter (ids and days only). */
function auditRead(tx: Executor, audit: AuditContext, action: string, filter: AuditReportFilter, rows: readonly AuditReportRow[]) {
  const patientIds = [...new Set(rows.map((r) => r.patientId))];
  const { practiceId, userId, from, to } = filter;
  return recordAudit(tx, audit, [
    { action, outcome: 'success', details: { practiceId, userId, from, to, results: rows.length } },
    ...patientIds.map((patientId) => ({
      action: 'support.audit_report.patient.read',
      outcome: 'success' as const,
      patientId,
      objectType: 'Patient',
      objectId: patientId,
    })),
  ]);
}

/** GET /api/support/audit-report: one page, newest first. */
export async function readAuditReport(
  deps: AuthDeps,
  actor: Actor,
  audit: AuditContext,
  query: AuditReportFilter & { cursor?: string | undefined },
) {
  const organizationId = supportOrganization(actor, 'support.audit');
  const cursor = reportCursors.decodeOptional(query.cursor);
  return deps.db.transaction(async (tx) => {
    const scope = await scopeOf(tx, organizationId, query);
    const rows = await listAuditReportRows(tx, scope, cursor, supportLimits.auditReportPageSize);
    const { page, nextCursor } = reportCursors.page(rows, supportLimits.auditReportPageSize, (r) => ({ at: r.cursorAt, id: r.id }));
    await auditRead(tx, audit, 'support.audit_report.read', query, page);
    return { entries: page.map(entryOf), nextCursor };
  });
}

/**
 * GET /api/support/audit-report.csv: the same rows (at most 10,000; a last line says when the cap cut it) as CSV in the
 * reader's language, times in the organization's zone and in UTC, every cell defused against formula injection.
 */
export async function exportAuditReport(deps: AuthDeps, actor: Actor, audit: AuditContext, filter: AuditReportFilter, locale: Locale) {
  const organizationId = supportOrganization(actor, 'support.audit');
  const t = translatorFor(locale);
  return deps.db.transaction(async (tx) => {
    const scope = await scopeOf(tx, organizationId, filter);
    const rows = await listAuditReportRows(tx, scope, null, supportLimits.auditReportCsvCap);
    const truncated = rows.length > supportLimits.auditReportCsvCap;
    const kept = rows.slice(0, supportLimits.auditReportCsvCap);
    await auditRead(tx, audit, 'support.audit_report.download', filter, kept);
    const columns = ['when', 'whenUtc', 'who', 'role', 'practice', 'patient', 'mrn', 'action'] as const;
    const header = columns.map((c) => t(`support.audit.column.${c}`));
    const body = kept.map((r) => {
      const entry = entryOf(r);
      return [
        formatZonedDateTime(entry.at, scope.timeZone, intlLocales[locale]) ?? entry.at,
        entry.at,
        entry.who.name,
        t(`support.audit.role.${entry.who.role}`),
        entry.who.practiceName ?? '',
        entry.patient.name,
        entry.patient.mrn,
        entry.action,
      ];
    });
    const note = truncated ? [[t('support.audit.truncated', { count: supportLimits.auditReportCsvCap })]] : [];
    return { body: csvText([header, ...body, ...note]), filename: `audit-report-${filter.from}-${filter.to}.csv` };
  });
}

/** GET /api/support/practices: the organization's practices and members, for the report's filters (no patient data). */
export async function listSupportPractices(deps: AuthDeps, actor: Actor, audit: AuditContext) {
  const organizationId = supportOrganization(actor, 'support.audit');
  return deps.db.transaction(async (tx) => {
    const practices = await listPracticesWithMembers(tx, organizationId);
    await recordAudit(tx, audit, { action: 'support.practices.read', outcome: 'success', details: { results: practices.length } });
    return practices;
  });
}
