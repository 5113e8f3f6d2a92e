import type { TokenInfo } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  jstDateTime,
  notice,
  postForm,
  stepIndicator,
  yen,
  type FieldErrors,
} from './components.js';
import { checkSections, mailOtpResendForm, type ConfirmChecks } from './checks.js';
import { page } from './layout.js';

/** What every logged-in screen knows. */
export interface ScreenBase {
  readonly bankName: string;
  readonly name: string;
  readonly csrf: string;
}

/** 登録状況 as the guides word it. */
export function registrationState(t: TokenInfo | null): { label: string; cls: string } {
  if (t === null || t.state === 'none') return { label: '未登録', cls: 'none' };
  if (t.state === 'active') {
    if (t.locked) return { label: '利用停止中（閉塞）', cls: 'locked' };
    if (t.pending !== undefined) return { label: '利用中（新しいトークンを発行済）', cls: 'active' };
    return { label: '利用中', cls: 'active' };
  }
  if (t.expired) return { label: '未登録（発行したトークンの有効期限切れ）', cls: 'none' };
  if (t.state === 'provisioned') return { label: 'トークン発行済（アプリ初期設定済）', cls: 'issued' };
  return { label: 'トークン発行済', cls: 'issued' };
}

function shell(o: ScreenBase, title: string, body: Html, screenId?: string, flow = false): Html {
  return page({
    title,
    bankName: o.bankName,
    user: { name: o.name, csrf: o.csrf },
    nav: 'services',
    ...(screenId === undefined ? {} : { screenId }),
    ...(flow ? { flowCsrf: o.csrf } : {}),
    body,
  });
}

/** The confirm screen's lead, naming what it asks for. */
function confirmLead(c: ConfirmChecks): string {
  const asks = ['確認用パスワード', ...(c.mailOtp !== undefined ? ['メール通知パスワード'] : []), ...(c.question !== undefined ? ['追加認証の回答'] : [])];
  return `入力内容をご確認のうえ、${asks.join('・')}を入力し、「${c.phone ? '電話番号認証を行う' : '確定する'}」ボタンを押して下さい。`;
}

/** 確定する, or 「電話番号認証を行う」 when the phone check follows (guide 000). */
function confirmButton(c: ConfirmChecks, label: string): Html {
  return html`<button type="submit" class="btn btn-primary">${c.phone ? '電話番号認証を行う' : label}</button>`;
}

const TOKEN_TYPE = { software: 'ソフトウェアトークン', hardware: 'ハードウェアトークン' } as const;

