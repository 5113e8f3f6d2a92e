import type { TokenInfo } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Messages } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  flowButtons,
  infoTable,
  lines,
  notice,
  paragraphs,
  postForm,
  stepIndicator,
  submitButton,
  type FieldErrors,
} from './components.js';
import { checkSections, mailOtpResendForm, type ConfirmChecks } from './checks.js';
import { screenPage, type ScreenBase } from './layout.js';

export type { ScreenBase } from './layout.js';

/** 登録状況 of a token, by its catalogue key (the words are the guides'). */
export type RegistrationKey = keyof Messages['otp']['states'];

/** 登録状況 as the guides word it: the catalogue key and the badge's class. */
export function registrationState(t: TokenInfo | null): { key: RegistrationKey; cls: string } {
  if (t === null || t.state === 'none') return { key: 'none', cls: 'none' };
  if (t.state === 'active') {
    if (t.locked) return { key: 'locked', cls: 'locked' };
    if (t.pending !== undefined) return { key: 'replacing', cls: 'active' };
    return { key: 'active', cls: 'active' };
  }
  if (t.expired) return { key: 'expired', cls: 'none' };
  if (t.state === 'provisioned') return { key: 'provisioned', cls: 'issued' };
  return { key: 'issued', cls: 'issued' };
}

function shell(o: ScreenBase, title: string, body: Html, screenId?: string, flow = false): Html {
  return screenPage(o, 'services', title, body, {
    ...(screenId === undefined ? {} : { screenId }),
    flow,
  });
}

/** The confirm screen's lead, naming what it asks for. */
function confirmLead(t: Messages, c: ConfirmChecks): string {
  const asks = [
    t.confirmPassword.name,
    ...(c.mailOtp !== undefined ? [t.mailOtp.name] : []),
    ...(c.question !== undefined ? [t.question.name] : []),
  ];
  return t.otp.confirmLead(t.list(asks), c.phone ? t.common.phoneCheckButton : t.common.confirm);
}

/** 確定する, or 「電話番号認証を行う」 when the phone check follows (guide 000). */
function confirmButton(t: Messages, c: ConfirmChecks, label: string): Html {
  return submitButton(c.phone ? t.common.phoneCheckButton : label);
}

/** The 確認用パスワード section of a confirm screen. */
function confirmPasswordSection(t: Messages, errors: FieldErrors | undefined): Html {
  return html`<section class="panel"><h2>${t.confirmPassword.section}</h2>
        ${field(t, { name: 'confirmPassword', label: t.confirmPassword.label, hint: t.confirmPassword.hint, type: 'password', error: errors?.['confirmPassword'], maxlength: 12, autocomplete: 'off' })}
      </section>`;
}

/** The ワンタイムパスワード section of a step. */
export function otpSection(
  t: Messages,
  errors: FieldErrors | undefined,
  hint = t.common.halfDigits,
): Html {
  return html`<section class="panel"><h2>${t.otpInput.section}</h2>
        ${field(t, { name: 'otp', label: t.otpInput.label, hint, error: errors?.['otp'], inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 10, size: 'short' })}
      </section>`;
}

