/**
 * Reads the vendor's PSKC file of hardware-token secrets (RFC 6030; SPEC.md, "Hardware token":
 * 「シリアル番号」 8-12 digits, secrets delivered "plain or encrypted").
 *
 * All or nothing: a file with one bad key is refused whole, with a reason that names the element
 * and the key, so that staff fix the file with the vendor instead of importing part of a batch.
 *
 * What the MAC of RFC 6030 §6.1.1 does and does not protect: it authenticates each encrypted
 * value on its own, not the document. A file that can be altered can still have its plain
 * elements (serial, counter, digits) changed or two encrypted secrets swapped; only the secrets'
 * confidentiality and integrity are assured. ds:Signature (RFC 6030 §7) is not checked here.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InkanError } from '../errors.js';

/** The cryptography the reader needs, passed in (CONVENTIONS.md, guideline 1). */
export interface PskcCrypto {
  /** AES-CBC decrypt (PKCS#7 padding removed); throws on a wrong key/padding. key 16/24/32 bytes. */
  aesCbcDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array;
  hmac(
    algorithm: 'SHA1' | 'SHA224' | 'SHA256' | 'SHA384' | 'SHA512',
    key: Uint8Array,
    data: Uint8Array,
  ): Uint8Array;
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/** One hardware token's key, as the file describes it. */
export interface PskcKey {
  /** DeviceInfo/SerialNo, 8-12 digits as written (SPEC.md: シリアル番号). */
  readonly serial: string;
  /** Key/@Id. */
  readonly keyId: string;
  /** From Key/@Algorithm urn:ietf:params:xml:ns:keyprov:pskc:totp or :hotp. */
  readonly kind: 'totp' | 'hotp';
  /** The HMAC of the OTP (AlgorithmParameters/Suite); SHA1 unless the file says otherwise. */
  readonly algorithm: 'SHA1' | 'SHA256' | 'SHA512';
  /** AlgorithmParameters/ResponseFormat/@Length, 6-10, Encoding DECIMAL. */
  readonly digits: number;
  /** Data/TimeInterval (seconds) for TOTP, default 30; 0 for HOTP. */
  readonly period: number;
  /** Data/Counter for HOTP, default 0; 0 for TOTP. */
  readonly counter: number;
  /** Data/TimeDrift (steps) for TOTP, default 0; 0 for HOTP. */
  readonly timeDrift: number;
  /** The key, decrypted; at least 16 bytes. */
  readonly secret: Uint8Array;
  /** Key/Policy/StartDate (epoch ms), or null. */
  readonly validFrom: number | null;
  /** Key/Policy/ExpiryDate (epoch ms), or null. */
  readonly validUntil: number | null;
}

/** How to read a file: the pre-shared key (RFC 6030 §6.1) if it is encrypted, and the limits. */
export interface ReadPskcOptions {
  /** The pre-shared key of RFC 6030 §6.1 (16, 24 or 32 bytes); omit for a plain file. */
  readonly preSharedKey?: Uint8Array;
  readonly crypto: PskcCrypto;
  /** The most KeyPackages a file may hold; default 200_000. */
  readonly maxKeys?: number;
}

type MacAlgorithm = Parameters<PskcCrypto['hmac']>[0];

const DEFAULT_MAX_KEYS = 200_000;

// Key/@Algorithm: RFC 6030 §10.1 defines the hotp profile; vendors' TOTP tokens use the same
// URN form with totp.
const KINDS = new Map<string, PskcKey['kind']>([
  ['urn:ietf:params:xml:ns:keyprov:pskc:hotp', 'hotp'],
  ['urn:ietf:params:xml:ns:keyprov:pskc:totp', 'totp'],
]);

// RFC 6030 §6.1: aes128-cbc is mandatory to implement; the other XML Encryption AES-CBC
// identifiers (W3C xmlenc-core §5.2.2) are accepted too. Value: the key length in bytes.
const AES_CBC = new Map<string, number>([
  ['http://www.w3.org/2001/04/xmlenc#aes128-cbc', 16],
  ['http://www.w3.org/2001/04/xmlenc#aes192-cbc', 24],
  ['http://www.w3.org/2001/04/xmlenc#aes256-cbc', 32],
]);

// RFC 6030 §6.1.1: hmac-sha1 is mandatory; the SHA-2 HMACs of RFC 6931 are accepted too.
const MAC_ALGORITHMS = new Map<string, MacAlgorithm>([
  ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', 'SHA1'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha224', 'SHA224'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', 'SHA256'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha384', 'SHA384'],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha512', 'SHA512'],
]);

