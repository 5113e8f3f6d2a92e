import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerLangSwitch } from '../../shared/lang-switch.js';
import { ADMIN_LANG_COOKIE } from '../i18n/locale.js';

/** The header's language switch: GET /admin/lang?to=en&back=/admin/… sets `adm_lang`. */
export function registerAdminLangRoute(
  app: FastifyInstance,
  refuse: (req: FastifyRequest, reply: FastifyReply) => unknown,
): void {
  registerLangSwitch(app, {
    prefix: '/admin',
    cookie: ADMIN_LANG_COOKIE,
    sameSite: 'strict',
    fallback: '/admin/customers',
    refuse,
  });
}
