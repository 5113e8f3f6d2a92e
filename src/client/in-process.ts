import { InkanError } from '../core/index.js';
import type { Platform } from '../services/index.js';
import { isNoToken } from './is-no-token.js';
import type { PasskeyInfo, PlatformClient, TenantInfo, TokenInfo } from './platform-client.js';

/** Who the in-process client calls as, for the audit trail. */
export interface InProcessClientOptions {
  readonly platform: Platform;
  readonly serviceId: string;
  /** The audit trail's actor, e.g. `portal`. */
  readonly actor: string;
  /** The customer's address as the portal saw it, per call. */
  readonly clientIp?: () => string | null;
}

/**
 * The platform client in the same process: the same use cases the HTTP routes call, without the
 * network. Answers are passed through JSON so they are exactly what the HTTP client returns.
 */
export function createInProcessClient(o: InProcessClientOptions): PlatformClient {
  const ctx = () => ({
    serviceId: o.serviceId,
    actor: o.actor,
    clientIp: o.clientIp?.() ?? null,
  });
  const wire = <T>(v: unknown): T => JSON.parse(JSON.stringify(v)) as T;
  const p = o.platform;
  return {
    serviceId: o.serviceId,
    async getTenant() {
      const t = await p.getTenant(o.serviceId);
      if (t === null) throw new InkanError('UNAUTHORIZED');
      return wire<TenantInfo>({ serviceId: t.serviceId, name: t.name, policy: t.policy });
    },
    issueToken: async (ref, req) => wire(await p.issueToken(ctx(), ref, req)),
    async getToken(ref) {
      try {
        return wire<TokenInfo>(await p.getToken(ctx(), ref));
      } catch (e) {
        if (isNoToken(e)) return null;
        throw e;
      }
    },
    activateToken: async (ref, req) => wire(await p.activateToken(ctx(), ref, req)),
    verify: async (ref, otp) => wire(await p.verify(ctx(), ref, { otp })),
    deactivateToken: async (ref, req) => wire(await p.deactivateToken(ctx(), ref, req)),
    unlockToken: async (ref, reason) => wire(await p.unlockToken(ctx(), ref, { reason })),
    reissueHardware: async (ref, req) => wire(await p.reissueHardware(ctx(), ref, req)),
    passkeyRegistrationOptions: async (req = {}) =>
      wire(await p.passkeys.registrationOptions(ctx(), req)),
    registerPasskey: async (ref, req) => wire(await p.passkeys.register(ctx(), ref, req)),
    passkeyAuthenticationOptions: async () => wire(await p.passkeys.authenticationOptions(ctx())),
    authenticatePasskey: async (response) =>
      wire(await p.passkeys.authenticate(ctx(), { response })),
    listPasskeys: async (ref) =>
      wire<{ passkeys: PasskeyInfo[] }>(await p.passkeys.list(ctx(), ref)).passkeys,
    async removePasskey(ref, id) {
      await p.passkeys.remove(ctx(), ref, id);
    },
    createTransaction: async (ref, req) => wire(await p.transactions.create(ctx(), ref, req)),
    getTransaction: async (ref, id) => wire(await p.transactions.get(ctx(), ref, id)),
    verifyTransactionCode: async (ref, id, code) =>
      wire(await p.transactions.verifyCode(ctx(), ref, id, { code })),
    cancelTransaction: async (ref, id) => wire(await p.transactions.cancel(ctx(), ref, id)),
    getTransactionPolicy: async (ref) => wire(await p.transactions.getPolicy(ctx(), ref)),
    setTransactionPolicy: async (ref, req) => wire(await p.transactions.setPolicy(ctx(), ref, req)),
  };
}