// AlgorithmParameters/Suite names the hash of an HMAC-based OTP (RFC 6030 §4.3.4, "for example
// SHA1, SHA256"). Spellings seen in vendors' files, after upper-casing.
const SUITES = new Map<string, PskcKey['algorithm']>([
  ['SHA1', 'SHA1'],
  ['SHA-1', 'SHA1'],
  ['HMAC-SHA1', 'SHA1'],
  ['SHA256', 'SHA256'],
  ['SHA-256', 'SHA256'],
  ['HMAC-SHA256', 'SHA256'],
  ['SHA512', 'SHA512'],
  ['SHA-512', 'SHA512'],
  ['HMAC-SHA512', 'SHA512'],
]);

const SERIAL = /^[0-9]{8,12}$/; // SPEC.md: シリアル番号, 8-12 digits on the back of the token
const MIN_DIGITS = 6; // SPEC.md: 6-10 digits are tenant settings
const MAX_DIGITS = 10;
const MIN_PERIOD = 10;
const MAX_PERIOD = 300;
const DEFAULT_PERIOD = 30; // RFC 6238 §5.2: the recommended time step
const MIN_SECRET_BYTES = 16; // RFC 4226 §4 R6: at least 128 bits
const MIN_MAC_KEY_BYTES = 16;
const AES_BLOCK = 16; // the IV is one block (W3C xmlenc-core §5.2: IV || ciphertext)
const MAX_TIME_DRIFT = 2 ** 31; // xs:int

/** An element as the parser returns it: `@_name` attributes, `#text`, child elements in arrays. */
type XmlElement = { readonly [name: string]: unknown };

/** Refuses the file: the one error of this module. `keyIndex` is the 0-based KeyPackage. */
function refuse(keyIndex: number | undefined, reason: string): never {
  throw new InkanError(
    'PSKC_INVALID',
    keyIndex === undefined
      ? { reason }
      : { reason: `KeyPackage #${keyIndex}: ${reason}`, keyIndex },
  );
}

/** A value from the file, quoted and cut short, for a reason text (never a secret). */
function show(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 100 ? `${value.slice(0, 100)}…` : value);
}

function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elements(parent: XmlElement, name: string): XmlElement[] {
  const value = Object.hasOwn(parent, name) ? parent[name] : undefined;
  return Array.isArray(value) ? value.filter(isElement) : [];
}

