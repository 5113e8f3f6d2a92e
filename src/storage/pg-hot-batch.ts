import type pg from 'pg';
import type { AuditEvent } from '../core/index.js';
import { createMicroBatch } from './micro-batch.js';

/**
 * PostgreSQL's verification hot path as batched statements (see micro-batch.ts for why): the
 * customer-and-tokens read of many requests in one SELECT, and the single-use UPDATE plus audit
 * row of many requests in one statement. Each statement is a named (prepared) statement with a
 * fixed number of array parameters, so it is parsed and planned once per connection.
 */

/** The read: every request's customer with its live tokens, tagged with the request's place. */
const CUSTOMER_TOKENS_BATCH = `SELECT q.ord AS q_ord, c.id AS c_id, c.created_at AS c_created_at,
    c.issuance_limit_reset_at AS c_reset, c.last_deactivated_at AS c_deactivated, t.*
  FROM unnest($1::text[], $2::text[], $3::int[]) AS q(service_id, ref, ord)
  JOIN customers c ON c.service_id = q.service_id AND c.ref = q.ref
  LEFT JOIN tokens t ON t.customer_id = c.id AND t.state <> 'ended'
  ORDER BY q.ord, t.id`;

/**
 * The write: the same conditional UPDATE as one request's (`… AND last_step < :step`, SPEC.md
 * single use), row by row, and an audit row for each UPDATE that won. Data-modifying CTEs run to
 * completion whether or not the outer SELECT reads them (PostgreSQL, "WITH Queries"), and all of
 * it commits as one statement. A batch never holds two requests for one token (micro-batch `key`),
 * because an UPDATE … FROM changes a row once however many input rows match it.
 */
const CONSUME_STEP_BATCH = `WITH i AS (
    SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::bigint[], $5::int[], $6::bigint[],
      $7::text[], $8::bigint[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::text[],
      $14::text[], $15::text[])
      AS x(ord, token_id, state, step, drift, now, service_id, at, actor, action, customer_ref,
        audit_token_id, result, detail, client_ip)),
  used AS (
    UPDATE tokens t SET last_step = i.step, fail_count = 0, drift = i.drift, last_used_at = i.now
    FROM i
    WHERE t.id = i.token_id AND t.state = i.state AND t.locked = 0
      AND (t.last_step IS NULL OR t.last_step < i.step)
    RETURNING i.ord),
  audited AS (
    INSERT INTO audit_events (service_id, at, actor, action, customer_ref, token_id, result, detail, client_ip)
    SELECT i.service_id, i.at, i.actor, i.action, i.customer_ref, i.audit_token_id, i.result, i.detail, i.client_ip
    FROM i JOIN used u ON u.ord = i.ord ORDER BY i.ord
    RETURNING id)
  SELECT ord FROM used`;

/** One request's single-use write (see KyselyStore.consumeStepWithAudit). */
export interface ConsumeStepInput {
  readonly tokenId: number;
  readonly state: 'active' | 'provisioned';
  readonly step: number;
  readonly drift: number;
  readonly now: number;
  readonly audit: AuditEvent;
}

/** What the store does for one request alone, when its batch failed. */
export interface PgHotSingles<Row> {
  readonly customerTokens: (serviceId: string, ref: string) => Promise<Row[]>;
  readonly consumeStepWithAudit: (input: ConsumeStepInput) => Promise<boolean>;
}

/** The batched hot path over a pool; `singles` are the one-request statements. */
export function createPgHotBatch<Row extends object>(
  pool: pg.Pool,
  singles: PgHotSingles<Row>,
): {
  customerTokens(serviceId: string, ref: string): Promise<Row[]>;
  consumeStepWithAudit(input: ConsumeStepInput): Promise<boolean>;
} {
  const reads = createMicroBatch<{ serviceId: string; ref: string }, Row[]>({
    runBatch: async (inputs) => {
      const r = await pool.query<Row & { q_ord: number }>({
        name: 'inkan_customerTokensBatch',
        text: CUSTOMER_TOKENS_BATCH,
        values: [inputs.map((q) => q.serviceId), inputs.map((q) => q.ref), inputs.map((_, i) => i)],
      });
      const answers: Row[][] = inputs.map(() => []);
      for (const { q_ord, ...row } of r.rows) answers[q_ord]?.push(row as unknown as Row);
      return answers;
    },
    runOne: (q) => singles.customerTokens(q.serviceId, q.ref),
    maxBatch: 64,
    concurrency: 4,
  });
  const writes = createMicroBatch<ConsumeStepInput, boolean>({
    runBatch: async (inputs) => {
      const col = <T>(f: (x: ConsumeStepInput) => T): T[] => inputs.map(f);
      const r = await pool.query<{ ord: number }>({
        name: 'inkan_consumeStepBatch',
        text: CONSUME_STEP_BATCH,
        values: [
          inputs.map((_, i) => i),
          col((x) => x.tokenId),
          col((x) => x.state),
          col((x) => x.step),
          col((x) => x.drift),
          col((x) => x.now),
          col((x) => x.audit.serviceId),
          col((x) => x.audit.at),
          col((x) => x.audit.actor),
          col((x) => x.audit.action),
          col((x) => x.audit.customerRef),
          col((x) => x.audit.tokenId),
          col((x) => x.audit.result),
          col((x) => JSON.stringify(x.audit.detail)),
          col((x) => x.audit.clientIp),
        ],
      });
      const won = new Set(r.rows.map((row) => Number(row.ord)));
      return inputs.map((_, i) => won.has(i));
    },
    runOne: (x) => singles.consumeStepWithAudit(x),
    maxBatch: 64,
    concurrency: 4,
    key: (x) => x.tokenId,
  });
  return {
    customerTokens: (serviceId, ref) => reads.run({ serviceId, ref }),
    consumeStepWithAudit: (input) => writes.run(input),
  };
}
