import type { Runtime } from '../main.js';

/** The demo bank: SPEC.md's example サービスID. */
export const DEMO_SERVICE_ID = '10112235';
export const DEMO_BANK_NAME = 'インカン銀行';
export const DEMO_CUSTOMER_REF = 'demo-0001';
export const DEMO_ACTIVATION_PASSWORD = '1234';

/** What the demo prints. */
export interface DemoInfo {
  serviceId: string;
  name: string;
  apiKey: string;
  customerRef: string;
  userId: string | null;
  activationPassword: string;
}

/**
 * Adds the demo bank and a demo customer with a token waiting for app setup; on a database that
 * has it already, adds a fresh API key (keys are shown once only) and a fresh issuance if the
 * customer has no active token.
 */
export async function seedDemo(rt: Runtime): Promise<DemoInfo> {
  const p = rt.platform;
  const ctx = { actor: 'cli:demo', clientIp: null };
  const existing = await p.getTenant(DEMO_SERVICE_ID);
  const apiKey =
    existing === null
      ? (
          await p.createTenant(ctx, {
            serviceId: DEMO_SERVICE_ID,
            name: DEMO_BANK_NAME,
            // The app's 「ワンタイムパスワードでログイン」 opens the demo bank's portal; the
            // issuance asks for a メール通知パスワード and 電話番号認証 (guides 001, 000), and
            // 機種変更 needs no paper.
            policy: {
              loginUrl: `${rt.config.publicUrl.replace(/\/+$/, '')}/ib/login`,
              issueMailOtp: true,
              issuePhoneCheck: true,
              selfServiceReplace: true,
            },
          })
        ).apiKey
      : await p.issueApiKey(ctx, DEMO_SERVICE_ID);
  const tctx = { ...ctx, serviceId: DEMO_SERVICE_ID };
  let userId: string | null = null;
  try {
    const issued = await p.issueToken(tctx, DEMO_CUSTOMER_REF, {
      type: 'software',
      email: 'demo@example.jp',
      activationPassword: DEMO_ACTIVATION_PASSWORD,
    });
    userId = issued.userId;
  } catch {
    // Already active, or the issuance limit reached: the demo customer keeps what it has.
  }
  return {
    serviceId: DEMO_SERVICE_ID,
    name: DEMO_BANK_NAME,
    apiKey,
    customerRef: DEMO_CUSTOMER_REF,
    userId,
    activationPassword: DEMO_ACTIVATION_PASSWORD,
  };
}