function childNames(element: XmlElement): string[] {
  return Object.keys(element).filter((name) => name !== '#text' && !name.startsWith('@_'));
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}/${name}`;
}

/** The child `name`, if any; two of them make the file ambiguous, so that is refused. */
function optionalElement(
  parent: XmlElement,
  name: string,
  path: string,
  at: number | undefined,
): XmlElement | undefined {
  const found = elements(parent, name);
  if (found.length > 1) refuse(at, `${join(path, name)} appears ${found.length} times`);
  return found[0];
}

function requiredElement(
  parent: XmlElement,
  name: string,
  path: string,
  at: number | undefined,
): XmlElement {
  return optionalElement(parent, name, path, at) ?? refuse(at, `${join(path, name)} is missing`);
}

function text(element: XmlElement): string {
  const value = element['#text'];
  return typeof value === 'string' ? value.trim() : '';
}

function attribute(element: XmlElement, name: string): string | undefined {
  const value = element[`@_${name}`];
  return typeof value === 'string' ? value.trim() : undefined;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE64_ALPHABET.length; i++) table[BASE64_ALPHABET.charCodeAt(i)] = i;
  return table;
})();
const PAD = 0x3d; // '='

/**
 * Decodes xs:base64Binary (XML Schema Part 2 §3.2.16; RFC 4648 §4): whitespace allowed, padding
 * required, and the unused bits before the padding zero, so that each value has one spelling.
 */
function decodeBase64(encoded: string, path: string, at: number | undefined): Uint8Array {
  const s = encoded.replace(/[ \t\r\n]+/g, '');
  const invalid = (): never => refuse(at, `${path} is not valid base64`);
  if (s.length % 4 !== 0) invalid();
  const padding = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - padding);
  let o = 0;
  let quad = 0;
  for (let i = 0; i < s.length; i += 4) {
    quad = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const isPad = c === PAD && i + 4 === s.length && j >= 4 - padding;
      const v = isPad ? 0 : c < 128 ? (BASE64_VALUES[c] ?? -1) : -1;
      if (v < 0) invalid();
      quad = (quad << 6) | v;
    }
    out[o++] = (quad >>> 16) & 0xff;
    if (o < out.length) out[o++] = (quad >>> 8) & 0xff;
    if (o < out.length) out[o++] = quad & 0xff;
  }
  if ((padding === 2 && (quad & 0xffff) !== 0) || (padding === 1 && (quad & 0xff) !== 0)) {
    invalid();
  }
  return out;
}

const DATE_TIME =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})$/;

/**
 * Reads an xs:dateTime of Policy (RFC 6030 §5) as epoch milliseconds. A time zone is required:
 * without one the instant is unknown (a Japanese vendor's local midnight is 15:00 UTC).
 */
function parseDateTime(value: string, path: string, at: number): number {
  const m = DATE_TIME.exec(value);
  if (m === null) {
    refuse(at, `${path} ${show(value)} is not a date-time with a time zone (2026-04-01T00:00:00Z)`);
  }
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const fields = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = fields;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  const exists =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 14 || zm > 59) refuse(at, `${path} ${show(value)} has no such time zone`);
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zh * 60 + zm);
  }
  if (!exists) refuse(at, `${path} ${show(value)} is not a real date and time`);
  return local - offsetMinutes * 60_000;
}

/** One Data element (RFC 6030 §4.1): a PlainValue, or an EncryptedValue with its ValueMAC. */
type DataValue =
  | { readonly plain: string }
  | { readonly encrypted: XmlElement; readonly mac: XmlElement | undefined };

function readDataValue(data: XmlElement, name: string, at: number): DataValue | undefined {
  const path = `Key/Data/${name}`;
  const element = optionalElement(data, name, 'Key/Data', at);
  if (element === undefined) return undefined;
  const plain = optionalElement(element, 'PlainValue', path, at);
  const encrypted = optionalElement(element, 'EncryptedValue', path, at);
  if ((plain === undefined) === (encrypted === undefined)) {
    refuse(at, `${path} must hold exactly one of PlainValue or EncryptedValue`);
  }
  if (plain !== undefined) return { plain: text(plain) };
  return {
    encrypted: encrypted as XmlElement,
    mac: optionalElement(element, 'ValueMAC', path, at),
  };
}

/**
 * An integer Data element (Counter: xs:unsignedLong, TimeInterval and Time: xs:unsignedInt,
 * TimeDrift: xs:int). Encrypted integers are refused: RFC 6030 does not fix their byte form, and
 * a counter read the wrong way would make every OTP of the token fail.
 */
function readInteger(
  data: XmlElement,
  name: string,
  signed: boolean,
  at: number,
): number | undefined {
  const value = readDataValue(data, name, at);
  if (value === undefined) return undefined;
  const path = `Key/Data/${name}`;
  if (!('plain' in value)) refuse(at, `${path} is encrypted; only Data/Secret may be`);
  const pattern = signed ? /^[+-]?[0-9]+$/ : /^\+?[0-9]+$/;
  const n = Number(value.plain);
  if (!pattern.test(value.plain) || !Number.isSafeInteger(n)) {
    refuse(at, `${path} ${show(value.plain)} is not ${signed ? 'an' : 'a non-negative'} integer`);
  }
  return n === 0 ? 0 : n; // no -0
}

/** What opens encrypted values: the pre-shared key and the MAC key of RFC 6030 §6.1.1. */
interface Opener {
  open(
    encrypted: XmlElement,
    valueMac: XmlElement | undefined,
    path: string,
    at: number,
  ): Uint8Array;
  wipe(): void;
}

/**
 * EncryptionMethod and CipherData/CipherValue of an encrypted element: IV || ciphertext
 * (RFC 6030 §6.1, after W3C xmlenc-core §5.2), checked against the pre-shared key's length.
 */
function readCipherValue(
  element: XmlElement,
  path: string,
  at: number | undefined,
  preSharedKey: Uint8Array,
): Uint8Array {
  const method = requiredElement(element, 'EncryptionMethod', path, at);
  const uri = attribute(method, 'Algorithm');
  const keyLength = uri === undefined ? undefined : AES_CBC.get(uri);
  if (keyLength === undefined) {
    refuse(
      at,
      `${path}/EncryptionMethod/@Algorithm ${show(uri)} is not supported (aes128-cbc, aes192-cbc or aes256-cbc)`,
    );
  }
  if (keyLength !== preSharedKey.length) {
    refuse(
      at,
      `${path}/EncryptionMethod needs a ${keyLength}-byte key; the pre-shared key has ${preSharedKey.length}`,
    );
  }
  const cipherData = requiredElement(element, 'CipherData', path, at);
  const valuePath = `${path}/CipherData/CipherValue`;
  const bytes = decodeBase64(
    text(requiredElement(cipherData, 'CipherValue', `${path}/CipherData`, at)),
    valuePath,
    at,
  );
  if (bytes.length < 2 * AES_BLOCK || bytes.length % AES_BLOCK !== 0) {
    refuse(at, `${valuePath} is not an IV followed by whole AES blocks`);
  }
  return bytes;
}

function decrypt(
  crypto: PskcCrypto,
  key: Uint8Array,
  cipherValue: Uint8Array,
  path: string,
  at: number | undefined,
): Uint8Array {
  try {
    return crypto.aesCbcDecrypt(
      key,
      cipherValue.subarray(0, AES_BLOCK),
      cipherValue.subarray(AES_BLOCK),
    );
  } catch {
    return refuse(at, `${path} could not be decrypted (wrong pre-shared key?)`);
  }
}

/**
 * Reads MACMethod (RFC 6030 §6.1.1): its MACKey is encrypted under the pre-shared key, and each
 * encrypted value's ValueMAC is HMAC(MACKey, IV || ciphertext).
 */
function createOpener(container: XmlElement, preSharedKey: Uint8Array, crypto: PskcCrypto): Opener {
  const macMethod = optionalElement(container, 'MACMethod', 'KeyContainer', undefined);
  if (macMethod === undefined) {
    refuse(
      undefined,
      'KeyContainer/MACMethod is missing; encrypted values need one (RFC 6030 §6.1.1)',
    );
  }
  const uri = attribute(macMethod, 'Algorithm');
  const macAlgorithm = uri === undefined ? undefined : MAC_ALGORITHMS.get(uri);
  if (macAlgorithm === undefined) {
    refuse(
      undefined,
      `KeyContainer/MACMethod/@Algorithm ${show(uri)} is not supported (hmac-sha1 or hmac-sha2)`,
    );
  }
  const macKeyPath = 'KeyContainer/MACMethod/MACKey';
  const macKeyElement = requiredElement(macMethod, 'MACKey', 'KeyContainer/MACMethod', undefined);
  if (optionalElement(macKeyElement, 'CipherData', macKeyPath, undefined) === undefined) {
    refuse(undefined, `${macKeyPath} must be encrypted under the pre-shared key`);
  }
  const macKey = decrypt(
    crypto,
    preSharedKey,
    readCipherValue(macKeyElement, macKeyPath, undefined, preSharedKey),
    macKeyPath,
    undefined,
  );
  if (macKey.length < MIN_MAC_KEY_BYTES) {
    macKey.fill(0);
    refuse(
      undefined,
      `${macKeyPath} is shorter than ${MIN_MAC_KEY_BYTES} bytes (wrong pre-shared key?)`,
    );
  }
  return {
    open(encrypted, valueMac, path, at) {
      const cipherValue = readCipherValue(encrypted, `${path}/EncryptedValue`, at, preSharedKey);
      if (valueMac === undefined) refuse(at, `${path}/ValueMAC is missing (RFC 6030 §6.1.1)`);
      const given = decodeBase64(text(valueMac), `${path}/ValueMAC`, at);
      // The MAC is checked before anything is decrypted: a ciphertext nobody vouched for never
      // reaches the cipher, so its padding errors tell an attacker nothing.
      const expected = crypto.hmac(macAlgorithm, macKey, cipherValue);
      if (!crypto.timingSafeEqual(expected, given)) {
        refuse(
          at,
          `${path}/ValueMAC does not match: the file was altered or the pre-shared key is wrong`,
        );
      }
      return decrypt(crypto, preSharedKey, cipherValue, `${path}/EncryptedValue`, at);
    },
    wipe() {
      macKey.fill(0);
    },
  };
}

function parseDocument(xml: string): XmlElement {
  const source = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  // External entities (XXE) and entity expansion ("billion laughs") both need a DTD, and PSKC
  // needs none: any DOCTYPE or ENTITY declaration is refused before the parser sees the text.
  if (/<!\s*(?:DOCTYPE|ENTITY)/i.test(source)) {
    refuse(undefined, 'the document has a DOCTYPE or ENTITY declaration; none is allowed');
  }
  // The parser alone reads a truncated file as a shorter one; the validator makes sure the
  // document is whole and well-formed, so that a cut-off batch is refused, not half imported.
  let valid: ReturnType<typeof XMLValidator.validate>;
  try {
    valid = XMLValidator.validate(source);
  } catch (e) {
    refuse(
      undefined,
      `not well-formed XML: ${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'}`,
    );
  }
  if (valid !== true) {
    refuse(
      undefined,
      `not well-formed XML: ${valid.err.msg.slice(0, 120)} (line ${valid.err.line})`,
    );
  }
  let document: unknown;
  try {
    document = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      // Files spell the same elements ds:, xenc:, pskc: or with no prefix (RFC 6030 §4 uses a
      // default namespace; Figure 7 uses pskc:).
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      alwaysCreateTextNode: true,
      textNodeName: '#text',
      ignoreDeclaration: true,
      ignorePiTags: true,
      isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
    }).parse(source);
  } catch (e) {
    refuse(
      undefined,
      `not well-formed XML: ${e instanceof Error ? e.message.slice(0, 120) : 'unreadable'}`,
    );
  }
  const roots = isElement(document) ? Object.keys(document) : [];
  const [container] = isElement(document) ? elements(document, 'KeyContainer') : [];
  if (roots.length !== 1 || container === undefined) {
    refuse(undefined, 'the root element must be KeyContainer');
  }
  return container;
}

