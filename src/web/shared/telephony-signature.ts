import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a telephony provider's webhook, Twilio's scheme (twilio.com/docs/usage/security,
 * "Validating Requests are coming from Twilio"): take the full URL the provider requested, query
 * string included; append each POST parameter's name and value, no delimiters, in the order of
 * the names (case-sensitive, code-unit order); HMAC-SHA1 that with the account's auth token as
 * the key; Base64. Inkan carries it in its own header, {@link TELEPHONY_SIGNATURE_HEADER}.
 */

/** The header the signature travels in (Twilio's is X-Twilio-Signature; the algorithm is the same). */
export const TELEPHONY_SIGNATURE_HEADER = 'x-inkan-signature';

/** Where the provider posts inbound calls, under the portal. */
export const TELEPHONY_WEBHOOK_PATH = '/ib/webhooks/telephony/inbound';

/** POST parameters in the order received; a name may repeat. */
export type SignedParams =
  readonly (readonly [name: string, value: string])[] | Readonly<Record<string, string>>;

function sortedPairs(params: SignedParams): (readonly [string, string])[] {
  const pairs = Array.isArray(params)
    ? [...(params as readonly (readonly [string, string])[])]
    : Object.entries(params as Readonly<Record<string, string>>);
  // Names in code-unit order ("Unix-style case-sensitive"); a repeated name by its values, so
  // the string signed is one whatever order the pairs came in.
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return pairs.sort((a, b) => cmp(a[0], b[0]) || cmp(a[1], b[1]));
}

/** The Base64 HMAC-SHA1 signature of a request to `url` with `params`. */
export function signTelephonyRequest(authToken: string, url: string, params: SignedParams): string {
  const mac = createHmac('sha1', authToken);
  mac.update(url, 'utf8');
  for (const [name, value] of sortedPairs(params)) mac.update(name + value, 'utf8');
  return mac.digest('base64');
}

/**
 * Whether `signature` is the one of this request, compared in constant time. A missing or empty
 * signature, or an empty auth token (no provider configured), is never valid.
 */
export function verifyTelephonySignature(
  authToken: string,
  url: string,
  params: SignedParams,
  signature: string | undefined,
): boolean {
  if (authToken === '' || signature === undefined || signature === '') return false;
  const expected = Buffer.from(signTelephonyRequest(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
