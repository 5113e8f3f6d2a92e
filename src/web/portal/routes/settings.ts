import type { FastifyInstance } from 'fastify';
import { isEmailAddress } from '../../../core/index.js';
import { renderMailOtpAddressChangedMail } from '../../../mail/index.js';
import {
  LIMIT_WITHOUT_OTP,
  formField,
  sendPage,
  type Authed,
  type PortalContext,
} from '../context.js';
import type { SettingsFlow } from '../flows.js';
import { noticeText, type Messages } from '../i18n/locale.js';
import { sendMailOtp } from '../mail-otp.js';
import {
  settingsConfirm,
  settingsDone,
  settingsInput,
  settingsMenu,
  type SettingsAuth,
} from '../views/settings.js';
import { createFlowKit } from './flow-kit.js';
import { isLockedAnswer, otpRefusal } from './messages.js';

/** The highest daily limit a customer with an active OTP may set (the bank's maximum). */
export const MAX_DAILY_LIMIT = 10_000_000;

const WHATS = ['email', 'limit', 'mailOtp'] as const;
type What = (typeof WHATS)[number];

/**
 * 登録情報の変更 (SPEC.md, "What needs an OTP": changes of registered details): the e-mail
 * address, the daily transfer limit (above 200,000 yen only with the OTP 利用中), and the
 * メール通知パスワード address (guide 004: only without the OTP; the code goes to the new address).
 */
