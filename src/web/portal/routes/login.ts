import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BankCustomer } from '../../../bank/bank-store.js';
import type { OtpAnswer } from '../../../client/index.js';
import {
  LOGIN_CSRF_COOKIE,
  SESSION_COOKIE,
  cookieOptions,
  formField,
  localeOf,
  sameToken,
  sendPage,
  type PortalContext,
} from '../context.js';
import { noticeText, type Notice } from '../i18n/locale.js';
import { randomToken, type PortalSession } from '../session.js';
import {
  renderTokenActivatedMail,
  renderTokenLockedMail,
  renderTokenReplacedMail,
} from '../../../mail/index.js';
import { lockedPage, loginOtpPage, loginPage, promotePage } from '../views/login.js';
import { registrationState } from '../views/otp.js';
import { topPage } from '../views/top.js';
import { isLockedAnswer, justLocked, otpRefusal, OTP_PATTERN } from './messages.js';
import { cancelPendingApproval } from './transfer-approval.js';

/** Login password: this many wrong in a row locks the login until the bank lifts it. */
const LOGIN_LOCK_AT = 10;

/** A scrypt hash of nothing, so an unknown login ID costs what a known one does. */
let dummyHash: Promise<string> | null = null;

/**
 * ログイン (guides 000-004): ID and password; then the ワンタイムパスワード認証 screen when the OTP
 * is 利用中, the 利用申請 screen (guide 002) when none; logout; the app's
 * 「ワンタイムパスワードでログイン」, whose first use after setup is 利用開始 (guide 000 STEP 3-5).
 */
