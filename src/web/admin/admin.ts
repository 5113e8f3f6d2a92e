import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { isInkanError } from '../../core/index.js';
import { answerServiceBusy } from '../shared/service-busy.js';
import { ADMIN_CSS, ADMIN_JS } from './assets.js';
import {
  createAdminContext,
  DEFAULT_ADMIN_IDLE_MS,
  DEFAULT_ADMIN_LIMITS,
  type AdminOptions,
} from './context.js';
import { registerAdminApprovalRoutes } from './routes/approvals.js';
import { registerAdminHardwareRoutes } from './routes/hardware.js';
import { registerAdminOverviewRoutes } from './routes/overview.js';
import { registerAdminCustomerRoutes } from './routes/customers.js';
import { registerAdminPasskeyRoutes } from './routes/passkeys.js';
import { registerAdminLangRoute } from './routes/lang.js';
import { registerAdminLoginRoutes } from './routes/login.js';
import { registerAdminStaffRoutes } from './routes/staff.js';
import { registerAdminPasswordRoutes } from './routes/password.js';
import { createStaffSessions } from './session.js';

/**
 * Security headers of every console page: this origin's styles only, images from here or
 * data: (the QR code), no framing, no referrer, nothing cached (SPEC.md, "Security floor").
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The admin console (bank staff) under /admin, for every bank's staff: the bank comes from the
 * staff account. An encapsulated Fastify plugin (its cookies, forms and HTML error pages stay
 * here); it reaches the platform only through the StaffConsole of client/. Needs
 * @fastify/rate-limit registered on the parent (buildApp does).
 */
export function adminPlugin(o: AdminOptions) {
  return async function admin(app: FastifyInstance): Promise<void> {
    await app.register(
      async (scope) => {
        await scope.register(cookie);
        await scope.register(formbody, { bodyLimit: 16 * 1024 });
        const limits = { ...DEFAULT_ADMIN_LIMITS, ...o.limits };
        const sessions = createStaffSessions({
          store: o.sessions,
          keyring: o.keyring,
          clock: o.clock,
          idleMs: o.idleMs ?? DEFAULT_ADMIN_IDLE_MS,
        });
        const checker = (max: number, prefix: string) =>
          scope.createRateLimit({
            max,
            timeWindow: 60_000,
            keyGenerator: (r) => `${prefix}:${r.adminLimitKey ?? ''}`,
          });
        const ctx = createAdminContext(o, sessions, {
          loginPerAddress: checker(limits.loginPerAddress, 'adm-login-ip'),
          loginPerLoginId: checker(limits.loginPerLoginId, 'adm-login-id'),
          totpPerStaff: checker(limits.totpPerStaff, 'adm-totp'),
          resyncPerStaff: checker(limits.resyncPerStaff, 'adm-resync'),
          passwordPerStaff: checker(limits.passwordPerStaff, 'adm-password'),
        });

        scope.decorateRequest('adminLimitKey', null);
        scope.addHook('onSend', async (_req, reply, payload) => {
          reply.header('content-security-policy', CSP);
          reply.header('x-frame-options', 'DENY');
          reply.header('x-content-type-options', 'nosniff');
          reply.header('referrer-policy', 'no-referrer');
          if (reply.getHeader('cache-control') === undefined)
            reply.header('cache-control', 'no-store');
          return payload;
        });
        scope.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
          if (isInkanError(err, 'SERVICE_BUSY')) {
            answerServiceBusy(req, reply);
            return ctx.sorry(req, reply, 503, 'unavailable');
          }
          const status =
            err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500
              ? err.statusCode
              : 500;
          if (status >= 500) req.log.error({ err }, 'admin console error');
          return ctx.sorry(req, reply, status, status >= 500 ? 'server' : 'badRequest');
        });
        scope.setNotFoundHandler((req, reply) => ctx.sorry(req, reply, 404, 'notFound'));

        scope.get('/assets/admin.css', (_req, reply) =>
          reply
            .type('text/css; charset=utf-8')
            .header('cache-control', 'public, max-age=3600')
            .send(ADMIN_CSS),
        );
        scope.get('/assets/admin.js', (_req, reply) =>
          reply
            .type('text/javascript; charset=utf-8')
            .header('cache-control', 'public, max-age=3600')
            .send(ADMIN_JS),
        );
        scope.get('/', (_req, reply) => reply.redirect('/admin/dashboard', 303));
        registerAdminLangRoute(scope, (req, reply) => ctx.sorry(req, reply, 400, 'badLanguage'));
        registerAdminLoginRoutes(scope, ctx);
        registerAdminCustomerRoutes(scope, ctx);
        registerAdminPasskeyRoutes(scope, ctx);
        registerAdminStaffRoutes(scope, ctx);
        registerAdminPasswordRoutes(scope, ctx);
        registerAdminApprovalRoutes(scope, ctx);
        registerAdminHardwareRoutes(scope, ctx);
        registerAdminOverviewRoutes(scope, ctx);
      },
      { prefix: '/admin' },
    );
  };
}
