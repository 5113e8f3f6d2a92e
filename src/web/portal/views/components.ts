import { html, type Html, type HtmlValue } from '../../shared/html.js';
import type { Messages } from '../i18n/locale.js';

/** A form field's error messages by field name (in the page's language, shown next to the field). */
export type FieldErrors = Readonly<Record<string, string>>;

/** The guides' step indicator: 入力 > 入力内容確認 > 完了, the current step marked. */
export function stepIndicator(t: Messages, steps: readonly string[], current: number): Html {
  return html`<ol class="steps" aria-label="${t.common.steps}">
    ${steps.map(
      (s, i) =>
        html`<li class="${i === current ? 'current' : i < current ? 'past' : ''}"${
          i === current ? html` aria-current="step"` : ''
        }>${s}</li>`,
    )}
  </ol>`;
}

/** A POST form with the session's CSRF token. */
export function postForm(
  action: string,
  csrf: string,
  content: HtmlValue,
  o: { id?: string; className?: string } = {},
): Html {
  return html`<form method="post" action="${action}"${o.id ? html` id="${o.id}"` : ''}${
    o.className ? html` class="${o.className}"` : ''
  } novalidate>
    <input type="hidden" name="_csrf" value="${csrf}">${content}
  </form>`;
}

/** Lines of one paragraph, a line break between them. */
export function lines(ls: readonly string[]): Html {
  return html`${ls.map((l, i) => (i === 0 ? l : html`<br>${l}`))}`;
}

/** Paragraphs, one `<p>` each. */
export function paragraphs(ps: readonly HtmlValue[]): Html {
  return html`${ps.map((p) => html`<p>${p}</p>`)}`;
}

/** One labelled input with 【必須】, a hint and its error. */
export function field(
  t: Messages,
  o: {
    name: string;
    label: string;
    required?: boolean;
    hint?: string;
    type?: 'text' | 'password' | 'email' | 'tel';
    value?: string;
    error?: string;
    inputmode?: 'numeric' | 'email' | 'text';
    autocomplete?: string;
    maxlength?: number;
    size?: 'short' | 'long';
    /** A secret typed in the clear (追加認証's answer): never carried over a language switch. */
    secret?: boolean;
  },
): Html {
  const id = `f-${o.name}`;
  return html`<div class="field${o.error ? ' has-error' : ''}">
    <label for="${id}">${o.required !== false ? requiredMark(t) : ''}${o.label}</label>
    <div class="control">
      <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" class="${o.size ?? ''}"
        value="${o.type === 'password' ? '' : (o.value ?? '')}"${
          o.inputmode ? html` inputmode="${o.inputmode}"` : ''
        } autocomplete="${o.autocomplete ?? 'off'}"${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${
          o.secret ? html` data-no-carry` : ''
        }${o.error ? html` aria-invalid="true" aria-describedby="${id}-err"` : ''}>
      ${o.hint ? html`<p class="hint">${o.hint}</p>` : ''}
      ${o.error ? html`<p class="error" id="${id}-err" role="alert">${o.error}</p>` : ''}
    </div>
  </div>`;
}

/** The red 必須 mark before a required field's label. */
export function requiredMark(t: Messages): Html {
  return html`<span class="req">${t.common.required}</span>`;
}

/** The error box at the top of a refused form. */
export function errorSummary(errors: FieldErrors | undefined, message?: string): Html {
  const list = errors === undefined ? [] : Object.values(errors);
  if (list.length === 0 && message === undefined) return html``;
  return html`<div class="alert alert-error" role="alert">
    ${message ? html`<p>${message}</p>` : ''}
    ${list.length > 0 ? html`<ul>${list.map((e) => html`<li>${e}</li>`)}</ul>` : ''}
  </div>`;
}

/** A notice box (information). */
export function notice(text: string | undefined): Html {
  return text === undefined
    ? html``
    : html`<div class="alert alert-info" role="status"><p>${text}</p></div>`;
}

/** A two-column table of labels and values, as the guides' 登録状況 and トークン情報. */
export function infoTable(caption: string, rows: readonly (readonly [string, HtmlValue])[]): Html {
  return html`<section class="panel">
    <h2>${caption}</h2>
    <table class="info">
      ${rows.map(([k, v]) => html`<tr><th scope="row">${k}</th><td>${v}</td></tr>`)}
    </table>
  </section>`;
}

/**
 * The button row of a flow step: 申込を中止する and the main action in one line, 戻る below. The
 * two side buttons submit the hidden forms of `flowForms` (forms cannot nest).
 */
export function flowButtons(
  t: Messages,
  o: { primary?: Html; back?: boolean; cancel?: boolean },
): Html {
  return html`<div class="actions">
    ${o.cancel !== false ? html`<button type="submit" form="cancel-form" class="btn btn-secondary">${t.common.cancel}</button>` : ''}
    ${o.primary ?? ''}
  </div>
  ${o.back !== false ? html`<div class="actions-back"><button type="submit" form="back-form" class="btn btn-link">${t.common.back}</button></div>` : ''}`;
}

/** A form's main button. */
export function submitButton(label: string): Html {
  return html`<button type="submit" class="btn btn-primary">${label}</button>`;
}

/** The hidden forms behind 申込を中止する and 戻る, placed outside the step's own form. */
export function flowForms(csrf: string): Html {
  return html`${postForm('/ib/flow/cancel', csrf, '', { id: 'cancel-form', className: 'hidden-form' })}
  ${postForm('/ib/flow/back', csrf, '', { id: 'back-form', className: 'hidden-form' })}`;
}
