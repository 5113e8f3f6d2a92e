import { createHash, randomBytes } from 'node:crypto';
import {
  InkanError,
  TRANSACTION_MAX_FAILURES,
  effectiveTransactionState,
  selectVerifyTarget,
  type FieldError,
  type ReasonCode,
  type Store,
  type StoredToken,
  type TenantPolicy,
  type TransactionRecord,
  type TransactionState,
  type CustomerTransactionPolicy,
  type TransactionAuthMode,
} from '../core/index.js';
import {
  APP_PROOF_SKEW_MS,
  appProofMessage,
  constantTimeEqual,
  encodeTransaction,
  generateOcra,
  normalizeTransactionDetails,
  offlineTransactionQuestion,
  offlineTransactionSuite,
  onlineTransactionQuestion,
  onlineTransactionSuite,
  type AppProofAction,
  type HmacFn,
  type TransactionDetails,
} from '../core/otp/index.js';
import { createNodeHmac } from '../crypto/node-hmac.js';
import { requireCustomer, requireCustomerTokens } from './customer.js';
import {
  auditEvent,
  iso,
  requireTenant,
  secretAad,
  type CallContext,
  type ServiceDeps,
  type TenantCallContext,
} from './deps.js';
import { parseCustomerRef } from './inputs.js';
import { recordWrongOtp } from './otp-check.js';

/** A transaction as the bank and the app see it (SPEC.md, "Transaction authentication"). */
export interface TransactionView extends TransactionDetails {
  transactionId: string;
  state: TransactionState;
  /** The OCRA suite of the online path (RFC 6287 §6), e.g. `OCRA-1:HOTP-SHA1-8:QH64`. */
  suite: string;
  /** The online question: SHA-256 of the canonical transaction, 64 hex digits. */
  challenge: string;
  /** The suite of the offline code the customer makes in the app from account and amount. */
  offlineSuite: string;
  createdAt: string;
  expiresAt: string;
  resultAt: string | null;
  channel: 'app' | 'offline' | null;
  failures: number;
}

/** The answer to a response (the app's 承認 or the code typed into the bank's screen). */
export interface TransactionAnswer {
  result: ReasonCode;
  state: TransactionState;
  failCount?: number;
  locked?: boolean;
}

// Each OCRA T1M step is 60 s (core/otp/transaction-challenge.ts: the offline suite).
const OFFLINE_STEP_MS = 60_000;
// The transaction ID: 128 random bits, base64url (22 characters).
const TRANSACTION_ID = /^[A-Za-z0-9_-]{22}$/;

function view(t: TransactionRecord, now: number): TransactionView {
  return {
    transactionId: t.id,
    state: effectiveTransactionState(t, now),
    payeeBank: t.payeeBank,
    payeeBranch: t.payeeBranch,
    payeeAccount: t.payeeAccount,
    payeeName: t.payeeName,
    amount: t.amount,
    currency: t.currency,
    suite: onlineTransactionSuite(t.algorithm),
    challenge: t.challenge,
    offlineSuite: offlineTransactionSuite(t.algorithm),
    createdAt: iso(t.createdAt) ?? '',
    expiresAt: iso(t.expiresAt) ?? '',
    resultAt: iso(t.resultAt),
    channel: t.channel,
    failures: t.failures,
  };
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: '', message: 'the body must be a JSON object' }],
    });
  }
  return body as Record<string, unknown>;
}

/** POST /customers/{ref}/transactions: the payee and amount, checked and normalized (NFKC). */
export function parseTransactionRequest(input: unknown): TransactionDetails {
  const body = asObject(input);
  const errors: FieldError[] = [];
  const str = (field: string): string => {
    const v = body[field];
    if (typeof v !== 'string') errors.push({ field, message: 'must be a string' });
    return typeof v === 'string' ? v : '';
  };
  const raw = {
    payeeBank: str('payeeBank'),
    payeeBranch: str('payeeBranch'),
    payeeAccount: str('payeeAccount'),
    payeeName: str('payeeName'),
    amount: typeof body['amount'] === 'number' ? body['amount'] : NaN,
    currency: body['currency'] === undefined ? 'JPY' : String(body['currency']),
  };
  for (const k of Object.keys(body)) {
    if (
      !['payeeBank', 'payeeBranch', 'payeeAccount', 'payeeName', 'amount', 'currency'].includes(k)
    )
      errors.push({ field: k, message: 'is not a transaction field' });
  }
  if (errors.length === 0) {
    // The core's checks name the field first in their message.
    try {
      return normalizeTransactionDetails(raw);
    } catch (e) {
      const message = e instanceof Error ? e.message : 'is invalid';
      const field = message.split(' ')[0] ?? '';
      errors.push({ field, message: message.slice(field.length + 1) });
    }
  }
  throw new InkanError('VALIDATION_FAILED', { errors });
}

