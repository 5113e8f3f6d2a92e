import { html, type Html } from '../../shared/html.js';
import type { Messages } from '../i18n/locale.js';
import {
  errorSummary,
  field,
  flowButtons,
  paragraphs,
  postForm,
  stepIndicator,
  submitButton,
  type FieldErrors,
} from './components.js';
import { screenPage, type ScreenBase } from './layout.js';

/** The steps of 機種変更 as the customer walks them, `current` marked. */
export function replaceSteps(t: Messages, current: number): Html {
  return stepIndicator(t, t.replace.steps, current);
}

/** 機種変更（トークン再発行）: what happens, then the login password. */
export function replacePassword(o: ScreenBase & { errors?: FieldErrors }): Html {
  const t = o.locale.t;
  const r = t.replace;
  return screenPage(
    o,
    'services',
    r.title,
    html`${replaceSteps(t, 0)}
    ${errorSummary(o.errors)}
    <p class="lead">${r.lead}</p>
    <section class="panel notes"><h2>${r.flowTitle}</h2><div class="body">
      ${paragraphs(r.flow)}
    </div></section>
    ${postForm(
      '/ib/otp/replace',
      o.csrf,
      html`<section class="panel"><h2>${t.common.loginPasswordSection}</h2>
        ${field(t, { name: 'password', label: t.common.loginPassword, type: 'password', error: o.errors?.['password'], maxlength: 64, autocomplete: 'current-password' })}
      </section>
      ${flowButtons(t, { primary: submitButton(t.common.phoneCheckButton) })}`,
    )}`,
    { flow: true },
  );
}
