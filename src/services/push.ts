import { createECDH } from 'node:crypto';
import {
  InkanError,
  checkPushSubscription,
  type FieldError,
  type PushSubscriptionRecord,
} from '../core/index.js';
import { auditEvent, type CallContext, type ServiceDeps } from './deps.js';
import { authenticateApp, parseAppProof } from './transactions.js';

/** web-push, loaded when a push is first sent or keys are made: the CLI starts without it. */
const webPush = async () => (await import('web-push')).default;

/**
 * Web Push for 取引認証 (issue 7 item 3): the token app registers a push subscription with the
 * same proof of possession as its pull calls; when the bank creates a transaction the platform
 * sends a wake-up with no transaction details ({"type":"transaction"}), and the app then asks
 * for the pending transaction over the authenticated pull path. The request is made by
 * `web-push` (VAPID, RFC 8292; aes128gcm payload encryption, RFC 8291) and posted with fetch.
 */

/** The deployment's VAPID key pair and contact (RFC 8292 §2.1 `sub`). */
export interface VapidConfig {
  /** Uncompressed P-256 public key, base64url (65 bytes): the app's applicationServerKey. */
  readonly publicKey: string;
  /** The private scalar, base64url (32 bytes). */
  readonly privateKey: string;
  /** `mailto:` or `https:` (RFC 8292 §2.1). */
  readonly subject: string;
}

/** The wake-up every push carries: no payee, no amount, no ID (the app pulls the details). */
export const PUSH_WAKE_PAYLOAD = JSON.stringify({ type: 'transaction' });
/** How long the push service keeps an undelivered wake-up (s): a transaction lives 5 minutes. */
export const PUSH_TTL_SECONDS = 300;

/**
 * Checks INKAN_VAPID_PUBLIC_KEY, _PRIVATE_KEY and _SUBJECT: all or none. None: null (push off,
 * the app polls). A partial or wrong set throws an Error naming the variable, so the server
 * does not start with push half configured.
 */
export function checkVapidConfig(v: {
  publicKey: string | undefined;
  privateKey: string | undefined;
  subject: string | undefined;
}): VapidConfig | null {
  const set = [v.publicKey, v.privateKey, v.subject].filter((x) => x !== undefined && x !== '');
  if (set.length === 0) return null;
  if (set.length !== 3) {
    throw new Error(
      'Web Push needs all of INKAN_VAPID_PUBLIC_KEY, INKAN_VAPID_PRIVATE_KEY and INKAN_VAPID_SUBJECT, or none of them (`inkan push keys` makes a key pair)',
    );
  }
  const publicKey = v.publicKey as string;
  const privateKey = v.privateKey as string;
  const subject = v.subject as string;
  const pub = /^[A-Za-z0-9_-]+$/.test(publicKey) ? Buffer.from(publicKey, 'base64url') : null;
  if (pub === null || pub.length !== 65 || pub[0] !== 0x04) {
    throw new Error(
      'INKAN_VAPID_PUBLIC_KEY must be an uncompressed P-256 public key, base64url without padding (65 bytes)',
    );
  }
  const priv = /^[A-Za-z0-9_-]+$/.test(privateKey) ? Buffer.from(privateKey, 'base64url') : null;
  if (priv === null || priv.length !== 32) {
    throw new Error(
      'INKAN_VAPID_PRIVATE_KEY must be a P-256 private key, base64url without padding (32 bytes)',
    );
  }
  let derived: Buffer;
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(priv);
    derived = ecdh.getPublicKey();
  } catch {
    throw new Error('INKAN_VAPID_PRIVATE_KEY is not a valid P-256 private key');
  }
  if (!derived.equals(pub)) {
    throw new Error('INKAN_VAPID_PUBLIC_KEY is not the public key of INKAN_VAPID_PRIVATE_KEY');
  }
  const ok =
    (/^mailto:[^\s@]+@[^\s@]+$/.test(subject) && URL.canParse(subject)) ||
    (/^https:\/\/[^/\s]/.test(subject) && URL.canParse(subject));
  if (!ok) {
    throw new Error(
      'INKAN_VAPID_SUBJECT must be a mailto: address or an https: URL (RFC 8292 §2.1)',
    );
  }
  return Object.freeze({ publicKey, privateKey, subject });
}

