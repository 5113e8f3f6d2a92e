import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BankCustomer, BankStore } from '../../bank/bank-store.js';
import type { PlatformClient, TenantInfo } from '../../client/index.js';
import type { Clock, Keyring, Mailer, PasswordHasher } from '../../core/index.js';
import type { MailContent, MailGreeting } from '../../mail/index.js';
import type { Html } from '../shared/html.js';
import { LANG_COOKIE, createLocale, parseLang, type Locale } from './i18n/locale.js';
import type { PhoneCheckService } from './phone-check.js';
import type { PortalSession, SessionData, Sessions } from './session.js';

/** What the portal is built from (the composition root passes it in). */
export interface PortalOptions {
  readonly bank: BankStore;
  /** The platform, as this bank's tenant: the only way the portal reaches it. */
  readonly client: PlatformClient;
  readonly hasher: PasswordHasher;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly bankName: string;
  /** The help desk customers call to have a locked OTP unlocked. */
  readonly helpdeskPhone: string;
  /** The token app's address, shown after issuance. */
  readonly appUrl: string;
  /** Logged out after this long without a request; default 10 minutes. */
  readonly idleMs?: number;
  /** ハードウェアトークン発行手数料 (guides: 1,100 yen). */
  readonly hardwareFee?: number;
  /** Notices to the customer's registered address (利用開始, 利用解除, 閉塞); none when absent. */
  readonly mailer?: Mailer;
  /** Where a notice that could not be sent is reported (never the mail's content). */
  readonly onMailError?: (e: unknown) => void;
  /** Rate limits of the guessable forms (per minute); tests lower or raise them. */
  readonly limits?: Partial<PortalLimits>;
  /** 電話番号認証's 認証先電話番号, the number customers call; default 0120-000-111. */
  readonly phoneCheckNumber?: string;
  /**
   * The telephony provider's auth token, the key its inbound-call webhook is signed with;
   * without it the webhook refuses every request.
   */
  readonly telephonyAuthToken?: string;
  /**
   * The base URL the provider reaches this server at (https://ib.example.jp): a webhook's
   * signature covers the full URL it was sent to, rebuilt from this, never from the Host header.
   */
  readonly publicUrl?: string;
}

/** Per-minute limits of the portal's guessable inputs. */
export interface PortalLimits {
  /** Login attempts per client address. */
  readonly loginPerAddress: number;
  /** Login attempts per login ID. */
  readonly loginPerLoginId: number;
  /** OTP and 確認用パスワード entries per customer. */
  readonly secretPerCustomer: number;
}

export const DEFAULT_PORTAL_LIMITS: PortalLimits = {
  loginPerAddress: 30,
  loginPerLoginId: 10,
  secretPerCustomer: 10,
};

/** Without an active OTP a customer may send this much a day (SPEC.md). */
export const LIMIT_WITHOUT_OTP = 200_000;

/** The cookie of the session and the one that guards the login form (double submit). */
export const SESSION_COOKIE = 'ib_sid';
export const LOGIN_CSRF_COOKIE = 'ib_pre';

/** A request's logged-in customer, and the language the request's pages are drawn in. */
export interface Authed {
  readonly session: PortalSession;
  readonly customer: BankCustomer;
  readonly locale: Locale;
}

/**
 * The language of a request (the `ib_lang` cookie; Japanese unless it says English) and the page
 * the header's switch returns to: this URL for a GET, its path for a form's POST (every step's
 * POST has a GET of the same path that draws where the flow stands).
 */
export function localeOf(req: FastifyRequest): Locale {
  const here = req.method === 'GET' ? req.url : (req.url.split('?')[0] ?? req.url);
  // Cookies are parsed on every portal request; an error raised before that reads as Japanese.
  const cookies = req.cookies as FastifyRequest['cookies'] | undefined;
  return createLocale(parseLang(cookies?.[LANG_COOKIE]) ?? 'ja', here);
}

/** Constant-time equality of two strings (CSRF tokens). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A form field as a string ('' when absent or not a string). */
export function formField(req: FastifyRequest, name: string): string {
  const body = req.body as Record<string, unknown> | null | undefined;
  const v = body !== null && typeof body === 'object' ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure behind TLS, only under /ib. */
export function cookieOptions(req: FastifyRequest) {
  return {
    path: '/ib',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.protocol === 'https',
  };
}

/** Sends a page. */
export function sendPage(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(page.toString());
}

/** The shared pieces every route file uses. */
export interface PortalContext {
  readonly o: PortalOptions;
  readonly sessions: Sessions;
  readonly limits: PortalLimits;
  /** Loads the logged-in customer, or answers with the redirect to login and returns null. */
  requireLogin(req: FastifyRequest, reply: FastifyReply): Promise<Authed | null>;
  /** The session's own CSRF check of a POST; false answers the refusal page. */
  checkCsrf(req: FastifyRequest, reply: FastifyReply, s: PortalSession): boolean;
  /** Saves the session data; null when another request saved first (a double submission). */
  save(s: PortalSession, data: SessionData): Promise<PortalSession | null>;
  /** The bank's tenant record at the platform (its options), cached for a few seconds. */
  tenant(): Promise<TenantInfo>;
  /** The greeting every mail of the bank opens with. */
  greeting(customer: BankCustomer): MailGreeting;
  /** Sends a mail now (a メール通知パスワード the customer waits for); false when it failed. */
  sendMail(to: string, content: MailContent): Promise<boolean>;
  /** Sends a notice to the customer's registered address, in the background. */
  notify(customer: BankCustomer, render: (g: MailGreeting) => MailContent): void;
  /** 電話番号認証: start a check, read its state (the screens), record a call (the webhook). */
  readonly phoneCheck: PhoneCheckService;
  /** Applies a per-minute limit; false when exceeded (the refusal page has been sent). */
  limit(
    req: FastifyRequest,
    reply: FastifyReply,
    name: keyof PortalLimits,
    key: string,
  ): Promise<boolean>;
}