/** BOP001 ワンタイムパスワード申請内容選択. */
export function bop001(
  o: ScreenBase & { token: TokenInfo | null; canReplace?: boolean; notice?: string; error?: string },
): Html {
  const t = o.token;
  const st = registrationState(t);
  const live = t !== null && t.state !== 'none' && !t.expired;
  const unfinished = live && (t.state === 'issued' || t.state === 'provisioned');
  const active = t !== null && t.state === 'active';
  const canIssue = !active;
  const pending = active ? t.pending : undefined;
  const canActivate =
    (unfinished && (t.state === 'provisioned' || t.type === 'hardware')) ||
    (pending !== undefined && !pending.expired && (pending.state === 'provisioned' || pending.type === 'hardware'));
  const canDeactivate = active && !t.locked;
  const shown = active && t.pending !== undefined ? t.pending : t;
  const info: [string, Html | string][] = [];
  if (live && shown !== null) {
    info.push(['トークンの種類', TOKEN_TYPE[shown.type]]);
    if (shown.type === 'software') {
      info.push(['サービスID', shown.serviceId], ['ユーザID', shown.userId]);
    }
    if (shown.serial !== null) info.push(['シリアル番号', shown.serial]);
    if (shown.state !== 'active') info.push(['有効期限（利用開始の期限）', jstDateTime(shown.expiresAt)]);
    else if (shown.validUntil !== null) info.push(['有効期限', jstDateTime(shown.validUntil)]);
    if (shown.activatedAt !== null) info.push(['利用開始日', jstDateTime(shown.activatedAt)]);
  }
  const button = (action: string, label: string, enabled: boolean) =>
    enabled
      ? postForm(action, o.csrf, html`<button type="submit" class="btn btn-primary">${label}</button>`)
      : html`<button type="button" class="btn" disabled aria-disabled="true">${label}</button>`;
  return shell(
    o,
    'ワンタイムパスワード申請内容選択',
    html`${notice(o.notice)}${errorSummary(undefined, o.error)}
    <p class="lead">ワンタイムパスワードの登録情報を表示します。<br>登録情報の変更を行う場合は変更対象ボタンを押して下さい。</p>
    ${infoTable('ワンタイムパスワード登録状況', [
      ['登録状況', html`<span class="state state-${st.cls}" data-state="${t?.state ?? 'none'}">${st.label}</span>`],
    ])}
    ${info.length > 0 ? infoTable('トークン情報', info) : ''}
    ${unfinished && t.type === 'software' && t.state === 'issued'
      ? html`<div class="alert alert-warn"><p>ワンタイムパスワードアプリの初期設定がお済みでない場合は、トークン発行用メールに記載のサービスID・ユーザIDと利用開始パスワードで初期設定を行ってから「ワンタイムパスワード利用開始」を行って下さい。</p></div>`
      : ''}
    <div class="menu">
      ${button('/ib/otp/issue/start', 'トークン発行', canIssue)}
      ${button('/ib/otp/activate/start', 'ワンタイムパスワード利用開始', canActivate)}
      ${button('/ib/otp/deactivate/start', 'ワンタイムパスワード利用解除', canDeactivate)}
    </div>
    ${o.canReplace
      ? html`<section class="panel"><h2>スマートフォンの機種変更・紛失の場合</h2><div class="body">
        <p>お届出電話番号からの電話番号認証で、新しいスマートフォンにトークンを発行できます（書面によるお手続きは不要です）。新しいトークンの利用開始までは、現在のトークンを引き続きご利用いただけます。</p>
        ${postForm('/ib/otp/replace/start', o.csrf, html`<button type="submit" class="btn btn-secondary">機種変更によるトークン再発行</button>`)}
      </div></section>`
      : ''}
    ${pending !== undefined && pending.state === 'issued' && pending.type === 'software'
      ? html`<div class="alert alert-warn"><p>新しいスマートフォンでワンタイムパスワードアプリの初期設定を行ってから「ワンタイムパスワード利用開始」を行って下さい。利用開始までは現在のトークンをご利用いただけます。</p></div>`
      : ''}
    <section class="panel notes"><h2>注意事項</h2><div class="body">
      <h3>＜ワンタイムパスワードとは＞</h3>
      <p>・「ワンタイムパスワード」とは、1分毎に更新される使い捨てのパスワードで、利用者はスマートフォン等からワンタイムパスワードを取得し、パソコンに入力します。</p>
      <p>・接続時に、「ログインID」と「ログインパスワード」に加えて「ワンタイムパスワード」を入力することにより、不正利用の防止を強化することができます。</p>
      <h3>＜トークン発行＞</h3>
      <p>ワンタイムパスワードをご利用いただくために「トークン発行」が必要となります。次画面にて「ソフトウェアトークン」または「ハードウェアトークン」いずれかを選択してください。</p>
      <h3>＜ワンタイムパスワード利用開始＞</h3>
      <p>ソフトウェアトークンはアプリの設定後、ハードウェアトークンはお手元に到着後、ワンタイムパスワードの利用開始を行ってください。次回のログインから、ワンタイムパスワードの入力が必要になります。</p>
      <h3>＜ワンタイムパスワード利用解除とは＞</h3>
      <p>・スマートフォン等の機種変更等で現在のワンタイムパスワードアプリが使用できなくなる場合にワンタイムパスワード利用解除を実施してください。次回ログイン時から、「ワンタイムパスワード認証画面」が表示されず、通常のログイン手続きとなります。</p>
      <p>・機種変更後に、新たに「トークン発行」「ワンタイムパスワード利用開始」を実施してワンタイムパスワードの利用を再開ください。</p>
      <p>・利用解除を行うと、振込限度額は1日あたり20万円となります。</p>
      <h3>＜ワンタイムパスワード認証の停止について＞</h3>
      <p>ワンタイムパスワードを連続して一定回数以上間違えると、不正ログインを防止するため、ワンタイムパスワード認証が停止し、以降のログインができなくなります。停止した場合は当行にて停止状態の解除を実施いたしますのでご連絡願います。</p>
    </div></section>
    <div class="actions-back"><a class="btn btn-link" href="/ib/top">トップページへ</a></div>`,
    'BOP001',
  );
}