/** BOP001 ワンタイムパスワード申請内容選択. */
export function bop001(
  o: ScreenBase & {
    token: TokenInfo | null;
    canReplace?: boolean;
    notice?: string;
    error?: string;
    /** ハードウェアトークン再発行 (views/reissue.ts): its own token tables, and what goes above the menu. */
    reissue?: { info?: Html; notice?: Html };
  },
): Html {
  const t = o.locale.t;
  const b = t.otp.bop001;
  const tk = o.token;
  const st = registrationState(tk);
  const live = tk !== null && tk.state !== 'none' && !tk.expired;
  const unfinished = live && (tk.state === 'issued' || tk.state === 'provisioned');
  const active = tk !== null && tk.state === 'active';
  const canIssue = !active;
  const pending = active ? tk.pending : undefined;
  const canActivate =
    (unfinished && (tk.state === 'provisioned' || tk.type === 'hardware')) ||
    (pending !== undefined &&
      !pending.expired &&
      (pending.state === 'provisioned' || pending.type === 'hardware'));
  const canDeactivate = active && !tk.locked;
  const shown = active && tk.pending !== undefined ? tk.pending : tk;
  const info: [string, Html | string][] = [];
  if (live && shown !== null) {
    info.push([t.common.tokenType, t.otp.types[shown.type]]);
    if (shown.type === 'software') {
      info.push([t.common.serviceId, shown.serviceId], [t.common.userId, shown.userId]);
    }
    if (shown.serial !== null) info.push([t.common.serial, shown.serial]);
    if (shown.state !== 'active') info.push([b.activateBy, t.dateTime(shown.expiresAt)]);
    else if (shown.validUntil !== null) {
      // A fob's 有効期限 as guide 001 prints it: （日本時間）.
      info.push([
        t.common.validUntil,
        shown.type === 'hardware'
          ? html`<span data-valid-until>${t.dateTime(shown.validUntil)}${t.reissue.jst}</span>`
          : t.dateTime(shown.validUntil),
      ]);
    }
    if (shown.activatedAt !== null) info.push([b.activatedAt, t.dateTime(shown.activatedAt)]);
  }
  const button = (action: string, label: string, enabled: boolean) =>
    enabled
      ? postForm(action, o.csrf, submitButton(label))
      : html`<button type="button" class="btn" disabled aria-disabled="true">${label}</button>`;
  return shell(
    o,
    b.title,
    html`${notice(o.notice)}${errorSummary(undefined, o.error)}
    <p class="lead">${lines(b.lead)}</p>
    ${infoTable(b.registration, [
      [
        b.state,
        html`<span class="state state-${st.cls}" data-state="${tk?.state ?? 'none'}">${t.otp.states[st.key]}</span>`,
      ],
    ])}
    ${o.reissue?.info ?? (info.length > 0 ? infoTable(shown !== tk ? t.common.newTokenInfo : t.common.tokenInfo, info) : '')}
    ${
      unfinished && tk.type === 'software' && tk.state === 'issued'
        ? html`<div class="alert alert-warn"><p>${b.setUpFirst}</p></div>`
        : ''
    }
    ${o.reissue?.notice ?? ''}
    <div class="menu">
      ${button('/ib/otp/issue/start', t.otp.issue, canIssue)}
      ${button('/ib/otp/activate/start', t.otp.activate, canActivate)}
      ${button('/ib/otp/deactivate/start', t.otp.deactivate, canDeactivate)}
    </div>
    ${
      o.canReplace
        ? html`<section class="panel"><h2>${b.replaceTitle}</h2><div class="body">
        <p>${b.replaceBody}</p>
        ${postForm('/ib/otp/replace/start', o.csrf, html`<button type="submit" class="btn btn-secondary">${b.replaceButton}</button>`)}
      </div></section>`
        : ''
    }
    ${
      pending !== undefined && pending.state === 'issued' && pending.type === 'software'
        ? html`<div class="alert alert-warn"><p>${b.newPhoneFirst}</p></div>`
        : ''
    }
    <section class="panel notes"><h2>${t.common.notes}</h2><div class="body">
      ${b.notes.map(
        (n) => html`<h3>${n.heading}</h3>
      ${paragraphs(n.body)}`,
      )}
    </div></section>
    <div class="actions-back"><a class="btn btn-link" href="/ib/top">${t.common.toTop}</a></div>`,
    'BOP001',
  );
}

