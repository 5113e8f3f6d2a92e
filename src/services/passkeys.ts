import { randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type * as WebAuthnServer from '@simplewebauthn/server';
import type * as WebAuthnHelpers from '@simplewebauthn/server/helpers';
import {
  InkanError,
  signCountAdvances,
  type PasskeyReason,
  type PasskeyRecord,
  type PasskeyStore,
  type FieldError,
} from '../core/index.js';
import { requireCustomer } from './customer.js';
import { auditEvent, iso, type ServiceDeps, type TenantCallContext } from './deps.js';
import { parseCustomerRef } from './inputs.js';

/**
 * Where passkeys are valid, per deployment (README, "生体認証ログイン"): the RP ID (a registrable
 * domain of the pages, WebAuthn §5.1.4.1) and every origin allowed to use it. The token app and
 * the portal must share the RP ID for a passkey made in the app to work on the portal.
 */
export interface WebAuthnConfig {
  readonly rpId: string;
  readonly rpName: string;
  readonly origins: readonly string[];
}

/** @simplewebauthn/server and its helpers (CBOR, base64url, client data). */
interface WebAuthnLib {
  readonly server: typeof WebAuthnServer;
  readonly helpers: typeof WebAuthnHelpers;
}
let webAuthnLib: Promise<WebAuthnLib> | undefined;

/**
 * The WebAuthn library, loaded on the first passkey call: the CLI's commands start without it (it
 * is the largest module of the platform); `inkan serve` loads it once listening (src/server.ts).
 */
export function webauthn(): Promise<WebAuthnLib> {
  webAuthnLib ??= Promise.all([
    import('@simplewebauthn/server'),
    import('@simplewebauthn/server/helpers'),
  ]).then(([server, helpers]) => ({ server, helpers }));
  return webAuthnLib;
}

/** The RP ID and origin of a public URL (http://localhost for the demo). */
export function webAuthnFromUrl(publicUrl: string, rpName = 'Inkan'): WebAuthnConfig {
  const u = new URL(publicUrl);
  return { rpId: u.hostname, rpName, origins: [u.origin] };
}

/**
 * The deployment's RP ID and origins, checked at start: each origin http(s), its host the RP ID
 * or under it (WebAuthn §5.1.4.1: the RP ID is a registrable domain suffix of the origin's host);
 * http only for localhost, the one insecure origin browsers treat as secure. Throws otherwise.
 */
export function checkWebAuthnConfig(rpId: string, origins: readonly string[]): WebAuthnConfig {
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(rpId) || /^[0-9.]+$/.test(rpId)) {
    throw new Error(
      'INKAN_WEBAUTHN_RP_ID must be a domain name (not an IP address), e.g. bank.example.jp',
    );
  }
  if (origins.length === 0) throw new Error('INKAN_WEBAUTHN_ORIGINS must name at least one origin');
  for (const o of origins) {
    const u = URL.canParse(o) ? new URL(o) : null;
    const ok =
      u !== null &&
      u.origin === o &&
      (u.protocol === 'https:' || (u.protocol === 'http:' && u.hostname === 'localhost')) &&
      (u.hostname === rpId || u.hostname.endsWith(`.${rpId}`));
    if (!ok) {
      throw new Error(
        `INKAN_WEBAUTHN_ORIGINS: "${o}" is not an https origin (or http://localhost) on the RP ID ${rpId}`,
      );
    }
  }
  return { rpId, rpName: 'Inkan', origins: [...origins] };
}

/** A challenge is valid this long, once (the issue: single-use and short-lived). */
export const PASSKEY_CHALLENGE_TTL_MS = 120_000;

/** What a bank may know of a passkey (never the public key's owner's secrets: there are none). */
export interface PasskeyView {
  id: number;
  deviceName: string;
  createdAt: string;
  lastUsedAt: string | null;
  transports: string[];
  /** Registered from the phone of the OTP token in use then (its 利用解除 removes it). */
  boundToToken: boolean;
}

/** The answer of a registration. */
export type PasskeyRegistrationResult =
  | { result: 'ok'; passkey: PasskeyView }
  | { result: Exclude<PasskeyReason, 'ok' | 'unknown_credential' | 'counter_regressed'> };

