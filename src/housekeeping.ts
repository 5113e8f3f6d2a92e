import type { Logger } from 'pino';
import type { Runtime } from './main.js';
import { PORTAL_IDLE_MS } from './web/portal/session.js';

/**
 * Housekeeping: rows whose time is over are settled or removed, on a timer in `inkan serve`
 * (every 5 minutes, first one minute after the start) and on demand with `inkan housekeeping`.
 * - 取引認証 transactions still pending past their expiry become expired, each audited (reads
 *   already did this lazily; the sweep makes the console and reports true without a read);
 * - passkey challenges past their 120 s are removed;
 * - the bank's sessions idle longer than the portal's idle logout are removed;
 * - 電話番号認証 checks that expired a day ago are removed (they hold phone numbers);
 * - the development outbox (/dev/mail, when no SMTP is configured) keeps mails for 7 days.
 * Tokens, customers, settled transactions and the audit trail are never removed: they are the
 * bank's record.
 */
export const HOUSEKEEPING = {
  everyMs: 5 * 60_000,
  firstAfterMs: 60_000,
  /** Most transactions expired per sweep (the next sweep takes the rest). */
  batch: 1000,
  /** The portal logs out after this long idle (serve's portal); a session idle longer is dead. */
  sessionIdleMs: PORTAL_IDLE_MS,
  phoneCheckKeepMs: 24 * 3_600_000,
  outboxKeepMs: 7 * 24 * 3_600_000,
} as const;

/** What one sweep did, by kind of row. */
export interface HousekeepingReport {
  readonly expiredTransactions: number;
  readonly passkeyChallenges: number;
  readonly bankSessions: number;
  readonly phoneChecks: number;
  readonly outboxMails: number;
}

/** One sweep over the platform's and the bank's tables. */
export async function runHousekeeping(rt: Runtime): Promise<HousekeepingReport> {
  const now = rt.clock.now();
  const platform = await rt.platform.housekeeping(HOUSEKEEPING.batch);
  const bankSessions = await rt.bank.purgeSessions(now - HOUSEKEEPING.sessionIdleMs);
  const phoneChecks = await rt.bank.purgePhoneChecks(now - HOUSEKEEPING.phoneCheckKeepMs);
  const outboxMails =
    rt.mailOutbox === null ? 0 : await rt.store.mailOutbox().purge(now - HOUSEKEEPING.outboxKeepMs);
  return { ...platform, bankSessions, phoneChecks, outboxMails };
}

/**
 * Runs the sweep on a timer that never keeps the process alive; a failed sweep is logged (without
 * any row's content) and the next one tries again. Returns the stop function.
 */
export function scheduleHousekeeping(
  rt: Runtime,
  log: Logger,
  o: { everyMs: number; firstAfterMs: number } = HOUSEKEEPING,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = () => {
    if (running !== null || stopped) return;
    running = runHousekeeping(rt)
      .then((r) => {
        if (Object.values(r).some((n) => n > 0)) log.info({ housekeeping: r }, 'housekeeping');
      })
      .catch((err: unknown) => log.error({ err }, 'housekeeping failed'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(sweep, o.firstAfterMs);
  const every = setInterval(sweep, o.everyMs);
  first.unref();
  every.unref();
  return async () => {
    stopped = true;
    clearTimeout(first);
    clearInterval(every);
    await running;
  };
}
