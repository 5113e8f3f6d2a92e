import { formatJstDateTime, type MailKind } from '../core/index.js';

/**
 * The product's mails (SPEC.md, "Messages"), in the polite style of the banks' own notices
 * (guide 004's 「メール通知パスワード利用開始のご案内」). Pure: plain data in, text out; times are
 * epoch milliseconds shown in JST. No template takes a password: an activation password never
 * travels by mail.
 */

/** A mail's content; the caller adds the address. */
export interface MailContent {
  readonly kind: MailKind;
  readonly subject: string;
  readonly text: string;
}

/** What every notice names: the bank and, when the bank knows it, the customer. */
export interface MailGreeting {
  /** The bank's name, e.g. 「あおぞら銀行」. */
  readonly bankName: string;
  /** The customer's name when known (「県信太郎」 → 「県信太郎様」); otherwise 「お客さま」. */
  readonly customerName?: string | null;
  /** How to reach the bank, e.g. 「0120-373-883（平日9時～17時）」. */
  readonly contact?: string | null;
}

/** トークン発行のご案内. */
export interface TokenIssuedMail extends MailGreeting {
  readonly serviceId: string;
  readonly userId: string;
  /** Where the ワンタイムパスワードアプリ is downloaded. */
  readonly appUrl: string;
  /** The issuance ends unused at this time (epoch ms). */
  readonly expiresAt: number;
}

/** メール通知パスワード. */
export interface MailOtpMail extends MailGreeting {
  readonly code: string;
  /** The 送信日時 the portal's confirm screen shows beside the code's input (epoch ms). */
  readonly sentAt: number;
}

/** ワンタイムパスワード利用開始. */
export interface TokenActivatedMail extends MailGreeting {
  readonly activatedAt: number;
}

/** ワンタイムパスワード利用解除. */
export interface TokenDeactivatedMail extends MailGreeting {
  readonly deactivatedAt: number;
}

/** ワンタイムパスワード認証の停止 (閉塞). */
export interface TokenLockedMail extends MailGreeting {
  readonly lockedAt: number;
}

/** 機種変更: the new token is active and the old one ended by itself. */
export interface TokenReplacedMail extends MailGreeting {
  readonly activatedAt: number;
  /** SerialNo of the token that ended, when known. */
  readonly oldSerial?: string | null;
  /** SerialNo of the new token, when known. */
  readonly newSerial?: string | null;
}

/** メール通知パスワード利用変更 (a new address). */
export interface MailOtpAddressChangedMail extends MailGreeting {
  readonly newAddress: string;
  readonly changedAt: number;
}

/** A header never carries a line break, whatever a bank's name holds. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').trim();
}

function subjectOf(g: MailGreeting, title: string): string {
  return oneLine(`【${g.bankName}】${title}`);
}

function salutation(g: MailGreeting): string {
  const name = g.customerName?.trim();
  return name === undefined || name === '' ? 'お客さま' : `${oneLine(name)}様`;
}

/** The body between the greeting and the bank's closing words. */
function compose(g: MailGreeting, body: readonly string[]): string {
  const contact =
    g.contact === undefined || g.contact === null || g.contact.trim() === ''
      ? [`ご不明な点がございましたら、${g.bankName}までお問い合わせください。`]
      : [
          'ご不明な点がございましたら、下記までご連絡ください。',
          g.bankName,
          `連絡先 ${oneLine(g.contact)}`,
        ];
  return [
    salutation(g),
    '',
    `いつも${g.bankName}をご利用いただきありがとうございます。`,
    '',
    ...body,
    '',
    ...contact,
    '',
    `これからも${g.bankName}をよろしくお願いいたします。`,
    '',
    '――――――――――――――――――――',
    '※このメールは送信専用です。ご返信いただいてもお答えできません。',
    `※${g.bankName}がメールでパスワードや暗証番号をお尋ねすることはありません。`,
    '',
  ].join('\n');
}

/** When the customer did not do this, someone else may have: the bank must hear of it. */
function ifNotYou(g: MailGreeting): string {
  return `※お心当たりのない場合は、至急${g.bankName}までご連絡ください。`;
}

/**
 * トークン発行のご案内 (guide 001, 手順6-7): the IDs the app's 初期設定 asks for, where to get the
 * app, and the time by which the token must be set up and put into use.
 */
export function renderTokenIssuedMail(m: TokenIssuedMail): MailContent {
  return {
    kind: 'token_issued',
    subject: subjectOf(m, 'トークン発行のご案内'),
    text: compose(m, [
      'ワンタイムパスワードのトークン発行を受け付けましたので、ご案内いたします。',
      '',
      '■トークン情報',
      `サービスID：${m.serviceId}`,
      `ユーザID：${m.userId}`,
      '',
      '■ワンタイムパスワードアプリのダウンロード',
      '下記のURLを開き、ワンタイムパスワードアプリをダウンロードしてください。',
      m.appUrl,
      '',
      '■アプリの初期設定',
      'アプリの初期設定画面で、上記の「サービスID」「ユーザID」と、トークン発行の際に',
      'お客さまがご自身で設定された「利用開始パスワード」を入力し、',
      '「上記の内容に同意する」にチェックを入れて「送信」をタップしてください。',
      '初期設定のあと、インターネットバンキングの「ワンタイムパスワード利用開始」で',
      'アプリに表示されたワンタイムパスワードを入力すると、ご利用が始まります。',
      '',
      '■お手続きの期限',
      `${formatJstDateTime(m.expiresAt)}までに、初期設定と利用開始を行ってください。`,
      '期限を過ぎるとこのトークンはご利用いただけなくなり、あらためてトークン発行が必要です。',
      '',
      '※利用開始パスワードは、このメールには記載しておりません。',
      ifNotYou(m),
    ]),
  };
}

