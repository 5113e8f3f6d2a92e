import { InkanError } from '../core/index.js';

/**
 * Whether a refusal of GET /customers/{ref}/token means "this customer has no token" (登録状況:
 * 未登録): NOT_FOUND for the customer or the token. Any other NOT_FOUND (an unknown tenant, no
 * such route: a base URL with /api/v1 twice, a proxy's own 404) is a fault, not an answer.
 */
export function isNoToken(e: unknown): boolean {
  return (
    e instanceof InkanError &&
    e.code === 'NOT_FOUND' &&
    (e.extra['resource'] === 'customer' || e.extra['resource'] === 'token')
  );
}
