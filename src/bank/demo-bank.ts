import type { PasswordHasher } from '../core/index.js';
import type { BankStore } from './bank-store.js';

/** A demo customer's credentials, printed by `inkan serve`. */
export interface DemoCustomerInfo {
  readonly name: string;
  readonly loginId: string;
  readonly password: string;
  readonly confirmPassword: string;
  readonly platformRef: string;
  readonly note: string;
}

/** The demo bank's customers (SPEC.md: a newcomer can walk every flow in a browser). */
export const DEMO_CUSTOMERS = [
  {
    name: '山田 太郎',
    nameKana: 'ヤマダ タロウ',
    loginId: 'yamada',
    password: 'Yamada2026',
    confirmPassword: 'kakunin1',
    phone: '09012345678',
    email: 'taro.yamada@example.jp',
    postalAddress: '〒100-0005 東京都千代田区丸の内1-1-1 インカンハイツ101',
    platformRef: 'demo-0002',
    dailyLimit: 200_000,
    mailOtp: false,
    accounts: [
      {
        branch_code: '001',
        branch_name: '本店営業部',
        account_type: '普通',
        account_number: '1234567',
        balance: 1_250_000,
      },
      {
        branch_code: '001',
        branch_name: '本店営業部',
        account_type: '定期',
        account_number: '7654321',
        balance: 3_000_000,
      },
    ],
    note: 'ワンタイムパスワード未登録: walk guide 001 from トークン発行',
  },
  {
    name: '佐藤 花子',
    nameKana: 'サトウ ハナコ',
    loginId: 'sato',
    password: 'Sato2026',
    confirmPassword: 'kakunin2',
    phone: '08098765432',
    email: 'hanako.sato@example.jp',
    postalAddress: '〒530-0001 大阪府大阪市北区梅田2-2-2',
    platformRef: 'demo-0001',
    dailyLimit: 200_000,
    mailOtp: true,
    accounts: [
      {
        branch_code: '205',
        branch_name: '梅田支店',
        account_type: '普通',
        account_number: '2345678',
        balance: 480_000,
      },
    ],
    note: 'a software token waits for app setup; uses メール通知パスワード until OTP is 利用中',
  },
] as const;

/**
 * Adds the demo customers, their accounts and balances to an empty bank. Passwords are stored as
 * slow hashes only; the plain ones are returned once for `inkan serve` to print.
 */
export async function seedDemoBank(
  bank: BankStore,
  hasher: PasswordHasher,
  now: number,
): Promise<DemoCustomerInfo[] | null> {
  if ((await bank.countCustomers()) > 0) return null;
  const out: DemoCustomerInfo[] = [];
  for (const c of DEMO_CUSTOMERS) {
    const id = await bank.createCustomer({
      login_id: c.loginId,
      name: c.name,
      name_kana: c.nameKana,
      password_hash: await hasher.hash(c.password),
      confirm_password_hash: await hasher.hash(c.confirmPassword),
      phone: c.phone,
      email: c.email,
      postal_address: c.postalAddress,
      platform_ref: c.platformRef,
      daily_limit: c.dailyLimit,
      mail_otp_email: c.mailOtp ? c.email : null,
      security_question: '大好きなペットの名前は？',
      security_answer_hash: await hasher.hash('ポチ'),
      created_at: now,
    });
    for (const a of c.accounts) await bank.addAccount({ ...a, customer_id: id });
    out.push({
      name: c.name,
      loginId: c.loginId,
      password: c.password,
      confirmPassword: c.confirmPassword,
      platformRef: c.platformRef,
      note: c.note,
    });
  }
  return out;
}
