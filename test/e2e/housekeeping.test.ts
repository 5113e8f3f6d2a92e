/**
 * Housekeeping (src/housekeeping.ts): what `inkan serve` sweeps every 5 minutes and `inkan
 * housekeeping` sweeps on demand. Rows whose time is over are settled (overdue 取引認証
 * transactions become expired, audited once) or removed (challenges, idle sessions, old phone
 * checks, old outbox mails); everything still in use is left alone. On SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seedDemoBank } from '../../src/bank/demo-bank.js';
import { HOUSEKEEPING, runHousekeeping } from '../../src/housekeeping.js';
import { childEnv, parseOneJsonObject, runCli } from '../support/process-cli.js';
import { activeCustomer, type Harness } from '../support/harness.js';
import { startMailRuntime, type MailRuntime } from '../support/mail-runtime.js';

let m: MailRuntime;
afterEach(async () => m?.close());

/** The runtime seen as the API harness, for the helpers that issue and activate a token. */
function asHarness(r: MailRuntime): Harness {
  return {
    platform: r.rt.platform,
    store: r.rt.store,
    app: r.app,
    clock: r.clock,
    serviceId: r.serviceId,
    apiKey: r.apiKey,
    masterKey: Buffer.alloc(0),
    close: () => r.close(),
    call: async (method, url, body) => ({
      ...(await r.call(method === 'DELETE' ? 'POST' : method, url, body)),
      headers: {},
    }),
  };
}

const TRANSFER = {
  payeeBank: 'みずなら銀行',
  payeeBranch: '本店',
  payeeAccount: '1234567',
  payeeName: 'ヤマダ タロウ',
  amount: 5000,
};

/** Rows of every kind: `old` ones whose time is over, `fresh` ones still in use. */
async function seed(r: MailRuntime) {
  await activeCustomer(asHarness(r), 'cust-1');
  const create = async () =>
    String(
      (await r.call('POST', '/api/v1/customers/cust-1/transactions', TRANSFER)).json[
        'transactionId'
      ],
    );
  const overdue = await create();
  const now = () => r.clock.now();
  await r.rt.store.passkeys().addChallenge({
    challenge: 'old-challenge',
    serviceId: r.serviceId,
    purpose: 'authenticate',
    customerId: null,
    expiresAt: now() + 120_000,
    createdAt: now(),
  });
  await seedDemoBank(r.rt.bank, r.rt.hasher, now());
  const yamada = await r.rt.bank.customerByLoginId('yamada');
  const customerId = yamada?.id ?? 0;
  const session = (idHash: string) =>
    r.rt.bank.createSession({
      idHash,
      customerId,
      data: '{}',
      createdAt: now(),
      lastSeenAt: now(),
    });
  const check = (id: string) =>
    r.rt.bank.createPhoneCheck({
      id,
      customerId,
      purpose: 'issue',
      called: '0120000000',
      createdAt: now(),
      expiresAt: now() + 120_000,
    });
  await session('old-session');
  await check('old-check');
  await r.rt.store
    .mailOutbox()
    .add(
      { to: 'taro@example.jp', subject: '古いお知らせ', text: '…', kind: 'token_issued' },
      now(),
    );
  // Time passes: a day and a bit for the check, 8 days for the mail, then fresh rows of each kind.
  r.clock.advance(HOUSEKEEPING.outboxKeepMs + 86_400_000);
  const pending = await create();
  await r.rt.store.passkeys().addChallenge({
    challenge: 'fresh-challenge',
    serviceId: r.serviceId,
    purpose: 'authenticate',
    customerId: null,
    expiresAt: now() + 120_000,
    createdAt: now(),
  });
  await session('fresh-session');
  await check('fresh-check');
  await r.rt.store
    .mailOutbox()
    .add(
      { to: 'taro@example.jp', subject: '新しいお知らせ', text: '…', kind: 'token_issued' },
      now(),
    );
  return { overdue, pending };
}

async function expiredAudits(r: MailRuntime): Promise<{ actor: string; detail: unknown }[]> {
  await r.rt.platform.flushAudit();
  const rows = await r.rt.store.listAudit({
    serviceId: r.serviceId,
    customerRef: 'cust-1',
    limit: 100,
  });
  return rows
    .filter((e) => e.action === 'transaction.expired')
    .map((e) => ({ actor: e.actor, detail: e.detail }));
}

