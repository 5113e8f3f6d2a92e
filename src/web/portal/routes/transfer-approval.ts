import type { FastifyInstance, FastifyReply } from 'fastify';
import type { OtpAnswer, TransactionInfo } from '../../../client/index.js';
import { isInkanError, requiresTransactionAuth } from '../../../core/index.js';
import { jstDate } from '../../../core/time/jst.js';
import { formField, sendPage, type Authed, type PortalContext } from '../context.js';
import { flowAt, type TransferDraft, type TransferFlow } from '../flows.js';
import {
  TRANSFER_APPROVAL_CSS,
  TRANSFER_APPROVAL_JS,
  transferApprovalScreen,
  transferStoppedScreen,
} from '../views/transfer-approval.js';
import type { createFlowKit } from './flow-kit.js';
import { saveTransferReceipt } from './transfer-receipt.js';

type FlowKit = ReturnType<typeof createFlowKit>;

/**
 * 申込を中止する (or 戻る) on the waiting screen: the platform cancels the pending transaction, so
 * the app can no longer approve a transfer the customer stopped. Leaving must always work, so a
 * failed cancel is logged and the transaction then simply expires.
 */
export async function cancelPendingApproval(
  ctx: PortalContext,
  a: { session: Authed['session']; customer: { platform_ref: string } | null },
  log: { warn: (o: object, msg: string) => void },
): Promise<void> {
  const f = flowAt(a.session.data.flow, 'transfer', 'approve');
  if (f === null || f.transactionId === undefined || a.customer === null) return;
  try {
    await ctx.o.client.cancelTransaction(a.customer.platform_ref, f.transactionId);
  } catch (e) {
    log.warn({ err: e }, 'the pending transaction could not be cancelled; it will expire');
  }
}

/** The 取引認証 side of the transfer flow, as the confirm step uses it. */
export interface TransactionAuthStep {
  /** Whether this transfer needs 取引認証 (tenant policy, an active software token). */
  needed(a: Authed, d: TransferDraft): Promise<boolean>;
  /** Creates the transaction and moves the flow to the waiting screen. */
  start(a: Authed, f: TransferFlow, reply: FastifyReply): Promise<FastifyReply>;
}

/**
 * 取引認証 in the transfer flow (SPEC.md, "Transaction authentication"; issue 7): confirm →
 * approve (the waiting screen 「アプリで取引内容をご確認ください」, which moves on by itself when the
 * app approves, or takes the offline 取引認証コード) → done. 拒否 in the app cancels the transfer
 * (the platform audits it as `transaction.rejected`); an expired transaction is refused.
 */
