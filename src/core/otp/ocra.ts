/**
 * OCRA, the OATH Challenge-Response Algorithm of RFC 6287.
 *
 * Pure, like hotp.ts and totp.ts: the HMAC over the token's key is passed in (guideline 1), so the
 * token PWA runs the same code over its non-extractable WebCrypto key. The caller must pass an
 * HMAC whose hash is the suite's (`parseOcraSuite(s).hash`).
 *
 *   OCRA = CryptoFunction(K, DataInput)                                   (RFC 6287 §5.1)
 *   DataInput = OCRASuite | 00 | C | Q | P | S | T                          (RFC 6287 §5.2)
 */
import type { AsyncHmacFn, HashAlgorithm, HmacFn } from './hotp.js';
import { assertMacLength, truncateToNumber, writeCounter } from './hotp.js';

/** The challenge formats of RFC 6287 §6.3: alphanumeric, numeric, hexadecimal. */
export type OcraQuestionFormat = 'A' | 'N' | 'H';

/** A parsed OCRA suite (RFC 6287 §6: `Algorithm:CryptoFunction:DataInput`). */
export interface OcraSuite {
  /** The suite string as given; its bytes start DataInput (§5.2). */
  readonly text: string;
  /** The hash under HMAC (§6.2: HOTP-SHA1, HOTP-SHA256, HOTP-SHA512). */
  readonly hash: HashAlgorithm;
  /** Truncation length: 0 (no truncation, the full HMAC in hex) or 4..10 digits (§6.2). */
  readonly digits: number;
  /** C: an 8-byte counter is part of DataInput (§6.3). */
  readonly counter: boolean;
  /** Q: the challenge format and its declared length xx (04..64) (§6.3). */
  readonly question: { readonly format: OcraQuestionFormat; readonly length: number };
  /** P: the hash of the PIN/password and its length in bytes, or null (§6.3). */
  readonly password: { readonly hash: HashAlgorithm; readonly bytes: number } | null;
  /** S: the length of the session information in bytes, or null (§6.3: Snnn). */
  readonly sessionBytes: number | null;
  /** T: the time step in seconds, or null (§6.3: T[1-59]S, T[1-59]M, T[1-48]H). */
  readonly timeStepSeconds: number | null;
}

/** The inputs of one OCRA computation, besides the key. Fields the suite lacks must be absent. */
export interface OcraInput {
  /** C, the counter, when the suite has C: a non-negative safe integer. */
  counter?: number;
  /** Q, the challenge: digits for QN, hex digits for QH, printable ASCII for QA. */
  question: string;
  /** P, the hash of the PIN as hex (its length must be the P hash's), when the suite has P. */
  passwordHash?: string;
  /** S, the session information as hex, at most Snnn bytes, when the suite has S. */
  sessionInformation?: string;
  /** The current time in epoch milliseconds, when the suite has T (T = floor(s / step)). */
  now?: number;
  /** T given directly as a step count (as Appendix C does: 0x132d0b6), instead of `now`. */
  timeStep?: number;
}

/** Options of {@link generateOcra}. */
export interface GenerateOcraOptions extends OcraInput {
  /** The suite, as a string or parsed. */
  suite: string | OcraSuite;
  /** HMAC over the key K with the suite's hash. */
  hmac: HmacFn;
}

/** Options of {@link generateOcraAsync}: as {@link GenerateOcraOptions} with an async HMAC. */
export interface GenerateOcraAsyncOptions extends OcraInput {
  /** The suite, as a string or parsed. */
  suite: string | OcraSuite;
  /** Asynchronous HMAC over K (e.g. WebCrypto in the PWA). */
  hmac: AsyncHmacFn;
}

const HASH_BYTES: Readonly<Record<HashAlgorithm, number>> = { SHA1: 20, SHA256: 32, SHA512: 64 };

// §5.2: Q is always 128 bytes; C and T are 8 bytes.
const QUESTION_BYTES = 128;
const COUNTER_BYTES = 8;
const TIME_BYTES = 8;

function fail(message: string): never {
  throw new RangeError(`OCRA: ${message}`);
}

