/**
 * The ceiling of the verify benchmark: a bare Fastify route doing the same HMAC check as Inkan
 * (Inkan's own engine), with the token keys and a replay map in memory and no storage, no audit,
 * no auth, no rate limits. Started by bench/api-verify.ts as a child process.
 * Reads the keys as JSON lines `{"ref","key"}` (hex) from the file in argv[2]; listens on argv[3].
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { verifyOtp } from '../src/core/otp/index.js';
import { createNodeHmac } from '../src/crypto/node-hmac.js';

const keys = new Map<string, Buffer>();
for (const line of readFileSync(process.argv[2] ?? '', 'utf8').split('\n')) {
  if (line === '') continue;
  const { ref, key } = JSON.parse(line) as { ref: string; key: string };
  keys.set(ref, Buffer.from(key, 'hex'));
}
const lastStep = new Map<string, number>();
const app = Fastify({ logger: false });
app.post('/api/v1/customers/:ref/verify', async (req) => {
  const ref = (req.params as { ref: string }).ref;
  const otp = (req.body as { otp?: unknown }).otp;
  const key = keys.get(ref);
  if (key === undefined || typeof otp !== 'string') return { result: 'no_token' };
  const r = verifyOtp({
    otp,
    hmac: createNodeHmac(key, 'SHA1'),
    now: Date.now(),
    period: 60,
    digits: 8,
    window: 1,
    lastStep: lastStep.get(ref) ?? null,
  });
  if (r.result === 'ok') lastStep.set(ref, r.step);
  return { result: r.result };
});
const address = await app.listen({ port: Number(process.argv[3] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${address}\n`);
