/**
 * The development outbox (SPEC.md, "Messages": with no SMTP configured, mails land in an outbox
 * that the dev console shows) on whichever database DATABASE_URL names: the store, the mailbox
 * page at /dev/mail, and the page's escaping of what a customer typed (an address is customer
 * input; a hostile one must stay text).
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../support/harness.js';
import { startMailRuntime, type MailRuntime } from '../support/mail-runtime.js';
import { closedPort } from '../support/smtp-capture.js';

let m: MailRuntime | null = null;
afterEach(async () => {
  await m?.close();
  m = null;
});

describe('mail outbox store', () => {
  it('keeps mails and reads them back newest first', async () => {
    const opened = await openTestStore();
    try {
      const outbox = opened.store.mailOutbox();
      expect(await outbox.list(10)).toEqual([]);
      const base = { subject: '件名', text: '本文\n二行目', kind: 'mail_otp' as const };
      const a = await outbox.add({ ...base, to: 'a@example.jp' }, 1_700_000_000_000);
      const b = await outbox.add({ ...base, to: 'b@example.jp' }, 1_700_000_060_000);
      const c = await outbox.add({ ...base, to: 'c@example.jp' }, 1_700_000_120_000);
      expect(b).toBeGreaterThan(a);
      expect((await outbox.list(2)).map((x) => x.id)).toEqual([c, b]);
      expect(await outbox.get(a)).toEqual({
        id: a,
        to: 'a@example.jp',
        subject: '件名',
        text: '本文\n二行目',
        kind: 'mail_otp',
        createdAt: 1_700_000_000_000,
      });
      expect(await outbox.get(c + 1000)).toBeNull();
    } finally {
      await opened.drop();
    }
  });
});

describe('dev mailbox (/dev/mail)', () => {
  it('shows the トークン発行のご案内 of an issuance, in full, with strict headers', async () => {
    m = await startMailRuntime();
    const issued = await m.call('POST', '/api/v1/customers/c-box/tokens', {
      type: 'software',
      email: 'taro@example.jp',
      activationPassword: '4821',
    });
    expect(issued.status).toBe(201);
    await m.rt.platform.flushMail();

    const [mail] = (await m.rt.mailOutbox?.list(10)) ?? [];
    expect(mail).toMatchObject({
      to: 'taro@example.jp',
      kind: 'token_issued',
      subject: '【あおぞら銀行】トークン発行のご案内',
      createdAt: m.clock.now(),
    });
    expect(mail?.text).toContain(`ユーザID：${String(issued.json['userId'])}`);
    expect(mail?.text).toContain('http://localhost:3000/app/');

    const list = await m.app.inject({ method: 'GET', url: '/dev/mail' });
    expect(list.statusCode).toBe(200);
    expect(list.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(list.headers['cache-control']).toBe('no-store');
    const csp = String(list.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('script-src');
    // The one inline style is allowed by its hash, which must be that of the style served.
    const style = /<style>([\s\S]*?)<\/style>/.exec(list.body)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(list.body).toContain('<title>開発用メールボックス</title>');
    expect(list.body).toContain('本番環境では INKAN_SMTP_URL を設定し');
    expect(list.body).toContain('2026年11月23日 12時00分10秒'); // the test clock, in JST
    expect(list.body).toContain('taro@example.jp');
    expect(list.body).toContain('【あおぞら銀行】トークン発行のご案内');
    expect(list.body).toContain(`サービスID：${m.serviceId}`);
    expect(list.body).toContain(`ユーザID：${String(issued.json['userId'])}`);
    expect(list.body).toContain('<a href="http://localhost:3000/app/" rel="noreferrer">');

    const one = await m.app.inject({ method: 'GET', url: `/dev/mail/${mail?.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.headers['cache-control']).toBe('no-store');
    expect(one.body).toContain(`ユーザID：${String(issued.json['userId'])}`);
    expect(one.body).toContain('一覧へ戻る');

    for (const url of ['/dev/mail/999999', '/dev/mail/abc', '/dev/mail/0', '/dev/mail/1e3']) {
      expect((await m.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('lists newest first and escapes a hostile address, subject and body', async () => {
    m = await startMailRuntime();
    await m.rt.mailer.send({
      to: 'first@example.jp',
      subject: '一通目',
      text: 'a',
      kind: 'token_activated',
    });
    m.clock.advance(60_000);
    await m.rt.mailer.send({
      to: '"<script>alert(1)</script>"@evil.example',
      subject: '<img src=x onerror=alert(2)>',
      text: '</pre><script>alert(3)</script> https://x.example/"><b>',
      kind: 'mail_otp',
    });
    const res = await m.app.inject({ method: 'GET', url: '/dev/mail' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script');
    expect(res.body).not.toContain('<img');
    expect(res.body).not.toContain('<b>');
    expect(res.body).toContain('&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;@evil.example');
    expect(res.body).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(res.body).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(res.body.indexOf('onerror')).toBeLessThan(res.body.indexOf('一通目'));
  });

  it('answers only this machine, not through a proxy', async () => {
    m = await startMailRuntime();
    const res = await m.app.inject({ method: 'GET', url: '/dev/mail', remoteAddress: '10.1.2.3' });
    expect(res.statusCode).toBe(404);
    const spoofed = await m.app.inject({
      method: 'GET',
      url: '/dev/mail',
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(spoofed.statusCode).toBe(404);
    // A reverse proxy on this machine connects from the loopback for anyone.
    const proxied = await m.app.inject({
      method: 'GET',
      url: '/dev/mail',
      headers: { 'x-forwarded-for': '203.0.113.7' },
    });
    expect(proxied.statusCode).toBe(404);
    expect((await m.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(200);
  });

  it('does not exist when SMTP is configured', async () => {
    m = await startMailRuntime({ smtpUrl: `smtp://127.0.0.1:${await closedPort()}` });
    expect(m.rt.mailOutbox).toBeNull();
    expect((await m.app.inject({ method: 'GET', url: '/dev/mail' })).statusCode).toBe(404);
    expect((await m.app.inject({ method: 'GET', url: '/dev/mail/1' })).statusCode).toBe(404);
  });
});
