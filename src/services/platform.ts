import { platformHousekeeping } from './housekeeping.js';
import { randomInt } from 'node:crypto';
import type { Clock, Keyring, Mailer, PasswordHasher, Store } from '../core/index.js';
import { activateToken } from './activate-token.js';
import { createAuditChainer } from './audit-trail.js';
import { deactivateToken } from './deactivate-token.js';
import {
  createTenantCache,
  type CallContext,
  type ServiceDeps,
  type TenantCallContext,
} from './deps.js';
import { importHardware } from './hardware.js';
import { issueToken } from './issue-token.js';
import { createMailNotices } from './mail-notices.js';
import { createPushService, type PushOptions } from './push.js';
import { createPasskeyService, webAuthnFromUrl, type WebAuthnConfig } from './passkeys.js';
import { provision } from './provision.js';
import { createStaffAccounts } from './staff.js';
import { createStaffDesk } from './staff-desk.js';
import { createStaffPasskeys } from './staff-passkeys.js';
import { createPaperDeactivations } from './paper-deactivation.js';
import { createHardwareDesk } from './hardware-desk.js';
import { createConsoleDesk } from './console-desk.js';
import { createStaffAdmin } from './staff-admin.js';
import { reissueHardware } from './reissue-hardware.js';
import { createApiKeyAuthenticator, createTenant, issueApiKey } from './tenants.js';
import { getCustomerToken, unlockToken } from './unlock-token.js';
import { verifyCustomerOtp } from './verify-customer-otp.js';
import {
  appPendingTransactions,
  appRespondTransaction,
  createTransaction,
  getTransaction,
  getTransactionPolicy,
  setTransactionPolicy,
  verifyTransactionCode,
  cancelTransaction,
} from './transactions.js';

/** What the composition root passes in. */
export interface PlatformOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly keyring: Keyring;
  readonly hasher: PasswordHasher;
  readonly onBackgroundError?: (e: unknown) => void;
  /** Delay of the audit chainer after a write (ms). */
  readonly auditChainDelayMs?: number;
  /** Sends the platform's mails (トークン発行のご案内); none: no mail is sent. */
  readonly mailer?: Mailer;
  /** The base URL customers reach this server at, for links in mails (default http://localhost:3000). */
  readonly publicUrl?: string;
  /** 生体認証ログイン's RP ID and origins; default: the public URL's host and origin. */
  readonly webauthn?: WebAuthnConfig;
  /** Web Push for 取引認証 (issue 7): the VAPID keys (null/absent: off, the app polls). */
  readonly push?: Omit<PushOptions, 'onError'>;
  /** Told when a tenant's policy changed here, for caches beside this platform's own. */
  readonly tenantChanged?: (serviceId: string) => void;
}

/** Random decimal digits from the CSPRNG. */
export function cryptoRandomDigits(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String(randomInt(10));
  return s;
}

/**
 * The platform's use cases, wired once. Every HTTP route, the in-process client and the CLI
 * call these; none reaches the store directly.
 */