export function registerTransferApprovalRoutes(
  app: FastifyInstance,
  ctx: PortalContext,
  kit: FlowKit,
): TransactionAuthStep {
  const { o } = ctx;
  const { base, move } = kit;

  app.get('/assets/transfer-approval.css', (_req, reply) =>
    reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(TRANSFER_APPROVAL_CSS),
  );
  app.get('/assets/transfer-approval.js', (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(TRANSFER_APPROVAL_JS),
  );

  const account = async (a: Authed, d: TransferDraft) =>
    (await o.bank.accounts(a.customer.id)).find((x) => x.id === d.accountId);

  const needed = async (a: Authed, d: TransferDraft): Promise<boolean> => {
    // The tenant's rule, or the customer's own (GET /customers/{ref}/transaction-policy).
    const policy = await o.client.getTransactionPolicy(a.customer.platform_ref);
    if (policy.transactionAuth === 'off') return false;
    // OCRA needs the app: a hardware token (a key fob shows only OTPs) keeps the OTP.
    const token = await o.client.getToken(a.customer.platform_ref);
    if (token === null || token.state !== 'active' || token.type !== 'software') return false;
    const same = (s: string) => s.normalize('NFKC').replace(/\s/g, '');
    const knownPayee = (await o.bank.transfers(a.customer.id, 1000)).some(
      (x) =>
        x.payee_account === d.payeeAccount &&
        same(x.payee_bank) === same(d.payeeBank) &&
        same(x.payee_branch) === same(d.payeeBranch),
    );
    return requiresTransactionAuth(policy, { amount: d.amount, knownPayee });
  };

  const start = async (a: Authed, f: TransferFlow, reply: FastifyReply): Promise<FastifyReply> => {
    const d = f.draft as TransferDraft;
    // Claim the step first: of two submissions only one creates a transaction.
    const claimed = await move(a, { kind: 'transfer', step: 'approve', draft: d });
    if (claimed === null) return reply.redirect('/ib/transfer/approve', 303);
    let tx: TransactionInfo;
    try {
      tx = await o.client.createTransaction(a.customer.platform_ref, {
        payeeBank: d.payeeBank,
        payeeBranch: d.payeeBranch,
        payeeAccount: d.payeeAccount,
        payeeName: d.payeeName,
        amount: d.amount,
        currency: 'JPY',
      });
    } catch (e) {
      if (!isInkanError(e, 'NO_ACTIVE_TOKEN')) throw e;
      await ctx.save(claimed, {
        ...claimed.data,
        flow: { kind: 'transfer', step: 'input', draft: d },
      });
      return sendPage(
        reply,
        transferStoppedScreen({
          ...base(a),
          kind: 'mismatch',
          text: a.locale.t.transactionAuth.noToken,
          draft: d,
          account: await account(a, d),
        }),
        409,
      );
    }
    await ctx.save(claimed, {
      ...claimed.data,
      flow: { kind: 'transfer', step: 'approve', draft: d, transactionId: tx.transactionId },
    });
    return reply.redirect('/ib/transfer/approve', 303);
  };

  const secondsLeft = (tx: TransactionInfo) =>
    Math.max(0, Math.ceil((Date.parse(tx.expiresAt) - o.clock.now()) / 1000));

  /** The flow ends; the screen says why no money moved. */
  const stop = async (
    a: Authed,
    d: TransferDraft,
    kind: 'rejected' | 'expired' | 'failed' | 'mismatch',
    reply: FastifyReply,
    text?: string,
  ) => {
    const { flow: _f, ...rest } = a.session.data;
    await ctx.save(a.session, rest);
    return sendPage(
      reply,
      transferStoppedScreen({
        ...base(a),
        kind,
        draft: d,
        account: await account(a, d),
        ...(text === undefined ? {} : { text }),
      }),
      kind === 'rejected' ? 200 : 409,
    );
  };

  /** 承認 reached: the transfer is sent once (the step is claimed first), as on the confirm step. */
  const complete = async (
    a: Authed,
    d: TransferDraft,
    tx: TransactionInfo,
    reply: FastifyReply,
  ) => {
    const t = a.locale.t;
    // Defence in depth: the approved transaction must be this very transfer.
    const same = (x: string, y: string) =>
      x.normalize('NFKC').trim() === y.normalize('NFKC').trim();
    if (
      tx.payeeAccount !== d.payeeAccount ||
      tx.amount !== d.amount ||
      !same(tx.payeeName, d.payeeName) ||
      !same(tx.payeeBank, d.payeeBank) ||
      !same(tx.payeeBranch, d.payeeBranch)
    ) {
      return stop(a, d, 'mismatch', reply);
    }
    const claimed = await move(a, { kind: 'transfer', step: 'done', draft: d });
    if (claimed === null) return reply.redirect('/ib/transfer/done', 303);
    const now = o.clock.now();
    const out = await o.bank.transfer({
      customer_id: a.customer.id,
      account_id: d.accountId,
      payee_bank: d.payeeBank,
      payee_branch: d.payeeBranch,
      payee_account_type: d.payeeType,
      payee_account: d.payeeAccount,
      payee_name: d.payeeName,
      amount: d.amount,
      fee: d.fee,
      auth: 'transaction',
      created_at: now,
      jst_date: jstDate(now),
      // 取引認証 needs an active token: the customer's own limit applies (SPEC.md, 振込).
      limit: Number(a.customer.daily_limit),
    });
    if (!out.ok) {
      return stop(
        { ...a, session: claimed },
        d,
        'failed',
        reply,
        out.reason === 'limit' ? t.transfer.refusedLimit : t.transfer.refusedFunds,
      );
    }
    await saveTransferReceipt(ctx, { ...a, session: claimed }, d, out.id, now);
    return reply.redirect('/ib/transfer/done', 303);
  };

  const draw = async (
    a: Authed,
    tx: TransactionInfo,
    reply: FastifyReply,
    extra: { errors?: Record<string, string>; message?: string } = {},
    status = 200,
  ) =>
    sendPage(
      reply,
      transferApprovalScreen({ ...base(a), tx, secondsLeft: secondsLeft(tx), ...extra }),
      status,
    );

  /** What a settled transaction means for the flow. */
  const settled = (a: Authed, d: TransferDraft, tx: TransactionInfo, reply: FastifyReply) =>
    tx.state === 'approved'
      ? complete(a, d, tx, reply)
      : tx.state === 'cancelled'
        ? stop(a, d, 'failed', reply, a.locale.t.transactionAuth.cancelled)
        : stop(
            a,
            d,
            tx.state === 'rejected' ? 'rejected' : tx.state === 'expired' ? 'expired' : 'failed',
            reply,
          );

  const approving = (f: TransferFlow) => f.draft !== undefined && f.transactionId !== undefined;

  kit.stepPage(
    '/transfer/approve',
    'transfer',
    ['approve'],
    async (a, f, reply) => {
      const d = f.draft as TransferDraft;
      const tx = await o.client.getTransaction(a.customer.platform_ref, f.transactionId ?? '');
      // Rejected, expired or failed: nothing more to wait for (no money moves on a GET).
      if (tx.state !== 'pending' && tx.state !== 'approved') return settled(a, d, tx, reply);
      return draw(a, tx, reply);
    },
    approving,
  );

  // The waiting screen's poll: the transaction's state (JSON).
  app.get('/transfer/approve/status', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const f = flowAt(a.session.data.flow, 'transfer', 'approve');
    if (f === null || f.transactionId === undefined)
      return reply.status(404).send({ error: 'not_found' });
    const tx = await o.client.getTransaction(a.customer.platform_ref, f.transactionId);
    return reply
      .header('cache-control', 'no-store')
      .send({ state: tx.state, secondsLeft: secondsLeft(tx) });
  });

  app.post('/transfer/approve', async (req, reply) => {
    const st = await kit.stepPost(req, reply, 'transfer', 'approve', approving);
    if (st === null) return reply;
    const { a, f } = st;
    const d = f.draft as TransferDraft;
    const id = f.transactionId ?? '';
    const t = a.locale.t;
    const x = t.transactionAuth;
    const ref = a.customer.platform_ref;
    const code = formField(req, 'code').trim().normalize('NFKC');
    let tx = await o.client.getTransaction(ref, id);
    if (tx.state !== 'pending') return settled(a, d, tx, reply);
    if (code === '') {
      // The form without a code: the script's submission once the app answered, or a press of
      // 実行 before that.
      return draw(
        a,
        tx,
        reply,
        req.body && typeof req.body === 'object' && 'code' in req.body
          ? { errors: { code: x.codeRequired } }
          : { message: x.notYet },
        400,
      );
    }
    if (!/^[0-9]{8}$/.test(code))
      return draw(a, tx, reply, { errors: { code: x.codeFormat } }, 400);
    if (!(await ctx.limit(req, reply, 'secretPerCustomer', `c${a.customer.id}`))) return reply;
    const r = await o.client.verifyTransactionCode(ref, id, code);
    if (r.result === 'ok') return complete(a, d, { ...tx, state: 'approved' }, reply);
    if (r.result === 'locked' || r.locked === true) {
      const answer: OtpAnswer = {
        result: 'locked',
        ...(r.failCount === undefined ? {} : { failCount: r.failCount }),
        locked: true,
      };
      return kit.locked(a, req, reply, answer);
    }
    tx = await o.client.getTransaction(ref, id);
    if (tx.state !== 'pending') return settled(a, d, tx, reply);
    return draw(a, tx, reply, { errors: { code: x.codeWrong } }, 400);
  });

  return { needed, start };
}
