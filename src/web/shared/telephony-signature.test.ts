import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTelephonyRequest, verifyTelephonySignature } from './telephony-signature.js';

/**
 * The worked example of Twilio's "Validating Requests are coming from Twilio"
 * (twilio.com/docs/usage/security): auth token 12345, this URL and these five POST parameters
 * sign to 0/KCTR6DLpKmkAf8muzZqo1nDgQ=. An independent oracle: the value is Twilio's, not ours.
 */
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};
const DOC_SIGNATURE = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('telephony webhook signature (Twilio scheme)', () => {
  it('matches the example of Twilio’s security documentation', () => {
    expect(signTelephonyRequest('12345', DOC_URL, DOC_PARAMS)).toBe(DOC_SIGNATURE);
    expect(verifyTelephonySignature('12345', DOC_URL, DOC_PARAMS, DOC_SIGNATURE)).toBe(true);
  });

  it('matches the older example of Twilio’s PHP helper documentation (+14158675309)', () => {
    const params = { ...DOC_PARAMS, Caller: '+14158675309', From: '+14158675309' };
    expect(signTelephonyRequest('12345', DOC_URL, params)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('sorts by name whatever order the parameters arrive in (pairs as a body gives them)', () => {
    const shuffled: [string, string][] = [
      ['To', '+18005551212'],
      ['Digits', '1234'],
      ['CallSid', 'CA1234567890ABCDE'],
      ['From', '+12349013030'],
      ['Caller', '+12349013030'],
    ];
    expect(signTelephonyRequest('12345', DOC_URL, shuffled)).toBe(DOC_SIGNATURE);
  });

  it('sorts case-sensitively, in code-unit order (uppercase before lowercase), values of a repeated name by value', () => {
    // Hand-computed with node:crypto over the string the scheme defines.
    const url = 'https://ib.example.jp/ib/webhooks/telephony/inbound';
    const expected = createHmac('sha1', 'secret')
      .update(url + 'Zeta1' + 'alpha2' + 'dupa' + 'dupb')
      .digest('base64');
    expect(
      signTelephonyRequest('secret', url, [
        ['dup', 'b'],
        ['alpha', '2'],
        ['Zeta', '1'],
        ['dup', 'a'],
      ]),
    ).toBe(expected);
  });

  it('signs UTF-8 (a caller name in Japanese)', () => {
    const url = 'https://ib.example.jp/hook';
    const expected = createHmac('sha1', Buffer.from('tok', 'utf8'))
      .update(Buffer.from(`${url}CallerName山田 太郎`, 'utf8'))
      .digest('base64');
    expect(signTelephonyRequest('tok', url, { CallerName: '山田 太郎' })).toBe(expected);
  });

  it('refuses a changed parameter, URL, query or key, a missing or short signature, an empty key', () => {
    const ok = (t: string, u: string, p: Record<string, string>, s: string | undefined) =>
      verifyTelephonySignature(t, u, p, s);
    expect(ok('12345', DOC_URL, { ...DOC_PARAMS, From: '+12349013031' }, DOC_SIGNATURE)).toBe(
      false,
    );
    expect(ok('12345', DOC_URL.replace('bar=2', 'bar=3'), DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(ok('12345', DOC_URL.replace('https:', 'http:'), DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(ok('12346', DOC_URL, DOC_PARAMS, DOC_SIGNATURE)).toBe(false);
    expect(ok('12345', DOC_URL, { ...DOC_PARAMS, Extra: '' }, DOC_SIGNATURE)).toBe(false);
    expect(ok('12345', DOC_URL, DOC_PARAMS, undefined)).toBe(false);
    expect(ok('12345', DOC_URL, DOC_PARAMS, '')).toBe(false);
    expect(ok('12345', DOC_URL, DOC_PARAMS, DOC_SIGNATURE.slice(0, -1))).toBe(false);
    expect(ok('', DOC_URL, DOC_PARAMS, signTelephonyRequest('', DOC_URL, DOC_PARAMS))).toBe(false);
  });
});