/** The answer of an authentication: the customer's reference when it is `ok`. */
export type PasskeyAuthenticationResult =
  | { result: 'ok'; ref: string; passkey: PasskeyView }
  | { result: Exclude<PasskeyReason, 'ok' | 'already_registered'> };

function view(p: PasskeyRecord): PasskeyView {
  return {
    id: p.id,
    deviceName: p.deviceName,
    createdAt: iso(p.createdAt) ?? '',
    lastUsedAt: iso(p.lastUsedAt),
    transports: [...p.transports],
    boundToToken: p.tokenId !== null,
  };
}

const B64URL = /^[A-Za-z0-9_-]+$/;

function fail(errors: FieldError[]): never {
  throw new InkanError('VALIDATION_FAILED', { errors });
}

function obj(v: unknown): Record<string, unknown> | null {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : null;
}

function b64(v: unknown, max = 16_384): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max && B64URL.test(v);
}

/**
 * A credential from the browser (PublicKeyCredential as JSON, WebAuthn §5.1): its shape is checked
 * here; what it says is checked by the verification. Returns the challenge it answers.
 */
function parseCredential(
  h: WebAuthnLib['helpers'],
  input: unknown,
  kind: 'registration' | 'authentication',
): { cred: Record<string, unknown>; challenge: string } {
  const cred = obj(input);
  const inner = obj(cred?.['response']);
  const errors: FieldError[] = [];
  if (cred === null || inner === null)
    fail([{ field: 'response', message: 'must be a PublicKeyCredential as JSON' }]);
  if (!b64(cred['id'], 1364)) errors.push({ field: 'response.id', message: 'must be base64url' });
  if (cred['rawId'] !== cred['id'])
    errors.push({ field: 'response.rawId', message: 'must equal id' });
  if (cred['type'] !== 'public-key')
    errors.push({ field: 'response.type', message: 'must be "public-key"' });
  if (!b64(inner['clientDataJSON']))
    errors.push({ field: 'response.response.clientDataJSON', message: 'must be base64url' });
  if (kind === 'registration' && !b64(inner['attestationObject'], 65_536))
    errors.push({ field: 'response.response.attestationObject', message: 'must be base64url' });
  if (kind === 'authentication') {
    if (!b64(inner['authenticatorData']))
      errors.push({ field: 'response.response.authenticatorData', message: 'must be base64url' });
    if (!b64(inner['signature']))
      errors.push({ field: 'response.response.signature', message: 'must be base64url' });
  }
  if (errors.length > 0) fail(errors);
  let challenge: unknown;
  try {
    challenge = h.decodeClientDataJSON(inner['clientDataJSON'] as string).challenge;
  } catch {
    challenge = undefined;
  }
  if (!b64(challenge, 512))
    fail([
      {
        field: 'response.response.clientDataJSON',
        message: 'must be client data JSON with a challenge',
      },
    ]);
  return { cred, challenge };
}

/** The UV flag of authenticator data (WebAuthn §6.1, flags bit 2); false when unreadable. */
function userVerified(h: WebAuthnLib['helpers'], authData: Uint8Array | undefined): boolean {
  try {
    return authData !== undefined && h.parseAuthenticatorData(new Uint8Array(authData)).flags.uv;
  } catch {
    return false;
  }
}

function registrationAuthData(
  h: WebAuthnLib['helpers'],
  cred: Record<string, unknown>,
): Uint8Array | undefined {
  try {
    const inner = cred['response'] as { attestationObject: string };
    return h
      .decodeAttestationObject(h.isoBase64URL.toBuffer(inner.attestationObject))
      .get('authData');
  } catch {
    return undefined;
  }
}

function optionalText(
  body: Record<string, unknown>,
  name: string,
  max: number,
): string | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  // Control characters never belong in a name; PostgreSQL refuses U+0000.
  if (typeof v !== 'string' || v.trim() === '' || [...v].length > max || /\p{Cc}/u.test(v))
    fail([{ field: name, message: `must be 1-${max} characters` }]);
  return v.trim();
}

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/**
 * 生体認証ログイン with WebAuthn passkeys (guide 000, STEP 5; issue 6). The platform keeps the
 * credentials for its banks: a bank asks for options, hands them to the customer's browser, and
 * sends back what the authenticator answered. User verification and a resident (discoverable)
 * key are required, on a platform authenticator; challenges are single-use and live 120 s;
 * sign counts are checked (WebAuthn §6.1.1). Every registration, use and removal is audited.
 */
