import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PasskeyAnswer } from '../../../client/index.js';
import { isInkanError } from '../../../core/index.js';
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
import type { Messages } from '../i18n/locale.js';
import { randomToken } from '../session.js';
import { PASSKEY_CSS, PASSKEY_LOGIN_JS, readWebAuthnBrowserBundle } from '../passkey-assets.js';
import { lockedPage, loginPage } from '../views/login.js';
import { passkeySettingsPage } from '../views/passkeys.js';
import { isLockedAnswer, OTP_PATTERN, otpRefusal } from './messages.js';

/** Login password: this many wrong in a row locks the login (as the login form counts). */
const LOGIN_LOCK_AT = 10;

/** What the customer reads for a refused passkey, in the page's language. */
function passkeyRefusal(t: Messages, result: PasskeyAnswer['result']): string {
  return result === 'ok' ? '' : t.passkeys.refused[result];
}

/**
 * 生体認証ログイン (guide 000, STEP 5; issue 6) at the bank: the login tab, the token app's 登録
 * (JSON, since the login ID and password are the bank's: the app asks the bank, the bank asks the
 * platform through the client), and the registered devices in settings. A passkey login counts
 * as both factors (possession of the phone plus its biometric check) and lands on the top page.
 */
export function registerPasskeyRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o, sessions } = ctx;
  const bankName = o.bankName;
  const bundle = readWebAuthnBrowserBundle();
  let dummyHash: Promise<string> | null = null;
  const perAddress = app.createRateLimit({
    max: ctx.limits.loginPerAddress,
    timeWindow: 60_000,
    keyGenerator: (r) => `ib-passkey-ip:${r.ip}`,
  });
  const perLoginId = app.createRateLimit({
    max: ctx.limits.loginPerLoginId,
    timeWindow: 60_000,
    keyGenerator: (r) => `ib-login-id:${formField(r, 'loginId').trim()}`,
  });
  /** A JSON caller over its limit: 429 with Retry-After; false then. */
  const jsonLimit = async (req: FastifyRequest, reply: FastifyReply, check: typeof perAddress) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return true;
    await reply
      .status(429)
      .header('retry-after', String(r.ttlInSeconds))
      .send({ ok: false, code: 'rate_limited' });
    return false;
  };

  const js = (reply: FastifyReply, body: string, type: string) =>
    reply.type(`${type}; charset=utf-8`).header('cache-control', 'public, max-age=3600').send(body);
  app.get('/assets/webauthn.js', (_req, reply) => js(reply, bundle, 'text/javascript'));
  app.get('/assets/passkey-login.js', (_req, reply) =>
    js(reply, PASSKEY_LOGIN_JS, 'text/javascript'),
  );
  app.get('/assets/passkeys.css', (_req, reply) => js(reply, PASSKEY_CSS, 'text/css'));

  /** The login screen on its 「生体認証でログイン」 tab, with a message. */
  const showTab = (req: FastifyRequest, reply: FastifyReply, message: string, status: number) => {
    const csrf = req.cookies[LOGIN_CSRF_COOKIE] ?? randomToken();
    reply.setCookie(LOGIN_CSRF_COOKIE, csrf, cookieOptions(req));
    return sendPage(
      reply,
      loginPage({ locale: localeOf(req), bankName, csrf, tab: 'passkey', message }),
      status,
    );
  };

  app.post('/login/passkey/options', async (req, reply) => {
    if (!sameToken(formField(req, '_csrf'), req.cookies[LOGIN_CSRF_COOKIE] ?? '')) {
      return reply.status(403).send({ ok: false, code: 'csrf' });
    }
    if (!(await jsonLimit(req, reply, perAddress))) return reply;
    const { options } = await o.client.passkeyAuthenticationOptions();
    return { options };
  });

  app.post('/login/passkey', async (req, reply) => {
    const t = localeOf(req).t;
    if (!sameToken(formField(req, '_csrf'), req.cookies[LOGIN_CSRF_COOKIE] ?? '')) {
      return showTab(req, reply, t.login.expired, 403);
    }
    if (!(await ctx.limit(req, reply, 'loginPerAddress', req.ip))) return reply;
    let credential: unknown;
    try {
      credential = JSON.parse(formField(req, 'credential'));
    } catch {
      return showTab(req, reply, t.passkeys.cancelled, 400);
    }
    let r: PasskeyAnswer & { ref?: string };
    try {
      r = await o.client.authenticatePasskey(credential);
    } catch (e) {
      if (isInkanError(e, 'VALIDATION_FAILED'))
        return showTab(req, reply, t.passkeys.refused.invalid, 400);
      throw e;
    }
    if (r.result !== 'ok' || r.ref === undefined)
      return showTab(req, reply, passkeyRefusal(t, r.result === 'ok' ? 'invalid' : r.result), 400);
    const customer = await o.bank.customerByPlatformRef(r.ref);
    if (customer === null) return showTab(req, reply, t.passkeys.refused.unknown_credential, 400);
    if (customer.login_locked_at !== null)
      return showTab(req, reply, t.login.locked(o.helpdeskPhone), 403);
    // 閉塞: the OTP stopped after wrong entries; a passkey does not get round the bank's stop.
    const token = await o.client.getToken(customer.platform_ref);
    if (token?.state === 'active' && token.locked) {
      return sendPage(
        reply,
        lockedPage({ locale: localeOf(req), bankName, phone: o.helpdeskPhone }),
        403,
      );
    }
    await o.bank.recordLoginSuccess(customer.id, o.clock.now());
    // Both factors at once: the session starts fully logged in, under a new ID.
    const { cookie } = await sessions.create(customer.id, { stage: 'full' });
    reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(req));
    reply.clearCookie(LOGIN_CSRF_COOKIE, cookieOptions(req));
    return reply.redirect('/ib/top', 303);
  });

  // ── the token app's 生体認証ログイン利用設定 (JSON; the app holds no session) ──────────

  app.post('/passkeys/app/options', async (req, reply) => {
    if (!(await jsonLimit(req, reply, perAddress))) return reply;
    const { options } = await o.client.passkeyRegistrationOptions({
      userName: bankName,
      userDisplayName: bankName,
    });
    return { ok: true, options };
  });

  app.post('/passkeys/app/register', async (req, reply) => {
    const fail = (status: number, code: string) => reply.status(status).send({ ok: false, code });
    const ct = String(req.headers['content-type'] ?? '');
    // A form cannot send JSON across sites without a preflight: this is the call's CSRF guard.
    if (!ct.startsWith('application/json')) return fail(415, 'input');
    const loginId = formField(req, 'loginId').trim();
    const password = formField(req, 'password');
    const otp = formField(req, 'otp').trim();
    const deviceName = formField(req, 'deviceName').trim().slice(0, 32);
    const body = req.body as Record<string, unknown> | null;
    const credential = body !== null && typeof body === 'object' ? body['credential'] : undefined;
    if (
      loginId === '' ||
      loginId.length > 32 ||
      /\p{Cc}/u.test(loginId) ||
      password === '' ||
      password.length > 64
    ) {
      return fail(400, 'input');
    }
    if (!(await jsonLimit(req, reply, perAddress))) return reply;
    if (!(await jsonLimit(req, reply, perLoginId))) return reply;
    const customer = await o.bank.customerByLoginId(loginId);
    if (customer === null) {
      dummyHash ??= o.hasher.hash('inkan-no-such-customer');
      await o.hasher.verify(password, await dummyHash);
      return fail(400, 'wrong');
    }
    if (customer.login_locked_at !== null) return fail(403, 'login_locked');
    if (!(await o.hasher.verify(password, customer.password_hash))) {
      const { locked } = await o.bank.recordLoginFailure(customer.id, o.clock.now(), LOGIN_LOCK_AT);
      return fail(locked ? 403 : 400, locked ? 'login_locked' : 'wrong');
    }
    const ref = customer.platform_ref;
    const token = await o.client.getToken(ref);
    if (token?.state === 'active') {
      // 利用中: the OTP is the second factor of this registration (SPEC.md, "What needs an OTP").
      if (token.locked) return fail(403, 'otp_locked');
      if (!OTP_PATTERN.test(otp)) return fail(400, 'otp_required');
      const v = await o.client.verify(ref, otp);
      if (isLockedAnswer(v)) return fail(403, 'otp_locked');
      if (v.result !== 'ok') return fail(400, 'otp_wrong');
    }
    let r: PasskeyAnswer;
    try {
      r = await o.client.registerPasskey(ref, {
        response: credential,
        ...(deviceName === '' || /\p{Cc}/u.test(deviceName) ? {} : { deviceName }),
      });
    } catch (e) {
      if (isInkanError(e, 'VALIDATION_FAILED')) return fail(400, 'invalid');
      throw e;
    }
    if (r.result !== 'ok') return fail(400, r.result);
    return { ok: true, deviceName: r.passkey?.deviceName ?? deviceName };
  });

  // ── settings: the registered devices ─────────────────────────────────────────────

  app.get('/settings/passkeys', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const ref = a.customer.platform_ref;
    const q = req.query as Record<string, string | undefined>;
    return sendPage(
      reply,
      passkeySettingsPage({
        locale: a.locale,
        bankName,
        name: a.customer.name,
        csrf: a.session.data.csrf,
        passkeys: await o.client.listPasskeys(ref),
        otpActive: (await o.client.getToken(ref))?.state === 'active',
        ...(q['removed'] !== undefined ? { notice: a.locale.t.passkeys.removed } : {}),
      }),
    );
  });

  app.post('/settings/passkeys/remove', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const t = a.locale.t;
    const ref = a.customer.platform_ref;
    const token = await o.client.getToken(ref);
    const otpActive = token?.state === 'active';
    const again = async (status: number, e: { error?: string; otpError?: string }) =>
      sendPage(
        reply,
        passkeySettingsPage({
          locale: a.locale,
          bankName,
          name: a.customer.name,
          csrf: a.session.data.csrf,
          passkeys: await o.client.listPasskeys(ref),
          otpActive,
          ...e,
        }),
        status,
      );
    const idText = formField(req, 'id');
    if (!/^[0-9]{1,15}$/.test(idText)) return again(400, { error: t.passkeys.notFound });
    if (otpActive) {
      const otp = formField(req, 'otp').trim();
      if (!OTP_PATTERN.test(otp)) return again(400, { otpError: t.otpRefused.format });
      if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${a.customer.id}`))) return reply;
      const v = await o.client.verify(ref, otp);
      if (v.result !== 'ok') return again(400, { otpError: otpRefusal(t, v.result) });
    }
    try {
      await o.client.removePasskey(ref, Number(idText));
    } catch (e) {
      if (isInkanError(e, 'NOT_FOUND')) return again(404, { error: t.passkeys.notFound });
      throw e;
    }
    return reply.redirect('/ib/settings/passkeys?removed=1', 303);
  });
}
