import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InkanError } from '../../../core/index.js';
import type { Platform, TenantCallContext } from '../../../services/index.js';
import type { RateLimits } from '../../rate-limits.js';
import { registerPasskeyRoutes } from './passkey-routes.js';
import {
  ActivateBody,
  CustomerParams,
  DeactivateBody,
  IssueBody,
  IssueReply,
  OtpBody,
  OtpReply,
  problems,
  TenantReply,
  ProvisionBody,
  ProvisionReply,
  TokenReply,
  UnlockBody,
  ReissueReply,
} from './schemas.js';
import { registerAppTransactionRoutes, registerTransactionRoutes } from './transaction-routes.js';
import { registerAppPushRoutes } from './push-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenant: { serviceId: string; keyId: string } | null;
  }
}

/** The tenant call context of an authenticated request. */
export function ctxOf(req: FastifyRequest): TenantCallContext {
  if (req.tenant === null) throw new InkanError('UNAUTHORIZED');
  return { serviceId: req.tenant.serviceId, actor: `api:${req.tenant.keyId}`, clientIp: req.ip };
}

/** The platform API of SPEC.md's contract, under /api/v1. */
export async function registerApiV1(
  app: FastifyInstance,
  platform: Platform,
  limits: RateLimits,
): Promise<void> {
  app.decorateRequest('tenant', null);

  app.get(
    '/api/v1/health',
    { schema: { tags: ['platform'], summary: 'Ready check' } },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/api/v1/time',
    { schema: { tags: ['platform'], summary: "Server time, for the app's clock check" } },
    async () => {
      const now = platform.clock.now();
      return { epochMs: now, iso: new Date(now).toISOString() };
    },
  );

  app.post(
    '/api/v1/provision',
    {
      onRequest: [limits.provisionPerAddress],
      preHandler: [limits.provisionPerToken],
      schema: {
        tags: ['app'],
        summary: 'アプリ初期設定: agree the token secret (ECDH P-256 + HKDF-SHA256); no API key',
        body: ProvisionBody,
        response: { 200: ProvisionReply, ...problems(400, 404, 409, 410, 429) },
      },
    },
    async (req) => platform.provision({ actor: 'app', clientIp: req.ip }, req.body),
  );

  registerAppTransactionRoutes(app, platform);
  registerAppPushRoutes(app, platform);

  // Tenant calls: Authorization: Bearer <tenant API key>.
  await app.register(async (tenantScope) => {
    tenantScope.addHook('onRequest', async (req) => {
      const h = req.headers.authorization;
      const m = h === undefined ? null : /^Bearer\s+(\S+)$/i.exec(h);
      const who = m?.[1] === undefined ? null : await platform.authenticate(m[1]);
      if (who === null) throw new InkanError('UNAUTHORIZED');
      req.tenant = who;
    });
    const security = [{ bearer: [] }];
    registerTransactionRoutes(tenantScope, platform, limits);
    const otpRoute = {
      onRequest: [limits.otpPerAddress],
      preHandler: [limits.otpPerCustomer],
    };

    tenantScope.get(
      '/api/v1/tenant',
      {
        schema: {
          tags: ['platform'],
          summary: "The calling bank: its サービスID, name and policy (the portal's options)",
          security,
          response: { 200: TenantReply, ...problems(401) },
        },
      },
      async (req) => {
        const t = await platform.getTenant(ctxOf(req).serviceId);
        if (t === null) throw new InkanError('UNAUTHORIZED');
        return { serviceId: t.serviceId, name: t.name, policy: t.policy };
      },
    );

    tenantScope.post(
      '/api/v1/customers/:ref/tokens',
      {
        ...otpRoute,
        schema: {
          tags: ['tokens'],
          summary: 'トークン発行: issue a software or hardware token',
          security,
          params: CustomerParams,
          body: IssueBody,
          response: { 201: IssueReply, ...problems(400, 401, 409) },
        },
      },
      async (req, reply) => {
        const r = await platform.issueToken(
          ctxOf(req),
          (req.params as { ref: string }).ref,
          req.body,
        );
        return reply.status(201).send(r);
      },
    );

    tenantScope.get(
      '/api/v1/customers/:ref/token',
      {
        schema: {
          tags: ['tokens'],
          summary: "The customer's token (登録状況)",
          security,
          params: CustomerParams,
          response: { 200: TokenReply, ...problems(401, 404) },
        },
      },
      async (req) => platform.getToken(ctxOf(req), (req.params as { ref: string }).ref),
    );

    tenantScope.post(
      '/api/v1/customers/:ref/token/activate',
      {
        ...otpRoute,
        schema: {
          tags: ['tokens'],
          summary: '利用開始: activate with the first OTP (and the serial for hardware)',
          security,
          params: CustomerParams,
          body: ActivateBody,
          response: { 200: OtpReply, ...problems(400, 401, 404, 409) },
        },
      },
      async (req) =>
        platform.activateToken(ctxOf(req), (req.params as { ref: string }).ref, req.body),
    );

    tenantScope.post(
      '/api/v1/customers/:ref/verify',
      {
        ...otpRoute,
        schema: {
          tags: ['otp'],
          summary: 'Verify an OTP (login, transfer, settings change)',
          security,
          params: CustomerParams,
          body: OtpBody,
          response: { 200: OtpReply, ...problems(400, 401, 404, 429) },
        },
      },
      async (req) => platform.verify(ctxOf(req), (req.params as { ref: string }).ref, req.body),
    );

    tenantScope.delete(
      '/api/v1/customers/:ref/token',
      {
        ...otpRoute,
        schema: {
          tags: ['tokens'],
          summary: '利用解除: with an OTP, or forced by staff on a paper request',
          security,
          params: CustomerParams,
          body: DeactivateBody,
          response: { 200: OtpReply, ...problems(400, 401, 404) },
        },
      },
      async (req) =>
        platform.deactivateToken(ctxOf(req), (req.params as { ref: string }).ref, req.body),
    );

    tenantScope.post(
      '/api/v1/customers/:ref/token/unlock',
      {
        schema: {
          tags: ['tokens'],
          summary: '閉塞解除: staff unlock a locked token',
          security,
          params: CustomerParams,
          body: UnlockBody,
          response: { 200: TokenReply, ...problems(400, 401, 404) },
        },
      },
      async (req) =>
        platform.unlockToken(ctxOf(req), (req.params as { ref: string }).ref, req.body),
    );

    registerPasskeyRoutes(tenantScope, platform, limits);
    tenantScope.post(
      '/api/v1/customers/:ref/token/reissue',
      {
        ...otpRoute,
        schema: {
          tags: ['tokens'],
          summary: 'Hardware re-issue (from 90 days before expiry, with a current OTP)',
          security,
          params: CustomerParams,
          body: OtpBody,
          response: { 200: ReissueReply, ...problems(400, 401, 404, 409) },
        },
      },
      async (req) =>
        platform.reissueHardware(ctxOf(req), (req.params as { ref: string }).ref, req.body),
    );
  });
}