function parseTransactionId(id: unknown): string {
  if (typeof id !== 'string' || !TRANSACTION_ID.test(id)) {
    // A malformed ID names no transaction: the same answer as an unknown one.
    throw new InkanError('NOT_FOUND', { resource: 'transaction' });
  }
  return id;
}

function parseCode(input: unknown, field: 'code' | 'response'): string {
  const v = asObject(input)[field];
  if (typeof v !== 'string' || !/^[0-9]{8}$/.test(v)) {
    throw new InkanError('VALIDATION_FAILED', { errors: [{ field, message: 'must be 8 digits' }] });
  }
  return v;
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/** The token's HMAC, or null when its sealed secret does not open in its row. */
function tokenHmac(deps: ServiceDeps, token: StoredToken): HmacFn | null {
  if (token.sealedSecret === null) return null;
  try {
    const secret = deps.keyring.unseal(token.sealedSecret, secretAad(token));
    const hmac = createNodeHmac(secret, token.algorithm);
    secret.fill(0);
    return hmac;
  } catch {
    return null;
  }
}

/**
 * Creates a transaction for the customer's active token: its ID, its challenge, its expiry
 * (tenant `transactionTtlSeconds`, default 300). Any change of payee or amount is a new
 * transaction (SPEC.md). Audited as `transaction.created`. `wake` (services/push.ts) is called
 * with the token after the commit.
 */
export async function createTransaction(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
  wake?: (tokenId: number) => void,
): Promise<TransactionView> {
  const details = parseTransactionRequest(body);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const { customer, tokens } = await requireCustomerTokens(deps, ctx, refInput);
  const now = deps.clock.now();
  const target = selectVerifyTarget(tokens, now);
  if (target.result !== undefined) {
    throw new InkanError('NO_ACTIVE_TOKEN', { reason: target.result });
  }
  const token = target.token;
  const id = randomBytes(16).toString('base64url');
  const record: TransactionRecord = {
    id,
    serviceId: ctx.serviceId,
    customerId: customer.id,
    customerRef: customer.ref,
    tokenId: token.id,
    algorithm: token.algorithm,
    ...details,
    challenge: onlineTransactionQuestion(sha256(encodeTransaction(id, details))),
    state: 'pending',
    createdAt: now,
    expiresAt: now + ttlSeconds(tenant.policy) * 1000,
    resultAt: null,
    channel: null,
    failures: 0,
  };
  await deps.store.transaction(async (tx) => {
    await tx.insertTransaction(record);
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: 'transaction.created',
        customerRef: customer.ref,
        tokenId: token.id,
        result: 'pending',
        detail: { transactionId: id, amount: details.amount, expiresAt: record.expiresAt },
      }),
    );
  });
  deps.auditWritten();
  // Issue 7 item 3: after the commit, wake the app by Web Push if configured; never awaited, so
  // a slow or failing push service neither delays nor fails the create.
  wake?.(token.id);
  return view(record, now);
}

function ttlSeconds(policy: TenantPolicy): number {
  // A tenant stored before migration 006 has no setting: SPEC.md's 5 minutes.
  return policy.transactionTtlSeconds ?? 300;
}

/** Records the expiry of a pending transaction whose time is over (once, audited). */
async function settleExpiry(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId: string },
  t: TransactionRecord,
): Promise<TransactionRecord> {
  if (t.state !== 'pending' || deps.clock.now() < t.expiresAt) return t;
  await expireNow(deps, ctx, t);
  return (await deps.store.getTransaction(t.serviceId, t.id)) ?? t;
}

