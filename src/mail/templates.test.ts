import { describe, expect, it } from 'vitest';
import {
  renderMailOtpAddressChangedMail,
  renderMailOtpMail,
  renderTokenActivatedMail,
  renderTokenDeactivatedMail,
  renderTokenIssuedMail,
  renderTokenLockedMail,
  renderTokenReplacedMail,
  type MailContent,
} from './templates.js';

const bank = { bankName: 'あおぞら銀行' };
const at = Date.UTC(2026, 10, 23, 5, 5, 10); // 2026年11月23日 14時05分10秒 JST

const issued = renderTokenIssuedMail({
  ...bank,
  serviceId: '10112235',
  userId: '999800000001',
  appUrl: 'https://otp.example.jp/app/',
  expiresAt: at + 24 * 3600_000,
});

const all: MailContent[] = [
  issued,
  renderMailOtpMail({ ...bank, code: '482913', sentAt: at }),
  renderTokenActivatedMail({ ...bank, activatedAt: at }),
  renderTokenDeactivatedMail({ ...bank, deactivatedAt: at }),
  renderTokenLockedMail({ ...bank, lockedAt: at }),
  renderTokenReplacedMail({ ...bank, activatedAt: at, oldSerial: '1111111111' }),
  renderMailOtpAddressChangedMail({ ...bank, newAddress: 'taro@data-bank.co.jp', changedAt: at }),
];

describe('mail templates', () => {
  it('トークン発行のご案内 carries both IDs, the app URL and the deadline', () => {
    expect(issued.kind).toBe('token_issued');
    expect(issued.subject).toBe('【あおぞら銀行】トークン発行のご案内');
    expect(issued.text).toContain('サービスID：10112235');
    expect(issued.text).toContain('ユーザID：999800000001');
    expect(issued.text).toContain('\nhttps://otp.example.jp/app/\n');
    expect(issued.text).toContain('2026年11月24日 14時05分までに');
  });

  it('メール通知パスワード carries the code and the 送信日時 the confirm screen shows', () => {
    const m = all[1];
    expect(m?.kind).toBe('mail_otp');
    expect(m?.text).toContain('メール通知パスワード：482913');
    expect(m?.text).toContain('送信日時：2026年11月23日 14時05分10秒');
    expect(m?.text).toContain('ログアウトするか、新たなパスワードが発行されるまで有効');
  });

  it('tells of the 200,000 yen limit on deactivation and of the bank on lockout', () => {
    expect(all[3]?.text).toContain('200,000円');
    expect(all[4]?.text).toContain('あおぞら銀行にて停止状態の解除');
    expect(all[5]?.text).toContain('（SerialNo：1111111111）は自動的に利用を終了しました');
  });

  it('shows a changed address only in part', () => {
    expect(all[6]?.text).toContain('ta***@data-bank.co.jp');
    expect(all[6]?.text).not.toContain('taro@');
  });

  it('never carries a password field', () => {
    for (const m of all) {
      // A label followed by a value: 「利用開始パスワード：1234」 or 「確認用パスワード：…」.
      expect(m.text).not.toMatch(/(利用開始|確認用|ログイン)パスワード[：:]/);
      expect(m.text).not.toMatch(/暗証番号[：:]/);
    }
    expect(issued.text).toContain('利用開始パスワードは、このメールには記載しておりません');
  });

  it('greets the customer by name when known, and keeps headers on one line', () => {
    const m = renderTokenActivatedMail({
      bankName: '大分県\r\nBcc: x@evil.example',
      customerName: '県信太郎',
      contact: '0120-373-883',
      activatedAt: at,
    });
    expect(m.text.startsWith('県信太郎様\n')).toBe(true);
    expect(m.text).toContain('連絡先 0120-373-883');
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(
      renderTokenActivatedMail({ ...bank, activatedAt: at }).text.startsWith('お客さま\n'),
    ).toBe(true);
  });
});
