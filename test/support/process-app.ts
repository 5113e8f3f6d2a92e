/**
 * The bank's systems and the token app against a real `inkan serve`, over real HTTP: every call
 * on a fresh connection (no keep-alive, so a killed server shows as a failed call at once), the
 * app's side of provisioning played by node:crypto (ECDH P-256 + HKDF-SHA256, SPEC.md
 * "Provisioning"), OTPs computed from the real clock (the servers run on Date.now()).
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { generateTotp, timeStep, type HashAlgorithm } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { createClientAgreement } from '../../src/crypto/provisioning.js';

/** An answer of the server. */
export interface HttpAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly text: string;
  readonly headers: IncomingHttpHeaders;
}

/** One HTTP call on a connection of its own; rejects when the server does not answer. */
export function httpJson(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  o: { body?: unknown; rawBody?: string; apiKey?: string; timeoutMs?: number } = {},
): Promise<HttpAnswer> {
  const payload = o.rawBody ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const headers: Record<string, string> = { connection: 'close' };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (o.apiKey !== undefined) headers['authorization'] = `Bearer ${o.apiKey}`;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, headers, agent: false, timeout: o.timeoutMs ?? 15_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('error', reject);
        res.on('end', () => {
          let json: Record<string, unknown> = {};
          try {
            json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          } catch {
            json = { raw: text };
          }
          resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url}: no answer in ${o.timeoutMs ?? 15_000} ms`)),
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** The default step of SPEC.md (「1分毎に」). */
export const PERIOD = 60;

/** The TOTP step of `now` (RFC 6238 §4.2). */
export function currentStep(period = PERIOD, now = Date.now()): number {
  return timeStep({ now, period });
}

/**
 * Waits, if needed, until at least `minRemainingMs` are left in the current step, so that a
 * timing-sensitive check does not straddle a step boundary. Returns the step then current.
 */
export async function waitForStepRoom(minRemainingMs: number, period = PERIOD): Promise<number> {
  const periodMs = period * 1000;
  const left = periodMs - (Date.now() % periodMs);
  if (left < minRemainingMs) await new Promise((r) => setTimeout(r, left + 50));
  return currentStep(period);
}

/** A software token as the app holds it after 初期設定 (the secret never crossed the wire). */
export interface AppToken {
  readonly serviceId: string;
  readonly userId: string;
  readonly serial: string;
  readonly algorithm: HashAlgorithm;
  readonly digits: number;
  readonly period: number;
  /** The OTP of step `step`. */
  otpAt(step: number): string;
  /** The OTP of the current step shifted by `offset` steps. */
  otpNow(offset?: number): string;
  /** An OTP of the right length that matches none of the steps within `spread` of now. */
  wrongOtp(spread?: number): string;
}

/** トークン発行 through the bank's API; resolves with the ユーザID. */
export async function issueOverHttp(
  baseUrl: string,
  apiKey: string,
  ref: string,
  o: { activationPassword: string; email?: string; replace?: boolean },
): Promise<{ userId: string; answer: HttpAnswer }> {
  const answer = await httpJson('POST', `${baseUrl}/api/v1/customers/${ref}/tokens`, {
    apiKey,
    body: {
      type: 'software',
      email: o.email ?? 'taro@example.jp',
      activationPassword: o.activationPassword,
      ...(o.replace === undefined ? {} : { replace: o.replace }),
    },
  });
  if (answer.status !== 201)
    throw new Error(`issue ${ref} failed: ${answer.status} ${answer.text}`);
  return { userId: String(answer.json['userId']), answer };
}

/** アプリ初期設定 as the app does it: POST /api/v1/provision with an ECDH public key, HKDF the secret. */
export async function provisionOverHttp(
  baseUrl: string,
  o: { serviceId: string; userId: string; activationPassword: string },
): Promise<AppToken> {
  const client = createClientAgreement();
  const answer = await httpJson('POST', `${baseUrl}/api/v1/provision`, {
    body: {
      serviceId: o.serviceId,
      userId: o.userId,
      activationPassword: o.activationPassword,
      publicKey: client.publicKey,
    },
  });
  if (answer.status !== 200)
    throw new Error(`provision ${o.userId} failed: ${answer.status} ${answer.text}`);
  const algorithm = answer.json['algorithm'] as HashAlgorithm;
  const digits = Number(answer.json['digits']);
  const period = Number(answer.json['period']);
  const secret = client.derive({
    serverPublicKey: String(answer.json['serverPublicKey']),
    serviceId: o.serviceId,
    userId: o.userId,
    algorithm,
  });
  const hmac = createNodeHmac(secret, algorithm);
  const otpAt = (step: number) => generateTotp({ hmac, now: step * period * 1000, period, digits });
  return {
    serviceId: o.serviceId,
    userId: o.userId,
    serial: String(answer.json['serial']),
    algorithm,
    digits,
    period,
    otpAt,
    otpNow: (offset = 0) => otpAt(currentStep(period) + offset),
    wrongOtp(spread = 3) {
      const now = currentStep(period);
      const valid = new Set<string>();
      for (let s = now - spread; s <= now + spread; s++) valid.add(otpAt(s));
      for (let n = 0; ; n++) {
        const candidate = String(n).padStart(digits, '0');
        if (!valid.has(candidate)) return candidate;
      }
    },
  };
}

/** 利用開始 through the bank's API; resolves with the answer's body. */
export async function activateOverHttp(
  baseUrl: string,
  apiKey: string,
  ref: string,
  otp: string,
): Promise<Record<string, unknown>> {
  const answer = await httpJson('POST', `${baseUrl}/api/v1/customers/${ref}/token/activate`, {
    apiKey,
    body: { otp },
  });
  if (answer.status !== 200)
    throw new Error(`activate ${ref} failed: ${answer.status} ${answer.text}`);
  return answer.json;
}

/** POST /verify; resolves with the whole answer (the reason code is `json.result`). */
export function verifyOverHttp(
  baseUrl: string,
  apiKey: string,
  ref: string,
  otp: string,
): Promise<HttpAnswer> {
  return httpJson('POST', `${baseUrl}/api/v1/customers/${ref}/verify`, { apiKey, body: { otp } });
}

/** GET the customer's token (登録状況). */
export function getTokenOverHttp(
  baseUrl: string,
  apiKey: string,
  ref: string,
): Promise<HttpAnswer> {
  return httpJson('GET', `${baseUrl}/api/v1/customers/${ref}/token`, { apiKey });
}

/** A customer with a 利用中 token, and the step its activation used up. */
export interface ActiveCustomer {
  readonly ref: string;
  readonly token: AppToken;
  /** The step of the OTP that activated the token: no OTP of this step or earlier is accepted again. */
  readonly usedStep: number;
}

/**
 * Issue, provision (as the app) and activate. The activation uses the OTP of the *previous*
 * step (inside the default ±1 window), so the current and the next step stay free for the test.
 */
export async function activeCustomerOverHttp(
  baseUrl: string,
  apiKey: string,
  serviceId: string,
  ref: string,
  o: { activationPassword?: string } = {},
): Promise<ActiveCustomer> {
  const activationPassword = o.activationPassword ?? '2580';
  const { userId } = await issueOverHttp(baseUrl, apiKey, ref, { activationPassword });
  const token = await provisionOverHttp(baseUrl, { serviceId, userId, activationPassword });
  // With under 3 s left in the step the previous step could leave the window before the server checks it.
  const usedStep = (await waitForStepRoom(3_000, token.period)) - 1;
  const r = await activateOverHttp(baseUrl, apiKey, ref, token.otpAt(usedStep));
  if (r['state'] !== 'active') throw new Error(`activate ${ref}: ${JSON.stringify(r)}`);
  return { ref, token, usedStep };
}

/** Runs `fn` over `items` with at most `concurrency` at once; results in input order. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
