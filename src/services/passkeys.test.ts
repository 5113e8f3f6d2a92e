import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.js';
import { checkWebAuthnConfig, webAuthnFromUrl } from './passkeys.js';

describe('生体認証ログイン configuration (RP ID and origins per deployment)', () => {
  it('defaults to the public URL: RP ID its host, origin its origin', () => {
    const c = readConfig({ INKAN_PUBLIC_URL: 'https://ib.aozora.example.jp/' });
    expect([c.webauthnRpId, c.webauthnOrigins, c.webauthnExplicit]).toEqual([
      'ib.aozora.example.jp',
      ['https://ib.aozora.example.jp'],
      false,
    ]);
    const d = readConfig({ PORT: '4000' });
    expect([d.webauthnRpId, d.webauthnOrigins]).toEqual(['localhost', ['http://localhost:4000']]);
  });

  it('takes an RP ID shared by the app and the portal, with several origins under it', () => {
    const c = readConfig({
      INKAN_WEBAUTHN_RP_ID: 'aozora.example.jp',
      INKAN_WEBAUTHN_ORIGINS: 'https://ib.aozora.example.jp, https://otp.aozora.example.jp/',
    });
    expect(c.webauthnExplicit).toBe(true);
    expect(checkWebAuthnConfig(c.webauthnRpId, c.webauthnOrigins)).toEqual({
      rpId: 'aozora.example.jp',
      rpName: 'Inkan',
      origins: ['https://ib.aozora.example.jp', 'https://otp.aozora.example.jp'],
    });
  });

  it('refuses what no browser accepts (WebAuthn §5.1.4.1; secure contexts)', () => {
    const bad: [string, string[]][] = [
      ['127.0.0.1', ['http://127.0.0.1:3000']],
      ['aozora.example.jp', ['https://evil.example']],
      ['aozora.example.jp', ['http://ib.aozora.example.jp']],
      ['aozora.example.jp', ['https://xaozora.example.jp']],
      ['aozora.example.jp', ['https://ib.aozora.example.jp/path']],
      ['aozora.example.jp', []],
      ['Bad Domain', ['https://ib.aozora.example.jp']],
    ];
    for (const [rpId, origins] of bad) {
      expect(() => checkWebAuthnConfig(rpId, origins), `${rpId} ${origins.join()}`).toThrow();
    }
    expect(checkWebAuthnConfig('localhost', ['http://localhost:3000']).rpId).toBe('localhost');
  });

  it('webAuthnFromUrl takes the host and origin of a URL', () => {
    expect(webAuthnFromUrl('http://localhost:3000/x')).toMatchObject({
      rpId: 'localhost',
      origins: ['http://localhost:3000'],
    });
  });
});