/** pending → expired with its audit event, in one transaction; false when it was not (any more). */
function expireNow(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId: string },
  t: TransactionRecord,
): Promise<boolean> {
  const now = deps.clock.now();
  return moveWithAudit(deps, ctx, t, 'expired', (tx) => tx.expireTransaction(t.id, now));
}

/**
 * A conditional state change of a pending transaction and its audit event
 * (`transaction.<state>`), committed together; false when the change did not apply.
 */
async function moveWithAudit(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId?: string },
  t: TransactionRecord,
  state: 'expired' | 'cancelled',
  move: (tx: Store) => Promise<boolean>,
): Promise<boolean> {
  const moved = await deps.store.transaction(async (tx) => {
    if (!(await move(tx))) return false;
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: `transaction.${state}`,
        customerRef: t.customerRef,
        tokenId: t.tokenId,
        result: state,
        detail: { transactionId: t.id },
      }),
    );
    return true;
  });
  if (moved) deps.auditWritten();
  return moved;
}

/**
 * The housekeeping sweep: pending transactions past their expiry become expired (each audited
 * once, as when they are next read), so the console and the app's list see the truth without
 * waiting for a read. At most `limit` per call; how many it expired.
 */
export async function expireOverdueTransactions(deps: ServiceDeps, limit: number): Promise<number> {
  const overdue = await deps.store.overdueTransactions(deps.clock.now(), limit);
  let n = 0;
  for (const t of overdue) {
    const ctx = { actor: 'system', clientIp: null, serviceId: t.serviceId };
    if (await expireNow(deps, ctx, t)) n += 1;
  }
  return n;
}

async function requireCustomerTransaction(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  idInput: unknown,
): Promise<TransactionRecord> {
  const ref = parseCustomerRef(refInput);
  const id = parseTransactionId(idInput);
  const customer = await requireCustomer(deps, ctx, ref);
  const t = await deps.store.getTransaction(ctx.serviceId, id);
  // Another customer's transaction is not found: an ID is not a capability across customers.
  if (t === null || t.customerId !== customer.id) {
    throw new InkanError('NOT_FOUND', { resource: 'transaction' });
  }
  return settleExpiry(deps, ctx, t);
}

/** GET /customers/{ref}/transactions/{id}: the transaction and its state. */
export async function getTransaction(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  idInput: unknown,
): Promise<TransactionView> {
  const t = await requireCustomerTransaction(deps, ctx, refInput, idInput);
  return view(t, deps.clock.now());
}

/** The answer for a transaction that is no longer pending. */
function settledAnswer(t: TransactionRecord, now: number): TransactionAnswer {
  const state = effectiveTransactionState(t, now);
  // 「一度使用したワンタイムパスワードは無効」: an approved transaction answers replayed.
  const result: ReasonCode =
    state === 'approved' ? 'replayed' : state === 'expired' ? 'expired' : 'not_active';
  return { result, state };
}

/**
 * A wrong response: counts toward the token's lockout like a wrong OTP (otp-check.ts) and toward
 * the transaction's own limit; the transaction fails when either is reached. One transaction,
 * audited.
 */
async function recordWrongResponse(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId: string },
  t: TransactionRecord,
  token: StoredToken,
  policy: TenantPolicy,
  channel: 'app' | 'offline',
): Promise<TransactionAnswer> {
  const now = deps.clock.now();
  const answer = await deps.store.transaction(async (tx: Store): Promise<TransactionAnswer> => {
    const wrong = await recordWrongOtp(deps, tx, ctx, {
      token,
      ref: t.customerRef,
      action: 'transaction.verify',
      policy,
    });
    const counted = await tx.recordTransactionFailure(t.id, TRANSACTION_MAX_FAILURES, now);
    // Null: settled meanwhile by another request; the answer says how it stands now.
    let state: TransactionState =
      counted === null
        ? ((await tx.getTransaction(t.serviceId, t.id))?.state ?? 'failed')
        : counted.failed
          ? 'failed'
          : 'pending';
    let justFailed = counted?.failed === true;
    if (counted !== null && !counted.failed && wrong.locked === true) {
      justFailed = await tx.failTransaction(t.id, now);
      state = 'failed';
    }
    if (justFailed) {
      await tx.appendAudit(
        auditEvent(deps, ctx, {
          action: 'transaction.failed',
          customerRef: t.customerRef,
          tokenId: token.id,
          result: wrong.locked === true ? 'locked' : 'invalid',
          detail: { transactionId: t.id, channel, failures: counted?.failures ?? t.failures },
        }),
      );
    }
    return {
      result: 'invalid',
      state,
      ...(wrong.failCount !== undefined ? { failCount: wrong.failCount } : {}),
      ...(wrong.locked !== undefined ? { locked: wrong.locked } : {}),
    };
  });
  deps.auditWritten();
  return answer;
}

