import {
  canTransition,
  InkanError,
  isIssuanceExpired,
  type ProvisioningCandidate,
  type TenantRecord,
} from '../core/index.js';
import { agreeTokenSecret } from '../crypto/provisioning.js';
import { auditEvent, iso, secretAad, type CallContext, type ServiceDeps } from './deps.js';
import { parseProvisionRequest } from './inputs.js';

/** The answer of POST /provision (SPEC.md contract). */
export interface ProvisionResult {
  serverPublicKey: string;
  serial: string;
  displayName: string;
  algorithm: string;
  digits: number;
  period: number;
  validFrom: string;
  validUntil: string;
  /** The bank's login page for 「ワンタイムパスワードでログイン」, when the tenant has one. */
  loginUrl?: string;
}

/** Why a token with these IDs can no longer be set up, as the contract's problem code. */
function refusal(t: ProvisioningCandidate, now: number): InkanError | null {
  if (t.state === 'ended') {
    if (t.endReason === 'expired') return new InkanError('ISSUANCE_EXPIRED');
    if (t.provisionedAt !== null) return new InkanError('ALREADY_PROVISIONED');
    return new InkanError('ISSUANCE_VOID', { attemptsLeft: 0 });
  }
  // The lifecycle allows アプリ初期設定 only from issued: a provisioned or active token has had it.
  if (!canTransition(t, { type: 'provision' })) return new InkanError('ALREADY_PROVISIONED');
  if (isIssuanceExpired(t, now)) return new InkanError('ISSUANCE_EXPIRED');
  return null;
}

/**
 * アプリ初期設定 (SPEC.md, "Provisioning: the secret never travels"): checks the activation
 * password (counted; the tenant's limit voids the issuance), agrees the token secret over ECDH
 * and HKDF, and stores it sealed. One success per issuance, even when two apps race.
 */
export async function provision(
  deps: ServiceDeps,
  ctx: CallContext,
  body: unknown,
): Promise<ProvisionResult> {
  const req = parseProvisionRequest(body);
  const tenant: TenantRecord | null = await deps.tenants.get(req.serviceId);
  const token =
    tenant === null ? null : await deps.store.findTokenByUserId(req.serviceId, req.userId);
  if (tenant === null || token === null || token.type !== 'software') {
    throw new InkanError('NOT_FOUND', { resource: 'token' });
  }
  const audit = (
    action: string,
    result: string,
    detail: Record<string, number | string | null> = {},
  ) =>
    auditEvent(
      deps,
      { ...ctx, serviceId: tenant.serviceId },
      { action, tokenId: token.id, result, detail, customerRef: null },
    );

  const refused = refusal(token, deps.clock.now());
  if (refused !== null) {
    if (refused.code === 'ISSUANCE_EXPIRED' && token.state === 'issued') {
      await deps.store.transaction(async (tx) => {
        if (await tx.endToken(token.id, 'expired', deps.clock.now()))
          await tx.appendAudit(audit('token.ended', 'expired'));
      });
    }
    await deps.store.appendAudit(audit('token.provision', refused.code));
    deps.auditWritten();
    throw refused;
  }
  const agreement = agreeTokenSecret({
    clientPublicKey: req.publicKey,
    serviceId: token.serviceId,
    userId: token.userId,
    algorithm: token.algorithm,
  });
  if (agreement === null) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: 'publicKey', message: 'is not a point on the P-256 curve' }],
    });
  }
  const limit = tenant.policy.activationPasswordAttempts;
  const passwordOk =
    token.passwordHash !== null &&
    (await deps.hasher.verify(req.activationPassword, token.passwordHash));
  const now = deps.clock.now();
  if (!passwordOk) {
    const failure = await deps.store.transaction(async (tx) => {
      const r = await tx.recordPasswordFailure(token.id, limit, now);
      if (r !== null) {
        await tx.appendAudit(
          audit('token.provision', 'activation_password_wrong', { attempts: r.attempts }),
        );
        if (r.voided) await tx.appendAudit(audit('token.ended', 'void'));
      }
      return r;
    });
    deps.auditWritten();
    if (failure === null) {
      const again = await deps.store.findTokenByUserId(req.serviceId, req.userId);
      throw (
        (again === null ? null : refusal(again, now)) ??
        new InkanError('ISSUANCE_VOID', { attemptsLeft: 0 })
      );
    }
    if (failure.voided) throw new InkanError('ISSUANCE_VOID', { attemptsLeft: 0 });
    throw new InkanError('ACTIVATION_PASSWORD_WRONG', { attemptsLeft: limit - failure.attempts });
  }
  const validUntil = now + tenant.policy.tokenValidityDays * 86_400_000;
  const sealedSecret = deps.keyring.seal(agreement.secret, secretAad(token));
  agreement.secret.fill(0);
  const won = await deps.store.transaction(async (tx) => {
    const ok = await tx.completeProvisioning(token.id, limit, {
      sealedSecret,
      validFrom: now,
      validUntil,
      now,
    });
    await tx.appendAudit(audit('token.provision', ok ? 'provisioned' : 'lost_race'));
    return ok;
  });
  deps.auditWritten();
  if (!won) {
    const again = await deps.store.findTokenByUserId(req.serviceId, req.userId);
    throw (again === null ? null : refusal(again, now)) ?? new InkanError('ALREADY_PROVISIONED');
  }
  return {
    serverPublicKey: agreement.serverPublicKey,
    serial: token.serial ?? '',
    displayName: tenant.name,
    algorithm: token.algorithm,
    digits: token.digits,
    period: token.period,
    validFrom: iso(now) ?? '',
    validUntil: iso(validUntil) ?? '',
    ...(tenant.policy.loginUrl === null ? {} : { loginUrl: tenant.policy.loginUrl }),
  };
}
