/**
 * SPEC.md, "Security floor": secrets encrypted at rest (AES-256-GCM, versioned master keys, a
 * rotation command); passwords hashed with a memory-hard KDF.
 *
 * The holes: a database dump (a backup, a replica, an SQL injection elsewhere) that holds a token
 * secret in any encoding, an activation password or an API key lets its reader mint OTPs or
 * impersonate a bank; a sealed secret copied from one token's row to another's must not turn
 * into a working secret there (the row's IDs are the AEAD's additional data) and must not crash
 * the verification; a tampered or foreign ciphertext must never open; and a key rotation must
 * leave every secret under the newest key with every OTP still working.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Keyring } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createPlatform, resealSecrets, type TenantCallContext } from '../../src/services/index.js';
import {
  activeCustomer,
  createHarness,
  issueAndProvision,
  testHasher,
  type Harness,
  type ProvisionedToken,
} from '../support/harness.js';
import { dumpTables, rawDb } from '../support/raw-db.js';

const SEALED_FORM = /^ink1\.(\d+)\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/;

let h: Harness;
let ctx: TenantCallContext;
beforeEach(async () => {
  h = await createHarness();
  ctx = { serviceId: h.serviceId, actor: 'test', clientIp: null };
});
afterEach(async () => {
  await h.close();
});

/** RFC 4648 base32, as otpauth:// URIs carry a secret. */
function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** Every encoding a secret could leak in. */
function encodings(secret: Uint8Array): string[] {
  const b = Buffer.from(secret);
  return [
    b.toString('hex'),
    b.toString('hex').toUpperCase(),
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
    base32(secret),
  ];
}

/** Every stored value of every table, as strings. */
async function allValues(): Promise<string[]> {
  const dump = await dumpTables(h.store);
  const out: string[] = [];
  for (const rows of Object.values(dump)) {
    for (const row of rows)
      for (const v of Object.values(row))
        if (v !== null) out.push(Buffer.isBuffer(v) ? v.toString('hex') : String(v));
  }
  return out;
}

async function tokenRow(ref: string) {
  const c = await h.store.getCustomer(h.serviceId, ref);
  const t = (await h.store.liveTokens(c?.id ?? -1))[0];
  if (t === undefined) throw new Error(`no token for ${ref}`);
  return t;
}

describe('nothing secret in the database', () => {
  it('a dump of every table holds no token secret (hex, base64, base64url, base32), no activation password, no API key', async () => {
    const password = '73915048';
    const t = await issueAndProvision(h, 'c-dump', { password });
    const active = await activeCustomer(h, 'c-dump-2');
    // A second API key, to be sure none of them is stored.
    const secondKey = await h.platform.issueApiKey({ actor: 'test', clientIp: null }, h.serviceId);
    await h.platform.flushAudit();
    const values = await allValues();
    expect(values.length).toBeGreaterThan(20);
    const haystack = values.join('\n');
    for (const s of [...encodings(t.secret), ...encodings(active.secret)])
      expect(haystack).not.toContain(s);
    // The activation password appears in no field, neither as the whole value nor inside one.
    expect(values).not.toContain(password);
    expect(values).not.toContain('1234'); // the password of the second customer (activeCustomer)
    expect(haystack).not.toContain(password);
    for (const apiKey of [h.apiKey, secondKey]) {
      const secretPart = apiKey.split('_').slice(2).join('_');
      expect(secretPart.length).toBeGreaterThanOrEqual(43);
      expect(haystack).not.toContain(apiKey);
      expect(haystack).not.toContain(secretPart);
    }
  });

  it('the table list is what the dump covers (the test would notice a new table)', async () => {
    const dump = await dumpTables(h.store);
    for (const table of ['tenants', 'api_keys', 'customers', 'tokens', 'audit_events'])
      expect(Object.keys(dump)).toContain(table);
  });

  it('the sealed secret has the ink1.<version>.<nonce>.<ciphertext>.<tag> form, a fresh nonce each time', async () => {
    const a = await issueAndProvision(h, 'c-form-a');
    await issueAndProvision(h, 'c-form-b');
    const rows = await sql<{
      sealed_secret: string | null;
      password_hash: string | null;
      user_id: string;
    }>`select sealed_secret, password_hash, user_id from tokens`.execute(rawDb(h.store));
    const sealed = rows.rows.map((r) => r.sealed_secret);
    expect(sealed).toHaveLength(2);
    for (const s of sealed) {
      const m = SEALED_FORM.exec(s ?? '');
      expect(m, String(s)).not.toBeNull();
      expect(m?.[1]).toBe('1');
      // 20 bytes of SHA1 seed → 27 base64url characters of ciphertext.
      expect(Buffer.from(m?.[3] ?? '', 'base64url')).toHaveLength(a.secret.length);
    }
    expect(new Set(sealed.map((s) => s?.split('.')[2])).size).toBe(2);
    // Provisioned: the activation password hash is gone.
    expect(rows.rows.map((r) => r.password_hash)).toEqual([null, null]);
  });

  it('an issued token keeps only a slow hash of the activation password', async () => {
    await h.call('POST', '/api/v1/customers/c-hash/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '55667788',
    });
    const r = await sql<{ password_hash: string }>`select password_hash from tokens`.execute(
      rawDb(h.store),
    );
    expect(r.rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(r.rows[0]?.password_hash).not.toContain('55667788');
  });
});