/** Approval (one conditional write) and its audit event. */
async function approve(
  deps: ServiceDeps,
  ctx: CallContext & { serviceId: string },
  t: TransactionRecord,
  channel: 'app' | 'offline',
  offline?: { step: number; question: string },
): Promise<TransactionAnswer> {
  const now = deps.clock.now();
  const approved = auditEvent(deps, ctx, {
    action: 'transaction.approved',
    customerRef: t.customerRef,
    tokenId: t.tokenId,
    result: 'ok',
    detail: { transactionId: t.id, channel },
  });
  // Online: the conditional write and its audit event in one transaction. Offline: the write
  // alone first, because the unique index that keeps a code single use may refuse it, which
  // would abort a surrounding PostgreSQL transaction; the audit event follows at once.
  const won =
    offline === undefined
      ? await deps.store.transaction(async (tx) => {
          const ok = await tx.settleTransaction({ id: t.id, to: 'approved', channel, now });
          if (ok) {
            await tx.clearOtpFailures(t.tokenId);
            await tx.appendAudit(approved);
          }
          return ok;
        })
      : await deps.store.settleTransaction({
          id: t.id,
          to: 'approved',
          channel,
          now,
          offlineStep: offline.step,
          offlineQuestion: offline.question,
        });
  if (!won) {
    // Another request settled it first (the same approval sent twice), it expired meanwhile, or
    // this offline code already approved another transaction.
    const latest = (await deps.store.getTransaction(t.serviceId, t.id)) ?? t;
    const answer =
      latest.state === 'pending' && now < latest.expiresAt
        ? { result: 'replayed' as const, state: 'pending' as const }
        : settledAnswer(latest, now);
    await deps.store.appendAudit(
      auditEvent(deps, ctx, {
        action: 'transaction.verify',
        customerRef: t.customerRef,
        tokenId: t.tokenId,
        result: answer.result,
        detail: { transactionId: t.id, channel },
      }),
    );
    deps.auditWritten();
    return answer;
  }
  if (offline !== undefined) {
    await deps.store.transaction(async (tx) => {
      await tx.clearOtpFailures(t.tokenId);
      await tx.appendAudit(approved);
    });
  }
  deps.auditWritten();
  return { result: 'ok', state: 'approved' };
}

/** The token of a transaction, if it can still answer: else the reason code. */
async function answeringToken(
  deps: ServiceDeps,
  t: TransactionRecord,
): Promise<{ token: StoredToken; hmac: HmacFn } | { result: ReasonCode }> {
  const token = await deps.store.getToken(t.tokenId);
  if (token === null || token.state !== 'active') return { result: 'not_active' };
  if (token.locked) return { result: 'locked' };
  const hmac = tokenHmac(deps, token);
  if (hmac === null) return { result: 'not_active' };
  return { token, hmac };
}

/**
 * POST /customers/{ref}/transactions/{id}/cancel: the customer stopped the transfer on the bank's
 * screen (申込を中止する, or 戻る to change it). One conditional UPDATE moves it from pending to
 * cancelled, so an 承認 racing with it loses (or wins, and then the cancel answers `replayed` with
 * the state approved: the bank then knows the customer approved before stopping). Audited.
 */
