/**
 * RFC 6287 Appendix C: every test vector through the public OCRA engine (`core/otp`), over
 * Inkan's Node HMAC and over WebCrypto (the PWA's path), plus strict suite parsing.
 */
import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildOcraDataInput,
  generateOcra,
  generateOcraAsync,
  parseOcraSuite,
} from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import {
  APPENDIX_C_TIME_STEP,
  PIN_1234_SHA1,
  RFC6287_VECTORS,
  standardKey,
} from './rfc6287/appendix-c.js';

describe('RFC 6287 Appendix C', () => {
  it('has every row: 40 in C.1, 20 in C.2, 10 in C.3', () => {
    const count = (s: string): number => RFC6287_VECTORS.filter((v) => v.section === s).length;
    expect([count('C.1'), count('C.2'), count('C.3')]).toEqual([40, 20, 10]);
  });

  it('the PIN hash is SHA-1("1234") and the time is Mar 25 2008 12:06 UTC in minutes', () => {
    expect(createHash('sha1').update('1234').digest('hex')).toBe(PIN_1234_SHA1);
    expect(APPENDIX_C_TIME_STEP).toBe(Math.floor(Date.UTC(2008, 2, 25, 12, 6, 30) / 60_000));
  });

  describe.each(RFC6287_VECTORS.map((v, i) => ({ ...v, i })))(
    '$section $suite Q=$question',
    (v) => {
      const { section: _s, keyBytes, response, i: _i, ...input } = v;
      const suite = parseOcraSuite(v.suite);

      it(`= ${response} (Node HMAC)`, () => {
        const hmac = createNodeHmac(standardKey(keyBytes), suite.hash);
        expect(generateOcra({ ...input, hmac })).toBe(response);
      });

      it(`= ${response} (WebCrypto HMAC, as in the token app)`, async () => {
        const name = { SHA1: 'SHA-1', SHA256: 'SHA-256', SHA512: 'SHA-512' }[suite.hash];
        const key = await webcrypto.subtle.importKey(
          'raw',
          standardKey(keyBytes),
          { name: 'HMAC', hash: name },
          false,
          ['sign'],
        );
        const hmac = async (m: Uint8Array): Promise<Uint8Array> =>
          new Uint8Array(await webcrypto.subtle.sign('HMAC', key, m));
        await expect(generateOcraAsync({ ...input, hmac })).resolves.toBe(response);
      });
    },
  );

  it('T from a time: 2008-03-25 12:06:30 UTC in T1M gives the C.1 time-based vector', () => {
    const hmac = createNodeHmac(standardKey(64), 'SHA512');
    const now = Date.UTC(2008, 2, 25, 12, 6, 30);
    expect(
      generateOcra({ suite: 'OCRA-1:HOTP-SHA512-8:QN08-T1M', hmac, question: '00000000', now }),
    ).toBe('95209754');
  });
});