/** BOT010 トークン発行（選択）. */
export function bot010(o: ScreenBase & { hardwareFee: number }): Html {
  const choose = (type: string, label: string, desc: string) =>
    postForm(
      '/ib/otp/issue/select',
      o.csrf,
      html`<input type="hidden" name="type" value="${type}">
      <div class="choice"><button type="submit" class="btn btn-primary">選択</button>
      <span><strong>${label}</strong>（${desc}）</span></div>`,
    );
  return shell(
    o,
    'トークン発行（選択）',
    html`<p class="lead">トークンの種類を選択して下さい。</p>
    <section class="panel"><h2>トークンの選択</h2><div class="body choices">
      ${choose('software', 'ソフトウェアトークン', '携帯電話またはスマートフォンのアプリに表示する方法')}
      ${choose('hardware', 'ハードウェアトークン', `キーホルダー型の生成機に表示する方法・有料${yen(o.hardwareFee)}`)}
    </div></section>
    ${flowButtons({ cancel: false })}`,
    'BOT010',
    true,
  );
}

/** The guide's steps of a software issuance; 電話番号認証 before 完了 when the bank asks for it. */
function softSteps(phone: boolean | undefined): string[] {
  return [
    'ソフトウェアトークン発行情報入力',
    'ソフトウェアトークン発行情報入力内容確認',
    ...(phone ? ['電話番号認証'] : []),
    'ソフトウェアトークン発行完了',
  ];
}

/** The steps of a hardware issuance. */
function hardSteps(phone: boolean | undefined): string[] {
  return ['ハードウェアトークン発行確認', ...(phone ? ['電話番号認証'] : []), 'ハードウェアトークン発行完了'];
}

