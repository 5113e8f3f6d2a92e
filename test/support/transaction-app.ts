import { createHash } from 'node:crypto';
import {
  appProofMessage,
  encodeTransaction,
  generateOcra,
  offlineTransactionQuestion,
  offlineTransactionSuite,
  onlineTransactionQuestion,
  onlineTransactionSuite,
  type TransactionDetails,
} from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import type { Harness, ProvisionedToken } from './harness.js';

/**
 * The token app's side of 取引認証 in Node, as an independent client of the wire protocol: it
 * recomputes the challenge from the details it is shown, proves possession of the token key, and
 * answers with OCRA (RFC 6287) over the key it derived at provisioning.
 */
export function transactionApp(h: Harness, t: ProvisionedToken) {
  const hmac = createNodeHmac(t.secret, t.algorithm);
  let lastTime = 0;
  // Strictly increasing request times, near the platform's clock.
  const nextTime = () => (lastTime = Math.max(h.clock.now(), lastTime + 1));
  const proof = (action: 'pending' | 'approve' | 'reject', transactionId: string, time: number) =>
    Buffer.from(
      hmac(
        appProofMessage({ action, serviceId: h.serviceId, userId: t.userId, transactionId, time }),
      ),
    ).toString('base64url');
  const post = async (url: string, payload: unknown) => {
    const res = await h.app.inject({
      method: 'POST',
      url,
      payload: payload as Record<string, unknown>,
    });
    return { status: res.statusCode, json: JSON.parse(res.body) as Record<string, unknown> };
  };
  const proofBody = (
    action: 'pending' | 'approve' | 'reject',
    transactionId: string,
    time = nextTime(),
  ) => ({
    serviceId: h.serviceId,
    userId: t.userId,
    time,
    proof: proof(action, transactionId, time),
  });
  return {
    proofBody,
    /** The OCRA response for a transaction as the app computes it: from the shown details. */
    response(id: string, details: TransactionDetails): string {
      const digest = createHash('sha256').update(encodeTransaction(id, details)).digest();
      return generateOcra({
        suite: onlineTransactionSuite(t.algorithm),
        hmac,
        question: onlineTransactionQuestion(digest),
      });
    },
    /** The offline 取引認証コード for account and amount at the platform clock's minute. */
    offlineCode(account: string, amount: number, now = h.clock.now()): string {
      return generateOcra({
        suite: offlineTransactionSuite(t.algorithm),
        hmac,
        question: offlineTransactionQuestion(account, amount),
        now,
      });
    },
    pending(body = proofBody('pending', '')) {
      return post('/api/v1/app/transactions/pending', body);
    },
    respond(
      id: string,
      decision: 'approve' | 'reject',
      response?: string,
      body = proofBody(decision, id),
    ) {
      return post(`/api/v1/app/transactions/${id}/respond`, {
        ...body,
        decision,
        ...(response === undefined ? {} : { response }),
      });
    },
  };
}
