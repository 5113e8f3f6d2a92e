import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerLangSwitch } from '../../shared/lang-switch.js';
import { LANG_COOKIE } from '../i18n/locale.js';

/**
 * The header's language switch: GET /ib/lang?to=en&back=/ib/otp sets `ib_lang` and returns to
 * `back` (a path under /ib); the session, its flow and the step's values stay, so the same step
 * is drawn in the other language.
 */
export function registerLangRoutes(
  app: FastifyInstance,
  refuse: (req: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  registerLangSwitch(app, {
    prefix: '/ib',
    cookie: LANG_COOKIE,
    sameSite: 'lax',
    fallback: '/ib/top',
    refuse,
  });
}