/**
 * メール通知パスワード (guide 004): the code, and the 送信日時 the confirm screen shows so the
 * customer can match the mail (guide 001: 「本文に以下の送信日時を記載したメールをご確認ください」).
 */
export function renderMailOtpMail(m: MailOtpMail): MailContent {
  return {
    kind: 'mail_otp',
    subject: subjectOf(m, 'メール通知パスワードのお知らせ'),
    text: compose(m, [
      'お取引の確認のため、メール通知パスワードをお送りします。',
      '',
      `メール通知パスワード：${m.code}`,
      `送信日時：${formatJstDateTime(m.sentAt, { seconds: true })}`,
      '',
      'お取引画面に表示された送信日時と、このメールの送信日時が同じであることを',
      'ご確認のうえ、メール通知パスワードを入力してください。',
      '※メール通知パスワードは、ログアウトするか、新たなパスワードが発行されるまで有効です。',
      '※このパスワードは、誰にも教えないでください。',
      ifNotYou(m),
    ]),
  };
}

/** ワンタイムパスワード利用開始のご案内: from the next login the OTP is asked for. */
export function renderTokenActivatedMail(m: TokenActivatedMail): MailContent {
  return {
    kind: 'token_activated',
    subject: subjectOf(m, 'ワンタイムパスワード利用開始のご案内'),
    text: compose(m, [
      'ワンタイムパスワードの利用開始を受け付けましたので、ご連絡いたします。',
      '',
      `利用開始日時：${formatJstDateTime(m.activatedAt)}`,
      '',
      '次回のログインから、ログインID・パスワードに加えてワンタイムパスワードの入力が必要です。',
      'お振込やご登録内容の変更の際にも、ワンタイムパスワードを入力してください。',
      ifNotYou(m),
    ]),
  };
}

/**
 * ワンタイムパスワード利用解除のご案内: the daily transfer limit falls back to 200,000 yen (SPEC.md,
 * "Deactivation"; guide 001: 「利用を解除されると振込限度額が20万円となります」).
 */
export function renderTokenDeactivatedMail(m: TokenDeactivatedMail): MailContent {
  return {
    kind: 'token_deactivated',
    subject: subjectOf(m, 'ワンタイムパスワード利用解除のご案内'),
    text: compose(m, [
      'ワンタイムパスワードの利用解除を受け付けましたので、ご連絡いたします。',
      '',
      `利用解除日時：${formatJstDateTime(m.deactivatedAt)}`,
      '',
      '利用解除により、1日あたりの振込・振替限度額は200,000円となりました。',
      '再びワンタイムパスワードをご利用になる場合は、あらためてトークン発行のお手続きを',
      '行い、利用開始後に振込・振替限度額の変更をお願いいたします。',
      ifNotYou(m),
    ]),
  };
}

/** ワンタイムパスワード認証停止のお知らせ (閉塞): only the bank lifts it (guide 001). */
export function renderTokenLockedMail(m: TokenLockedMail): MailContent {
  return {
    kind: 'token_locked',
    subject: subjectOf(m, 'ワンタイムパスワード認証停止のお知らせ'),
    text: compose(m, [
      'ワンタイムパスワードが連続して一定回数以上誤って入力されたため、',
      '不正ログインを防止するため、ワンタイムパスワード認証を停止いたしました。',
      '',
      `停止日時：${formatJstDateTime(m.lockedAt)}`,
      '',
      '停止中は、ワンタイムパスワードを必要とするログインやお取引ができません。',
      `状況を確認後、${m.bankName}にて停止状態の解除を実施いたしますので、ご連絡願います。`,
      ifNotYou(m),
    ]),
  };
}

/**
 * 機種変更のご案内 (SPEC.md, "Changing phones without paper"): the new token is in use, and the
 * old one ended by itself when it was activated.
 */
export function renderTokenReplacedMail(m: TokenReplacedMail): MailContent {
  const serial = (s: string | null | undefined) =>
    s === undefined || s === null || s === '' ? '' : `（SerialNo：${s}）`;
  return {
    kind: 'token_replaced',
    subject: subjectOf(m, '機種変更に伴うワンタイムパスワード切り替えのご案内'),
    text: compose(m, [
      '新しいスマートフォン等のワンタイムパスワードの利用開始を受け付けましたので、',
      'ご連絡いたします。',
      '',
      `利用開始日時：${formatJstDateTime(m.activatedAt)}`,
      '',
      `新しいトークン${serial(m.newSerial)}のご利用開始に伴い、`,
      `これまでお使いのトークン${serial(m.oldSerial)}は自動的に利用を終了しました。`,
      '今後は、新しいスマートフォン等のアプリに表示されるワンタイムパスワードをご利用ください。',
      '以前の端末のアプリに残るトークンは、アプリから削除してください。',
      ifNotYou(m),
    ]),
  };
}

/** Shows enough of an address to recognise it: 「ta***@data-bank.co.jp」. */
function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.slice(0, Math.min(2, at))}***${address.slice(at)}`;
}

/** メール通知パスワード利用変更完了のご案内 (guide 004, 手順4). */
export function renderMailOtpAddressChangedMail(m: MailOtpAddressChangedMail): MailContent {
  return {
    kind: 'mail_otp_address_changed',
    subject: subjectOf(m, 'メール通知パスワード利用変更完了のご案内'),
    text: compose(m, [
      'メール通知パスワードの送信先メールアドレスの変更を受け付けましたので、ご連絡いたします。',
      '',
      `変更後のメールアドレス：${maskAddress(m.newAddress)}`,
      `変更日時：${formatJstDateTime(m.changedAt)}`,
      '',
      '以降、メール通知パスワードは変更後のメールアドレスへお送りします。',
      ifNotYou(m),
    ]),
  };
}
