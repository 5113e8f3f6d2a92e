import type { Generated } from 'kysely';

/** Table types for Kysely. Times are epoch milliseconds; booleans are 0/1 on both databases. */
export interface Database {
  tenants: {
    service_id: string;
    name: string;
    policy: string;
    created_at: number;
  };
  api_keys: {
    key_id: string;
    service_id: string;
    hash: string;
    created_at: number;
    revoked_at: number | null;
  };
  customers: {
    id: Generated<number>;
    service_id: string;
    ref: string;
    created_at: number;
    issuance_limit_reset_at: number | null;
    last_deactivated_at: number | null;
  };
  tokens: {
    id: Generated<number>;
    service_id: string;
    customer_id: number;
    type: string;
    state: string;
    user_id: string;
    serial: string | null;
    email: string | null;
    algorithm: string;
    digits: number;
    period: number;
    last_step: number | null;
    fail_count: Generated<number>;
    locked: Generated<number>;
    locked_at: number | null;
    drift: Generated<number>;
    password_attempts: Generated<number>;
    password_hash: string | null;
    sealed_secret: string | null;
    issued_at: number;
    expires_at: number;
    provisioned_at: number | null;
    activated_at: number | null;
    valid_from: number | null;
    valid_until: number | null;
    last_used_at: number | null;
    replaces_token_id: number | null;
    ended_at: number | null;
    end_reason: string | null;
  };
  audit_events: {
    id: Generated<number>;
    seq: number | null;
    service_id: string | null;
    at: number;
    actor: string;
    action: string;
    customer_ref: string | null;
    token_id: number | null;
    result: string | null;
    detail: string;
    client_ip: string | null;
    prev_hash: string | null;
    hash: string | null;
  };
  /** Hardware tokens in the bank's stock (imported from PSKC), bound to a token at 利用開始. */
  hardware_stock: {
    id: Generated<number>;
    service_id: string;
    serial: string;
    kind: string;
    algorithm: string;
    digits: number;
    period: number;
    counter: number;
    sealed_secret: string;
    valid_from: number | null;
    valid_until: number | null;
    state: string;
    token_id: number | null;
    batch: string;
    imported_at: number;
    /** When staff shipped it to a customer (発送済; migration 005). */
    shipped_at: Generated<number | null>;
  };
  /** Bank staff of the admin console (migration 004). */
  staff: {
    id: Generated<number>;
    service_id: string;
    login_id: string;
    name: string;
    role: string;
    password_hash: string;
    totp_sealed: string | null;
    totp_confirmed: Generated<number>;
    totp_last_step: number | null;
    failed_logins: Generated<number>;
    locked_at: number | null;
    created_at: number;
    last_login_at: number | null;
    password_change_required: Generated<number>;
    password_changed_at: number | null;
  };
  /** Admin-console sessions: the cookie's SHA-256 and the data sealed. */
  staff_sessions: {
    id_hash: string;
    staff_id: number;
    version: number;
    data: string;
    created_at: number;
    last_seen_at: number;
  };
  /** The development outbox: mails kept instead of sent when no SMTP is configured. */
  mail_outbox: {
    id: Generated<number>;
    to_addr: string;
    subject: string;
    body: string;
    kind: string;
    created_at: number;
  };
  /** Passkeys of 生体認証ログイン (migration 007): public keys only. */
  passkeys: {
    id: Generated<number>;
    service_id: string;
    customer_id: number;
    credential_id: string;
    public_key: string;
    sign_count: number;
    transports: string;
    device_name: string;
    created_at: number;
    last_used_at: number | null;
    token_id: number | null;
  };
  /** WebAuthn challenges handed out and not yet used (migration 007). */
  passkey_challenges: {
    challenge: string;
    service_id: string;
    purpose: string;
    customer_id: number | null;
    created_at: number;
    expires_at: number;
  };
  /** 取引認証 (migration 006). */
  transactions: {
    id: string;
    service_id: string;
    customer_id: number;
    customer_ref: string;
    token_id: number;
    algorithm: string;
    payee_bank: string;
    payee_branch: string;
    payee_account: string;
    payee_name: string;
    amount: number;
    currency: string;
    challenge: string;
    state: string;
    created_at: number;
    expires_at: number;
    result_at: number | null;
    channel: string | null;
    failures: Generated<number>;
    offline_question: string | null;
    offline_step: number | null;
  };
  /** The token app's last proven request time per token (migration 006). */
  app_clocks: {
    token_id: number;
    last_time: number;
  };
  /** A customer's own 取引認証 mode over the tenant's (migration 006). */
  customer_transaction_policies: {
    customer_id: number;
    mode: string;
    amount: number | null;
    updated_at: number;
  };
  /** Forced 利用解除 on a paper request, under four eyes (migration 005). */
  deactivation_requests: {
    id: Generated<number>;
    service_id: string;
    customer_id: number;
    customer_ref: string;
    reason: string;
    paper_ref: string;
    state: string;
    requested_by: number;
    requested_at: number;
    decided_by: number | null;
    decided_at: number | null;
    decision_reason: string | null;
  };
  /** The token app's Web Push subscriptions (migration 008). */
  push_subscriptions: {
    id: Generated<number>;
    token_id: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    created_at: number;
    last_success_at: number | null;
    last_failure_at: number | null;
  };
}