/**
 * Reads every key of a PSKC file (RFC 6030), decrypting secrets with the pre-shared key of
 * §6.1 when the file is encrypted. Plain files need no key; when a key is given, every secret
 * must be encrypted (a plain secret in its place would be a downgrade).
 *
 * @param xml - the file's text
 * @param o - the pre-shared key (16, 24 or 32 bytes), the crypto port, and `maxKeys`
 * @returns the keys in document order, each with its secret decrypted
 * @throws InkanError `PSKC_INVALID` with `{ reason, keyIndex? }` (`keyIndex`: the 0-based
 *   KeyPackage) for anything wrong with the file or the key; nothing is returned then
 * @throws TypeError if the options themselves are not of the right types
 */
export function readPskc(xml: string, o: ReadPskcOptions): PskcKey[] {
  if (typeof xml !== 'string') throw new TypeError('xml must be a string');
  const { preSharedKey, crypto, maxKeys = DEFAULT_MAX_KEYS } = o;
  if (typeof crypto !== 'object' || crypto === null) throw new TypeError('crypto is required');
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new TypeError('maxKeys must be a positive integer');
  }
  if (preSharedKey !== undefined) {
    if (!(preSharedKey instanceof Uint8Array)) {
      throw new TypeError('preSharedKey must be a Uint8Array');
    }
    if (![16, 24, 32].includes(preSharedKey.length)) {
      refuse(
        undefined,
        `the pre-shared key must be 16, 24 or 32 bytes, not ${preSharedKey.length}`,
      );
    }
  }

  const container = parseDocument(xml);
  // RFC 6030 §4: Version is "1.0" for this specification.
  const version = attribute(container, 'Version');
  if (version !== '1.0') {
    refuse(undefined, `KeyContainer/@Version must be "1.0", not ${show(version)}`);
  }

  // RFC 6030 §8 (bulk provisioning): one KeyPackage per device.
  const packages = elements(container, 'KeyPackage');
  if (packages.length === 0) refuse(undefined, 'KeyContainer holds no KeyPackage');
  if (packages.length > maxKeys) {
    refuse(
      undefined,
      `KeyContainer holds ${packages.length} KeyPackages, more than the limit of ${maxKeys}`,
    );
  }

  // RFC 6030 §6.1 names the pre-shared key with ds:KeyName; §6.2 (passphrase) and §6.3
  // (asymmetric) put other elements here, which this reader does not support.
  const encryptionKey = optionalElement(container, 'EncryptionKey', 'KeyContainer', undefined);
  const unsupported = encryptionKey && childNames(encryptionKey).find((n) => n !== 'KeyName');
  if (unsupported !== undefined) {
    refuse(
      undefined,
      `KeyContainer/EncryptionKey/${unsupported} is not supported; only a pre-shared key (KeyName) is`,
    );
  }

  let opener: Opener | undefined;
  const context: KeyContext = {
    preSharedKey,
    opener(at) {
      if (preSharedKey === undefined) {
        refuse(at, 'Key/Data/Secret is encrypted; a pre-shared key is needed');
      }
      opener ??= createOpener(container, preSharedKey, crypto);
      return opener;
    },
  };

  const keys: PskcKey[] = [];
  const serials = new Map<string, number>();
  try {
    packages.forEach((keyPackage, at) => {
      const key = readKeyPackage(keyPackage, at, serials, context);
      keys.push(key);
    });
    return keys;
  } catch (e) {
    for (const key of keys) key.secret.fill(0);
    throw e;
  } finally {
    opener?.wipe();
  }
}

