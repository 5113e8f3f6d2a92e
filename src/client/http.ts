import { ERRORS, InkanError, PATTERNS, type ErrorCode } from '../core/index.js';
import { isNoToken } from './is-no-token.js';
import type { PasskeyInfo, PlatformClient, TenantInfo, TokenInfo } from './platform-client.js';

/** Where the platform is and the tenant's API key. */
export interface HttpClientOptions {
  /** The platform's base URL, e.g. `https://otp.example.jp` (no trailing /api/v1). */
  readonly baseUrl: string;
  readonly serviceId: string;
  readonly apiKey: string;
  /** Per-request time limit (ms); default 10 s. */
  readonly timeoutMs?: number;
  /** For tests: a fetch of one's own. */
  readonly fetch?: typeof fetch;
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/**
 * The platform client over the platform API (SPEC.md's contract). A problem+json answer becomes
 * the same `InkanError` the in-process client throws; anything else unexpected is `INTERNAL`.
 */
export function createHttpClient(o: HttpClientOptions): PlatformClient {
  const base = o.baseUrl.replace(/\/+$/, '') + '/api/v1';
  const doFetch = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 10_000;

  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    okStatus: readonly number[] = [200],
  ): Promise<T> {
    let res: Response;
    let text: string;
    try {
      res = await doFetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${o.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Inside the try: the time limit also covers the body, whose read can fail or stall.
      text = await res.text();
    } catch (e) {
      throw new InkanError('INTERNAL', { reason: 'platform_unreachable' }, { cause: e });
    }
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (okStatus.includes(res.status) && json !== null) return json as T;
    const problem = (json ?? {}) as Record<string, unknown>;
    if (isErrorCode(problem['code'])) {
      const { type: _t, title: _ti, status: _s, code, instance: _i, ...extra } = problem;
      throw new InkanError(code as ErrorCode, extra);
    }
    throw new InkanError('INTERNAL', { reason: 'unexpected_answer', status: res.status });
  }

  /**
   * The customer's path. A ref the API refuses is refused here, as the in-process client refuses
   * it: "." and ".." (also as %2e) are dot segments that URL parsing removes (WHATWG URL,
   * "shorten path"), so `/customers/../token` would reach another route instead of being refused.
   */
  const customer = (ref: string) => {
    if (!PATTERNS.customerRef.test(ref)) {
      // The same field error as services/inputs.ts's parseCustomerRef.
      throw new InkanError('VALIDATION_FAILED', {
        errors: [{ field: 'ref', message: 'must be 1-64 letters, digits, ".", "_" or "-"' }],
      });
    }
    return `/customers/${encodeURIComponent(ref)}`;
  };
  /** A transaction's path; an ID of the wrong form names none (as the service answers). */
  const transaction = (ref: string, id: string) => {
    const path = `${customer(ref)}/transactions`;
    if (!/^[A-Za-z0-9_-]{22}$/.test(id))
      throw new InkanError('NOT_FOUND', { resource: 'transaction' });
    return `${path}/${id}`;
  };
  return {
    serviceId: o.serviceId,
    getTenant: () => call<TenantInfo>('GET', '/tenant'),
    issueToken: async (ref, req) => call('POST', `${customer(ref)}/tokens`, req, [201]),
    async getToken(ref) {
      try {
        return await call<TokenInfo>('GET', `${customer(ref)}/token`);
      } catch (e) {
        if (isNoToken(e)) return null;
        throw e;
      }
    },
    activateToken: async (ref, req) => call('POST', `${customer(ref)}/token/activate`, req),
    verify: async (ref, otp) => call('POST', `${customer(ref)}/verify`, { otp }),
    deactivateToken: async (ref, req) => call('DELETE', `${customer(ref)}/token`, req),
    unlockToken: async (ref, reason) => call('POST', `${customer(ref)}/token/unlock`, { reason }),
    reissueHardware: async (ref, req) => call('POST', `${customer(ref)}/token/reissue`, req),
    passkeyRegistrationOptions: async (req = {}) =>
      call('POST', '/passkeys/registration/options', req),
    registerPasskey: async (ref, req) => call('POST', `${customer(ref)}/passkeys`, req),
    passkeyAuthenticationOptions: async () => call('POST', '/passkeys/authentication/options', {}),
    authenticatePasskey: async (response) => call('POST', '/passkeys/authentication', { response }),
    listPasskeys: async (ref) =>
      (await call<{ passkeys: PasskeyInfo[] }>('GET', `${customer(ref)}/passkeys`)).passkeys,
    async removePasskey(ref, id) {
      if (!Number.isSafeInteger(id) || id < 1) {
        throw new InkanError('VALIDATION_FAILED', {
          errors: [{ field: 'id', message: 'must be a passkey id' }],
        });
      }
      await call('DELETE', `${customer(ref)}/passkeys/${id}`);
    },
    createTransaction: async (ref, req) =>
      call('POST', `${customer(ref)}/transactions`, req, [201]),
    getTransaction: async (ref, id) => call('GET', transaction(ref, id)),
    verifyTransactionCode: async (ref, id, code) =>
      call('POST', `${transaction(ref, id)}/verify`, { code }),
    cancelTransaction: async (ref, id) => call('POST', `${transaction(ref, id)}/cancel`, {}),
    getTransactionPolicy: async (ref) => call('GET', `${customer(ref)}/transaction-policy`),
    setTransactionPolicy: async (ref, req) =>
      call('PUT', `${customer(ref)}/transaction-policy`, req),
  };
}
