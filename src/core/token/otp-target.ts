import { InkanError } from '../errors.js';
import { canTransition } from './lifecycle.js';
import { isIssuanceExpired, isPastValidity, type Token } from './token.js';

/** Every verification result has one of these stable reason codes (SPEC.md). */
export type ReasonCode =
  'ok' | 'invalid' | 'replayed' | 'locked' | 'not_active' | 'expired' | 'no_token';

/** Which token an OTP is checked against, or the reason code that answers without checking. */
export type OtpTarget<T extends Token = Token> =
  | { readonly token: T; readonly result?: undefined }
  | {
      readonly token: T | null;
      readonly result: Exclude<ReasonCode, 'ok' | 'invalid' | 'replayed'>;
    };

function split<T extends Token>(live: readonly T[]): { active: T | null; unfinished: T | null } {
  return {
    active: live.find((t) => t.state === 'active') ?? null,
    unfinished: live.find((t) => t.state === 'issued' || t.state === 'provisioned') ?? null,
  };
}

/**
 * Verification (login, transfer, settings change) checks the 利用中 token. A locked token refuses
 * every OTP until staff unlock it; an unfinished one is `not_active` (or `expired` once its
 * issuance ran out); no live token at all is `no_token`.
 */
export function selectVerifyTarget<T extends Token>(live: readonly T[], now: number): OtpTarget<T> {
  const { active, unfinished } = split(live);
  if (active !== null) {
    if (active.locked) return { token: active, result: 'locked' };
    if (isPastValidity(active, now)) return { token: active, result: 'expired' };
    return { token: active };
  }
  if (unfinished !== null) {
    return {
      token: unfinished,
      result: isIssuanceExpired(unfinished, now) ? 'expired' : 'not_active',
    };
  }
  return { token: null, result: 'no_token' };
}

/**
 * 利用開始 checks the unfinished token (the new one during 機種変更). A software token must be set
 * up in the app first (`not_active` before). With only an active token there is nothing to
 * activate: TOKEN_NOT_ACTIVATABLE.
 */
export function selectActivationTarget<T extends Token>(
  live: readonly T[],
  now: number,
): OtpTarget<T> {
  const { active, unfinished } = split(live);
  if (unfinished === null) {
    if (active !== null) throw new InkanError('TOKEN_NOT_ACTIVATABLE', { state: 'active' });
    return { token: null, result: 'no_token' };
  }
  if (isIssuanceExpired(unfinished, now)) return { token: unfinished, result: 'expired' };
  if (unfinished.locked) return { token: unfinished, result: 'locked' };
  // The lifecycle decides: a software token must be set up in the app (provisioned) before it
  // can be activated; a hardware token is activated straight from issued (発送).
  if (!canTransition(unfinished, { type: 'activate' })) {
    return { token: unfinished, result: 'not_active' };
  }
  return { token: unfinished };
}

/** 利用解除 with an OTP checks the active token; without one there is nothing to check it with. */
export function selectDeactivationTarget<T extends Token>(
  live: readonly T[],
  now: number,
): OtpTarget<T> {
  const { active, unfinished } = split(live);
  if (active !== null) return selectVerifyTarget([active], now);
  if (
    unfinished !== null &&
    unfinished.state === 'provisioned' &&
    !isIssuanceExpired(unfinished, now)
  ) {
    return unfinished.locked ? { token: unfinished, result: 'locked' } : { token: unfinished };
  }
  return { token: unfinished, result: unfinished === null ? 'no_token' : 'not_active' };
}
