import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError } from '../../core/index.js';
import { answerServiceBusy } from '../shared/service-busy.js';
import type { TenantInfo } from '../../client/index.js';
import { PORTAL_CSS, PORTAL_JS } from './assets.js';
import {
  DEFAULT_PORTAL_LIMITS,
  SESSION_COOKIE,
  cookieOptions,
  formField,
  localeOf,
  sameToken,
  sendPage,
  type PortalContext,
  type PortalOptions,
} from './context.js';
import { mailContact, type Messages } from './i18n/ja.js';
import { registerLangRoutes } from './routes/lang.js';
import { registerLoginRoutes } from './routes/login.js';
import { registerFlowRoutes } from './routes/flow-kit.js';
import { registerOtpRoutes } from './routes/otp.js';
import { registerPasskeyRoutes } from './routes/passkeys.js';
import { registerReplaceRoutes } from './routes/replace.js';
import { registerReissueRoutes } from './routes/reissue.js';
import { registerSettingsRoutes } from './routes/settings.js';
import { registerTransferRoutes } from './routes/transfer.js';
import { createPhoneCheckService } from './phone-check.js';
import { registerPhoneCheckRoutes } from './routes/phone-check.js';
import { createSessions, PORTAL_IDLE_MS } from './session.js';
import { messagePage } from './views/top.js';

/**
 * Security headers of every portal page: only this origin's scripts and styles, no framing, no
 * referrer leaving the bank, nothing cached (a shared computer's back button shows nothing).
 */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/**
 * The bank portal (internet banking) under /ib: the guides' screens over the platform client.
 * An encapsulated Fastify plugin: its HTML error pages, form parsing and cookies stay here, the
 * JSON API beside it is untouched.
 */
