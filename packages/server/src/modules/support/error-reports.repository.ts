/** SQL for error reports (issue 12 §3); every method takes its executor. */
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { errorReports, memberships, practices, users } from '../../db/schema/index.ts';

/** A report without its screenshot's bytes (lists never carry them). */
const reportColumns = {
  id: errorReports.id,
  organizationId: errorReports.organizationId,
  userId: errorReports.userId,
  page: errorReports.page,
  description: errorReports.description,
  screenshotType: errorReports.screenshotType,
  status: errorReports.status,
  answer: errorReports.answer,
  answeredAt: errorReports.answeredAt,
  dueAt: errorReports.dueAt,
  createdAt: errorReports.createdAt,
};

/** A report with who sent it. */
export type ErrorReportRow = Awaited<ReturnType<typeof listErrorReports>>[number];

/** Stores a report; its id. */
export async function insertErrorReport(tx: Executor, values: typeof errorReports.$inferInsert): Promise<string> {
  const [row] = await tx.insert(errorReports).values(values).returning({ id: errorReports.id });
  if (!row) throw new Error('error report insert returned nothing');
  return row.id;
}

/** A user's own reports, newest first (at most 50). */
export function listOwnErrorReports(db: Executor, userId: string) {
  return db
    .select(reportColumns)
    .from(errorReports)
    .where(eq(errorReports.userId, userId))
    .orderBy(desc(errorReports.createdAt), desc(errorReports.id))
    .limit(50);
}

function supportQuery(db: Executor) {
  return db
    .select({ ...reportColumns, reporterName: users.displayName, reporterEmail: users.email, practiceName: practices.name })
    .from(errorReports)
    .innerJoin(users, eq(users.id, errorReports.userId))
    .leftJoin(memberships, and(eq(memberships.userId, errorReports.userId), eq(memberships.kind, 'practice'), isNull(memberships.endedAt)))
    .leftJoin(practices, eq(practices.id, memberships.practiceId));
}

/** The organization's reports of a status, oldest first (at most 200). */
export function listErrorReports(db: Executor, organizationId: string, status: string) {
  return supportQuery(db)
    .where(and(eq(errorReports.organizationId, organizationId), eq(errorReports.status, status)))
    .orderBy(asc(errorReports.createdAt), asc(errorReports.id))
    .limit(200);
}

/** One report of the organization, with its reporter. */
export async function findErrorReport(db: Executor, organizationId: string, id: string): Promise<ErrorReportRow | undefined> {
  const [row] = await supportQuery(db).where(and(eq(errorReports.id, id), eq(errorReports.organizationId, organizationId)));
  return row;
}

/** A report's screenshot, when it has one. */
export async function findScreenshot(db: Executor, organizationId: string, id: string) {
  const [row] = await db
    .select({ bytes: errorReports.screenshot, type: errorReports.screenshotType })
    .from(errorReports)
    .where(and(eq(errorReports.id, id), eq(errorReports.organizationId, organizationId)));
  return row;
}

/** A report of the organization, locked for the answer. */
export async function lockErrorReport(tx: Executor, organizationId: string, id: string) {
  const [row] = await tx
    .select({ id: errorReports.id, status: errorReports.status, userId: errorReports.userId })
    .from(errorReports)
    .where(and(eq(errorReports.id, id), eq(errorReports.organizationId, organizationId)))
    .for('update');
  return row;
}

/** Records support's answer. */
export async function answerErrorReport(tx: Executor, id: string, answer: { answer: string; answeredBy: string; answeredAt: Date }) {
  await tx
    .update(errorReports)
    .set({ ...answer, status: 'answered' })
    .where(eq(errorReports.id, id));
}
