import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InkanError, isEmailAddress, PATTERNS } from '../../../core/index.js';
import type { TokenInfo } from '../../../client/index.js';
import {
  renderTokenActivatedMail,
  renderTokenDeactivatedMail,
  renderTokenReplacedMail,
} from '../../../mail/index.js';
import {
  LIMIT_WITHOUT_OTP,
  SESSION_COOKIE,
  formField,
  sendPage,
  type Authed,
  type PortalContext,
} from '../context.js';
import type { Flow, IssueFlow } from '../flows.js';
import { noticeText, type Messages } from '../i18n/locale.js';
import { checkMailOtp, sendMailOtp } from '../mail-otp.js';
import type { ConfirmChecks } from '../views/checks.js';
import {
  activateDone,
  activateInput,
  bop001,
  bos001,
  bot010,
  deactivateDone,
  hardIssueConfirm,
  hardIssueDone,
  issuePhoneSteps,
  softIssueConfirm,
  softIssueDone,
  softIssueInput,
} from '../views/otp.js';
import { reissuePanel } from '../views/reissue.js';
import { createFlowKit, flowUrl, OUT_OF_ORDER } from './flow-kit.js';
import { phoneStep } from './phone-step.js';
import { isLockedAnswer, otpRefusal, OTP_PATTERN } from './messages.js';

/** 半角英数字記号: the visible ASCII characters. */
const HALF_WIDTH_VISIBLE = /^[\x21-\x7e]+$/;

/** The code of a platform refusal; anything else is no refusal and goes on up. */
function refusalCode(e: unknown): InkanError['code'] {
  if (e instanceof InkanError) return e.code;
  throw e;
}

/**
 * The OTP screens of guide 001: BOP001 申請内容選択, BOT010 トークン発行（選択）, the software and
 * hardware issuance steps, 利用開始 (BOK501/BOK502 for hardware) and BOS001 利用解除. Every step
 * checks its flow is where it should be; the acting POSTs first move the flow on with a
 * compare-and-set, so a double submission acts once.
 */