export async function cancelTransaction(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  idInput: unknown,
): Promise<TransactionAnswer> {
  const found = await requireCustomerTransaction(deps, ctx, refInput, idInput);
  const t = await settleExpiry(deps, ctx, found);
  const now = deps.clock.now();
  if (t.state !== 'pending') return settledAnswer(t, now);
  const cancelled = await moveWithAudit(deps, ctx, t, 'cancelled', (tx) =>
    tx.cancelTransaction(t.id, now),
  );
  if (!cancelled) {
    return settledAnswer((await deps.store.getTransaction(t.serviceId, t.id)) ?? t, now);
  }
  return { result: 'ok', state: 'cancelled' };
}

/**
 * POST /customers/{ref}/transactions/{id}/verify: the offline 取引認証コード the customer made in
 * the app from the payee's account number and the amount (OCRA QN19-T1M) and typed into the
 * bank's screen. Accepted for time steps from one before the transaction's creation to one after
 * now, once (the transaction moves to approved; the same code cannot approve another).
 */
export async function verifyTransactionCode(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  idInput: unknown,
  body: unknown,
): Promise<TransactionAnswer> {
  const code = parseCode(body, 'code');
  const tenant = await requireTenant(deps, ctx.serviceId);
  const t = await requireCustomerTransaction(deps, ctx, refInput, idInput);
  const now = deps.clock.now();
  if (t.state !== 'pending') return settledAnswer(t, now);
  const who = await answeringToken(deps, t);
  if ('result' in who) return { result: who.result, state: 'pending' };
  const suite = offlineTransactionSuite(t.algorithm);
  const question = offlineTransactionQuestion(t.payeeAccount, t.amount);
  const first = Math.floor(t.createdAt / OFFLINE_STEP_MS) - 1;
  const last = Math.floor(now / OFFLINE_STEP_MS) + 1;
  let matched: number | null = null;
  // Every step is computed and compared (no early exit): the time taken does not tell which.
  for (let step = first; step <= last; step++) {
    const expected = generateOcra({ suite, hmac: who.hmac, question, timeStep: step });
    if (constantTimeEqual(expected, code) && matched === null) matched = step;
  }
  if (matched === null) {
    return recordWrongResponse(deps, ctx, t, who.token, tenant.policy, 'offline');
  }
  return approve(deps, ctx, t, 'offline', { step: matched, question });
}

// ── the token app (no API key: the token itself authenticates) ─────────────────────────────

/** What the app sends with every 取引認証 call. */
export interface AppProof {
  serviceId: string;
  userId: string;
  time: number;
  proof: string;
}

/** Reads serviceId, userId, time and proof of an app call (VALIDATION_FAILED when malformed). */
export function parseAppProof(body: Record<string, unknown>): AppProof {
  const errors: FieldError[] = [];
  const serviceId = body['serviceId'];
  const userId = body['userId'];
  const time = body['time'];
  const proof = body['proof'];
  if (typeof serviceId !== 'string' || !/^[0-9]{8}$/.test(serviceId))
    errors.push({ field: 'serviceId', message: 'must be 8 digits' });
  if (typeof userId !== 'string' || !/^[0-9]{12}$/.test(userId))
    errors.push({ field: 'userId', message: 'must be 12 digits' });
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0)
    errors.push({ field: 'time', message: 'must be epoch milliseconds' });
  if (typeof proof !== 'string' || !/^[A-Za-z0-9_-]{27,86}$/.test(proof))
    errors.push({ field: 'proof', message: 'must be a base64url HMAC' });
  if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
  return { serviceId, userId, time, proof } as AppProof;
}

/**
 * Checks the app's proof of possession: HMAC under the token key over
 * `appProofMessage(action, serviceId, userId, transactionId, time)`, with `time` within
 * APP_PROOF_SKEW_MS of the server's clock and later than any time accepted before for this token
 * (one conditional write): a replayed or altered request is refused as UNAUTHORIZED.
 */
