import type { FastifyInstance } from 'fastify';
import { isInkanError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import { customerHref } from '../views/customers.js';
import { passkeysPage } from '../views/passkeys.js';
import { staffForm, staffScreen } from './staff-route.js';

/**
 * 生体認証ログイン (issue 6) in the admin console: a customer's registered devices and their
 * removal with a reason. The platform checks the role, the bank and the reason, and audits.
 */
export function registerAdminPasskeyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;
  const draw = async (
    a: StaffAuthed,
    ref: string,
    extra: { notice?: string; error?: string; reason?: string } = {},
  ) =>
    passkeysPage({
      locale: a.locale,
      staff: a.frame,
      ref,
      passkeys: await o.console.listPasskeys(a.caller, ref),
      ...extra,
    });

  app.get(
    '/customers/:ref/passkeys',
    staffScreen(ctx, async (req, reply, a) => {
      const { ref } = req.params as { ref: string };
      const q = req.query as Record<string, string | undefined>;
      // The customer must exist in the staff member's bank (NOT_FOUND otherwise).
      await o.console.detail(a.caller, ref);
      const notice = q['removed'] !== undefined ? { notice: a.locale.t.passkeys.removed } : {};
      return sendHtml(reply, await draw(a, ref, notice));
    }),
  );

  app.post(
    '/customers/:ref/passkeys/remove',
    staffForm(ctx, async (req, reply, a) => {
      const { ref } = req.params as { ref: string };
      const reason = formField(req, 'reason');
      const idText = formField(req, 'id');
      const x = a.locale.t.passkeys;
      if (!/^[0-9]{1,15}$/.test(idText)) {
        return sendHtml(
          reply,
          await draw(a, ref, { error: x.notFound, reason: reason.slice(0, 200) }),
          400,
        );
      }
      try {
        await o.console.removePasskey(a.caller, ref, Number(idText), reason);
      } catch (e) {
        if (isInkanError(e, 'VALIDATION_FAILED'))
          return sendHtml(
            reply,
            await draw(a, ref, { error: x.reasonBad, reason: reason.slice(0, 200) }),
            400,
          );
        // Not this customer's device (the customer exists: detail throws NOT_FOUND otherwise).
        if (isInkanError(e, 'NOT_FOUND') && (await o.console.detail(a.caller, ref)).ref === ref)
          return sendHtml(reply, await draw(a, ref, { error: x.notFound }), 404);
        throw e;
      }
      return reply.redirect(customerHref(ref, '/passkeys?removed=1'), 303);
    }),
  );
}
