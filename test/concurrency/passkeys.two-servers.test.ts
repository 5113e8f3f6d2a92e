/**
 * The hole: a passkey challenge kept "used" in one process's memory, or a sign count saved by
 * read-then-write. Two `inkan serve` processes share one PostgreSQL database behind a load
 * balancer; an assertion captured (or simply double-posted) and sent to both at once could then
 * log in twice. The issue: challenges single-use across two server processes.
 *
 * Two real server processes, real HTTP: one registration through server A, then one assertion
 * posted 20 times at once, alternating between the servers: exactly one `ok`, 19
 * `challenge_invalid`; the passkey's sign count and last use saved once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_ON_POSTGRES } from '../support/process-db.js';
import { httpJson } from '../support/process-app.js';
import type { ServerProcess } from '../support/process-server.js';
import { startTwoServers, type TwoServers } from '../support/two-servers.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const ORIGIN = 'http://localhost:3000';

describe.skipIf(!PROCESS_ON_POSTGRES)(
  'passkeys on two inkan serve processes, one PostgreSQL',
  () => {
    let servers: TwoServers | null = null;
    let a: ServerProcess;
    let b: ServerProcess;
    let apiKey: string;

    beforeAll(async () => {
      servers = await startTwoServers({
        serviceId: '10112235',
        env: { INKAN_WEBAUTHN_RP_ID: 'localhost', INKAN_WEBAUTHN_ORIGINS: ORIGIN },
        warmUp: async (url, key) =>
          expect(
            (await httpJson('GET', `${url}/api/v1/customers/warm-up/passkeys`, { apiKey: key }))
              .status,
          ).toBe(200),
      });
      ({ a, b, apiKey } = servers);
    }, 60_000);

    afterAll(async () => servers?.stop(), 30_000);

    it('one assertion sent 20 times at once to both servers logs in exactly once', async () => {
      const phone = new SoftAuthenticator(ORIGIN);
      const reg = await httpJson('POST', `${a.url}/api/v1/passkeys/registration/options`, {
        apiKey,
        body: {},
      });
      const options = reg.json['options'] as { challenge: string; user: { id: string } };
      const done = await httpJson('POST', `${a.url}/api/v1/customers/c-race/passkeys`, {
        apiKey,
        body: { response: phone.create(options), deviceName: 'iPhone' },
      });
      expect(done.json['result']).toBe('ok');
      const auth = await httpJson('POST', `${b.url}/api/v1/passkeys/authentication/options`, {
        apiKey,
        body: {},
      });
      const assertion = phone.get(auth.json['options'] as { challenge: string });
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          httpJson('POST', `${(i % 2 === 0 ? a : b).url}/api/v1/passkeys/authentication`, {
            apiKey,
            body: { response: assertion },
          }),
        ),
      );
      const results = answers.map((r) => r.json['result']);
      expect(results.filter((r) => r === 'ok')).toHaveLength(1);
      expect(results.filter((r) => r === 'challenge_invalid')).toHaveLength(19);
      const list = await httpJson('GET', `${b.url}/api/v1/customers/c-race/passkeys`, { apiKey });
      expect(
        (list.json['passkeys'] as { lastUsedAt: string | null }[])[0]?.lastUsedAt,
      ).not.toBeNull();
    }, 60_000);
  },
);
