import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { verifyAuditChain } from './audit.verify.ts';

/** `npm run audit:verify`: checks the audit hash chain of the configured database; exit code 1 on a break. */
const handle = await openDatabase(loadConfig().database);
try {
  const verdict = await verifyAuditChain(handle.db);
  if (verdict.firstBrokenId === null) {
    console.log(`Audit chain intact: ${verdict.checked} events verified.`);
  } else {
    console.error(
      `Audit chain BROKEN at event ${verdict.firstBrokenId}: ${verdict.reason} (${verdict.checked} events verified before it).`,
    );
    process.exitCode = 1;
  }
} finally {
  await handle.close();
}