export function portalPlugin(o: PortalOptions) {
  return async function portal(app: FastifyInstance): Promise<void> {
    await app.register(
      async (scope) => {
        await scope.register(cookie);
        await scope.register(formbody, { bodyLimit: 16 * 1024 });

        const limits = { ...DEFAULT_PORTAL_LIMITS, ...o.limits };
        const sessions = createSessions({
          store: o.bank,
          keyring: o.keyring,
          clock: o.clock,
          idleMs: o.idleMs ?? PORTAL_IDLE_MS,
        });
        const checkers = {
          loginPerAddress: scope.createRateLimit({
            max: limits.loginPerAddress,
            timeWindow: 60_000,
            keyGenerator: (r) => `ib-login-ip:${r.ip}`,
          }),
          loginPerLoginId: scope.createRateLimit({
            max: limits.loginPerLoginId,
            timeWindow: 60_000,
            keyGenerator: (r) => `ib-login-id:${formField(r, 'loginId')}`,
          }),
          secretPerCustomer: scope.createRateLimit({
            max: limits.secretPerCustomer,
            timeWindow: 60_000,
            keyGenerator: (r) => `ib-secret:${r.portalKey ?? ''}`,
          }),
        };
        /**
         * A page for what went wrong outside a form, in the request's language. The language
         * switch comes back to the same URL after a GET; after a POST (whose path may have no
         * page) it leads to the page's own link.
         */
        const sorry = (
          req: FastifyRequest,
          reply: FastifyReply,
          status: number,
          what: keyof Messages['sorry'],
          to: 'top' | 'login',
          stay = req.method === 'GET',
        ) => {
          const l = localeOf(req);
          const link =
            to === 'top'
              ? { href: '/ib/top', label: l.t.common.toTop }
              : { href: '/ib/login', label: l.t.common.toLogin };
          const locale = stay ? l : { ...l, here: link.href };
          return sendPage(
            reply,
            messagePage({ locale, bankName: o.bankName, ...l.t.sorry[what], link }),
            status,
          );
        };

        let tenantCache: { value: TenantInfo; until: number } | null = null;
        const ctx: PortalContext = {
          o,
          sessions,
          limits,
          async requireLogin(req, reply) {
            const loaded = await sessions.load(req.cookies[SESSION_COOKIE]);
            if (loaded === 'expired') {
              reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
              await reply.redirect('/ib/login?timeout=1', 303);
              return null;
            }
            if (loaded === null) {
              await reply.redirect('/ib/login', 303);
              return null;
            }
            if (loaded.data.stage !== 'full') {
              await reply.redirect('/ib/login/otp', 303);
              return null;
            }
            const customer = await o.bank.customer(loaded.customerId);
            if (customer === null) {
              await sessions.destroy(loaded);
              await reply.redirect('/ib/login', 303);
              return null;
            }
            return { session: loaded, customer, locale: localeOf(req) };
          },
          checkCsrf(req, reply, s) {
            if (sameToken(formField(req, '_csrf'), s.data.csrf)) return true;
            void sorry(req, reply, 403, 'csrf', 'top');
            return false;
          },
          save: (s, data) => sessions.save(s, data),
          phoneCheck: createPhoneCheckService({
            bank: o.bank,
            clock: o.clock,
            ...(o.phoneCheckNumber === undefined ? {} : { number: o.phoneCheckNumber }),
          }),
          async tenant() {
            const now = o.clock.now();
            if (tenantCache === null || tenantCache.until <= now) {
              tenantCache = { value: await o.client.getTenant(), until: now + 5_000 };
            }
            return tenantCache.value;
          },
          greeting: (customer) => ({
            bankName: o.bankName,
            customerName: customer.name.replace(/\s+/g, ''),
            contact: mailContact(o.helpdeskPhone),
          }),
          async sendMail(to, content) {
            if (o.mailer === undefined) return false;
            try {
              await o.mailer.send({ to, ...content });
              return true;
            } catch (e) {
              (o.onMailError ?? (() => {}))(e);
              return false;
            }
          },
          notify(customer, render) {
            if (o.mailer === undefined) return;
            const content = render(ctx.greeting(customer));
            o.mailer
              .send({ to: customer.email, ...content })
              .catch((e: unknown) => (o.onMailError ?? (() => {}))(e));
          },
          async limit(req, reply, name, key) {
            req.portalKey = key;
            const r = await checkers[name](req);
            if (r.isAllowed || !r.isExceeded) return true;
            reply.header('retry-after', String(r.ttlInSeconds));
            await sorry(req, reply, 429, 'busy', 'top');
            return false;
          },
        };

        scope.decorateRequest('portalKey', null);
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
            return sorry(req, reply, 503, 'unavailable', 'top');
          }
          const status =
            err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
          if (status >= 500) req.log.error({ err }, 'portal error');
          return sorry(req, reply, status, status >= 500 ? 'server' : 'badRequest', 'top');
        });
        scope.setNotFoundHandler((req, reply) => sorry(req, reply, 404, 'notFound', 'top'));

        scope.get('/assets/portal.css', (_req, reply) =>
          reply
            .type('text/css; charset=utf-8')
            .header('cache-control', 'public, max-age=3600')
            .send(PORTAL_CSS),
        );
        scope.get('/assets/portal.js', (_req, reply) =>
          reply
            .type('text/javascript; charset=utf-8')
            .header('cache-control', 'public, max-age=3600')
            .send(PORTAL_JS),
        );
        scope.get('/', (_req, reply) => reply.redirect('/ib/top', 303));

        registerLangRoutes(scope, (req, reply) =>
          sorry(req, reply, 400, 'badLanguage', 'top', false),
        );
        registerLoginRoutes(scope, ctx);
        registerFlowRoutes(scope, ctx);
        registerOtpRoutes(scope, ctx);
        registerTransferRoutes(scope, ctx);
        registerSettingsRoutes(scope, ctx);
        registerReplaceRoutes(scope, ctx);
        registerReissueRoutes(scope, ctx);
        registerPasskeyRoutes(scope, ctx);
        await registerPhoneCheckRoutes(scope, ctx);
      },
      { prefix: '/ib' },
    );
    app.get('/', (_req, reply) => reply.redirect('/ib/login', 302));
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The key of the portal's per-customer limit for this request. */
    portalKey: string | null;
  }
}