describe('a sealed secret copied to another row', () => {
  it('does not open there: that token’s verification fails safely, answers not ok, and nothing crashes', async () => {
    const a = await activeCustomer(h, 'c-src');
    const b = await activeCustomer(h, 'c-dst');
    const rowA = await tokenRow('c-src');
    const rowB = await tokenRow('c-dst');
    await rawDb(h.store)
      .updateTable('tokens')
      .set({ sealed_secret: rowA.sealedSecret })
      .where('id', '=', rowB.id)
      .execute();

    // B's own OTP no longer matches (its secret is gone) …
    const own = await h.call('POST', '/api/v1/customers/c-dst/verify', { otp: b.otp() });
    expect(own.status, JSON.stringify(own.json)).toBe(200);
    expect(own.json['result']).not.toBe('ok');
    // … and A's secret does not work in B's row either: the row's IDs are the additional data.
    const stolen = await h.call('POST', '/api/v1/customers/c-dst/verify', { otp: a.otp() });
    expect(stolen.status, JSON.stringify(stolen.json)).toBe(200);
    expect(stolen.json['result']).not.toBe('ok');
    // The token can still be looked at, and A is untouched.
    expect((await h.call('GET', '/api/v1/customers/c-dst/token')).status).toBe(200);
    expect(
      (await h.call('POST', '/api/v1/customers/c-src/verify', { otp: a.otp() })).json['result'],
    ).toBe('ok');
  });

  it('staff can still end the broken token on a paper request', async () => {
    await activeCustomer(h, 'c-src2');
    await activeCustomer(h, 'c-dst2');
    const rowA = await tokenRow('c-src2');
    const rowB = await tokenRow('c-dst2');
    await rawDb(h.store)
      .updateTable('tokens')
      .set({ sealed_secret: rowA.sealedSecret })
      .where('id', '=', rowB.id)
      .execute();
    const r = await h.call('DELETE', '/api/v1/customers/c-dst2/token', {
      force: true,
      reason: '秘密鍵の破損',
    });
    expect(r).toMatchObject({ status: 200, json: { state: 'none' } });
  });
});