export function createPasskeyService(deps: ServiceDeps, cfg: WebAuthnConfig) {
  const store = (): PasskeyStore => deps.store.passkeys();
  const newChallenge = async (
    ctx: TenantCallContext,
    purpose: 'register' | 'authenticate',
    customerId: number | null,
  ) => {
    const now = deps.clock.now();
    await store().purgeChallenges(now);
    const challenge = randomBytes(32).toString('base64url');
    await store().addChallenge({
      challenge,
      serviceId: ctx.serviceId,
      purpose,
      customerId,
      createdAt: now,
      expiresAt: now + PASSKEY_CHALLENGE_TTL_MS,
    });
    return { challenge, expiresAt: iso(now + PASSKEY_CHALLENGE_TTL_MS) ?? '' };
  };
  const audit = async (
    ctx: TenantCallContext,
    e: {
      action: string;
      ref: string | null;
      result: string;
      passkey?: PasskeyRecord;
      detail?: Record<string, string>;
    },
    tx: { appendAudit: ServiceDeps['store']['appendAudit'] } = deps.store,
  ) => {
    await tx.appendAudit(
      auditEvent(deps, ctx, {
        action: e.action,
        customerRef: e.ref,
        tokenId: e.passkey?.tokenId ?? null,
        result: e.result,
        detail: {
          ...(e.passkey === undefined
            ? {}
            : { passkeyId: String(e.passkey.id), deviceName: e.passkey.deviceName }),
          ...e.detail,
        },
      }),
    );
    deps.auditWritten();
  };

  return {
    /** The RP this deployment answers for. */
    config: cfg,

    /**
     * Options for navigator.credentials.create (WebAuthn §5.4). With `ref`, the challenge is the
     * customer's and their passkeys are excluded; without it (the app asks before the customer has
     * given their login ID), the registration binds to the customer it is verified for.
     */
    async registrationOptions(
      ctx: TenantCallContext,
      body: unknown,
    ): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; expiresAt: string }> {
      const b = obj(body ?? {}) ?? fail([{ field: '', message: 'must be an object' }]);
      const ref = b['ref'] === undefined ? undefined : parseCustomerRef(b['ref']);
      const userName = optionalText(b, 'userName', 64);
      const displayName = optionalText(b, 'userDisplayName', 64);
      const tenant = await deps.tenants.get(ctx.serviceId);
      // A named customer the platform has not met yet is recorded now, so the challenge is theirs.
      const customer =
        ref === undefined
          ? null
          : await deps.store.ensureCustomer(ctx.serviceId, ref, deps.clock.now());
      const existing = customer === null ? [] : await store().listForCustomer(customer.id);
      const { challenge, expiresAt } = await newChallenge(ctx, 'register', customer?.id ?? null);
      const { server, helpers } = await webauthn();
      const options = await server.generateRegistrationOptions({
        rpName: cfg.rpName === 'Inkan' && tenant !== null ? tenant.name : cfg.rpName,
        rpID: cfg.rpId,
        userName: userName ?? ref ?? tenant?.name ?? 'Inkan',
        userDisplayName: displayName ?? userName ?? tenant?.name ?? '',
        // WebAuthn §14.6.1: the user handle carries no personal data: random per registration.
        userID: randomBytes(16),
        challenge: helpers.isoBase64URL.toBuffer(challenge),
        timeout: PASSKEY_CHALLENGE_TTL_MS,
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({
          id: p.credentialId,
          transports: p.transports as AuthenticatorTransportFuture[],
        })),
        authenticatorSelection: {
          authenticatorAttachment: 'platform',
          residentKey: 'required',
          requireResidentKey: true,
          userVerification: 'required',
        },
        supportedAlgorithmIDs: [-7, -257],
      });
      return { options, expiresAt };
    },

    /** Verifies a registration (WebAuthn §7.1) and stores the passkey for the customer `ref`. */
    async register(
      ctx: TenantCallContext,
      refInput: unknown,
      body: unknown,
    ): Promise<PasskeyRegistrationResult> {
      const ref = parseCustomerRef(refInput);
      const b = obj(body) ?? fail([{ field: '', message: 'must be an object' }]);
      const { server, helpers } = await webauthn();
      const { cred, challenge } = parseCredential(helpers, b['response'], 'registration');
      const deviceName = optionalText(b, 'deviceName', 32) ?? 'passkey';
      const now = deps.clock.now();
      const refuse = async (result: Exclude<PasskeyRegistrationResult['result'], 'ok'>) => {
        await audit(ctx, { action: 'passkey.register', ref, result });
        return { result };
      };
      const ch = await store().consumeChallenge(ctx.serviceId, 'register', challenge, now);
      const customerNow = await deps.store.getCustomer(ctx.serviceId, ref);
      if (ch === null || (ch.customerId !== null && ch.customerId !== customerNow?.id))
        return refuse('challenge_invalid');
      if (!userVerified(helpers, registrationAuthData(helpers, cred)))
        return refuse('user_not_verified');
      let info;
      try {
        const v = await server.verifyRegistrationResponse({
          response: cred as unknown as RegistrationResponseJSON,
          expectedChallenge: challenge,
          expectedOrigin: [...cfg.origins],
          expectedRPID: cfg.rpId,
          requireUserVerification: true,
        });
        info = v.verified ? v.registrationInfo : undefined;
      } catch {
        info = undefined;
      }
      if (info === undefined) return refuse('invalid');
      const inner = obj(cred['response']) ?? {};
      const transports = Array.isArray(inner['transports'])
        ? (inner['transports'] as unknown[]).filter(
            (x): x is string => typeof x === 'string' && TRANSPORTS.has(x),
          )
        : [];
      const credential = info.credential;
      const saved = await deps.store.transaction(async (tx) => {
        const customer = await tx.ensureCustomer(ctx.serviceId, ref, now);
        const found = await tx.findCustomerTokens(ctx.serviceId, ref);
        // The phone's OTP token in use (利用中): its 利用解除 removes this passkey too.
        const active = found?.tokens.find((t) => t.state === 'active') ?? null;
        const p = await tx.passkeys().insert({
          serviceId: ctx.serviceId,
          customerId: customer.id,
          credentialId: credential.id,
          publicKey: helpers.isoBase64URL.fromBuffer(credential.publicKey),
          signCount: credential.counter,
          transports,
          deviceName,
          createdAt: now,
          tokenId: active?.id ?? null,
        });
        if (p !== null)
          await audit(ctx, { action: 'passkey.registered', ref, result: 'ok', passkey: p }, tx);
        return p;
      });
      if (saved === null) return refuse('already_registered');
      return { result: 'ok', passkey: view(saved) };
    },

    /** Options for navigator.credentials.get with a discoverable credential (no allow list). */
    async authenticationOptions(
      ctx: TenantCallContext,
    ): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; expiresAt: string }> {
      const { challenge, expiresAt } = await newChallenge(ctx, 'authenticate', null);
      const { server, helpers } = await webauthn();
      const options = await server.generateAuthenticationOptions({
        rpID: cfg.rpId,
        challenge: helpers.isoBase64URL.toBuffer(challenge),
        timeout: PASSKEY_CHALLENGE_TTL_MS,
        userVerification: 'required',
      });
      return { options, expiresAt };
    },

    /**
     * Verifies an assertion (WebAuthn §7.2): the challenge used up first, then the credential,
     * user verification, the signature, and the sign count (§6.1.1), saved by compare-and-set.
     * `ok` names the customer; a passkey login counts as both factors (possession + biometrics).
     */
    async authenticate(
      ctx: TenantCallContext,
      body: unknown,
    ): Promise<PasskeyAuthenticationResult> {
      const b = obj(body) ?? fail([{ field: '', message: 'must be an object' }]);
      const { server, helpers } = await webauthn();
      const { cred, challenge } = parseCredential(helpers, b['response'], 'authentication');
      const now = deps.clock.now();
      const refuse = async (
        result: Exclude<PasskeyAuthenticationResult['result'], 'ok'>,
        p?: PasskeyRecord,
        detail?: Record<string, string>,
      ) => {
        await audit(ctx, {
          action: 'passkey.authenticate',
          ref: p?.customerRef ?? null,
          result,
          ...(p ? { passkey: p } : {}),
          ...(detail ? { detail } : {}),
        });
        return { result };
      };
      if ((await store().consumeChallenge(ctx.serviceId, 'authenticate', challenge, now)) === null)
        return refuse('challenge_invalid');
      const p = await store().byCredentialId(ctx.serviceId, cred['id'] as string);
      if (p === null) return refuse('unknown_credential');
      const inner = cred['response'] as { authenticatorData: string };
      let authData: Uint8Array | undefined;
      try {
        authData = helpers.isoBase64URL.toBuffer(inner.authenticatorData);
      } catch {
        authData = undefined;
      }
      if (!userVerified(helpers, authData)) return refuse('user_not_verified', p);
      let newCounter: number | null = null;
      try {
        const v = await server.verifyAuthenticationResponse({
          response: cred as unknown as AuthenticationResponseJSON,
          expectedChallenge: challenge,
          expectedOrigin: [...cfg.origins],
          expectedRPID: cfg.rpId,
          // The count is checked below, by this service, so that a regression is told apart.
          credential: {
            id: p.credentialId,
            publicKey: helpers.isoBase64URL.toBuffer(p.publicKey),
            counter: 0,
            transports: p.transports as AuthenticatorTransportFuture[],
          },
          requireUserVerification: true,
        });
        newCounter = v.verified ? v.authenticationInfo.newCounter : null;
      } catch {
        newCounter = null;
      }
      if (newCounter === null) return refuse('invalid', p);
      const regressed = { stored: String(p.signCount), received: String(newCounter) };
      if (!signCountAdvances(p.signCount, newCounter))
        return refuse('counter_regressed', p, regressed);
      if (!(await store().recordUse(p.id, p.signCount, newCounter, now)))
        return refuse('counter_regressed', p, regressed);
      await audit(ctx, {
        action: 'passkey.authenticated',
        ref: p.customerRef,
        result: 'ok',
        passkey: p,
      });
      return {
        result: 'ok',
        ref: p.customerRef,
        passkey: view({ ...p, signCount: newCounter, lastUsedAt: now }),
      };
    },

    /** The customer's passkeys, oldest first. */
    async list(ctx: TenantCallContext, refInput: unknown): Promise<{ passkeys: PasskeyView[] }> {
      const ref = parseCustomerRef(refInput);
      const c = await deps.store.getCustomer(ctx.serviceId, ref);
      return { passkeys: c === null ? [] : (await store().listForCustomer(c.id)).map(view) };
    },

    /** Removes one of the customer's passkeys (by staff: with their reason); NOT_FOUND when not theirs. */
    async remove(
      ctx: TenantCallContext,
      refInput: unknown,
      idInput: unknown,
      staff?: { reason: string },
    ): Promise<{ removed: true }> {
      const customer = await requireCustomer(deps, ctx, refInput);
      const id =
        typeof idInput === 'string' && /^[0-9]{1,15}$/.test(idInput)
          ? Number(idInput)
          : typeof idInput === 'number' && Number.isSafeInteger(idInput) && idInput > 0
            ? idInput
            : null;
      if (id === null) fail([{ field: 'id', message: 'must be a passkey id' }]);
      const p = await store().remove(customer.id, id);
      if (p === null) throw new InkanError('NOT_FOUND', { resource: 'passkey' });
      await audit(ctx, {
        action: 'passkey.removed',
        ref: customer.ref,
        result: staff === undefined ? 'ok' : 'staff_removed',
        passkey: p,
        ...(staff === undefined ? {} : { detail: { reason: staff.reason } }),
      });
      return { removed: true };
    },
  };
}

/** The passkey use cases. */
export type PasskeyService = ReturnType<typeof createPasskeyService>;
