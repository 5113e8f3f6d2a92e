import { describe, expect, it } from 'vitest';
import { isInkanError } from '../errors.js';
import {
  selectActivationTarget,
  selectDeactivationTarget,
  selectVerifyTarget,
  type OtpTarget,
} from './otp-target.js';
import { tokenFixture } from './token-fixture.test-support.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 10, 23, 3, 0, 0);

const token = tokenFixture;

const active = token({ id: 1, state: 'active', validUntil: NOW + HOUR });
const activeLocked = token({ id: 1, state: 'active', locked: true, failCount: 5 });
const activePast = token({ id: 1, state: 'active', validUntil: NOW });
const activePastLocked = token({ id: 1, state: 'active', validUntil: NOW - 1, locked: true });
const issued = token({ id: 2, state: 'issued' });
const issuedHw = token({ id: 2, state: 'issued', type: 'hardware', serial: '12345678' });
const provisioned = token({ id: 2, state: 'provisioned' });
const provisionedLocked = token({ id: 2, state: 'provisioned', locked: true });
const provisionedExpired = token({ id: 2, state: 'provisioned', expiresAt: NOW });
const provisionedExpiredLocked = token({
  id: 2,
  state: 'provisioned',
  expiresAt: NOW - 1,
  locked: true,
});
const issuedExpired = token({ id: 2, state: 'issued', expiresAt: NOW - 1 });

/** The target as `<tokenId or null>:<reason or check>`. */
function show(t: OtpTarget): string {
  return `${t.token?.id ?? 'null'}:${t.result ?? 'check'}`;
}

describe('selectVerifyTarget (login, transfer, settings change)', () => {
  it.each([
    ['no live token', [], 'null:no_token'],
    ['active', [active], '1:check'],
    ['active, no validity end', [token({ state: 'active' })], '1:check'],
    ['active, locked', [activeLocked], '1:locked'],
    ['active, past its 有効期限 (at validUntil exactly)', [activePast], '1:expired'],
    ['active, past validity and locked: locked first', [activePastLocked], '1:locked'],
    ['issued', [issued], '2:not_active'],
    ['issued hardware', [issuedHw], '2:not_active'],
    ['provisioned', [provisioned], '2:not_active'],
    ['provisioned, issuance expired', [provisionedExpired], '2:expired'],
    ['issued, issuance expired', [issuedExpired], '2:expired'],
    [
      '機種変更: active and a provisioned replacement → the active one',
      [active, provisioned],
      '1:check',
    ],
    ['機種変更, in any order', [provisioned, active], '1:check'],
    [
      '機種変更 with the active one locked → locked, not the new one',
      [provisioned, activeLocked],
      '1:locked',
    ],
  ] as const)('%s → %s', (_name, live, expected) => {
    expect(show(selectVerifyTarget(live, NOW))).toBe(expected);
  });
});

describe('selectActivationTarget (利用開始)', () => {
  it.each([
    ['no live token', [], 'null:no_token'],
    ['software issued, not set up in the app', [issued], '2:not_active'],
    ['software provisioned', [provisioned], '2:check'],
    ['hardware issued (shipped)', [issuedHw], '2:check'],
    ['provisioned, locked', [provisionedLocked], '2:locked'],
    ['provisioned, expired (at expiresAt exactly)', [provisionedExpired], '2:expired'],
    ['issued, expired', [issuedExpired], '2:expired'],
    ['expired and locked: expired first', [provisionedExpiredLocked], '2:expired'],
    ['機種変更: the new token, not the active one', [active, provisioned], '2:check'],
    [
      '機種変更 with the old one locked: the new one still activates',
      [activeLocked, provisioned],
      '2:check',
    ],
  ] as const)('%s → %s', (_name, live, expected) => {
    expect(show(selectActivationTarget(live, NOW))).toBe(expected);
  });

  it('with only an active token there is nothing to activate: TOKEN_NOT_ACTIVATABLE', () => {
    for (const t of [active, activeLocked, activePast]) {
      let thrown: unknown;
      try {
        selectActivationTarget([t], NOW);
      } catch (e) {
        thrown = e;
      }
      expect(isInkanError(thrown, 'TOKEN_NOT_ACTIVATABLE')).toBe(true);
    }
  });
});

describe('selectDeactivationTarget (利用解除 with an OTP)', () => {
  it.each([
    ['no live token', [], 'null:no_token'],
    ['active', [active], '1:check'],
    ['active, locked', [activeLocked], '1:locked'],
    ['active, past validity', [activePast], '1:expired'],
    ['provisioned (set up, not yet active)', [provisioned], '2:check'],
    ['provisioned, locked', [provisionedLocked], '2:locked'],
    ['provisioned, issuance expired', [provisionedExpired], '2:not_active'],
    ['issued (no secret yet)', [issued], '2:not_active'],
    ['issued hardware', [issuedHw], '2:not_active'],
    ['機種変更: the active token', [provisioned, active], '1:check'],
  ] as const)('%s → %s', (_name, live, expected) => {
    expect(show(selectDeactivationTarget(live, NOW))).toBe(expected);
  });
});

describe('targets never pick an ended token', () => {
  it('an ended token in the list is ignored', () => {
    const ended = token({ id: 9, state: 'ended', endReason: 'deactivated' });
    expect(show(selectVerifyTarget([ended], NOW))).toBe('null:no_token');
    expect(show(selectActivationTarget([ended], NOW))).toBe('null:no_token');
    expect(show(selectDeactivationTarget([ended], NOW))).toBe('null:no_token');
    expect(show(selectVerifyTarget([ended, active], NOW))).toBe('1:check');
  });
});