/** A new VAPID key pair (`inkan push keys`), from web-push (P-256, base64url). */
export async function generateVapidKeys(): Promise<{ publicKey: string; privateKey: string }> {
  return (await webPush()).generateVAPIDKeys();
}

/** Options of the push service. */
export interface PushOptions {
  /** Null: push is off; the app polls (the pull path always works). */
  readonly vapid: VapidConfig | null;
  /** Logs a failed delivery (never the endpoint or keys: the endpoint is a capability). */
  readonly onError: (e: unknown) => void;
  /**
   * Admits http:// endpoints, for a local fake push service in tests. Never set from the
   * environment: production accepts https endpoints only (RFC 8030 §8).
   */
  readonly allowHttpEndpoints?: boolean;
  /** Time limit of one delivery (ms). */
  readonly timeoutMs?: number;
}

function subscriptionOf(body: Record<string, unknown>, allowHttp: boolean) {
  const r = checkPushSubscription(body['subscription'], allowHttp);
  if (r.value === null)
    throw new InkanError('VALIDATION_FAILED', { errors: r.errors as FieldError[] });
  return r.value;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: '', message: 'the body must be a JSON object' }],
    });
  }
  return body as Record<string, unknown>;
}

/** The endpoint's origin only, for logs and audit (the path is the secret part). */
function originOf(endpoint: string): string {
  return URL.canParse(endpoint) ? new URL(endpoint).origin : '';
}

