/**
 * Rows the Store contract suites write straight into a store: the test bank, and a software
 * token as トークン発行 would insert it. One definition, so that the suites agree on them.
 */
import { DEFAULT_POLICY, type NewToken, type TenantRecord } from '../../src/core/index.js';

/** The test bank's サービスID (the one the guides use). */
export const TEST_SERVICE_ID = '10112235';

/** The test bank, created at `createdAt`, on the default policy. */
export function testBank(createdAt: number): TenantRecord {
  return { serviceId: TEST_SERVICE_ID, name: 'あおぞら銀行', policy: DEFAULT_POLICY, createdAt };
}

/** A software token of the test bank for `customerId`, issued at `issuedAt`, valid for a day. */
export function softwareTokenRow(
  customerId: number,
  issuedAt: number,
  over: Partial<NewToken> = {},
): NewToken {
  return {
    serviceId: TEST_SERVICE_ID,
    customerId,
    type: 'software',
    userId: '100000000001',
    serial: null,
    email: 'taro@example.jp',
    algorithm: 'SHA1',
    digits: 8,
    period: 60,
    passwordHash: 'scrypt$test',
    issuedAt,
    expiresAt: issuedAt + 86_400_000,
    replacesTokenId: null,
    ...over,
  };
}