function parseHashName(name: string, where: string): HashAlgorithm {
  if (name === 'SHA1' || name === 'SHA256' || name === 'SHA512') return name;
  return fail(`unknown hash ${JSON.stringify(name)} in ${where}`);
}

// §6.3: G = [1-59]S | [1-59]M | [0-48]H. A step of 0 hours would divide by zero, so H starts at 1.
function parseTimeStep(text: string): number {
  const match = /^T([0-9]{1,2})([SMH])$/.exec(text);
  if (!match) return fail(`malformed time step ${JSON.stringify(text)}`);
  const n = Number(match[1]);
  const unit = match[2];
  if (unit === 'H') {
    if (n < 1 || n > 48) fail('hours in T must be 1..48');
    return n * 3600;
  }
  if (n < 1 || n > 59) fail('seconds or minutes in T must be 1..59');
  return unit === 'M' ? n * 60 : n;
}

/**
 * Parses an OCRA suite string strictly (RFC 6287 §6): `OCRA-1`, a `HOTP-SHA{1,256,512}-t`
 * crypto function with t = 0 or 4..10, and DataInput `[C-]QFxx[-PH][-Snnn][-TG]` in that order,
 * each at most once, with F in {A, N, H} and xx in 04..64.
 *
 * @param text - e.g. `OCRA-1:HOTP-SHA1-8:QN08-T1M`
 * @returns the parsed suite
 * @throws RangeError for anything else
 */
export function parseOcraSuite(text: string): OcraSuite {
  const parts = text.split(':');
  if (parts.length !== 3) fail('a suite has three parts separated by ":"');
  const [algorithm, cryptoFunction, dataInput] = parts as [string, string, string];
  // §6.1: "OCRA-v"; only version 1 is defined.
  if (algorithm !== 'OCRA-1') fail(`unsupported algorithm ${JSON.stringify(algorithm)}`);
  // §6.2: HOTP-H-t.
  const cf = /^HOTP-([A-Z0-9]+)-([0-9]{1,2})$/.exec(cryptoFunction);
  if (!cf) fail(`malformed crypto function ${JSON.stringify(cryptoFunction)}`);
  const hash = parseHashName(cf[1] ?? '', 'the crypto function');
  const digitsText = cf[2] ?? '';
  const digits = Number(digitsText);
  if (digitsText !== String(digits) || (digits !== 0 && (digits < 4 || digits > 10))) {
    fail('truncation length must be 0 or 4..10');
  }

  const fields = dataInput.split('-');
  let index = 0;
  let counter = false;
  if (fields[index] === 'C') {
    counter = true;
    index++;
  }
  const q = /^Q([ANH])([0-9]{2})$/.exec(fields[index] ?? '');
  if (!q) fail('DataInput must have a question QFxx (after C when C is present)');
  const questionLength = Number(q[2]);
  if (questionLength < 4 || questionLength > 64) fail('question length xx must be 04..64');
  const question = { format: q[1] as OcraQuestionFormat, length: questionLength };
  index++;

  let password: OcraSuite['password'] = null;
  if (fields[index]?.startsWith('P')) {
    const passwordHash = parseHashName((fields[index] ?? '').slice(1), 'P');
    password = { hash: passwordHash, bytes: HASH_BYTES[passwordHash] };
    index++;
  }
  let sessionBytes: number | null = null;
  if (fields[index]?.startsWith('S')) {
    const s = /^S([0-9]{3})$/.exec(fields[index] ?? '');
    if (!s) fail('session information must be Snnn');
    sessionBytes = Number(s[1]);
    if (sessionBytes < 1 || sessionBytes > 512) fail('session information length must be 001..512');
    index++;
  }
  let timeStepSeconds: number | null = null;
  if (fields[index]?.startsWith('T')) {
    timeStepSeconds = parseTimeStep(fields[index] ?? '');
    index++;
  }
  if (index !== fields.length) fail(`unexpected DataInput field ${JSON.stringify(fields[index])}`);

  return Object.freeze({
    text,
    hash,
    digits,
    counter,
    question: Object.freeze(question),
    password: password && Object.freeze(password),
    sessionBytes,
    timeStepSeconds,
  });
}

