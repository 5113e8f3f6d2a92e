import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { adminPage, alert, field, postForm, type AdminPageOptions } from './layout.js';

/** The fields of the パスワード変更 form that can be refused. */
export type PasswordErrors = Partial<Record<'current' | 'password' | 'confirm', string>>;

/**
 * パスワード変更: at the login after an 管理者 set the password (`forced`: no menu, no current
 * password, nothing else reachable until it is done), or from the header at any time (with the
 * current password). The fields never come back filled in.
 */
export function passwordPage(o: {
  locale: Locale;
  csrf: string;
  forced: boolean;
  name: string;
  staff?: AdminPageOptions['staff'];
  errors?: PasswordErrors;
  message?: string;
}): Html {
  const t = o.locale.t.password;
  const e = o.errors ?? {};
  const pw = (name: 'current' | 'password' | 'confirm', label: string, extra: object = {}) =>
    field({
      name,
      label,
      type: 'password',
      autocomplete: name === 'current' ? 'current-password' : 'new-password',
      maxlength: 128,
      ...(e[name] ? { error: e[name] } : {}),
      ...extra,
    });
  return adminPage({
    locale: o.locale,
    title: t.title,
    narrow: true,
    ...(o.staff ? { staff: o.staff, nav: 'none' as const } : {}),
    body: html`${alert('error', o.message)}
<div class="panel"><div class="body">
<p class="lead">${o.forced ? t.forcedLead(o.name) : t.lead}</p>
${postForm(
  o.forced ? '/admin/login/password' : '/admin/password',
  o.csrf,
  html`${o.forced ? '' : pw('current', t.current, { autofocus: true })}
  ${pw('password', t.next, { hint: t.hint, ...(o.forced ? { autofocus: true } : {}) })}
  ${pw('confirm', t.confirm)}
  <div class="actions"><button type="submit" class="btn">${t.submit}</button></div>`,
  'stack',
)}
</div></div>`,
  });
}
