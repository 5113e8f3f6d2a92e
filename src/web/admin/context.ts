import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffCaller, StaffConsole, StaffView } from '../../client/index.js';
import type { Clock, Keyring, StaffSessionStore } from '../../core/index.js';
import { formField, sameToken, sendHtml } from '../shared/forms.js';
import { ADMIN_LANG_COOKIE, createLocale, parseLang, type Locale } from './i18n/locale.js';
import type { Messages } from './i18n/ja.js';
import type { StaffSession, StaffSessionData, StaffSessions, StaffStage } from './session.js';
import { messagePage } from './views/layout.js';

/** What the console is built from (the composition root passes it in). */
export interface AdminOptions {
  /** The platform as staff reach it: the only way the console touches it. */
  readonly console: StaffConsole;
  /** Where the console's sessions live (the platform's database). */
  readonly sessions: StaffSessionStore;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** Logged out after this long without a request; default 15 minutes. */
  readonly idleMs?: number;
  /** Per-minute limits of the guessable forms; tests lower or raise them. */
  readonly limits?: Partial<AdminLimits>;
}

/** Per-minute limits of the console's guessable inputs. */
export interface AdminLimits {
  /** Login attempts (ID + password) per client address. */
  readonly loginPerAddress: number;
  /** Login attempts per login ID. */
  readonly loginPerLoginId: number;
  /** Codes (enrolment and login) per staff member. */
  readonly totpPerStaff: number;
  /** HOTP counter resyncs (two OTPs searched in a wide window) per staff member. */
  readonly resyncPerStaff: number;
  /** Password changes and temporary passwords (slow hashes) per staff member acting. */
  readonly passwordPerStaff: number;
}

export const DEFAULT_ADMIN_LIMITS: AdminLimits = {
  loginPerAddress: 30,
  loginPerLoginId: 10,
  totpPerStaff: 10,
  resyncPerStaff: 10,
  passwordPerStaff: 10,
};

/** 15 minutes without a request end the session (the issue: idle timeout). */
export const DEFAULT_ADMIN_IDLE_MS = 15 * 60_000;

/** The session cookie, and the one that guards the login form (double submit). */
export const ADMIN_SESSION_COOKIE = 'adm_sid';
export const ADMIN_LOGIN_COOKIE = 'adm_pre';

/** Cookie attributes: HttpOnly, SameSite=Strict, Secure behind TLS, only under /admin. */
export function adminCookieOptions(req: FastifyRequest) {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: req.protocol === 'https',
  };
}

/** The language of a request and the page its switch returns to (this URL for a GET). */
export function localeOf(req: FastifyRequest): Locale {
  const here = req.method === 'GET' ? req.url : (req.url.split('?')[0] ?? req.url);
  const cookies = req.cookies as FastifyRequest['cookies'] | undefined;
  return createLocale(parseLang(cookies?.[ADMIN_LANG_COOKIE]) ?? 'ja', here);
}

/** A request's logged-in staff member. */
export interface StaffAuthed {
  readonly session: StaffSession;
  readonly staff: StaffView;
  readonly locale: Locale;
  /** The staff member as the platform's calls name them. */
  readonly caller: StaffCaller;
  /** The page frame's view of them. */
  readonly frame: { readonly view: StaffView; readonly csrf: string };
}

/** Which message page. */
export type SorryKind = Exclude<keyof Messages['sorry'], 'toTop' | 'toLogin'>;

/** The shared pieces every route file uses. */
export interface AdminContext {
  readonly o: AdminOptions;
  readonly sessions: StaffSessions;
  /** Loads the logged-in staff member, or answers (redirect to login) and returns null. */
  requireStaff(req: FastifyRequest, reply: FastifyReply): Promise<StaffAuthed | null>;
  /** Loads a session in a login stage (`enrol` or `totp`), or answers and returns null. */
  requireStage(
    req: FastifyRequest,
    reply: FastifyReply,
    stage: Exclude<StaffStage, 'full'>,
  ): Promise<{ session: StaffSession; staff: StaffView } | null>;
  /** The session's own CSRF check of a POST; false has answered with the refusal page. */
  checkCsrf(req: FastifyRequest, reply: FastifyReply, s: StaffSession, a?: StaffAuthed): boolean;
  /** Applies a per-minute limit; false has answered 429. */
  limit(
    req: FastifyRequest,
    reply: FastifyReply,
    name: keyof AdminLimits,
    key: string,
  ): Promise<boolean>;
  /** A message page (403, 404, 429, …) in the request's language. */
  sorry(
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    kind: SorryKind,
    a?: StaffAuthed,
  ): FastifyReply;
  /** Starts a session at `stage` under a new ID (every step of login), setting the cookie. */
  startSession(
    req: FastifyRequest,
    reply: FastifyReply,
    staffId: number,
    data: Omit<StaffSessionData, 'csrf'>,
  ): Promise<StaffSession>;
  /** Ends the session and clears the cookie. */
  endSession(req: FastifyRequest, reply: FastifyReply, s: { idHash: string }): Promise<void>;
}

