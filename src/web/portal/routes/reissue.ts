import type { FastifyInstance, FastifyReply } from 'fastify';
import { InkanError } from '../../../core/index.js';
import type { TokenInfo } from '../../../client/index.js';
import { sendPage, type Authed, type PortalContext } from '../context.js';
import { bop001 } from '../views/otp.js';
import {
  activeHardware,
  mayApplyReissue,
  reissueConfirm,
  reissueDone,
  reissueOpensAt,
  reissuePanel,
} from '../views/reissue.js';
import { createFlowKit } from './flow-kit.js';
import { isLockedAnswer, otpRefusal } from './messages.js';

/**
 * ハードウェアトークン再発行 in the portal (SPEC.md "Hardware token": possible from 90 days before
 * its expiry, with a current OTP; guide 001 手順4's note). BOP001 offers it; the confirm screen
 * shows the fee and the registered address and asks for the 確認用パスワード and the current fob's
 * OTP; the platform checks the OTP (a wrong one counts toward the lockout) and issues the new
 * request, which staff ship (発送) like a first issuance. The old fob keeps working until the new
 * one is activated with its serial + OTP on the existing 利用開始 screen, which ends the old one.
 */
export function registerReissueRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o } = ctx;
  const fee = o.hardwareFee ?? 1_100;
  const { base, toMenu, move, locked, stepPage, stepPost, busy, checkSecondFactor } = createFlowKit(
    app,
    ctx,
  );
  const tokenOf = (a: Authed) => o.client.getToken(a.customer.platform_ref);

  /** BOP001 again with a refusal at its top (nothing changed). */
  const refuseOnMenu = (a: Authed, reply: FastifyReply, token: TokenInfo | null, error: string) =>
    sendPage(
      reply,
      bop001({
        ...base(a),
        token,
        error,
        reissue: reissuePanel({
          t: a.locale.t,
          csrf: a.session.data.csrf,
          token,
          now: o.clock.now(),
        }),
      }),
      409,
    );

  /** Why this customer may not apply now, in their words; null when they may. */
  const whyNot = (a: Authed, token: TokenInfo | null): string | null => {
    const r = a.locale.t.reissue;
    const hw = activeHardware(token);
    if (hw === null) return a.locale.t.notices.notAllowed;
    if (hw.locked) return r.locked;
    if (hw.pending !== undefined) return r.already;
    if (!mayApplyReissue(token, o.clock.now()))
      return r.notYet(a.locale.t.dateTime(reissueOpensAt(hw)));
    return null;
  };

  app.post('/otp/reissue/start', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    if (!ctx.checkCsrf(req, reply, a.session)) return reply;
    const token = await tokenOf(a);
    const why = whyNot(a, token);
    if (why !== null) {
      // A procedure under way ends: the menu is drawn with why.
      const { flow: _f, ...rest } = a.session.data;
      await ctx.save(a.session, rest);
      return refuseOnMenu(a, reply, token, why);
    }
    await move(a, { kind: 'reissue', step: 'confirm' });
    return reply.redirect('/ib/otp/reissue', 303);
  });

  const confirmScreen = async (
    a: Authed,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; message?: string } = {},
    status = 200,
  ) => {
    const token = activeHardware(await tokenOf(a));
    if (token === null) return toMenu(a, reply, { key: 'notAllowed' });
    return sendPage(
      reply,
      reissueConfirm({ ...base(a), token, address: a.customer.postal_address, fee, ...extra }),
      status,
    );
  };

  stepPage('/otp/reissue', 'reissue', ['confirm'], (a, _f, reply) => confirmScreen(a, reply));

  app.post('/otp/reissue', async (req, reply) => {
    const st = await stepPost(req, reply, 'reissue', 'confirm');
    if (st === null) return reply;
    const { f } = st;
    const checked = await checkSecondFactor(req, reply, st.a, { kind: 'otp' });
    if (checked === false) return reply;
    const { a, errors, otp } = checked;
    // A wrong 確認用パスワード or a malformed OTP: the OTP is not sent, nothing is counted or issued.
    if (Object.keys(errors).length > 0) return confirmScreen(a, reply, { errors }, 400);
    const claimed = await move(a, { kind: 'reissue', step: 'done' });
    if (claimed === null) return reply.redirect('/ib/otp/reissue/done', 303);
    const restore = async () => {
      const s = await ctx.save(claimed, { ...claimed.data, flow: f });
      return { ...a, session: s ?? claimed };
    };
    let r;
    try {
      r = await o.client.reissueHardware(a.customer.platform_ref, { otp });
    } catch (e) {
      if (!(e instanceof InkanError)) throw e;
      // REISSUE_NOT_YET (the clock moved), 発行規制, no active fob any more: said, nothing issued.
      if (e.code === 'REISSUE_NOT_YET' || e.code === 'NOT_FOUND') {
        return toMenu(await restore(), reply, {
          refusal: e.code === 'NOT_FOUND' ? 'NO_ACTIVE_TOKEN' : e.code,
        });
      }
      return confirmScreen(await restore(), reply, { message: a.locale.t.refusal(e.code) }, 409);
    }
    if (r.result !== 'ok') {
      if (isLockedAnswer(r)) return locked({ ...a, session: claimed }, req, reply, r);
      // A fob has no app: the wrong-OTP words name the hardware token.
      const why =
        r.result === 'invalid' ? a.locale.t.reissue.wrongOtp : otpRefusal(a.locale.t, r.result);
      return confirmScreen(await restore(), reply, { errors: { otp: why } }, 400);
    }
    await ctx.save(claimed, {
      ...claimed.data,
      flow: { kind: 'reissue', step: 'done', result: { userId: r.userId ?? '' } },
    });
    return reply.redirect('/ib/otp/reissue/done', 303);
  });

  stepPage('/otp/reissue/done', 'reissue', ['done'], (a, f, reply) =>
    f.result === undefined
      ? busy(a, reply, a.locale.t.reissue.titleDone)
      : sendPage(reply, reissueDone({ ...base(a), fee })),
  );
}