/** トークン発行（ソフトウェアトークン発行情報入力）. */
export function softIssueInput(
  o: ScreenBase & { email?: string; phoneStep?: boolean; errors?: FieldErrors; message?: string },
): Html {
  const e = o.errors ?? {};
  return shell(
    o,
    'トークン発行（ソフトウェアトークン発行情報入力）',
    html`${stepIndicator(softSteps(o.phoneStep), 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">ソフトウェアトークンを発行します。<br>送付先メールアドレス、利用開始パスワードを入力し「次へ」ボタンを押して下さい。</p>
    ${postForm(
      '/ib/otp/issue/software',
      o.csrf,
      html`<section class="panel"><h2>送付先メールアドレスの指定</h2>
        <p>トークンを発行するスマートフォン（携帯電話）のメールアドレスを入力して下さい。</p>
        ${field({ name: 'email', label: 'スマートフォンメールアドレス', hint: '半角英数字記号 4〜64文字', type: 'email', value: o.email, error: e['email'], inputmode: 'email', maxlength: 64 })}
        ${field({ name: 'emailConfirm', label: 'スマートフォンメールアドレス（確認用）', hint: '確認のため2回入力して下さい', type: 'email', error: e['emailConfirm'], inputmode: 'email', maxlength: 64 })}
      </section>
      <section class="panel"><h2>利用開始パスワードの指定</h2>
        <p>トークン発行時に必要となる利用開始パスワードを4～8桁の数字で登録して下さい。<br>利用開始パスワードは、お控えいただくかお忘れにならないようご注意ください。</p>
        ${field({ name: 'activationPassword', label: '利用開始パスワード', hint: '半角数字4〜8桁', type: 'password', error: e['activationPassword'], inputmode: 'numeric', maxlength: 8, size: 'short', autocomplete: 'new-password' })}
        ${field({ name: 'activationPasswordConfirm', label: '利用開始パスワード（確認用）', hint: '確認のため2回入力して下さい', type: 'password', error: e['activationPasswordConfirm'], inputmode: 'numeric', maxlength: 8, size: 'short', autocomplete: 'new-password' })}
        <p class="hint pad">※「利用開始パスワード」は、常時使用するパスワードではなく、この後の「アプリの初期設定」手続き時のみ利用するものです。お客様任意の数字を入力してください。</p>
      </section>
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">次へ</button>` })}`,
    )}`,
    undefined,
    true,
  );
}

/** トークン発行（ソフトウェアトークン発行情報入力内容確認）. */
export function softIssueConfirm(
  o: ScreenBase & { email: string; checks?: ConfirmChecks; errors?: FieldErrors; message?: string },
): Html {
  const c = o.checks ?? {};
  return shell(
    o,
    'トークン発行（ソフトウェアトークン発行情報入力内容確認）',
    html`${stepIndicator(softSteps(o.checks?.phone), 1)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${confirmLead(c)}</p>
    ${infoTable('送付先メールアドレス', [['スマートフォンメールアドレス', o.email]])}
    ${c.mailOtp ? html`<div class="alert alert-info"><p>メール通知パスワード送信先としてご登録のメールアドレスにメール通知パスワードを送信しました。</p></div>` : ''}
    ${postForm(
      '/ib/otp/issue/software/confirm',
      o.csrf,
      html`<section class="panel"><h2>確認用パスワードの入力</h2>
        ${field({ name: 'confirmPassword', label: '確認用パスワード', hint: '半角英数字6～12桁', type: 'password', error: o.errors?.['confirmPassword'], maxlength: 12, autocomplete: 'off' })}
      </section>
      ${checkSections(c, o.errors ?? {})}
      ${flowButtons({ primary: confirmButton(c, '確定する') })}`,
    )}
    ${c.mailOtp !== undefined ? mailOtpResendForm(o.csrf) : ''}`,
    undefined,
    true,
  );
}

/** トークン発行（ソフトウェアトークン発行完了）: サービスID and ユーザID, ページを印刷する. */
export function softIssueDone(
  o: ScreenBase & { email: string; serviceId: string; userId: string; appUrl: string; phoneStep?: boolean },
): Html {
  return shell(
    o,
    'トークン発行（ソフトウェアトークン発行完了）',
    html`${stepIndicator(softSteps(o.phoneStep), o.phoneStep ? 3 : 2)}
    <div class="alert alert-info"><p>トークン発行を受け付けました。<br>スマートフォンメールアドレスにトークン発行用のメールが送信されます。<br>トークン情報に従い、ワンタイムパスワードの設定のお手続きをお願いします。</p></div>
    <div class="actions"><button type="button" class="btn btn-secondary" data-print>ページを印刷する</button></div>
    ${infoTable('送付先メールアドレス', [['スマートフォンメールアドレス', o.email]])}
    <section class="panel big-ids"><h2>トークン情報</h2>
      <table class="info"><tr><th scope="row">サービスID</th><td id="service-id">${o.serviceId}</td></tr>
      <tr><th scope="row">ユーザID</th><td id="user-id">${o.userId}</td></tr></table>
    </section>
    <section class="panel notes"><h2>次のお手続き</h2><div class="body">
      <p>1. スマートフォンでワンタイムパスワードアプリ（<a href="${o.appUrl}">${o.appUrl}</a>）を開き、上記のサービスID・ユーザIDと、登録した利用開始パスワードで初期設定を行ってください。</p>
      <p>2. 初期設定後、アプリの「ワンタイムパスワードでログイン」からログインするか、この画面の「ワンタイムパスワード利用開始」で利用開始の手続きを行ってください。</p>
      <p>※ 一定時間内に利用開始の手続きが行われない場合、発行したトークンは無効になります。</p>
      <p>※ スマートフォンに迷惑メール対策をされている方は、トークン発行用メールを受信できるように設定してください。</p>
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">ワンタイムパスワード申請内容選択へ</a></div>`,
  );
}

