import type { Kysely, Selectable } from 'kysely';
import type { PushSubscriptionRecord, PushSubscriptionStore } from '../core/index.js';
import type { Database } from './schema.js';

function toRecord(r: Selectable<Database['push_subscriptions']>): PushSubscriptionRecord {
  return {
    id: Number(r.id),
    tokenId: Number(r.token_id),
    endpoint: r.endpoint,
    p256dh: r.p256dh,
    auth: r.auth,
    createdAt: Number(r.created_at),
    lastSuccessAt: r.last_success_at === null ? null : Number(r.last_success_at),
    lastFailureAt: r.last_failure_at === null ? null : Number(r.last_failure_at),
  };
}

/**
 * The push subscriptions of migration 008 on one connection (or transaction). The same endpoint
 * registered again for the token replaces its keys (one statement: ON CONFLICT on both dialects).
 */
export function createPushSubscriptionStore(db: Kysely<Database>): PushSubscriptionStore {
  return {
    async upsert(s) {
      const r = await db
        .insertInto('push_subscriptions')
        .values({
          token_id: s.tokenId,
          endpoint: s.endpoint,
          p256dh: s.p256dh,
          auth: s.auth,
          created_at: s.now,
          last_success_at: null,
          last_failure_at: null,
        })
        .onConflict((oc) =>
          oc.columns(['token_id', 'endpoint']).doUpdateSet({
            p256dh: s.p256dh,
            auth: s.auth,
            created_at: s.now,
            last_success_at: null,
            last_failure_at: null,
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRecord(r);
    },
    async remove(tokenId, endpoint) {
      const r = await db
        .deleteFrom('push_subscriptions')
        .where('token_id', '=', tokenId)
        .where('endpoint', '=', endpoint)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async removeById(id) {
      const r = await db.deleteFrom('push_subscriptions').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async removeForTokens(tokenIds) {
      if (tokenIds.length === 0) return 0;
      const r = await db
        .deleteFrom('push_subscriptions')
        .where('token_id', 'in', [...tokenIds])
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async forToken(tokenId) {
      const rows = await db
        .selectFrom('push_subscriptions')
        .selectAll()
        .where('token_id', '=', tokenId)
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async recordDelivery(id, ok, now) {
      await db
        .updateTable('push_subscriptions')
        .set(ok ? { last_success_at: now } : { last_failure_at: now })
        .where('id', '=', id)
        .execute();
    },
  };
}
