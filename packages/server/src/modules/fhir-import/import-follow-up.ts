import { holdNewResultsForReview, isResultResource } from '../record/result-release.ts';
import { notifyNewResults } from '../record/result-notifications.ts';
import type { AfterImport } from './import.service.ts';

/** After an import writes new results: hold them for patients who asked for review, and tell patients results are waiting. */
export function resultFollowUp(publicUrl: string): AfterImport {
  return async (tx, created) => {
    const results = created.filter((c) => c.patientId && isResultResource(c.resourceType, c.category)).map((c) => c.id);
    if (results.length === 0) return;
    await holdNewResultsForReview(tx, results);
    await notifyNewResults(tx, results, publicUrl);
  };
}