/** トークン発行（ハードウェアトークン発行確認）: the fee, the address, 確認用パスワード. */
export function hardIssueConfirm(
  o: ScreenBase & { address: string; fee: number; checks?: ConfirmChecks; errors?: FieldErrors; message?: string },
): Html {
  const c = o.checks ?? {};
  return shell(
    o,
    'トークン発行（ハードウェアトークン発行確認）',
    html`${stepIndicator(hardSteps(o.checks?.phone), 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">注意事項の内容をご確認のうえ、よろしければ確認用パスワードを入力して「トークンを発行する」ボタンを押して下さい。</p>
    ${infoTable('発行内容', [
      ['トークンの種類', 'ハードウェアトークン（キーホルダー型）'],
      ['発行手数料', html`<span class="kv-amount">${yen(o.fee)}</span>（税込・ご登録の口座から引き落とします）`],
      ['送付先', html`${o.address}<br><span class="hint">ご登録の住所に郵送いたします。</span>`],
    ])}
    <section class="panel notes"><h2>注意事項</h2><div class="body">
      <p>※ ハードウェアトークンの有効期限到来により、トークンを再発行する際はワンタイムパスワードの入力が求められます（再発行は有効期限の90日前より可能）。</p>
      <p>※ 一度利用解除を行ったハードウェアトークンは、再度ご利用いただけません。</p>
      <p>※ 端末代金${yen(o.fee)}は発行の都度かかりますのでご了承ください。</p>
    </div></section>
    ${postForm(
      '/ib/otp/issue/hardware',
      o.csrf,
      html`<section class="panel"><h2>確認用パスワードの入力</h2>
        ${field({ name: 'confirmPassword', label: '確認用パスワード', hint: '半角英数字6～12桁', type: 'password', error: o.errors?.['confirmPassword'], maxlength: 12 })}
      </section>
      ${checkSections(c, o.errors ?? {})}
      ${flowButtons({ primary: confirmButton(c, 'トークンを発行する') })}`,
    )}
    ${c.mailOtp !== undefined ? mailOtpResendForm(o.csrf) : ''}`,
    undefined,
    true,
  );
}

/** トークン発行（ハードウェアトークン発行完了）. */
export function hardIssueDone(o: ScreenBase & { fee: number; phoneStep?: boolean }): Html {
  return shell(
    o,
    'トークン発行（ハードウェアトークン発行完了）',
    html`${stepIndicator(hardSteps(o.phoneStep), o.phoneStep ? 2 : 1)}
    <div class="alert alert-info"><p>ハードウェアトークン発行申請の受付が完了しました。</p></div>
    <section class="panel"><h2>今後のお手続き</h2><div class="body">
      <p>当行より登録済みの住所にハードウェアトークンを送付いたします（発行手数料 ${yen(o.fee)}）。</p>
      <p>ハードウェアトークンがお手元に届いた後、「ワンタイムパスワード利用開始」からシリアル番号とワンタイムパスワードを入力して利用開始登録を行ってください。</p>
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">ワンタイムパスワード申請内容選択へ</a></div>`,
  );
}