export function registerOtpRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o } = ctx;
  const fee = o.hardwareFee ?? 1_100;
  const { base, toMenu, move, locked, stepPage, stepPost, busy, checkConfirmPassword } =
    createFlowKit(app, ctx);
  const tokenOf = (a: Authed) => o.client.getToken(a.customer.platform_ref);

  app.get('/otp', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const { notice, ...rest } = a.session.data;
    if (notice !== undefined) await ctx.save(a.session, rest);
    const token = await tokenOf(a);
    const canReplace =
      (await ctx.tenant()).policy.selfServiceReplace &&
      token !== null &&
      token.state === 'active' &&
      token.type === 'software' &&
      !token.locked &&
      token.pending === undefined;
    const message = noticeText(a.locale.t, notice);
    // ハードウェアトークン再発行 (routes/reissue.ts): 有効期限, and the notice from 90 days before it.
    const reissue = reissuePanel({
      t: a.locale.t,
      csrf: a.session.data.csrf,
      token,
      now: o.clock.now(),
    });
    return sendPage(
      reply,
      bop001({ ...base(a), token, canReplace, reissue, ...(message ? { notice: message } : {}) }),
    );
  });

  // ── starting a procedure from BOP001 ───────────────────────────────────

  const startable: Record<string, (t: TokenInfo | null) => Flow | null> = {
    issue: (t) => (t !== null && t.state === 'active' ? null : { kind: 'issue', step: 'select' }),
    activate: (t) => {
      // 機種変更: the new token waits beside the active one.
      const target = t?.state === 'active' ? t.pending : t;
      return target !== undefined &&
        target !== null &&
        !target.expired &&
        (target.state === 'provisioned' ||
          (target.state === 'issued' && target.type === 'hardware'))
        ? { kind: 'activate', step: 'input', type: target.type }
        : null;
    },
    deactivate: (t) =>
      t !== null && t.state === 'active' && !t.locked
        ? { kind: 'deactivate', step: 'input' }
        : null,
  };
  for (const [name, make] of Object.entries(startable)) {
    app.post(`/otp/${name}/start`, async (req, reply) => {
      const a = await ctx.requireLogin(req, reply);
      if (a === null) return reply;
      if (!ctx.checkCsrf(req, reply, a.session)) return reply;
      const flow = make(await tokenOf(a));
      if (flow === null) return toMenu(a, reply, { key: 'notAllowed' });
      await move(a, flow);
      return reply.redirect(flowUrl(flow), 303);
    });
  }

  // ── トークン発行 ─────────────────────────────────────────────────────────

  stepPage('/otp/issue', 'issue', ['select'], (a, _f, reply) =>
    sendPage(reply, bot010({ ...base(a), hardwareFee: fee })),
  );

  app.post('/otp/issue/select', async (req, reply) => {
    const st = await stepPost(req, reply, 'issue', 'select');
    if (st === null) return reply;
    const type = formField(req, 'type');
    if (type !== 'software' && type !== 'hardware') return reply.redirect('/ib/otp/issue', 303);
    const next: Flow =
      type === 'software'
        ? { kind: 'issue', step: 'input', type, ...(st.f.replace ? { replace: true } : {}) }
        : { kind: 'issue', step: 'confirm', type, ...(st.f.replace ? { replace: true } : {}) };
    if (next.step === 'confirm') await enterConfirm(st.a, next);
    else await move(st.a, next);
    return reply.redirect(flowUrl(next), 303);
  });

  const isSoft = (f: Flow) => f.kind === 'issue' && f.type === 'software';
  const isHard = (f: Flow) => f.kind === 'issue' && f.type === 'hardware';

  stepPage(
    '/otp/issue/software',
    'issue',
    ['input'],
    async (a, f, reply) =>
      sendPage(
        reply,
        softIssueInput({
          ...base(a),
          phoneStep: await phoneFor(f),
          ...(f.email ? { email: f.email } : {}),
        }),
      ),
    isSoft,
  );

  app.post('/otp/issue/software', async (req, reply) => {
    const st = await stepPost(req, reply, 'issue', 'input', isSoft);
    if (st === null) return reply;
    const email = formField(req, 'email').trim();
    const email2 = formField(req, 'emailConfirm').trim();
    const pw = formField(req, 'activationPassword');
    const pw2 = formField(req, 'activationPasswordConfirm');
    const t = st.a.locale.t;
    const m = t.otp.softInput;
    const errors: Record<string, string> = {};
    if (email === '') errors['email'] = m.emailRequired;
    // The guide: 携帯電話メールアドレス (半角英数字記号): printable ASCII only, so no control character
    // (PostgreSQL refuses U+0000) and no full-width look-alike reaches the platform.
    else if (!isEmailAddress(email) || !HALF_WIDTH_VISIBLE.test(email))
      errors['email'] = t.common.emailFormat;
    if (email2 === '') errors['emailConfirm'] = t.common.emailAgain;
    else if (errors['email'] === undefined && email2 !== email)
      errors['emailConfirm'] = t.common.emailMismatch;
    if (pw === '') errors['activationPassword'] = m.passwordRequired;
    else if (!PATTERNS.activationPassword.test(pw)) errors['activationPassword'] = m.passwordFormat;
    if (pw2 === '') errors['activationPasswordConfirm'] = m.passwordAgain;
    else if (errors['activationPassword'] === undefined && pw2 !== pw)
      errors['activationPasswordConfirm'] = m.passwordMismatch;
    if (Object.keys(errors).length > 0) {
      return sendPage(
        reply,
        softIssueInput({ ...base(st.a), phoneStep: await phoneFor(st.f), email, errors }),
        400,
      );
    }
    const next: Flow = { ...st.f, step: 'confirm', email, activationPassword: pw };
    await enterConfirm(st.a, next);
    return reply.redirect(flowUrl(next), 303);
  });

  /** The checks the bank's options put on the issuance confirm screen (guides 000, 002). */
  const issueChecks = async (a: Authed, f?: IssueFlow): Promise<ConfirmChecks> => {
    const p = (await ctx.tenant()).policy;
    const m = a.session.data.mailOtp;
    return {
      ...(p.issueMailOtp
        ? { mailOtp: m === undefined ? null : { sentAt: m.sentAt, to: m.to } }
        : {}),
      ...(p.issueSecurityQuestion && a.customer.security_question !== null
        ? { question: a.customer.security_question }
        : {}),
      // 機種変更 came through 電話番号認証 already: it is not asked twice.
      ...(p.issuePhoneCheck && f?.replace !== true ? { phone: true } : {}),
    };
  };

  /** Whether this issuance goes through 電話番号認証 (for its step indicators). */
  const phoneFor = async (f: IssueFlow) =>
    (await ctx.tenant()).policy.issuePhoneCheck && f.replace !== true;

  /** Enters a confirm step: with a new メール通知パスワード when the bank asks for one. */
  const enterConfirm = async (a: Authed, next: Flow) => {
    if ((await ctx.tenant()).policy.issueMailOtp) {
      if ((await sendMailOtp(ctx, a.session, a.customer, { flow: next })) !== null) return;
    }
    await move(a, next);
  };

  /**
   * Checks everything the confirm screen asked for: 確認用パスワード, then メール通知パスワード and the
   * security answer when asked. Answers the refusal itself and returns null when anything is wrong.
   */
  const checkConfirmScreen = async (
    req: FastifyRequest,
    reply: FastifyReply,
    a: Authed,
    checks: ConfirmChecks,
    render: (errors: Record<string, string>, a: Authed) => unknown,
  ): Promise<Authed | null> => {
    const t = a.locale.t;
    const errors: Record<string, string> = {};
    const bad = await checkConfirmPassword(req, reply, a);
    if (bad === false) return null;
    if (bad !== null) errors['confirmPassword'] = bad;
    let cur = a;
    if (checks.mailOtp !== undefined) {
      const code = formField(req, 'mailOtp').trim();
      if (code === '') errors['mailOtp'] = t.mailOtp.required;
      else if (!/^[0-9]{6}$/.test(code)) errors['mailOtp'] = t.mailOtp.format;
      else {
        const r = await checkMailOtp(ctx, cur.session, code);
        cur = { ...cur, session: r.session };
        if (r.result !== 'ok') errors['mailOtp'] = t.mailOtp.refused[r.result];
      }
    }
    if (checks.question !== undefined) {
      const answer = formField(req, 'securityAnswer').trim().normalize('NFKC');
      if (answer === '') errors['securityAnswer'] = t.question.required;
      else if (answer.length > 16) errors['securityAnswer'] = t.question.tooLong;
      else if (
        cur.customer.security_answer_hash === null ||
        !(await o.hasher.verify(answer, cur.customer.security_answer_hash))
      ) {
        errors['securityAnswer'] = t.question.wrong;
      }
    }
    if (Object.keys(errors).length > 0) {
      // The session may have moved on (a wrong mail code is counted): draw with the saved one.
      const fresh = (await ctx.sessions.load(req.cookies[SESSION_COOKIE])) ?? null;
      await render(
        errors,
        fresh !== null && fresh !== 'expired' ? { ...cur, session: fresh } : cur,
      );
      return null;
    }
    return cur;
  };

  /** The issuance itself, once every check passed: claimed first, so it runs once. */
  const executeIssue = async (
    a: Authed,
    f: IssueFlow,
    reply: FastifyReply,
    again: (code: InkanError['code'], cur: Authed) => unknown,
  ) => {
    const type = f.type ?? 'software';
    const doneUrl =
      type === 'software' ? '/ib/otp/issue/software/done' : '/ib/otp/issue/hardware/done';
    // Claim the step first: of two submissions, only the one whose save wins issues a token.
    const claimed = await move(a, {
      kind: 'issue',
      step: 'done',
      type,
      ...(f.email ? { email: f.email } : {}),
    });
    if (claimed === null) return reply.redirect(doneUrl, 303);
    try {
      const r = await o.client.issueToken(
        a.customer.platform_ref,
        type === 'software'
          ? {
              type,
              email: f.email ?? '',
              activationPassword: f.activationPassword ?? '',
              ...(f.replace ? { replace: true } : {}),
            }
          : { type, ...(f.replace ? { replace: true } : {}) },
      );
      await ctx.save(claimed, {
        ...claimed.data,
        flow: {
          kind: 'issue',
          step: 'done',
          type,
          ...(f.replace ? { replace: true } : {}),
          result: {
            serviceId: r.serviceId,
            userId: r.userId,
            ...(f.email ? { email: f.email } : {}),
          },
        },
      });
    } catch (e) {
      const code = refusalCode(e);
      const restored = await ctx.save(claimed, { ...claimed.data, flow: f });
      return again(code, { ...a, session: restored ?? claimed });
    }
    return reply.redirect(doneUrl, 303);
  };

  const softConfirm = async (
    a: Authed,
    f: IssueFlow,
    extra: { errors?: Record<string, string>; message?: string } = {},
  ) =>
    softIssueConfirm({
      ...base(a),
      email: f.email ?? '',
      checks: await issueChecks(a, f),
      ...extra,
    });
  const hardConfirm = async (
    a: Authed,
    f: IssueFlow,
    extra: { errors?: Record<string, string>; message?: string } = {},
  ) =>
    hardIssueConfirm({
      ...base(a),
      address: a.customer.postal_address,
      fee,
      checks: await issueChecks(a, f),
      ...extra,
    });

  stepPage(
    '/otp/issue/software/confirm',
    'issue',
    ['confirm'],
    async (a, f, reply) => sendPage(reply, await softConfirm(a, f)),
    isSoft,
  );
  stepPage(
    '/otp/issue/hardware',
    'issue',
    ['confirm'],
    async (a, f, reply) => sendPage(reply, await hardConfirm(a, f)),
    isHard,
  );

  for (const type of ['software', 'hardware'] as const) {
    const path = type === 'software' ? '/otp/issue/software/confirm' : '/otp/issue/hardware';
    app.post(path, async (req, reply) => {
      const st = await stepPost(
        req,
        reply,
        'issue',
        'confirm',
        type === 'software' ? isSoft : isHard,
      );
      if (st === null) return reply;
      const { f } = st;
      const draw = async (
        a: Authed,
        extra: { errors?: Record<string, string>; message?: string },
        status: number,
      ) =>
        sendPage(
          reply,
          type === 'software' ? await softConfirm(a, f, extra) : await hardConfirm(a, f, extra),
          status,
        );
      if (type === 'software' && (f.email === undefined || f.activationPassword === undefined))
        return toMenu(st.a, reply, OUT_OF_ORDER);
      const checks = await issueChecks(st.a, f);
      const a = await checkConfirmScreen(req, reply, st.a, checks, (errors, cur) =>
        draw(cur, { errors }, 400),
      );
      if (a === null) return reply;
      if (checks.phone === true) {
        // 「電話番号認証を行う」 (guide 000): the issuance waits for the call.
        const { id } = await issuePhone.start(a);
        await move(a, { ...f, step: 'phone', phoneCheckId: id });
        return reply.redirect('/ib/otp/issue/phone', 303);
      }
      return executeIssue(a, f, reply, (code, cur) =>
        draw(cur, { message: cur.locale.t.refusal(code) }, 409),
      );
    });
  }

  // ── 電話番号認証 of the issuance (guide 000 STEP 1 ⑤) ──────────────────────

  const issuePhone = {
    start: (a: Authed) => ctx.phoneCheck.startPhoneCheck(a.customer.id, 'issue'),
  };
  const issuePhoneFor = (f: IssueFlow) =>
    phoneStep(ctx, 'issue', {
      title: (t: Messages) => t.otp.phoneTitle,
      steps: (t: Messages) => issuePhoneSteps(t, f.type ?? 'software'),
      action: '/ib/otp/issue/phone',
      retryAction: '/ib/otp/issue/phone/retry',
    });

  stepPage(
    '/otp/issue/phone',
    'issue',
    ['phone'],
    (a, f, reply) => issuePhoneFor(f).draw(a, f.phoneCheckId ?? '', reply),
    (f) => f.phoneCheckId !== undefined,
  );

  app.post('/otp/issue/phone', async (req, reply) => {
    const st = await stepPost(req, reply, 'issue', 'phone', (f) => f.phoneCheckId !== undefined);
    if (st === null) return reply;
    const { a, f } = st;
    const step = issuePhoneFor(f);
    if (!(await step.verified(a, f.phoneCheckId ?? '', reply))) return reply;
    // A refusal now (e.g. 発行規制) ends the procedure: the verified screen would only post again.
    return executeIssue(a, f, reply, (code, cur) => toMenu(cur, reply, { refusal: code }));
  });

  app.post('/otp/issue/phone/retry', async (req, reply) => {
    const st = await stepPost(req, reply, 'issue', 'phone');
    if (st === null) return reply;
    const { id } = await issuePhone.start(st.a);
    await move(st.a, { ...st.f, phoneCheckId: id });
    return reply.redirect('/ib/otp/issue/phone', 303);
  });

  stepPage(
    '/otp/issue/software/done',
    'issue',
    ['done'],
    async (a, f, reply) =>
      f.result === undefined
        ? busy(a, reply, a.locale.t.otp.issue)
        : sendPage(
            reply,
            softIssueDone({
              ...base(a),
              email: f.result.email ?? '',
              serviceId: f.result.serviceId,
              userId: f.result.userId,
              appUrl: o.appUrl,
              phoneStep: await phoneFor(f),
            }),
          ),
    isSoft,
  );

  stepPage(
    '/otp/issue/hardware/done',
    'issue',
    ['done'],
    async (a, f, reply) =>
      f.result === undefined
        ? busy(a, reply, a.locale.t.otp.issue)
        : sendPage(reply, hardIssueDone({ ...base(a), fee, phoneStep: await phoneFor(f) })),
    isHard,
  );

  /** 「メール通知パスワードを再送信する」: a new code (the older one ends), back to the step. */
  app.post('/mail-otp/resend', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const f = a.session.data.flow;
    if (f === undefined || f.step === 'done') return toMenu(a, reply, OUT_OF_ORDER);
    // A new メール通知パスワード address proves itself: its code goes there (guide 004).
    const to = f.kind === 'settings' && f.what === 'mailOtp' ? f.value : undefined;
    await sendMailOtp(ctx, a.session, a.customer, {}, to);
    return reply.redirect(flowUrl(f), 303);
  });

  // ── 利用開始 ─────────────────────────────────────────────────────────────

  stepPage('/otp/activate', 'activate', ['input'], (a, f, reply) =>
    sendPage(reply, activateInput({ ...base(a), type: f.type })),
  );

  app.post('/otp/activate', async (req, reply) => {
    const st = await stepPost(req, reply, 'activate', 'input');
    if (st === null) return reply;
    const { a, f } = st;
    const otp = formField(req, 'otp').trim();
    const serial = formField(req, 'serial').trim();
    const again = (errors: Record<string, string> | undefined, message?: string, status = 400) =>
      sendPage(
        reply,
        activateInput({
          ...base(a),
          type: f.type,
          serial,
          ...(errors ? { errors } : {}),
          ...(message ? { message } : {}),
        }),
        status,
      );
    const t = a.locale.t;
    const errors: Record<string, string> = {};
    if (f.type === 'hardware') {
      if (serial === '') errors['serial'] = t.otp.activation.serialRequired;
      else if (!PATTERNS.serial.test(serial)) errors['serial'] = t.otp.activation.serialFormat;
    }
    if (otp === '') errors['otp'] = t.otpInput.required;
    else if (!OTP_PATTERN.test(otp)) errors['otp'] = t.otpRefused.format;
    if (Object.keys(errors).length > 0) return again(errors);
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${a.customer.id}`))) return reply;
    const claimed = await move(a, { kind: 'activate', step: 'done', type: f.type });
    if (claimed === null) return reply.redirect('/ib/otp/activate/done', 303);
    // 機種変更: an active token is being replaced; it ends with this activation.
    const before = await tokenOf(a);
    const r = await o.client.activateToken(a.customer.platform_ref, {
      otp,
      ...(f.type === 'hardware' ? { serial } : {}),
    });
    if (r.result !== 'ok') {
      if (isLockedAnswer(r)) return locked({ ...a, session: claimed }, req, reply, r);
      await ctx.save(claimed, { ...claimed.data, flow: f });
      return again({ otp: otpRefusal(t, r.result) });
    }
    const now = await tokenOf(a);
    if (before?.state === 'active') {
      ctx.notify(a.customer, (g) =>
        renderTokenReplacedMail({
          ...g,
          activatedAt: o.clock.now(),
          oldSerial: before.serial,
          newSerial: now?.serial ?? null,
        }),
      );
    } else {
      ctx.notify(a.customer, (g) => renderTokenActivatedMail({ ...g, activatedAt: o.clock.now() }));
    }
    await ctx.save(claimed, {
      ...claimed.data,
      flow: {
        kind: 'activate',
        step: 'done',
        type: f.type,
        result: { serial: now?.serial ?? null, validUntil: now?.validUntil ?? null },
      },
    });
    return reply.redirect('/ib/otp/activate/done', 303);
  });

  stepPage('/otp/activate/done', 'activate', ['done'], (a, f, reply) =>
    f.result === undefined
      ? busy(a, reply, a.locale.t.otp.activate)
      : sendPage(
          reply,
          activateDone({
            ...base(a),
            type: f.type,
            serial: f.result.serial,
            validUntil: f.result.validUntil,
          }),
        ),
  );

  // ── 利用解除 ─────────────────────────────────────────────────────────────

  stepPage('/otp/deactivate', 'deactivate', ['input'], (a, _f, reply) =>
    sendPage(reply, bos001(base(a))),
  );

  app.post('/otp/deactivate', async (req, reply) => {
    const st = await stepPost(req, reply, 'deactivate', 'input');
    if (st === null) return reply;
    const { a, f } = st;
    const otp = formField(req, 'otp').trim();
    const again = (errors: Record<string, string>, status = 400) =>
      sendPage(reply, bos001({ ...base(a), errors }), status);
    const t = a.locale.t;
    const errors: Record<string, string> = {};
    const bad = await checkConfirmPassword(req, reply, a);
    if (bad === false) return reply;
    if (bad !== null) errors['confirmPassword'] = bad;
    if (otp === '') errors['otp'] = t.otpInput.required;
    else if (!OTP_PATTERN.test(otp)) errors['otp'] = t.otpRefused.format;
    if (Object.keys(errors).length > 0) return again(errors);
    const claimed = await move(a, { kind: 'deactivate', step: 'done' });
    if (claimed === null) return reply.redirect('/ib/otp/deactivate/done', 303);
    const r = await o.client.deactivateToken(a.customer.platform_ref, { otp });
    if (r.result !== 'ok') {
      if (isLockedAnswer(r)) return locked({ ...a, session: claimed }, req, reply, r);
      await ctx.save(claimed, { ...claimed.data, flow: f });
      return again({ otp: otpRefusal(t, r.result) });
    }
    // SPEC.md: without an active OTP the daily transfer limit falls back to 200,000 yen.
    await o.bank.capDailyLimit(a.customer.id, LIMIT_WITHOUT_OTP);
    ctx.notify(a.customer, (g) =>
      renderTokenDeactivatedMail({ ...g, deactivatedAt: o.clock.now() }),
    );
    return reply.redirect('/ib/otp/deactivate/done', 303);
  });

  stepPage('/otp/deactivate/done', 'deactivate', ['done'], async (a, _f, reply) => {
    const c = await o.bank.customer(a.customer.id);
    return sendPage(
      reply,
      deactivateDone({ ...base(a), dailyLimit: Number(c?.daily_limit ?? LIMIT_WITHOUT_OTP) }),
    );
  });
}
