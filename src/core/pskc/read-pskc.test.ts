/**
 * The PSKC reader (RFC 6030) on documents built here, plain and encrypted with node:crypto as
 * RFC 6030 §6.1 describes. Each refusal names its element and key; the RFC's own figures are in
 * test/vectors/rfc6030.test.ts.
 */
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodePskcCrypto } from '../../crypto/pskc-crypto.js';
import { isInkanError } from '../errors.js';
import { readPskc, type PskcCrypto, type PskcKey, type ReadPskcOptions } from './read-pskc.js';

// --- A PSKC writer for the tests ------------------------------------------------------------

type Cipher = 'aes128-cbc' | 'aes192-cbc' | 'aes256-cbc';
type Mac = 'SHA1' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512';

const CIPHER_KEY_BYTES: Record<Cipher, number> = {
  'aes128-cbc': 16,
  'aes192-cbc': 24,
  'aes256-cbc': 32,
};
const MAC_URIS: Record<Mac, string> = {
  SHA1: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
  SHA224: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha224',
  SHA256: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256',
  SHA384: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha384',
  SHA512: 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha512',
};

interface Encryption {
  readonly psk: Uint8Array;
  readonly cipher: Cipher;
  readonly mac: Mac;
  readonly macKey: Uint8Array;
}

/** One KeyPackage; `null` leaves the element or attribute out. */
interface KeySpec {
  readonly serial?: string | null;
  readonly keyId?: string | null;
  readonly kind?: string | null;
  readonly suite?: string;
  readonly length?: string | null;
  readonly encoding?: string | null;
  readonly secret?: Uint8Array;
  readonly counter?: string;
  readonly interval?: string;
  readonly drift?: string;
  readonly time?: string;
  readonly start?: string;
  readonly expiry?: string;
  readonly pinMode?: string;
}

interface DocSpec {
  readonly keys: readonly KeySpec[];
  readonly encryption?: Encryption;
  readonly version?: string | null;
  /** Namespace prefix of the PSKC elements: '' for the default namespace (RFC 6030 §4). */
  readonly prefix?: string;
}

const SECRET = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** IV || AES-CBC(key, plaintext), as in a CipherValue (RFC 6030 §6.1). */
function encrypt(cipher: Cipher, key: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const iv = randomBytes(16);
  const c = createCipheriv(cipher.replace('aes', 'aes-'), key, iv); // aes128-cbc → aes-128-cbc
  return new Uint8Array(Buffer.concat([iv, c.update(plaintext), c.final()]));
}

function mac(e: Encryption, data: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(e.mac.toLowerCase(), e.macKey).update(data).digest());
}

/** EncryptedValue and ValueMAC of `plaintext`: HMAC(MAC key, IV || ciphertext) (§6.1.1). */
function encryptedValueXml(p: string, e: Encryption, plaintext: Uint8Array): string {
  const cipherValue = encrypt(e.cipher, e.psk, plaintext);
  return `<${p}EncryptedValue>
            <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#${e.cipher}"/>
            <xenc:CipherData><xenc:CipherValue>${b64(cipherValue)}</xenc:CipherValue></xenc:CipherData>
          </${p}EncryptedValue><${p}ValueMAC>${b64(mac(e, cipherValue))}</${p}ValueMAC>`;
}

function keyPackageXml(k: KeySpec, index: number, p: string, e: Encryption | undefined): string {
  const serial = k.serial === undefined ? String(10_000_000 + index) : k.serial;
  const keyId = k.keyId === undefined ? `KEY-${index}` : k.keyId;
  const kind = k.kind === undefined ? 'totp' : k.kind;
  const length = k.length === undefined ? '8' : k.length;
  const encoding = k.encoding === undefined ? 'DECIMAL' : k.encoding;
  const secret = k.secret ?? SECRET;
  const attr = (name: string, value: string | null): string =>
    value === null ? '' : ` ${name}="${value}"`;
  const plain = (name: string, value: string | undefined): string =>
    value === undefined
      ? ''
      : `<${p}${name}><${p}PlainValue>${value}</${p}PlainValue></${p}${name}>`;
  const secretXml =
    e === undefined
      ? `<${p}PlainValue>${b64(secret)}</${p}PlainValue>`
      : encryptedValueXml(p, e, secret);
  const policy =
    k.start === undefined && k.expiry === undefined && k.pinMode === undefined
      ? ''
      : `<${p}Policy>${k.start === undefined ? '' : `<${p}StartDate>${k.start}</${p}StartDate>`}${
          k.expiry === undefined ? '' : `<${p}ExpiryDate>${k.expiry}</${p}ExpiryDate>`
        }${k.pinMode === undefined ? '' : `<${p}PINPolicy MinLength="4" PINUsageMode="${k.pinMode}"/>`}</${p}Policy>`;
  return `
  <${p}KeyPackage>
    ${serial === null ? '' : `<${p}DeviceInfo><${p}Manufacturer>Test</${p}Manufacturer><${p}SerialNo>${serial}</${p}SerialNo></${p}DeviceInfo>`}
    <${p}Key${attr('Id', keyId)}${attr('Algorithm', kind === null ? null : `urn:ietf:params:xml:ns:keyprov:pskc:${kind}`)}>
      <${p}Issuer>Inkan test</${p}Issuer>
      <${p}AlgorithmParameters>${k.suite === undefined ? '' : `<${p}Suite>${k.suite}</${p}Suite>`}<${p}ResponseFormat${attr('Length', length)}${attr('Encoding', encoding)}/></${p}AlgorithmParameters>
      <${p}Data>
        <${p}Secret>${secretXml}</${p}Secret>
        ${plain('Counter', k.counter)}${plain('Time', k.time)}${plain('TimeInterval', k.interval)}${plain('TimeDrift', k.drift)}
      </${p}Data>
      ${policy}
    </${p}Key>
  </${p}KeyPackage>`;
}

