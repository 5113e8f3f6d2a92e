/**
 * Web Push subscriptions of the token app (issue 7 item 3: push wakes the app; the pull path
 * always works). A subscription is what PushManager.subscribe() returns (W3C Push API
 * §PushSubscription): the push service's endpoint and the keys of RFC 8291 §3.
 */

/** One token's subscription as stored (migration 008). */
export interface PushSubscriptionRecord {
  readonly id: number;
  readonly tokenId: number;
  /** The push service URL (RFC 8030 §5: the push resource); a capability, never logged. */
  readonly endpoint: string;
  /** The user agent's ECDH P-256 public key, base64url (RFC 8291 §3.1: 65 bytes uncompressed). */
  readonly p256dh: string;
  /** The authentication secret, base64url (RFC 8291 §3.2: 16 bytes). */
  readonly auth: string;
  readonly createdAt: number;
  readonly lastSuccessAt: number | null;
  readonly lastFailureAt: number | null;
}

/** The push subscriptions table on one connection (or transaction). */
export interface PushSubscriptionStore {
  /** Adds or replaces (same token and endpoint) a subscription; returns it. */
  upsert(s: {
    tokenId: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    now: number;
  }): Promise<PushSubscriptionRecord>;
  /** Removes the token's subscription with this endpoint; true when one was removed. */
  remove(tokenId: number, endpoint: string): Promise<boolean>;
  /** Removes a subscription by its row ID (the push service said 404/410); true when removed. */
  removeById(id: number): Promise<boolean>;
  /** Removes every subscription of these tokens (the tokens ended); how many were removed. */
  removeForTokens(tokenIds: readonly number[]): Promise<number>;
  /** The token's subscriptions. */
  forToken(tokenId: number): Promise<PushSubscriptionRecord[]>;
  /** Records the outcome of one delivery. */
  recordDelivery(id: number, ok: boolean, now: number): Promise<void>;
}

/** RFC 8291 §3.1: an uncompressed P-256 point is 65 bytes and starts 0x04. */
export const P256DH_BYTES = 65;
/** RFC 8291 §3.2: the authentication secret is 16 bytes. */
export const AUTH_SECRET_BYTES = 16;
/** The longest endpoint accepted (FCM's are about 200 characters; Mozilla's about 300). */
export const MAX_ENDPOINT_LENGTH = 1024;

/** A subscription as the app sends it, checked. */
export interface PushSubscriptionInput {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

function base64urlBytes(s: unknown, n: number): Uint8Array | null {
  // Unpadded base64url (RFC 4648 §5), as PushSubscription.toJSON() gives the keys.
  if (typeof s !== 'string' || !/^[A-Za-z0-9_-]+$/.test(s)) return null;
  if (s.length !== Math.ceil((n * 4) / 3)) return null;
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  if (bin.length !== n) return null;
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Checks `{endpoint, keys: {p256dh, auth}}` (PushSubscription.toJSON()). The endpoint must be an
 * https URL (RFC 8030 §8: push is over TLS) of at most MAX_ENDPOINT_LENGTH characters, with no
 * credentials; `allowHttp` admits http for a local fake push service in tests only. Returns the
 * field errors (empty: valid).
 */
export function checkPushSubscription(
  input: unknown,
  allowHttp = false,
): { value: PushSubscriptionInput | null; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const o =
    input !== null && typeof input === 'object' && !Array.isArray(input)
      ? (input as Record<string, unknown>)
      : null;
  if (o === null) {
    return { value: null, errors: [{ field: 'subscription', message: 'must be an object' }] };
  }
  const endpoint = o['endpoint'];
  let url: URL | null = null;
  if (
    typeof endpoint === 'string' &&
    endpoint.length <= MAX_ENDPOINT_LENGTH &&
    URL.canParse(endpoint)
  ) {
    url = new URL(endpoint);
  }
  if (
    url === null ||
    !(url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')) ||
    url.username !== '' ||
    url.password !== '' ||
    url.hash !== ''
  ) {
    errors.push({
      field: 'subscription.endpoint',
      message: `must be an https URL of at most ${MAX_ENDPOINT_LENGTH} characters`,
    });
  }
  const keys = o['keys'];
  const k =
    keys !== null && typeof keys === 'object' && !Array.isArray(keys)
      ? (keys as Record<string, unknown>)
      : {};
  const p256dh = base64urlBytes(k['p256dh'], P256DH_BYTES);
  if (p256dh === null || p256dh[0] !== 0x04) {
    errors.push({
      field: 'subscription.keys.p256dh',
      message: 'must be an uncompressed P-256 point (65 bytes, base64url)',
    });
  }
  if (base64urlBytes(k['auth'], AUTH_SECRET_BYTES) === null) {
    errors.push({ field: 'subscription.keys.auth', message: 'must be 16 bytes, base64url' });
  }
  for (const key of Object.keys(o)) {
    if (key !== 'endpoint' && key !== 'keys' && key !== 'expirationTime')
      errors.push({ field: `subscription.${key}`, message: 'is not a subscription field' });
  }
  if (errors.length > 0) return { value: null, errors };
  return {
    value: {
      endpoint: endpoint as string,
      p256dh: k['p256dh'] as string,
      auth: k['auth'] as string,
    },
    errors,
  };
}
