/**
 * The bank's options on the トークン発行 confirm screen (guides 001 and 002): a メール通知パスワード
 * e-mailed when the confirm screen is reached (valid until logout or a newer one, five wrong
 * entries void it) and the 追加認証 security question. Each wrong answer is refused next to its
 * field and issues nothing; the right ones issue once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Browser, fieldError, login, type Page } from '../support/portal-browser.js';
import { createPortalHarness, YAMADA, type PortalHarness } from '../support/portal-harness.js';

let ph: PortalHarness;
let b: Browser;

beforeEach(async () => {
  ph = await createPortalHarness({ policy: { issueMailOtp: true, issueSecurityQuestion: true } });
  b = new Browser(ph.app);
});
afterEach(async () => {
  await ph.close();
});

/** The code of the newest メール通知パスワード mail to `to`. */
function lastCode(to: string): string {
  const m = [...ph.mails].reverse().find((x) => x.kind === 'mail_otp' && x.to === to);
  const code = m === undefined ? undefined : /([0-9]{6})/.exec(m.text)?.[1];
  if (code === undefined) throw new Error('no メール通知パスワード mail');
  return code;
}

async function toConfirm(): Promise<Page> {
  await login(b, YAMADA);
  await b.post('/ib/otp/issue/start');
  await b.post('/ib/otp/issue/select', { type: 'software' });
  const r = await b.post('/ib/otp/issue/software', {
    email: 'taro@example.jp',
    emailConfirm: 'taro@example.jp',
    activationPassword: '1234',
    activationPasswordConfirm: '1234',
  });
  return b.follow(r);
}

describe('トークン発行 with メール通知パスワード and 追加認証', () => {
  it('mails a code when the confirm screen is reached and shows when and where it went', async () => {
    const confirm = await toConfirm();
    const mails = ph.mails.filter((m) => m.kind === 'mail_otp');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.to).toBe(YAMADA.email);
    expect(confirm.body).toContain('メール通知パスワード送信先');
    expect(confirm.body).toContain(YAMADA.email);
    expect(confirm.body).toMatch(
      /data-testid="mail-otp-sent-at">20[0-9]{2}年[0-9]{2}月[0-9]{2}日 [0-9]{2}時[0-9]{2}分[0-9]{2}秒/,
    );
    expect(confirm.body).toContain('大好きなペットの名前は？');
  });

  it('refuses a wrong code and a wrong answer, each next to its field, and issues nothing', async () => {
    await toConfirm();
    const code = lastCode(YAMADA.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const r = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: wrong,
      securityAnswer: 'タマ',
    });
    expect(r.status).toBe(400);
    expect(fieldError(r.body, 'mailOtp')).toBe('メール通知パスワードが正しくありません。');
    expect(fieldError(r.body, 'securityAnswer')).toBe('追加認証の回答が正しくありません。');
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();
    const empty = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
    });
    expect(fieldError(empty.body, 'mailOtp')).toBe('メール通知パスワードを入力してください。');
    expect(fieldError(empty.body, 'securityAnswer')).toBe('追加認証の回答を入力してください。');
  });

  it('voids the code after five wrong entries; only a newly sent one is accepted', async () => {
    await toConfirm();
    const first = lastCode(YAMADA.email);
    const wrong = first === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      const r = await b.post('/ib/otp/issue/software/confirm', {
        confirmPassword: YAMADA.confirmPassword,
        mailOtp: wrong,
        securityAnswer: 'ポチ',
      });
      expect(fieldError(r.body, 'mailOtp')).toBe('メール通知パスワードが正しくありません。');
    }
    const fifth = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: wrong,
      securityAnswer: 'ポチ',
    });
    expect(fieldError(fifth.body, 'mailOtp')).toContain('無効になりました');
    // The right code of the voided mail no longer works.
    const late = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: first,
      securityAnswer: 'ポチ',
    });
    expect(late.status).toBe(400);
    expect(await ph.client.getToken(YAMADA.platformRef)).toBeNull();

    const resent = await b.post('/ib/mail-otp/resend');
    expect(resent.location).toBe('/ib/otp/issue/software/confirm');
    await b.follow(resent);
    const second = lastCode(YAMADA.email);
    const ok = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: second,
      securityAnswer: 'ポチ',
    });
    expect(ok.location).toBe('/ib/otp/issue/software/done');
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('issued');
  });

  it('a newer code replaces the older one', async () => {
    await toConfirm();
    const older = lastCode(YAMADA.email);
    await b.post('/ib/mail-otp/resend');
    const newer = lastCode(YAMADA.email);
    if (older !== newer) {
      const r = await b.post('/ib/otp/issue/software/confirm', {
        confirmPassword: YAMADA.confirmPassword,
        mailOtp: older,
        securityAnswer: 'ポチ',
      });
      expect(fieldError(r.body, 'mailOtp')).toBe('メール通知パスワードが正しくありません。');
    }
    const r = await b.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: newer,
      // Full-width and half-width forms of the answer are the same answer (NFKC).
      securityAnswer: ' ポチ ',
    });
    expect(r.location).toBe('/ib/otp/issue/software/done');
  });
});
