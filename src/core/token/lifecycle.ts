import { InkanError } from '../errors.js';
import type { EndReason, Token, TokenState, TokenType } from './token.js';

/** What can happen to a token (SPEC.md's lifecycle diagram). */
export type LifecycleEvent =
  | { readonly type: 'provision' } // アプリ初期設定
  | { readonly type: 'activate' } // 利用開始
  | { readonly type: 'end'; readonly reason: EndReason }; // 利用解除, expiry, void, replacement

/**
 * The one state machine of a token. Software: issued → provisioned → active. Hardware:
 * issued (発送) → active, with the serial and an OTP. Any live state can end; an ended token never
 * comes back (guide 001: a deactivated hardware token can never be activated again).
 * Throws TOKEN_NOT_ACTIVATABLE for a move the diagram does not have.
 */
export function nextState(type: TokenType, state: TokenState, event: LifecycleEvent): TokenState {
  switch (event.type) {
    case 'provision':
      if (type === 'software' && state === 'issued') return 'provisioned';
      break;
    case 'activate':
      if (type === 'software' && state === 'provisioned') return 'active';
      if (type === 'hardware' && state === 'issued') return 'active';
      break;
    case 'end':
      if (state !== 'ended') return 'ended';
      break;
  }
  throw new InkanError('TOKEN_NOT_ACTIVATABLE', { from: state, event: event.type });
}

/** True when `event` is allowed from the token's present state. */
export function canTransition(
  token: Pick<Token, 'type' | 'state'>,
  event: LifecycleEvent,
): boolean {
  try {
    nextState(token.type, token.state, event);
    return true;
  } catch {
    return false;
  }
}
