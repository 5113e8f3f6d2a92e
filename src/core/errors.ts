/**
 * The one error class and the catalogue of stable problem codes (SPEC.md, "The integration
 * contract"). Codes are public: banks code against them, so they never change meaning.
 * Messages live here as data; logic never looks at them.
 */

/** One entry of the catalogue: the HTTP status and the human text in both languages. */
export interface ErrorSpec {
  readonly status: number;
  readonly en: string;
  readonly ja: string;
}

/** Every problem code Inkan answers with. */
export const ERRORS = {
  MALFORMED_JSON: {
    status: 400,
    en: 'The request body is not valid JSON.',
    ja: 'リクエストの形式が正しくありません。',
  },
  VALIDATION_FAILED: {
    status: 400,
    en: 'Some fields are missing or not of the right form.',
    ja: '入力内容に誤りがあります。',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    en: 'Send the body as application/json.',
    ja: 'リクエストの形式が正しくありません。',
  },
  UNAUTHORIZED: {
    status: 401,
    en: 'A valid tenant API key is required.',
    ja: '認証に失敗しました。',
  },
  NOT_FOUND: { status: 404, en: 'Not found.', ja: '該当する情報がありません。' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    en: 'This method is not allowed here.',
    ja: 'この操作はできません。',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    en: 'The request body is too large.',
    ja: 'リクエストが大きすぎます。',
  },
  TOKEN_EXISTS: {
    status: 409,
    en: 'The customer already has an active token.',
    ja: 'すでにワンタイムパスワードを利用中です。',
  },
  TOKEN_NOT_ACTIVATABLE: {
    status: 409,
    en: 'The token cannot be activated in its present state.',
    ja: '現在の登録状況では利用開始できません。',
  },
  ISSUANCE_LIMIT: {
    status: 409,
    en: 'Too many issuances in the period; staff must lift the restriction.',
    ja: 'トークンの発行回数が上限に達しました。お取引店にお問い合わせください。',
  },
  REISSUE_NEXT_DAY: {
    status: 409,
    en: 'A new token can be issued from the next day after deactivation.',
    ja: '利用解除当日はトークンを発行できません。翌日以降に発行してください。',
  },
  ACTIVATION_PASSWORD_WRONG: {
    status: 400,
    en: 'The activation password is wrong.',
    ja: '利用開始パスワードが正しくありません。',
  },
  ALREADY_PROVISIONED: {
    status: 409,
    en: 'This token has already been set up.',
    ja: 'このトークンは初期設定済みです。',
  },
  ISSUANCE_EXPIRED: {
    status: 410,
    en: 'The issuance has expired; issue a new token.',
    ja: 'トークン発行の有効期限が切れています。再度トークン発行を行ってください。',
  },
  ISSUANCE_VOID: {
    status: 410,
    en: 'The issuance is void; issue a new token.',
    ja: 'このトークン発行は無効です。再度トークン発行を行ってください。',
  },
  TENANT_EXISTS: {
    status: 409,
    en: 'A tenant with this service ID exists.',
    ja: 'このサービスIDはすでに登録されています。',
  },
  SERIAL_EXISTS: {
    status: 409,
    en: 'A hardware token with this serial is already in stock; nothing was imported.',
    ja: 'このシリアル番号のハードウェアトークンはすでに登録されています。',
  },
  RATE_LIMITED: {
    status: 429,
    en: 'Too many requests; try again later.',
    ja: 'しばらく時間をおいてから再度お試しください。',
  },
  INTERNAL: { status: 500, en: 'Internal error.', ja: 'システムエラーが発生しました。' },
  SERVICE_BUSY: {
    status: 503,
    en: 'The database is busy with other work; try again shortly.',
    ja: 'ただいま混み合っています。しばらく時間をおいてから再度お試しください。',
  },
  FORBIDDEN: {
    status: 403,
    en: 'Your role does not allow this action.',
    ja: 'この操作を行う権限がありません。',
  },
  STAFF_EXISTS: {
    status: 409,
    en: 'A staff member with this login ID exists.',
    ja: 'このログインIDはすでに登録されています。',
  },
  PSKC_INVALID: {
    status: 400,
    en: 'The PSKC file is malformed or has been altered.',
    ja: 'PSKCファイルの形式が正しくないか、改ざんされています。',
  },
  NO_ACTIVE_TOKEN: {
    status: 409,
    en: 'The customer has no usable token (none active, locked, or past its validity).',
    ja: '利用中のワンタイムパスワードがありません。',
  },
  // Issue 5's console: the four-eyes paper requests.
  REQUEST_PENDING: {
    status: 409,
    en: 'A paper request for this customer is already waiting for approval.',
    ja: 'このお客さまの書面による利用解除はすでに承認待ちです。',
  },
  REQUEST_DECIDED: {
    status: 409,
    en: 'This request has already been decided.',
    ja: 'この申請はすでに処理されています。',
  },
  REISSUE_NOT_YET: {
    status: 409,
    en: 'A hardware token can be re-issued from 90 days before its expiry.',
    ja: 'ハードウェアトークンの再発行は、有効期限の90日前から受け付けます。',
  },
  POLICY_CHANGED: {
    status: 409,
    en: 'Another administrator changed the settings meanwhile; reload and try again.',
    ja: '他の管理者が運用設定を変更しました。画面を開き直してから変更してください。',
  },
  OWN_REQUEST: {
    status: 403,
    en: 'A request must be approved by another staff member.',
    ja: 'ご自身の申請は承認できません。別の管理者が承認してください。',
  },
} as const satisfies Record<string, ErrorSpec>;

/** A stable problem code. */
export type ErrorCode = keyof typeof ERRORS;

/** One failing field of a VALIDATION_FAILED problem. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * Misuse and refusals: thrown, rendered once as problem+json by the HTTP layer.
 * Outcomes of an OTP check are values, never this (CONVENTIONS.md, guideline 2).
 */
export class InkanError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra public members of the problem document (e.g. `attemptsLeft`, `errors`). */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, extra: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(ERRORS[code].en, options);
    this.name = 'InkanError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.extra = extra;
  }
}

/** True when `e` is an InkanError, optionally of the given code. */
export function isInkanError(e: unknown, code?: ErrorCode): e is InkanError {
  return e instanceof InkanError && (code === undefined || e.code === code);
}
