import type { Token } from './token.js';

/** 2026-11-23 12:00 JST: the instant the domain tests reason from. */
export const FIXTURE_NOW = Date.UTC(2026, 10, 23, 3, 0, 0);
const HOUR = 3_600_000;

/** An active software token issued an hour before FIXTURE_NOW; `over` changes what a test needs. */
export function tokenFixture(over: Partial<Token> = {}): Token {
  return {
    id: 1,
    serviceId: '10112235',
    customerId: 1,
    type: 'software',
    state: 'active',
    userId: '123456789012',
    serial: null,
    email: null,
    algorithm: 'SHA1',
    digits: 8,
    period: 60,
    lastStep: null,
    failCount: 0,
    locked: false,
    lockedAt: null,
    drift: 0,
    passwordAttempts: 0,
    issuedAt: FIXTURE_NOW - HOUR,
    expiresAt: FIXTURE_NOW + 23 * HOUR,
    provisionedAt: null,
    activatedAt: null,
    validFrom: null,
    validUntil: null,
    lastUsedAt: null,
    replacesTokenId: null,
    endedAt: null,
    endReason: null,
    ...over,
  };
}
