/**
 * The admin console's words in Japanese, the default language. `en.ts` has the same shape.
 * Texts with a value are functions. Logic never reads these words (CONVENTIONS.md, guideline 9).
 */
import { ERRORS, type ErrorCode } from '../../../core/index.js';
import { jstStamp } from './format.js';

/** The wording of audit actions and results staff read in a customer's history. */
const ACTIONS: Readonly<Record<string, string>> = {
  'token.issued': 'トークン発行',
  'token.issue_refused': 'トークン発行（受付不可）',
  'token.provision': 'アプリ初期設定',
  'token.activate': '利用開始',
  'otp.verify': 'ワンタイムパスワード認証',
  'token.locked': '閉塞',
  'token.unlocked': '閉塞解除',
  'token.deactivate': '利用解除',
  'token.deactivated': 'トークン無効化',
  'token.ended': 'トークン終了',
  'mail.failed': 'メール送信失敗',
  'customer.issuance_limit_lifted': '発行規制の解除',
  'staff.customer_viewed': 'トークン詳細の照会',
  'staff.forbidden': '権限外の操作（拒否）',
  'passkey.registered': '生体認証ログイン登録',
  'passkey.register': '生体認証ログイン登録（拒否）',
  'passkey.authenticated': '生体認証ログイン',
  'passkey.authenticate': '生体認証ログイン（拒否）',
  'passkey.removed': '生体認証ログイン解除',
  // 取引認証 (issue 7)
  'transaction.created': '取引認証（受付）',
  'transaction.approved': '取引認証（承認）',
  'transaction.rejected': '取引認証（拒否）',
  'transaction.failed': '取引認証（中止）',
  'transaction.expired': '取引認証（有効期限切れ）',
  'transaction.verify': '取引認証の照合',
  'app.proof': 'アプリの本人確認',
  'customer.transaction_policy': '取引認証の設定',
};

const RESULTS: Readonly<Record<string, string>> = {
  ok: '成功',
  invalid: '不一致',
  replayed: '使用済み',
  locked: '閉塞中',
  not_active: '利用中でない',
  expired: '有効期限切れ',
  no_token: 'トークンなし',
  issued: '発行済',
  provisioned: '初期設定完了',
  activation_password_wrong: '利用開始パスワード誤り',
  lost_race: '重複した要求',
  unlocked: '解除',
  not_locked: '閉塞なし',
  replaced: '機種変更',
  deactivated: 'お客さまによる利用解除',
  staff_deactivated: '書面による利用解除',
  void: '無効（パスワード誤り超過）',
  reissued: '再発行',
  lifted: '解除',
  not_restricted: '規制なし',
  unreadable: '秘密鍵を読めない',
  secret_unreadable: '秘密鍵を読めない',
  challenge_invalid: '認証要求の期限切れ・再使用',
  user_not_verified: '生体認証なし',
  unknown_credential: '未登録の端末',
  counter_regressed: '署名カウンタの逆行（複製の疑い）',
  already_registered: '登録済みの端末',
  staff_removed: '行員による解除',
  // 取引認証 (issue 7)
  pending: '承認待ち',
  rejected: '拒否',
  tenant: '銀行の設定に従う',
  off: '利用しない',
  always: 'すべての振込',
  above_amount: '一定金額を超える振込',
  new_payee: '新しい振込先',
};

const STATES = {
  none: '未登録',
  issued: 'トークン発行済',
  provisioned: '初期設定済',
  active: '利用中',
  ended: '終了',
} as const;