/** Builds the context (the plugin wires it once). */
export function createAdminContext(
  o: AdminOptions,
  sessions: StaffSessions,
  checkers: Record<keyof AdminLimits, ReturnType<FastifyInstance['createRateLimit']>>,
): AdminContext {
  const ctx: AdminContext = {
    o,
    sessions,
    async requireStaff(req, reply) {
      const s = await sessions.load(req.cookies[ADMIN_SESSION_COOKIE]);
      if (s !== null && 'expired' in s) {
        await o.console.recordLogout(s.staffId, req.ip, 'idle_timeout');
        reply.clearCookie(ADMIN_SESSION_COOKIE, adminCookieOptions(req));
        await reply.redirect('/admin/login?timeout=1', 303);
        return null;
      }
      if (s === null || s.data.stage !== 'full') {
        // Half way through a login that must change the password: back to that screen.
        const to = s?.data.stage === 'password' ? '/admin/login/password' : '/admin/login';
        await reply.redirect(to, 303);
        return null;
      }
      const staff = await o.console.staff(s.staffId);
      if (staff === null || staff.locked || !staff.enrolled || staff.passwordChangeRequired) {
        await ctx.endSession(req, reply, s);
        await reply.redirect('/admin/login', 303);
        return null;
      }
      return {
        session: s,
        staff,
        locale: localeOf(req),
        caller: { staffId: staff.id, clientIp: req.ip },
        frame: { view: staff, csrf: s.data.csrf },
      };
    },
    async requireStage(req, reply, stage) {
      const s = await sessions.load(req.cookies[ADMIN_SESSION_COOKIE]);
      if (s !== null && 'expired' in s) {
        reply.clearCookie(ADMIN_SESSION_COOKIE, adminCookieOptions(req));
        await reply.redirect('/admin/login?timeout=1', 303);
        return null;
      }
      if (s === null || s.data.stage !== stage) {
        await reply.redirect(s?.data.stage === 'full' ? '/admin/dashboard' : '/admin/login', 303);
        return null;
      }
      const staff = await o.console.staff(s.staffId);
      if (staff === null) {
        await ctx.endSession(req, reply, s);
        await reply.redirect('/admin/login', 303);
        return null;
      }
      return { session: s, staff };
    },
    checkCsrf(req, reply, s, a) {
      if (sameToken(formField(req, '_csrf'), s.data.csrf)) return true;
      void ctx.sorry(req, reply, 403, 'csrf', a);
      return false;
    },
    async limit(req, reply, name, key) {
      req.adminLimitKey = key;
      const r = await checkers[name](req);
      if (r.isAllowed || !r.isExceeded) return true;
      reply.header('retry-after', String(r.ttlInSeconds));
      ctx.sorry(req, reply, 429, 'busy');
      return false;
    },
    sorry(req, reply, status, kind, a) {
      const locale = a?.locale ?? localeOf(req);
      const t = locale.t.sorry;
      const link = a
        ? { href: '/admin/customers', label: t.toTop }
        : { href: '/admin/login', label: t.toLogin };
      // After a POST the switch leads to the page's own link (the POST's path may have no page).
      const l = req.method === 'GET' ? locale : { ...locale, here: link.href };
      return sendHtml(
        reply,
        messagePage({ locale: l, ...t[kind], link, ...(a ? { staff: a.frame } : {}) }),
        status,
      );
    },
    async startSession(req, reply, staffId, data) {
      const { cookie, session } = await sessions.create(staffId, data);
      reply.setCookie(ADMIN_SESSION_COOKIE, cookie, adminCookieOptions(req));
      reply.clearCookie(ADMIN_LOGIN_COOKIE, adminCookieOptions(req));
      return session;
    },
    async endSession(req, reply, s) {
      await sessions.destroy(s);
      reply.clearCookie(ADMIN_SESSION_COOKIE, adminCookieOptions(req));
    },
  };
  return ctx;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key of the console's per-staff or per-ID limit for this request. */
    adminLimitKey: string | null;
  }
}
