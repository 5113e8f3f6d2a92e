import type { FastifyInstance } from 'fastify';
import { formField, sendPage, type PortalContext } from '../context.js';
import { replacePassword, replaceSteps } from '../views/replace.js';
import { createFlowKit } from './flow-kit.js';
import { phoneStep } from './phone-step.js';

/**
 * 機種変更 without paper (SPEC.md, "Changing phones without paper"): a customer whose phone is
 * lost or replaced proves themself with the login password and 電話番号認証, then issues a new
 * software token with `replace`; the old one keeps working until the new one is activated and
 * then ends by itself (the platform does it in the activation's transaction).
 */
export function registerReplaceRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o } = ctx;
  const { base, move, stepPage, stepPost, toMenu } = createFlowKit(app, ctx);
  const phone = phoneStep(ctx, 'replace', {
    title: (t) => t.replace.phoneTitle,
    steps: (t) => replaceSteps(t, 1),
    action: '/ib/otp/replace/phone',
    retryAction: '/ib/otp/replace/phone/retry',
  });

  app.post('/otp/replace/start', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const t = await o.client.getToken(a.customer.platform_ref);
    const allowed =
      (await ctx.tenant()).policy.selfServiceReplace &&
      t !== null &&
      t.state === 'active' &&
      t.type === 'software' &&
      !t.locked;
    if (!allowed) return toMenu(a, reply, { key: 'notAllowed' });
    await move(a, { kind: 'replace', step: 'password' });
    return reply.redirect('/ib/otp/replace', 303);
  });

  stepPage('/otp/replace', 'replace', ['password'], (a, _f, reply) =>
    sendPage(reply, replacePassword(base(a))),
  );

  app.post('/otp/replace', async (req, reply) => {
    const st = await stepPost(req, reply, 'replace', 'password');
    if (st === null) return reply;
    const { a } = st;
    const password = formField(req, 'password');
    const again = (message: string) =>
      sendPage(reply, replacePassword({ ...base(a), errors: { password: message } }), 400);
    const t = a.locale.t.common;
    if (password === '') return again(t.loginPasswordRequired);
    if (password.length > 64) return again(t.loginPasswordTooLong);
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${a.customer.id}`))) return reply;
    if (!(await o.hasher.verify(password, a.customer.password_hash)))
      return again(t.loginPasswordWrong);
    const { id } = await phone.start(a);
    await move(a, { kind: 'replace', step: 'phone', phoneCheckId: id });
    return reply.redirect('/ib/otp/replace/phone', 303);
  });

  stepPage(
    '/otp/replace/phone',
    'replace',
    ['phone'],
    (a, f, reply) => phone.draw(a, f.phoneCheckId ?? '', reply),
    (f) => f.phoneCheckId !== undefined,
  );

  app.post('/otp/replace/phone', async (req, reply) => {
    const st = await stepPost(req, reply, 'replace', 'phone', (f) => f.phoneCheckId !== undefined);
    if (st === null) return reply;
    if (!(await phone.verified(st.a, st.f.phoneCheckId ?? '', reply))) return reply;
    // Proven: the software issuance, marked as the replacement of the active token.
    await move(st.a, { kind: 'issue', step: 'input', type: 'software', replace: true });
    return reply.redirect('/ib/otp/issue/software', 303);
  });

  app.post('/otp/replace/phone/retry', async (req, reply) => {
    const st = await stepPost(req, reply, 'replace', 'phone');
    if (st === null) return reply;
    const { id } = await phone.start(st.a);
    await move(st.a, { kind: 'replace', step: 'phone', phoneCheckId: id });
    return reply.redirect('/ib/otp/replace/phone', 303);
  });
}
