/**
 * A burst of requests that resume together must still be counted one by one. When the API key's
 * cache has expired, every request of a burst waits on the same slow-hash check and then reaches
 * the limiters in one turn of the event loop; a limiter that read a shared counter after its own
 * `await` saw the whole burst's count and refused every request, the customer's real one too.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHarness, testHasher, type Harness } from '../support/harness.js';

let h: Harness;
beforeEach(async () => {
  // As slow as the production scrypt (tens of milliseconds), so that a burst's requests all
  // arrive while the first one's check is still running, as they do on a real server.
  const slowHasher = {
    hash: (p: string) => testHasher.hash(p),
    verify: async (p: string, stored: string) => {
      await sleep(100);
      return testHasher.verify(p, stored);
    },
  };
  h = await createHarness({ rateLimits: { otpPerCustomer: 30 }, hasher: slowHasher });
});
afterEach(async () => {
  await h.close();
});

/** n concurrent verify calls over real sockets (inject does not interleave requests the same way). */
async function burst(ref: string, n: number): Promise<number[]> {
  const base = await h.app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await Promise.all(
      Array.from({ length: n }, async () => {
        const res = await fetch(`${base}/api/v1/customers/${ref}/verify`, {
          method: 'POST',
          headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ otp: '12345678' }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
  } finally {
    await h.app.close();
  }
}

const count = (statuses: number[], s: number) => statuses.filter((x) => x === s).length;

it('a burst on a cold API-key cache is counted request by request: 30 answered, 10 refused', async () => {
  h.clock.advance(61_000); // the harness's earlier calls warmed the cache: let it expire
  const statuses = await burst('burst-cold', 40);
  expect(count(statuses, 404)).toBe(30); // unknown customer: answered, and counted
  expect(count(statuses, 429)).toBe(10);
});

it('a burst on a warm cache is counted the same way', async () => {
  await h.call('POST', '/api/v1/customers/warm-up/verify', { otp: '12345678' });
  const statuses = await burst('burst-warm', 40);
  expect(count(statuses, 404)).toBe(30);
  expect(count(statuses, 429)).toBe(10);
});