describe('DataInput layout (RFC 6287 §5.2)', () => {
  it('suite bytes, 00, C (8), Q (128), P (20), S (64), T (8)', () => {
    const suite = 'OCRA-1:HOTP-SHA1-6:C-QH04-PSHA1-S064-T30S';
    const data = buildOcraDataInput(suite, {
      counter: 0x0102,
      question: 'abc',
      passwordHash: PIN_1234_SHA1,
      sessionInformation: 'ff',
      timeStep: 7,
    });
    expect(data.length).toBe(suite.length + 1 + 8 + 128 + 20 + 64 + 8);
    expect(new TextDecoder().decode(data.subarray(0, suite.length))).toBe(suite);
    let at = suite.length;
    expect(data[at]).toBe(0);
    at += 1;
    expect(Array.from(data.subarray(at, at + 8))).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    at += 8;
    // Q: hex left-aligned, an odd digit count leaves the low nibble 0.
    expect(Array.from(data.subarray(at, at + 3))).toEqual([0xab, 0xc0, 0]);
    at += 128;
    expect(Buffer.from(data.subarray(at, at + 20)).toString('hex')).toBe(PIN_1234_SHA1);
    at += 20;
    // S: right-aligned (left-padded with zeros).
    expect(data[at + 63]).toBe(0xff);
    expect(data.subarray(at, at + 63).every((b) => b === 0)).toBe(true);
    at += 64;
    expect(Array.from(data.subarray(at, at + 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 7]);
  });

  it('QN: the decimal question is converted to hex (RFC 6287 §5.2)', () => {
    const data = buildOcraDataInput('OCRA-1:HOTP-SHA1-6:QN08', { question: '11111111' });
    const q = data.subarray('OCRA-1:HOTP-SHA1-6:QN08'.length + 1);
    // 11111111 = 0xA98AC7
    expect(Array.from(q.subarray(0, 4))).toEqual([0xa9, 0x8a, 0xc7, 0]);
  });
});

describe('strict suite parsing', () => {
  it('parses every field', () => {
    expect(parseOcraSuite('OCRA-1:HOTP-SHA256-0:C-QA64-PSHA512-S128-T48H')).toMatchObject({
      hash: 'SHA256',
      digits: 0,
      counter: true,
      question: { format: 'A', length: 64 },
      password: { hash: 'SHA512', bytes: 64 },
      sessionBytes: 128,
      timeStepSeconds: 48 * 3600,
    });
    expect(parseOcraSuite('OCRA-1:HOTP-SHA1-8:QN08-T1M').timeStepSeconds).toBe(60);
    expect(parseOcraSuite('OCRA-1:HOTP-SHA1-8:QH40-T30S').timeStepSeconds).toBe(30);
  });

  it.each([
    '',
    'OCRA-2:HOTP-SHA1-6:QN08',
    'OCRA-1:HOTP-SHA1-6',
    'OCRA-1:HOTP-SHA1-6:QN08:X',
    'OCRA-1:SOTP-SHA1-6:QN08',
    'OCRA-1:HOTP-SHA1024-6:QN08',
    'OCRA-1:HOTP-SHA1-3:QN08',
    'OCRA-1:HOTP-SHA1-11:QN08',
    'OCRA-1:HOTP-SHA1-06:QN08',
    'OCRA-1:HOTP-SHA1-6:QR08',
    'OCRA-1:HOTP-SHA1-6:QN03',
    'OCRA-1:HOTP-SHA1-6:QN65',
    'OCRA-1:HOTP-SHA1-6:QN8',
    'OCRA-1:HOTP-SHA1-6:C',
    'OCRA-1:HOTP-SHA1-6:QN08-C',
    'OCRA-1:HOTP-SHA1-6:C-C-QN08',
    'OCRA-1:HOTP-SHA1-6:QN08-PMD5',
    'OCRA-1:HOTP-SHA1-6:QN08-S64',
    'OCRA-1:HOTP-SHA1-6:QN08-S000',
    'OCRA-1:HOTP-SHA1-6:QN08-T0M',
    'OCRA-1:HOTP-SHA1-6:QN08-T60S',
    'OCRA-1:HOTP-SHA1-6:QN08-T0H',
    'OCRA-1:HOTP-SHA1-6:QN08-T49H',
    'OCRA-1:HOTP-SHA1-6:QN08-T1D',
    'OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1',
    'OCRA-1:HOTP-SHA1-6:QN08-T1M-T1M',
    'ocra-1:hotp-sha1-6:qn08',
  ])('rejects %j', (suite) => {
    expect(() => parseOcraSuite(suite)).toThrow(RangeError);
  });

  it('rejects input that does not fit the suite', () => {
    const hmac = createNodeHmac(standardKey(20), 'SHA1');
    const suite = 'OCRA-1:HOTP-SHA1-6:QN08';
    expect(() => generateOcra({ suite, hmac, question: '12ab' })).toThrow(RangeError);
    expect(() => generateOcra({ suite, hmac, question: '' })).toThrow(RangeError);
    expect(() => generateOcra({ suite, hmac, question: '1', counter: 1 })).toThrow(RangeError);
    expect(() => generateOcra({ suite, hmac, question: '1', now: 0 })).toThrow(RangeError);
    expect(() => generateOcra({ suite: 'OCRA-1:HOTP-SHA1-6:QH08', hmac, question: 'xyz' })).toThrow(
      RangeError,
    );
    expect(() =>
      generateOcra({ suite: 'OCRA-1:HOTP-SHA1-6:QA08', hmac, question: '振込' }),
    ).toThrow(RangeError);
    expect(() => generateOcra({ suite: 'OCRA-1:HOTP-SHA1-6:C-QN08', hmac, question: '1' })).toThrow(
      RangeError,
    );
    expect(() =>
      generateOcra({
        suite: 'OCRA-1:HOTP-SHA1-6:QN08-PSHA1',
        hmac,
        question: '1',
        passwordHash: 'ab',
      }),
    ).toThrow(RangeError);
    // An HMAC of another hash than the suite's is misuse.
    expect(() => generateOcra({ suite: 'OCRA-1:HOTP-SHA256-6:QN08', hmac, question: '1' })).toThrow(
      RangeError,
    );
  });

  it('t = 0: the full HMAC in hex (RFC 6287 §5.2, no truncation)', () => {
    const hmac = createNodeHmac(standardKey(20), 'SHA1');
    const out = generateOcra({ suite: 'OCRA-1:HOTP-SHA1-0:QN08', hmac, question: '0' });
    expect(out).toMatch(/^[0-9a-f]{40}$/);
  });
});
