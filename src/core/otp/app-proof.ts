/**
 * The token app's proof of possession for the 取引認証 calls (SPEC.md: the app is authenticated
 * by the token itself, not by a password). Lives in core/otp because the PWA imports only this
 * folder.
 */

/** What the app proves itself for: the 取引認証 calls and its Web Push subscription (issue 7). */
export type AppProofAction =
  'pending' | 'approve' | 'reject' | 'push-subscribe' | 'push-unsubscribe';

/**
 * The message the app signs to prove it holds the token's key (SPEC.md: the app is authenticated
 * by the token itself): HMAC(K, these lines joined by "\n"). `time` is the app's clock in epoch
 * ms; the platform accepts it within {@link APP_PROOF_SKEW_MS} and only if later than the last
 * time it accepted for the token, so a replayed request fails.
 */
export function appProofMessage(o: {
  action: AppProofAction;
  serviceId: string;
  userId: string;
  /** The transaction ID; for the push calls, the subscription's endpoint (bound to the proof). */
  transactionId: string;
  time: number;
}): Uint8Array {
  return new TextEncoder().encode(
    ['inkan/app-proof/v1', o.action, o.serviceId, o.userId, o.transactionId, String(o.time)].join(
      '\n',
    ),
  );
}

/** How far the app's clock may be from the platform's (ms). */
export const APP_PROOF_SKEW_MS = 120_000;
