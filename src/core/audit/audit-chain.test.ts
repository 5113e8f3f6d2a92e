import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalEvent,
  chainHash,
  createChainVerifier,
  parseChainAnchor,
  GENESIS_HASH,
  verifyChain,
  type AuditEvent,
  type ChainedAuditEvent,
} from './audit-chain.js';

// The hash is passed in (the core stays free of node:crypto); the test passes the real one.
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function event(i: number, over: Partial<AuditEvent> = {}): AuditEvent & { id: number } {
  return {
    id: 100 + i,
    serviceId: '10112235',
    at: 1_795_000_000_000 + i,
    actor: 'api:0123456789abcdef',
    action: 'otp.verify',
    customerRef: 'c-1',
    tokenId: 7,
    result: i % 3 === 0 ? 'invalid' : 'ok',
    detail: { failCount: i, note: 'ü' },
    clientIp: '127.0.0.1',
    ...over,
  };
}

/** Links events the way the store does: seq from 1, each hash over the previous one. */
function chain(events: readonly (AuditEvent & { id: number })[]): ChainedAuditEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const withSeq = { ...e, seq: i + 1 };
    const hash = chainHash(prev, withSeq, sha256);
    const linked = { ...withSeq, prevHash: prev, hash };
    prev = hash;
    return linked;
  });
}

const sample = (n: number) => chain(Array.from({ length: n }, (_, i) => event(i)));

