import path from 'node:path';
import type { OutcomeIssue } from '@portico/fhir';
import type { FileOutcome } from './import-files.ts';

/**
 * The summary `npm run import` prints: totals, then each refused file and each refused entry of a batch or collection
 * with its index, path and diagnostics (the OperationOutcome's words only: no names or other patient data of ours).
 */

/** Issues listed per refused file or entry; past this the rest are counted. */
const issuesShown = 10;

const number = new Intl.NumberFormat('en-US');

/** The summary text and the exit code: 1 when any file or any entry was refused, else 0. */
export function summarizeImport(outcomes: readonly FileOutcome[]): { text: string; exitCode: number } {
  const total = { entries: 0, created: 0, updated: 0, unchanged: 0, failed: 0, patientsCreated: 0, patientsMatched: 0 };
  for (const o of outcomes) if (o.counts) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += o.counts[k];
  const refusedFiles = outcomes.filter((o) => !o.counts);
  const withRefusedEntries = outcomes.filter((o) => o.counts && o.refused.length > 0);
  const lines = [
    `Files: ${outcomes.length - refusedFiles.length} imported, ${refusedFiles.length} refused, ${withRefusedEntries.length} with refused entries.`,
    `Resources: ${number.format(total.entries)} read; ${number.format(total.created)} created, ${number.format(total.updated)} updated, ${number.format(total.unchanged)} unchanged, ${number.format(total.failed)} refused entries.`,
    `Patients: ${total.patientsCreated} created, ${total.patientsMatched} matched.`,
  ];
  for (const o of refusedFiles) {
    lines.push('', `${path.basename(o.file)} was refused:`, ...issueLines(o.issues, '  '));
  }
  for (const o of withRefusedEntries) {
    lines.push('', `${path.basename(o.file)}: ${o.refused.length} ${o.refused.length === 1 ? 'entry' : 'entries'} refused:`);
    for (const entry of o.refused) {
      const [first, ...rest] = issueLines(entry.issues, '    ');
      lines.push(`  entry ${entry.index}: ${first?.trimStart() ?? 'refused'}`, ...rest);
    }
  }
  const failed = refusedFiles.length > 0 || withRefusedEntries.length > 0;
  return { text: lines.join('\n'), exitCode: failed ? 1 : 0 };
}

function issueLines(issues: readonly OutcomeIssue[], indent: string): string[] {
  const lines = issues.slice(0, issuesShown).map((i) => `${indent}${i.expression?.join(', ') ?? 'Bundle'}: ${i.diagnostics}`);
  if (issues.length > issuesShown) lines.push(`${indent}… and ${issues.length - issuesShown} more issues`);
  return lines;
}
