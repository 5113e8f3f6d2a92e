import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OtpAnswer } from '../../../client/index.js';
import { renderTokenLockedMail } from '../../../mail/index.js';
import {
  SESSION_COOKIE,
  cookieOptions,
  formField,
  sendPage,
  type Authed,
  type PortalContext,
} from '../context.js';
import { flowAt, stepBack, type Flow } from '../flows.js';
import type { Notice } from '../i18n/locale.js';
import type { SessionData } from '../session.js';
import type { SecondFactor } from '../views/checks.js';
import { lockedPage } from '../views/login.js';
import { pendingPage } from '../views/top.js';
import { checkMailOtp } from '../mail-otp.js';
import { CONFIRM_PASSWORD_PATTERN, justLocked, OTP_PATTERN } from './messages.js';
import { cancelPendingApproval } from './transfer-approval.js';

/** A step reached out of order: back to where the procedure starts, with this notice. */
export const OUT_OF_ORDER: Notice = { key: 'outOfOrder' };

/** The screen a flow's current step is drawn on. */
export function flowUrl(f: Flow): string {
  switch (f.kind) {
    case 'issue':
      if (f.step === 'select') return '/ib/otp/issue';
      if (f.step === 'phone') return '/ib/otp/issue/phone';
      if (f.type === 'hardware')
        return f.step === 'done' ? '/ib/otp/issue/hardware/done' : '/ib/otp/issue/hardware';
      return f.step === 'input'
        ? '/ib/otp/issue/software'
        : f.step === 'confirm'
          ? '/ib/otp/issue/software/confirm'
          : '/ib/otp/issue/software/done';
    case 'activate':
      return f.step === 'done' ? '/ib/otp/activate/done' : '/ib/otp/activate';
    case 'deactivate':
      return f.step === 'done' ? '/ib/otp/deactivate/done' : '/ib/otp/deactivate';
    case 'replace':
      return f.step === 'password' ? '/ib/otp/replace' : '/ib/otp/replace/phone';
    case 'transfer':
      if (f.step === 'approve') return '/ib/transfer/approve';
      return f.step === 'input'
        ? '/ib/transfer'
        : f.step === 'confirm'
          ? '/ib/transfer/confirm'
          : '/ib/transfer/done';
    case 'settings':
      return `/ib/settings/${f.what}${f.step === 'input' ? '' : `/${f.step}`}`;
    case 'reissue':
      return f.step === 'done' ? '/ib/otp/reissue/done' : '/ib/otp/reissue';
  }
}

/** Where a flow's procedure starts from: the OTP menu (BOP001), or the top page for 振込. */
function homeOf(f: Flow | undefined): string {
  return f?.kind === 'transfer' ? '/ib/top' : f?.kind === 'settings' ? '/ib/settings' : '/ib/otp';
}

/**
 * What every procedure's routes share: moving the flow on (compare-and-set), the guards that
 * keep steps in order, the 確認用パスワード check, and the locked page. No routes of its own.
 */
