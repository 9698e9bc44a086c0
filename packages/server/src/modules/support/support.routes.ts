import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  applyPracticeChangeResponse,
  approvePcpBody,
  auditReportCsvQuery,
  auditReportQuery,
  auditReportResponse,
  errorReportAnswerBody,
  errorReportBody,
  errorReportCreatedResponse,
  errorReportListQuery,
  errorReportListResponse,
  idParams,
  myErrorReportsResponse,
  myPracticeChangeResponse,
  practiceChangeBody,
  practiceChangeDecisionResponse,
  practiceChangeListQuery,
  practiceChangeListResponse,
  practiceSearchQuery,
  practiceSearchResponse,
  supportAccessDecisionResponse,
  supportAccessRequestListResponse,
  supportAccessRequestQuery,
  supportApproveBody,
  supportDecisionBody,
  supportErrorReportResponse,
  supportLimits,
  supportPracticeListResponse,
} from '@portico/shared';
import { auditContextOf, localeOf, requireActor } from '../../plugins/session.ts';
import type { AuthDeps } from '../auth/auth.deps.ts';
import { errorResponses } from '../route-helpers.ts';
import { approvePcpRequest, approveRoutedNonPcpRequest, denyRoutedRequest, listSupportAccessRequests } from './access-requests.service.ts';
import { exportAuditReport, listSupportPractices, readAuditReport } from './audit-report.service.ts';
import {
  answerSupportErrorReport,
  createErrorReport,
  getErrorReportScreenshot,
  getSupportErrorReport,
  listMyErrorReports,
  listSupportErrorReports,
} from './error-reports.service.ts';
import {
  applyPracticeChange,
  declinePracticeChange,
  listSupportPracticeChanges,
  myPracticeChange,
  requestPracticeChange,
  searchPracticesForMember,
} from './practice-changes.service.ts';

const tags = ['support'];

/** A file sent as it is (Fastify never serializes it). */
const fileResponse = z.union([z.instanceof(Buffer), z.string()]).describe('The file itself.');

/** A screenshot's JSON body holds up to 2 MB as base64 (4/3 of it) and the description. */
const errorReportBodyLimit = Math.ceil((supportLimits.screenshotMaxBytes * 4) / 3) + 64 * 1024;

/**
 * The support console's queues (issue 12 §3) and the practice member's side of them: PCP and non-PCP requests routed to
 * support, practice changes, error reports, the audit report and its CSV.
 */