/** A whole PSKC document (RFC 6030 §4), encrypted as §6.1 says when `encryption` is given. */
function buildPskc({ keys, encryption: e, version = '1.0', prefix = '' }: DocSpec): string {
  const p = prefix === '' ? '' : `${prefix}:`;
  const xmlns = prefix === '' ? 'xmlns' : `xmlns:${prefix}`;
  const head =
    e === undefined
      ? ''
      : `<${p}EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></${p}EncryptionKey>
  <${p}MACMethod Algorithm="${MAC_URIS[e.mac]}">
    <${p}MACKey>
      <xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#${e.cipher}"/>
      <xenc:CipherData><xenc:CipherValue>${b64(encrypt(e.cipher, e.psk, e.macKey))}</xenc:CipherValue></xenc:CipherData>
    </${p}MACKey>
  </${p}MACMethod>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<${p}KeyContainer${version === null ? '' : ` Version="${version}"`} ${xmlns}="urn:ietf:params:xml:ns:keyprov:pskc"
  xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">
  ${head}${keys.map((k, i) => keyPackageXml(k, i, p, e)).join('')}
</${p}KeyContainer>
`;
}

function encryption(cipher: Cipher = 'aes128-cbc', macAlgorithm: Mac = 'SHA1'): Encryption {
  return {
    psk: randomBytes(CIPHER_KEY_BYTES[cipher]),
    cipher,
    mac: macAlgorithm,
    macKey: randomBytes(20),
  };
}

/** `xml` with `from` replaced by `to`, once; `from` must be there, or the test proves nothing. */
function replaceOnce(
  xml: string,
  from: string | RegExp,
  to: string | ((match: string, ...groups: string[]) => string),
): string {
  const changed = typeof to === 'string' ? xml.replace(from, to) : xml.replace(from, to);
  expect(changed, `pattern ${String(from)} not found`).not.toBe(xml);
  return changed;
}

const read = (xml: string, o: Partial<ReadPskcOptions> = {}): PskcKey[] =>
  readPskc(xml, { crypto: nodePskcCrypto, ...o });

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

// --- Reading -------------------------------------------------------------------------------

