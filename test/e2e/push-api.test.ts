/**
 * Web Push for 取引認証 (issue 7 item 3) over the platform API: the app registers and removes its
 * subscription with the token's proof of possession; a transaction wakes it with a VAPID-signed
 * (RFC 8292), aes128gcm-encrypted (RFC 8291) message that says only {"type":"transaction"}. The
 * fake push service on 127.0.0.1 checks the JWT with node:crypto and decrypts the body with its
 * own RFC 8291 code. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */
import webpush from 'web-push';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appProofMessage, type AppProofAction } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { checkVapidConfig } from '../../src/services/index.js';
import {
  decryptAes128gcm,
  startFakePushService,
  userAgentKeys,
  verifyVapid,
} from '../support/fake-push-service.js';
import {
  activeCustomer,
  createHarness,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';

const vapidKeys = webpush.generateVAPIDKeys();
const vapid = { ...vapidKeys, subject: 'mailto:otp-admin@aozora-bank.example' };
const transfer = {
  payeeBank: 'みずなら銀行',
  payeeBranch: '本店',
  payeeAccount: '1234567',
  payeeName: 'ヤマダ タロウ',
  amount: 50_000,
};

let h: Harness | undefined;
let hh: Harness;
let token: ProvisionedToken;
let push: Awaited<ReturnType<typeof startFakePushService>>;
let errors: string[];

async function setup(o: { on?: boolean; allowHttp?: boolean } = {}) {
  errors = [];
  h = hh = await createHarness({
    push: { vapid: o.on === false ? null : vapid, allowHttpEndpoints: o.allowHttp ?? true },
    onBackgroundError: (e) => errors.push(e instanceof Error ? e.message : String(e)),
  });
  token = await activeCustomer(h, 'cust-1');
}

beforeEach(async () => {
  push = await startFakePushService();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await push.close();
});

let lastTime = 0;
function proofBody(action: AppProofAction, endpoint: string, t = token, time?: number) {
  const at = time ?? (lastTime = Math.max(hh.clock.now(), lastTime + 1));
  const mac = createNodeHmac(
    t.secret,
    t.algorithm,
  )(
    appProofMessage({
      action,
      serviceId: hh.serviceId,
      userId: t.userId,
      transactionId: endpoint,
      time: at,
    }),
  );
  return {
    serviceId: hh.serviceId,
    userId: t.userId,
    time: at,
    proof: Buffer.from(mac).toString('base64url'),
  };
}

async function send(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
  const res = await hh.app.inject({
    method,
    url,
    ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
  });
  return {
    status: res.statusCode,
    json: (res.body === '' ? {} : JSON.parse(res.body)) as Record<string, unknown>,
  };
}

function subscription(path = '/push/abc123') {
  const ua = userAgentKeys();
  return {
    ua,
    json: {
      endpoint: `${push.origin}${path}`,
      expirationTime: null,
      keys: { p256dh: ua.p256dh, auth: ua.authB64 },
    },
  };
}

const subscribe = (sub: { endpoint: string }, proof = proofBody('push-subscribe', sub.endpoint)) =>
  send('POST', '/api/v1/app/push/subscription', { ...proof, subscription: sub });

async function rows() {
  return hh.store
    .pushSubscriptions()
    .forToken((await hh.store.findTokenByUserId(hh.serviceId, token.userId))!.id);
}

async function audits(): Promise<string[]> {
  const list = await hh.store.listAudit({ serviceId: hh.serviceId, limit: 200 });
  return list.map((r) => `${r.action}:${r.result ?? ''}`);
}

async function createTransaction() {
  return hh.call('POST', '/api/v1/customers/cust-1/transactions', transfer);
}

describe('configuration', () => {
  it('all three VAPID variables or none, checked with clear errors', () => {
    expect(
      checkVapidConfig({ publicKey: undefined, privateKey: undefined, subject: undefined }),
    ).toBeNull();
    expect(checkVapidConfig(vapid)).toEqual(vapid);
    expect(() => checkVapidConfig({ ...vapid, subject: undefined })).toThrow(
      /all of INKAN_VAPID_PUBLIC_KEY/,
    );
    expect(() => checkVapidConfig({ ...vapid, subject: 'http://bank.example' })).toThrow(
      /INKAN_VAPID_SUBJECT/,
    );
    expect(() => checkVapidConfig({ ...vapid, publicKey: 'abc' })).toThrow(
      /INKAN_VAPID_PUBLIC_KEY must be/,
    );
    expect(() => checkVapidConfig({ ...vapid, privateKey: 'abc' })).toThrow(
      /INKAN_VAPID_PRIVATE_KEY must be/,
    );
    const other = webpush.generateVAPIDKeys();
    expect(() => checkVapidConfig({ ...vapid, privateKey: other.privateKey })).toThrow(
      /is not the public key/,
    );
  });

  it('GET /app/push/key: the public key when on, null when off', async () => {
    await setup();
    expect(await send('GET', '/api/v1/app/push/key')).toEqual({
      status: 200,
      json: { publicKey: vapid.publicKey },
    });
    await hh.close();
    h = undefined;
    await setup({ on: false });
    expect(await send('GET', '/api/v1/app/push/key')).toEqual({
      status: 200,
      json: { publicKey: null },
    });
    const sub = subscription();
    expect((await subscribe(sub.json)).status).toBe(404);
    expect(await rows()).toEqual([]);
  });
});

describe('subscribe and unsubscribe with the token proof', () => {
  beforeEach(() => setup());

  it('a valid proof stores the subscription (audited, origin only); a replayed or forged one is 401', async () => {
    const sub = subscription();
    const proof = proofBody('push-subscribe', sub.json.endpoint);
    expect(await subscribe(sub.json, proof)).toEqual({ status: 201, json: { subscribed: true } });
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      endpoint: sub.json.endpoint,
      p256dh: sub.ua.p256dh,
      auth: sub.ua.authB64,
    });
    // The same request again: its time was used.
    expect((await subscribe(sub.json, proof)).json['code']).toBe('UNAUTHORIZED');
    // A proof for another endpoint does not cover this one.
    const other = subscription('/push/other');
    expect(
      (await subscribe(other.json, proofBody('push-subscribe', sub.json.endpoint))).status,
    ).toBe(401);
    // A proof made for the pending call does not subscribe.
    expect((await subscribe(other.json, proofBody('pending', other.json.endpoint))).status).toBe(
      401,
    );
    // Another key.
    const forged = { ...token, secret: new Uint8Array(token.secret.length).fill(7) };
    expect(
      (await subscribe(other.json, proofBody('push-subscribe', other.json.endpoint, forged)))
        .status,
    ).toBe(401);
    expect(await rows()).toHaveLength(1);
    const a = await audits();
    expect(a).toContain('push.subscribed:ok');
    expect(a.filter((x) => x === 'app.proof:invalid')).toHaveLength(4);
    const ev = (await hh.store.listAudit({ serviceId: hh.serviceId, limit: 50 })).find(
      (e) => e.action === 'push.subscribed',
    )!;
    expect(ev.detail).toEqual({ origin: push.origin });
    expect(JSON.stringify(ev)).not.toContain('/push/abc123');
  });

  it('bad subscriptions are 400 VALIDATION_FAILED and store nothing', async () => {
    const ok = subscription().json;
    const key65 = Buffer.alloc(65, 4).toString('base64url');
    const bad: unknown[] = [
      { ...ok, endpoint: 'ftp://push.example/x' },
      { ...ok, endpoint: 'not a url' },
      { ...ok, endpoint: `https://push.example/${'a'.repeat(1100)}` },
      { ...ok, endpoint: 'https://user:pw@push.example/x' },
      { ...ok, keys: { ...ok.keys, p256dh: Buffer.alloc(64, 4).toString('base64url') } },
      { ...ok, keys: { ...ok.keys, p256dh: Buffer.alloc(65, 2).toString('base64url') } },
      { ...ok, keys: { ...ok.keys, p256dh: key65.slice(0, -1) + '=' } },
      { ...ok, keys: { ...ok.keys, auth: Buffer.alloc(15).toString('base64url') } },
      { ...ok, keys: { ...ok.keys, auth: Buffer.alloc(16).toString('base64') + '+' } },
      { ...ok, keys: { p256dh: ok.keys.p256dh } },
      { endpoint: ok.endpoint },
      'https://push.example/x',
      { ...ok, extra: 1 },
    ];
    for (const s of bad) {
      const endpoint =
        typeof s === 'object' && s !== null && 'endpoint' in s
          ? String((s as { endpoint: unknown }).endpoint)
          : '';
      const r = await send('POST', '/api/v1/app/push/subscription', {
        ...proofBody('push-subscribe', endpoint),
        subscription: s,
      });
      expect(r.status, JSON.stringify(s).slice(0, 120)).toBe(400);
      expect(r.json['code']).toBe('VALIDATION_FAILED');
    }
    expect(await rows()).toEqual([]);
    expect(await audits()).not.toContain('push.subscribed:ok');
  });

  it('http endpoints are refused unless the test-only switch allows them', async () => {
    await hh.close();
    h = undefined;
    await setup({ allowHttp: false });
    const sub = subscription();
    const r = await subscribe(sub.json);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.json)).toContain('subscription.endpoint');
    expect(await rows()).toEqual([]);
  });

  it('unsubscribe with a valid proof removes it; a bad proof changes nothing', async () => {
    const sub = subscription();
    await subscribe(sub.json);
    const del = (proof: Record<string, unknown>) =>
      send('DELETE', '/api/v1/app/push/subscription', { ...proof, endpoint: sub.json.endpoint });
    const good = proofBody('push-unsubscribe', sub.json.endpoint);
    expect((await del({ ...good, proof: proofBody('push-unsubscribe', 'x').proof })).status).toBe(
      401,
    );
    expect((await del(proofBody('push-subscribe', sub.json.endpoint))).status).toBe(401);
    expect(await rows()).toHaveLength(1);
    expect(await del(good)).toEqual({ status: 200, json: { removed: true } });
    expect(await rows()).toEqual([]);
    expect((await del(good)).status).toBe(401); // replayed
    expect(await audits()).toContain('push.unsubscribed:ok');
  });

  it('利用解除 (the token ends) removes its subscriptions', async () => {
    await subscribe(subscription('/push/one').json);
    await subscribe(subscription('/push/two').json);
    expect(await rows()).toHaveLength(2);
    const r = await hh.call('DELETE', '/api/v1/customers/cust-1/token', { otp: token.otp() });
    expect(r.json['result']).toBe('ok');
    expect(await rows()).toEqual([]);
    expect(await audits()).toContain('token.deactivated:deactivated');
    // The ended token cannot subscribe again.
    const again = await subscribe(subscription('/push/three').json);
    expect([401, 409]).toContain(again.status);
    expect(await rows()).toEqual([]);
  });
});

