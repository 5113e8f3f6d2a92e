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
  // Issue 5's console.
  'token.deactivation_requested': '書面による利用解除の申請',
  'token.deactivation_approved': '書面による利用解除の承認',
  'token.deactivation_approve': '書面による利用解除の承認（拒否）',
  'token.deactivation_rejected': '書面による利用解除の却下・取消',
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
  pending: '承認待ち',
  approved: '承認',
  rejected: '却下',
  cancelled: '取消',
  own_request: '本人の申請のため拒否',
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

  // ── Issue 5's console: forced 利用解除 on a paper request under four eyes (guide 004) ──
  fourEyes: {
    nav: '承認待ち',
    link: '書面による利用解除',
    title: '書面による利用解除の申請',
    lead: 'お客さまから書面（お手続き用紙）で利用解除のお申し出があった場合に申請します。別の管理者が承認すると、お客さまのトークンは利用できなくなります（未登録に戻ります）。',
    reason: '理由',
    reasonHint: '1～200文字（例：携帯電話の紛失のため、書面にて利用解除の依頼）',
    paperRef: '書面の受付番号',
    paperRefHint: '1～32文字の英数字と - / _ .（例：2026-1203-015）',
    submit: '承認を依頼する',
    cancel: 'トークン詳細に戻る',
    reasonBad: '理由を1～200文字で入力してください。',
    paperRefBad: '受付番号を1～32文字の英数字（- / _ . を含む）で入力してください。',
    pendingAlready: 'このお客さまの書面による利用解除はすでに承認待ちです。承認待ち一覧から処理してください。',
    noToken: 'このお客さまには利用中・手続き中のトークンがありません。',
    listTitle: '承認待ち（書面による利用解除）',
    listLead: '他の管理者が申請した書面による利用解除を確認し、承認または却下します。ご自身の申請は承認できません（取消のみ）。',
    none: '承認待ちの申請はありません。',
    recent: '最近処理した申請',
    noneRecent: '処理済みの申請はありません。',
    no: '申請番号',
    customer: 'お客さま番号',
    requestedBy: '申請者',
    requestedAt: '申請日時',
    decidedBy: '処理者',
    decidedAt: '処理日時',
    decision: '結果',
    decisionReason: '却下・取消の理由',
    approve: '承認して利用解除する',
    reject: '却下する',
    withdraw: '申請を取り消す',
    rejectReason: '却下・取消の理由',
    own: 'ご自身の申請',
    states: { pending: '承認待ち', approved: '承認済（利用解除）', rejected: '却下', cancelled: '取消' },
    done: {
      requested: '承認を依頼しました。別の管理者が承認すると利用解除されます。',
      approved: '承認しました。お客さまのトークンを利用解除しました。',
      rejected: '申請を却下しました。',
      cancelled: '申請を取り消しました。',
    },
    ownTitle: 'ご自身の申請は承認できません',
    ownText: '書面による利用解除は、申請した方とは別の管理者が承認してください。',
    decidedTitle: 'この申請はすでに処理されています',
    decidedText: '他の管理者がすでに承認・却下・取消を行いました。一覧を確認してください。',
    toList: '承認待ち一覧へ',
  },

};

/** The shape every catalogue has. */
export type Messages = typeof ja;
