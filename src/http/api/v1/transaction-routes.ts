import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InkanError } from '../../../core/index.js';
import type { Platform, TenantCallContext } from '../../../services/index.js';
import { bodyField, rateLimitHook, type RateLimits } from '../../rate-limits.js';
import { CustomerParams, problems } from './schemas.js';
import {
  AppPendingBody,
  AppPendingReply,
  AppRespondBody,
  AppTransactionParams,
  TransactionAnswerReply,
  TransactionBody,
  TransactionCodeBody,
  TransactionParams,
  TransactionPolicyBody,
  TransactionPolicyReply,
  TransactionReply,
} from './transaction-schemas.js';

/** Requests a token app may make per minute: from one address, and for one token. */
export const APP_LIMITS = { perAddress: 600, perToken: 60 } as const;

function tenantCtx(req: FastifyRequest): TenantCallContext {
  if (req.tenant === null) throw new InkanError('UNAUTHORIZED');
  return { serviceId: req.tenant.serviceId, actor: `api:${req.tenant.keyId}`, clientIp: req.ip };
}

/**
 * The bank's 取引認証 calls (SPEC.md, "Transaction authentication"), inside the API-key scope:
 * create a transaction, read its state, verify the offline code typed into the bank's screen.
 */
export function registerTransactionRoutes(
  scope: FastifyInstance,
  platform: Platform,
  limits: RateLimits,
): void {
  const security = [{ bearer: [] }];
  scope.post(
    '/api/v1/customers/:ref/transactions',
    {
      onRequest: [limits.otpPerAddress],
      schema: {
        tags: ['transactions'],
        summary: '取引認証: a transfer to be confirmed with the token (payee and amount)',
        security,
        params: CustomerParams,
        body: TransactionBody,
        response: { 201: TransactionReply, ...problems(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      const r = await platform.transactions.create(
        tenantCtx(req),
        (req.params as { ref: string }).ref,
        req.body,
      );
      return reply.status(201).send(r);
    },
  );
  scope.get(
    '/api/v1/customers/:ref/transactions/:id',
    {
      schema: {
        tags: ['transactions'],
        summary: "The transaction's state (the bank's screen polls it while waiting)",
        security,
        params: TransactionParams,
        response: { 200: TransactionReply, ...problems(401, 404) },
      },
    },
    async (req) => {
      const p = req.params as { ref: string; id: string };
      return platform.transactions.get(tenantCtx(req), p.ref, p.id);
    },
  );
  scope.post(
    '/api/v1/customers/:ref/transactions/:id/verify',
    {
      onRequest: [limits.otpPerAddress],
      preHandler: [limits.otpPerCustomer],
      schema: {
        tags: ['transactions'],
        summary: 'The offline 取引認証コード the customer typed (8 digits, OCRA QN19-T1M)',
        security,
        params: TransactionParams,
        body: TransactionCodeBody,
        response: { 200: TransactionAnswerReply, ...problems(400, 401, 404, 429) },
      },
    },
    async (req) => {
      const p = req.params as { ref: string; id: string };
      return platform.transactions.verifyCode(tenantCtx(req), p.ref, p.id, req.body);
    },
  );
  scope.post(
    '/api/v1/customers/:ref/transactions/:id/cancel',
    {
      schema: {
        tags: ['transactions'],
        summary:
          "The customer stopped the transfer on the bank's screen (申込を中止する): pending → cancelled",
        security,
        params: TransactionParams,
        response: { 200: TransactionAnswerReply, ...problems(400, 401, 404) },
      },
    },
    async (req) => {
      const p = req.params as { ref: string; id: string };
      return platform.transactions.cancel(tenantCtx(req), p.ref, p.id);
    },
  );
  registerTransactionPolicyRoutes(scope, platform);
}

/** The per-customer rule of when 取引認証 applies (inside the API-key scope). */
function registerTransactionPolicyRoutes(scope: FastifyInstance, platform: Platform): void {
  const security = [{ bearer: [] }];
  scope.get(
    '/api/v1/customers/:ref/transaction-policy',
    {
      schema: {
        tags: ['transactions'],
        summary: "When this customer's transfers need 取引認証: the tenant's rule or their own",
        security,
        params: CustomerParams,
        response: { 200: TransactionPolicyReply, ...problems(400, 401) },
      },
    },
    async (req) =>
      platform.transactions.getPolicy(tenantCtx(req), (req.params as { ref: string }).ref),
  );
  scope.put(
    '/api/v1/customers/:ref/transaction-policy',
    {
      schema: {
        tags: ['transactions'],
        summary: "Sets the customer's own 取引認証 rule (null: back to the tenant's)",
        security,
        params: CustomerParams,
        body: TransactionPolicyBody,
        response: { 200: TransactionPolicyReply, ...problems(400, 401) },
      },
    },
    async (req) =>
      platform.transactions.setPolicy(
        tenantCtx(req),
        (req.params as { ref: string }).ref,
        req.body,
      ),
  );
}

/**
 * The token app's 取引認証 calls: no API key; every request carries an HMAC under the token key
 * over a message with a fresh time (services/transactions.ts, core/otp/app-proof.ts). Limited per
 * address and per token.
 */
export function registerAppTransactionRoutes(app: FastifyInstance, platform: Platform): void {
  const limiter = (max: number, key: (r: FastifyRequest) => string) => rateLimitHook(app, max, key);
  const perAddress = limiter(APP_LIMITS.perAddress, (r) => `app-ip:${r.ip}`);
  const perToken = limiter(
    APP_LIMITS.perToken,
    (r) => `app-token:${bodyField(r, 'serviceId')}:${bodyField(r, 'userId')}`,
  );
  const ctx = (req: FastifyRequest) => ({ actor: 'app', clientIp: req.ip });

  app.post(
    '/api/v1/app/transactions/pending',
    {
      onRequest: [perAddress],
      preHandler: [perToken],
      schema: {
        tags: ['app'],
        summary: "取引認証: the token's transactions waiting for 承認; no API key",
        body: AppPendingBody,
        response: { 200: AppPendingReply, ...problems(400, 401, 429) },
      },
    },
    async (req) => platform.transactions.appPending(ctx(req), req.body),
  );
  app.post(
    '/api/v1/app/transactions/:id/respond',
    {
      onRequest: [perAddress],
      preHandler: [perToken],
      schema: {
        tags: ['app'],
        summary: '取引認証: 承認 (with the OCRA response) or 拒否 from the app; no API key',
        params: AppTransactionParams,
        body: AppRespondBody,
        response: { 200: TransactionAnswerReply, ...problems(400, 401, 404, 429) },
      },
    },
    async (req) =>
      platform.transactions.appRespond(ctx(req), (req.params as { id: string }).id, req.body),
  );
}
