import { describe, expect, it } from 'vitest';
import { encodeBase32, otpauthUri } from './otpauth.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('encodeBase32 (RFC 4648 §10 test vectors, padding dropped)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j → %s', (input, expected) => {
    expect(encodeBase32(bytes(input))).toBe(expected);
  });

  it('encodes the RFC 6238 SHA1 seed as authenticator apps know it', () => {
    expect(encodeBase32(bytes('12345678901234567890'))).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});

describe('otpauthUri', () => {
  it('names issuer and account, percent-encoded, with the parameters apps read', () => {
    const uri = otpauthUri({
      issuer: 'Inkan あおぞら銀行',
      account: 'sato@hq',
      secret: bytes('12345678901234567890'),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    const u = new URL(uri);
    expect(u.protocol).toBe('otpauth:');
    expect(u.host).toBe('totp');
    expect(decodeURIComponent(u.pathname)).toBe('/Inkan あおぞら銀行:sato@hq');
    expect(u.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(u.searchParams.get('issuer')).toBe('Inkan あおぞら銀行');
    expect(u.searchParams.get('algorithm')).toBe('SHA1');
    expect(u.searchParams.get('digits')).toBe('6');
    expect(u.searchParams.get('period')).toBe('30');
    expect(uri).not.toContain(' ');
  });
});
