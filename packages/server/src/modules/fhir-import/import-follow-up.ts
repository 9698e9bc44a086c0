import { isVisitSummaryResource, notifyCareTeam } from '../care-team/care-team-notifications.ts';
import { holdNewResultsForReview, isResultResource } from '../record/result-release.ts';
import { notifyNewResults } from '../record/result-notifications.ts';
import type { AfterImport } from './import.service.ts';

/**
 * After an import writes new results: hold them for patients who asked for review, and tell patients (and their
 * outside care team) results are waiting; after it writes a visit or its summary, tell the outside care team
 * (issue 12 §2).
 */
export function resultFollowUp(publicUrl: string): AfterImport {
  return async (tx, created) => {
    const visits = created.filter((c) => c.patientId && isVisitSummaryResource(c.resourceType)).map((c) => c.id);
    await notifyCareTeam(tx, visits, 'visit', publicUrl);
    const results = created.filter((c) => c.patientId && isResultResource(c.resourceType, c.category)).map((c) => c.id);
    if (results.length === 0) return;
    await holdNewResultsForReview(tx, results);
    await notifyNewResults(tx, results, publicUrl);
  };
}