interface KeyContext {
  readonly preSharedKey: Uint8Array | undefined;
  opener(at: number): Opener;
}

/** One KeyPackage (RFC 6030 §4, §4.3.1): its device's serial and its one Key. */
function readKeyPackage(
  keyPackage: XmlElement,
  at: number,
  serials: Map<string, number>,
  context: KeyContext,
): PskcKey {
  const deviceInfo = optionalElement(keyPackage, 'DeviceInfo', '', at);
  const serialElement =
    deviceInfo === undefined
      ? undefined
      : optionalElement(deviceInfo, 'SerialNo', 'DeviceInfo', at);
  if (serialElement === undefined) refuse(at, 'DeviceInfo/SerialNo is missing');
  const serial = text(serialElement);
  if (!SERIAL.test(serial)) refuse(at, `DeviceInfo/SerialNo ${show(serial)} is not 8-12 digits`);
  const first = serials.get(serial);
  if (first !== undefined) refuse(at, `DeviceInfo/SerialNo ${serial} repeats KeyPackage #${first}`);
  serials.set(serial, at);

  const key = requiredElement(keyPackage, 'Key', '', at);
  const keyId = attribute(key, 'Id');
  if (keyId === undefined || keyId === '') refuse(at, 'Key/@Id is missing');
  const algorithmUri = attribute(key, 'Algorithm');
  const kind = algorithmUri === undefined ? undefined : KINDS.get(algorithmUri);
  if (kind === undefined) {
    refuse(
      at,
      `Key/@Algorithm ${show(algorithmUri)} is not supported (urn:ietf:params:xml:ns:keyprov:pskc:hotp or :totp)`,
    );
  }

  const { algorithm, digits } = readAlgorithmParameters(key, at);
  const data = requiredElement(key, 'Data', 'Key', at);
  const counter = readInteger(data, 'Counter', false, at) ?? 0;
  const interval = readInteger(data, 'TimeInterval', false, at) ?? DEFAULT_PERIOD;
  const timeDrift = readInteger(data, 'TimeDrift', true, at) ?? 0;
  const time = readInteger(data, 'Time', false, at) ?? 0;
  if (Math.abs(timeDrift) > MAX_TIME_DRIFT) {
    refuse(at, `Key/Data/TimeDrift ${timeDrift} is out of range`);
  }
  if (kind === 'totp') {
    if (interval < MIN_PERIOD || interval > MAX_PERIOD) {
      refuse(
        at,
        `Key/Data/TimeInterval ${interval} is outside ${MIN_PERIOD}-${MAX_PERIOD} seconds`,
      );
    }
    // RFC 6238 §4.1: T0 is the Unix epoch; a device counting from elsewhere is not supported.
    if (time !== 0) refuse(at, `Key/Data/Time ${time} is not supported (only 0, the Unix epoch)`);
  }
  const { validFrom, validUntil } = readPolicy(key, at);

  // Last, so that nothing is decrypted for a key already refused for its other parts.
  const secret = readSecret(data, at, context);
  if (secret.length < MIN_SECRET_BYTES) {
    const length = secret.length;
    secret.fill(0);
    refuse(at, `Key/Data/Secret is ${length} bytes; at least ${MIN_SECRET_BYTES} are needed`);
  }

  return Object.freeze({
    serial,
    keyId,
    kind,
    algorithm,
    digits,
    period: kind === 'totp' ? interval : 0,
    counter: kind === 'hotp' ? counter : 0,
    timeDrift: kind === 'totp' ? timeDrift : 0,
    secret,
    validFrom,
    validUntil,
  });
}