export function createFlowKit(app: FastifyInstance, ctx: PortalContext) {
  const { o } = ctx;
  const base = (a: Authed) => ({
    locale: a.locale,
    bankName: o.bankName,
    name: a.customer.name,
    csrf: a.session.data.csrf,
  });

  /** Back to where the procedure started (BOP001, or the top page) with a message; the flow ends. */
  const toMenu = async (a: Authed, reply: FastifyReply, notice?: Notice) => {
    const { flow, notice: _n, ...rest } = a.session.data;
    const saved = await ctx.save(a.session, { ...rest, ...(notice ? { notice } : {}) });
    // Another request of this session moved the flow meanwhile (e.g. the 取引認証 waiting
    // screen sent the transfer just before 申込を中止する): show where it is, not the menu.
    if (saved === null && flow !== undefined) return reply.redirect(flowUrl(flow), 303);
    return reply.redirect(homeOf(flow), 303);
  };
  /** Saves a new session state; null when another request saved first. */
  const move = (a: Authed, flow: Flow | undefined, extra: Partial<SessionData> = {}) => {
    const { flow: _f, ...rest } = a.session.data;
    return ctx.save(a.session, { ...rest, ...extra, ...(flow === undefined ? {} : { flow }) });
  };
  const locked = async (a: Authed, req: FastifyRequest, reply: FastifyReply, r: OtpAnswer) => {
    if (justLocked(r)) {
      ctx.notify(a.customer, (g) => renderTokenLockedMail({ ...g, lockedAt: o.clock.now() }));
    }
    await ctx.sessions.destroy(a.session);
    reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
    return sendPage(
      reply,
      lockedPage({ locale: a.locale, bankName: o.bankName, phone: o.helpdeskPhone }),
      403,
    );
  };

  /** A GET of a step: its flow, or the menu with the out-of-order message. */
  const stepPage = <K extends Flow['kind']>(
    path: string,
    kind: K,
    steps: Extract<Flow, { kind: K }>['step'][],
    render: (a: Authed, f: Extract<Flow, { kind: K }>, reply: FastifyReply) => unknown,
    guard: (f: Extract<Flow, { kind: K }>) => boolean = () => true,
  ) =>
    app.get(path, async (req, reply) => {
      const a = await ctx.requireLogin(req, reply);
      if (a === null) return reply;
      const f = flowAt(a.session.data.flow, kind, ...steps);
      if (f === null || !guard(f)) return toMenu(a, reply, OUT_OF_ORDER);
      return render(a, f, reply);
    });

  /** A POST of a step: logged in, CSRF-checked, the flow at its step; else null (answered). */
  const stepPost = async <K extends Flow['kind']>(
    req: FastifyRequest,
    reply: FastifyReply,
    kind: K,
    step: Extract<Flow, { kind: K }>['step'],
    guard: (f: Extract<Flow, { kind: K }>) => boolean = () => true,
  ): Promise<{ a: Authed; f: Extract<Flow, { kind: K }> } | null> => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return null;
    if (!ctx.checkCsrf(req, reply, a.session)) return null;
    const f = flowAt(a.session.data.flow, kind, step);
    if (f === null || !guard(f)) {
      // A second submission of a step that already moved on shows where the flow is now.
      const cur = a.session.data.flow;
      if (cur !== undefined && cur.kind === kind) await reply.redirect(flowUrl(cur), 303);
      else await toMenu(a, reply, OUT_OF_ORDER);
      return null;
    }
    return { a, f };
  };

  /** The "processing" answer when a done step is reached before its result is saved. */
  const busy = (a: Authed, reply: FastifyReply, title: string) =>
    sendPage(
      reply,
      pendingPage({ ...base(a), title, refreshUrl: reply.request.url.split('?')[0] ?? '/ib/top' }),
    );

  /** Checks the 確認用パスワード (rate-limited per customer); the field error when wrong. */
  const checkConfirmPassword = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: Authed,
  ): Promise<string | null | false> => {
    const pw = formField(req, 'confirmPassword');
    const t = a.locale.t.confirmPassword;
    if (pw === '') return t.required;
    if (!CONFIRM_PASSWORD_PATTERN.test(pw)) return t.format;
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${a.customer.id}`))) return false;
    if (!(await o.hasher.verify(pw, a.customer.confirm_password_hash))) return t.wrong;
    return null;
  };

  /**
   * A confirm step's secrets: the 確認用パスワード, then the OTP's form (checked later, last, so a
   * refused form never uses up an OTP step) or the メール通知パスワード (counted in the session).
   * False when a rate limit answered; else the field errors, the typed OTP and the session as
   * the mail-code check left it.
   */
  const checkSecondFactor = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: Authed,
    auth: SecondFactor,
  ): Promise<false | { a: Authed; errors: Record<string, string>; otp: string }> => {
    const t = a.locale.t;
    const errors: Record<string, string> = {};
    const bad = await checkConfirmPassword(req, reply, a);
    if (bad === false) return false;
    if (bad !== null) errors['confirmPassword'] = bad;
    const otp = formField(req, 'otp').trim();
    let cur = a;
    if (auth.kind === 'otp') {
      if (otp === '') errors['otp'] = t.otpInput.required;
      else if (!OTP_PATTERN.test(otp)) errors['otp'] = t.otpRefused.format;
    }
    if (auth.kind === 'mail') {
      const code = formField(req, 'mailOtp').trim();
      if (code === '') errors['mailOtp'] = t.mailOtp.required;
      else if (!/^[0-9]{6}$/.test(code)) errors['mailOtp'] = t.mailOtp.format;
      else if (auth.sent === null) errors['mailOtp'] = t.mailOtp.refused.none;
      else if (bad === null) {
        const r = await checkMailOtp(ctx, cur.session, code);
        cur = { ...cur, session: r.session };
        if (r.result !== 'ok') errors['mailOtp'] = t.mailOtp.refused[r.result];
      }
    }
    return { a: cur, errors, otp };
  };

  return {
    base,
    toMenu,
    move,
    locked,
    stepPage,
    stepPost,
    busy,
    checkConfirmPassword,
    checkSecondFactor,
  };
}

/** 申込を中止する and 戻る, for every procedure. */
export function registerFlowRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { toMenu, move } = createFlowKit(app, ctx);
  app.post('/flow/cancel', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    await cancelPendingApproval(ctx, a, req.log);
    return toMenu(a, reply, { key: 'cancelled' });
  });

  app.post('/flow/back', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const f = a.session.data.flow;
    const prev = f === undefined || f.step === 'done' ? null : stepBack(f);
    if (prev === null) {
      await cancelPendingApproval(ctx, a, req.log);
      return toMenu(a, reply);
    }
    await move(a, prev);
    return reply.redirect(flowUrl(prev), 303);
  });
}