export async function authenticateApp(
  deps: ServiceDeps,
  ctx: CallContext,
  p: AppProof,
  action: AppProofAction,
  transactionId: string,
): Promise<{ token: StoredToken; hmac: HmacFn; ctx: CallContext & { serviceId: string } }> {
  const tctx = { ...ctx, serviceId: p.serviceId };
  const candidate = await deps.store.findTokenByUserId(p.serviceId, p.userId);
  const token = candidate === null ? null : await deps.store.getToken(candidate.id);
  // Any token with a secret can prove itself (one set up but not yet 利用中 polls too); what it
  // may do is decided by the caller (only an active token answers transactions).
  const hmac = token === null ? null : tokenHmac(deps, token);
  let ok = false;
  if (token !== null && hmac !== null) {
    const mac = Buffer.from(
      hmac(
        appProofMessage({
          action,
          serviceId: p.serviceId,
          userId: p.userId,
          transactionId,
          time: p.time,
        }),
      ),
    ).toString('base64url');
    ok =
      constantTimeEqual(mac, p.proof) &&
      Math.abs(deps.clock.now() - p.time) <= APP_PROOF_SKEW_MS &&
      (await deps.store.advanceAppClock(token.id, p.time));
  }
  if (!ok || token === null || hmac === null) {
    await deps.store.appendAudit(
      auditEvent(deps, tctx, {
        action: 'app.proof',
        tokenId: token?.id ?? null,
        result: 'invalid',
        detail: { action },
      }),
    );
    deps.auditWritten();
    throw new InkanError('UNAUTHORIZED');
  }
  return { token, hmac, ctx: tctx };
}

/**
 * POST /app/transactions/pending: the token's transactions waiting for 承認 (the app asks when
 * opened and while open). Empty while the token is locked.
 */
export async function appPendingTransactions(
  deps: ServiceDeps,
  ctx: CallContext,
  body: unknown,
): Promise<{ transactions: TransactionView[] }> {
  const p = parseAppProof(asObject(body));
  const { token } = await authenticateApp(deps, ctx, p, 'pending', '');
  if (token.locked || token.state !== 'active') return { transactions: [] };
  const now = deps.clock.now();
  const list = await deps.store.pendingTransactions(token.id, now);
  return { transactions: list.map((t) => view(t, now)) };
}

/**
 * POST /app/transactions/{id}/respond: 承認 with the OCRA response over the challenge, or 拒否.
 * A wrong response counts toward the lockout; 拒否 cancels the transaction (audited).
 */
export async function appRespondTransaction(
  deps: ServiceDeps,
  ctx: CallContext,
  idInput: unknown,
  body: unknown,
): Promise<TransactionAnswer> {
  const b = asObject(body);
  const id = parseTransactionId(idInput);
  const decision = b['decision'];
  if (decision !== 'approve' && decision !== 'reject') {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: 'decision', message: 'must be approve or reject' }],
    });
  }
  const response = decision === 'approve' ? parseCode(b, 'response') : null;
  const p = parseAppProof(b);
  const app = await authenticateApp(deps, ctx, p, decision, id);
  const found = await deps.store.getTransaction(p.serviceId, id);
  if (found === null || found.tokenId !== app.token.id) {
    throw new InkanError('NOT_FOUND', { resource: 'transaction' });
  }
  const t = await settleExpiry(deps, app.ctx, found);
  const now = deps.clock.now();
  if (t.state !== 'pending') return settledAnswer(t, now);
  if (app.token.state !== 'active') return { result: 'not_active', state: 'pending' };
  if (app.token.locked) return { result: 'locked', state: 'pending' };
  if (decision === 'reject') {
    const won = await deps.store.settleTransaction({ id, to: 'rejected', channel: 'app', now });
    if (!won) return settledAnswer((await deps.store.getTransaction(p.serviceId, id)) ?? t, now);
    await deps.store.appendAudit(
      auditEvent(deps, app.ctx, {
        action: 'transaction.rejected',
        customerRef: t.customerRef,
        tokenId: t.tokenId,
        result: 'rejected',
        detail: { transactionId: id, channel: 'app' },
      }),
    );
    deps.auditWritten();
    return { result: 'ok', state: 'rejected' };
  }
  const expected = generateOcra({
    suite: onlineTransactionSuite(t.algorithm),
    hmac: app.hmac,
    question: t.challenge,
  });
  if (!constantTimeEqual(expected, response ?? '')) {
    const tenant = await requireTenant(deps, p.serviceId);
    return recordWrongResponse(deps, app.ctx, t, app.token, tenant.policy, 'app');
  }
  return approve(deps, app.ctx, t, 'app');
}

