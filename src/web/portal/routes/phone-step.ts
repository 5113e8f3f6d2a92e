import type { FastifyReply } from 'fastify';
import type { Html } from '../../shared/html.js';
import { sendPage, type Authed, type PortalContext } from '../context.js';
import type { Messages } from '../i18n/locale.js';
import type { PhoneCheckPurpose } from '../phone-check.js';
import { phoneCheckScreen } from '../views/phone-check.js';

/** How a procedure's 電話番号認証 step is drawn, in the page's language. */
export interface PhoneStepOptions {
  readonly title: (t: Messages) => string;
  readonly steps: (t: Messages) => Html;
  /** The step's own URL: 「実行」 (and the page itself, once the call came) posts here. */
  readonly action: string;
  /** Starts a new check once this one expired. */
  readonly retryAction: string;
}

/**
 * A procedure's 電話番号認証 step (guide 000 STEP 1 ⑤), shared by トークン発行 and 機種変更: the
 * screen, and the POST that goes on only once the registered phone has called.
 */
export function phoneStep(ctx: PortalContext, purpose: PhoneCheckPurpose, o: PhoneStepOptions) {
  const draw = async (
    a: Authed,
    checkId: string,
    reply: FastifyReply,
    status = 200,
    message?: string,
  ) => {
    const info = await ctx.phoneCheck.phoneCheckInfo(checkId, a.customer.id, purpose);
    if (info === null) return reply.redirect('/ib/otp', 303);
    return sendPage(
      reply,
      phoneCheckScreen({
        locale: a.locale,
        bankName: ctx.o.bankName,
        name: a.customer.name,
        csrf: a.session.data.csrf,
        title: o.title(a.locale.t),
        steps: o.steps(a.locale.t),
        checkId,
        state: info.state,
        secondsLeft: info.secondsLeft,
        expiresAt: info.expiresAt,
        registeredPhone: a.customer.phone,
        checkNumber: ctx.phoneCheck.number,
        action: o.action,
        retryAction: o.retryAction,
        ...(message === undefined ? {} : { message }),
      }),
      status,
    );
  };
  return {
    draw,
    /** Starts a check of this purpose for the customer (120 seconds). */
    start: (a: Authed) => ctx.phoneCheck.startPhoneCheck(a.customer.id, purpose),
    /**
     * The POST of the step: true when the call came (go on); otherwise the screen is drawn
     * again (not yet: the message; expired: the offer to try again) and false.
     */
    async verified(a: Authed, checkId: string, reply: FastifyReply): Promise<boolean> {
      const state = await ctx.phoneCheck.phoneCheckState(checkId, a.customer.id, purpose);
      if (state === 'verified') return true;
      if (state === 'pending')
        await draw(a, checkId, reply, 400, a.locale.t.phoneCheck.notVerified);
      else await draw(a, checkId, reply, 400);
      return false;
    },
  };
}
