import { randomInt } from 'node:crypto';
import type { BankCustomer } from '../../bank/bank-store.js';
import { renderMailOtpMail } from '../../mail/index.js';
import { sameToken, type PortalContext } from './context.js';
import type { PortalSession, SessionData } from './session.js';

/**
 * メール通知パスワード (guides 002 and 004): a one-time code e-mailed for a procedure. It stays
 * valid until logout or until a newer one is sent (guide 004), kept only in the sealed session;
 * five wrong entries void it (a new one must be sent), so it cannot be guessed.
 */
export interface MailOtpState {
  readonly code: string;
  readonly sentAt: number;
  readonly to: string;
  readonly wrong: number;
}

/** Wrong entries that void a code. */
export const MAIL_OTP_ATTEMPTS = 5;

/** Where a customer's メール通知パスワード goes: its own address, else the registered one. */
export function mailOtpAddress(c: BankCustomer): string {
  return c.mail_otp_email ?? c.email;
}

/**
 * Sends a new code (replacing any older one) and saves it in the session. Null when the mail
 * could not be sent or another request saved the session meanwhile. `to` is the customer's
 * メール通知パスワード address unless an address being registered must prove itself.
 */
export async function sendMailOtp(
  ctx: PortalContext,
  s: PortalSession,
  customer: BankCustomer,
  extra: Partial<SessionData> = {},
  to: string = mailOtpAddress(customer),
): Promise<PortalSession | null> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const sentAt = ctx.o.clock.now();
  const sent = await ctx.sendMail(
    to,
    renderMailOtpMail({ ...ctx.greeting(customer), code, sentAt }),
  );
  if (!sent) return null;
  return ctx.save(s, { ...s.data, ...extra, mailOtp: { code, sentAt, to, wrong: 0 } });
}

/** The outcome of an entered code (its words: the catalogues' `mailOtp.refused`). */
export type MailOtpCheck = 'ok' | 'wrong' | 'void' | 'none';

/**
 * Checks an entered code against the session's; a wrong one is counted in the session (saved
 * with compare-and-set, so parallel guesses cannot each get their own count).
 */
export async function checkMailOtp(
  ctx: PortalContext,
  s: PortalSession,
  input: string,
): Promise<{ result: MailOtpCheck; session: PortalSession }> {
  const m = s.data.mailOtp;
  if (m === undefined) return { result: 'none', session: s };
  if (sameToken(input, m.code)) return { result: 'ok', session: s };
  const wrong = m.wrong + 1;
  const { mailOtp: _m, ...rest } = s.data;
  const next: SessionData =
    wrong >= MAIL_OTP_ATTEMPTS ? rest : { ...rest, mailOtp: { ...m, wrong } };
  const saved = await ctx.save(s, next);
  if (saved === null) return { result: 'void', session: s };
  return { result: wrong >= MAIL_OTP_ATTEMPTS ? 'void' : 'wrong', session: saved };
}
