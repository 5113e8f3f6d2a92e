/**
 * The hole: an OTP answered `ok` before its step is durably stored. If the server answers first
 * and commits later (write-behind, a batch flushed on a timer, a group commit that resolves its
 * callers before COMMIT returns, an in-memory "used steps" cache), a crash between the answer and
 * the commit forgets that the step was used, and after a restart the same OTP is accepted again:
 * 「一度使用したワンタイムパスワードは無効」 broken by a power cut or an OOM kill.
 *
 * A real `inkan serve` under a verification load (several calls in flight, each a fresh valid OTP)
 * is killed with SIGKILL half-way; restarted on the same database, it must refuse every OTP it had
 * answered `ok` (`replayed` or `invalid`, never `ok`). OTPs that were in flight at the kill were
 * never answered, so one acceptance of each after the restart is allowed; a second is not.
 * Runs on SQLite (DATABASE_URL unset) and on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, newMasterKey, parseOneJsonObject, runCli } from '../support/process-cli.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';
import {
  startServerProcess,
  stopAllServerProcesses,
  type ServerProcess,
} from '../support/process-server.js';
import {
  activeCustomerOverHttp,
  currentStep,
  mapConcurrent,
  verifyOverHttp,
  waitForStepRoom,
  type ActiveCustomer,
} from '../support/process-app.js';

const SERVICE_ID = '10112235';
const CUSTOMERS = 40;
/** Calls in flight at once during the load. */
const IN_FLIGHT = 10;
/** The server is killed when this many OTPs have been answered ok. */
const KILL_AFTER_OK = 30;

interface Attempt {
  readonly customer: ActiveCustomer;
  readonly step: number;
  readonly otp: string;
}

describe('SIGKILL during a verification load', () => {
  let db: ProcessDatabase | null = null;
  let env: NodeJS.ProcessEnv;
  let apiKey: string;

  beforeAll(async () => {
    db = await createProcessDatabase();
    env = childEnv({
      DATABASE_URL: db.url,
      INKAN_MASTER_KEY: newMasterKey(),
      LOG_LEVEL: 'warn',
      // 40 provisionings from one address exceed the per-address limit (30 a minute); per-token
      // and per-customer limits still apply.
      INKAN_RATE_LIMIT_ALLOW: '127.0.0.1,::1,::ffff:127.0.0.1',
    });
    const created = await runCli(
      ['tenant', 'create', '--service-id', SERVICE_ID, '--name', 'テスト銀行', '--json'],
      { env, cwd: db.dir },
    );
    expect(created.code, created.stderr).toBe(0);
    apiKey = String(parseOneJsonObject(created.stdout)['apiKey']);
  }, 30_000);

  afterAll(async () => {
    await stopAllServerProcesses();
    await db?.drop();
  }, 30_000);

  it('no OTP answered ok before the kill is accepted again after the restart', async () => {
    const cwd = db?.dir ?? '.';
    const first: ServerProcess = await startServerProcess({ env, cwd });
    const customers = await mapConcurrent(
      Array.from({ length: CUSTOMERS }, (_, i) => `dur-${String(i).padStart(3, '0')}`),
      8,
      (ref) => activeCustomerOverHttp(first.url, apiKey, SERVICE_ID, ref),
    );

    // The whole load, the kill, the restart and the replay fit in the rest of this step and the
    // next, so every replayed OTP is still inside the ±1 window (a real replay, not just too old).
    const now = await waitForStepRoom(20_000);
    // Per customer, in increasing order: the current step and the next (the activation used the
    // previous one). Each is a fresh, valid OTP.
    const plans: Attempt[][] = customers.map((c) =>
      [now, now + 1]
        .filter((s) => s > c.usedStep)
        .map((step) => ({ customer: c, step, otp: c.token.otpAt(step) })),
    );
    const total = plans.reduce((n, p) => n + p.length, 0);
    expect(total).toBe(2 * CUSTOMERS);

    const answeredOk: Attempt[] = [];
    const answeredOther: { attempt: Attempt; status: number; result: unknown }[] = [];
    const inFlightAtKill: Attempt[] = [];
    let killed: Promise<void> | null = null;
    await mapConcurrent(plans, IN_FLIGHT, async (plan) => {
      for (const attempt of plan) {
        if (killed !== null) return;
        try {
          const r = await verifyOverHttp(first.url, apiKey, attempt.customer.ref, attempt.otp);
          if (r.status === 200 && r.json['result'] === 'ok') answeredOk.push(attempt);
          else
            answeredOther.push({
              attempt,
              status: r.status,
              result: r.json['result'] ?? r.json['code'],
            });
        } catch {
          inFlightAtKill.push(attempt); // no answer: the server died with it in flight
          return;
        }
        if (killed === null && answeredOk.length >= KILL_AFTER_OK) killed = first.kill();
      }
    });
    await killed;
    expect(first.proc.signalCode).toBe('SIGKILL');

    // The load meant something: every answered OTP was accepted, enough of them, and the kill
    // landed in the middle (not every OTP was answered).
    expect(answeredOther).toEqual([]);
    expect(answeredOk.length).toBeGreaterThanOrEqual(20);
    expect(answeredOk.length).toBeLessThan(total);

    const second = await startServerProcess({ env, cwd });
    expect(currentStep()).toBeLessThanOrEqual(now + 1); // still inside the window of every OTP used

    const acceptedAgain: string[] = [];
    for (const a of answeredOk) {
      const r = await verifyOverHttp(second.url, apiKey, a.customer.ref, a.otp);
      expect(r.status).toBe(200);
      expect(['replayed', 'invalid']).toContain(r.json['result']);
      if (r.json['result'] === 'ok') acceptedAgain.push(`${a.customer.ref} step ${a.step}`);
    }
    expect(acceptedAgain).toEqual([]);

    // In flight at the kill: never answered, so it may or may not have been stored. It may be
    // accepted once now; a second time never.
    for (const a of inFlightAtKill) {
      const once = await verifyOverHttp(second.url, apiKey, a.customer.ref, a.otp);
      expect(['ok', 'replayed', 'invalid']).toContain(once.json['result']);
      const twice = await verifyOverHttp(second.url, apiKey, a.customer.ref, a.otp);
      expect(twice.json['result']).not.toBe('ok');
    }

    // The restarted server is not refusing everything: an OTP never sent is accepted.
    const tried = new Set(
      [...answeredOk, ...inFlightAtKill, ...answeredOther.map((x) => x.attempt)].map(
        (a) => a.customer.ref,
      ),
    );
    const fresh = customers.find((c) => !tried.has(c.ref));
    expect(fresh).toBeDefined();
    if (fresh !== undefined) {
      expect(
        (await verifyOverHttp(second.url, apiKey, fresh.ref, fresh.token.otpAt(now + 1))).json[
          'result'
        ],
      ).toBe('ok');
    }
    expect(await second.stop()).toBe(0);
  }, 60_000);
});