export function registerLoginRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o, sessions } = ctx;
  const bankName = o.bankName;
  /** 閉塞 just happened: the customer is told by mail (SPEC.md, "Messages"). */
  const notifyLocked = (customer: BankCustomer) =>
    ctx.notify(customer, (g) => renderTokenLockedMail({ ...g, lockedAt: o.clock.now() }));

  /** The login form with a fresh double-submit token. */
  const showLogin = (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Parameters<typeof loginPage>[0] extends infer P
      ? Omit<P & object, 'bankName' | 'csrf' | 'locale'>
      : never,
    status = 200,
  ) => {
    const csrf = req.cookies[LOGIN_CSRF_COOKIE] ?? randomToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(req));
    return sendPage(reply, loginPage({ locale: localeOf(req), bankName, csrf, ...extra }), status);
  };
  /** The locked page (閉塞), in the request's language. */
  const showLocked = (req: FastifyRequest, reply: FastifyReply) =>
    sendPage(reply, lockedPage({ locale: localeOf(req), bankName, phone: o.helpdeskPhone }), 403);

  app.get('/login', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const t = localeOf(req).t;
    const info =
      q['timeout'] !== undefined
        ? t.login.timeout
        : q['bye'] !== undefined
          ? t.login.bye
          : undefined;
    return showLogin(req, reply, {
      ...(info === undefined ? {} : { info }),
      ...(q['tab'] === 'passkey' ? { tab: 'passkey' as const } : {}),
    });
  });

  /** Starts the logged-in session (a new ID: never one from before login). */
  const startSession = async (
    req: FastifyRequest,
    reply: FastifyReply,
    customer: BankCustomer,
    stage: 'otp' | 'full',
    notice?: Notice,
  ) => {
    const { cookie } = await sessions.create(customer.id, { stage, ...(notice ? { notice } : {}) });
    reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(req));
    reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
  };

  app.post('/login', async (req, reply) => {
    const loginId = formField(req, 'loginId').trim();
    const password = formField(req, 'password');
    const appOtp = formField(req, 'appOtp');
    const t = localeOf(req).t;
    if (!sameToken(formField(req, '_csrf'), req.cookies[LOGIN_CSRF_COOKIE] ?? '')) {
      return showLogin(req, reply, { loginId, message: t.login.expired }, 403);
    }
    const errors: Record<string, string> = {};
    if (loginId === '') errors['loginId'] = t.login.loginIdRequired;
    else if (loginId.length > 32) errors['loginId'] = t.login.loginIdTooLong;
    // Control characters are never part of a login ID, and PostgreSQL refuses U+0000 in a query.
    else if (/\p{Cc}/u.test(loginId)) errors['loginId'] = t.login.loginIdBadChar;
    if (password === '') errors['password'] = t.common.loginPasswordRequired;
    else if (password.length > 64) errors['password'] = t.common.loginPasswordTooLong;
    if (Object.keys(errors).length > 0) return showLogin(req, reply, { loginId, errors }, 400);
    if (!(await ctx.limit(req, reply, 'loginPerAddress', req.ip))) return reply;
    if (!(await ctx.limit(req, reply, 'loginPerLoginId', loginId))) return reply;

    const wrong = () => showLogin(req, reply, { loginId, message: t.login.wrong }, 400);
    const loginLocked = () =>
      showLogin(req, reply, { loginId, message: t.login.locked(o.helpdeskPhone) }, 403);
    const customer = await o.bank.customerByLoginId(loginId);
    if (customer === null) {
      dummyHash ??= o.hasher.hash('inkan-no-such-customer');
      await o.hasher.verify(password, await dummyHash);
      return wrong();
    }
    if (customer.login_locked_at !== null) return loginLocked();
    if (!(await o.hasher.verify(password, customer.password_hash))) {
      const { locked } = await o.bank.recordLoginFailure(customer.id, o.clock.now(), LOGIN_LOCK_AT);
      return locked ? loginLocked() : wrong();
    }
    await o.bank.recordLoginSuccess(customer.id, o.clock.now());

    const ref = customer.platform_ref;
    const token = await o.client.getToken(ref);
    const appOtpOk = OTP_PATTERN.test(appOtp);
    if (
      token !== null &&
      token.state === 'active' &&
      token.pending?.state === 'provisioned' &&
      appOtpOk
    ) {
      // 機種変更: the new phone's app logs in right after its setup: that is its 利用開始, and
      // the old token ends with it (guide 000 STEP 3-5).
      const r = await o.client.activateToken(ref, { otp: appOtp });
      if (r.result === 'ok') {
        const now = await o.client.getToken(ref);
        ctx.notify(customer, (g) =>
          renderTokenReplacedMail({
            ...g,
            activatedAt: o.clock.now(),
            oldSerial: token.serial,
            newSerial: now?.serial ?? null,
          }),
        );
        await startSession(req, reply, customer, 'full', { key: 'activatedReplaced' });
        return reply.redirect('/ib/top', 303);
      }
      if (isLockedAnswer(r)) {
        if (justLocked(r)) notifyLocked(customer);
        return showLocked(req, reply);
      }
      // Not the new token's OTP: it is not tried on the old one as well (one wrong entry, one
      // count); the OTP screen asks for the current token's.
      await startSession(req, reply, customer, 'otp', { key: 'appOtpNotNew' });
      return reply.redirect('/ib/login/otp', 303);
    }
    if (token !== null && token.state === 'active') {
      if (token.locked) return showLocked(req, reply);
      if (appOtpOk) {
        // The app handed its OTP over: it is the second factor of this login.
        const r = await o.client.verify(ref, appOtp);
        if (r.result === 'ok') {
          await startSession(req, reply, customer, 'full');
          return reply.redirect('/ib/top', 303);
        }
        if (isLockedAnswer(r)) {
          if (justLocked(r)) notifyLocked(customer);
          return showLocked(req, reply);
        }
        await startSession(req, reply, customer, 'otp', { key: 'appOtpWrong' });
        return reply.redirect('/ib/login/otp', 303);
      }
      await startSession(req, reply, customer, 'otp');
      return reply.redirect('/ib/login/otp', 303);
    }
    if (token !== null && token.state === 'provisioned' && !token.expired && appOtpOk) {
      // guide 000 STEP 3-5: the first login from the app after its setup is 利用開始.
      const r = await o.client.activateToken(ref, { otp: appOtp });
      if (r.result === 'ok') {
        ctx.notify(customer, (g) => renderTokenActivatedMail({ ...g, activatedAt: o.clock.now() }));
      }
      await startSession(req, reply, customer, 'full', {
        key: r.result === 'ok' ? 'activated' : 'activateFailed',
      });
      return reply.redirect('/ib/top', 303);
    }
    await startSession(req, reply, customer, 'full');
    const none = token === null || token.state === 'none' || token.expired;
    return reply.redirect(none ? '/ib/login/promote' : '/ib/top', 303);
  });

  /** The session between password and OTP. */
  const otpStage = async (
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<{ s: PortalSession; customer: BankCustomer } | null> => {
    const s = await sessions.load(req.cookies[SESSION_COOKIE]);
    if (s === 'expired') {
      await reply.redirect('/ib/login?timeout=1', 303);
      return null;
    }
    if (s === null) {
      await reply.redirect('/ib/login', 303);
      return null;
    }
    if (s.data.stage === 'full') {
      await reply.redirect('/ib/top', 303);
      return null;
    }
    const customer = await o.bank.customer(s.customerId);
    if (customer === null) {
      await reply.redirect('/ib/login', 303);
      return null;
    }
    return { s, customer };
  };

  app.get('/login/otp', async (req, reply) => {
    const st = await otpStage(req, reply);
    if (st === null) return reply;
    const { notice, ...rest } = st.s.data;
    if (notice !== undefined) await ctx.save(st.s, rest);
    const locale = localeOf(req);
    const message = noticeText(locale.t, notice);
    return sendPage(
      reply,
      loginOtpPage({
        locale,
        bankName,
        csrf: st.s.data.csrf,
        name: st.customer.name,
        ...(message ? { message } : {}),
      }),
    );
  });

  app.post('/login/otp', async (req, reply) => {
    const st = await otpStage(req, reply);
    if (st === null) return reply;
    const { s, customer } = st;
    if (!ctx.checkCsrf(req, reply, s)) return reply;
    const otp = formField(req, 'otp').trim();
    const locale = localeOf(req);
    const again = (message: string, field = false, status = 400) =>
      sendPage(
        reply,
        loginOtpPage({
          locale,
          bankName,
          csrf: s.data.csrf,
          name: customer.name,
          ...(field ? { errors: { otp: message } } : { message }),
        }),
        status,
      );
    if (!OTP_PATTERN.test(otp)) return again(locale.t.otpRefused.format, true);
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${customer.id}`))) return reply;
    const r: OtpAnswer = await o.client.verify(customer.platform_ref, otp);
    if (isLockedAnswer(r)) {
      if (justLocked(r)) notifyLocked(customer);
      await sessions.destroy(s);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return showLocked(req, reply);
    }
    if (r.result === 'ok' || r.result === 'no_token' || r.result === 'not_active') {
      // ok; or the OTP is no longer in use (staff deactivated it meanwhile): a plain login.
      await sessions.destroy(s);
      await startSession(req, reply, customer, 'full');
      return reply.redirect('/ib/top', 303);
    }
    return again(otpRefusal(locale.t, r.result), true);
  });

  app.get('/login/promote', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    return sendPage(
      reply,
      promotePage({ locale: a.locale, bankName, csrf: a.session.data.csrf, name: a.customer.name }),
    );
  });

  app.post('/login/promote', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const choice = formField(req, 'choice');
    if (choice === 'apply') return reply.redirect('/ib/otp', 303);
    if (choice === 'skip') return reply.redirect('/ib/top', 303);
    return sendPage(
      reply,
      promotePage({
        locale: a.locale,
        bankName,
        csrf: a.session.data.csrf,
        name: a.customer.name,
        error: a.locale.t.promote.choose,
      }),
      400,
    );
  });

  app.get('/top', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const { notice, ...rest } = a.session.data;
    if (notice !== undefined) await ctx.save(a.session, rest);
    const token = await o.client.getToken(a.customer.platform_ref);
    const st = registrationState(token);
    const t = a.locale.t;
    const message = noticeText(t, notice);
    return sendPage(
      reply,
      topPage({
        locale: a.locale,
        bankName,
        name: a.customer.name,
        csrf: a.session.data.csrf,
        accounts: await o.bank.accounts(a.customer.id),
        transfers: await o.bank.transfers(a.customer.id, 5),
        dailyLimit: Number(a.customer.daily_limit),
        otpState: st.key,
        otpActive: token?.state === 'active',
        ...(a.customer.last_login_at === null
          ? {}
          : { lastLogin: t.dateTime(new Date(Number(a.customer.last_login_at)).toISOString()) }),
        ...(message ? { notice: message } : {}),
      }),
    );
  });

  app.post('/logout', async (req, reply) => {
    const s = await sessions.load(req.cookies[SESSION_COOKIE]);
    if (s !== null && s !== 'expired') {
      if (!sameToken(formField(req, '_csrf'), s.data.csrf)) return reply.redirect('/ib/top', 303);
      // Logging out on the 取引認証 waiting screen stops the transfer there (as 申込を中止する).
      await cancelPendingApproval(
        ctx,
        { session: s, customer: await o.bank.customer(s.customerId) },
        req.log,
      );
      await sessions.destroy(s);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return reply.redirect('/ib/login?bye=1', 303);
  });
}
