import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { defaultUnsealedAfterMs, describeVerdict, verifyAuditConsistently } from './audit.verify.ts';

/**
 * `npm run audit:verify [-- --unsealed-minutes N]`: checks the audit blocks, seals and events of the configured
 * database; names the first bad event (or block) and the reason; exit code 1 on any finding.
 */
const { values } = parseArgs({ options: { 'unsealed-minutes': { type: 'string' } } });
const minutes = values['unsealed-minutes'] === undefined ? undefined : Number(values['unsealed-minutes']);
if (minutes !== undefined && !(minutes >= 0)) throw new Error('--unsealed-minutes takes a number of minutes');
const unsealedAfterMs = minutes === undefined ? defaultUnsealedAfterMs : minutes * 60_000;
const handle = await openDatabase(loadConfig().database);
try {
  const verdict = await verifyAuditConsistently(handle.db, { unsealedAfterMs });
  for (const line of describeVerdict(verdict, unsealedAfterMs)) (verdict.ok ? console.log : console.error)(line);
  if (!verdict.ok) process.exitCode = 1;
} finally {
  await handle.close();
}
