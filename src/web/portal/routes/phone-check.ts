import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../../shared/html.js';
import {
  TELEPHONY_SIGNATURE_HEADER,
  TELEPHONY_WEBHOOK_PATH,
  verifyTelephonySignature,
} from '../../shared/telephony-signature.js';
import type { PortalContext } from '../context.js';
import { PHONE_CHECK_SAY } from '../i18n/ja.js';

/**
 * How far a webhook's signed `Timestamp` may be from the portal's clock. The signature alone does
 * not age: without this, a captured request could verify a later check of the same customer.
 */
export const TELEPHONY_MAX_SKEW_MS = 5 * 60_000;

/** The webhook's body limit: a provider's call parameters are a few hundred bytes. */
const WEBHOOK_BODY_LIMIT = 16 * 1024;

/** A signed request's `Timestamp`: Unix seconds (or an RFC 2822 date, as Twilio's callbacks write it). */
function timestampOf(v: string): number | null {
  if (/^[0-9]{1,12}$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

/** TwiML: say one sentence in Japanese, then hang up (「自動で電話が切れ」). */
function sayAndHangUp(text: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Response><Say language="ja-JP">${escapeHtml(text)}</Say><Hangup/></Response>`
  );
}

/**
 * 電話番号認証's routes: the screen's JSON status, and the telephony provider's inbound-call
 * webhook (signed, so it needs neither session nor CSRF token). The screen itself is a step of
 * the procedures that ask for the call (phone-step.ts).
 */
export async function registerPhoneCheckRoutes(
  app: FastifyInstance,
  ctx: PortalContext,
): Promise<void> {
  const { o } = ctx;

  // ── the screen's status, polled every 2 s ──────────────────────────────

  app.get<{ Params: { id: string } }>('/phone-check/:id/status', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const info = await ctx.phoneCheck.phoneCheckInfo(req.params.id, a.customer.id);
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
    // Another customer's check reads as one that does not exist.
    if (info === null) return reply.status(404).send({ error: 'not_found' });
    return reply.send({ state: info.state, secondsLeft: info.secondsLeft });
  });

  // ── the provider's inbound-call webhook ────────────────────────────────

  await app.register(async (hook) => {
    // The signature covers every parameter as sent: keep the raw body, not the portal's parse.
    hook.removeContentTypeParser('application/x-www-form-urlencoded');
    hook.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT },
      (_req, body, done) => done(null, body),
    );

    const refuse = (req: FastifyRequest, reply: FastifyReply, why: string) => {
      req.log.warn({ why }, 'telephony webhook refused');
      return reply.status(403).type('text/plain; charset=utf-8').send('Forbidden');
    };

    hook.post(TELEPHONY_WEBHOOK_PATH.replace(/^\/ib/, ''), async (req, reply) => {
      const token = o.telephonyAuthToken ?? '';
      const base = (o.publicUrl ?? '').replace(/\/+$/, '');
      if (token === '' || base === '') return refuse(req, reply, 'no provider configured');
      const pairs = [...new URLSearchParams(typeof req.body === 'string' ? req.body : '')];
      // The URL the provider requested, from our configured address: a Host header is the
      // sender's to write (Twilio: "the full URL … through the end of the query string").
      const url = base + req.url;
      const sig = req.headers[TELEPHONY_SIGNATURE_HEADER];
      if (!verifyTelephonySignature(token, url, pairs, typeof sig === 'string' ? sig : undefined)) {
        return refuse(req, reply, 'bad signature');
      }
      const one = (name: string) => {
        const vs = pairs.filter(([k]) => k === name);
        return vs.length === 1 ? (vs[0]?.[1] ?? null) : null;
      };
      const ts = timestampOf(one('Timestamp') ?? '');
      if (ts === null || Math.abs(o.clock.now() - ts) > TELEPHONY_MAX_SKEW_MS) {
        return refuse(req, reply, 'stale');
      }
      const from = one('From');
      const to = one('To');
      if (from === null || to === null) {
        return reply.status(400).type('text/plain; charset=utf-8').send('From and To, once each');
      }
      const marked = await ctx.phoneCheck.recordInboundCall(from, to);
      // Numbers are personal data: the log says only what happened.
      req.log.info({ marked }, 'telephony inbound call');
      return reply
        .type('text/xml; charset=utf-8')
        .send(sayAndHangUp(marked > 0 ? PHONE_CHECK_SAY.verified : PHONE_CHECK_SAY.refused));
    });
  });
}
