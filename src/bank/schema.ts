import type { Generated } from 'kysely';

/**
 * The demo bank's own tables: what a bank's internet banking keeps about its customers. The OTP
 * platform never reads them; the bank knows its customer's token only through the platform
 * client, by the customer's reference (`platform_ref`).
 */
export interface BankDatabase {
  bank_customers: {
    id: Generated<number>;
    login_id: string;
    name: string;
    name_kana: string;
    password_hash: string;
    /** 確認用パスワード (取引確認用パスワード): 6-12 alphanumerics, asked for each transaction. */
    confirm_password_hash: string;
    /** お届出電話番号, digits only. */
    phone: string;
    email: string;
    postal_address: string;
    platform_ref: string;
    /** 振込限度額 per day, yen. */
    daily_limit: number;
    /** メール通知パスワード: the address codes go to, or null when the customer does not use it. */
    mail_otp_email: string | null;
    /** 追加認証: the question and the answer's slow hash. */
    security_question: string | null;
    security_answer_hash: string | null;
    failed_logins: number;
    login_locked_at: number | null;
    last_login_at: number | null;
    created_at: number;
  };
  bank_accounts: {
    id: Generated<number>;
    customer_id: number;
    branch_code: string;
    branch_name: string;
    account_type: string;
    account_number: string;
    balance: number;
  };
  bank_transfers: {
    id: Generated<number>;
    customer_id: number;
    account_id: number;
    payee_bank: string;
    payee_branch: string;
    payee_account_type: string;
    payee_account: string;
    payee_name: string;
    amount: number;
    fee: number;
    /** How it was confirmed: otp, mail_otp or none. */
    auth: string;
    created_at: number;
    /** JST date (YYYY-MM-DD) the daily limit counts it under. */
    jst_date: string;
  };
  bank_sessions: {
    /** SHA-256 of the cookie's session ID: a database dump alone cannot take over a session. */
    id_hash: string;
    customer_id: number;
    /** The session's data, sealed under the master key with the id hash as associated data. */
    data: string;
    version: number;
    created_at: number;
    last_seen_at: number;
  };
  /**
   * 電話番号認証 (guide 000 STEP 1 ⑤, SPEC.md "Messages"): the customer calls 認証先電話番号 from
   * the お届出電話番号 within 120 seconds; the telephony provider's signed webhook marks it verified.
   */
  bank_phone_checks: {
    /** 128 random bits, base64url: the screen polls its state by it. */
    id: string;
    customer_id: number;
    /** What it is for: `issue` (トークン発行) or `replace` (機種変更). */
    purpose: string;
    /** `pending` until the call comes, then `verified` (expiry is read from expires_at). */
    status: string;
    /** The 認証先電話番号 the screen showed, digits only: only a call to it counts. */
    called: string;
    /** The number the verifying call came from, digits only. */
    caller: string | null;
    created_at: number;
    expires_at: number;
    verified_at: number | null;
  };
}