describe('the keyring (AES-256-GCM, versioned keys)', () => {
  const k1 = { version: 1, key: randomBytes(32) };
  const k2 = { version: 2, key: randomBytes(32) };
  const secret = new Uint8Array(randomBytes(20));
  const AAD = 'inkan/token-secret/v1:10112235:123456789012';

  /** The sealed text with one byte of one part (2 = nonce, 3 = ciphertext, 4 = tag) flipped. */
  function flip(sealed: string, part: 2 | 3 | 4, byte = 0): string {
    const parts = sealed.split('.');
    const bytes = Buffer.from(parts[part] ?? '', 'base64url');
    bytes[byte] = (bytes[byte] ?? 0) ^ 0x01;
    parts[part] = bytes.toString('base64url');
    return parts.join('.');
  }

  it('opens what it sealed, with the same additional data', () => {
    const ring = createKeyring([k1]);
    const sealed = ring.seal(secret, AAD);
    expect(sealed).toMatch(SEALED_FORM);
    expect(Buffer.from(ring.unseal(sealed, AAD))).toEqual(Buffer.from(secret));
    expect(ring.needsReseal(sealed)).toBe(false);
  });

  it.each([
    ['nonce', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ] as const)('refuses a tampered %s', (_name, part) => {
    const ring = createKeyring([k1]);
    const sealed = ring.seal(secret, AAD);
    expect(() => ring.unseal(flip(sealed, part), AAD)).toThrow();
    expect(() => ring.unseal(flip(sealed, part, 7), AAD)).toThrow();
  });

  it('refuses a truncated ciphertext, a shortened nonce, a missing part and a foreign prefix', () => {
    const ring = createKeyring([k1]);
    const sealed = ring.seal(secret, AAD);
    const parts = sealed.split('.');
    const shorten = (i: 2 | 3 | 4, keep: number) =>
      parts
        .map((p, j) =>
          j === i ? Buffer.from(p, 'base64url').subarray(0, keep).toString('base64url') : p,
        )
        .join('.');
    expect(() => ring.unseal(shorten(3, 19), AAD)).toThrow();
    expect(() => ring.unseal(shorten(2, 8), AAD)).toThrow();
    expect(() => ring.unseal(parts.slice(0, 4).join('.'), AAD)).toThrow();
    expect(() => ring.unseal(`ink2.${parts.slice(1).join('.')}`, AAD)).toThrow();
    expect(() => ring.unseal('', AAD)).toThrow();
  });

  // GCM tags may be truncated (NIST SP 800-38D §5.2.1.2) and Node's decipher accepts any tag of
  // 4-16 bytes unless told the length: a prefix of the real tag then authenticates, and a forger
  // needs only 2^32 guesses instead of 2^128. Inkan always writes 16-byte tags, so it must demand
  // them.
  it.each([4, 8, 12, 15])('refuses the tag truncated to %i bytes', (keep) => {
    const ring = createKeyring([k1]);
    const parts = ring.seal(secret, AAD).split('.');
    parts[4] = Buffer.from(parts[4] ?? '', 'base64url')
      .subarray(0, keep)
      .toString('base64url');
    expect(() => ring.unseal(parts.join('.'), AAD)).toThrow();
  });

  it('refuses the wrong additional data (another token’s IDs)', () => {
    const ring = createKeyring([k1]);
    const sealed = ring.seal(secret, AAD);
    expect(() => ring.unseal(sealed, 'inkan/token-secret/v1:10112235:123456789013')).toThrow();
    expect(() => ring.unseal(sealed, '')).toThrow();
  });

  it('refuses an unknown key version, and a known version number under another key', () => {
    const sealedV2 = createKeyring([k2]).seal(secret, AAD);
    expect(() => createKeyring([k1]).unseal(sealedV2, AAD)).toThrow(/v2/);
    const impostor = createKeyring([{ version: 2, key: randomBytes(32) }]);
    expect(() => impostor.unseal(sealedV2, AAD)).toThrow();
    // A version number relabelled onto another key's text does not open either.
    expect(() =>
      createKeyring([k1, k2]).unseal(sealedV2.replace(/^ink1\.2\./, 'ink1.1.'), AAD),
    ).toThrow();
  });

  it('seals under the newest key and opens the older ones during a rotation', () => {
    const old = createKeyring([k1]).seal(secret, AAD);
    const both = createKeyring([k2, k1]);
    expect(both.currentVersion).toBe(2);
    expect(both.needsReseal(old)).toBe(true);
    expect(Buffer.from(both.unseal(old, AAD))).toEqual(Buffer.from(secret));
    const fresh = both.seal(secret, AAD);
    expect(fresh.startsWith('ink1.2.')).toBe(true);
    expect(both.needsReseal(fresh)).toBe(false);
    expect(Buffer.from(createKeyring([k2]).unseal(fresh, AAD))).toEqual(Buffer.from(secret));
  });

  it('refuses bad key sets', () => {
    expect(() => createKeyring([])).toThrow();
    expect(() => createKeyring([{ version: 1, key: randomBytes(16) }])).toThrow();
    expect(() => createKeyring([k1, { version: 1, key: randomBytes(32) }])).toThrow();
  });
});

describe('key rotation (resealSecrets)', () => {
  /** A platform on the harness's store with another keyring, as `inkan serve` after a rotation. */
  async function withKeyring<T>(
    keyring: Keyring,
    fn: (p: ReturnType<typeof createPlatform>) => Promise<T>,
  ): Promise<T> {
    const p = createPlatform({
      store: h.store,
      clock: h.clock,
      keyring,
      hasher: testHasher,
      auditChainDelayMs: 10,
    });
    try {
      return await fn(p);
    } finally {
      await p.close();
    }
  }

  it('moves every secret to the newest key; OTPs verify with both keys and with only the new one', async () => {
    const refs = ['c-rot-1', 'c-rot-2', 'c-rot-3'];
    const tokens: ProvisionedToken[] = [];
    for (const ref of refs) tokens.push(await activeCustomer(h, ref));
    const pending = await issueAndProvision(h, 'c-rot-4'); // provisioned, not yet active
    const issuedOnly = await h.call('POST', '/api/v1/customers/c-rot-5/tokens', {
      type: 'software',
      email: 'a@b.jp',
      activationPassword: '1234',
    });
    expect(issuedOnly.status).toBe(201);

    const v1 = { version: 1, key: h.masterKey };
    const v2 = { version: 2, key: randomBytes(32) };
    const both = createKeyring([v1, v2]);
    const before = await h.store.listSealedSecrets(0, 100);
    expect(before).toHaveLength(4);
    expect(before.every((r) => r.sealedSecret.startsWith('ink1.1.'))).toBe(true);

    expect(await resealSecrets(h.store, both)).toEqual({ resealed: 4, total: 4 });
    const after = await h.store.listSealedSecrets(0, 100);
    expect(after.every((r) => SEALED_FORM.exec(r.sealedSecret)?.[1] === '2')).toBe(true);
    // Idempotent: nothing is left under the old key.
    expect(await resealSecrets(h.store, both)).toEqual({ resealed: 0, total: 4 });

    await withKeyring(both, async (p) => {
      for (const [i, ref] of refs.entries())
        expect((await p.verify(ctx, ref, { otp: tokens[i]!.otp() })).result, ref).toBe('ok');
    });
    h.clock.advance(60_000);
    await withKeyring(createKeyring([v2]), async (p) => {
      for (const [i, ref] of refs.entries())
        expect((await p.verify(ctx, ref, { otp: tokens[i]!.otp() })).result, ref).toBe('ok');
      expect((await p.activateToken(ctx, 'c-rot-4', { otp: pending.otp() })).result).toBe('ok');
    });
  });

  it('without the key a secret was sealed under, no OTP is accepted', async () => {
    const t = await activeCustomer(h, 'c-nokey');
    await withKeyring(createKeyring([{ version: 2, key: randomBytes(32) }]), async (p) => {
      const r = await p
        .verify(ctx, 'c-nokey', { otp: t.otp() })
        .catch((e: unknown) => ({ result: `threw:${String(e)}` }));
      expect(r.result).not.toBe('ok');
    });
  });
});