describe('readPskc: plain files', () => {
  it('reads a TOTP key with the defaults: SHA1, 30 s, drift 0, no dates', () => {
    const [key, ...rest] = read(buildPskc({ keys: [{ serial: '12345678', keyId: 'T-1' }] }));
    expect(rest).toEqual([]);
    expect(key).toEqual({
      serial: '12345678',
      keyId: 'T-1',
      kind: 'totp',
      algorithm: 'SHA1',
      digits: 8,
      period: 30,
      counter: 0,
      timeDrift: 0,
      secret: SECRET,
      validFrom: null,
      validUntil: null,
    });
  });

  it('reads an HOTP key: its counter, and period 0', () => {
    const [key] = read(buildPskc({ keys: [{ kind: 'hotp', counter: '42', length: '6' }] }));
    expect(key).toMatchObject({ kind: 'hotp', counter: 42, period: 0, timeDrift: 0, digits: 6 });
  });

  it('reads TimeInterval and TimeDrift of a TOTP key, and ignores a Counter there', () => {
    const [key] = read(buildPskc({ keys: [{ interval: '60', drift: '-2', counter: '7' }] }));
    expect(key).toMatchObject({ period: 60, timeDrift: -2, counter: 0 });
  });

  it.each([
    ['HMAC-SHA256', 'SHA256'],
    ['SHA512', 'SHA512'],
    ['sha-256', 'SHA256'],
    ['HMAC-SHA1', 'SHA1'],
  ] as const)('reads AlgorithmParameters/Suite %s as %s', (suite, algorithm) => {
    expect(read(buildPskc({ keys: [{ suite }] }))[0]?.algorithm).toBe(algorithm);
  });

  it('accepts 6 to 10 digits and periods of 10 to 300 s', () => {
    for (const length of ['6', '10']) {
      expect(read(buildPskc({ keys: [{ length }] }))[0]?.digits).toBe(Number(length));
    }
    for (const interval of ['10', '300']) {
      expect(read(buildPskc({ keys: [{ interval }] }))[0]?.period).toBe(Number(interval));
    }
  });

  it('keeps the serial as written (leading zeros) and accepts 8 to 12 digits', () => {
    const keys = read(
      buildPskc({
        keys: [{ serial: '00001234' }, { serial: '012345678901' }, { serial: '987654321' }],
      }),
    );
    expect(keys.map((k) => k.serial)).toEqual(['00001234', '012345678901', '987654321']);
  });

  it('reads Policy StartDate and ExpiryDate with their time zones as epoch ms', () => {
    const [key] = read(
      buildPskc({
        keys: [{ start: '2026-04-01T00:00:00+09:00', expiry: '2031-03-31T14:59:59.5Z' }],
      }),
    );
    expect(key?.validFrom).toBe(Date.UTC(2026, 2, 31, 15, 0, 0));
    expect(key?.validUntil).toBe(Date.UTC(2031, 2, 31, 14, 59, 59, 500));
  });

  it('accepts a Local PIN (the device checks it; the OTP is unchanged)', () => {
    expect(read(buildPskc({ keys: [{ pinMode: 'Local' }] }))).toHaveLength(1);
  });

  it.each(['', 'pskc', 'p', 'Q1'])(
    'reads the same key whatever the namespace prefix (%j)',
    (prefix) => {
      const [key] = read(buildPskc({ keys: [{ serial: '55555555' }], prefix }));
      expect(key).toMatchObject({ serial: '55555555', secret: SECRET });
    },
  );

  it('reads base64 spread over lines, in CDATA, after a byte order mark, and &amp; in an Id', () => {
    const xml = replaceOnce(
      buildPskc({ keys: [{ keyId: 'A&amp;B' }] }),
      `<PlainValue>${b64(SECRET)}</PlainValue>`,
      `<PlainValue><![CDATA[\n  ${b64(SECRET).slice(0, 10)}\n  ${b64(SECRET).slice(10)}\n]]></PlainValue>`,
    );
    const [key] = read(`\uFEFF${xml}`);
    expect(key).toMatchObject({ keyId: 'A&B', secret: SECRET });
  });

  it('returns the keys in document order', () => {
    const secrets = [1, 2, 3].map((n) => new Uint8Array(16).fill(n));
    const keys = read(buildPskc({ keys: secrets.map((secret) => ({ secret })) }));
    expect(keys.map((k) => k.secret)).toEqual(secrets);
    expect(keys.map((k) => k.keyId)).toEqual(['KEY-0', 'KEY-1', 'KEY-2']);
  });

  it('takes up to maxKeys keys', () => {
    const xml = buildPskc({ keys: [{}, {}, {}] });
    expect(read(xml, { maxKeys: 3 })).toHaveLength(3);
  });
});

