import type { Config } from '../config.js';
import { verifyAuditTrail } from '../services/index.js';
import { openStore } from '../storage/open-store.js';
import { EXIT, reportError, type Io } from './output.js';
import { InkanError, parseChainAnchor, type ChainAnchor } from '../core/index.js';

/**
 * `inkan audit verify [--expect-head SEQ:HASH]`: exit 0 when the chain is whole (and still
 * reaches the anchor saved last time), 1 when an event was changed or removed.
 */
export async function runAuditVerify(
  config: Config,
  io: Io,
  json: boolean,
  expectHead?: string,
): Promise<number> {
  let anchor: ChainAnchor | undefined;
  if (expectHead !== undefined) {
    anchor = parseChainAnchor(expectHead) ?? undefined;
    if (anchor === undefined) {
      return reportError(
        io,
        new InkanError('VALIDATION_FAILED', {
          errors: [
            { field: 'expect-head', message: 'must be SEQ:HASH as printed by inkan audit verify' },
          ],
        }),
        json,
      );
    }
  }
  try {
    const store = await openStore({ url: config.databaseUrl });
    try {
      const r = await verifyAuditTrail(store, anchor);
      const out = r.ok ? { ...r, anchor: `${r.count}:${r.head}` } : r;
      if (json) io.out(JSON.stringify(out));
      else if (r.ok) {
        io.out(
          `Audit trail intact: ${r.count} events${anchor === undefined ? '' : `, still reaching anchor #${anchor.seq}`}.`,
        );
        io.out(
          `Anchor (keep it outside the database; check later with --expect-head): ${r.count}:${r.head}`,
        );
      } else
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