/** Builds the push service: key, subscribe, unsubscribe, wake and flush. */
export function createPushService(deps: ServiceDeps, o: PushOptions) {
  const allowHttp = o.allowHttpEndpoints === true;
  const inflight = new Set<Promise<void>>();

  async function deliver(s: PushSubscriptionRecord, vapid: VapidConfig): Promise<void> {
    const details = (await webPush()).generateRequestDetails(
      { endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } },
      PUSH_WAKE_PAYLOAD,
      {
        vapidDetails: vapid,
        TTL: PUSH_TTL_SECONDS,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      },
    );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) headers[k] = String(v);
    let status = 0;
    try {
      const res = await fetch(s.endpoint, {
        method: 'POST',
        headers,
        body: details.body as Uint8Array<ArrayBuffer> | null,
        redirect: 'error',
        signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (e) {
      // The fetch error may quote the URL: only its kind and the origin are logged.
      o.onError(
        new Error(
          `push to ${originOf(s.endpoint)} failed: ${e instanceof Error ? e.name : 'error'}`,
        ),
      );
      await deps.store.pushSubscriptions().recordDelivery(s.id, false, deps.clock.now());
      return;
    }
    const now = deps.clock.now();
    if (status === 404 || status === 410) {
      // RFC 8030 §7.3: the subscription is gone; forget it.
      if (await deps.store.pushSubscriptions().removeById(s.id)) {
        const token = await deps.store.getToken(s.tokenId);
        await deps.store.appendAudit(
          auditEvent(
            deps,
            { actor: 'system', clientIp: null, serviceId: token?.serviceId ?? null },
            {
              action: 'push.unsubscribed',
              tokenId: s.tokenId,
              result: 'gone',
              detail: { origin: originOf(s.endpoint), status },
            },
          ),
        );
        deps.auditWritten();
      }
      return;
    }
    const ok = status >= 200 && status < 300;
    await deps.store.pushSubscriptions().recordDelivery(s.id, ok, now);
    if (!ok) o.onError(new Error(`push to ${originOf(s.endpoint)} answered ${status}`));
  }

  async function wakeNow(tokenId: number): Promise<void> {
    const vapid = o.vapid;
    if (vapid === null) return;
    const subs = await deps.store.pushSubscriptions().forToken(tokenId);
    await Promise.all(
      subs.map((s) =>
        deliver(s, vapid).catch((e: unknown) =>
          o.onError(
            new Error(
              `push to ${originOf(s.endpoint)} failed: ${e instanceof Error ? e.message.slice(0, 200) : 'error'}`,
            ),
          ),
        ),
      ),
    );
  }

  async function authenticated(ctx: CallContext, body: unknown, subscribe: boolean) {
    const b = asObject(body);
    const endpoint = subscribe
      ? subscriptionOf(b, allowHttp)
      : typeof b['endpoint'] === 'string' && b['endpoint'].length <= 1024
        ? { endpoint: b['endpoint'], p256dh: '', auth: '' }
        : null;
    if (endpoint === null) {
      throw new InkanError('VALIDATION_FAILED', {
        errors: [{ field: 'endpoint', message: 'must be the subscription endpoint' }],
      });
    }
    const p = parseAppProof(b);
    const app = await authenticateApp(
      deps,
      ctx,
      p,
      subscribe ? 'push-subscribe' : 'push-unsubscribe',
      endpoint.endpoint,
    );
    return { app, sub: endpoint };
  }

  return {
    /** The VAPID public key the app subscribes with (applicationServerKey), or null: push off. */
    publicKey: (): string | null => o.vapid?.publicKey ?? null,

    /**
     * POST /app/push/subscription: stores the subscription of the proving token (not an ended
     * one). The proof binds the endpoint. Audited as `push.subscribed` (origin only).
     */
    async subscribe(ctx: CallContext, body: unknown): Promise<{ subscribed: true }> {
      // Push off: nothing to subscribe to (the app sees a null key and offers no control).
      if (o.vapid === null) throw new InkanError('NOT_FOUND', { resource: 'push' });
      const { app, sub } = await authenticated(ctx, body, true);
      // A token set up in the app but not yet 利用中 may subscribe (wake-ups go to the active
      // token only); an ended one may not.
      if (app.token.state === 'ended')
        throw new InkanError('NO_ACTIVE_TOKEN', { reason: 'not_active' });
      const now = deps.clock.now();
      await deps.store.transaction(async (tx) => {
        await tx.pushSubscriptions().upsert({ tokenId: app.token.id, ...sub, now });
        await tx.appendAudit(
          auditEvent(deps, app.ctx, {
            action: 'push.subscribed',
            tokenId: app.token.id,
            result: 'ok',
            detail: { origin: originOf(sub.endpoint) },
          }),
        );
      });
      deps.auditWritten();
      return { subscribed: true };
    },

    /** DELETE /app/push/subscription: removes it (the customer turned the notices off). */
    async unsubscribe(ctx: CallContext, body: unknown): Promise<{ removed: boolean }> {
      const { app, sub } = await authenticated(ctx, body, false);
      const removed = await deps.store.transaction(async (tx) => {
        const gone = await tx.pushSubscriptions().remove(app.token.id, sub.endpoint);
        await tx.appendAudit(
          auditEvent(deps, app.ctx, {
            action: 'push.unsubscribed',
            tokenId: app.token.id,
            result: gone ? 'ok' : 'none',
            detail: { origin: originOf(sub.endpoint) },
          }),
        );
        return gone;
      });
      deps.auditWritten();
      return { removed };
    },

    /** Sends the wake-up to the token's subscriptions in the background (createTransaction's hook). */
    wake(tokenId: number): void {
      if (o.vapid === null) return;
      const p = wakeNow(tokenId).catch((e: unknown) =>
        o.onError(new Error(`push failed: ${e instanceof Error ? e.name : 'error'}`)),
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    },

    /** Waits for the deliveries under way (tests, shutdown). */
    async flush(): Promise<void> {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}

/** The push service. */
export type PushService = ReturnType<typeof createPushService>;