/** ワンタイムパスワード利用開始（ソフトウェアトークン確認 / BOK501 ハードウェアトークン確認）. */
export function activateInput(
  o: ScreenBase & { type: 'software' | 'hardware'; serial?: string; errors?: FieldErrors; message?: string },
): Html {
  const hard = o.type === 'hardware';
  const kind = hard ? 'ハードウェアトークン' : 'ソフトウェアトークン';
  return shell(
    o,
    `ワンタイムパスワード利用開始（${kind}確認）`,
    html`${stepIndicator([`${kind}確認`, `${kind}完了`], 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${hard
      ? 'トークンに記載されているシリアル番号とワンタイムパスワードを入力し、「利用開始する」ボタンを押して下さい。'
      : 'アプリに表示されているワンタイムパスワードを入力し、「利用開始する」ボタンを押して下さい。'}</p>
    ${postForm(
      '/ib/otp/activate',
      o.csrf,
      html`${hard
        ? html`<section class="panel"><h2>シリアル番号の入力</h2>
          ${field({ name: 'serial', label: 'シリアル番号', hint: '半角数字8～12桁（トークン裏面に記載）', value: o.serial, error: o.errors?.['serial'], inputmode: 'numeric', maxlength: 12, size: 'short' })}</section>`
        : ''}
      <section class="panel"><h2>ワンタイムパスワードの入力</h2>
        ${field({ name: 'otp', label: 'ワンタイムパスワード', hint: '半角数字', error: o.errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
      </section>
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">利用開始する</button>` })}`,
    )}`,
    hard ? 'BOK501' : undefined,
    true,
  );
}

/** ワンタイムパスワード利用開始（完了）; BOK502 for hardware with the serial and 有効期限. */
export function activateDone(
  o: ScreenBase & { type: 'software' | 'hardware'; serial: string | null; validUntil: string | null },
): Html {
  const hard = o.type === 'hardware';
  const kind = hard ? 'ハードウェアトークン' : 'ソフトウェアトークン';
  return shell(
    o,
    `ワンタイムパスワード利用開始（${kind}完了）`,
    html`${stepIndicator([`${kind}確認`, `${kind}完了`], 1)}
    <div class="alert alert-info"><p>以下の内容でワンタイムパスワード利用開始登録を受け付けました。<br>次回のログインから、ワンタイムパスワードの入力が必要になります。</p></div>
    ${infoTable('トークン情報', [
      ['トークンの種類', kind],
      ...(o.serial === null ? [] : [['シリアル番号', o.serial] as [string, string]]),
      ...(o.validUntil === null ? [] : [['有効期限', jstDateTime(o.validUntil)] as [string, string]]),
    ])}
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">ワンタイムパスワード申請内容選択へ</a></div>`,
    hard ? 'BOK502' : undefined,
  );
}

/** BOS001 ワンタイムパスワード利用解除（利用解除確認）. */
export function bos001(o: ScreenBase & { errors?: FieldErrors; message?: string }): Html {
  return shell(
    o,
    'ワンタイムパスワード利用解除（利用解除確認）',
    html`${stepIndicator(['利用解除確認', '利用解除完了'], 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">確認用パスワード・ワンタイムパスワードを入力し、「解除する」ボタンを押して下さい。</p>
    <div class="alert alert-warn"><p>利用解除を行うと、次回ログイン時からワンタイムパスワードの入力は不要となり、振込限度額は1日あたり20万円となります。ハードウェアトークンは、利用解除後は再度ご利用いただけません。</p></div>
    ${postForm(
      '/ib/otp/deactivate',
      o.csrf,
      html`<section class="panel"><h2>確認用パスワードの入力</h2>
        ${field({ name: 'confirmPassword', label: '確認用パスワード', hint: '半角英数字6～12桁', type: 'password', error: o.errors?.['confirmPassword'], maxlength: 12 })}
      </section>
      <section class="panel"><h2>ワンタイムパスワードの入力</h2>
        ${field({ name: 'otp', label: 'ワンタイムパスワード', hint: '半角数字', error: o.errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
      </section>
      ${flowButtons({ primary: html`<button type="submit" class="btn btn-primary">解除する</button>` })}`,
    )}`,
    'BOS001',
    true,
  );
}

/** ワンタイムパスワード利用解除（利用解除完了）. */
export function deactivateDone(o: ScreenBase & { dailyLimit: number }): Html {
  return shell(
    o,
    'ワンタイムパスワード利用解除（利用解除完了）',
    html`${stepIndicator(['利用解除確認', '利用解除完了'], 1)}
    <div class="alert alert-info"><p>ワンタイムパスワード利用解除の登録が完了いたしました。</p></div>
    <section class="panel"><h2>ご確認ください</h2><div class="body">
      <p>次回ログイン時から、ワンタイムパスワード認証画面は表示されません。</p>
      <p>振込限度額は1日あたり${yen(o.dailyLimit)}となりました。</p>
      <p>機種変更後は、新しいスマートフォンで再度「トークン発行」と「ワンタイムパスワード利用開始」を行ってください。</p>
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">ワンタイムパスワード申請内容選択へ</a></div>`,
  );
}
