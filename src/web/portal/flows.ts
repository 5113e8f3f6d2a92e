/**
 * The procedures of guide 001 as explicit step machines. A session holds at most one; each
 * screen checks that its flow is at its step, so no step is reachable out of order, and a
 * finished flow answers its done screen again instead of acting twice.
 */

/**
 * トークン発行: BOT010 (select) → input (software only) → confirm → 電話番号認証 (when the bank
 * asks for it, guide 000) → done.
 */
export interface IssueFlow {
  readonly kind: 'issue';
  readonly step: 'select' | 'input' | 'confirm' | 'phone' | 'done';
  /** The 電話番号認証 under way at the phone step. */
  readonly phoneCheckId?: string;
  readonly type?: 'software' | 'hardware';
  readonly email?: string;
  /** Kept only between input and confirm, sealed with the session; dropped at done. */
  readonly activationPassword?: string;
  /** 機種変更: the active token stays until the new one is activated. */
  readonly replace?: boolean;
  readonly result?: {
    readonly serviceId: string;
    readonly userId: string;
    readonly email?: string;
  };
}

/** 利用開始: input (OTP, plus serial for hardware: BOK501) → done (BOK502). */
export interface ActivateFlow {
  readonly kind: 'activate';
  readonly step: 'input' | 'done';
  readonly type: 'software' | 'hardware';
  readonly result?: { readonly serial: string | null; readonly validUntil: string | null };
}

/** 利用解除: BOS001 input (確認用パスワード + OTP) → done. */
export interface DeactivateFlow {
  readonly kind: 'deactivate';
  readonly step: 'input' | 'done';
}

/** What a transfer sends (振込), as entered and checked. */
export interface TransferDraft {
  readonly accountId: number;
  readonly payeeBank: string;
  readonly payeeBranch: string;
  readonly payeeType: '普通' | '当座';
  readonly payeeAccount: string;
  readonly payeeName: string;
  readonly amount: number;
  readonly fee: number;
}

/** 振込: input → confirm (確認用パスワード plus the OTP, or the メール通知パスワード) → done. */
export interface TransferFlow {
  readonly kind: 'transfer';
  /** `approve`: 取引認証, waiting for the app (routes/transfer-approval.ts). */
  readonly step: 'input' | 'confirm' | 'approve' | 'done';
  readonly draft?: TransferDraft;
  /** 取引認証: the platform's transaction for this transfer. */
  readonly transactionId?: string;
  readonly result?: { readonly receiptNo: string; readonly at: number; readonly balance: number };
}

/**
 * 登録情報の変更: the registered e-mail address, the daily transfer limit, or the メール通知パスワード
 * address. input → confirm (確認用パスワード plus the OTP, or the メール通知パスワード) → done.
 */
export interface SettingsFlow {
  readonly kind: 'settings';
  readonly what: 'email' | 'limit' | 'mailOtp';
  readonly step: 'input' | 'confirm' | 'done';
  /** The new value as entered (an address, or the limit in yen as a string). */
  readonly value?: string;
}

/**
 * 機種変更 without paper (SPEC.md): the login password, then 電話番号認証, then a software
 * issuance with `replace` (the old token works until the new one is activated).
 */
export interface ReplaceFlow {
  readonly kind: 'replace';
  readonly step: 'password' | 'phone';
  readonly phoneCheckId?: string;
}

/**
 * ハードウェアトークン再発行 (SPEC.md "Hardware token", guide 001 手順4's note): confirm (the fee,
 * the address, 確認用パスワード and the current token's OTP) → done. The OTP is asked on the same
 * screen that acts, so it is still current when the platform checks it.
 */
export interface ReissueFlow {
  readonly kind: 'reissue';
  readonly step: 'confirm' | 'done';
  /** Set at done: the new request is on record. */
  readonly result?: { readonly userId: string };
}

/** Any procedure. */
export type Flow =
  | IssueFlow
  | ActivateFlow
  | DeactivateFlow
  | TransferFlow
  | SettingsFlow
  | ReplaceFlow
  | ReissueFlow;

/** The flow if it is of `kind` and at one of `steps`, else null. */
export function flowAt<K extends Flow['kind']>(
  flow: Flow | undefined,
  kind: K,
  ...steps: readonly string[]
): Extract<Flow, { kind: K }> | null {
  if (flow === undefined || flow.kind !== kind) return null;
  const f = flow as Extract<Flow, { kind: K }>;
  return steps.includes(f.step) ? f : null;
}

/** Where 戻る leads from a step: the previous step, or null for the OTP menu (BOP001). */
export function stepBack(flow: Flow): Flow | null {
  switch (flow.kind) {
    case 'issue':
      if (flow.step === 'phone') return { ...flow, step: 'confirm', phoneCheckId: undefined };
      if (flow.step === 'confirm') {
        return flow.type === 'software'
          ? { ...flow, step: 'input', activationPassword: undefined }
          : { kind: 'issue', step: 'select', ...(flow.replace ? { replace: true } : {}) };
      }
      if (flow.step === 'input')
        return { kind: 'issue', step: 'select', ...(flow.replace ? { replace: true } : {}) };
      return null;
    case 'replace':
      return flow.step === 'phone' ? { kind: 'replace', step: 'password' } : null;
    case 'transfer':
    case 'settings':
      return flow.step === 'confirm' ? { ...flow, step: 'input' } : null;
    default:
      return null;
  }
}
