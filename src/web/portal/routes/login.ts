import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BankCustomer } from '../../../bank/bank-store.js';
import type { OtpAnswer } from '../../../client/index.js';
import {
  LOGIN_CSRF_COOKIE,
  SESSION_COOKIE,
  cookieOptions,
  formField,
  sameToken,
  sendPage,
  type PortalContext,
} from '../context.js';
import { randomToken, type PortalSession } from '../session.js';
import { jstDateTime } from '../views/components.js';
import {
  renderTokenActivatedMail,
  renderTokenLockedMail,
  renderTokenReplacedMail,
} from '../../../mail/index.js';
import { lockedPage, loginOtpPage, loginPage, promotePage } from '../views/login.js';
import { registrationState } from '../views/otp.js';
import { topPage } from '../views/top.js';
import { isLockedAnswer, justLocked, OTP_MESSAGES, OTP_PATTERN } from './messages.js';

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
    extra: Parameters<typeof loginPage>[0] extends infer P ? Omit<P & object, 'bankName' | 'csrf'> : never,
    status = 200,
  ) => {
    const csrf = req.cookies[LOGIN_CSRF_COOKIE] ?? randomToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(req));
    return sendPage(reply, loginPage({ bankName, csrf, ...extra }), status);
  };

  app.get('/login', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const info =
      q['timeout'] !== undefined
        ? '一定時間操作がなかったため、ログアウトしました。再度ログインしてください。'
        : q['bye'] !== undefined
          ? 'ログアウトしました。ご利用ありがとうございました。'
          : undefined;
    return showLogin(req, reply, info === undefined ? {} : { info });
  });

  /** Starts the logged-in session (a new ID: never one from before login). */
  const startSession = async (
    req: FastifyRequest,
    reply: FastifyReply,
    customer: BankCustomer,
    stage: 'otp' | 'full',
    notice?: string,
  ) => {
    const { cookie } = await sessions.create(customer.id, { stage, ...(notice ? { notice } : {}) });
    reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(req));
    reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
  };

  app.post('/login', async (req, reply) => {
    const loginId = formField(req, 'loginId').trim();
    const password = formField(req, 'password');
    const appOtp = formField(req, 'appOtp');
    if (!sameToken(formField(req, '_csrf'), req.cookies[LOGIN_CSRF_COOKIE] ?? '')) {
      return showLogin(req, reply, { loginId, message: '画面の有効期限が切れました。もう一度ログインしてください。' }, 403);
    }
    const errors: Record<string, string> = {};
    if (loginId === '') errors['loginId'] = 'ログインIDを入力してください。';
    else if (loginId.length > 32) errors['loginId'] = 'ログインIDは32文字以内で入力してください。';
    // Control characters are never part of a login ID, and PostgreSQL refuses U+0000 in a query.
    else if (/\p{Cc}/u.test(loginId)) errors['loginId'] = 'ログインIDに使用できない文字が含まれています。';
    if (password === '') errors['password'] = 'ログインパスワードを入力してください。';
    else if (password.length > 64) errors['password'] = 'ログインパスワードは64文字以内で入力してください。';
    if (Object.keys(errors).length > 0) return showLogin(req, reply, { loginId, errors }, 400);
    if (!(await ctx.limit(req, reply, 'loginPerAddress', req.ip))) return reply;
    if (!(await ctx.limit(req, reply, 'loginPerLoginId', loginId))) return reply;

    const wrong = () =>
      showLogin(req, reply, { loginId, message: 'ログインIDまたはログインパスワードが正しくありません。' }, 400);
    const loginLocked = () =>
      showLogin(req, reply, { loginId, message: `ログインパスワードを連続して誤ったため、ログインを停止しています。お手数ですが ${o.helpdeskPhone} までご連絡ください。` }, 403);
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
    if (token !== null && token.state === 'active' && token.pending?.state === 'provisioned' && appOtpOk) {
      // 機種変更: the new phone's app logs in right after its setup: that is its 利用開始, and
      // the old token ends with it (guide 000 STEP 3-5).
      const r = await o.client.activateToken(ref, { otp: appOtp });
      if (r.result === 'ok') {
        const now = await o.client.getToken(ref);
        ctx.notify(customer, (g) =>
          renderTokenReplacedMail({ ...g, activatedAt: o.clock.now(), oldSerial: token.serial, newSerial: now?.serial ?? null }),
        );
        await startSession(req, reply, customer, 'full', 'ワンタイムパスワードの利用を開始しました。これまでのトークンは利用解除されました。');
        return reply.redirect('/ib/top', 303);
      }
      if (isLockedAnswer(r)) {
        if (justLocked(r)) notifyLocked(customer);
        return sendPage(reply, lockedPage({ bankName, phone: o.helpdeskPhone }), 403);
      }
      // Not the new token's OTP: it is not tried on the old one as well (one wrong entry, one
      // count); the OTP screen asks for the current token's.
      await startSession(req, reply, customer, 'otp', 'アプリのワンタイムパスワードを確認できませんでした。現在お使いのワンタイムパスワードを入力してください。');
      return reply.redirect('/ib/login/otp', 303);
    }
    if (token !== null && token.state === 'active') {
      if (token.locked) return sendPage(reply, lockedPage({ bankName, phone: o.helpdeskPhone }), 403);
      if (appOtpOk) {
        // The app handed its OTP over: it is the second factor of this login.
        const r = await o.client.verify(ref, appOtp);
        if (r.result === 'ok') {
          await startSession(req, reply, customer, 'full');
          return reply.redirect('/ib/top', 303);
        }
        if (isLockedAnswer(r)) {
          if (justLocked(r)) notifyLocked(customer);
          return sendPage(reply, lockedPage({ bankName, phone: o.helpdeskPhone }), 403);
        }
        await startSession(req, reply, customer, 'otp', 'アプリのワンタイムパスワードを確認できませんでした。アプリに表示されているワンタイムパスワードを入力してください。');
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
      const notice =
        r.result === 'ok'
          ? 'ワンタイムパスワードの利用を開始しました。次回のログインからワンタイムパスワードの入力が必要になります。'
          : 'ワンタイムパスワードの利用開始を完了できませんでした。「ワンタイムパスワード利用開始」から手続きを行ってください。';
      await startSession(req, reply, customer, 'full', notice);
      return reply.redirect('/ib/top', 303);
    }
    await startSession(req, reply, customer, 'full');
    const none = token === null || token.state === 'none' || token.expired;
    return reply.redirect(none ? '/ib/login/promote' : '/ib/top', 303);
  });

  /** The session between password and OTP. */
  const otpStage = async (req: FastifyRequest, reply: FastifyReply): Promise<{ s: PortalSession; customer: BankCustomer } | null> => {
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
    const { notice: message, ...rest } = st.s.data;
    if (message !== undefined) await ctx.save(st.s, rest);
    return sendPage(reply, loginOtpPage({ bankName, csrf: st.s.data.csrf, name: st.customer.name, ...(message ? { message } : {}) }));
  });

  app.post('/login/otp', async (req, reply) => {
    const st = await otpStage(req, reply);
    if (st === null) return reply;
    const { s, customer } = st;
    if (!ctx.checkCsrf(req, reply, s)) return reply;
    const otp = formField(req, 'otp').trim();
    const again = (message: string, field = false, status = 400) =>
      sendPage(reply, loginOtpPage({ bankName, csrf: s.data.csrf, name: customer.name, ...(field ? { errors: { otp: message } } : { message }) }), status);
    if (!OTP_PATTERN.test(otp)) return again(OTP_MESSAGES.format, true);
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${customer.id}`))) return reply;
    const r: OtpAnswer = await o.client.verify(customer.platform_ref, otp);
    if (isLockedAnswer(r)) {
      if (justLocked(r)) notifyLocked(customer);
      await sessions.destroy(s);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      return sendPage(reply, lockedPage({ bankName, phone: o.helpdeskPhone }), 403);
    }
    if (r.result === 'ok' || r.result === 'no_token' || r.result === 'not_active') {
      // ok; or the OTP is no longer in use (staff deactivated it meanwhile): a plain login.
      await sessions.destroy(s);
      await startSession(req, reply, customer, 'full');
      return reply.redirect('/ib/top', 303);
    }
    return again(OTP_MESSAGES[r.result] ?? OTP_MESSAGES.invalid, true);
  });

  app.get('/login/promote', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    return sendPage(reply, promotePage({ bankName, csrf: a.session.data.csrf, name: a.customer.name }));
  });

  app.post('/login/promote', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const choice = formField(req, 'choice');
    if (choice === 'apply') return reply.redirect('/ib/otp', 303);
    if (choice === 'skip') return reply.redirect('/ib/top', 303);
    return sendPage(reply, promotePage({ bankName, csrf: a.session.data.csrf, name: a.customer.name, error: '「申請する」、「申請しない」をご選択下さい。' }), 400);
  });

  app.get('/top', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const { notice, ...rest } = a.session.data;
    if (notice !== undefined) await ctx.save(a.session, rest);
    const token = await o.client.getToken(a.customer.platform_ref);
    const st = registrationState(token);
    return sendPage(
      reply,
      topPage({
        bankName,
        name: a.customer.name,
        csrf: a.session.data.csrf,
        accounts: await o.bank.accounts(a.customer.id),
        transfers: await o.bank.transfers(a.customer.id, 5),
        dailyLimit: Number(a.customer.daily_limit),
        otpLabel: st.label,
        otpActive: token?.state === 'active',
        ...(a.customer.last_login_at === null ? {} : { lastLogin: jstDateTime(new Date(Number(a.customer.last_login_at)).toISOString()) }),
        ...(notice ? { notice } : {}),
      }),
    );
  });

  app.post('/logout', async (req, reply) => {
    const s = await sessions.load(req.cookies[SESSION_COOKIE]);
    if (s !== null && s !== 'expired') {
      if (!sameToken(formField(req, '_csrf'), s.data.csrf)) return reply.redirect('/ib/top', 303);
      await sessions.destroy(s);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return reply.redirect('/ib/login?bye=1', 303);
  });
}