export function createPlatform(o: PlatformOptions) {
  const onBackgroundError =
    o.onBackgroundError ??
    ((e: unknown) =>
      process.stderr.write(
        `background task failed: ${e instanceof Error ? e.message : String(e)}\n`,
      ));
  const chainer = createAuditChainer(o.store, onBackgroundError, o.auditChainDelayMs);
  const deps: ServiceDeps = {
    store: o.store,
    clock: o.clock,
    keyring: o.keyring,
    hasher: o.hasher,
    randomDigits: cryptoRandomDigits,
    auditWritten: () => chainer.written(),
    tenants: createTenantCache(
      o.store,
      o.clock,
      o.tenantChanged === undefined ? {} : { changed: o.tenantChanged },
    ),
  };
  const notices =
    o.mailer === undefined
      ? undefined
      : createMailNotices(deps, {
          mailer: o.mailer,
          publicUrl: o.publicUrl ?? 'http://localhost:3000',
          onError: onBackgroundError,
        });
  const apiKeys = createApiKeyAuthenticator(o.store, o.hasher, o.clock);
  const push = createPushService(deps, { vapid: null, ...o.push, onError: onBackgroundError });
  const passkeys = createPasskeyService(
    deps,
    o.webauthn ?? webAuthnFromUrl(o.publicUrl ?? 'http://localhost:3000'),
  );
  return {
    deps,
    clock: o.clock,
    authenticate: (apiKey: string) => apiKeys.authenticate(apiKey),
    createTenant: (
      ctx: CallContext,
      input: { serviceId: string; name: string; policy?: unknown },
    ) => createTenant(deps, ctx, input),
    issueApiKey: (ctx: CallContext, serviceId: string) => issueApiKey(deps, ctx, serviceId),
    getTenant: (serviceId: string) => deps.tenants.get(serviceId),
    listTenants: () => o.store.listTenants(),
    issueToken: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      issueToken(deps, ctx, ref, body, notices),
    provision: (ctx: CallContext, body: unknown) => provision(deps, ctx, body),
    activateToken: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      activateToken(deps, ctx, ref, body),
    verify: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      verifyCustomerOtp(deps, ctx, ref, body),
    getToken: (ctx: TenantCallContext, ref: unknown) => getCustomerToken(deps, ctx, ref),
    deactivateToken: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      deactivateToken(deps, ctx, ref, body),
    /** Hardware tokens from a vendor's PSKC file into the bank's stock (all or nothing). */
    importHardware: (
      ctx: CallContext,
      input: { serviceId: string; xml: string; preSharedKey?: Uint8Array; batch: string },
    ) => importHardware(deps, ctx, input),
    countHardwareStock: (serviceId: string) => o.store.countHardwareStock(serviceId),
    unlockToken: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      unlockToken(deps, ctx, ref, body),
    /** 取引認証 (SPEC.md, "Transaction authentication"): the bank's calls and the app's. */
    transactions: {
      create: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
        createTransaction(deps, ctx, ref, body, (tokenId) => push.wake(tokenId)),
      get: (ctx: TenantCallContext, ref: unknown, id: unknown) =>
        getTransaction(deps, ctx, ref, id),
      verifyCode: (ctx: TenantCallContext, ref: unknown, id: unknown, body: unknown) =>
        verifyTransactionCode(deps, ctx, ref, id, body),
      cancel: (ctx: TenantCallContext, ref: unknown, id: unknown) =>
        cancelTransaction(deps, ctx, ref, id),
      appPending: (ctx: CallContext, body: unknown) => appPendingTransactions(deps, ctx, body),
      appRespond: (ctx: CallContext, id: unknown, body: unknown) =>
        appRespondTransaction(deps, ctx, id, body),
      getPolicy: (ctx: TenantCallContext, ref: unknown) => getTransactionPolicy(deps, ctx, ref),
      setPolicy: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
        setTransactionPolicy(deps, ctx, ref, body),
    },
    /** Web Push that wakes the token app for 取引認証 (issue 7 item 3). */
    push,
    /** The admin console's staff accounts: creation, login, TOTP enrolment, unlock. */
    staff: createStaffAccounts(deps),
    /** The admin console's work on customers: search, トークン詳細, 閉塞解除, 発行規制. */
    staffDesk: createStaffDesk(deps),
    /** 生体認証ログイン: passkey registration, authentication, list and removal (issue 6). */
    passkeys,
    /** The admin console's view and removal of a customer's passkeys. */
    staffPasskeys: createStaffPasskeys(deps, passkeys),
    /** Forced 利用解除 on a paper request under four eyes (issue 5). */
    paperDeactivations: createPaperDeactivations(deps),
    /** The hardware lifecycle in the console: inventory, import, shipping, HOTP resync. */
    hardwareDesk: createHardwareDesk(deps),
    /** The console's dashboard, tenant policy editor and audit search (issue 5). */
    consoleDesk: createConsoleDesk(deps),
    /** 行員管理: add staff, reset an authenticator app, lock (issue 5). */
    staffAdmin: createStaffAdmin(deps),
    /** Hardware re-issue from 90 days before expiry, with a current OTP (SPEC.md). */
    reissueHardware: (ctx: TenantCallContext, ref: unknown, body: unknown) =>
      reissueHardware(deps, ctx, ref, body),
    /** One housekeeping sweep (src/housekeeping.ts runs it every few minutes and on demand). */
    housekeeping: (limit = 1000) => platformHousekeeping(deps, limit),
    /** Links every pending audit event now (tests, shutdown, `inkan audit verify`). */
    flushAudit: () => chainer.flush(),
    /** Waits for the mails under way: sent, or failed and audited (tests, shutdown). */
    flushMail: async (): Promise<void> => notices?.flush(),
    async close(): Promise<void> {
      // Mails first: a failed one still writes its audit event, which the chainer then links.
      await notices?.flush();
      await push.flush();
      await chainer.stop();
      await chainer.flush().catch(() => {});
    },
  };
}

/** The platform's use cases. */
export type Platform = ReturnType<typeof createPlatform>;