/** BOT010 トークン発行（選択）. */
export function bot010(o: ScreenBase & { hardwareFee: number }): Html {
  const t = o.locale.t;
  const b = t.otp.bot010;
  const choose = (type: 'software' | 'hardware', desc: string) =>
    postForm(
      '/ib/otp/issue/select',
      o.csrf,
      html`<input type="hidden" name="type" value="${type}">
      <div class="choice">${submitButton(b.select)}
      <span>${b.choice(t.otp.types[type], desc)}</span></div>`,
    );
  return shell(
    o,
    b.title,
    html`<p class="lead">${b.lead}</p>
    <section class="panel"><h2>${b.section}</h2><div class="body choices">
      ${choose('software', b.software)}
      ${choose('hardware', b.hardware(t.yen(o.hardwareFee)))}
    </div></section>
    ${flowButtons(t, { cancel: false })}`,
    'BOT010',
    true,
  );
}

/** The guide's steps of a software issuance; 電話番号認証 before 完了 when the bank asks for it. */
function softSteps(t: Messages, phone: boolean | undefined): string[] {
  const s = t.otp.softSteps;
  return [s.input, s.confirm, ...(phone ? [t.common.phoneCheckStep] : []), s.done];
}

/** The steps of a hardware issuance. */
function hardSteps(t: Messages, phone: boolean | undefined): string[] {
  const s = t.otp.hardSteps;
  return [s.confirm, ...(phone ? [t.common.phoneCheckStep] : []), s.done];
}

/** The step indicator of トークン発行's 電話番号認証 step. */
export function issuePhoneSteps(t: Messages, type: 'software' | 'hardware'): Html {
  const s = t.otp.softSteps;
  return type === 'hardware'
    ? stepIndicator(t, hardSteps(t, true), 1)
    : stepIndicator(t, [s.input, s.confirmShort, t.common.phoneCheckStep, s.done], 2);
}

/** トークン発行（ソフトウェアトークン発行情報入力）. */
export function softIssueInput(
  o: ScreenBase & { email?: string; phoneStep?: boolean; errors?: FieldErrors; message?: string },
): Html {
  const t = o.locale.t;
  const s = t.otp.softInput;
  const e = o.errors ?? {};
  return shell(
    o,
    s.title,
    html`${stepIndicator(t, softSteps(t, o.phoneStep), 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${lines(s.lead)}</p>
    ${postForm(
      '/ib/otp/issue/software',
      o.csrf,
      html`<section class="panel"><h2>${s.emailSection}</h2>
        <p>${s.emailLead}</p>
        ${field(t, { name: 'email', label: s.email, hint: t.common.emailHint, type: 'email', value: o.email, error: e['email'], inputmode: 'email', maxlength: 64 })}
        ${field(t, { name: 'emailConfirm', label: s.emailConfirm, hint: t.common.enterTwice, type: 'email', error: e['emailConfirm'], inputmode: 'email', maxlength: 64 })}
      </section>
      <section class="panel"><h2>${s.passwordSection}</h2>
        <p>${lines(s.passwordLead)}</p>
        ${field(t, { name: 'activationPassword', label: s.password, hint: s.passwordHint, type: 'password', error: e['activationPassword'], inputmode: 'numeric', maxlength: 8, size: 'short', autocomplete: 'new-password' })}
        ${field(t, { name: 'activationPasswordConfirm', label: s.passwordConfirm, hint: t.common.enterTwice, type: 'password', error: e['activationPasswordConfirm'], inputmode: 'numeric', maxlength: 8, size: 'short', autocomplete: 'new-password' })}
        <p class="hint pad">${s.passwordNote}</p>
      </section>
      ${flowButtons(t, { primary: submitButton(t.common.next) })}`,
    )}`,
    undefined,
    true,
  );
}

/** トークン発行（ソフトウェアトークン発行情報入力内容確認）. */
export function softIssueConfirm(
  o: ScreenBase & { email: string; checks?: ConfirmChecks; errors?: FieldErrors; message?: string },
): Html {
  const t = o.locale.t;
  const c = o.checks ?? {};
  return shell(
    o,
    t.otp.softConfirm.title,
    html`${stepIndicator(t, softSteps(t, o.checks?.phone), 1)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${confirmLead(t, c)}</p>
    ${infoTable(t.otp.softConfirm.sendTo, [[t.otp.softInput.email, o.email]])}
    ${c.mailOtp ? html`<div class="alert alert-info"><p>${t.mailOtp.sentNotice}</p></div>` : ''}
    ${postForm(
      '/ib/otp/issue/software/confirm',
      o.csrf,
      html`${confirmPasswordSection(t, o.errors)}
      ${checkSections(t, c, o.errors ?? {})}
      ${flowButtons(t, { primary: confirmButton(t, c, t.common.confirm) })}`,
    )}
    ${c.mailOtp !== undefined ? mailOtpResendForm(o.csrf) : ''}`,
    undefined,
    true,
  );
}

