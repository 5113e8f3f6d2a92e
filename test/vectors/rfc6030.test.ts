/**
 * RFC 6030 (PSKC): the RFC's own example documents (Figures 2, 3, 5, 6 and 7, in
 * test/vectors/rfc6030/) through the PSKC reader, plus an encrypted TOTP document of Inkan's own
 * and the attacks on Figure 6: a changed ciphertext, ValueMAC or MACKey, a wrong pre-shared key,
 * and a DTD entity bomb.
 *
 * Figure 3's and Figure 6's secret is RFC 4226's test seed, so the imported keys are also run
 * through the OTP engine against RFC 4226 Appendix D and RFC 6238 Appendix B.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInkanError } from '../../src/core/index.js';
import { generateHotp, generateTotp } from '../../src/core/otp/index.js';
import { readPskc, type PskcCrypto, type PskcKey } from '../../src/core/pskc/read-pskc.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import { nodePskcCrypto } from '../../src/crypto/pskc-crypto.js';
import { RFC4226_VECTORS } from './rfc4226-vectors.js';
import { RFC6238_SEEDS, RFC6238_VECTORS } from './rfc6238-vectors.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./rfc6030/${name}`, import.meta.url), 'utf8');
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
const toHex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('hex');

/** RFC 6030 §6.1, Figure 6: the pre-shared key and what it protects. */
const FIGURE6_PSK = fromHex('12345678901234567890123456789012');
const FIGURE6_MAC_KEY = '1122334455667788990011223344556677889900';
/** The secret of Figures 3 and 6: ASCII "12345678901234567890", RFC 4226's test seed. */
const RFC_SECRET = '3132333435363738393031323334353637383930';
// Base64 in Figure 6 of the secret's CipherValue (IV 000102…0f || ciphertext) and of the
// MACKey's CipherValue (IV 112233…66 || ciphertext).
const FIGURE6_SECRET_CV = 'AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv';
const FIGURE6_MAC_KEY_CV = 'ESIzRFVmd4iZABEiM0RVZgKn6WjLaTC1sbeBMSvIhRejN9vJa2BOlSaMrR7I5wSX';
const FIGURE6_VALUE_MAC = 'Su+NvtQfmvfJzF6bmQiJqoLRExc=';

/** The RFC 4226 test key as Figures 3 and 6 describe it (HOTP, 8 digits, counter 0). */
const RFC_HOTP_KEY: PskcKey = {
  serial: '987654321',
  keyId: '12345678',
  kind: 'hotp',
  algorithm: 'SHA1',
  digits: 8,
  period: 0,
  counter: 0,
  timeDrift: 0,
  secret: fromHex(RFC_SECRET),
  validFrom: null,
  validUntil: null,
};

/** The `{ reason, keyIndex }` of the PSKC_INVALID refusal `run` must end in. */
function refusal(run: () => unknown): { reason: string; keyIndex?: number } {
  try {
    run();
  } catch (e) {
    if (isInkanError(e, 'PSKC_INVALID')) return e.extra as { reason: string; keyIndex?: number };
    throw e;
  }
  throw new Error('expected PSKC_INVALID, but the file was read');
}

/** `text` with `from` replaced once by `to`; `from` must be there. */
function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, () => to);
}

/** Base64 `value` with byte `at` XORed with `mask`. */
function flipByte(value: string, at: number, mask: number): string {
  const bytes = Buffer.from(value, 'base64');
  bytes[at] = (bytes[at] ?? 0) ^ mask;
  return bytes.toString('base64');
}

describe('RFC 6030 Figure 2 (basic container, plain)', () => {
  const xml = fixture('figure2.pskcxml');

  it('is refused: it has no DeviceInfo/SerialNo', () => {
    expect(refusal(() => readPskc(xml, { crypto: nodePskcCrypto }))).toEqual({
      reason: 'KeyPackage #0: DeviceInfo/SerialNo is missing',
      keyIndex: 0,
    });
  });

  it('is refused even given a serial and a ResponseFormat: its secret "1234" is 4 bytes', () => {
    const completed = replaceOnce(
      replaceOnce(xml, '<Key Id', '<DeviceInfo><SerialNo>987654321</SerialNo></DeviceInfo><Key Id'),
      '<Data>',
      '<AlgorithmParameters><ResponseFormat Length="8" Encoding="DECIMAL"/></AlgorithmParameters><Data>',
    );
    const refused = refusal(() => readPskc(completed, { crypto: nodePskcCrypto }));
    expect(refused.reason).toMatch(/Key\/Data\/Secret is 4 bytes; at least 16/);
  });
});