export const ja = {
  /** An ISO instant in JST, dense. */
  stamp: (iso: string | null | undefined): string => jstStamp(iso),
  refusal: (code: ErrorCode): string => ERRORS[code].ja,
  action: (a: string): string => ACTIONS[a] ?? a,
  result: (r: string | null): string => (r === null ? '' : (RESULTS[r] ?? r)),
  state: (s: keyof typeof STATES): string => STATES[s],
  tokenType: (t: 'software' | 'hardware' | null): string =>
    t === null ? '—' : t === 'software' ? 'ソフトウェアトークン' : 'ハードウェアトークン',
  endReason: (r: string | null): string => (r === null ? '' : (RESULTS[r] ?? r)),
  role: (r: 'operator' | 'admin'): string => (r === 'admin' ? '管理者' : 'オペレーター'),
  /** Who did it, from the audit trail's actor. */
  actor: (actor: string, name: string | null): string => {
    if (actor.startsWith('staff:'))
      return name === null ? `行員 ${actor.slice(6)}` : `行員 ${name}`;
    if (actor.startsWith('api:')) return '銀行システム（API）';
    return (
      {
        portal: 'インターネットバンキング',
        app: 'トークンアプリ',
        cli: 'コマンド（CLI）',
        system: 'システム',
      }[actor] ?? actor
    );
  },

  layout: {
    product: '管理コンソール',
    title: (screen: string, bank: string | null) =>
      `${screen} | ${bank === null ? '' : `${bank} `}Inkan 管理コンソール`,
    logout: 'ログアウト',
    navLabel: 'メニュー',
    nav: { customers: '顧客検索', staff: '行員管理' },
    footer: 'この画面での操作はすべて記録されます。15分間操作がないと自動的にログアウトします。',
    switchTo: 'English',
    switchLabel: 'Display in English',
  },

  login: {
    title: '行員ログイン',
    lead: 'ログインIDとパスワードを入力してください。',
    loginId: 'ログインID',
    password: 'パスワード',
    submit: 'ログイン',
    required: (what: string) => `${what}を入力してください。`,
    tooLong: (what: string) => `${what}が長すぎます。`,
    wrong: 'ログインIDまたはパスワードが正しくありません。',
    locked:
      'このアカウントはロックされています。同じ金融機関の管理者、またはシステム管理者に解除を依頼してください。',
    expired: '画面の有効期限が切れました。もう一度入力してください。',
    timeout: '15分間操作がなかったため、ログアウトしました。もう一度ログインしてください。',
    bye: 'ログアウトしました。',
  },

  enrol: {
    title: '認証アプリの登録',
    lead: '初回ログインです。スマートフォンの認証アプリ（Google Authenticator、Microsoft Authenticator など）で次のQRコードを読み取り、アプリに表示された6桁の確認コードを入力してください。',
    qrAlt: '認証アプリ登録用のQRコード',
    openInApp: 'この端末の認証アプリで開く',
    manual: 'QRコードを読み取れない場合は、次のキーを手入力してください。',
    key: 'キー',
    issuer: '発行者',
    account: 'アカウント',
    kind: '種類',
    kindValue: '時間ベース（TOTP）・6桁・30秒',
    code: '確認コード',
    codeHint: '認証アプリに表示された6桁の数字',
    submit: '登録する',
    done: '認証アプリを登録しました。',
  },

  totp: {
    title: '確認コードの入力',
    lead: (name: string) =>
      `${name} さん、認証アプリに表示されている6桁の確認コードを入力してください。`,
    code: '確認コード',
    submit: '認証する',
    format: '確認コードは6桁の数字で入力してください。',
    invalid: (left: number | undefined) =>
      `確認コードが正しくありません。${left === undefined ? '' : `あと${left}回誤るとアカウントがロックされます。`}`,
    replayed:
      'この確認コードはすでに使用されています。認証アプリに次のコードが表示されてから入力してください。',
    backToLogin: 'ログイン画面に戻る',
  },

  search: {
    title: '顧客検索',
    lead: 'お客さま番号、ユーザID、シリアル番号、メールアドレスのいずれかで検索します（完全一致）。',
    query: '検索キー',
    submit: '検索',
    queryRequired: '検索キーを入力してください。',
    queryBad: '検索キーは64文字以内で入力してください。',
    results: (n: number) => `検索結果 ${n}件`,
    none: '該当するお客さまは見つかりませんでした。',
    ref: 'お客さま番号',
    state: '登録状況',
    type: '種類',
    userId: 'ユーザID',
    serial: 'シリアル番号',
    email: 'メールアドレス',
    locked: '閉塞',
    lockedYes: '閉塞中',
  },

  detail: {
    title: 'トークン詳細',
    customer: 'お客さま情報',
    ref: 'お客さま番号',
    since: '登録日時',
    issuance: '発行規制',
    restricted: (counted: number, limit: number, days: number) =>
      `規制中（直近${days}日間の発行 ${counted}回 / 上限 ${limit}回）`,
    notRestricted: (counted: number, limit: number, days: number) =>
      `なし（直近${days}日間の発行 ${counted}回 / 上限 ${limit}回）`,
    liftedAt: (when: string) => `前回の解除 ${when}`,
    token: '現在のトークン',
    noToken: '利用中・手続き中のトークンはありません（未登録）。',
    state: '登録状況',
    type: '種類',
    serial: 'シリアル番号',
    userId: 'ユーザID',
    email: 'メールアドレス',
    failCount: '連続誤り回数',
    lock: '閉塞',
    lockedSince: (when: string) => `閉塞中（${when}から）`,
    notLocked: 'なし',
    issuedAt: '発行日時',
    expiresAt: '手続き期限',
    provisionedAt: '初期設定日時',
    activatedAt: '利用開始日時',
    validUntil: '有効期限',
    lastUsedAt: '最終利用日時',
    expired: '期限切れ',
    pending: '機種変更（新しいトークン、利用開始待ち）',
    unlock: '閉塞解除',
    lift: '発行規制の解除',
    tokens: 'トークン履歴',
    id: '番号',
    tokenNo: 'トークン番号',
    endedAt: '終了日時',
    endReason: '終了理由',
    history: '操作履歴（新しい順）',
    at: '日時',
    action: '操作',
    result: '結果',
    actor: '実行者',
    reason: '理由',
    noHistory: '記録はありません。',
    back: '顧客検索に戻る',
    unlocked: '閉塞を解除しました。',
    lifted: '発行規制を解除しました。',
  },

  unlock: {
    title: '閉塞解除',
    lead: 'お客さまの本人確認が済んでいることを確認し、解除の理由を入力してください。解除すると連続誤り回数も0に戻ります。',
    notLocked: 'このトークンは閉塞していません。誤り回数が残っている場合は0に戻します。',
    reason: '理由',
    reasonHint: '1～200文字（例：お客さまから電話で依頼、本人確認済）',
    reasonBad: '理由を1～200文字で入力してください。',
    submit: '閉塞解除する',
    cancel: 'トークン詳細に戻る',
  },

  lift: {
    title: '発行規制の解除',
    lead: 'トークンの発行回数の上限に達したお客さまの発行規制を解除します。解除後は、これからの発行のみを数えます。',
    submit: '発行規制を解除する',
  },

  staff: {
    title: '行員管理',
    lead: '同じ金融機関の行員です。ロックされたアカウントを解除できます。',
    loginId: 'ログインID',
    name: '氏名',
    role: '権限',
    app: '認証アプリ',
    enrolled: '登録済',
    notEnrolled: '未登録',
    status: '状態',
    locked: 'ロック中',
    active: '有効',
    lastLogin: '最終ログイン',
    unlock: 'ロック解除',
    unlocked: (loginId: string) => `${loginId} のロックを解除しました。`,
  },

  sorry: {
    forbidden: {
      title: '権限がありません',
      text: 'この操作を行う権限がありません。管理者にお問い合わせください。',
    },
    notFound: { title: 'ページが見つかりません', text: 'お探しのページは見つかりませんでした。' },
    customerNotFound: {
      title: 'お客さまが見つかりません',
      text: '該当するお客さまは見つかりませんでした。',
    },
    csrf: {
      title: '操作を受け付けられませんでした',
      text: '画面の有効期限が切れたか、正しくない操作です。もう一度操作してください。',
    },
    busy: {
      title: 'しばらくお待ちください',
      text: '短時間に多くの操作がありました。しばらくしてから再度お試しください。',
    },
    badRequest: {
      title: '入力内容に誤りがあります',
      text: '入力内容を確認して、もう一度操作してください。',
    },
    badLanguage: { title: '表示言語を切り替えられません', text: 'もう一度操作してください。' },
    server: {
      title: 'システムエラー',
      text: 'システムエラーが発生しました。しばらくしてから再度お試しください。',
    },
    toTop: '顧客検索へ',
    toLogin: 'ログイン画面へ',
  },
  /** 生体認証ログイン (issue 6): a customer's registered devices, removed by staff. */
  passkeys: {
    title: '生体認証ログインの登録端末',
    link: '生体認証ログインの登録端末',
    lead: 'お客さまが生体認証ログインに登録した端末です。紛失などのお申し出があった端末は、理由を入力して「解除」してください。',
    device: '端末名',
    registered: '登録日時',
    lastUsed: '最終利用日時',
    fromToken: 'ワンタイムパスワードの端末',
    yes: 'はい',
    no: 'いいえ',
    never: '未使用',
    none: '登録されている端末はありません。',
    reason: '解除の理由',
    reasonHint: '1～200文字（例：お客さまより電話で紛失の申出）',
    reasonBad: '解除の理由を1～200文字で入力してください。',
    remove: '解除',
    removed: '生体認証ログインの登録を解除しました。',
    notFound: 'この端末はすでに解除されています。',
    back: 'トークン詳細へ戻る',
  },
};

/** The shape every catalogue has. */
export type Messages = typeof ja;