/** AlgorithmParameters (RFC 6030 §4.3.4): the HMAC's hash (Suite) and the OTP's form. */
function readAlgorithmParameters(
  key: XmlElement,
  at: number,
): { algorithm: PskcKey['algorithm']; digits: number } {
  const path = 'Key/AlgorithmParameters';
  const parameters = optionalElement(key, 'AlgorithmParameters', 'Key', at);
  const suiteElement = parameters && optionalElement(parameters, 'Suite', path, at);
  let algorithm: PskcKey['algorithm'] = 'SHA1';
  if (suiteElement !== undefined) {
    const suite = text(suiteElement);
    algorithm =
      SUITES.get(suite.toUpperCase()) ??
      refuse(at, `${path}/Suite ${show(suite)} is not supported (SHA1, SHA256 or SHA512)`);
  }
  const format = parameters && optionalElement(parameters, 'ResponseFormat', path, at);
  if (format === undefined) refuse(at, `${path}/ResponseFormat is missing`);
  const encoding = attribute(format, 'Encoding');
  if (encoding !== 'DECIMAL') {
    refuse(at, `${path}/ResponseFormat/@Encoding ${show(encoding)} is not DECIMAL`);
  }
  const length = attribute(format, 'Length') ?? '';
  const digits = /^[0-9]{1,2}$/.test(length) ? Number(length) : NaN;
  if (!(digits >= MIN_DIGITS && digits <= MAX_DIGITS)) {
    refuse(at, `${path}/ResponseFormat/@Length ${show(length)} is not ${MIN_DIGITS}-${MAX_DIGITS}`);
  }
  const checkDigits = attribute(format, 'CheckDigits');
  if (checkDigits === 'true' || checkDigits === '1') {
    refuse(
      at,
      `${path}/ResponseFormat/@CheckDigits: OTPs with a Luhn check digit are not supported`,
    );
  }
  return { algorithm, digits };
}