describe('chainHash and canonicalEvent', () => {
  it('is SHA-256 of the previous hash, a newline and the canonical event', () => {
    const e = { ...event(1), seq: 1 };
    expect(chainHash(GENESIS_HASH, e, sha256)).toBe(
      sha256(`${GENESIS_HASH}\n${canonicalEvent(e)}`),
    );
    expect(chainHash(GENESIS_HASH, e, sha256)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('covers every member of the event', () => {
    const base = { ...event(1), seq: 1 };
    const h0 = chainHash(GENESIS_HASH, base, sha256);
    // The row id is storage bookkeeping, not part of the event (seq is its place in the chain).
    const withOtherId: AuditEvent & { seq: number; id: number } = { ...base, id: 999 };
    expect(chainHash(GENESIS_HASH, withOtherId, sha256)).toBe(h0);
    const changes: Partial<typeof base>[] = [
      { seq: 2 },
      { serviceId: null },
      { at: base.at + 1 },
      { actor: 'staff:1' },
      { action: 'token.issued' },
      { customerRef: 'c-2' },
      { tokenId: null },
      { result: 'locked' },
      { detail: { failCount: 2, note: 'ü' } },
      { detail: { failCount: 1 } },
      { clientIp: null },
    ];
    for (const c of changes)
      expect(chainHash(GENESIS_HASH, { ...base, ...c }, sha256), JSON.stringify(c)).not.toBe(h0);
    expect(chainHash('f'.repeat(64), base, sha256)).not.toBe(h0);
  });

  it('does not depend on the order of detail keys', () => {
    const a = { ...event(1, { detail: { a: 1, b: 'x', c: null } }), seq: 1 };
    const b = { ...event(1, { detail: { c: null, b: 'x', a: 1 } }), seq: 1 };
    expect(canonicalEvent(a)).toBe(canonicalEvent(b));
  });

  it('tells apart values that only look alike', () => {
    const n = { ...event(1, { detail: { v: 1 } }), seq: 1 };
    const s = { ...event(1, { detail: { v: '1' } }), seq: 1 };
    const nul = { ...event(1, { customerRef: null }), seq: 1 };
    const str = { ...event(1, { customerRef: 'null' }), seq: 1 };
    expect(canonicalEvent(n)).not.toBe(canonicalEvent(s));
    expect(canonicalEvent(nul)).not.toBe(canonicalEvent(str));
  });
});

describe('verifyChain', () => {
  it('accepts an empty chain: count 0, head the genesis hash', () => {
    expect(verifyChain([], sha256)).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
  });

  it('accepts a well-formed chain and reports its count and head', () => {
    const c = sample(6);
    expect(verifyChain(c, sha256)).toEqual({ ok: true, count: 6, head: c[5]!.hash });
  });

  it('refuses a chain that does not start at seq 1', () => {
    const c = sample(3).slice(1);
    expect(verifyChain(c, sha256)).toMatchObject({ ok: false, brokenAtSeq: 1, count: 0 });
  });

  it('refuses a gap (a deleted event) at the missing seq', () => {
    const c = sample(6);
    c.splice(3, 1); // seq 4 removed
    expect(verifyChain(c, sha256)).toMatchObject({ ok: false, brokenAtSeq: 4, count: 3 });
  });

  it('refuses a duplicated seq', () => {
    const c = sample(4);
    c.splice(2, 0, c[1]!);
    expect(verifyChain(c, sha256)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('refuses an edited event at that event', () => {
    const c = sample(6);
    c[2] = { ...c[2]!, result: 'ok-edited' };
    expect(verifyChain(c, sha256)).toMatchObject({
      ok: false,
      brokenAtSeq: 3,
      count: 2,
      problem: expect.stringContaining('hash'),
    });
  });

  it('refuses a wrong previous hash at that event', () => {
    const c = sample(5);
    c[3] = { ...c[3]!, prevHash: 'a'.repeat(64) };
    expect(verifyChain(c, sha256)).toMatchObject({
      ok: false,
      brokenAtSeq: 4,
      problem: expect.stringContaining('previous'),
    });
  });

  it('refuses two events swapped with their seq numbers exchanged', () => {
    const c = sample(5);
    const a = c[1]!;
    const b = c[2]!;
    c[1] = { ...b, seq: 2 };
    c[2] = { ...a, seq: 3 };
    expect(verifyChain(c, sha256)).toMatchObject({ ok: false, brokenAtSeq: 2 });
  });

  it('refuses an event re-hashed after an edit at the next event', () => {
    const c = sample(5);
    const edited = { ...c[1]!, result: 'forged' };
    c[1] = { ...edited, hash: chainHash(edited.prevHash, edited, sha256) };
    expect(verifyChain(c, sha256)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('accepts a chain rebuilt from any events, and refuses any single edit of it (property)', () => {
    const detail = fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 4 },
    );
    const ev = fc.record({
      serviceId: fc.option(fc.constantFrom('10112235', '20000001'), { nil: null }),
      at: fc.integer({ min: 0, max: 2 ** 45 }),
      actor: fc.string({ minLength: 1, maxLength: 12 }),
      action: fc.constantFrom('otp.verify', 'token.issued', 'token.locked'),
      customerRef: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: null }),
      tokenId: fc.option(fc.nat(1000), { nil: null }),
      result: fc.option(fc.constantFrom('ok', 'invalid', 'replayed', 'locked'), { nil: null }),
      detail,
      clientIp: fc.option(fc.constant('10.0.0.1'), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(ev, { minLength: 1, maxLength: 8 }), fc.nat(), (events, pick) => {
        const c = chain(events.map((e, i) => ({ ...e, id: i + 1 })));
        expect(verifyChain(c, sha256)).toMatchObject({ ok: true, count: c.length });
        const at = pick % c.length;
        const tampered = c.map((e, i) => (i === at ? { ...e, result: `${String(e.result)}!` } : e));
        expect(verifyChain(tampered, sha256)).toMatchObject({ ok: false, brokenAtSeq: at + 1 });
      }),
      { numRuns: 200 },
    );
  });
});

describe('createChainVerifier (the streaming check)', () => {
  it('agrees with verifyChain on every prefix of a chain', () => {
    const c = sample(5);
    const v = createChainVerifier(sha256);
    expect(v.result()).toEqual({ ok: true, count: 0, head: GENESIS_HASH });
    for (const [i, e] of c.entries()) {
      expect(v.push(e)).toBe(true);
      expect(v.result()).toEqual(verifyChain(c.slice(0, i + 1), sha256));
    }
  });

  it('stays broken at the first break, whatever comes after', () => {
    const c = sample(6);
    c[2] = { ...c[2]!, detail: { edited: true } };
    const v = createChainVerifier(sha256);
    const pushed = c.map((e) => v.push(e));
    expect(pushed).toEqual([true, true, false, false, false, false]);
    expect(v.result()).toMatchObject({ ok: false, brokenAtSeq: 3, count: 2 });
    // A correct event afterwards does not repair it.
    expect(v.push(sample(7)[6]!)).toBe(false);
    expect(v.result()).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
});

describe('a saved anchor', () => {
  const run = (events: ChainedAuditEvent[], anchor: { seq: number; hash: string }) => {
    const v = createChainVerifier(sha256, anchor);
    for (const e of events) if (!v.push(e)) break;
    return v.result();
  };

  it('is parsed from SEQ:HASH and nothing else', () => {
    expect(parseChainAnchor(`12:${'a'.repeat(64)}`)).toEqual({ seq: 12, hash: 'a'.repeat(64) });
    expect(parseChainAnchor('12')).toBeNull();
    expect(parseChainAnchor(`0:${'a'.repeat(64)}`)).toBeNull();
    expect(parseChainAnchor(`12:${'A'.repeat(64)}`)).toBeNull();
  });

  it('accepts a chain that still reaches it unchanged, and one that grew since', () => {
    const c = sample(6);
    expect(run(c.slice(0, 4), { seq: 4, hash: c[3]!.hash })).toMatchObject({ ok: true, count: 4 });
    expect(run(c, { seq: 4, hash: c[3]!.hash })).toMatchObject({ ok: true, count: 6 });
  });

  it('catches the removal of the newest events, which the chain alone cannot show', () => {
    const c = sample(6);
    expect(verifyChain(c.slice(0, 4), sha256).ok).toBe(true);
    expect(run(c.slice(0, 4), { seq: 6, hash: c[5]!.hash })).toMatchObject({
      ok: false,
      count: 4,
      brokenAtSeq: 5,
    });
  });

  it('catches a chain rebuilt from the anchor point on (every hash recomputed)', () => {
    const c = sample(6);
    const rebuilt = chain(
      Array.from({ length: 6 }, (_, i) => event(i, i === 2 ? { result: 'tampered' } : {})),
    );
    expect(verifyChain(rebuilt, sha256).ok).toBe(true);
    expect(run(rebuilt, { seq: 6, hash: c[5]!.hash })).toMatchObject({ ok: false, brokenAtSeq: 6 });
  });
});
