import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { InkanError } from '../core/index.js';

/** Limits on everything guessable (SPEC.md, "Security floor"), per window of one minute. */
export interface RateLimitOptions {
  /** POST /provision per client address. */
  readonly provisionPerAddress: number;
  /** POST /provision per サービスID + ユーザID (the token being set up). */
  readonly provisionPerToken: number;
  /** OTP calls (issue, activate, verify, deactivate) per client address. */
  readonly otpPerAddress: number;
  /** OTP calls per customer (the token being checked). */
  readonly otpPerCustomer: number;
  /** Addresses exempt from the per-address limits (a bank's own servers, a load test). */
  readonly allowAddresses: readonly string[];
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  provisionPerAddress: 30,
  provisionPerToken: 10,
  otpPerAddress: 6_000,
  otpPerCustomer: 30,
  allowAddresses: [],
};

/** The hooks that apply them. */
export interface RateLimits {
  provisionPerAddress: preHandlerAsyncHookHandler;
  provisionPerToken: preHandlerAsyncHookHandler;
  otpPerAddress: preHandlerAsyncHookHandler;
  otpPerCustomer: preHandlerAsyncHookHandler;
}

function field(req: FastifyRequest, name: string): string {
  const body = req.body as Record<string, unknown> | null | undefined;
  const v = body !== null && typeof body === 'object' ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * Builds the limiters on @fastify/rate-limit (in-memory per server; a shared store is the
 * plugin's `redis` option). Exceeding answers 429 RATE_LIMITED with Retry-After.
 */
export function createRateLimits(app: FastifyInstance, o: RateLimitOptions): RateLimits {
  const errorResponseBuilder = (_req: FastifyRequest, ctx: { after?: string; ttl?: number }) =>
    new InkanError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((ctx.ttl ?? 60_000) / 1000) });
  const common = { timeWindow: 60_000, errorResponseBuilder } as const;
  const allowList = (req: FastifyRequest) => o.allowAddresses.includes(req.ip);
  return {
    provisionPerAddress: app.rateLimit({
      ...common,
      max: o.provisionPerAddress,
      allowList,
      keyGenerator: (r) => `prov-ip:${r.ip}`,
      groupId: 'prov-ip',
    }),
    provisionPerToken: app.rateLimit({
      ...common,
      max: o.provisionPerToken,
      keyGenerator: (r) => `prov-token:${field(r, 'serviceId')}:${field(r, 'userId')}`,
      groupId: 'prov-token',
    }),
    otpPerAddress: app.rateLimit({
      ...common,
      max: o.otpPerAddress,
      allowList,
      keyGenerator: (r) => `otp-ip:${r.ip}`,
      groupId: 'otp-ip',
    }),
    otpPerCustomer: app.rateLimit({
      ...common,
      max: o.otpPerCustomer,
      keyGenerator: (r) =>
        `otp-customer:${r.tenant?.serviceId ?? ''}:${(r.params as { ref?: string }).ref ?? ''}`,
      groupId: 'otp-customer',
    }),
  };
}