/** Policy (RFC 6030 §5): the validity period, and a PIN that would change the OTP. */
function readPolicy(
  key: XmlElement,
  at: number,
): { validFrom: number | null; validUntil: number | null } {
  const policy = optionalElement(key, 'Policy', 'Key', at);
  if (policy === undefined) return { validFrom: null, validUntil: null };
  const start = optionalElement(policy, 'StartDate', 'Key/Policy', at);
  const expiry = optionalElement(policy, 'ExpiryDate', 'Key/Policy', at);
  const validFrom =
    start === undefined ? null : parseDateTime(text(start), 'Key/Policy/StartDate', at);
  const validUntil =
    expiry === undefined ? null : parseDateTime(text(expiry), 'Key/Policy/ExpiryDate', at);
  if (validFrom !== null && validUntil !== null && validFrom > validUntil) {
    refuse(at, 'Key/Policy/StartDate is after Key/Policy/ExpiryDate');
  }
  // RFC 6030 §5 (PINUsageMode): only a Local PIN leaves the OTP as it is; Prepend, Append and Algorithmic
  // mix the PIN into what the customer types.
  const pin = optionalElement(policy, 'PINPolicy', 'Key/Policy', at);
  const mode = pin === undefined ? undefined : attribute(pin, 'PINUsageMode');
  if (mode !== undefined && mode !== 'Local') {
    refuse(at, `Key/Policy/PINPolicy/@PINUsageMode ${show(mode)} is not supported (only Local)`);
  }
  return { validFrom, validUntil };
}

/** Data/Secret (RFC 6030 §4.1): base64 in PlainValue, or decrypted after its ValueMAC. */
function readSecret(data: XmlElement, at: number, context: KeyContext): Uint8Array {
  const value = readDataValue(data, 'Secret', at);
  if (value === undefined) refuse(at, 'Key/Data/Secret is missing');
  if ('plain' in value) {
    if (context.preSharedKey !== undefined) {
      refuse(
        at,
        'Key/Data/Secret is a PlainValue, but a pre-shared key was given: an encrypted file was expected',
      );
    }
    return decodeBase64(value.plain, 'Key/Data/Secret/PlainValue', at);
  }
  return context.opener(at).open(value.encrypted, value.mac, 'Key/Data/Secret', at);
}
