import type * as NodeCrypto from 'node:crypto';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HashAlgorithm } from '../core/otp/index.js';
import { createNodeHmac } from './node-hmac.js';

const ALGORITHMS: readonly HashAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const NODE_NAMES: Readonly<Record<HashAlgorithm, string>> = {
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

const reference = (key: Uint8Array, algorithm: HashAlgorithm, message: Uint8Array): string =>
  createHmac(NODE_NAMES[algorithm], key).update(message).digest('hex');

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// Keys across both sides of every block size (64 and 128 bytes: RFC 2104 §3 hashes longer keys);
// messages mostly the 8-byte counter of the fast path, sometimes any length.
const keyArb = fc.uint8Array({ minLength: 0, maxLength: 200 });
const messageArb = fc.oneof(
  fc.uint8Array({ minLength: 8, maxLength: 8 }),
  fc.uint8Array({ minLength: 0, maxLength: 300 }),
);
const algorithmArb = fc.constantFrom(...ALGORITHMS);

type CreateNodeHmac = typeof createNodeHmac;

function describeImplementation(load: () => Promise<CreateNodeHmac>): void {
  it.each(ALGORITHMS)('equals createHmac for random keys and messages (%s)', async (algorithm) => {
    const create = await load();
    fc.assert(
      fc.property(keyArb, messageArb, (key, message) => {
        expect(hex(create(key, algorithm)(message))).toBe(reference(key, algorithm, message));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps keys apart when MACs of different keys and hashes interleave', async () => {
    const create = await load();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, algorithmArb), { minLength: 2, maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), messageArb), { minLength: 1, maxLength: 30 }),
        (tokens, calls) => {
          const hmacs = tokens.map(([key, algorithm]) => create(key, algorithm));
          for (const [pick, message] of calls) {
            const index = pick % tokens.length;
            const [key, algorithm] = tokens[index] ?? [new Uint8Array(0), 'SHA1'];
            const hmac = hmacs[index] ?? create(key, algorithm);
            expect(hex(hmac(message))).toBe(reference(key, algorithm, message));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns a fresh array on each call and ignores later changes to the key', async () => {
    const create = await load();
    const key = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
    const expected = reference(key, 'SHA1', new Uint8Array(8));
    const hmac = create(key, 'SHA1');
    key.fill(0);
    const first = hmac(new Uint8Array(8));
    const second = hmac(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 1));
    expect(hex(first)).toBe(expected);
    expect(first).not.toBe(second);
    expect(hex(second)).not.toBe(expected);
  });

  it('rejects an unknown algorithm or a key that is not bytes', async () => {
    const create = await load();
    expect(() => create(new Uint8Array(20), 'MD5' as HashAlgorithm)).toThrow(TypeError);
    expect(() => create(new Uint8Array(20), 'toString' as HashAlgorithm)).toThrow(TypeError);
    expect(() => create('secret' as unknown as Uint8Array, 'SHA1')).toThrow(TypeError);
  });
}

describe('createNodeHmac (one-shot crypto.hash, Node >= 20.12)', () => {
  describeImplementation(async () => createNodeHmac);
});

describe('createNodeHmac (precomputed hash states, Node < 20.12)', () => {
  const createHashCalls = vi.fn();

  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  // The module picks its strategy when loaded: load it again with `crypto.hash` taken away.
  describeImplementation(async () => {
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => {
      const actual = await importOriginal<typeof NodeCrypto>();
      return {
        ...actual,
        hash: undefined,
        createHash: (...args: Parameters<typeof actual.createHash>) => {
          createHashCalls();
          return actual.createHash(...args);
        },
      };
    });
    const module = await import('./node-hmac.js');
    return module.createNodeHmac;
  });

  it('really ran on the precomputed-state path', () => {
    expect(createHashCalls).toHaveBeenCalled();
  });
});
