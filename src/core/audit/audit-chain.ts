/**
 * The tamper-evident audit trail (SPEC.md, "Security floor"): each event's hash covers the hash
 * before it, so a changed, inserted or removed row breaks the chain at that point.
 * Never a secret, password or OTP in an event: callers pass only codes and identifiers.
 */

/** One audit event as the caller describes it. */
export interface AuditEvent {
  readonly serviceId: string | null;
  /** Epoch milliseconds. */
  readonly at: number;
  /** Who: `api:<keyId>`, `app`, `cli`, `staff:<id>`, `system`. */
  readonly actor: string;
  /** What: `token.issued`, `otp.verify`, … */
  readonly action: string;
  readonly customerRef: string | null;
  readonly tokenId: number | null;
  /** A reason code or outcome. */
  readonly result: string | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  readonly clientIp: string | null;
}

/** An event with its place in the chain. */
export interface ChainedAuditEvent extends AuditEvent {
  readonly id: number;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of a UTF-8 string, as lowercase hex; passed in so the core stays free of node:crypto. */
export type Sha256Hex = (text: string) => string;

/** The canonical text of an event: fixed member order, sorted detail keys. */
export function canonicalEvent(e: AuditEvent & { seq: number }): string {
  const detail = Object.fromEntries(Object.entries(e.detail).sort(([a], [b]) => (a < b ? -1 : 1)));
  // The row's storage id is not part of the event: `seq` is its place in the chain, so the hash
  // can be computed before the row is written.
  return JSON.stringify([
    e.seq,
    e.serviceId,
    e.at,
    e.actor,
    e.action,
    e.customerRef,
    e.tokenId,
    e.result,
    detail,
    e.clientIp,
  ]);
}

/** hash = SHA-256(prevHash || "\n" || canonical event). */
export function chainHash(
  prevHash: string,
  e: AuditEvent & { seq: number },
  sha256: Sha256Hex,
): string {
  return sha256(`${prevHash}\n${canonicalEvent(e)}`);
}

/** The outcome of checking a chain. */
export type VerifyChainResult =
  | { readonly ok: true; readonly count: number; readonly head: string }
  | {
      readonly ok: false;
      readonly count: number;
      readonly brokenAtSeq: number;
      readonly problem: string;
    };

/**
 * A head saved outside the database (printed by `inkan audit verify`): a later check proves the
 * chain still reaches it unchanged, which also catches removal of the newest events.
 */
export interface ChainAnchor {
  readonly seq: number;
  readonly hash: string;
}

/** Parses `SEQ:HASH`; null when it is not of that form. */
export function parseChainAnchor(text: string): ChainAnchor | null {
  const m = /^([1-9][0-9]*):([0-9a-f]{64})$/.exec(text.trim());
  return m === null ? null : { seq: Number(m[1]), hash: m[2] ?? '' };
}

/** A chain check that takes events one at a time, so a trail of any length is checked in constant memory. */
export interface ChainVerifier {
  /** Checks the next event; false once the chain is broken (see `result`). */
  push(e: ChainedAuditEvent): boolean;
  result(): VerifyChainResult;
}

/**
 * Walks events in `seq` order: sequence numbers must run 1, 2, 3… without a gap, each `prevHash`
 * must be the hash before it, and each hash must be recomputed exactly.
 */
export function createChainVerifier(sha256: Sha256Hex, anchor?: ChainAnchor): ChainVerifier {
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let broken: VerifyChainResult | null = null;
  const fail = (brokenAtSeq: number, problem: string): false => {
    broken = { ok: false, count: expectedSeq - 1, brokenAtSeq, problem };
    return false;
  };
  return {
    push(e) {
      if (broken !== null) return false;
      if (e.seq !== expectedSeq) return fail(expectedSeq, 'missing event (gap in sequence)');
      if (e.prevHash !== prev) return fail(e.seq, 'previous hash does not match');
      if (anchor !== undefined && e.seq === anchor.seq && e.hash !== anchor.hash) {
        return fail(e.seq, 'event differs from the saved anchor');
      }
      if (chainHash(prev, e, sha256) !== e.hash)
        return fail(e.seq, 'event changed (hash does not match)');
      prev = e.hash;
      expectedSeq += 1;
      return true;
    },
    result() {
      if (broken !== null) return broken;
      const count = expectedSeq - 1;
      // The chain alone cannot show that its newest events were removed; a head saved earlier can.
      if (anchor !== undefined && anchor.seq > count) {
        return {
          ok: false,
          count,
          brokenAtSeq: count + 1,
          problem: `events removed: the chain ends at #${count}, the saved anchor is #${anchor.seq}`,
        };
      }
      return { ok: true, count, head: prev };
    },
  };
}

/** Checks a whole chain held in memory (see createChainVerifier). */
export function verifyChain(
  events: Iterable<ChainedAuditEvent>,
  sha256: Sha256Hex,
): VerifyChainResult {
  const v = createChainVerifier(sha256);
  for (const e of events) if (!v.push(e)) break;
  return v.result();
}