/** トークン発行（ソフトウェアトークン発行完了）: サービスID and ユーザID, ページを印刷する. */
export function softIssueDone(
  o: ScreenBase & {
    email: string;
    serviceId: string;
    userId: string;
    appUrl: string;
    phoneStep?: boolean;
  },
): Html {
  const t = o.locale.t;
  const d = t.otp.softDone;
  return shell(
    o,
    d.title,
    html`${stepIndicator(t, softSteps(t, o.phoneStep), o.phoneStep ? 3 : 2)}
    <div class="alert alert-info"><p>${lines(d.accepted)}</p></div>
    <div class="actions"><button type="button" class="btn btn-secondary" data-print>${d.print}</button></div>
    ${infoTable(t.otp.softConfirm.sendTo, [[t.otp.softInput.email, o.email]])}
    <section class="panel big-ids"><h2>${t.common.tokenInfo}</h2>
      <table class="info"><tr><th scope="row">${t.common.serviceId}</th><td id="service-id">${o.serviceId}</td></tr>
      <tr><th scope="row">${t.common.userId}</th><td id="user-id">${o.userId}</td></tr></table>
    </section>
    <section class="panel notes"><h2>${d.nextTitle}</h2><div class="body">
      ${paragraphs([d.setUp(html`<a href="${o.appUrl}">${o.appUrl}</a>`), ...d.next])}
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">${t.common.toOtpMenu}</a></div>`,
  );
}