describe('sending the wake-up', () => {
  it('a transaction sends a VAPID-signed aes128gcm message that decrypts to {"type":"transaction"} only', async () => {
    await setup();
    const sub = subscription('/push/fcm-like-id');
    await subscribe(sub.json);
    const created = await createTransaction();
    expect(created.status).toBe(201);
    await hh.platform.push.flush();
    expect(push.arrivals).toHaveLength(1);
    const a = push.arrivals[0]!;
    expect(a.path).toBe('/push/fcm-like-id');
    expect(a.headers['content-encoding']).toBe('aes128gcm');
    expect(a.headers['ttl']).toBe('300');
    const v = verifyVapid(a.headers['authorization']);
    expect(v.k).toBe(vapid.publicKey);
    expect(v.header).toMatchObject({ typ: 'JWT', alg: 'ES256' });
    expect(v.claims.aud).toBe(push.origin);
    expect(v.claims.sub).toBe(vapid.subject);
    const nowS = Date.now() / 1000;
    expect(v.claims.exp).toBeGreaterThan(nowS);
    expect(v.claims.exp).toBeLessThanOrEqual(nowS + 24 * 3600);
    const plain = decryptAes128gcm(a.body, sub.ua);
    expect(JSON.parse(plain.toString('utf8'))).toEqual({ type: 'transaction' });
    // No transaction detail travels through the push service.
    for (const secret of [String(created.json['transactionId']), '1234567', '50000', 'ヤマダ']) {
      expect(plain.toString('utf8')).not.toContain(secret);
    }
    const [row] = await rows();
    expect(row!.lastSuccessAt).toBe(hh.clock.now());
    expect(errors).toEqual([]);
  });

  it('a 410 answer deletes the subscription (audited); a 404 too', async () => {
    await setup();
    await subscribe(subscription('/push/gone').json);
    await subscribe(subscription('/push/missing').json);
    await subscribe(subscription('/push/alive').json);
    push.setStatus((p) => (p === '/push/gone' ? 410 : p === '/push/missing' ? 404 : 201));
    expect((await createTransaction()).status).toBe(201);
    await hh.platform.push.flush();
    expect(push.arrivals.map((x) => x.path).sort()).toEqual([
      '/push/alive',
      '/push/gone',
      '/push/missing',
    ]);
    expect((await rows()).map((r) => r.endpoint)).toEqual([`${push.origin}/push/alive`]);
    expect((await audits()).filter((x) => x === 'push.unsubscribed:gone')).toHaveLength(2);
  });

  it('push off: nothing is sent', async () => {
    await setup({ on: false });
    const sub = subscription();
    // A row left from when push was on.
    const t = await hh.store.findTokenByUserId(hh.serviceId, token.userId);
    await hh.store.pushSubscriptions().upsert({
      tokenId: t!.id,
      endpoint: sub.json.endpoint,
      p256dh: sub.ua.p256dh,
      auth: sub.ua.authB64,
      now: 1,
    });
    expect((await createTransaction()).status).toBe(201);
    await hh.platform.push.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(push.arrivals).toEqual([]);
  });

  it('a failing push service does not fail the create; the error is logged without the endpoint path', async () => {
    await setup();
    await subscribe(subscription('/push/secret-path-500').json);
    push.setStatus(() => 500);
    const r = await createTransaction();
    expect(r.status).toBe(201);
    await hh.platform.push.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('answered 500');
    expect(errors[0]).not.toContain('secret-path');
    const [row] = await rows();
    expect(row!.lastFailureAt).toBe(hh.clock.now());
    // An unreachable push service: the create still answers 201.
    await push.close();
    const again = await createTransaction();
    expect(again.status).toBe(201);
    await hh.platform.push.flush();
    expect(errors).toHaveLength(2);
    expect(errors[1]).not.toContain('secret-path');
    push = await startFakePushService();
  });
});
