import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HmacFn } from './index.js';
import { counterToBytes, generateHotp, generateHotpAsync, truncate } from './index.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// A MAC whose last byte sets the RFC 4226 §5.3 offset and whose 4 bytes there are `word`.
function macWith(offset: number, word: number, length = 20): Uint8Array {
  const mac = new Uint8Array(length).fill(0xaa);
  mac[offset] = word >>> 24;
  mac[offset + 1] = (word >>> 16) & 0xff;
  mac[offset + 2] = (word >>> 8) & 0xff;
  mac[offset + 3] = word & 0xff;
  mac[length - 1] = 0xa0 | offset; // offsets reach 15, so bytes 15..18 never touch the last one
  return mac;
}

describe('counterToBytes (RFC 4226 §5.2: 8-byte big-endian C)', () => {
  it.each([
    [0, '0000000000000000'],
    [1, '0000000000000001'],
    [255, '00000000000000ff'],
    [256, '0000000000000100'],
    [0x7fff_ffff, '000000007fffffff'],
    [0xffff_ffff, '00000000ffffffff'],
    [2 ** 32, '0000000100000000'],
    [2 ** 32 + 1, '0000000100000001'],
    [0x0123_4567_89ab, '00000123456789ab'],
    [Number.MAX_SAFE_INTEGER, '001fffffffffffff'],
  ])('encodes %d as %s', (counter, expected) => {
    expect(hex(counterToBytes(counter))).toBe(expected);
  });

  it.each([-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0.1])(
    'throws RangeError for %d',
    (counter) => {
      expect(() => counterToBytes(counter)).toThrow(RangeError);
    },
  );

  it('agrees with BigInt encoding for every safe counter', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (counter) => {
        const reference = Buffer.alloc(8);
        reference.writeBigUInt64BE(BigInt(counter));
        expect(hex(counterToBytes(counter))).toBe(reference.toString('hex'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('truncate (RFC 4226 §5.3)', () => {
  // The RFC's worked example: offset 0xa, DBC = 0x50ef7f19 = 1357872921, HOTP-6 = 872921.
  const rfcExample = Uint8Array.from(
    Buffer.from('1f8698690e02ca16618550ef7f19da8e945b555a', 'hex'),
  );

  it.each([
    [6, '872921'],
    [7, '7872921'],
    [8, '57872921'],
    [9, '357872921'],
    [10, '1357872921'],
  ])('gives the RFC 4226 §5.4 example with %d digits', (digits, expected) => {
    expect(truncate(rfcExample, digits)).toBe(expected);
  });

  it('masks the most significant bit of the dynamic binary code', () => {
    expect(truncate(macWith(3, 0xffff_ffff), 10)).toBe('2147483647');
    expect(truncate(macWith(3, 0x8000_0000), 10)).toBe('0000000000');
  });

  it.each([6, 7, 8, 9, 10])('zero-pads to %d digits', (digits) => {
    expect(truncate(macWith(0, 7), digits)).toBe('7'.padStart(digits, '0'));
    expect(truncate(macWith(0, 0), digits)).toBe('0'.repeat(digits));
  });

  it('uses the last byte of a longer (SHA-256/512) MAC for the offset', () => {
    expect(truncate(macWith(15, 123_456_789, 32), 9)).toBe('123456789');
    expect(truncate(macWith(9, 42, 64), 6)).toBe('000042');
  });

  it('reads offsets 0 through 15', () => {
    for (let offset = 0; offset <= 15; offset++) {
      const otp = truncate(macWith(offset, 30_000_000 + offset), 7);
      expect(otp).toBe(String(offset).padStart(7, '0'));
    }
  });

  it.each([5, 11, 6.5, 0, Number.NaN])('throws RangeError for %d digits', (digits) => {
    expect(() => truncate(rfcExample, digits)).toThrow(RangeError);
  });

  it('throws RangeError for a MAC shorter than 20 bytes', () => {
    expect(() => truncate(new Uint8Array(19), 6)).toThrow(RangeError);
  });

  it('is Snum mod 10^digits for any MAC (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 20, maxLength: 64 }),
        fc.integer({ min: 6, max: 10 }),
        (mac, digits) => {
          const offset = (mac[mac.length - 1] ?? 0) & 0xf;
          const snum = Buffer.from(mac).readUInt32BE(offset) & 0x7fff_ffff;
          const otp = truncate(mac, digits);
          expect(otp).toHaveLength(digits);
          expect(Number(otp)).toBe(snum % 10 ** digits);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('generateHotp', () => {
  const key = Buffer.from('12345678901234567890');
  const hmac: HmacFn = (m) => new Uint8Array(createHmac('sha1', key).update(m).digest());
  const asyncHmac = async (m: Uint8Array): Promise<Uint8Array> => hmac(m);

  it('computes HOTP(K, C) (RFC 4226 Appendix D, count 0)', () => {
    expect(generateHotp({ hmac, counter: 0, digits: 6 })).toBe('755224');
  });

  it('feeds the HMAC the 8-byte counter', () => {
    const seen: string[] = [];
    generateHotp({
      hmac: (m) => {
        seen.push(hex(m));
        return hmac(m);
      },
      counter: 2 ** 40 + 5,
      digits: 8,
    });
    expect(seen).toEqual(['0000010000000005']);
  });

  it('async and sync agree', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 6, max: 10 }),
        async (counter, digits) => {
          expect(await generateHotpAsync({ hmac: asyncHmac, counter, digits })).toBe(
            generateHotp({ hmac, counter, digits }),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rejects a bad counter or digits before calling the HMAC', async () => {
    const never: HmacFn = () => {
      throw new Error('HMAC must not be called');
    };
    expect(() => generateHotp({ hmac: never, counter: -1, digits: 6 })).toThrow(RangeError);
    expect(() => generateHotp({ hmac: never, counter: 1, digits: 4 })).toThrow(RangeError);
    await expect(
      generateHotpAsync({ hmac: async (m) => never(m), counter: 1.5, digits: 6 }),
    ).rejects.toThrow(RangeError);
  });
});