export function registerSettingsRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o } = ctx;
  const { base, move, stepPage, stepPost, checkSecondFactor, locked, busy } = createFlowKit(
    app,
    ctx,
  );

  const otpActive = async (a: Authed) =>
    (await o.client.getToken(a.customer.platform_ref))?.state === 'active';
  const maxLimit = (active: boolean) => (active ? MAX_DAILY_LIMIT : LIMIT_WITHOUT_OTP);
  /** A registered value as the screens show it: the limit as an amount, an absent address as 未登録. */
  const shown = (t: Messages, what: What, v: string | null) =>
    what === 'limit' ? t.yen(Number(v)) : (v ?? t.common.notRegistered);
  const current = (a: Authed, what: What) =>
    what === 'email'
      ? a.customer.email
      : what === 'limit'
        ? String(a.customer.daily_limit)
        : a.customer.mail_otp_email;

  /** How this change is confirmed: the OTP when 利用中, else a メール通知パスワード when used. */
  const authOf = (a: Authed, f: SettingsFlow, active: boolean): SettingsAuth => {
    const m = a.session.data.mailOtp;
    const sent = m === undefined ? null : { sentAt: m.sentAt, to: m.to };
    if (f.what === 'mailOtp')
      return { kind: 'mail', sent: sent !== null && sent.to === f.value ? sent : null };
    if (active) return { kind: 'otp' };
    if (a.customer.mail_otp_email !== null) return { kind: 'mail', sent };
    return { kind: 'none' };
  };

  app.get('/settings', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const { notice, ...rest } = a.session.data;
    if (notice !== undefined) await ctx.save(a.session, rest);
    const active = await otpActive(a);
    const message = noticeText(a.locale.t, notice);
    return sendPage(
      reply,
      settingsMenu({
        ...base(a),
        customer: a.customer,
        otpActive: active,
        maxLimit: MAX_DAILY_LIMIT,
        ...(message ? { notice: message } : {}),
      }),
    );
  });

  for (const what of WHATS) {
    const isThis = (f: SettingsFlow) => f.what === what;

    app.post(`/settings/${what}/start`, async (req, reply) => {
      const a = await ctx.requireLogin(req, reply);
      if (a === null) return reply;
      if (!ctx.checkCsrf(req, reply, a.session)) return reply;
      if (what === 'mailOtp' && (await otpActive(a))) {
        await ctx.save(a.session, { ...a.session.data, notice: { key: 'mailOtpWhileOtp' } });
        return reply.redirect('/ib/settings', 303);
      }
      await move(a, { kind: 'settings', what, step: 'input' });
      return reply.redirect(`/ib/settings/${what}`, 303);
    });

    stepPage(
      `/settings/${what}`,
      'settings',
      ['input'],
      async (a, f, reply) =>
        sendPage(
          reply,
          settingsInput({
            ...base(a),
            what,
            customer: a.customer,
            maxLimit: maxLimit(await otpActive(a)),
            ...(f.value ? { value: f.value } : {}),
          }),
        ),
      isThis,
    );

    app.post(`/settings/${what}`, async (req, reply) => {
      const st = await stepPost(req, reply, 'settings', 'input', isThis);
      if (st === null) return reply;
      const { a, f } = st;
      const active = await otpActive(a);
      const t = a.locale.t;
      const errors: Record<string, string> = {};
      let value = formField(req, 'value').trim();
      if (what === 'limit') {
        // 1,000,000円 as written in Japanese, ¥1,000,000 in English.
        value = value.normalize('NFKC').replace(/[,円¥]/g, '');
        const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : NaN;
        if (value === '') errors['value'] = t.settings.limitRequired;
        else if (!Number.isInteger(n) || n < 10_000 || n % 10_000 !== 0)
          errors['value'] = t.settings.limitFormat;
        else if (n > maxLimit(active)) {
          errors['value'] = active
            ? t.settings.limitMax(t.yen(MAX_DAILY_LIMIT))
            : t.settings.limitWithoutOtp;
        } else if (n === Number(a.customer.daily_limit)) errors['value'] = t.settings.limitSame;
        value = String(n);
      } else {
        const again = formField(req, 'valueConfirm').trim();
        if (value === '') errors['value'] = t.common.emailRequired;
        else if (!isEmailAddress(value)) errors['value'] = t.common.emailFormat;
        else if (value === current(a, what)) errors['value'] = t.settings.same;
        if (again === '') errors['valueConfirm'] = t.common.emailAgain;
        else if (errors['value'] === undefined && again !== value)
          errors['valueConfirm'] = t.common.emailMismatch;
      }
      if (Object.keys(errors).length > 0) {
        return sendPage(
          reply,
          settingsInput({
            ...base(a),
            what,
            customer: a.customer,
            maxLimit: maxLimit(active),
            value,
            errors,
          }),
          400,
        );
      }
      const next: SettingsFlow = { ...f, step: 'confirm', value };
      const auth = authOf(a, next, active);
      if (auth.kind === 'mail' && auth.sent === null) {
        // The code goes to the new address when that address is what changes (guide 004).
        const sent =
          what === 'mailOtp'
            ? await sendMailOtp(ctx, a.session, a.customer, { flow: next }, value)
            : await sendMailOtp(ctx, a.session, a.customer, { flow: next });
        if (sent !== null) return reply.redirect(`/ib/settings/${what}/confirm`, 303);
      }
      await move(a, next);
      return reply.redirect(`/ib/settings/${what}/confirm`, 303);
    });

    const drawConfirm = async (
      a: Authed,
      f: SettingsFlow,
      extra: { errors?: Record<string, string>; message?: string } = {},
    ) =>
      settingsConfirm({
        ...base(a),
        what,
        before: shown(a.locale.t, what, current(a, what)),
        after: shown(a.locale.t, what, f.value ?? ''),
        auth: authOf(a, f, await otpActive(a)),
        ...extra,
      });

    stepPage(
      `/settings/${what}/confirm`,
      'settings',
      ['confirm'],
      async (a, f, reply) => sendPage(reply, await drawConfirm(a, f)),
      isThis,
    );

    app.post(`/settings/${what}/confirm`, async (req, reply) => {
      const st = await stepPost(req, reply, 'settings', 'confirm', isThis);
      if (st === null) return reply;
      let { a } = st;
      const { f } = st;
      const active = await otpActive(a);
      const auth = authOf(a, f, active);
      const checked = await checkSecondFactor(req, reply, a, auth);
      if (checked === false) return reply;
      a = checked.a;
      const { errors, otp } = checked;
      const t = a.locale.t;
      if (Object.keys(errors).length > 0)
        return sendPage(reply, await drawConfirm(a, f, { errors }), 400);
      const claimed = await move(a, { ...f, step: 'done' });
      if (claimed === null) return reply.redirect(`/ib/settings/${what}/done`, 303);
      if (auth.kind === 'otp') {
        // The OTP last: a refused password never uses up an OTP step.
        const r = await o.client.verify(a.customer.platform_ref, otp);
        if (isLockedAnswer(r)) return locked({ ...a, session: claimed }, req, reply, r);
        if (r.result !== 'ok') {
          const restored = await ctx.save(claimed, { ...claimed.data, flow: f });
          return sendPage(
            reply,
            await drawConfirm({ ...a, session: restored ?? claimed }, f, {
              errors: { otp: otpRefusal(t, r.result) },
            }),
            400,
          );
        }
      }
      const value = f.value ?? '';
      if (what === 'email') await o.bank.setEmail(a.customer.id, value);
      if (what === 'limit')
        await o.bank.setDailyLimit(a.customer.id, Math.min(Number(value), maxLimit(active)));
      if (what === 'mailOtp') {
        await o.bank.setMailOtpEmail(a.customer.id, value);
        void ctx.sendMail(
          value,
          renderMailOtpAddressChangedMail({
            ...ctx.greeting(a.customer),
            newAddress: value,
            changedAt: o.clock.now(),
          }),
        );
      }
      return reply.redirect(`/ib/settings/${what}/done`, 303);
    });

    stepPage(
      `/settings/${what}/done`,
      'settings',
      ['done'],
      (a, f, reply) =>
        f.value === undefined
          ? busy(a, reply, a.locale.t.settings.titles[what])
          : sendPage(
              reply,
              settingsDone({ ...base(a), what, after: shown(a.locale.t, what, f.value) }),
            ),
      isThis,
    );
  }
}
