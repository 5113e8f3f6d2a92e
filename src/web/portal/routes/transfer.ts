import type { FastifyInstance } from 'fastify';
import { jstDate } from '../../../core/time/jst.js';
import type { BankCustomer } from '../../../bank/bank-store.js';
import {
  LIMIT_WITHOUT_OTP,
  formField,
  sendPage,
  type Authed,
  type PortalContext,
} from '../context.js';
import type { TransferDraft, TransferFlow } from '../flows.js';
import { sendMailOtp } from '../mail-otp.js';
import {
  transferConfirm,
  transferDone,
  transferInput,
  type TransferAuth,
  type TransferInput,
} from '../views/transfer.js';
import { createFlowKit } from './flow-kit.js';
import { registerTransferApprovalRoutes } from './transfer-approval.js';
import { saveTransferReceipt } from './transfer-receipt.js';
import { isLockedAnswer, otpRefusal } from './messages.js';

/** 全角カタカナ (and the space) as a payee's name is written; half-width kana are accepted too. */
const KANA_NAME = /^[\u30a0-\u30ff\uff66-\uff9f\u3000 ー（）()．.・]+$/;
/** The largest amount one transfer may carry (yen). */
const MAX_AMOUNT = 99_999_999;

/** 振込手数料: none within the bank; to other banks 220 yen below 30,000 yen, else 330 yen. */
export function transferFee(bankName: string, payeeBank: string, amount: number): number {
  const same = (s: string) => s.normalize('NFKC').replace(/\s/g, '');
  if (same(payeeBank) === same(bankName)) return 0;
  return amount < 30_000 ? 220 : 330;
}

/**
 * 振込 (SPEC.md, "What needs an OTP"): once the OTP is 利用中, every transfer needs it; a
 * customer without one who uses メール通知パスワード enters the mailed code instead (guide 004:
 * the two are exclusive); without either, the 確認用パスワード alone within 200,000 yen a day.
 */
