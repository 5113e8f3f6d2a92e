import type { TransferDraft } from '../flows.js';
import type { Authed, PortalContext } from '../context.js';

/**
 * The transfer was sent: its receipt (number, time, the balance after it) goes into the session
 * for the done step, which draws it however often it is reached.
 */
export async function saveTransferReceipt(
  ctx: PortalContext,
  a: Pick<Authed, 'session' | 'customer'>,
  draft: TransferDraft,
  transferId: number,
  at: number,
): Promise<void> {
  const account = (await ctx.o.bank.accounts(a.customer.id)).find((x) => x.id === draft.accountId);
  await ctx.save(a.session, {
    ...a.session.data,
    flow: {
      kind: 'transfer',
      step: 'done',
      draft,
      result: {
        receiptNo: `T${String(transferId).padStart(8, '0')}`,
        at,
        balance: Number(account?.balance ?? 0),
      },
    },
  });
}
