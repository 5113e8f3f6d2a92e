import type { Config } from '../config.js';
import { runHousekeeping } from '../housekeeping.js';
import { createRuntime } from '../main.js';
import { EXIT, reportError, type Io } from './output.js';

/**
 * `inkan housekeeping`: one sweep now (`inkan serve` also runs it every 5 minutes), for
 * deployments that prefer a scheduler of their own. Prints what it did.
 */
export async function runHousekeepingCommand(
  config: Config,
  io: Io,
  json: boolean,
): Promise<number> {
  try {
    const rt = await createRuntime(config, { warn: io.err });
    try {
      const r = await runHousekeeping(rt);
      if (json) io.out(JSON.stringify(r));
      else {
        io.out('Housekeeping done:');
        io.out(`  overdue 取引認証 transactions expired: ${r.expiredTransactions}`);
        io.out(`  expired passkey challenges removed: ${r.passkeyChallenges}`);
        io.out(`  idle internet-banking sessions removed: ${r.bankSessions}`);
        io.out(`  old 電話番号認証 checks removed: ${r.phoneChecks}`);
        io.out(`  old outbox mails removed: ${r.outboxMails}`);
      }
      return EXIT.ok;
    } finally {
      await rt.close();
    }
  } catch (e) {
    return reportError(io, e, json);
  }
}
