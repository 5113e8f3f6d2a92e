import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { StaffOtpResult } from '../../../client/index.js';
import { isInkanError } from '../../../core/index.js';
import { formField, randomToken, sameToken, sendHtml } from '../../shared/forms.js';
import {
  ADMIN_LOGIN_COOKIE,
  ADMIN_SESSION_COOKIE,
  adminCookieOptions,
  localeOf,
  type AdminContext,
} from '../context.js';
import type { StaffSession } from '../session.js';
import { enrolPage, loginPage, totpPage } from '../views/login.js';
import { passwordPage, type PasswordErrors } from '../views/password.js';
import { passwordErrors, passwordForm } from './password.js';

/** A staff code: 6 digits (STAFF_TOTP.digits). */
const CODE = /^[0-9]{6}$/;

/** The otpauth URI as a QR code in an SVG data: URL, drawn on the server (no script in the page). */
async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * 行員ログイン: ID and password, then the authenticator app's code (at the first login, the app's
 * enrolment: QR code, key, one code). Each step starts a session under a new ID; wrong ID and
 * wrong password answer alike; codes are single use, and five failures lock the account.
 */
export function registerAdminLoginRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;

  const showLogin = (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: Omit<Parameters<typeof loginPage>[0], 'locale' | 'csrf'> = {},
    status = 200,
  ) => {
    const csrf = req.cookies[ADMIN_LOGIN_COOKIE] ?? randomToken();
    reply.setCookie(ADMIN_LOGIN_COOKIE, csrf, adminCookieOptions(req));
    return sendHtml(reply, loginPage({ locale: localeOf(req), csrf, ...extra }), status);
  };

  /** The account locked (by this code or before): the session ends, the login page says so. */
  const showLocked = async (req: FastifyRequest, reply: FastifyReply, s: StaffSession) => {
    await ctx.endSession(req, reply, s);
    return showLogin(req, reply, { message: localeOf(req).t.login.locked }, 403);
  };

  /** A code's refusal in words. */
  const refusal = (req: FastifyRequest, r: StaffOtpResult): string => {
    const t = localeOf(req).t.totp;
    return r.result === 'replayed' ? t.replayed : t.invalid(r.attemptsLeft);
  };

  app.get('/login', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const t = localeOf(req).t.login;
    const info =
      q['timeout'] !== undefined ? t.timeout : q['bye'] !== undefined ? t.bye : undefined;
    return showLogin(req, reply, info === undefined ? {} : { info });
  });

  app.post('/login', async (req, reply) => {
    const t = localeOf(req).t.login;
    const loginId = formField(req, 'loginId').trim();
    const password = formField(req, 'password');
    if (!sameToken(formField(req, '_csrf'), req.cookies[ADMIN_LOGIN_COOKIE] ?? ''))
      return showLogin(req, reply, { loginId, message: t.expired }, 403);
    const errors: { loginId?: string; password?: string } = {};
    if (loginId === '') errors.loginId = t.required(t.loginId);
    else if (loginId.length > 64 || /\p{Cc}/u.test(loginId)) errors.loginId = t.wrong;
    if (password === '') errors.password = t.required(t.password);
    else if (password.length > 128) errors.password = t.tooLong(t.password);
    if (errors.loginId !== undefined || errors.password !== undefined)
      return showLogin(req, reply, { loginId, errors }, 400);
    if (!(await ctx.limit(req, reply, 'loginPerAddress', req.ip))) return reply;
    if (!(await ctx.limit(req, reply, 'loginPerLoginId', loginId.toLowerCase()))) return reply;

    const r = await o.console.checkPassword(loginId, password, req.ip);
    if (r.result === 'wrong') return showLogin(req, reply, { loginId, message: t.wrong }, 400);
    if (r.result === 'locked') return showLogin(req, reply, { loginId, message: t.locked }, 403);
    // A session from before (another login in this browser) ends here.
    const before = await ctx.sessions.load(req.cookies[ADMIN_SESSION_COOKIE]);
    if (before !== null && !('expired' in before)) await ctx.sessions.destroy(before);
    if (r.staff.enrolled) {
      await ctx.startSession(req, reply, r.staff.id, { stage: 'totp' });
      return reply.redirect('/admin/login/totp', 303);
    }
    await o.console.startEnrolment(r.staff.id, req.ip);
    await ctx.startSession(req, reply, r.staff.id, { stage: 'enrol' });
    return reply.redirect('/admin/login/enrol', 303);
  });

  const drawEnrol = async (
    req: FastifyRequest,
    reply: FastifyReply,
    s: StaffSession,
    error?: string,
    status = 200,
  ) => {
    const enrolment = await o.console.enrolment(s.staffId);
    if (enrolment === null) {
      await ctx.endSession(req, reply, s);
      return reply.redirect('/admin/login', 303);
    }
    return sendHtml(
      reply,
      enrolPage({
        locale: localeOf(req),
        csrf: s.data.csrf,
        enrolment,
        qrDataUrl: await qrDataUrl(enrolment.uri),
        ...(error === undefined ? {} : { error }),
      }),
      status,
    );
  };

  app.get('/login/enrol', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'enrol');
    if (st === null) return reply;
    return drawEnrol(req, reply, st.session);
  });

  app.post('/login/enrol', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'enrol');
    if (st === null) return reply;
    const s = st.session;
    if (!ctx.checkCsrf(req, reply, s)) return reply;
    const code = formField(req, 'code').replace(/\s/g, '');
    if (!CODE.test(code)) return drawEnrol(req, reply, s, localeOf(req).t.totp.format, 400);
    if (!(await ctx.limit(req, reply, 'totpPerStaff', `s${s.staffId}`))) return reply;
    const r = await o.console.confirmEnrolment(s.staffId, req.ip, code);
    if (r.result === 'locked') return showLocked(req, reply, s);
    if (r.result !== 'ok') return drawEnrol(req, reply, s, refusal(req, r), 400);
    await ctx.sessions.destroy(s);
    if (st.staff.passwordChangeRequired) {
      await ctx.startSession(req, reply, s.staffId, { stage: 'password' });
      return reply.redirect('/admin/login/password', 303);
    }
    await ctx.startSession(req, reply, s.staffId, { stage: 'full', notice: { key: 'enrolled' } });
    // The dashboard is the landing page (issue 5).
    return reply.redirect('/admin/dashboard', 303);
  });

  const drawTotp = (
    req: FastifyRequest,
    reply: FastifyReply,
    s: StaffSession,
    name: string,
    error?: string,
    status = 200,
  ) =>
    sendHtml(
      reply,
      totpPage({
        locale: localeOf(req),
        csrf: s.data.csrf,
        name,
        ...(error === undefined ? {} : { error }),
      }),
      status,
    );

  app.get('/login/totp', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'totp');
    if (st === null) return reply;
    return drawTotp(req, reply, st.session, st.staff.name);
  });

  app.post('/login/totp', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'totp');
    if (st === null) return reply;
    const s = st.session;
    if (!ctx.checkCsrf(req, reply, s)) return reply;
    const code = formField(req, 'code').replace(/\s/g, '');
    if (!CODE.test(code))
      return drawTotp(req, reply, s, st.staff.name, localeOf(req).t.totp.format, 400);
    if (!(await ctx.limit(req, reply, 'totpPerStaff', `s${s.staffId}`))) return reply;
    const r = await o.console.verifyTotp(s.staffId, req.ip, code);
    if (r.result === 'locked') return showLocked(req, reply, s);
    if (r.result !== 'ok') return drawTotp(req, reply, s, st.staff.name, refusal(req, r), 400);
    // Logged in: a new session ID once more (the one before the code is never the logged-in one).
    await ctx.sessions.destroy(s);
    if (st.staff.passwordChangeRequired) {
      await ctx.startSession(req, reply, s.staffId, { stage: 'password' });
      return reply.redirect('/admin/login/password', 303);
    }
    await ctx.startSession(req, reply, s.staffId, { stage: 'full' });
    return reply.redirect('/admin/dashboard', 303);
  });

  // パスワード変更 at the login after an 管理者 set the password: nothing else is reachable (the
  // session is not `full` until it is done).
  const drawPassword = (
    req: FastifyRequest,
    reply: FastifyReply,
    s: StaffSession,
    name: string,
    errors?: PasswordErrors,
  ) =>
    sendHtml(
      reply,
      passwordPage({
        locale: localeOf(req),
        csrf: s.data.csrf,
        forced: true,
        name,
        ...(errors === undefined ? {} : { errors }),
      }),
      errors === undefined ? 200 : 400,
    );

  app.get('/login/password', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'password');
    if (st === null) return reply;
    return drawPassword(req, reply, st.session, st.staff.name);
  });

  app.post('/login/password', async (req, reply) => {
    const st = await ctx.requireStage(req, reply, 'password');
    if (st === null) return reply;
    const s = st.session;
    if (!ctx.checkCsrf(req, reply, s)) return reply;
    if (!(await ctx.limit(req, reply, 'passwordPerStaff', `s${s.staffId}`))) return reply;
    const { password, confirm } = passwordForm(req);
    try {
      await o.console.changePassword(s.staffId, req.ip, { password, confirm }, true);
    } catch (e) {
      const errors = passwordErrors(localeOf(req).t, e);
      if (errors !== null) return drawPassword(req, reply, s, st.staff.name, errors);
      if (isInkanError(e, 'FORBIDDEN')) return showLocked(req, reply, s);
      throw e;
    }
    await ctx.sessions.destroy(s);
    await ctx.startSession(req, reply, s.staffId, {
      stage: 'full',
      notice: { key: 'passwordChanged' },
    });
    return reply.redirect('/admin/dashboard', 303);
  });

  app.post('/logout', async (req, reply) => {
    const s = await ctx.sessions.load(req.cookies[ADMIN_SESSION_COOKIE]);
    if (s !== null && !('expired' in s)) {
      if (!sameToken(formField(req, '_csrf'), s.data.csrf))
        return reply.redirect('/admin/customers', 303);
      await o.console.recordLogout(s.staffId, req.ip, 'logout');
      await ctx.sessions.destroy(s);
    }
    reply.clearCookie(ADMIN_SESSION_COOKIE, adminCookieOptions(req));
    return reply.redirect('/admin/login?bye=1', 303);
  });
}