describe('readPskc: encrypted files (RFC 6030 §6.1)', () => {
  const ciphers: readonly Cipher[] = ['aes128-cbc', 'aes192-cbc', 'aes256-cbc'];
  const macs: readonly Mac[] = ['SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];

  it.each(ciphers.flatMap((c) => macs.map((m) => [c, m] as const)))(
    'decrypts %s with an HMAC-%s ValueMAC',
    (cipher, macAlgorithm) => {
      const e = encryption(cipher, macAlgorithm);
      const secret = randomBytes(32);
      const [key] = read(buildPskc({ keys: [{ secret }], encryption: e }), { preSharedKey: e.psk });
      expect(hex(key?.secret ?? new Uint8Array())).toBe(hex(secret));
    },
  );

  it('checks each ValueMAC before it decrypts: a forged value never reaches the cipher', () => {
    const e = encryption();
    const xml = buildPskc({ keys: [{}], encryption: e });
    const cv = /<EncryptedValue>[\s\S]*?<xenc:CipherValue>([^<]+)/.exec(xml)?.[1] ?? '';
    const bytes = Buffer.from(cv, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    const decrypted: Uint8Array[] = [];
    const spy: PskcCrypto = {
      ...nodePskcCrypto,
      aesCbcDecrypt: (key, iv, ciphertext) => {
        decrypted.push(ciphertext);
        return nodePskcCrypto.aesCbcDecrypt(key, iv, ciphertext);
      },
    };
    const forged = replaceOnce(xml, cv, bytes.toString('base64'));
    expect(refusal(() => readPskc(forged, { crypto: spy, preSharedKey: e.psk })).reason).toMatch(
      /Secret\/ValueMAC does not match/,
    );
    expect(decrypted).toHaveLength(1); // the MACKey only
  });

  it('wipes the secrets it had already decrypted when a later key is refused', () => {
    const e = encryption();
    const xml = buildPskc({ keys: [{}, {}, { length: '4' }], encryption: e });
    const outputs: Uint8Array[] = [];
    const spy: PskcCrypto = {
      ...nodePskcCrypto,
      aesCbcDecrypt: (key, iv, ciphertext) => {
        const out = nodePskcCrypto.aesCbcDecrypt(key, iv, ciphertext);
        outputs.push(out);
        return out;
      },
    };
    expect(refusal(() => readPskc(xml, { crypto: spy, preSharedKey: e.psk })).keyIndex).toBe(2);
    expect(outputs).toHaveLength(3); // MAC key, secret 0, secret 1
    for (const out of outputs) expect(out.every((b) => b === 0)).toBe(true);
  });
});

// --- Refusals --------------------------------------------------------------------------------

describe('readPskc: refusals of the document as a whole', () => {
  const plain = buildPskc({ keys: [{}, {}] });

  it.each([
    ['Version 1.1', replaceOnce(plain, 'Version="1.0"', 'Version="1.1"'), /@Version/],
    ['no Version', replaceOnce(plain, ' Version="1.0"', ''), /@Version/],
    ['another root', plain.replace(/KeyContainer/g, 'KeyBox'), /root element/],
    ['two roots', `${plain}<Other/>`, /not well-formed|root element/],
    ['a file cut short', plain.slice(0, plain.lastIndexOf('<KeyPackage>') + 200), /well-formed/],
    ['mismatched tags', replaceOnce(plain, '</Issuer>', '</Issue>'), /well-formed/],
    ['not XML at all', 'serial,secret\n12345678,AAAA', /well-formed/],
    ['an empty string', '', /well-formed|root element/],
    ['no KeyPackage', plain.replace(/<KeyPackage>[\s\S]*<\/KeyPackage>/, ''), /no KeyPackage/],
    [
      'an internal DOCTYPE',
      replaceOnce(plain, '<KeyContainer', '<!DOCTYPE KeyContainer []>\n<KeyContainer'),
      /DOCTYPE/,
    ],
    [
      'an entity bomb (billion laughs)',
      replaceOnce(
        plain,
        '<KeyContainer',
        `<!DOCTYPE k [<!ENTITY a "aaaaaaaaaa">${Array.from(
          { length: 9 },
          (_, i) =>
            `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`,
        ).join('')}]>\n<KeyContainer`,
      ).replace('Inkan test', '&bbbbbbbbb;'),
      /DOCTYPE/,
    ],
    [
      'an external entity (XXE)',
      replaceOnce(
        plain,
        '<KeyContainer',
        '<!DOCTYPE k [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<KeyContainer',
      ).replace('Inkan test', '&x;'),
      /DOCTYPE/,
    ],
    [
      'a lower-case doctype',
      replaceOnce(plain, '<KeyContainer', '<!doctype x>\n<KeyContainer'),
      /DOCTYPE/,
    ],
    [
      'an element named __proto__',
      replaceOnce(plain, '<Issuer>', '<__proto__><polluted>1</polluted></__proto__><Issuer>'),
      /well-formed/,
    ],
  ])('refuses %s', (_name, xml, reason) => {
    const refused = refusal(() => read(xml));
    expect(refused.reason).toMatch(reason);
    expect(refused.keyIndex).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses more keys than maxKeys, before reading any', () => {
    const refused = refusal(() => read(buildPskc({ keys: [{}, {}, {}] }), { maxKeys: 2 }));
    expect(refused.reason).toMatch(/3 KeyPackages, more than the limit of 2/);
  });

  it('refuses EncryptionKey other than a pre-shared key name (RFC 6030 §6.3)', () => {
    const xml = replaceOnce(
      plain,
      '<KeyPackage>',
      '<EncryptionKey><ds:X509Data><ds:X509Certificate>AAAA</ds:X509Certificate></ds:X509Data></EncryptionKey><KeyPackage>',
    );
    expect(refusal(() => read(xml)).reason).toMatch(/EncryptionKey\/X509Data is not supported/);
  });

  it('is not fooled by options of the wrong type (misuse is a TypeError)', () => {
    expect(() => read(plain, { maxKeys: 0 })).toThrow(TypeError);
    expect(() => read(plain, { maxKeys: 1.5 })).toThrow(TypeError);
    expect(() => readPskc(plain, {} as ReadPskcOptions)).toThrow(TypeError);
    expect(() => readPskc(42 as unknown as string, { crypto: nodePskcCrypto })).toThrow(TypeError);
  });
});

describe('readPskc: refusals of one key, naming the element and the key', () => {
  // Each case spoils the third key (index 2) of an otherwise good plain file.
  const cases: readonly (readonly [string, KeySpec, RegExp])[] = [
    ['no DeviceInfo/SerialNo', { serial: null }, /DeviceInfo\/SerialNo is missing/],
    ['a 7-digit serial', { serial: '1234567' }, /SerialNo "1234567" is not 8-12 digits/],
    ['a 13-digit serial', { serial: '1234567890123' }, /SerialNo .* is not 8-12 digits/],
    ['a serial with a letter', { serial: '1234567A' }, /SerialNo .* is not 8-12 digits/],
    [
      'a serial in full-width digits',
      { serial: '１２３４５６７８' },
      /SerialNo .* is not 8-12 digits/,
    ],
    ['a serial seen before', { serial: '10000000' }, /SerialNo 10000000 repeats KeyPackage #0/],
    ['no Key/@Id', { keyId: null }, /Key\/@Id is missing/],
    ['no Key/@Algorithm', { kind: null }, /Key\/@Algorithm/],
    ['the pin algorithm', { kind: 'pin' }, /Key\/@Algorithm ".*:pin" is not supported/],
    ['an OCRA key', { kind: 'ocra' }, /Key\/@Algorithm/],
    ['Suite SHA224', { suite: 'HMAC-SHA224' }, /Suite "HMAC-SHA224" is not supported/],
    ['Suite MD5', { suite: 'MD5' }, /Suite/],
    ['no ResponseFormat/@Length', { length: null }, /ResponseFormat\/@Length/],
    ['5 digits', { length: '5' }, /ResponseFormat\/@Length "5" is not 6-10/],
    ['11 digits', { length: '11' }, /ResponseFormat\/@Length "11"/],
    ['8.0 digits', { length: '8.0' }, /ResponseFormat\/@Length/],
    [
      'HEXADECIMAL responses',
      { encoding: 'HEXADECIMAL' },
      /@Encoding "HEXADECIMAL" is not DECIMAL/,
    ],
    ['ALPHANUMERIC responses', { encoding: 'ALPHANUMERIC' }, /@Encoding/],
    ['no Encoding', { encoding: null }, /@Encoding/],
    ['a 15-byte secret', { secret: new Uint8Array(15) }, /Secret is 15 bytes; at least 16/],
    ['an empty secret', { secret: new Uint8Array(0) }, /Secret is 0 bytes/],
    [
      'a fractional counter',
      { kind: 'hotp', counter: '1.5' },
      /Counter "1.5" is not a non-negative integer/,
    ],
    ['a negative counter', { kind: 'hotp', counter: '-1' }, /Data\/Counter/],
    ['a counter in hex', { kind: 'hotp', counter: '0x10' }, /Data\/Counter/],
    ['an empty counter', { kind: 'hotp', counter: '' }, /Data\/Counter/],
    ['a counter past 2^53', { kind: 'hotp', counter: '18446744073709551615' }, /Data\/Counter/],
    ['a 9-second step', { interval: '9' }, /TimeInterval 9 is outside 10-300/],
    ['a 301-second step', { interval: '301' }, /TimeInterval 301/],
    ['a step in words', { interval: '30s' }, /TimeInterval "30s"/],
    ['a fractional drift', { drift: '0.5' }, /TimeDrift "0.5" is not an integer/],
    ['a TOTP T0 other than the epoch', { time: '100' }, /Data\/Time 100 is not supported/],
    ['a StartDate with no time zone', { start: '2026-04-01T00:00:00' }, /StartDate .* time zone/],
    ['a date only', { expiry: '2026-04-01' }, /ExpiryDate/],
    ['30 February', { expiry: '2026-02-30T00:00:00Z' }, /ExpiryDate .* is not a real date/],
    ['month 13', { start: '2026-13-01T00:00:00Z' }, /StartDate/],
    ['a time zone of +15:00', { start: '2026-01-01T00:00:00+15:00' }, /StartDate/],
    [
      'a StartDate after the ExpiryDate',
      { start: '2027-01-01T00:00:00Z', expiry: '2026-01-01T00:00:00Z' },
      /StartDate is after Key\/Policy\/ExpiryDate/,
    ],
    [
      'a PIN prepended to the OTP',
      { pinMode: 'Prepend' },
      /PINUsageMode "Prepend" is not supported/,
    ],
  ];

  it.each(cases)('refuses %s', (_name, spoil, reason) => {
    const refused = refusal(() => read(buildPskc({ keys: [{}, {}, spoil, {}] })));
    expect(refused.keyIndex).toBe(2);
    expect(refused.reason).toMatch(/^KeyPackage #2: /);
    expect(refused.reason).toMatch(reason);
  });

  // Changes the file's text where KeySpec cannot reach.
  const edits: readonly (readonly [string, (xml: string) => string, RegExp])[] = [
    ['no Key', (x) => replaceOnce(x, /<Key Id[\s\S]*<\/Key>/, ''), /Key is missing/],
    ['two Keys', (x) => replaceOnce(x, /(<Key Id[\s\S]*<\/Key>)/, '$1$1'), /Key appears 2 times/],
    [
      'two SerialNo',
      (x) => replaceOnce(x, /(<SerialNo>\d+<\/SerialNo>)/, '$1$1'),
      /DeviceInfo\/SerialNo appears 2 times/,
    ],
    [
      'no ResponseFormat',
      (x) => replaceOnce(x, /<ResponseFormat[^>]*\/>/, ''),
      /ResponseFormat is missing/,
    ],
    [
      'a Luhn check digit',
      (x) => replaceOnce(x, 'Encoding="DECIMAL"', 'Encoding="DECIMAL" CheckDigits="true"'),
      /CheckDigits/,
    ],
    ['no Data', (x) => replaceOnce(x, /<Data>[\s\S]*<\/Data>/, ''), /Key\/Data is missing/],
    [
      'no Secret',
      (x) => replaceOnce(x, /<Secret>[\s\S]*<\/Secret>/, ''),
      /Data\/Secret is missing/,
    ],
    [
      'a Secret with neither value',
      (x) => replaceOnce(x, /<Secret>[\s\S]*<\/Secret>/, '<Secret/>'),
      /Secret must hold exactly one of PlainValue or EncryptedValue/,
    ],
    [
      'a Secret with two PlainValues',
      (x) => replaceOnce(x, /(<PlainValue>[^<]*<\/PlainValue>)/, '$1$1'),
      /Secret\/PlainValue appears 2 times/,
    ],
    [
      'base64 with a bad character',
      (x) => replaceOnce(x, /<PlainValue>[^<]*/, '<PlainValue>AQIDBAUG!wgJCgsMDQ4PEBESExQ='),
      /Secret\/PlainValue is not valid base64/,
    ],
    [
      'base64 without its padding',
      (x) => replaceOnce(x, /<PlainValue>[^<]*/, '<PlainValue>AQIDBAUGBwgJCgsMDQ4PEBESExQ'),
      /not valid base64/,
    ],
    [
      'base64 with stray bits',
      (x) => replaceOnce(x, /<PlainValue>[^<]*/, '<PlainValue>AQIDBAUGBwgJCgsMDQ4PEBESExR='),
      /not valid base64/,
    ],
    [
      'base64 with = inside',
      (x) => replaceOnce(x, /<PlainValue>[^<]*/, '<PlainValue>AQID=AUGBwgJCgsMDQ4PEBESExQ='),
      /not valid base64/,
    ],
  ];

  it.each(edits)('refuses %s', (_name, edit, reason) => {
    const xml = buildPskc({ keys: [{}, {}, {}, {}] });
    const start = [...xml.matchAll(/<KeyPackage>/g)][2]?.index ?? -1;
    const end = xml.indexOf('</KeyPackage>', start) + '</KeyPackage>'.length;
    const refused = refusal(() =>
      read(xml.slice(0, start) + edit(xml.slice(start, end)) + xml.slice(end)),
    );
    expect(refused.keyIndex).toBe(2);
    expect(refused.reason).toMatch(/^KeyPackage #2: /);
    expect(refused.reason).toMatch(reason);
  });
});

describe('readPskc: refusals of encrypted files', () => {
  const e = encryption('aes128-cbc', 'SHA256');
  const xml = buildPskc({ keys: [{}, {}], encryption: e });
  const preSharedKey = e.psk;

  it('needs the pre-shared key', () => {
    const refused = refusal(() => read(xml));
    expect(refused).toEqual({
      reason: 'KeyPackage #0: Key/Data/Secret is encrypted; a pre-shared key is needed',
      keyIndex: 0,
    });
  });

  it('refuses a wrong pre-shared key', () => {
    const wrong = Uint8Array.from(preSharedKey, (b, i) => (i === 0 ? b ^ 0x80 : b));
    expect(refusal(() => read(xml, { preSharedKey: wrong })).reason).toMatch(/MACKey|ValueMAC/);
  });

  it('refuses a pre-shared key of the wrong length for the file, or for AES', () => {
    expect(refusal(() => read(xml, { preSharedKey: randomBytes(32) })).reason).toMatch(
      /MACMethod\/MACKey\/EncryptionMethod needs a 16-byte key; the pre-shared key has 32/,
    );
    expect(refusal(() => read(xml, { preSharedKey: randomBytes(15) })).reason).toMatch(
      /pre-shared key must be 16, 24 or 32 bytes/,
    );
  });

  it('refuses a plain secret when a pre-shared key is given (no downgrade)', () => {
    const downgraded = replaceOnce(
      xml,
      /<Secret>[\s\S]*?<\/Secret>/,
      `<Secret><PlainValue>${b64(SECRET)}</PlainValue></Secret>`,
    );
    const refused = refusal(() => read(downgraded, { preSharedKey }));
    expect(refused.keyIndex).toBe(0);
    expect(refused.reason).toMatch(/Secret is a PlainValue, but a pre-shared key was given/);
  });

  it.each([
    [
      'no MACMethod',
      (x: string) => replaceOnce(x, /<MACMethod[\s\S]*<\/MACMethod>/, ''),
      /MACMethod is missing/,
    ],
    [
      'an unknown MAC algorithm',
      (x: string) =>
        replaceOnce(x, MAC_URIS.SHA256, 'http://www.w3.org/2001/04/xmldsig-more#hmac-md5'),
      /MACMethod\/@Algorithm ".*hmac-md5" is not supported/,
    ],
    [
      'no MACKey',
      (x: string) => replaceOnce(x, /<MACKey>[\s\S]*<\/MACKey>/, ''),
      /MACKey is missing/,
    ],
    [
      'a MACKey given in the clear',
      (x: string) =>
        replaceOnce(x, /<MACKey>[\s\S]*<\/MACKey>/, `<MACKey>${b64(e.macKey)}</MACKey>`),
      /MACKey must be encrypted/,
    ],
    [
      'a short MACKey',
      (x: string) =>
        replaceOnce(
          x,
          /(<MACKey>[\s\S]*?<xenc:CipherValue>)[^<]+/,
          `$1${b64(encrypt('aes128-cbc', preSharedKey, new Uint8Array(8)))}`,
        ),
      /MACKey is shorter than 16 bytes/,
    ],
    [
      'no ValueMAC',
      (x: string) => replaceOnce(x, /<ValueMAC>[^<]*<\/ValueMAC>/, ''),
      /#0: Key\/Data\/Secret\/ValueMAC is missing/,
    ],
    [
      'a truncated ValueMAC (HMAC-SHA256-128)',
      (x: string) =>
        replaceOnce(
          x,
          /<ValueMAC>([^<]*)<\/ValueMAC>/,
          (_m: string, v: string) =>
            `<ValueMAC>${b64(Buffer.from(v, 'base64').subarray(0, 16))}</ValueMAC>`,
        ),
      /ValueMAC does not match/,
    ],
    [
      'the ValueMAC of the other key',
      (x: string) => {
        const macs = [...x.matchAll(/<ValueMAC>([^<]*)<\/ValueMAC>/g)].map((m) => m[1] ?? '');
        return replaceOnce(x, `<ValueMAC>${macs[0]}</ValueMAC>`, `<ValueMAC>${macs[1]}</ValueMAC>`);
      },
      /#0: Key\/Data\/Secret\/ValueMAC does not match/,
    ],
    [
      'a ValueMAC over the plaintext (an old draft)',
      (x: string) =>
        replaceOnce(
          x,
          /<ValueMAC>[^<]*<\/ValueMAC>/,
          `<ValueMAC>${b64(mac(e, SECRET))}</ValueMAC>`,
        ),
      /ValueMAC does not match/,
    ],
    [
      'AES key wrap instead of CBC',
      (x: string) =>
        replaceOnce(
          x,
          /(<EncryptedValue>\s*<xenc:EncryptionMethod Algorithm=")[^"]+/,
          '$1http://www.w3.org/2001/04/xmlenc#kw-aes128',
        ),
      /EncryptedValue\/EncryptionMethod\/@Algorithm ".*kw-aes128" is not supported/,
    ],
    [
      'triple DES',
      (x: string) =>
        replaceOnce(
          x,
          /(<EncryptedValue>\s*<xenc:EncryptionMethod Algorithm=")[^"]+/,
          '$1http://www.w3.org/2001/04/xmlenc#tripledes-cbc',
        ),
      /EncryptionMethod/,
    ],
    [
      'no EncryptionMethod',
      (x: string) => replaceOnce(x, /(<EncryptedValue>)\s*<xenc:EncryptionMethod[^>]*\/>/, '$1'),
      /EncryptedValue\/EncryptionMethod is missing/,
    ],
    [
      'a CipherValue of an IV alone',
      (x: string) =>
        replaceOnce(
          x,
          /(<EncryptedValue>[\s\S]*?<xenc:CipherValue>)[^<]+/,
          `$1${b64(new Uint8Array(16))}`,
        ),
      /CipherValue is not an IV followed by whole AES blocks/,
    ],
    [
      'a CipherValue cut mid-block',
      (x: string) =>
        replaceOnce(
          x,
          /(<EncryptedValue>[\s\S]*?<xenc:CipherValue>)[^<]+/,
          `$1${b64(new Uint8Array(40))}`,
        ),
      /whole AES blocks/,
    ],
    [
      'an encrypted Counter',
      (x: string) =>
        replaceOnce(
          x,
          '</Secret>',
          `</Secret><Counter>${/<EncryptedValue>[\s\S]*?<\/EncryptedValue>/.exec(x)?.[0] ?? ''}</Counter>`,
        ),
      /Data\/Counter is encrypted; only Data\/Secret may be/,
    ],
  ] as const)('refuses %s', (_name, edit, reason) => {
    expect(refusal(() => read(edit(xml), { preSharedKey })).reason).toMatch(reason);
  });
});

// --- Properties ------------------------------------------------------------------------------

const cipherArb = fc.constantFrom<Cipher>('aes128-cbc', 'aes192-cbc', 'aes256-cbc');
const macArb = fc.constantFrom<Mac>('SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512');
const serialArb = fc.stringMatching(/^[0-9]{8,12}$/);
const keyArb = fc.record({
  serial: serialArb,
  keyId: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
  kind: fc.constantFrom<'hotp' | 'totp'>('hotp', 'totp'),
  algorithm: fc.constantFrom<PskcKey['algorithm']>('SHA1', 'SHA256', 'SHA512'),
  digits: fc.integer({ min: 6, max: 10 }),
  period: fc.integer({ min: 10, max: 300 }),
  counter: fc.maxSafeNat(),
  timeDrift: fc.integer({ min: -1000, max: 1000 }),
  secret: fc.uint8Array({ minLength: 16, maxLength: 64 }),
});
type KeyDraw = typeof keyArb extends fc.Arbitrary<infer T> ? T : never;

const specOf = (k: KeyDraw): KeySpec => ({
  serial: k.serial,
  keyId: k.keyId,
  kind: k.kind,
  suite: k.algorithm,
  length: String(k.digits),
  interval: String(k.period),
  counter: String(k.counter),
  drift: String(k.timeDrift),
  secret: k.secret,
});

const expected = (k: KeyDraw): PskcKey => ({
  serial: k.serial,
  keyId: k.keyId,
  kind: k.kind,
  algorithm: k.algorithm,
  digits: k.digits,
  period: k.kind === 'totp' ? k.period : 0,
  counter: k.kind === 'hotp' ? k.counter : 0,
  timeDrift: k.kind === 'totp' ? k.timeDrift : 0,
  secret: k.secret,
  validFrom: null,
  validUntil: null,
});

describe('readPskc: properties', () => {
  it('property: what is written and encrypted is read back, every field and byte', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyArb, { minLength: 1, maxLength: 5, selector: (k) => k.serial }),
        cipherArb,
        macArb,
        fc.uint8Array({ minLength: 16, maxLength: 64 }),
        fc.constantFrom('', 'pskc', 'k'),
        (draws, cipher, macAlgorithm, macKey, prefix) => {
          const e: Encryption = {
            psk: randomBytes(CIPHER_KEY_BYTES[cipher]),
            cipher,
            mac: macAlgorithm,
            macKey,
          };
          const xml = buildPskc({ keys: draws.map(specOf), encryption: e, prefix });
          expect(read(xml, { preSharedKey: e.psk })).toEqual(draws.map(expected));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('property: plain files round-trip too', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyArb, { minLength: 1, maxLength: 5, selector: (k) => k.serial }),
        (draws) => {
          expect(read(buildPskc({ keys: draws.map(specOf) }))).toEqual(draws.map(expected));
        },
      ),
    );
  });

  it('property: a change to any byte of an encrypted secret is refused by its ValueMAC', () => {
    const e = encryption('aes256-cbc', 'SHA1');
    const xml = buildPskc({ keys: [{ secret: randomBytes(32) }], encryption: e });
    const cv = /<EncryptedValue>[\s\S]*?<xenc:CipherValue>([^<]+)/.exec(xml)?.[1] ?? '';
    const bytes = Buffer.from(cv, 'base64');
    fc.assert(
      fc.property(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, flip) => {
          const changed = Buffer.from(bytes);
          changed[at] = (changed[at] ?? 0) ^ flip;
          const tampered = replaceOnce(xml, cv, changed.toString('base64'));
          expect(refusal(() => read(tampered, { preSharedKey: e.psk })).reason).toMatch(
            /ValueMAC does not match/,
          );
        },
      ),
    );
  });

  it('property: any one-character change yields keys or PSKC_INVALID, never another error', () => {
    const e = encryption();
    const xml = buildPskc({ keys: [{}, { kind: 'hotp', counter: '5' }], encryption: e });
    fc.assert(
      fc.property(
        fc.nat({ max: xml.length - 1 }),
        fc.constantFrom('', '<', '>', '&', '"', '=', '/', 'A', '0', ' ', '\u00e9', ']]>'),
        (at, insert) => {
          const mutated = xml.slice(0, at) + insert + xml.slice(at + 1);
          try {
            read(mutated, { preSharedKey: e.psk });
          } catch (err) {
            expect(isInkanError(err, 'PSKC_INVALID')).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: arbitrary text is refused as PSKC_INVALID', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(refusal(() => read(text)).reason).toBeTypeOf('string');
      }),
    );
  });
});