export function registerTransferRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const { o } = ctx;
  const kit = createFlowKit(app, ctx);
  const { base, move, stepPost, stepPage, locked } = kit;
  // 取引認証 (issue 7): when the tenant's policy asks for it, the app confirms the transfer.
  const txAuth = registerTransferApprovalRoutes(app, ctx, kit);

  /** The accounts a transfer may be paid from: not a 定期 (time deposit). */
  const payingAccounts = async (customerId: number) =>
    (await o.bank.accounts(customerId)).filter((x) => x.account_type !== '定期');

  /** The day's limit: the customer's own with an active OTP, else at most 200,000 yen. */
  const limitsOf = async (c: BankCustomer) => {
    const token = await o.client.getToken(c.platform_ref);
    const otpActive = token !== null && token.state === 'active';
    const limit = otpActive
      ? Number(c.daily_limit)
      : Math.min(Number(c.daily_limit), LIMIT_WITHOUT_OTP);
    const sentToday = await o.bank.sentOn(c.id, jstDate(o.clock.now()));
    return { limit, sentToday, otpActive };
  };

  /** How this customer confirms a transfer. */
  const authOf = (a: Authed, otpActive: boolean): TransferAuth => {
    if (otpActive) return { kind: 'otp' };
    if (a.customer.mail_otp_email !== null) {
      const m = a.session.data.mailOtp;
      return { kind: 'mail', sent: m === undefined ? null : { sentAt: m.sentAt, to: m.to } };
    }
    return { kind: 'none' };
  };

  const drawInput = async (
    a: Authed,
    input: TransferInput,
    extra: { errors?: Record<string, string>; message?: string } = {},
  ) =>
    transferInput({
      ...base(a),
      accounts: await payingAccounts(a.customer.id),
      input,
      limits: await limitsOf(a.customer),
      ...extra,
    });

  // The screen opens a new transfer unless one is under way.
  app.get('/transfer', async (req, reply) => {
    const a = await ctx.requireLogin(req, reply);
    if (a === null) return reply;
    const f = a.session.data.flow;
    let cur = a;
    if (f === undefined || f.kind !== 'transfer' || f.step !== 'input') {
      const saved = await move(a, {
        kind: 'transfer',
        step: 'input',
        ...(f?.kind === 'transfer' && f.step === 'confirm' && f.draft ? { draft: f.draft } : {}),
      });
      if (saved !== null) cur = { ...a, session: saved };
    }
    const d = (cur.session.data.flow as TransferFlow | undefined)?.draft;
    return sendPage(
      reply,
      await drawInput(
        cur,
        d === undefined
          ? {}
          : {
              accountId: String(d.accountId),
              payeeBank: d.payeeBank,
              payeeBranch: d.payeeBranch,
              payeeType: d.payeeType,
              payeeAccount: d.payeeAccount,
              payeeName: d.payeeName,
              amount: String(d.amount),
            },
      ),
    );
  });

  app.post('/transfer', async (req, reply) => {
    const st = await stepPost(req, reply, 'transfer', 'input');
    if (st === null) return reply;
    const { a } = st;
    const input: TransferInput = {
      accountId: formField(req, 'accountId'),
      payeeBank: formField(req, 'payeeBank').trim(),
      payeeBranch: formField(req, 'payeeBranch').trim(),
      payeeType: formField(req, 'payeeType'),
      payeeAccount: formField(req, 'payeeAccount').trim().normalize('NFKC'),
      payeeName: formField(req, 'payeeName')
        .trim()
        .normalize('NFKC')
        .replace(/[\uff66-\uff9f]/g, (c) => c.normalize('NFKC')),
      // 1,000円 as written in Japanese, ¥1,000 (or ￥, NFKC makes it ¥) as written in English.
      amount: formField(req, 'amount')
        .trim()
        .normalize('NFKC')
        .replace(/[,円¥]/g, ''),
    };
    const t = a.locale.t;
    const m = t.transfer;
    const errors: Record<string, string> = {};
    const accounts = await payingAccounts(a.customer.id);
    const account = accounts.find((x) => String(x.id) === input.accountId);
    if (account === undefined) errors['accountId'] = m.fromRequired;
    const text = (k: 'payeeBank' | 'payeeBranch', label: string) => {
      const v = input[k] ?? '';
      if (v === '') errors[k] = m.textRequired(label);
      else if (v.length > 30 || /[\u0000-\u001f\u007f]/.test(v)) errors[k] = m.textTooLong(label);
    };
    text('payeeBank', m.payeeBank);
    text('payeeBranch', m.payeeBranch);
    if (input.payeeType !== '普通' && input.payeeType !== '当座')
      errors['payeeType'] = m.typeRequired;
    if (!/^[0-9]{7}$/.test(input.payeeAccount ?? '')) errors['payeeAccount'] = m.accountFormat;
    const name = input.payeeName ?? '';
    if (name === '') errors['payeeName'] = m.nameRequired;
    else if (name.length > 30 || !KANA_NAME.test(name)) errors['payeeName'] = m.nameFormat;
    const amount = /^[0-9]{1,9}$/.test(input.amount ?? '') ? Number(input.amount) : NaN;
    if (input.amount === '') errors['amount'] = m.amountRequired;
    else if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT)
      errors['amount'] = m.amountFormat;
    if (Object.keys(errors).length === 0 && account !== undefined) {
      const lim = await limitsOf(a.customer);
      const fee = transferFee(o.bankName, input.payeeBank ?? '', amount);
      if (lim.sentToday + amount > lim.limit) {
        errors['amount'] = m.overLimit(t.yen(lim.limit - lim.sentToday));
      } else if (Number(account.balance) < amount + fee) {
        errors['amount'] = m.shortOfFunds;
      }
    }
    if (Object.keys(errors).length > 0 || account === undefined)
      return sendPage(reply, await drawInput(a, input, { errors }), 400);
    const draft: TransferDraft = {
      accountId: account.id,
      payeeBank: input.payeeBank ?? '',
      payeeBranch: input.payeeBranch ?? '',
      payeeType: input.payeeType as '普通' | '当座',
      payeeAccount: input.payeeAccount ?? '',
      payeeName: name,
      amount,
      fee: transferFee(o.bankName, input.payeeBank ?? '', amount),
    };
    const next: TransferFlow = { kind: 'transfer', step: 'confirm', draft };
    const lim = await limitsOf(a.customer);
    const auth = authOf(a, lim.otpActive);
    // Claim the step first: of two submissions only one moves on, and only that one mails.
    const moved = await move(a, next);
    // メール通知パスワード: one is sent unless this session holds a valid one (guide 004: valid
    // until logout or a newer one).
    if (moved !== null && auth.kind === 'mail' && auth.sent === null)
      await sendMailOtp(ctx, moved, a.customer);
    return reply.redirect('/ib/transfer/confirm', 303);
  });

  const drawConfirm = async (
    a: Authed,
    f: TransferFlow,
    extra: { errors?: Record<string, string>; message?: string } = {},
  ) => {
    const d = f.draft as TransferDraft;
    const lim = await limitsOf(a.customer);
    const account = (await o.bank.accounts(a.customer.id)).find((x) => x.id === d.accountId);
    // With 取引認証 the app confirms instead of the OTP: the screen asks the password only.
    const auth: TransferAuth = (await txAuth.needed(a, d))
      ? { kind: 'none' }
      : authOf(a, lim.otpActive);
    return transferConfirm({ ...base(a), draft: d, account, auth, ...extra });
  };

  stepPage(
    '/transfer/confirm',
    'transfer',
    ['confirm'],
    async (a, f, reply) => sendPage(reply, await drawConfirm(a, f)),
    (f) => f.draft !== undefined,
  );

  app.post('/transfer/confirm', async (req, reply) => {
    const st = await stepPost(req, reply, 'transfer', 'confirm', (f) => f.draft !== undefined);
    if (st === null) return reply;
    let { a } = st;
    const { f } = st;
    const d = f.draft as TransferDraft;
    const lim = await limitsOf(a.customer);
    const needTx = await txAuth.needed(a, d);
    const auth: TransferAuth = needTx ? { kind: 'none' } : authOf(a, lim.otpActive);
    const checked = await kit.checkSecondFactor(req, reply, a, auth);
    if (checked === false) return reply;
    a = checked.a;
    const { errors, otp } = checked;
    const t = a.locale.t;
    if (Object.keys(errors).length > 0)
      return sendPage(reply, await drawConfirm(a, f, { errors }), 400);
    if (needTx) return txAuth.start(a, f, reply);
    // Claim the step: of two submissions only one sends money.
    const claimed = await move(a, { kind: 'transfer', step: 'done', draft: d });
    if (claimed === null) return reply.redirect('/ib/transfer/done', 303);
    const back = async (
      extra: { errors?: Record<string, string>; message?: string },
      status: number,
    ) => {
      const restored = await ctx.save(claimed, { ...claimed.data, flow: f });
      return sendPage(
        reply,
        await drawConfirm({ ...a, session: restored ?? claimed }, f, extra),
        status,
      );
    };
    if (auth.kind === 'otp') {
      // The OTP last: a refused password or code never uses up an OTP step.
      const r = await o.client.verify(a.customer.platform_ref, otp);
      if (isLockedAnswer(r)) return locked({ ...a, session: claimed }, req, reply, r);
      if (r.result !== 'ok') return back({ errors: { otp: otpRefusal(t, r.result) } }, 400);
    }
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
      auth: auth.kind === 'otp' ? 'otp' : auth.kind === 'mail' ? 'mail_otp' : 'none',
      created_at: now,
      jst_date: jstDate(now),
      limit: lim.limit,
    });
    if (!out.ok) {
      return back(
        { message: out.reason === 'limit' ? t.transfer.refusedLimit : t.transfer.refusedFunds },
        409,
      );
    }
    await saveTransferReceipt(ctx, { ...a, session: claimed }, d, out.id, now);
    return reply.redirect('/ib/transfer/done', 303);
  });

  stepPage('/transfer/done', 'transfer', ['done'], async (a, f, reply) => {
    // Still being sent (a double click's second answer is followed at once): say so and leave
    // the session alone, so the sending request can save its result.
    if (f.result === undefined || f.draft === undefined)
      return kit.busy(a, reply, a.locale.t.transfer.name);
    const account = (await o.bank.accounts(a.customer.id)).find((x) => x.id === f.draft?.accountId);
    return sendPage(
      reply,
      transferDone({
        ...base(a),
        draft: f.draft,
        account,
        receiptNo: f.result.receiptNo,
        at: f.result.at,
        balance: f.result.balance,
      }),
    );
  });
}
