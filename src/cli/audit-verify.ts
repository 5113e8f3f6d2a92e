import type { Config } from '../config.js';
import { verifyAuditTrail } from '../services/index.js';
import { openStore } from '../storage/open-store.js';
import { EXIT, reportError, type Io } from './output.js';

/** `inkan audit verify`: exit 0 when the chain is whole, 1 when an event was changed or removed. */
export async function runAuditVerify(config: Config, io: Io, json: boolean): Promise<number> {
  try {
    const store = await openStore({ url: config.databaseUrl });
    try {
      const r = await verifyAuditTrail(store);
      if (json) io.out(JSON.stringify(r));
      else if (r.ok) io.out(`Audit trail intact: ${r.count} events, head ${r.head}.`);
      else
        io.err(
          `AUDIT TRAIL BROKEN at event #${r.brokenAtSeq}: ${r.problem} (${r.count} events intact before it).`,
        );
      return r.ok ? EXIT.ok : EXIT.failure;
    } finally {
      await store.close();
    }
  } catch (e) {
    return reportError(io, e, json);
  }
}
