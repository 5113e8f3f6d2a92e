/** The app's words: the guides' Japanese first, English on the switch. Logic never reads them. */
export const MESSAGES = {
  ja: {
    appTitle: 'ワンタイムパスワード',
    setupTitle: '初期設定',
    setupLead: 'サービスIDとユーザID、利用開始パスワードを入力し、送信ボタンを押してください。',
    serviceId: 'サービスID',
    userId: 'ユーザID',
    activationPassword: '利用開始パスワード',
    noticeTitle: 'ご利用の前に以下を必ずご確認ください。',
    notice:
      '本アプリはアプリデータの搾取・複製を防止するため、他端末へのアプリデータ引き継ぎを防止する機能を導入しております。機種変更時・アプリ削除時は事前にご利用のサービスで手続きを行ってください。所定の手続きを行わない場合は、ご利用いただけなくなります。',
    agree: '上記の内容に同意する。',
    send: '送信',
    sending: '送信中…',
    doneTitle: '初期設定完了',
    doneLead: '初期設定が正常に完了しました。',
    setClock: 'スマートフォンの日時を日本時間に合わせ、タイムゾーンを日本に設定してください。',
    changesEvery: (s: number) =>
      `ワンタイムパスワードは${s}秒毎に変わりますので、ご利用の都度、表示されているものをご利用ください。`,
    next: '次へ',
    nameTitle: 'トークン表示名の設定',
    nameLead: (bank: string) =>
      `トークン表示名「${bank}」の後にお好きな言葉を追加できます。ご希望のお客さまは、「変更後の追加文言」にご入力ください。`,
    nameExample: (bank: string) =>
      `(例)「アオ・ゾーラ用」と入力すると、トークン表示名は「${bank} アオ・ゾーラ用」となります。`,
    nameExtra: '変更後の追加文言',
    register: '登録',
    otpLabel: 'ワンタイムパスワード',
    loginWithOtp: 'ワンタイムパスワードでログイン',
    secondsLeft: (s: number) => `あと${s}秒で更新`,
    serial: 'SerialNo',
    validFrom: '利用開始日',
    validUntil: '有効期限',
    jst: '(日本時間)',
    addToken: 'トークン追加',
    required: (f: string) => `${f}を入力してください。`,
    digitsOnly: (f: string, n: string) => `${f}は${n}桁の半角数字で入力してください。`,
    mustAgree: '「上記の内容に同意する。」にチェックしてください。',
    nameTooLong: '追加文言は全角8文字以内で入力してください。',
    errWrongPassword: (left: number) =>
      `利用開始パスワードが正しくありません。あと${left}回間違えるとトークン発行が無効になります。`,
    errVoid:
      '利用開始パスワードを規定回数以上間違えたため、このトークン発行は無効になりました。インターネットバンキングから再度トークン発行を行ってください。',
    errExpired:
      'トークン発行の有効期限が切れています。インターネットバンキングから再度トークン発行を行ってください。',
    errAlready:
      'このトークンは初期設定済みです。機種変更の場合は、インターネットバンキングで利用解除のうえ再度トークン発行を行ってください。',
    errNotFound:
      'サービスIDまたはユーザIDが正しくありません。トークン発行用メールをご確認ください。',
    errRateLimited: 'しばらく時間をおいてから再度お試しください。',
    errNetwork: '通信できませんでした。電波の良い場所で再度お試しください。',
    errOther: '初期設定できませんでした。しばらくしてから再度お試しください。',
    errFull: '登録できるトークンは10件までです。',
    language: 'English',
    tokens: 'トークン一覧',
    rename: '表示名変更',
    remove: '削除',
    removeWarn:
      'このトークンをアプリから削除します。削除する前に、インターネットバンキングで「ワンタイムパスワード利用解除」を行ってください。利用解除をせずに削除すると、ログインやお振込みができなくなります。',
    removeConfirm: '削除する',
    cancel: 'キャンセル',
    clockWarning: (s: number) =>
      `スマートフォンの時刻が${s}秒ずれています。ワンタイムパスワードが正しく使えないため、日時を日本時間に合わせ、タイムゾーンを日本に設定してください（「日付と時刻」の自動設定をオンにしてください）。`,
    // 生体認証ログイン利用設定 (guide 000, STEP 5; issue 6)
    pkEntry: '生体認証ログイン利用設定',
    pkTitle: '生体認証ログイン利用設定',
    pkLead:
      '生体認証（指紋認証・顔認証）に対応したスマートフォンでは、簡単にインターネットバンキングにログインできる生体認証ログインがご利用いただけます。',
    pkSteps: [
      '「生体認証を実施する」をタップし、端末に表示される案内に従って生体認証を実施します。',
      'インターネットバンキングの「ログインID」、「ログインパスワード」を入力し、「登録」をタップします。',
    ],
    pkNotSupported:
      '※生体認証に対応していないスマートフォン等をお使いの場合は、生体認証ログイン利用設定は不要です。',
    pkStart: '生体認証を実施する',
    pkWorking: '端末の案内に従って生体認証を実施してください…',
    pkBiometricDone: '生体認証が完了しました。',
    pkCredTitle: 'ログインID・ログインパスワードの入力',
    pkCredLead: (bank: string) =>
      `${bank}インターネットバンキングの「ログインID」、「ログインパスワード」を入力し、「登録」をタップしてください。`,
    pkOtpNote:
      'ワンタイムパスワードをご利用中の場合、このアプリに表示されているワンタイムパスワードを自動で送信します。',
    loginId: 'ログインID',
    loginPassword: 'ログインパスワード',
    pkRegister: '登録',
    pkDoneTitle: '生体認証ログイン利用設定完了',
    pkDoneLead:
      '生体認証ログインの登録が完了しました。インターネットバンキングのログイン画面で「生体認証でログイン」タブを選択し、ログインボタンをタップしてください。',
    pkLogin: '生体認証でログイン',
    back: '戻る',
    pkDefaultDevice: 'スマートフォン',
    pkErr: {
      unsupported: 'この端末・ブラウザは生体認証ログインに対応していません。',
      cancelled:
        '生体認証が完了しませんでした。もう一度「生体認証を実施する」をタップしてください。',
      input: 'ログインIDとログインパスワードを入力してください。',
      wrong: 'ログインIDまたはログインパスワードが正しくありません。',
      login_locked:
        'ログインパスワードを連続して誤ったため、ログインを停止しています。お取引店にご連絡ください。',
      otp_required:
        'ワンタイムパスワードを確認できませんでした。スマートフォンの日時を日本時間に合わせて、もう一度お試しください。',
      otp_wrong:
        'ワンタイムパスワードが正しくありません。表示が変わるのを待ってから、もう一度「登録」をタップしてください。',
      otp_locked:
        'ワンタイムパスワード認証が停止しているため、登録できません。当行までご連絡ください。',
      challenge_invalid:
        '生体認証から時間が経ちすぎました。お手数ですが、最初からやり直してください。',
      user_not_verified:
        '生体認証（指紋認証・顔認証）を確認できませんでした。最初からやり直してください。',
      already_registered: 'この端末はすでに登録されています。',
      rate_limited: 'しばらく時間をおいてから再度お試しください。',
      network: '通信できませんでした。電波の良い場所でもう一度お試しください。',
      other: '登録できませんでした。お手数ですが、最初からやり直してください。',
    },
    txTitle: '取引内容の確認',
    txLead: 'インターネットバンキングで受け付けた振込の内容です。内容をよくご確認ください。',
    txPayee: '振込先',
    txAmount: '振込金額',
    txWarn: '心当たりのない振込や、パソコンの画面と内容が異なる場合は、「拒否」を押してください。',
    txApprove: '承認',
    txReject: '拒否',
    txSending: '送信中…',
    txApproved: '承認しました。インターネットバンキングの画面が自動的に進みます。',
    txRejected: '拒否しました。この振込は行われません。',
    txExpired:
      'この取引は有効期限が切れています。お手数ですが、インターネットバンキングでもう一度お手続きください。',
    txDone: 'この取引はすでに処理されています。',
    txCancelled: 'この取引はインターネットバンキングで中止されました。お振込みは行われていません。',
    txLocked: 'ワンタイムパスワードが閉塞しています。お取引の銀行へご連絡ください。',
    txMismatch: '取引内容を確認できませんでした。承認しないでください。',
    txFailed: '承認できませんでした。もう一度お試しください。',
    txBack: 'ワンタイムパスワードに戻る',
    txCodeButton: '取引認証コード',
    txCodeTitle: '取引認証コード',
    txCodeLead:
      'アプリがインターネットに接続できない場合にご利用ください。振込先の口座番号と振込金額を入力すると、8桁の取引認証コードが表示されます。インターネットバンキングの画面に入力してください。',
    txCodeAccount: '振込先口座番号（7桁）',
    txCodeAmount: '振込金額（円）',
    txCodeShow: '取引認証コードを表示',
    txCodeResult: '取引認証コード',
    txCodeAccountError: '振込先口座番号は半角数字7桁で入力してください。',
    txCodeAmountError: '振込金額は1円以上の半角数字で入力してください。',
    txCodeNote: '取引認証コードは1分毎に変わります。表示されている間に入力してください。',
    // 取引認証の通知 (Web Push, issue 7 item 3).
    pushEnable: '取引認証の通知を受け取る',
    pushLead: 'インターネットバンキングで振込を受け付けたとき、この端末に通知でお知らせします。',
    pushOn: '取引認証の通知を受け取る設定です。',
    pushOff: '通知を停止する',
    pushDenied: '通知が許可されていません。端末の設定で通知を許可してください。',
    pushFailed:
      '通知を設定できませんでした。アプリを開いているときは通知がなくても振込を確認できます。',
    pushTitle: '取引内容の確認',
    pushBody: 'インターネットバンキングで受け付けた振込があります。アプリで内容をご確認ください。',
  },
  en: {
    appTitle: 'One-time password',
    setupTitle: 'Set up',
    setupLead: 'Enter the service ID, user ID and activation password, then press Send.',
    serviceId: 'Service ID',
    userId: 'User ID',
    activationPassword: 'Activation password',
    noticeTitle: 'Please read before you start.',
    notice:
      'To stop app data being taken or copied, this app cannot be moved to another device. Before changing or removing the app, deactivate it with your bank first; otherwise it can no longer be used.',
    agree: 'I agree to the above.',
    send: 'Send',
    sending: 'Sending…',
    doneTitle: 'Set up complete',
    doneLead: 'The setup completed successfully.',
    setClock: 'Set the phone’s date and time to Japan time and its time zone to Japan.',
    changesEvery: (s: number) =>
      `The password changes every ${s} seconds: use the one shown each time.`,
    next: 'Next',
    nameTitle: 'Token name',
    nameLead: (bank: string) =>
      `You can add words after the token name “${bank}”. Enter them below if you like.`,
    nameExample: (bank: string) => `For example, “for Aozora” makes the name “${bank} for Aozora”.`,
    nameExtra: 'Words to add',
    register: 'Register',
    otpLabel: 'One-time password',
    loginWithOtp: 'Log in with this one-time password',
    secondsLeft: (s: number) => `changes in ${s} s`,
    serial: 'SerialNo',
    validFrom: 'In use since',
    validUntil: 'Valid until',
    jst: '(JST)',
    addToken: 'Add token',
    required: (f: string) => `Enter the ${f}.`,
    digitsOnly: (f: string, n: string) => `The ${f} is ${n} digits.`,
    mustAgree: 'Tick “I agree to the above.”',
    nameTooLong: 'Add at most 8 full-width characters.',
    errWrongPassword: (left: number) =>
      `The activation password is wrong. ${left} more wrong attempts void the issuance.`,
    errVoid:
      'Too many wrong activation passwords: this issuance is void. Issue a token again from internet banking.',
    errExpired: 'The issuance has expired. Issue a token again from internet banking.',
    errAlready:
      'This token has already been set up. For a new phone, deactivate it in internet banking and issue again.',
    errNotFound: 'The service ID or user ID is wrong. Check the issuance e-mail.',
    errRateLimited: 'Please wait a moment and try again.',
    errNetwork: 'No connection. Try again where the signal is good.',
    errOther: 'The setup failed. Please try again later.',
    errFull: 'At most 10 tokens can be held.',
    language: '日本語',
    tokens: 'Tokens',
    rename: 'Rename',
    remove: 'Remove',
    removeWarn:
      'This removes the token from the app. Deactivate it in internet banking first (one-time password deactivation); otherwise you can no longer log in or transfer money.',
    removeConfirm: 'Remove',
    cancel: 'Cancel',
    clockWarning: (s: number) =>
      `This phone's clock is ${s} seconds off, so its one-time passwords may be refused. Set the date and time to Japan time automatically.`,
    // Biometric login setup (guide 000, STEP 5; issue 6)
    pkEntry: 'Biometric login setup',
    pkTitle: 'Biometric login setup',
    pkLead:
      'On a phone with fingerprint or face recognition, you can log in to internet banking easily with biometric login.',
    pkSteps: [
      'Tap “Check biometrics” and follow the prompt on your phone.',
      'Enter your internet banking login ID and login password, then tap “Register”.',
    ],
    pkNotSupported:
      'If your phone has no fingerprint or face recognition, you do not need this setup.',
    pkStart: 'Check biometrics',
    pkWorking: 'Follow the prompt on your phone…',
    pkBiometricDone: 'Biometric check complete.',
    pkCredTitle: 'Login ID and password',
    pkCredLead: (bank: string) =>
      `Enter your ${bank} internet banking login ID and login password, then tap “Register”.`,
    pkOtpNote: 'If you use one-time passwords, the app sends the one it shows for you.',
    loginId: 'Login ID',
    loginPassword: 'Login password',
    pkRegister: 'Register',
    pkDoneTitle: 'Biometric login is set up',
    pkDoneLead:
      'Biometric login is registered. On the internet banking login screen, choose the “Log in with biometrics” tab and tap the login button.',
    pkLogin: 'Log in with biometrics',
    back: 'Back',
    pkDefaultDevice: 'Smartphone',
    pkErr: {
      unsupported: 'This phone or browser does not support biometric login.',
      cancelled: 'The biometric check did not complete. Tap “Check biometrics” again.',
      input: 'Enter your login ID and login password.',
      wrong: 'The login ID or login password is wrong.',
      login_locked: 'Login is stopped after too many wrong passwords. Please call your branch.',
      otp_required:
        'The one-time password could not be checked. Set the phone to Japan time and try again.',
      otp_wrong:
        'The one-time password was refused. Wait for the next one and tap “Register” again.',
      otp_locked:
        'One-time password authentication is stopped, so you cannot register. Please call the bank.',
      challenge_invalid: 'Too much time passed since the biometric check. Please start again.',
      user_not_verified: 'Your fingerprint or face could not be confirmed. Please start again.',
      already_registered: 'This device is already registered.',
      rate_limited: 'Please wait a moment and try again.',
      network: 'No connection. Try again where the signal is good.',
      other: 'The registration failed. Please start again.',
    },
    txTitle: 'Check the transaction',
    txLead: 'Internet banking received this transfer. Please check it carefully.',
    txPayee: 'Payee',
    txAmount: 'Amount',
    txWarn:
      'If you did not make this transfer, or it differs from your computer screen, press “Reject”.',
    txApprove: 'Approve',
    txReject: 'Reject',
    txSending: 'Sending…',
    txApproved: 'Approved. The internet banking screen moves on by itself.',
    txRejected: 'Rejected. This transfer will not be made.',
    txExpired: 'This transaction has expired. Please start again in internet banking.',
    txDone: 'This transaction has already been handled.',
    txCancelled: 'This transaction was stopped in internet banking. No money was sent.',
    txLocked: 'Your one-time password is locked. Please contact your bank.',
    txMismatch: 'The transaction could not be verified. Do not approve it.',
    txFailed: 'Could not approve. Please try again.',
    txBack: 'Back to the one-time password',
    txCodeButton: 'Transaction code',
    txCodeTitle: 'Transaction code',
    txCodeLead:
      'Use this when the app cannot connect to the internet. Enter the payee’s account number and the amount to see an 8-digit transaction code, and type it into the internet banking screen.',
    txCodeAccount: 'Payee account number (7 digits)',
    txCodeAmount: 'Amount (yen)',
    txCodeShow: 'Show the transaction code',
    txCodeResult: 'Transaction code',
    txCodeAccountError: 'The account number is 7 digits.',
    txCodeAmountError: 'Enter an amount of 1 yen or more, in digits.',
    txCodeNote: 'The code changes every minute: enter it while it is shown.',
    // Transaction notifications (Web Push, issue 7 item 3).
    pushEnable: 'Get transaction notifications',
    pushLead: 'When internet banking receives a transfer, this device shows a notification.',
    pushOn: 'Transaction notifications are on.',
    pushOff: 'Turn notifications off',
    pushDenied: 'Notifications are not allowed. Please allow them in the device settings.',
    pushFailed:
      'Could not set up notifications. While the app is open, transfers still appear without them.',
    pushTitle: 'Check the transaction',
    pushBody: 'Internet banking has received a transfer. Please check it in the app.',
  },
} as const;

export type Lang = keyof typeof MESSAGES;
export type Messages = (typeof MESSAGES)[Lang];
