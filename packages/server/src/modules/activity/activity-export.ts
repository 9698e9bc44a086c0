import { activityCsvCap, type ActivityExportQuery, type ActivityEntry } from '@portico/shared';
import type { Locale } from '@portico/shared/i18n';
import { civilDateInZone, formatCivilDate } from '@portico/shared/zoned-time';
import type { Database } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
import type { Actor } from '../access/access.policy.ts';
import type { AuditContext } from '../audit/audit.service.ts';
import { documentBrandingOf } from '../branding/branding.service.ts';
import { activityCsvRows, csvText } from './activity-csv.ts';
import { renderActivityPdf } from './activity-pdf.ts';
import { listActivityEvents } from './activity.repository.ts';
import { filterOf, toEntries, withActivityLog } from './activity.service.ts';

/** A download of the log as sent: its type, its name (the day only, never the patient) and its bytes or text. */
export interface ActivityFile {
  contentType: 'text/csv; charset=utf-8' | 'application/pdf';
  filename: string;
  body: string | Buffer;
}

/** What the audited read gathers for a download. */
interface Gathered {
  entries: ActivityEntry[];
  truncated: boolean;
  timeZone: string;
  patientName: string;
  organizationId: string;
}

/**
 * GET /api/patients/:id/activity.csv and .pdf: the log with the page's filters, newest first, up to activityCsvCap
 * entries, read in one audited transaction (`activity.export`, naming the format, the filters and the row count); the
 * file is made after it commits, so rendering never holds a database connection.
 */
export async function exportActivity(
  db: Database,
  actor: Actor,
  audit: AuditContext,
  request: { patientId: string; query: ActivityExportQuery; format: 'csv' | 'pdf'; locale: Locale },
): Promise<ActivityFile> {
  const { patientId, query, format } = request;
  const filters = { from: query.from ?? null, to: query.to ?? null, person: query.person ?? null };
  const auditDetails: Record<string, unknown> = { format, ...filters };
  const gathered = await withActivityLog(
    db,
    actor,
    audit,
    { patientId, auditAction: 'activity.export', auditDetails },
    async (tx, scope) => {
      const rows = await listActivityEvents(tx, filterOf(scope, query), null, activityCsvCap);
      const truncated = rows.length > activityCsvCap;
      const entries = await toEntries(tx, rows.slice(0, activityCsvCap), scope);
      auditDetails.rows = entries.length;
      if (truncated) auditDetails.truncated = true;
      const { patient } = scope;
      return {
        entries,
        truncated,
        timeZone: scope.timeZone,
        patientName: `${patient.givenName} ${patient.familyName}`,
        organizationId: patient.organizationId,
      };
    },
  );
  const generatedAt = new Date();
  const day = formatCivilDate(civilDateInZone(generatedAt, gathered.timeZone));
  const t = translatorFor(request.locale);
  if (format === 'csv') {
    const body = csvText(activityCsvRows(t, gathered.entries, gathered.timeZone, gathered.truncated));
    return { contentType: 'text/csv; charset=utf-8', filename: `activity-log-${day}.csv`, body };
  }
  const brand = await documentBrandingOf(db, gathered.organizationId);
  const body = await renderActivityPdf({
    patientName: gathered.patientName,
    organizationName: brand.name,
    brand: { color: brand.primaryColor, logo: brand.logo },
    entries: gathered.entries,
    truncated: gathered.truncated,
    timeZone: gathered.timeZone,
    range: { from: filters.from, to: filters.to },
    person: filters.person ? personName(gathered, filters.person, t) : null,
    generatedAt,
    locale: request.locale,
  });
  return { contentType: 'application/pdf', filename: `activity-log-${day}.pdf`, body };
}

/** The filtered person's name as the entries give it (every entry is theirs), or "unknown person" when there are none. */
function personName(gathered: Gathered, userId: string, t: ReturnType<typeof translatorFor>): string {
  return gathered.entries.find((e) => e.who.userId === userId)?.who.name ?? t('activity.who.unknown');
}
