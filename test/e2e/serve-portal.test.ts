/**
 * The composition root as `inkan serve` builds it (createRuntime + startServer + the demo):
 * the demo bank's portal is wired to the platform, to the one mailer (the outbox here) and to
 * the telephony webhook. A customer walks guide 001's issuance with the bank's options on —
 * メール通知パスワード read from the outbox, 電話番号認証 by a signed call — and the platform's
 * トークン発行のご案内 carries the IDs the done screen showed.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoBank } from '../../src/bank/demo-bank.js';
import { seedDemo } from '../../src/cli/demo.js';
import { readConfig } from '../../src/config.js';
import type { OutboxMail } from '../../src/core/index.js';
import { createRuntime, type Runtime } from '../../src/main.js';
import { startServer } from '../../src/server.js';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
import { createTestClock, TEST_RATE_LIMITS, testHasher } from '../support/harness.js';
import { Browser, cell, login, postLogin } from '../support/portal-browser.js';
import { freePort, SATO, YAMADA } from '../support/portal-harness.js';
import { createProcessDatabase, type ProcessDatabase } from '../support/process-db.js';

const TOKEN = 'serve-portal-telephony-token';
const PUBLIC_URL = 'https://ib.example.jp';

let db: ProcessDatabase;
let rt: Runtime;
let app: Awaited<ReturnType<typeof startServer>>['app'];
const clock = createTestClock();

beforeAll(async () => {
  db = await createProcessDatabase();
  const config = readConfig({
    DATABASE_URL: db.url,
    INKAN_DATA_DIR: db.dir,
    INKAN_MASTER_KEY: randomBytes(32).toString('base64'),
    INKAN_TELEPHONY_AUTH_TOKEN: TOKEN,
    INKAN_PUBLIC_URL: PUBLIC_URL,
    LOG_LEVEL: 'silent',
  });
  rt = await createRuntime(config, { clock, hasher: testHasher, warn: () => {} });
  await seedDemo(rt);
  await seedDemoBank(rt.bank, rt.hasher, clock.now());
  ({ app } = await startServer(rt, { port: 0, host: '127.0.0.1', rateLimits: TEST_RATE_LIMITS }));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await rt?.close();
  await db?.drop();
});

async function outbox(kind: string, to: string): Promise<OutboxMail | undefined> {
  return (await rt.mailOutbox?.list(100))?.find((m) => m.kind === kind && m.to === to);
}

describe('inkan serve: the demo bank portal, wired', () => {
  it('has the demo tenant’s options on and no dev phone simulator when a provider is configured', async () => {
    const t = await rt.platform.getTenant('10112235');
    expect(t?.policy).toMatchObject({
      issueMailOtp: true,
      issuePhoneCheck: true,
      selfServiceReplace: true,
    });
    expect(t?.policy.loginUrl).toBe(`${PUBLIC_URL}/ib/login`);
    expect((await app.inject({ method: 'GET', url: '/dev/telephony' })).statusCode).toBe(404);
  });

  it('a メール通知パスワード user’s transfer mails her code through the runtime’s mailer', async () => {
    const b = new Browser(app);
    await login(b, SATO);
    await b.get('/ib/transfer');
    const account = (
      await rt.bank.accounts((await rt.bank.customerByLoginId(SATO.loginId))?.id ?? 0)
    )[0];
    const r = await b.post('/ib/transfer', {
      accountId: String(account?.id),
      payeeBank: 'インカン銀行',
      payeeBranch: '本店営業部',
      payeeType: '普通',
      payeeAccount: '1234567',
      payeeName: 'ヤマダ タロウ',
      amount: '1000',
    });
    expect(r.location).toBe('/ib/transfer/confirm');
    const mail = await outbox('mail_otp', SATO.email);
    const code = /([0-9]{6})/.exec(mail?.text ?? '')?.[1];
    expect(code).toMatch(/^[0-9]{6}$/);
    const done = await b.post('/ib/transfer/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: code ?? '',
    });
    expect(done.location).toBe('/ib/transfer/done');
  });

  it('guide 001 with the bank’s options: mail code, phone call, then トークン発行のご案内 with the same IDs', async () => {
    const b = new Browser(app);
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'software' });
    await b.post('/ib/otp/issue/software', {
      email: 'taro.phone@example.jp',
      emailConfirm: 'taro.phone@example.jp',
      activationPassword: '2468',
      activationPasswordConfirm: '2468',
    });
    const code = /([0-9]{6})/.exec((await outbox('mail_otp', YAMADA.email))?.text ?? '')?.[1] ?? '';
    const toPhone = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: code,
    });
    expect(toPhone.location).toBe('/ib/otp/issue/phone');
    const params: [string, string][] = [
      ['CallSid', 'CA0123456789abcdef0123456789abcdef'],
      ['From', '+819012345678'],
      ['To', '0120000111'],
      ['Timestamp', String(Math.floor(clock.now() / 1000))],
    ];
    const hook = await app.inject({
      method: 'POST',
      url: TELEPHONY_WEBHOOK_PATH,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-inkan-signature': signTelephonyRequest(
          TOKEN,
          `${PUBLIC_URL}${TELEPHONY_WEBHOOK_PATH}`,
          params,
        ),
      },
      payload: new URLSearchParams(params).toString(),
    });
    expect(hook.statusCode).toBe(200);
    expect(hook.body).toContain('<Hangup/>');
    const done = await b.follow(await b.post('/ib/otp/issue/phone'));
    const userId = cell(done.body, 'user-id');
    await rt.platform.flushMail();
    const issuedMail = await outbox('token_issued', 'taro.phone@example.jp');
    expect(issuedMail?.text).toContain(userId);
    expect(issuedMail?.text).toContain('10112235');
    expect(issuedMail?.text).toContain(`${PUBLIC_URL}/app/`);
  });
});

describe('inkan serve: the portal over the platform API (INKAN_PORTAL_PLATFORM_URL)', () => {
  it('reaches the platform over HTTP with the bank’s API key, as a real bank would', async () => {
    const db2 = await createProcessDatabase();
    const masterKey = randomBytes(32).toString('base64');
    const base = {
      DATABASE_URL: db2.url,
      INKAN_DATA_DIR: db2.dir,
      INKAN_MASTER_KEY: masterKey,
      LOG_LEVEL: 'silent',
    };
    // First start: the demo bank and its API key.
    const first = await createRuntime(readConfig(base), {
      clock,
      hasher: testHasher,
      warn: () => {},
    });
    const demo = await seedDemo(first);
    await seedDemoBank(first.bank, first.hasher, clock.now());
    await first.close();
    // The portal as a separate bank system would run it: over the API with the bank's key.
    const serve = async (apiKey: string) => {
      const port = await freePort();
      const rt = await createRuntime(
        readConfig({
          ...base,
          INKAN_PORTAL_PLATFORM_URL: `http://127.0.0.1:${port}`,
          INKAN_PORTAL_API_KEY: apiKey,
        }),
        { clock, hasher: testHasher, warn: () => {} },
      );
      const started = await startServer(rt, {
        port,
        host: '127.0.0.1',
        rateLimits: TEST_RATE_LIMITS,
      });
      return { rt, app: started.app };
    };
    const good = await serve(demo.apiKey);
    try {
      const b = new Browser(good.app);
      await login(b, SATO);
      // 佐藤's token (issued by the demo, waiting for app setup) read over the API.
      const menu = await b.get('/ib/otp');
      expect(menu.status).toBe(200);
      expect(menu.body).toContain('data-state="issued"');
      expect(menu.body).toContain(demo.userId ?? 'no user ID');
    } finally {
      await good.app.close();
      await good.rt.close();
    }
    // The same with a wrong key: the platform refuses the portal, so it really spoke HTTP.
    const bad = await serve(`${demo.apiKey.slice(0, -2)}xx`);
    try {
      const b = new Browser(bad.app);
      // The login reads the customer's token: refused, it answers the system-error page.
      const r = await postLogin(b, SATO);
      expect(r.status).toBe(500);
      expect(r.body).toContain('システムエラー');
    } finally {
      await bad.app.close();
      await bad.rt.close();
      await db2.drop();
    }
  }, 60_000);
});