describe('RFC 6030 Figure 3 (supplementary data, plain)', () => {
  it('reads serial 987654321 and secret 3132…3930, without a pre-shared key', () => {
    expect(readPskc(fixture('figure3.pskcxml'), { crypto: nodePskcCrypto })).toEqual([
      RFC_HOTP_KEY,
    ]);
  });

  it('is refused when a pre-shared key is given: a plain secret would be a downgrade', () => {
    const refused = refusal(() =>
      readPskc(fixture('figure3.pskcxml'), { crypto: nodePskcCrypto, preSharedKey: FIGURE6_PSK }),
    );
    expect(refused).toMatchObject({ keyIndex: 0, reason: expect.stringMatching(/PlainValue/) });
  });
});

describe('RFC 6030 Figure 5 (HOTP key protected by a PIN key)', () => {
  const xml = fixture('figure5.pskcxml');

  it('is refused whole: the PIN is a second KeyPackage with the same SerialNo', () => {
    const refused = refusal(() => readPskc(xml, { crypto: nodePskcCrypto }));
    expect(refused.keyIndex).toBe(1);
    expect(refused.reason).toMatch(/SerialNo 987654321 repeats KeyPackage #0/);
  });

  it('without the PIN package, reads the HOTP key (its PIN is Local: the OTP is unchanged)', () => {
    const hotpOnly = xml.replace(
      /<KeyPackage>(?:(?!<KeyPackage>)[\s\S])*?:pin"[\s\S]*?<\/KeyPackage>/,
      '',
    );
    expect(hotpOnly).not.toBe(xml);
    expect(readPskc(hotpOnly, { crypto: nodePskcCrypto })).toEqual([RFC_HOTP_KEY]);
  });
});

describe('RFC 6030 Figure 6 (AES-128-CBC under a pre-shared key, HMAC-SHA1)', () => {
  const xml = fixture('figure6.pskcxml');
  // `null`: no pre-shared key at all.
  const read = (text: string, preSharedKey: Uint8Array | null = FIGURE6_PSK): PskcKey[] =>
    readPskc(text, { crypto: nodePskcCrypto, ...(preSharedKey !== null && { preSharedKey }) });

  it('decrypts serial 987654321 and secret 3132…3930 with key 1234…9012', () => {
    expect(read(xml)).toEqual([RFC_HOTP_KEY]);
  });

  it('holds the MAC key 1122…9900 under the pre-shared key, and the ValueMAC is over IV || ciphertext', () => {
    const cv = Buffer.from(FIGURE6_MAC_KEY_CV, 'base64');
    const macKey = nodePskcCrypto.aesCbcDecrypt(FIGURE6_PSK, cv.subarray(0, 16), cv.subarray(16));
    expect(toHex(macKey)).toBe(FIGURE6_MAC_KEY);
    const valueMac = nodePskcCrypto.hmac('SHA1', macKey, Buffer.from(FIGURE6_SECRET_CV, 'base64'));
    expect(Buffer.from(valueMac).toString('base64')).toBe(FIGURE6_VALUE_MAC);
  });

  it('gives the OTPs of RFC 4226 Appendix D as an 8-digit HOTP token', () => {
    const [key] = read(xml);
    const hmac = createNodeHmac(key?.secret ?? new Uint8Array(), 'SHA1');
    for (const v of RFC4226_VECTORS) {
      const expected = String(v.truncatedDecimal % 10 ** 8).padStart(8, '0');
      expect(generateHotp({ hmac, counter: v.count, digits: 8 })).toBe(expected);
    }
  });

  it('is refused without the pre-shared key', () => {
    expect(refusal(() => read(xml, null))).toEqual({
      reason: 'KeyPackage #0: Key/Data/Secret is encrypted; a pre-shared key is needed',
      keyIndex: 0,
    });
  });

  it('is refused with a wrong pre-shared key', () => {
    const wrong = fromHex('12345678901234567890123456789013');
    expect(refusal(() => read(xml, wrong)).reason).toMatch(/MACKey|ValueMAC/);
    expect(refusal(() => read(xml, fromHex('00'.repeat(16)))).reason).toMatch(/MACKey|ValueMAC/);
  });

  it('is refused when one byte of the secret’s CipherValue is changed, before decrypting it', () => {
    const tampered = replaceOnce(xml, FIGURE6_SECRET_CV, flipByte(FIGURE6_SECRET_CV, 40, 0x01));
    const decrypted: Uint8Array[] = [];
    const spy: PskcCrypto = {
      ...nodePskcCrypto,
      aesCbcDecrypt: (key, iv, ciphertext) => {
        decrypted.push(ciphertext);
        return nodePskcCrypto.aesCbcDecrypt(key, iv, ciphertext);
      },
    };
    const refused = refusal(() => readPskc(tampered, { crypto: spy, preSharedKey: FIGURE6_PSK }));
    expect(refused).toEqual({
      reason:
        'KeyPackage #0: Key/Data/Secret/ValueMAC does not match: the file was altered or the pre-shared key is wrong',
      keyIndex: 0,
    });
    expect(decrypted).toHaveLength(1); // the MACKey; never the forged secret
  });

  it('property: a change to any bit of the secret’s CipherValue is refused by the ValueMAC', () => {
    const length = Buffer.from(FIGURE6_SECRET_CV, 'base64').length;
    fc.assert(
      fc.property(fc.nat({ max: length - 1 }), fc.nat({ max: 7 }), (at, bit) => {
        const tampered = replaceOnce(
          xml,
          FIGURE6_SECRET_CV,
          flipByte(FIGURE6_SECRET_CV, at, 1 << bit),
        );
        expect(refusal(() => read(tampered)).reason).toMatch(/Secret\/ValueMAC does not match/);
      }),
      { numRuns: 200 },
    );
  });

  it('is refused when the ValueMAC is changed or removed', () => {
    const changed = replaceOnce(xml, FIGURE6_VALUE_MAC, flipByte(FIGURE6_VALUE_MAC, 19, 0x80));
    expect(refusal(() => read(changed)).reason).toMatch(/Secret\/ValueMAC does not match/);
    const removed = xml.replace(/<ValueMAC>[^<]*<\/ValueMAC>/, '');
    expect(refusal(() => read(removed)).reason).toMatch(/Secret\/ValueMAC is missing/);
  });

  it('property: a change to any byte of the MACKey’s CipherValue is refused', () => {
    const length = Buffer.from(FIGURE6_MAC_KEY_CV, 'base64').length;
    fc.assert(
      fc.property(fc.nat({ max: length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        const tampered = replaceOnce(
          xml,
          FIGURE6_MAC_KEY_CV,
          flipByte(FIGURE6_MAC_KEY_CV, at, mask),
        );
        // Either its padding no longer decrypts, or the MAC key is another and the ValueMAC fails.
        expect(refusal(() => read(tampered)).reason).toMatch(
          /MACMethod\/MACKey could not be decrypted|MACKey is shorter|ValueMAC does not match/,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('is refused without its MACMethod (an encrypted value needs a MAC, §6.1.1)', () => {
    const noMac = xml.replace(/<MACMethod[\s\S]*<\/MACMethod>/, '');
    expect(refusal(() => read(noMac)).reason).toMatch(/KeyContainer\/MACMethod is missing/);
  });

  it('is refused under a DTD entity bomb, before anything is parsed or decrypted', () => {
    const lol = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`,
    ).join('\n  ');
    const bomb = replaceOnce(
      xml,
      '<KeyContainer',
      `<!DOCTYPE KeyContainer [\n  <!ENTITY lol0 "lol">\n  ${lol}\n]>\n<KeyContainer`,
    ).replace('<Issuer>Issuer</Issuer>', '<Issuer>&lol9;</Issuer>');
    expect(refusal(() => read(bomb)).reason).toMatch(/DOCTYPE or ENTITY declaration/);
  });

  it('is refused with an external entity (XXE) in place of the secret', () => {
    const xxe = replaceOnce(
      xml,
      '<KeyContainer',
      '<!DOCTYPE KeyContainer [<!ENTITY s SYSTEM "file:///etc/passwd">]>\n<KeyContainer',
    );
    expect(refusal(() => read(xxe)).reason).toMatch(/DOCTYPE/);
  });
});

describe('RFC 6030 Figure 7 (key derived from a passphrase, §6.2)', () => {
  it('is refused even given the derived key: only pre-shared keys are taken', () => {
    const derived = fromHex('651e63cd57008476af1ff6422cd02e41'); // PBKDF2("qwerty"), per the RFC
    const refused = refusal(() =>
      readPskc(fixture('figure7.pskcxml'), { crypto: nodePskcCrypto, preSharedKey: derived }),
    );
    expect(refused.reason).toMatch(/EncryptionKey\/DerivedKey is not supported/);
  });
});

describe('Inkan’s own TOTP document (4 keys, AES-256-CBC, HMAC-SHA256, pskc: prefix)', () => {
  const xml = fixture('inkan-totp-aes256.pskcxml');
  const preSharedKey = fromHex('0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff');
  const seed = (a: keyof typeof RFC6238_SEEDS): Uint8Array =>
    new TextEncoder().encode(RFC6238_SEEDS[a]);
  const totp = (serial: string, keyId: string, algorithm: PskcKey['algorithm']): PskcKey => ({
    serial,
    keyId,
    kind: 'totp',
    algorithm,
    digits: 8,
    period: 30,
    counter: 0,
    timeDrift: 0,
    secret: seed(algorithm),
    validFrom: null,
    validUntil: null,
  });

  it('reads every key: serials as written, Suite, digits, step, drift and JST dates', () => {
    expect(readPskc(xml, { crypto: nodePskcCrypto, preSharedKey })).toEqual([
      totp('10000001', 'INKAN-TOTP-SHA1', 'SHA1'),
      totp('10000002', 'INKAN-TOTP-SHA256', 'SHA256'),
      totp('10000003', 'INKAN-TOTP-SHA512', 'SHA512'),
      {
        serial: '000123456789',
        keyId: 'INKAN-TOTP-60S',
        kind: 'totp',
        algorithm: 'SHA1',
        digits: 6,
        period: 60,
        counter: 0,
        timeDrift: -1,
        secret: fromHex('c0ffee00c0ffee00c0ffee00c0ffee00deadbeef'),
        validFrom: Date.UTC(2026, 2, 31, 15, 0, 0), // 2026-04-01T00:00:00+09:00
        validUntil: Date.UTC(2031, 2, 31, 14, 59, 59), // 2031-03-31T23:59:59+09:00
      },
    ]);
  });

  it('gives the OTPs of RFC 6238 Appendix B from the imported SHA1/256/512 keys', () => {
    const keys = readPskc(xml, { crypto: nodePskcCrypto, preSharedKey }).slice(0, 3);
    for (const v of RFC6238_VECTORS) {
      const key = keys.find((k) => k.algorithm === v.algorithm);
      if (key === undefined) throw new Error(`no ${v.algorithm} key`);
      const hmac = createNodeHmac(key.secret, key.algorithm);
      const otp = generateTotp({
        hmac,
        now: v.time * 1000,
        period: key.period,
        digits: key.digits,
      });
      expect(otp, `${v.algorithm} at ${v.time}`).toBe(v.totp);
    }
  });

  it('is refused whole with a wrong pre-shared key, or with more keys than maxKeys', () => {
    const wrong = Uint8Array.from(preSharedKey, (b, i) => (i === 31 ? b ^ 1 : b));
    expect(
      refusal(() => readPskc(xml, { crypto: nodePskcCrypto, preSharedKey: wrong })).reason,
    ).toMatch(/MACKey|ValueMAC/);
    expect(
      refusal(() => readPskc(xml, { crypto: nodePskcCrypto, preSharedKey, maxKeys: 3 })).reason,
    ).toMatch(/4 KeyPackages, more than the limit of 3/);
  });
});
