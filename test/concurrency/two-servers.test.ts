/**
 * The hole: single use and the lockout count held by one process's memory (a cache, a lock, a
 * read-then-write) instead of by the database. Behind a load balancer two stateless `inkan serve`
 * processes share one PostgreSQL database (SPEC.md: single use "must hold under concurrency and
 * across server instances"); a phished OTP relayed to both at once could then be accepted twice,
 * and wrong guesses spread over both could slip past the lockout (閉塞) or lose increments.
 *
 * Two real server processes, real HTTP, the real clock: 50 concurrent verifications of one valid
 * OTP, alternating between the servers, must give exactly one `ok` and 49 `replayed`; 20
 * concurrent wrong OTPs spread over both must count exactly 20 (threshold 20: locked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_ON_POSTGRES } from '../support/process-db.js';
import type { ServerProcess } from '../support/process-server.js';
import { startTwoServers, type TwoServers } from '../support/two-servers.js';
import {
  activeCustomerOverHttp,
  getTokenOverHttp,
  verifyOverHttp,
  waitForStepRoom,
} from '../support/process-app.js';

const SERVICE_ID = '10112235';
const LOCKOUT_THRESHOLD = 20;

describe.skipIf(!PROCESS_ON_POSTGRES)(
  'two inkan serve processes on one PostgreSQL database',
  () => {
    let servers: TwoServers | null = null;
    let a: ServerProcess;
    let b: ServerProcess;
    let apiKey: string;

    beforeAll(async () => {
      servers = await startTwoServers({
        serviceId: SERVICE_ID,
        policy: { lockoutThreshold: LOCKOUT_THRESHOLD },
        // Each server checks the API key's slow hash once, then remembers it: before the race.
        warmUp: async (url, key) =>
          expect((await getTokenOverHttp(url, key, 'warm-up')).status).toBe(404),
      });
      ({ a, b, apiKey } = servers);
    }, 60_000);

    afterAll(async () => servers?.stop(), 30_000);

    it('50 concurrent verifications of one OTP, alternating between the servers: exactly one ok', async () => {
      for (const ref of ['race-1', 'race-2', 'race-3']) {
        const c = await activeCustomerOverHttp(a.url, apiKey, SERVICE_ID, ref);
        // The activation used the previous step; the current one is free. Keep clear of its end.
        const step = await waitForStepRoom(5_000);
        expect(step).toBeGreaterThan(c.usedStep);
        const otp = c.token.otpAt(step);
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            verifyOverHttp((i % 2 === 0 ? a : b).url, apiKey, ref, otp),
          ),
        );
        expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
        const results = answers.map((r) => String(r.json['result']));
        expect(results.filter((r) => r === 'ok')).toHaveLength(1);
        expect(results.filter((r) => r === 'replayed')).toHaveLength(49);
        // Both servers agree afterwards, and nothing was counted as a failure.
        for (const s of [a, b]) {
          expect((await verifyOverHttp(s.url, apiKey, ref, otp)).json['result']).toBe('replayed');
          expect((await getTokenOverHttp(s.url, apiKey, ref)).json).toMatchObject({
            state: 'active',
            failCount: 0,
            locked: false,
          });
        }
      }
    }, 60_000);

    it('20 concurrent wrong OTPs split across the servers: failCount exactly 20, locked on both', async () => {
      const c = await activeCustomerOverHttp(b.url, apiKey, SERVICE_ID, 'lock-1');
      await waitForStepRoom(5_000);
      const wrong = c.token.wrongOtp();
      const answers = await Promise.all(
        Array.from({ length: LOCKOUT_THRESHOLD }, (_, i) =>
          verifyOverHttp((i % 2 === 0 ? a : b).url, apiKey, c.ref, wrong),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(LOCKOUT_THRESHOLD).fill(200));
      expect(answers.map((r) => r.json['result'])).toEqual(
        Array(LOCKOUT_THRESHOLD).fill('invalid'),
      );
      // Each wrong OTP was one atomic increment: the counts answered are 1…20, each once.
      const counts = answers.map((r) => Number(r.json['failCount'])).sort((x, y) => x - y);
      expect(counts).toEqual(Array.from({ length: LOCKOUT_THRESHOLD }, (_, i) => i + 1));
      // Only the increment that reached the threshold says locked.
      for (const r of answers)
        expect(r.json['locked']).toBe(r.json['failCount'] === LOCKOUT_THRESHOLD);

      for (const s of [a, b]) {
        expect((await getTokenOverHttp(s.url, apiKey, c.ref)).json).toMatchObject({
          failCount: LOCKOUT_THRESHOLD,
          locked: true,
        });
        // 閉塞: even the right OTP is refused now, on either server.
        expect((await verifyOverHttp(s.url, apiKey, c.ref, c.token.otpNow())).json['result']).toBe(
          'locked',
        );
      }
    }, 60_000);
  },
);