/** トークン発行（ハードウェアトークン発行確認）: the fee, the address, 確認用パスワード. */
export function hardIssueConfirm(
  o: ScreenBase & {
    address: string;
    fee: number;
    checks?: ConfirmChecks;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const h = t.otp.hardConfirm;
  const c = o.checks ?? {};
  return shell(
    o,
    h.title,
    html`${stepIndicator(t, hardSteps(t, o.checks?.phone), 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${h.lead}</p>
    ${infoTable(h.details, [
      [t.common.tokenType, h.kind],
      [h.fee, html`<span class="kv-amount">${t.yen(o.fee)}</span>${h.feeNote}`],
      [h.sendTo, html`${o.address}<br><span class="hint">${h.byPost}</span>`],
    ])}
    <section class="panel notes"><h2>${t.common.notes}</h2><div class="body">
      ${paragraphs(h.notes(t.yen(o.fee)))}
    </div></section>
    ${postForm(
      '/ib/otp/issue/hardware',
      o.csrf,
      html`${confirmPasswordSection(t, o.errors)}
      ${checkSections(t, c, o.errors ?? {})}
      ${flowButtons(t, { primary: confirmButton(t, c, h.submit) })}`,
    )}
    ${c.mailOtp !== undefined ? mailOtpResendForm(o.csrf) : ''}`,
    undefined,
    true,
  );
}

/** トークン発行（ハードウェアトークン発行完了）. */
export function hardIssueDone(o: ScreenBase & { fee: number; phoneStep?: boolean }): Html {
  const t = o.locale.t;
  const d = t.otp.hardDone;
  return shell(
    o,
    d.title,
    html`${stepIndicator(t, hardSteps(t, o.phoneStep), o.phoneStep ? 2 : 1)}
    <div class="alert alert-info"><p>${d.accepted}</p></div>
    <section class="panel"><h2>${d.nextTitle}</h2><div class="body">
      ${paragraphs(d.next(t.yen(o.fee)))}
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">${t.common.toOtpMenu}</a></div>`,
  );
}

/** ワンタイムパスワード利用開始（ソフトウェアトークン確認 / BOK501 ハードウェアトークン確認）. */
export function activateInput(
  o: ScreenBase & {
    type: 'software' | 'hardware';
    serial?: string;
    errors?: FieldErrors;
    message?: string;
  },
): Html {
  const t = o.locale.t;
  const a = t.otp.activation;
  const hard = o.type === 'hardware';
  const kind = t.otp.types[o.type];
  return shell(
    o,
    a.titleInput(kind),
    html`${stepIndicator(t, [a.stepInput(kind), a.stepDone(kind)], 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${hard ? a.leadHardware : a.leadSoftware}</p>
    ${postForm(
      '/ib/otp/activate',
      o.csrf,
      html`${
        hard
          ? html`<section class="panel"><h2>${a.serialSection}</h2>
          ${field(t, { name: 'serial', label: t.common.serial, hint: a.serialHint, value: o.serial, error: o.errors?.['serial'], inputmode: 'numeric', maxlength: 12, size: 'short' })}</section>`
          : ''
      }
      ${otpSection(t, o.errors)}
      ${flowButtons(t, { primary: submitButton(a.submit) })}`,
    )}`,
    hard ? 'BOK501' : undefined,
    true,
  );
}

/** ワンタイムパスワード利用開始（完了）; BOK502 for hardware with the serial and 有効期限. */
export function activateDone(
  o: ScreenBase & {
    type: 'software' | 'hardware';
    serial: string | null;
    validUntil: string | null;
  },
): Html {
  const t = o.locale.t;
  const a = t.otp.activation;
  const hard = o.type === 'hardware';
  const kind = t.otp.types[o.type];
  return shell(
    o,
    a.titleDone(kind),
    html`${stepIndicator(t, [a.stepInput(kind), a.stepDone(kind)], 1)}
    <div class="alert alert-info"><p>${lines(a.accepted)}</p></div>
    ${infoTable(t.common.tokenInfo, [
      [t.common.tokenType, kind],
      ...(o.serial === null ? [] : [[t.common.serial, o.serial] as [string, string]]),
      ...(o.validUntil === null
        ? []
        : [[t.common.validUntil, t.dateTime(o.validUntil)] as [string, string]]),
    ])}
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">${t.common.toOtpMenu}</a></div>`,
    hard ? 'BOK502' : undefined,
  );
}

/** BOS001 ワンタイムパスワード利用解除（利用解除確認）. */
export function bos001(o: ScreenBase & { errors?: FieldErrors; message?: string }): Html {
  const t = o.locale.t;
  const d = t.otp.deactivation;
  return shell(
    o,
    d.title,
    html`${stepIndicator(t, d.steps, 0)}
    ${errorSummary(o.errors, o.message)}
    <p class="lead">${d.lead}</p>
    <div class="alert alert-warn"><p>${d.warn}</p></div>
    ${postForm(
      '/ib/otp/deactivate',
      o.csrf,
      html`${confirmPasswordSection(t, o.errors)}
      ${otpSection(t, o.errors)}
      ${flowButtons(t, { primary: submitButton(d.submit) })}`,
    )}`,
    'BOS001',
    true,
  );
}

/** ワンタイムパスワード利用解除（利用解除完了）. */
export function deactivateDone(o: ScreenBase & { dailyLimit: number }): Html {
  const t = o.locale.t;
  const d = t.otp.deactivation;
  return shell(
    o,
    d.titleDone,
    html`${stepIndicator(t, d.steps, 1)}
    <div class="alert alert-info"><p>${d.done}</p></div>
    <section class="panel"><h2>${t.common.pleaseCheck}</h2><div class="body">
      ${paragraphs(d.after(t.yen(o.dailyLimit)))}
    </div></section>
    <div class="actions"><a class="btn btn-primary" href="/ib/otp">${t.common.toOtpMenu}</a></div>`,
  );
}