function isHex(text: string): boolean {
  return /^[0-9a-fA-F]*$/.test(text);
}

// Writes hex digits into target from `offset`, left-aligned, a nibble at a time: an odd count of
// digits leaves the last byte's low nibble 0 (the reference code of RFC 6287 Appendix A pads the
// question hex string with "0" on the right to 256 digits).
function writeHexLeft(hex: string, target: Uint8Array, offset: number): void {
  for (let i = 0; i < hex.length; i++) {
    const nibble = parseInt(hex[i] ?? '0', 16);
    const at = offset + (i >> 1);
    target[at] = (target[at] ?? 0) | (i % 2 === 0 ? nibble << 4 : nibble);
  }
}

// Writes hex digits right-aligned in `width` bytes at `offset` (P and S are left-padded with zeros
// in the reference code of Appendix A).
function writeHexRight(hex: string, target: Uint8Array, offset: number, width: number): void {
  const padded = hex.length % 2 === 0 ? hex : `0${hex}`;
  writeHexLeft(padded, target, offset + width - padded.length / 2);
}

/**
 * Encodes the challenge Q as the 128 bytes of RFC 6287 §5.2: for QN the decimal number converted
 * to hexadecimal, for QH the hex digits, for QA the ASCII bytes; each left-aligned and padded
 * with zeros on the right.
 *
 * The declared length xx is not enforced: Appendix C.2 (mutual challenge-response) feeds two
 * 8-character challenges, concatenated, into a `QA08` suite. The encoded challenge must fit in
 * 128 bytes.
 *
 * @param format - N, H or A
 * @param question - the challenge text
 * @returns 128 bytes
 * @throws RangeError for characters outside the format or a challenge that does not fit
 */
export function encodeOcraQuestion(format: OcraQuestionFormat, question: string): Uint8Array {
  const bytes = new Uint8Array(QUESTION_BYTES);
  if (question.length === 0) fail('the question must not be empty');
  if (format === 'N') {
    if (!/^[0-9]+$/.test(question)) fail('a numeric question has digits only');
    const hex = BigInt(question).toString(16);
    if (hex.length > QUESTION_BYTES * 2) fail('the question does not fit in 128 bytes');
    writeHexLeft(hex, bytes, 0);
  } else if (format === 'H') {
    if (!isHex(question)) fail('a hexadecimal question has hex digits only');
    if (question.length > QUESTION_BYTES * 2) fail('the question does not fit in 128 bytes');
    writeHexLeft(question, bytes, 0);
  } else {
    if (!/^[\x20-\x7e]+$/.test(question)) fail('an alphanumeric question is printable ASCII');
    if (question.length > QUESTION_BYTES) fail('the question does not fit in 128 bytes');
    for (let i = 0; i < question.length; i++) bytes[i] = question.charCodeAt(i);
  }
  return bytes;
}

function resolveSuite(suite: string | OcraSuite): OcraSuite {
  return typeof suite === 'string' ? parseOcraSuite(suite) : suite;
}

function resolveTimeStep(suite: OcraSuite, input: OcraInput): number {
  const step = suite.timeStepSeconds ?? 1;
  if (input.timeStep !== undefined) {
    if (input.now !== undefined) fail('give either now or timeStep, not both');
    return input.timeStep;
  }
  if (input.now === undefined || !Number.isFinite(input.now) || input.now < 0) {
    return fail('the suite has T: a non-negative time is required');
  }
  // T = floor((epoch seconds) / step), computed in milliseconds like totp.ts's timeStep.
  return Math.floor(input.now / (step * 1000));
}

/**
 * Builds DataInput exactly as RFC 6287 §5.2 lays it out: the suite's ASCII bytes, one 0x00 byte,
 * then C (8 bytes, big-endian), Q (128 bytes), P (the hash's length), S (nnn bytes) and T (8 bytes,
 * big-endian), each only when the suite declares it.
 *
 * @param suite - the suite, as a string or parsed
 * @param input - the values of the suite's fields; a value for a field the suite lacks is an error
 * @returns DataInput
 * @throws RangeError for a malformed suite, a missing or superfluous value, or a bad value
 */
