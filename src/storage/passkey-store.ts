import type { Kysely, Selectable } from 'kysely';
import type {
  NewPasskey,
  PasskeyChallenge,
  PasskeyPurpose,
  PasskeyRecord,
  PasskeyStore,
} from '../core/index.js';
import type { Database } from './schema.js';

type Row = Selectable<Database['passkeys']> & { ref: string };

function toPasskey(r: Row): PasskeyRecord {
  return {
    id: Number(r.id),
    serviceId: r.service_id,
    customerId: Number(r.customer_id),
    customerRef: r.ref,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    signCount: Number(r.sign_count),
    transports: JSON.parse(r.transports) as string[],
    deviceName: r.device_name,
    createdAt: Number(r.created_at),
    lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    tokenId: r.token_id === null ? null : Number(r.token_id),
  };
}

/**
 * The passkey tables of migration 007 on one connection (or transaction). Single use of a
 * challenge is one `DELETE … WHERE challenge = ? AND expires_at > now RETURNING`; a sign count
 * moves only by a compare-and-set UPDATE, so two servers can never both accept one assertion.
 */
export function createPasskeyStore(db: Kysely<Database>): PasskeyStore {
  const select = () =>
    db
      .selectFrom('passkeys')
      .innerJoin('customers', 'customers.id', 'passkeys.customer_id')
      .selectAll('passkeys')
      .select('customers.ref as ref');
  const byId = async (id: number) => {
    const r = await select().where('passkeys.id', '=', id).executeTakeFirst();
    return r === undefined ? null : toPasskey(r);
  };
  return {
    async addChallenge(c) {
      await db
        .insertInto('passkey_challenges')
        .values({
          challenge: c.challenge,
          service_id: c.serviceId,
          purpose: c.purpose,
          customer_id: c.customerId,
          created_at: c.createdAt,
          expires_at: c.expiresAt,
        })
        .execute();
    },

    async consumeChallenge(
      serviceId: string,
      purpose: PasskeyPurpose,
      challenge: string,
      now: number,
    ) {
      const r = await db
        .deleteFrom('passkey_challenges')
        .where('challenge', '=', challenge)
        .where('service_id', '=', serviceId)
        .where('purpose', '=', purpose)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      if (r === undefined) return null;
      const out: PasskeyChallenge = {
        challenge: r.challenge,
        serviceId: r.service_id,
        purpose: r.purpose as PasskeyPurpose,
        customerId: r.customer_id === null ? null : Number(r.customer_id),
        expiresAt: Number(r.expires_at),
      };
      return out;
    },

    async purgeChallenges(now) {
      const r = await db
        .deleteFrom('passkey_challenges')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async insert(p: NewPasskey) {
      const r = await db
        .insertInto('passkeys')
        .values({
          service_id: p.serviceId,
          customer_id: p.customerId,
          credential_id: p.credentialId,
          public_key: p.publicKey,
          sign_count: p.signCount,
          transports: JSON.stringify(p.transports),
          device_name: p.deviceName,
          created_at: p.createdAt,
          last_used_at: null,
          token_id: p.tokenId,
        })
        .onConflict((oc) => oc.columns(['service_id', 'credential_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return r === undefined ? null : byId(Number(r.id));
    },

    async byCredentialId(serviceId, credentialId) {
      const r = await select()
        .where('passkeys.service_id', '=', serviceId)
        .where('passkeys.credential_id', '=', credentialId)
        .executeTakeFirst();
      return r === undefined ? null : toPasskey(r);
    },

    async listForCustomer(customerId) {
      const rows = await select()
        .where('passkeys.customer_id', '=', customerId)
        .orderBy('passkeys.created_at')
        .orderBy('passkeys.id')
        .execute();
      return rows.map(toPasskey);
    },

    async recordUse(id, expected, next, now) {
      const r = await db
        .updateTable('passkeys')
        .set({ sign_count: next, last_used_at: now })
        .where('id', '=', id)
        .where('sign_count', '=', expected)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async remove(customerId, id) {
      const found = await byId(id);
      if (found === null || found.customerId !== customerId) return null;
      const r = await db
        .deleteFrom('passkeys')
        .where('id', '=', id)
        .where('customer_id', '=', customerId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1 ? found : null;
    },

    async removeForTokens(tokenIds) {
      if (tokenIds.length === 0) return [];
      const rows = await select()
        .where('passkeys.token_id', 'in', [...tokenIds])
        .execute();
      if (rows.length === 0) return [];
      await db
        .deleteFrom('passkeys')
        .where('token_id', 'in', [...tokenIds])
        .execute();
      return rows.map(toPasskey);
    },
  };
}
