import type { Kysely, Selectable } from 'kysely';
import type { MailKind, MailMessage, MailOutbox, OutboxMail } from '../core/index.js';
import type { Database } from './schema.js';

function toMail(r: Selectable<Database['mail_outbox']>): OutboxMail {
  return {
    id: Number(r.id),
    to: r.to_addr,
    subject: r.subject,
    text: r.body,
    kind: r.kind as MailKind,
    createdAt: Number(r.created_at),
  };
}

/** The development outbox in the `mail_outbox` table (migration 002), on SQLite and PostgreSQL. */
export function createMailOutboxStore(db: Kysely<Database>): MailOutbox {
  return {
    async add(m: MailMessage, createdAt: number): Promise<number> {
      const r = await db
        .insertInto('mail_outbox')
        .values({
          to_addr: m.to,
          subject: m.subject,
          body: m.text,
          kind: m.kind,
          created_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(r.id);
    },
    async purge(before: number): Promise<number> {
      const r = await db
        .deleteFrom('mail_outbox')
        .where('created_at', '<', before)
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async list(limit: number): Promise<OutboxMail[]> {
      const rows = await db
        .selectFrom('mail_outbox')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toMail);
    },
    async get(id: number): Promise<OutboxMail | null> {
      const r = await db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? null : toMail(r);
    },
  };
}
