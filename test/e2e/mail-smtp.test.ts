/**
 * トークン発行用メール over real SMTP (SPEC.md, "Messages"; guide 001, 手順6-7): the customer reads
 * サービスID and ユーザID in the decoded mail, the way a phone's mail program shows it, and sets
 * the app up with them. And the other way round: an SMTP server that cannot be reached must not
 * cost the customer the issuance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { createClientAgreement } from '../../src/crypto/provisioning.js';
import { startMailRuntime, type MailRuntime } from '../support/mail-runtime.js';
import { closedPort, startSmtpCapture, type SmtpCapture } from '../support/smtp-capture.js';

let smtp: SmtpCapture | null = null;
let m: MailRuntime | null = null;
afterEach(async () => {
  await m?.close();
  await smtp?.close();
  m = null;
  smtp = null;
});

describe('トークン発行のご案内 by SMTP', () => {
  it('reaches the customer, who sets the app up with the IDs it carries', async () => {
    smtp = await startSmtpCapture({ user: 'inkan', pass: 's3cret/pass' });
    m = await startMailRuntime({ smtpUrl: smtp.url, publicUrl: 'https://otp.example.jp/' });

    const issued = await m.call('POST', '/api/v1/customers/c-mail/tokens', {
      type: 'software',
      email: 'taro@example.jp',
      activationPassword: '4821',
    });
    expect(issued.status).toBe(201);

    const mail = await smtp.next();
    expect(mail.user).toBe('inkan');
    expect(mail.envelopeFrom).toBe('no-reply@otp-auth.localhost');
    expect(mail.envelopeTo).toEqual(['taro@example.jp']);
    expect(mail.parsed.from?.text).toBe('"Inkan OTP" <no-reply@otp-auth.localhost>');
    expect(mail.parsed.subject).toBe('【あおぞら銀行】トークン発行のご案内');
    expect(mail.parsed.headers.get('x-inkan-mail-kind')).toBe('token_issued');

    // What the customer reads.
    const text = mail.parsed.text ?? '';
    const serviceId = /サービスID：([0-9]{8})/.exec(text)?.[1];
    const userId = /ユーザID：([0-9]{12})/.exec(text)?.[1];
    expect(serviceId).toBe(m.serviceId);
    expect(userId).toBe(issued.json['userId']);
    expect(text).toContain('https://otp.example.jp/app/');
    expect(text).not.toMatch(/利用開始パスワード[：:]/);

    // The app's 初期設定 with the mail's IDs and the password the customer chose.
    const client = createClientAgreement();
    const prov = await m.app.inject({
      method: 'POST',
      url: '/api/v1/provision',
      payload: {
        serviceId,
        userId,
        activationPassword: '4821',
        publicKey: client.publicKey,
      },
    });
    expect(prov.statusCode).toBe(200);
    const p = JSON.parse(prov.body) as Record<string, unknown>;
    const algorithm = p['algorithm'] as 'SHA1' | 'SHA256' | 'SHA512';
    const secret = client.derive({
      serverPublicKey: String(p['serverPublicKey']),
      serviceId: serviceId ?? '',
      userId: userId ?? '',
      algorithm,
    });
    const otp = generateTotp({
      hmac: createNodeHmac(secret, algorithm),
      now: m.clock.now(),
      period: Number(p['period']),
      digits: Number(p['digits']),
    });
    const act = await m.call('POST', '/api/v1/customers/c-mail/token/activate', { otp });
    expect(act.json).toMatchObject({ state: 'active', result: 'ok' });

    // With SMTP configured there is no outbox and no dev mailbox.
    expect(m.rt.mailOutbox).toBeNull();
    expect((await m.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(404);
  });

  it('a hardware token gets no mail', async () => {
    smtp = await startSmtpCapture({ user: 'inkan', pass: 'pw' });
    m = await startMailRuntime({ smtpUrl: smtp.url });
    const issued = await m.call('POST', '/api/v1/customers/c-hw/tokens', { type: 'hardware' });
    expect(issued.status).toBe(201);
    await m.rt.platform.flushMail();
    await expect(smtp.next(300)).rejects.toThrow('no mail arrived');
  });
});

describe('an SMTP server that cannot be reached', () => {
  it('does not fail the issuance: the failure is logged and audited without the mail', async () => {
    m = await startMailRuntime({ smtpUrl: `smtp://inkan:pw@127.0.0.1:${await closedPort()}` });
    const issued = await m.call('POST', '/api/v1/customers/c-down/tokens', {
      type: 'software',
      email: 'hanako@example.jp',
      activationPassword: '7391',
    });
    expect(issued.status).toBe(201);
    const userId = String(issued.json['userId']);

    await m.rt.platform.flushMail();
    // The issuance stands: the token waits for the app's setup.
    expect((await m.call('GET', '/api/v1/customers/c-down/token')).json['state']).toBe('issued');

    await m.rt.platform.flushAudit();
    const audit = await m.rt.store.listAudit({
      serviceId: m.serviceId,
      customerRef: 'c-down',
      limit: 10,
    });
    const failed = audit.find((e) => e.action === 'mail.failed');
    expect(failed).toMatchObject({
      actor: 'system',
      result: expect.stringMatching(/^E(SOCKET|CONNECTION)$/),
      detail: { kind: 'token_issued' },
    });
    expect(JSON.stringify(failed)).not.toContain('hanako');
    expect(JSON.stringify(failed)).not.toContain(userId);

    const logged = m.logs.join('');
    expect(logged).toContain('background task failed');
    expect(logged).toContain('mail token_issued');
    expect(logged).not.toContain('hanako');
    expect(logged).not.toContain(userId);
    expect(logged).not.toContain('トークン発行');
  });
});