// ── when 取引認証 applies: the tenant's rule, or the customer's own ───────────────────────────

/** A customer's effective 取引認証 rule and where it comes from. */
export interface TransactionPolicyView {
  transactionAuth: TransactionAuthMode;
  transactionAuthAmount: number;
  source: 'tenant' | 'customer';
}

const MODES: readonly TransactionAuthMode[] = ['off', 'always', 'above_amount', 'new_payee'];

/** GET /customers/{ref}/transaction-policy: the rule for this customer (SPEC.md: per customer or for all). */
export async function getTransactionPolicy(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
): Promise<TransactionPolicyView> {
  const ref = parseCustomerRef(refInput);
  const tenant = await requireTenant(deps, ctx.serviceId);
  const customer = await deps.store.getCustomer(ctx.serviceId, ref);
  const own = customer === null ? null : await deps.store.getCustomerTransactionPolicy(customer.id);
  return effectivePolicy(tenant.policy, own);
}

function effectivePolicy(
  policy: TenantPolicy,
  own: CustomerTransactionPolicy | null,
): TransactionPolicyView {
  // A tenant stored before migration 006 has no setting: off, 100,000 yen (policy.ts defaults).
  const tenantMode = policy.transactionAuth ?? 'off';
  const tenantAmount = policy.transactionAuthAmount ?? 100_000;
  if (own === null) {
    return { transactionAuth: tenantMode, transactionAuthAmount: tenantAmount, source: 'tenant' };
  }
  return {
    transactionAuth: own.transactionAuth,
    transactionAuthAmount: own.transactionAuthAmount ?? tenantAmount,
    source: 'customer',
  };
}

/**
 * PUT /customers/{ref}/transaction-policy: `{"transactionAuth": mode, "transactionAuthAmount"?}`
 * sets the customer's own rule, `{"transactionAuth": null}` returns them to the tenant's.
 * Audited as `customer.transaction_policy`.
 */
export async function setTransactionPolicy(
  deps: ServiceDeps,
  ctx: TenantCallContext,
  refInput: unknown,
  body: unknown,
): Promise<TransactionPolicyView> {
  const ref = parseCustomerRef(refInput);
  const b = asObject(body);
  const errors: FieldError[] = [];
  const mode = b['transactionAuth'];
  const amount = b['transactionAuthAmount'];
  if (mode !== null && !MODES.includes(mode as TransactionAuthMode))
    errors.push({
      field: 'transactionAuth',
      message: `must be one of ${MODES.join(', ')}, or null`,
    });
  if (
    amount !== undefined &&
    amount !== null &&
    !(
      typeof amount === 'number' &&
      Number.isInteger(amount) &&
      amount >= 1 &&
      amount <= 999_999_999
    )
  )
    errors.push({
      field: 'transactionAuthAmount',
      message: 'must be an integer from 1 to 999999999',
    });
  for (const k of Object.keys(b)) {
    if (k !== 'transactionAuth' && k !== 'transactionAuthAmount')
      errors.push({ field: k, message: 'is not a setting' });
  }
  if (errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors });
  const tenant = await requireTenant(deps, ctx.serviceId);
  const now = deps.clock.now();
  const own: CustomerTransactionPolicy | null =
    mode === null
      ? null
      : {
          transactionAuth: mode as TransactionAuthMode,
          transactionAuthAmount: typeof amount === 'number' ? amount : null,
        };
  await deps.store.transaction(async (tx) => {
    const customer = await tx.ensureCustomer(ctx.serviceId, ref, now);
    await tx.setCustomerTransactionPolicy(customer.id, own, now);
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: 'customer.transaction_policy',
        customerRef: ref,
        result: own === null ? 'tenant' : own.transactionAuth,
        detail: own?.transactionAuthAmount == null ? {} : { amount: own.transactionAuthAmount },
      }),
    );
  });
  deps.auditWritten();
  return effectivePolicy(tenant.policy, own);
}