export function buildOcraDataInput(suite: string | OcraSuite, input: OcraInput): Uint8Array {
  const s = resolveSuite(suite);
  const suiteBytes = s.text.length;
  const length =
    suiteBytes +
    1 +
    (s.counter ? COUNTER_BYTES : 0) +
    QUESTION_BYTES +
    (s.password?.bytes ?? 0) +
    (s.sessionBytes ?? 0) +
    (s.timeStepSeconds !== null ? TIME_BYTES : 0);
  const data = new Uint8Array(length);
  for (let i = 0; i < suiteBytes; i++) data[i] = s.text.charCodeAt(i);
  let at = suiteBytes + 1; // the 0x00 separator is already zero

  if (s.counter) {
    const counter = input.counter;
    if (counter === undefined || !Number.isSafeInteger(counter) || counter < 0) {
      fail('the suite has C: a non-negative integer counter is required');
    }
    writeCounter(counter, data.subarray(at, at + COUNTER_BYTES));
    at += COUNTER_BYTES;
  } else if (input.counter !== undefined) {
    fail('the suite has no C, but a counter was given');
  }

  data.set(encodeOcraQuestion(s.question.format, input.question), at);
  at += QUESTION_BYTES;

  if (s.password) {
    const p = input.passwordHash;
    if (p === undefined || !isHex(p) || p.length !== s.password.bytes * 2) {
      fail(`the suite has P: a ${s.password.bytes}-byte password hash in hex is required`);
    }
    writeHexRight(p, data, at, s.password.bytes);
    at += s.password.bytes;
  } else if (input.passwordHash !== undefined) {
    fail('the suite has no P, but a password hash was given');
  }

  if (s.sessionBytes !== null) {
    const info = input.sessionInformation;
    if (info === undefined || !isHex(info) || info.length > s.sessionBytes * 2) {
      fail(`the suite has S: at most ${s.sessionBytes} bytes of session information in hex`);
    }
    writeHexRight(info, data, at, s.sessionBytes);
    at += s.sessionBytes;
  } else if (input.sessionInformation !== undefined) {
    fail('the suite has no S, but session information was given');
  }

  if (s.timeStepSeconds !== null) {
    const t = resolveTimeStep(s, input);
    if (!Number.isSafeInteger(t) || t < 0) fail('T must be a non-negative integer');
    writeCounter(t, data.subarray(at, at + TIME_BYTES));
  } else if (input.now !== undefined || input.timeStep !== undefined) {
    fail('the suite has no T, but a time was given');
  }
  return data;
}

/**
 * Turns the MAC into the response (RFC 6287 §5.2 and §6.2): dynamic truncation of RFC 4226 §5.3
 * to `digits` decimal digits, or, for t = 0, the whole MAC in lowercase hex.
 */
function formatResponse(mac: Uint8Array, suite: OcraSuite): string {
  assertMacLength(mac);
  if (mac.length !== HASH_BYTES[suite.hash]) fail('the HMAC does not match the suite hash');
  if (suite.digits === 0) {
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  return String(truncateToNumber(mac, suite.digits)).padStart(suite.digits, '0');
}

/**
 * OCRA = CryptoFunction(K, DataInput), RFC 6287 §5.1.
 *
 * @param options - the suite, the HMAC over K with the suite's hash, and the field values
 * @returns the response: `digits` decimal digits, or hex when the suite truncates to 0
 * @throws RangeError for a malformed suite or input, or an HMAC of the wrong hash
 */
export function generateOcra(options: GenerateOcraOptions): string {
  const { suite, hmac, ...input } = options;
  const s = resolveSuite(suite);
  return formatResponse(hmac(buildOcraDataInput(s, input)), s);
}

/**
 * {@link generateOcra} over an asynchronous HMAC such as WebCrypto's.
 *
 * @param options - the suite, the async HMAC over K, and the field values
 * @returns the response
 * @throws RangeError (as a rejected promise) as {@link generateOcra}
 */
export async function generateOcraAsync(options: GenerateOcraAsyncOptions): Promise<string> {
  const { suite, hmac, ...input } = options;
  const s = resolveSuite(suite);
  return formatResponse(await hmac(buildOcraDataInput(s, input)), s);
}