describe('housekeeping', () => {
  it('settles or removes what is over, keeps what is in use, and a second sweep finds nothing', async () => {
    m = await startMailRuntime();
    const { overdue, pending } = await seed(m);
    const report = await runHousekeeping(m.rt);
    expect(report).toEqual({
      expiredTransactions: 1,
      passkeyChallenges: 1,
      bankSessions: 1,
      phoneChecks: 1,
      // The seeded old mail, and the platform's own トークン発行のご案内 sent at issuance.
      outboxMails: 2,
    });
    const get = async (id: string) =>
      (await m.call('GET', `/api/v1/customers/cust-1/transactions/${id}`)).json['state'];
    expect(await get(overdue)).toBe('expired');
    expect(await get(pending)).toBe('pending');
    expect(await expiredAudits(m)).toEqual([
      { actor: 'system', detail: { transactionId: overdue } },
    ]);
    expect(await m.rt.bank.session('old-session')).toBeNull();
    expect(await m.rt.bank.session('fresh-session')).not.toBeNull();
    expect(await m.rt.bank.phoneCheck('old-check')).toBeNull();
    expect(await m.rt.bank.phoneCheck('fresh-check')).not.toBeNull();
    expect((await m.rt.store.mailOutbox().list(100)).map((x) => x.subject)).not.toContain(
      '古いお知らせ',
    );
    expect((await m.rt.store.mailOutbox().list(100)).map((x) => x.subject)).toContain(
      '新しいお知らせ',
    );
    const fresh = await m.rt.store
      .passkeys()
      .consumeChallenge(m.serviceId, 'authenticate', 'fresh-challenge', m.clock.now());
    expect(fresh?.challenge).toBe('fresh-challenge');

    expect(await runHousekeeping(m.rt)).toEqual({
      expiredTransactions: 0,
      passkeyChallenges: 0,
      bankSessions: 0,
      phoneChecks: 0,
      outboxMails: 0,
    });
    // Read afterwards, the expired transaction is not expired (nor audited) a second time.
    await get(overdue);
    expect(await expiredAudits(m)).toHaveLength(1);
  });

  it('two sweeps at once (two servers) expire and audit each transaction once', async () => {
    m = await startMailRuntime();
    await activeCustomer(asHarness(m), 'cust-1');
    for (let i = 0; i < 5; i++)
      await m.call('POST', '/api/v1/customers/cust-1/transactions', TRANSFER);
    m.clock.advance(3_600_000);
    const [a, b] = await Promise.all([runHousekeeping(m.rt), runHousekeeping(m.rt)]);
    expect(a.expiredTransactions + b.expiredTransactions).toBe(5);
    expect(await expiredAudits(m)).toHaveLength(5);
  });

  it("inkan serve's timer sweeps by itself", async () => {
    m = await startMailRuntime({ housekeeping: { everyMs: 50, firstAfterMs: 10 } });
    await activeCustomer(asHarness(m), 'cust-1');
    const id = String(
      (await m.call('POST', '/api/v1/customers/cust-1/transactions', TRANSFER)).json[
        'transactionId'
      ],
    );
    m.clock.advance(3_600_000);
    await expect
      .poll(async () => (await m.rt.store.getTransaction(m.serviceId, id))?.state, {
        timeout: 5000,
      })
      .toBe('expired');
    expect(m.logs.join('')).toContain('"housekeeping"');
  });
});

describe('inkan housekeeping', () => {
  it('sweeps once and prints what it did (--json)', async () => {
    m = await startMailRuntime();
    // The command runs on the system clock: the rows are made 30 days ago, so all are over.
    m.clock.set(Date.now() - 30 * 86_400_000);
    const { overdue, pending } = await seed(m);
    // A process of its own, as an operator's scheduler runs it (in this process, its SQLite
    // connection's busy wait would stall the runtime above that holds the write lock).
    const r = await runCli(['housekeeping', '--json'], {
      env: childEnv({
        DATABASE_URL: m.rt.config.databaseUrl,
        INKAN_DATA_DIR: m.rt.config.dataDir,
        INKAN_MASTER_KEY: m.rt.config.masterKeyEnv ?? '',
      }),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(parseOneJsonObject(r.stdout)).toEqual({
      expiredTransactions: 2,
      passkeyChallenges: 2,
      bankSessions: 2,
      phoneChecks: 2,
      outboxMails: 3,
    });
    for (const id of [overdue, pending]) {
      expect((await m.rt.store.getTransaction(m.serviceId, id))?.state).toBe('expired');
    }
  });
});
