/**
 * The portal's words in Japanese, the default language (SPEC.md, "Parts": Japanese first, English
 * switch). The guides' own wording, kept verbatim: the screens name their steps, fields and
 * buttons as the bank's guides do, and customers follow those guides. `en.ts` has the same shape.
 * Texts with a value are functions; texts with markup around a value return `Html` (the value is
 * escaped by the `html` tag). Logic never reads these words.
 */
import { ERRORS, type ErrorCode } from '../../../core/index.js';
import { html, type Html } from '../../shared/html.js';
import { jstFields, jstFieldsOfIso, pad2 } from './format.js';

export const ja = {
  /** 1,234,567円. */
  yen: (n: number): string => `${n.toLocaleString('ja-JP')}円`,
  /** An ISO instant in JST as the guides write it: 2026年11月23日 14時05分 ('' for none). */
  dateTime: (iso: string | null | undefined, seconds = false): string => {
    const d = jstFieldsOfIso(iso);
    if (d === null) return '';
    return (
      `${d.year}年${pad2(d.month)}月${pad2(d.day)}日 ` +
      `${pad2(d.hour)}時${pad2(d.minute)}分${seconds ? `${pad2(d.second)}秒` : ''}`
    );
  },
  /** 14時05分30秒 (JST) of an instant (ms). */
  time: (ms: number): string => {
    const d = jstFields(ms);
    return `${pad2(d.hour)}時${pad2(d.minute)}分${pad2(d.second)}秒`;
  },
  /** A platform refusal (ERRORS of core/errors.ts). */
  refusal: (code: ErrorCode): string => ERRORS[code].ja,
  /** 科目 as the bank's data and the transfer form write it (普通, 当座, 定期). */
  accountType: (type: string): string => type,
  /** A list of what a screen asks for: 確認用パスワード・ワンタイムパスワード. */
  list: (items: readonly string[]): string => items.join('・'),

  layout: {
    service: 'インターネットバンキング',
    title: (screen: string, bank: string) => `${screen} | ${bank} インターネットバンキング`,
    customer: (name: string) => `${name} 様`,
    lastLogin: (when: string) => `前回ログイン ${when}`,
    logout: 'ログアウト',
    navLabel: 'グローバルナビゲーション',
    nav: {
      home: 'ホーム',
      transfer: '振込',
      services: 'ご利用サービスの変更',
      settings: '登録情報の変更',
    },
    screenId: (id: string) => `画面ID : ${id}`,
    footer: (bank: string) =>
      `${bank}　インターネットバンキング　|　ワンタイムパスワードは Inkan が提供しています`,
    /** The header's switch to the other language, written in that language. */
    switchTo: 'English',
    switchLabel: 'Display in English',
  },

  common: {
    required: '必須',
    steps: '手続きの流れ',
    cancel: '申込を中止する',
    back: '戻る',
    next: '次へ',
    confirm: '確定する',
    toTop: 'トップページへ',
    toLogin: 'ログイン画面へ',
    toOtpMenu: 'ワンタイムパスワード申請内容選択へ',
    halfDigits: '半角数字',
    emailHint: '半角英数字記号 4〜64文字',
    enterTwice: '確認のため2回入力して下さい',
    email: 'メールアドレス',
    emailConfirm: 'メールアドレス（確認用）',
    emailRequired: 'メールアドレスを入力してください。',
    emailFormat: 'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
    emailAgain: '確認のため、メールアドレスをもう一度入力してください。',
    emailMismatch: 'メールアドレスと確認用のメールアドレスが一致しません。',
    notRegistered: '未登録',
    phoneCheckButton: '電話番号認証を行う',
    phoneCheckStep: '電話番号認証',
    loginPassword: 'ログインパスワード',
    loginPasswordSection: 'ログインパスワードの入力',
    loginPasswordRequired: 'ログインパスワードを入力してください。',
    loginPasswordTooLong: 'ログインパスワードは64文字以内で入力してください。',
    loginPasswordWrong: 'ログインパスワードが正しくありません。',
    pleaseCheck: 'ご確認ください',
    notes: '注意事項',
    tokenInfo: 'トークン情報',
    newTokenInfo: 'トークン情報（新しいトークン）',
    tokenType: 'トークンの種類',
    serviceId: 'サービスID',
    userId: 'ユーザID',
    serial: 'シリアル番号',
    validUntil: '有効期限',
    dailyLimit: '振込限度額（1日あたり）',
    inUse: '利用中',
    notUsed: '利用していません',
  },

  /** 確認用パスワード (guide 001: 半角英数字6～12桁). */
  confirmPassword: {
    /** As a confirm screen's lead names it. */
    name: '確認用パスワード',
    section: '確認用パスワードの入力',
    label: '確認用パスワード',
    hint: '半角英数字6～12桁',
    required: '確認用パスワードを入力してください。',
    format: '確認用パスワードは半角英数字6～12桁で入力してください。',
    wrong: '確認用パスワードが正しくありません。',
  },

  /** The OTP as a screen asks for it. */
  otpInput: {
    name: 'ワンタイムパスワード',
    section: 'ワンタイムパスワードの入力',
    label: 'ワンタイムパスワード',
    required: 'ワンタイムパスワードを入力してください。',
    /** 振込's hint, which says where the digits are. */
    transferHint: '半角数字（アプリまたはトークンに表示されている数字）',
  },

  /** What the customer reads for each refused OTP (the reason codes of SPEC.md). */
  otpRefused: {
    format: 'ワンタイムパスワードは半角数字で入力してください。',
    invalid:
      'ワンタイムパスワードが正しくありません。アプリ（トークン）に表示されている最新のワンタイムパスワードを入力してください。',
    replayed:
      'このワンタイムパスワードはすでに使用されています。次のワンタイムパスワードが表示されてから入力してください。',
    locked: 'ワンタイムパスワード認証が停止しています。当行までご連絡ください。',
    not_active:
      'ワンタイムパスワードアプリの初期設定が完了していません。初期設定を行ってから再度操作してください。',
    expired: 'トークン発行の有効期限が切れています。再度トークン発行を行ってください。',
    no_token: 'ワンタイムパスワードが登録されていません。',
  },

  /** メール通知パスワード (guides 002 and 004). */
  mailOtp: {
    name: 'メール通知パスワード',
    section: 'メール通知パスワード送信先',
    sendFailed:
      'メール通知パスワードを送信できませんでした。「メール通知パスワードを再送信する」を押してください。',
    sentLead:
      'メール通知パスワードは、お客様へ送信されたメールの本文に以下の送信日時を記載したメールをご確認ください。',
    sentAt: '送信日時',
    sentTo: '送信先メールアドレス',
    label: 'メール通知パスワード',
    hint: '半角数字6桁',
    resend: 'メール通知パスワードを再送信する',
    sentNotice:
      'メール通知パスワード送信先としてご登録のメールアドレスにメール通知パスワードを送信しました。',
    required: 'メール通知パスワードを入力してください。',
    format: 'メール通知パスワードは半角数字6桁で入力してください。',
    refused: {
      wrong: 'メール通知パスワードが正しくありません。',
      void: 'メール通知パスワードを続けて誤ったため無効になりました。「メール通知パスワードを再送信する」から新しいメール通知パスワードを受け取ってください。',
      none: 'メール通知パスワードが送信されていません。「メール通知パスワードを再送信する」を押してください。',
    },
  },

  /** 追加認証 (guide 002): the customer's security question. */
  question: {
    name: '追加認証の回答',
    section: '追加認証入力',
    question: '質問',
    label: '回答',
    hint: '全角16文字以内',
    required: '追加認証の回答を入力してください。',
    tooLong: '追加認証の回答は16文字以内で入力してください。',
    wrong: '追加認証の回答が正しくありません。',
  },

  /** Messages carried to the next page (the session keeps their keys, not their words). */
  notices: {
    outOfOrder: 'お手続きの順序が正しくないため、最初からやり直してください。',
    cancelled: 'お手続きを中止しました。',
    notAllowed: '現在の登録状況ではこのお手続きはできません。',
    activatedReplaced:
      'ワンタイムパスワードの利用を開始しました。これまでのトークンは利用解除されました。',
    activated:
      'ワンタイムパスワードの利用を開始しました。次回のログインからワンタイムパスワードの入力が必要になります。',
    activateFailed:
      'ワンタイムパスワードの利用開始を完了できませんでした。「ワンタイムパスワード利用開始」から手続きを行ってください。',
    appOtpNotNew:
      'アプリのワンタイムパスワードを確認できませんでした。現在お使いのワンタイムパスワードを入力してください。',
    appOtpWrong:
      'アプリのワンタイムパスワードを確認できませんでした。アプリに表示されているワンタイムパスワードを入力してください。',
    mailOtpWhileOtp: 'ワンタイムパスワードをご利用中のため、メール通知パスワードは変更できません。',
  },

  /** Pages for what went wrong outside a form. */
  sorry: {
    csrf: {
      title: '操作を受け付けられませんでした',
      message:
        '画面の有効期限が切れたか、正しくない操作が行われました。もう一度最初から操作してください。',
    },
    busy: {
      title: 'しばらくお待ちください',
      message:
        '短時間に操作が繰り返されたため、受付を一時停止しています。しばらく時間をおいてから再度お試しください。',
    },
    unavailable: {
      title: 'ただいま混み合っています',
      message: 'ただいまお取り扱いできません。しばらく時間をおいてから再度お試しください。',
    },
    server: {
      title: 'システムエラー',
      message: 'ただいまお取り扱いできません。しばらく時間をおいてから再度お試しください。',
    },
    badRequest: {
      title: '操作を受け付けられませんでした',
      message: '入力内容を受け付けられませんでした。画面を開き直してもう一度操作してください。',
    },
    notFound: {
      title: 'ページが見つかりません',
      message: 'お探しのページは見つかりませんでした。',
    },
    badLanguage: {
      title: '表示言語を切り替えられませんでした',
      message: '表示言語の切り替え先が正しくありません。画面を開き直してもう一度操作してください。',
    },
  },

  /** A procedure whose result is not saved yet (a double click). */
  pending: {
    title: (procedure: string) => `${procedure}（処理中）`,
    message:
      'ただいまお手続きを処理しています。同じお手続きを重ねて行わず、しばらくしてから「画面を更新する」ボタンを押して下さい。',
    refresh: '画面を更新する',
  },

  login: {
    title: 'ログイン',
    section: 'ログインID・ログインパスワードの入力',
    appOtpNote: 'ワンタイムパスワードアプリのワンタイムパスワードを使用してログインします。',
    loginId: 'ログインID',
    submit: 'ログイン',
    timeout: '一定時間操作がなかったため、ログアウトしました。再度ログインしてください。',
    bye: 'ログアウトしました。ご利用ありがとうございました。',
    expired: '画面の有効期限が切れました。もう一度ログインしてください。',
    loginIdRequired: 'ログインIDを入力してください。',
    loginIdTooLong: 'ログインIDは32文字以内で入力してください。',
    loginIdBadChar: 'ログインIDに使用できない文字が含まれています。',
    wrong: 'ログインIDまたはログインパスワードが正しくありません。',
    locked: (phone: string) =>
      `ログインパスワードを連続して誤ったため、ログインを停止しています。お手数ですが ${phone} までご連絡ください。`,
    otpTitle: 'ワンタイムパスワード認証',
    otpLead: (name: string) =>
      `${name} 様、ワンタイムパスワードアプリ（またはハードウェアトークン）に表示されているワンタイムパスワードを入力し、「認証する」ボタンを押して下さい。`,
    otpSubmit: '認証する',
    quit: 'ログインを中止する',
  },

  /** ワンタイムパスワード認証の停止 (閉塞). */
  locked: {
    title: 'ワンタイムパスワード認証の停止',
    alert: 'ワンタイムパスワード認証が停止しているため、ログインできません。',
    section: 'ご連絡のお願い',
    body: [
      'ワンタイムパスワードを連続して一定回数以上間違えたため、不正ログインを防止するためにワンタイムパスワード認証を停止しました。',
      '状況を確認後、当行にて停止状態の解除を実施いたしますので、お手数ですが下記までご連絡ください。',
    ],
    helpdesk: (bank: string, phone: string) =>
      `${bank} インターネットバンキング ヘルプデスク　${phone}`,
    hours: '（平日 9:00〜17:00）',
  },

  /** ログイン (ワンタイムパスワード利用促進), guide 002. */
  promote: {
    title: 'ログイン（ワンタイムパスワード利用促進）',
    lead: 'ワンタイムパスワード利用申請をご選択のうえ、「次へ」ボタンを押して下さい。',
    section: 'ワンタイムパスワード利用申請',
    apply: '申請する',
    skip: '申請しない',
    notesTitle: 'ご注意',
    notes: [
      '※「申請する」、「申請しない」をご選択下さい。',
      '※「申請する」を選択した場合、ワンタイムパスワード申請内容選択画面へ遷移します。',
      '※「申請しない」を選択した場合、トップページへ遷移します。',
    ],
    choose: '「申請する」、「申請しない」をご選択下さい。',
  },

  top: {
    title: 'トップページ',
    promote: 'ワンタイムパスワードをご利用いただくと、不正送金の防止を強化できます。',
    promoteLink: 'ワンタイムパスワード申請はこちら',
    accounts: '口座情報',
    branch: '支店',
    type: '科目',
    number: '口座番号',
    balance: '残高',
    branchCell: (name: string, code: string) => `${name}（${code}）`,
    transfer: '振込',
    otp: 'ワンタイムパスワード',
    settings: '登録情報の変更',
    recent: '最近のお振込',
    noTransfers: 'お振込みの履歴はありません。',
    at: '受付日時',
    payee: '振込先',
    payeeName: '受取人名',
    amount: '金額',
    usage: 'ご利用状況',
    change: '申込・変更',
  },

  /** The OTP screens of guide 001. */
  otp: {
    /** 登録状況 as the guides word it. */
    states: {
      none: '未登録',
      locked: '利用停止中（閉塞）',
      replacing: '利用中（新しいトークンを発行済）',
      active: '利用中',
      expired: '未登録（発行したトークンの有効期限切れ）',
      provisioned: 'トークン発行済（アプリ初期設定済）',
      issued: 'トークン発行済',
    },
    types: { software: 'ソフトウェアトークン', hardware: 'ハードウェアトークン' },
    /** The confirm screen's lead, naming what it asks for and the button. */
    confirmLead: (asks: string, button: string) =>
      `入力内容をご確認のうえ、${asks}を入力し、「${button}」ボタンを押して下さい。`,
    issue: 'トークン発行',
    activate: 'ワンタイムパスワード利用開始',
    deactivate: 'ワンタイムパスワード利用解除',
    bop001: {
      title: 'ワンタイムパスワード申請内容選択',
      lead: [
        'ワンタイムパスワードの登録情報を表示します。',
        '登録情報の変更を行う場合は変更対象ボタンを押して下さい。',
      ],
      registration: 'ワンタイムパスワード登録状況',
      state: '登録状況',
      activateBy: '有効期限（利用開始の期限）',
      activatedAt: '利用開始日',
      setUpFirst:
        'ワンタイムパスワードアプリの初期設定がお済みでない場合は、トークン発行用メールに記載のサービスID・ユーザIDと利用開始パスワードで初期設定を行ってから「ワンタイムパスワード利用開始」を行って下さい。',
      replaceTitle: 'スマートフォンの機種変更・紛失の場合',
      replaceBody:
        'お届出電話番号からの電話番号認証で、新しいスマートフォンにトークンを発行できます（書面によるお手続きは不要です）。新しいトークンの利用開始までは、現在のトークンを引き続きご利用いただけます。',
      replaceButton: '機種変更によるトークン再発行',
      newPhoneFirst:
        '新しいスマートフォンでワンタイムパスワードアプリの初期設定を行ってから「ワンタイムパスワード利用開始」を行って下さい。利用開始までは現在のトークンをご利用いただけます。',
      notes: [
        {
          heading: '＜ワンタイムパスワードとは＞',
          body: [
            '・「ワンタイムパスワード」とは、1分毎に更新される使い捨てのパスワードで、利用者はスマートフォン等からワンタイムパスワードを取得し、パソコンに入力します。',
            '・接続時に、「ログインID」と「ログインパスワード」に加えて「ワンタイムパスワード」を入力することにより、不正利用の防止を強化することができます。',
          ],
        },
        {
          heading: '＜トークン発行＞',
          body: [
            'ワンタイムパスワードをご利用いただくために「トークン発行」が必要となります。次画面にて「ソフトウェアトークン」または「ハードウェアトークン」いずれかを選択してください。',
          ],
        },
        {
          heading: '＜ワンタイムパスワード利用開始＞',
          body: [
            'ソフトウェアトークンはアプリの設定後、ハードウェアトークンはお手元に到着後、ワンタイムパスワードの利用開始を行ってください。次回のログインから、ワンタイムパスワードの入力が必要になります。',
          ],
        },
        {
          heading: '＜ワンタイムパスワード利用解除とは＞',
          body: [
            '・スマートフォン等の機種変更等で現在のワンタイムパスワードアプリが使用できなくなる場合にワンタイムパスワード利用解除を実施してください。次回ログイン時から、「ワンタイムパスワード認証画面」が表示されず、通常のログイン手続きとなります。',
            '・機種変更後に、新たに「トークン発行」「ワンタイムパスワード利用開始」を実施してワンタイムパスワードの利用を再開ください。',
            '・利用解除を行うと、振込限度額は1日あたり20万円となります。',
          ],
        },
        {
          heading: '＜ワンタイムパスワード認証の停止について＞',
          body: [
            'ワンタイムパスワードを連続して一定回数以上間違えると、不正ログインを防止するため、ワンタイムパスワード認証が停止し、以降のログインができなくなります。停止した場合は当行にて停止状態の解除を実施いたしますのでご連絡願います。',
          ],
        },
      ],
    },
    bot010: {
      title: 'トークン発行（選択）',
      lead: 'トークンの種類を選択して下さい。',
      section: 'トークンの選択',
      select: '選択',
      software: '携帯電話またはスマートフォンのアプリに表示する方法',
      hardware: (fee: string) => `キーホルダー型の生成機に表示する方法・有料${fee}`,
      choice: (label: string, desc: string) => html`<strong>${label}</strong>（${desc}）`,
    },
    softSteps: {
      input: 'ソフトウェアトークン発行情報入力',
      confirm: 'ソフトウェアトークン発行情報入力内容確認',
      /** The confirm step's name beside 電話番号認証 (the phone step's indicator). */
      confirmShort: '入力内容確認',
      done: 'ソフトウェアトークン発行完了',
    },
    hardSteps: {
      confirm: 'ハードウェアトークン発行確認',
      done: 'ハードウェアトークン発行完了',
    },
    softInput: {
      title: 'トークン発行（ソフトウェアトークン発行情報入力）',
      lead: [
        'ソフトウェアトークンを発行します。',
        '送付先メールアドレス、利用開始パスワードを入力し「次へ」ボタンを押して下さい。',
      ],
      emailSection: '送付先メールアドレスの指定',
      emailLead: 'トークンを発行するスマートフォン（携帯電話）のメールアドレスを入力して下さい。',
      email: 'スマートフォンメールアドレス',
      emailConfirm: 'スマートフォンメールアドレス（確認用）',
      passwordSection: '利用開始パスワードの指定',
      passwordLead: [
        'トークン発行時に必要となる利用開始パスワードを4～8桁の数字で登録して下さい。',
        '利用開始パスワードは、お控えいただくかお忘れにならないようご注意ください。',
      ],
      password: '利用開始パスワード',
      passwordHint: '半角数字4〜8桁',
      passwordConfirm: '利用開始パスワード（確認用）',
      passwordNote:
        '※「利用開始パスワード」は、常時使用するパスワードではなく、この後の「アプリの初期設定」手続き時のみ利用するものです。お客様任意の数字を入力してください。',
      emailRequired: 'スマートフォンメールアドレスを入力してください。',
      passwordRequired: '利用開始パスワードを入力してください。',
      passwordFormat: '利用開始パスワードは半角数字4～8桁で入力してください。',
      passwordAgain: '確認のため、利用開始パスワードをもう一度入力してください。',
      passwordMismatch: '利用開始パスワードと確認用の利用開始パスワードが一致しません。',
    },
    softConfirm: {
      title: 'トークン発行（ソフトウェアトークン発行情報入力内容確認）',
      sendTo: '送付先メールアドレス',
    },
    softDone: {
      title: 'トークン発行（ソフトウェアトークン発行完了）',
      accepted: [
        'トークン発行を受け付けました。',
        'スマートフォンメールアドレスにトークン発行用のメールが送信されます。',
        'トークン情報に従い、ワンタイムパスワードの設定のお手続きをお願いします。',
      ],
      print: 'ページを印刷する',
      nextTitle: '次のお手続き',
      setUp: (app: Html) =>
        html`1. スマートフォンでワンタイムパスワードアプリ（${app}）を開き、上記のサービスID・ユーザIDと、登録した利用開始パスワードで初期設定を行ってください。`,
      next: [
        '2. 初期設定後、アプリの「ワンタイムパスワードでログイン」からログインするか、この画面の「ワンタイムパスワード利用開始」で利用開始の手続きを行ってください。',
        '※ 一定時間内に利用開始の手続きが行われない場合、発行したトークンは無効になります。',
        '※ スマートフォンに迷惑メール対策をされている方は、トークン発行用メールを受信できるように設定してください。',
      ],
    },
    hardConfirm: {
      title: 'トークン発行（ハードウェアトークン発行確認）',
      lead: '注意事項の内容をご確認のうえ、よろしければ確認用パスワードを入力して「トークンを発行する」ボタンを押して下さい。',
      details: '発行内容',
      kind: 'ハードウェアトークン（キーホルダー型）',
      fee: '発行手数料',
      feeNote: '（税込・ご登録の口座から引き落とします）',
      sendTo: '送付先',
      byPost: 'ご登録の住所に郵送いたします。',
      notes: (fee: string) => [
        '※ ハードウェアトークンの有効期限到来により、トークンを再発行する際はワンタイムパスワードの入力が求められます（再発行は有効期限の90日前より可能）。',
        '※ 一度利用解除を行ったハードウェアトークンは、再度ご利用いただけません。',
        `※ 端末代金${fee}は発行の都度かかりますのでご了承ください。`,
      ],
      submit: 'トークンを発行する',
    },
    hardDone: {
      title: 'トークン発行（ハードウェアトークン発行完了）',
      accepted: 'ハードウェアトークン発行申請の受付が完了しました。',
      nextTitle: '今後のお手続き',
      next: (fee: string) => [
        `当行より登録済みの住所にハードウェアトークンを送付いたします（発行手数料 ${fee}）。`,
        'ハードウェアトークンがお手元に届いた後、「ワンタイムパスワード利用開始」からシリアル番号とワンタイムパスワードを入力して利用開始登録を行ってください。',
      ],
    },
    phoneTitle: 'トークン発行（電話番号認証）',
    activation: {
      titleInput: (kind: string) => `ワンタイムパスワード利用開始（${kind}確認）`,
      titleDone: (kind: string) => `ワンタイムパスワード利用開始（${kind}完了）`,
      stepInput: (kind: string) => `${kind}確認`,
      stepDone: (kind: string) => `${kind}完了`,
      leadHardware:
        'トークンに記載されているシリアル番号とワンタイムパスワードを入力し、「利用開始する」ボタンを押して下さい。',
      leadSoftware:
        'アプリに表示されているワンタイムパスワードを入力し、「利用開始する」ボタンを押して下さい。',
      serialSection: 'シリアル番号の入力',
      serialHint: '半角数字8～12桁（トークン裏面に記載）',
      submit: '利用開始する',
      accepted: [
        '以下の内容でワンタイムパスワード利用開始登録を受け付けました。',
        '次回のログインから、ワンタイムパスワードの入力が必要になります。',
      ],
      serialRequired: 'シリアル番号を入力してください。',
      serialFormat: 'シリアル番号は半角数字8～12桁で入力してください。',
    },
    deactivation: {
      title: 'ワンタイムパスワード利用解除（利用解除確認）',
      titleDone: 'ワンタイムパスワード利用解除（利用解除完了）',
      steps: ['利用解除確認', '利用解除完了'],
      lead: '確認用パスワード・ワンタイムパスワードを入力し、「解除する」ボタンを押して下さい。',
      warn: '利用解除を行うと、次回ログイン時からワンタイムパスワードの入力は不要となり、振込限度額は1日あたり20万円となります。ハードウェアトークンは、利用解除後は再度ご利用いただけません。',
      submit: '解除する',
      done: 'ワンタイムパスワード利用解除の登録が完了いたしました。',
      after: (limit: string) => [
        '次回ログイン時から、ワンタイムパスワード認証画面は表示されません。',
        `振込限度額は1日あたり${limit}となりました。`,
        '機種変更後は、新しいスマートフォンで再度「トークン発行」と「ワンタイムパスワード利用開始」を行ってください。',
      ],
    },
  },

  /** 振込. */
  transfer: {
    name: '振込',
    steps: ['振込先・金額の入力', '振込内容の確認', '振込受付完了'],
    account: (branch: string, type: string, number: string) => `${branch} ${type} ${number}`,
    accountWithBalance: (account: string, balance: string) => `${account}（残高 ${balance}）`,
    inputTitle: '振込（振込先・金額の入力）',
    inputLead: '振込先と金額を入力し、「次へ」ボタンを押して下さい。',
    today: '本日の振込可能額',
    sentToday: '本日の振込済額',
    withoutOtp:
      'ワンタイムパスワードをご利用でないお客さまの振込限度額は1日あたり20万円です。ワンタイムパスワードの利用開始後、限度額を変更できます。',
    from: '支払口座',
    payee: '振込先',
    payeeBank: '金融機関名',
    payeeBankHint: '例：インカン銀行',
    payeeBranch: '支店名',
    payeeBranchHint: '例：本店営業部',
    payeeType: '科目',
    payeeAccount: '口座番号',
    payeeAccountHint: '半角数字7桁',
    payeeName: '受取人名',
    payeeNameHint: '全角カタカナ（例：ヤマダ タロウ）',
    amountSection: '振込金額',
    amount: '振込金額（円）',
    confirmTitle: '振込（振込内容の確認）',
    confirmLead: (asks: string) =>
      `振込内容をご確認のうえ、${asks}を入力し、「振込を実行する」ボタンを押して下さい。`,
    details: '振込内容',
    payeeBankRow: '振込先金融機関',
    payeeBranchRow: '振込先支店',
    payeeAccountRow: '科目・口座番号',
    amountRow: '振込金額',
    fee: '振込手数料',
    total: 'お引出し金額合計',
    submit: '振込を実行する',
    doneTitle: '振込（振込受付完了）',
    accepted: '以下の内容で振込を受け付けました。',
    receipt: '受付内容',
    receiptNo: '受付番号',
    at: '受付日時',
    balanceAfter: 'お支払後残高',
    again: '続けて振込をする',
    fromRequired: '支払口座を選択してください。',
    textRequired: (label: string) => `${label}を入力してください。`,
    textTooLong: (label: string) => `${label}は30文字以内で入力してください。`,
    typeRequired: '科目を選択してください。',
    accountFormat: '口座番号は半角数字7桁で入力してください。',
    nameRequired: '受取人名を入力してください。',
    nameFormat: '受取人名は全角カタカナ30文字以内で入力してください。',
    amountRequired: '振込金額を入力してください。',
    amountFormat: '振込金額は1円以上の半角数字で入力してください。',
    overLimit: (left: string) => `本日の振込可能額（${left}）を超えています。`,
    shortOfFunds: '支払口座の残高が不足しています（振込手数料を含みます）。',
    refusedLimit: '本日の振込可能額を超えるため、お振込みできません。',
    refusedFunds: '支払口座の残高が不足しているため、お振込みできません。',
  },

  /** 登録情報の変更. */
  settings: {
    title: '登録情報の変更',
    /** What each change is called on its screens. */
    titles: {
      email: 'メールアドレス変更',
      limit: '振込限度額変更',
      mailOtp: 'メール通知パスワード利用変更',
    },
    /** What the done screen's row calls the changed item. */
    items: {
      email: 'メールアドレス',
      limit: '振込限度額',
      mailOtp: 'メール通知パスワード利用',
    },
    steps: ['変更内容の入力', '変更内容の確認', '変更完了'],
    inputTitle: (what: string) => `${what}（入力）`,
    confirmTitle: (what: string) => `${what}（確認）`,
    doneTitle: (what: string) => `${what}（完了）`,
    lead: 'ご登録の内容を表示します。変更する項目のボタンを押して下さい。',
    registered: 'ご登録内容',
    mailOtpInUse: (to: string) => `利用中（送信先 ${to}）`,
    notes: (max: string) => [
      '・ワンタイムパスワードをご利用のお客さまは、登録内容の変更にワンタイムパスワードの入力が必要です。',
      '・ワンタイムパスワードとメール通知パスワードは何れか一つのみのご利用となります。ワンタイムパスワードの利用中はメール通知パスワードを変更できません。',
      `・振込限度額は、ワンタイムパスワードをご利用の場合は1日あたり${max}まで、ご利用でない場合は20万円までです。`,
    ],
    currentLimit: '現在の振込限度額',
    perDay: '1日あたり',
    upTo: '変更できる上限',
    newLimit: '変更後の振込限度額',
    limitLabel: '振込限度額（円）',
    limitHint: (max: string) => `1万円単位、${max}まで（半角数字）`,
    current: '現在の登録内容',
    mailOtpTo: 'メール通知パスワード送信先',
    newEmail: '変更後のメールアドレス',
    newMailOtpTo: '変更後のメール通知パスワード送信先',
    mailOtpNext:
      '※ 次の画面で、変更後のメールアドレスに送信したメール通知パスワードの入力が必要です。',
    inputLead: '変更内容を入力し、「次へ」ボタンを押して下さい。',
    confirmLead: (asks: string) =>
      `変更内容をご確認のうえ、${asks}を入力し、「変更を確定する」ボタンを押して下さい。`,
    change: '変更内容',
    before: '変更前',
    after: '変更後',
    submit: '変更を確定する',
    accepted: '以下の内容で変更を受け付けました。',
    changed: '変更後の内容',
    toMenu: '登録情報の変更へ',
    limitRequired: '振込限度額を入力してください。',
    limitFormat: '振込限度額は1万円単位の半角数字で入力してください。',
    limitMax: (max: string) => `振込限度額は${max}までです。`,
    limitWithoutOtp: 'ワンタイムパスワードをご利用でない場合、振込限度額は20万円までです。',
    limitSame: '現在の振込限度額と同じです。',
    same: '現在の登録内容と同じです。',
  },

  /** 機種変更 without paper (SPEC.md). */
  replace: {
    title: '機種変更（トークン再発行）',
    phoneTitle: '機種変更（電話番号認証）',
    steps: [
      'ログインパスワードの確認',
      '電話番号認証',
      'ソフトウェアトークン発行情報入力',
      '入力内容確認',
      '発行完了',
    ],
    lead: 'スマートフォンの機種変更・紛失の際に、新しいスマートフォンのワンタイムパスワードアプリへトークンを発行します。書面によるお手続きは不要です。',
    flowTitle: 'お手続きの流れ',
    flow: [
      '1. ログインパスワードを入力します。',
      '2. お届出電話番号から認証先電話番号へお電話いただき、ご本人であることを確認します（電話番号認証）。',
      '3. 新しいスマートフォンのメールアドレスと利用開始パスワードを登録し、トークンを発行します。',
      '4. 新しいスマートフォンでアプリの初期設定を行い、「ワンタイムパスワード利用開始」を行うと、それまでのトークンは自動的に利用解除となり、メールでお知らせします。',
      '※ 新しいトークンの利用開始までは、現在のトークン（お手元にある場合）を引き続きご利用いただけます。',
    ],
  },

  /** 電話番号認証 (guide 000 STEP 1 ⑤); the script swaps these texts, drawn by the server. */
  phoneCheck: {
    lead: (seconds: number) =>
      `「お届出電話番号」から、${seconds}秒以内に「認証先電話番号」にお電話ください。`,
    notes: [
      '※電話番号認証完了後、自動で電話が切れ、次画面に自動遷移します。',
      '※電話が切れたあと、自動的に画面遷移しない場合は、「実行」ボタンを押してください。',
      '※電話番号を非通知に設定している場合は、認証先電話番号の前に「186」を付けておかけください。',
    ],
    section: '電話番号認証',
    registered: 'お届出電話番号',
    number: '認証先電話番号',
    left: (count: Html) => html`残り ${count} 秒`,
    deadline: (time: string) => `（受付期限 ${time}）`,
    status: {
      pending: 'お届出電話番号からのお電話をお待ちしています。',
      verified: '電話番号認証が完了しました。次の画面へ進みます。',
      expired:
        'お電話を確認できないまま120秒が経過しました。お手数ですが、もう一度電話番号認証を行ってください。',
    },
    run: '実行',
    retry: 'もう一度電話番号認証を行う',
    notVerified:
      '電話番号認証が完了していません。お届出電話番号から認証先電話番号へお電話いただき、電話が切れたあとで「実行」ボタンを押してください。',
  },
  /** 生体認証ログイン (guide 000, STEP 5; issue 6): the login tab, the app's 登録, settings. */
  passkeys: {
    tabPassword: 'パスワードでログイン',
    tabPasskey: '生体認証でログイン',
    tabsLabel: 'ログイン方法',
    section: '生体認証でログイン',
    lead: 'ワンタイムパスワードアプリで「生体認証ログイン利用設定」を行ったスマートフォンでは、指紋認証・顔認証でログインできます。「ログイン」ボタンを押し、端末に表示される案内に従って生体認証を実施してください。',
    submit: 'ログイン',
    noScript: '生体認証でログインするには、ブラウザのJavaScriptを有効にしてください。',
    unsupported:
      'このブラウザは生体認証ログインに対応していません。「パスワードでログイン」からログインしてください。',
    working: '端末の案内に従って生体認証を実施してください。',
    cancelled:
      '生体認証が完了しませんでした。もう一度「ログイン」ボタンを押すか、「パスワードでログイン」からログインしてください。',
    refused: {
      invalid: '生体認証を確認できませんでした。もう一度お試しください。',
      challenge_invalid:
        '画面の有効期限が切れたか、すでに使用された認証です。もう一度「ログイン」ボタンを押してください。',
      user_not_verified:
        '生体認証（指紋認証・顔認証）を確認できませんでした。もう一度お試しください。',
      unknown_credential:
        'この端末の生体認証ログインは登録されていないか、解除されています。ワンタイムパスワードアプリの「生体認証ログイン利用設定」から登録してください。',
      counter_regressed:
        'この端末の生体認証情報に異常が見つかったため、ログインできません。お手数ですが当行までご連絡ください。',
      already_registered: 'この端末はすでに登録されています。',
    },
    setupNote: '登録は、ワンタイムパスワードアプリの「生体認証ログイン利用設定」から行います。',
    settingsTitle: '生体認証ログインの登録端末',
    settingsLead:
      '生体認証ログインに登録されている端末です。使用しなくなった端末や紛失した端末は「解除」してください。',
    device: '端末名',
    registered: '登録日時',
    lastUsed: '最終利用日時',
    never: '未使用',
    none: '登録されている端末はありません。',
    remove: '解除',
    removeOtpLead: 'ワンタイムパスワードをご利用中のため、解除にはワンタイムパスワードが必要です。',
    removed: '生体認証ログインの登録を解除しました。',
    notFound: 'この端末はすでに解除されています。',
    link: '生体認証ログインの登録端末',
    toSettings: '登録情報の変更へ戻る',
  },
  transactionAuth: {
    title: '振込（取引認証）',
    steps: ['振込先・金額の入力', '振込内容の確認', '取引認証', '振込受付完了'],
    lead: 'スマートフォンのワンタイムパスワードアプリで取引内容をご確認ください。',
    howTo: [
      'ワンタイムパスワードアプリを開くと、下記の振込先・金額が表示されます。',
      '内容が正しければ「承認」を、心当たりのない内容であれば「拒否」を押してください。',
      '承認されると、この画面は自動的に次の画面へ進みます。',
    ],
    warning: 'アプリに表示された振込先・金額が下記と異なる場合は、絶対に「承認」しないでください。',
    details: 'アプリに表示される取引内容',
    payee: '振込先',
    amount: '振込金額',
    expiresAt: '有効期限',
    waiting: 'アプリでの承認をお待ちしています…',
    approved: 'アプリで承認されました。振込を受け付けています。',
    offlineSection: 'アプリがインターネットに接続できない場合',
    offlineLead:
      'アプリの「取引認証コード」画面で振込先の口座番号と振込金額を入力し、表示された8桁の取引認証コードを入力して「実行」を押してください。',
    codeLabel: '取引認証コード',
    codeHint: '半角数字8桁',
    run: '実行',
    codeRequired: '取引認証コードを入力してください。',
    codeFormat: '取引認証コードは半角数字8桁で入力してください。',
    codeWrong:
      '取引認証コードが正しくありません。口座番号と振込金額をご確認のうえ、もう一度入力してください。',
    notYet: 'まだアプリで承認されていません。アプリで取引内容をご確認ください。',
    rejectedTitle: '振込（取引中止）',
    rejected: 'アプリで「拒否」されたため、この振込は中止しました。お振込は行われていません。',
    rejectedNote:
      '心当たりのない振込の確認がアプリに表示された場合は、ログインパスワードを変更のうえ、当行までご連絡ください。',
    expiredTitle: '振込（有効期限切れ）',
    expired:
      '取引認証の有効期限が切れました。お振込は行われていません。お手数ですが、もう一度振込のお手続きをしてください。',
    failed:
      '取引認証コードの誤りが続いたため、この振込は中止しました。お振込は行われていません。もう一度振込のお手続きをしてください。',
    mismatch: '取引内容が一致しないため、この振込は中止しました。お振込は行われていません。',
    cancelled: 'お申込みを中止されたため、この振込は行われていません。',
    noToken: 'ワンタイムパスワードがご利用いただけない状態のため、取引認証を開始できません。',
    again: 'もう一度振込する',
  },
  /** ハードウェアトークン再発行 (SPEC.md "Hardware token"; guide 001 手順4's note). */
  reissue: {
    validUntil: '有効期限',
    jst: '（日本時間）',
    opensFrom: (date: string) =>
      `ハードウェアトークンの再発行のお申込みは、${date}（有効期限の90日前）から受け付けます。`,
    nearTitle: 'ハードウェアトークンの有効期限が近づいています',
    nearBody: [
      '有効期限を過ぎるとハードウェアトークンはご利用いただけなくなります。お早めに再発行をお申し込みください。',
      '新しいトークンの利用開始登録を行うまで、現在のトークンは引き続きご利用いただけます。',
    ],
    button: 'ハードウェアトークン再発行',
    currentToken: '現在のトークン',
    newToken: '新しいトークン（再発行）',
    shipState: 'お届け状況',
    waiting: '発送待ち',
    shipped: '発送済',
    waitingNote: '当行より登録済みの住所に送付いたします。お届けまで1週間程度かかります。',
    shippedNote:
      'トークンがお手元に届きましたら、「ワンタイムパスワード利用開始」からトークン裏面のシリアル番号とワンタイムパスワードを入力して利用開始登録を行ってください。',
    activateBy: '利用開始登録の期限',
    notYet: (date: string) =>
      `ハードウェアトークンの再発行は、有効期限の90日前（${date}）から受け付けます。現在はお申込みいただけません。`,
    locked:
      'ワンタイムパスワードが利用停止中（閉塞）のため、ハードウェアトークンの再発行はお申込みいただけません。お手数ですが当行までご連絡ください。',
    already:
      '新しいハードウェアトークンは再発行済みです。お手元に届きましたら利用開始登録を行ってください。',
    title: 'ハードウェアトークン再発行（再発行内容確認）',
    titleDone: 'ハードウェアトークン再発行（再発行受付完了）',
    steps: ['再発行内容の確認', '再発行受付完了'],
    lead: '再発行内容と注意事項をご確認のうえ、よろしければ確認用パスワードと、現在お使いのハードウェアトークンに表示されているワンタイムパスワードを入力して「再発行を申し込む」ボタンを押して下さい。',
    details: '再発行内容',
    notes: (fee: string) => [
      `※ 端末代金${fee}は発行の都度かかりますのでご了承ください。`,
      '※ 現在のトークンは、新しいトークンの利用開始登録を行うまで引き続きご利用いただけます。利用開始登録を行うと、現在のトークンはご利用いただけなくなります。',
      '※ ワンタイムパスワードを連続して一定回数以上間違えると、ワンタイムパスワード認証が停止（閉塞）します。',
    ],
    otpHint: '現在お使いのハードウェアトークンに表示されている半角数字',
    submit: '再発行を申し込む',
    wrongOtp:
      'ワンタイムパスワードが正しくありません。現在お使いのハードウェアトークンに表示されている最新のワンタイムパスワードを入力してください。',
    accepted:
      '再発行を受け付けました。お届けまで1週間程度かかります。届いたトークンで利用開始登録を行ってください。現在のトークンは新しいトークンの利用開始まで引き続きご利用いただけます。',
    nextTitle: '今後のお手続き',
    next: (fee: string) => [
      `当行より登録済みの住所にハードウェアトークンを送付いたします（発行手数料 ${fee}）。`,
      'ハードウェアトークンがお手元に届いた後、「ワンタイムパスワード利用開始」からシリアル番号とワンタイムパスワードを入力して利用開始登録を行ってください。',
    ],
  },
};

/** The shape every language of the portal fills. */
export type Messages = typeof ja;

/**
 * What the caller hears before the line is hung up (the telephony webhook's answer): always
 * Japanese, like the mails, since a call carries no language preference.
 */
export const PHONE_CHECK_SAY = {
  verified: '電話番号認証が完了しました。お電話を切ります。画面が自動的に切り替わります。',
  refused:
    '電話番号認証を受け付けられませんでした。お届出の電話番号から、画面に表示されている認証先電話番号へ、百二十秒以内におかけください。',
} as const;

/** The help desk line every mail ends with (mails are Japanese only). */
export function mailContact(phone: string): string {
  return `${phone}（平日9時～17時）`;
}