export function registerSupportRoutes(app: FastifyInstance, deps: AuthDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const decision = { params: idParams, response: { 200: supportAccessDecisionResponse, ...errorResponses } };

  r.get(
    '/api/support/access-requests',
    {
      schema: {
        tags,
        summary: 'PCP update or non-PCP requests routed to support, oldest first, with the clock (support)',
        querystring: supportAccessRequestQuery,
        response: { 200: supportAccessRequestListResponse, ...errorResponses },
      },
    },
    async (request) => ({ requests: await listSupportAccessRequests(deps, requireActor(request), auditContextOf(request), request.query) }),
  );

  r.post(
    '/api/support/access-requests/:id/approve-pcp',
    { schema: { tags, summary: 'Record the family’s confirmation and update the PCP (support)', body: approvePcpBody, ...decision } },
    async (request) => ({
      request: await approvePcpRequest(deps, requireActor(request), auditContextOf(request), request.params.id, request.body),
    }),
  );

  r.post(
    '/api/support/access-requests/:id/approve',
    { schema: { tags, summary: 'Approve a non-PCP request routed to support (support)', body: supportApproveBody, ...decision } },
    async (request) => ({
      request: await approveRoutedNonPcpRequest(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.note),
    }),
  );

  r.post(
    '/api/support/access-requests/:id/deny',
    { schema: { tags, summary: 'Deny a request routed to support, with a note (support)', body: supportDecisionBody, ...decision } },
    async (request) => ({
      request: await denyRoutedRequest(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.note),
    }),
  );

  r.get(
    '/api/mypatients/practices',
    {
      schema: {
        tags,
        summary: 'Practices by name, for the practice change form (practice members)',
        querystring: practiceSearchQuery,
        response: { 200: practiceSearchResponse, ...errorResponses },
      },
    },
    async (request) => ({ practices: await searchPracticesForMember(deps, requireActor(request), request.query.q) }),
  );

  r.get(
    '/api/mypatients/practice-change',
    {
      schema: {
        tags,
        summary: 'Your latest practice change (practice members)',
        response: { 200: myPracticeChangeResponse, ...errorResponses },
      },
    },
    async (request) => ({ change: await myPracticeChange(deps, requireActor(request)) }),
  );

  r.post(
    '/api/mypatients/practice-change',
    {
      schema: {
        tags,
        summary: 'Ask support to move you to another practice (practice members; one pending at a time)',
        body: practiceChangeBody,
        response: { 201: myPracticeChangeResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const change = await requestPracticeChange(deps, requireActor(request), auditContextOf(request), request.body);
      return reply.status(201).send({ change });
    },
  );

  r.get(
    '/api/support/practice-changes',
    {
      schema: {
        tags,
        summary: 'Practice changes of a status, oldest first (support)',
        querystring: practiceChangeListQuery,
        response: { 200: practiceChangeListResponse, ...errorResponses },
      },
    },
    async (request) => ({
      changes: await listSupportPracticeChanges(deps, requireActor(request), auditContextOf(request), request.query.status),
    }),
  );

  r.post(
    '/api/support/practice-changes/:id/apply',
    {
      schema: {
        tags,
        summary: 'Move the member to the new practice; a sponsor’s sponsored users lose their sponsor (support)',
        params: idParams,
        response: { 200: applyPracticeChangeResponse, ...errorResponses },
      },
    },
    async (request) => applyPracticeChange(deps, requireActor(request), auditContextOf(request), request.params.id),
  );

  r.post(
    '/api/support/practice-changes/:id/decline',
    {
      schema: {
        tags,
        summary: 'Decline a practice change with a note (support)',
        params: idParams,
        body: supportDecisionBody,
        response: { 200: practiceChangeDecisionResponse, ...errorResponses },
      },
    },
    async (request) => declinePracticeChange(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.note),
  );

  r.post(
    '/api/support/error-reports',
    {
      bodyLimit: errorReportBodyLimit,
      schema: {
        tags,
        summary: 'Report a problem: the page, a description, a screenshot as base64 (practice members)',
        description: 'The screenshot is a PNG or JPEG of at most 2 MB, checked by its bytes. Support answers within 2 business days.',
        body: errorReportBody,
        response: { 201: errorReportCreatedResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await createErrorReport(deps, requireActor(request), auditContextOf(request), request.body);
      return reply.status(201).send({ report });
    },
  );

  r.get(
    '/api/support/error-reports/mine',
    {
      schema: {
        tags,
        summary: 'Your reports with the answers (practice members)',
        response: { 200: myErrorReportsResponse, ...errorResponses },
      },
    },
    async (request) => ({ reports: await listMyErrorReports(deps, requireActor(request)) }),
  );

  r.get(
    '/api/support/error-reports',
    {
      schema: {
        tags,
        summary: 'Error reports of a status, oldest first, with the clock (support)',
        querystring: errorReportListQuery,
        response: { 200: errorReportListResponse, ...errorResponses },
      },
    },
    async (request) => ({
      reports: await listSupportErrorReports(deps, requireActor(request), auditContextOf(request), request.query.status),
    }),
  );

  r.get(
    '/api/support/error-reports/:id',
    {
      schema: {
        tags,
        summary: 'One error report (support)',
        params: idParams,
        response: { 200: supportErrorReportResponse, ...errorResponses },
      },
    },
    async (request) => ({ report: await getSupportErrorReport(deps, requireActor(request), auditContextOf(request), request.params.id) }),
  );

  r.get(
    '/api/support/error-reports/:id/screenshot',
    { schema: { tags, summary: 'A report’s screenshot (support)', params: idParams, response: { 200: fileResponse, ...errorResponses } } },
    async (request, reply) => {
      const file = await getErrorReportScreenshot(deps, requireActor(request), auditContextOf(request), request.params.id);
      return reply
        .header('Content-Type', file.type)
        .header('Content-Disposition', 'inline')
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'no-store')
        .send(file.bytes);
    },
  );

  r.post(
    '/api/support/error-reports/:id/answer',
    {
      schema: {
        tags,
        summary: 'Answer a report; the reporter is emailed to sign in and read it (support)',
        params: idParams,
        body: errorReportAnswerBody,
        response: { 200: supportErrorReportResponse, ...errorResponses },
      },
    },
    async (request) => ({
      report: await answerSupportErrorReport(deps, requireActor(request), auditContextOf(request), request.params.id, request.body.answer),
    }),
  );

  r.get(
    '/api/support/practices',
    {
      schema: {
        tags,
        summary: 'The organization’s practices and their members, for the audit report (support)',
        response: { 200: supportPracticeListResponse, ...errorResponses },
      },
    },
    async (request) => ({ practices: await listSupportPractices(deps, requireActor(request), auditContextOf(request)) }),
  );

  r.get(
    '/api/support/audit-report',
    {
      schema: {
        tags,
        summary: 'Who of the outside practices opened which patient, when: newest first, paged (support)',
        querystring: auditReportQuery,
        response: { 200: auditReportResponse, ...errorResponses },
      },
    },
    async (request) => readAuditReport(deps, requireActor(request), auditContextOf(request), request.query),
  );

  r.get(
    '/api/support/audit-report.csv',
    {
      schema: {
        tags,
        summary: 'The audit report as CSV (support)',
        querystring: auditReportCsvQuery,
        response: { 200: fileResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const file = await exportAuditReport(deps, requireActor(request), auditContextOf(request), request.query, localeOf(request));
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${file.filename}"`)
        .header('Cache-Control', 'no-store')
        .send(file.body);
    },
  );
}
