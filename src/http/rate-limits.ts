import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { createRequire } from 'node:module';
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

/** A string field of a JSON body ('' when absent), for limiter keys. */
export function bodyField(req: FastifyRequest, name: string): string {
  const body = req.body as Record<string, unknown> | null | undefined;
  const v = body !== null && typeof body === 'object' ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/**
 * One limiter on @fastify/rate-limit's counters (in memory, or the shared Redis given to the
 * plugin), as its own hook: the plugin's own route hooks run only the first limiter of a request,
 * which would leave a per-token limit unapplied behind a per-address one. Exceeding answers 429
 * RATE_LIMITED with Retry-After.
 */
export function rateLimitHook(
  app: FastifyInstance,
  max: number,
  keyGenerator: (r: FastifyRequest) => string,
  exempt: (r: FastifyRequest) => boolean = () => false,
): preHandlerAsyncHookHandler {
  const check = app.createRateLimit({ max, timeWindow: 60_000, keyGenerator });
  return async (req, reply) => {
    if (exempt(req)) return;
    const r = await check(req);
    if (!r.isAllowed && r.isExceeded) {
      reply.header('retry-after', String(r.ttlInSeconds));
      throw new InkanError('RATE_LIMITED', { retryAfterSeconds: r.ttlInSeconds });
    }
  };
}

/** The platform API's limiters (per minute). */
export function createRateLimits(app: FastifyInstance, o: RateLimitOptions): RateLimits {
  const limiter = (
    max: number,
    keyGenerator: (r: FastifyRequest) => string,
    exempt?: (r: FastifyRequest) => boolean,
  ) => rateLimitHook(app, max, keyGenerator, exempt);
  const allowed = (req: FastifyRequest) => o.allowAddresses.includes(req.ip);
  return {
    provisionPerAddress: limiter(o.provisionPerAddress, (r) => `prov-ip:${r.ip}`, allowed),
    provisionPerToken: limiter(
      o.provisionPerToken,
      (r) => `prov-token:${bodyField(r, 'serviceId')}:${bodyField(r, 'userId')}`,
    ),
    otpPerAddress: limiter(o.otpPerAddress, (r) => `otp-ip:${r.ip}`, allowed),
    otpPerCustomer: limiter(
      o.otpPerCustomer,
      (r) =>
        `otp-customer:${r.tenant?.serviceId ?? ''}:${(r.params as { ref?: string }).ref ?? ''}`,
    ),
  };
}

type Counted = (error: Error | null, result?: { current: number; ttl: number }) => void;
interface CounterStore {
  incr(key: string, cb: Counted, timeWindow?: number, max?: number): void;
}
const LocalStore = createRequire(import.meta.url)(
  '@fastify/rate-limit/store/LocalStore.js',
) as new (continueExceeding: boolean, exponentialBackoff: boolean, cache?: number) => CounterStore;

/**
 * Counters each limiter keeps (least recently used dropped first). The library's 5,000 let a
 * guesser push a customer's counter out, and so reset it, with 5,000 requests for other refs,
 * within one address's minute; 50,000 take more than eight addresses' minutes (about 11 MB per
 * limiter when full).
 */
const COUNTERS_KEPT = 50_000;

/**
 * @fastify/rate-limit's in-memory counters, answering each request with its own copy of the count.
 *
 * The library's LocalStore hands every caller the same mutable entry, and the plugin reads the
 * count from it only after an `await`. When a burst's requests reach a limiter in one turn of the
 * event loop (on a real server they do: they all waited on the same API-key check, and their
 * bodies are read together), every increment lands before the first read, and each request sees
 * the whole burst's count: a burst of 40 against a limit of 30 was refused whole, the customer's
 * own verification with it. A copy taken at the increment is the count that request made.
 * (The Redis store answers with a fresh object per call already.)
 */
export class SnapshotLocalStore {
  private readonly counters: CounterStore;
  /** `o`: the plugin's settings, or a limiter's merged ones (the plugin's types call them route options). */
  constructor(o: object) {
    const p = o as { continueExceeding?: unknown; exponentialBackoff?: unknown; cache?: unknown };
    this.counters = new LocalStore(
      p.continueExceeding === true,
      p.exponentialBackoff === true,
      typeof p.cache === 'number' ? p.cache : COUNTERS_KEPT,
    );
  }
  incr(key: string, cb: Counted, timeWindow?: number, max?: number): void {
    this.counters.incr(
      key,
      (err, res) => {
        if (res === undefined) cb(err);
        else cb(err, { ...res });
      },
      timeWindow,
      max,
    );
  }
  child(o: object): SnapshotLocalStore {
    return new SnapshotLocalStore(o);
  }
}
