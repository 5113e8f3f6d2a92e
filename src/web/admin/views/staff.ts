import type { StaffView } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import type { StaffFrame } from './customers.js';
import { adminPage, alert, field, postForm } from './layout.js';

/** The add form as typed, with its errors (never the password). */
export interface NewStaffForm {
  readonly loginId: string;
  readonly name: string;
  readonly role: string;
  readonly errors: Partial<Record<'loginId' | 'name' | 'role' | 'password', string>>;
}

/**
 * 行員管理 (管理者 only): the bank's staff with ロック解除, 認証アプリ再登録 and ロック (not on
 * oneself), and the form that adds a staff member.
 */
export function staffPage(o: {
  locale: Locale;
  staff: StaffFrame;
  list: readonly StaffView[];
  notice?: string;
  add?: NewStaffForm;
}): Html {
  const t = o.locale.t;
  const s = t.staff;
  const a = t.staffAdmin;
  const f = o.add;
  const e = f?.errors ?? {};
  const button = (action: string, label: string, danger = false) =>
    postForm(
      action,
      o.staff.csrf,
      html`<button type="submit" class="btn ${danger ? 'btn-danger' : 'btn-secondary'}">${label}</button>`,
      'inline',
    );
  return adminPage({
    locale: o.locale,
    title: s.title,
    staff: o.staff,
    nav: 'staff',
    body: html`${alert('ok', o.notice)}<p class="lead">${a.lead}</p>
<div class="panel"><div class="scroll"><table class="list" id="staff-list">
<thead><tr><th>${s.loginId}</th><th>${s.name}</th><th>${s.role}</th><th>${s.app}</th><th>${s.status}</th><th>${s.lastLogin}</th><th></th></tr></thead>
<tbody>${o.list.map((x) => {
      const self = x.id === o.staff.view.id;
      return html`<tr data-login-id="${x.loginId}"><td class="mono">${x.loginId}</td><td>${x.name}${self ? a.you : ''}</td><td>${t.role(x.role)}</td><td>${x.enrolled ? s.enrolled : s.notEnrolled}</td><td>${
        x.locked ? html`<span class="tag tag-locked">${s.locked}</span>` : s.active
      }${x.passwordChangeRequired ? html`<br><span class="tag">${a.mustChange}</span>` : ''}</td><td>${t.stamp(x.lastLoginAt)}</td><td><div class="row-actions">${
        x.locked || x.failedLogins > 0 ? button(`/admin/staff/${x.id}/unlock`, s.unlock) : ''
      }${self ? '' : html`${x.enrolled && !x.passwordChangeRequired ? button(`/admin/staff/${x.id}/reset-totp`, a.resetTotp) : ''}${x.enrolled ? html`<a class="btn btn-secondary" href="/admin/staff/${x.id}/password">${a.tempPassword}</a>` : ''}${x.locked ? '' : button(`/admin/staff/${x.id}/lock`, a.lock, true)}`}</div></td></tr>`;
    })}</tbody></table></div></div>
<section class="panel"><h2>${a.addTitle}</h2><div class="body">
<p class="lead">${a.addLead}</p>
${postForm(
  '/admin/staff',
  o.staff.csrf,
  html`${field({ name: 'loginId', label: a.loginId, hint: a.loginIdHint, value: f?.loginId ?? '', maxlength: 64, ...(e.loginId ? { error: e.loginId } : {}) })}
  ${field({ name: 'name', label: a.name, value: f?.name ?? '', maxlength: 64, ...(e.name ? { error: e.name } : {}) })}
  <div class="field${e.role ? ' has-error' : ''}"><label for="f-role">${a.role}</label><select id="f-role" name="role"><option value="operator"${f?.role === 'admin' ? '' : html` selected`}>${t.role('operator')}</option><option value="admin"${f?.role === 'admin' ? html` selected` : ''}>${t.role('admin')}</option></select>${e.role ? html`<p class="error">${e.role}</p>` : ''}</div>
  ${field({ name: 'password', label: a.password, type: 'password', hint: a.passwordHint, autocomplete: 'new-password', maxlength: 128, ...(e.password ? { error: e.password } : {}) })}
  <div class="actions"><button type="submit" class="btn">${a.submit}</button></div>`,
  'stack',
)}
</div></section>`,
  });
}

/** 仮パスワードの設定 for one member (管理者 only): the temporary password, typed once. */
export function temporaryPasswordPage(o: {
  locale: Locale;
  staff: StaffFrame;
  member: StaffView;
  error?: string;
}): Html {
  const a = o.locale.t.staffAdmin;
  return adminPage({
    locale: o.locale,
    title: a.tempTitle,
    staff: o.staff,
    nav: 'staff',
    narrow: true,
    body: html`<div class="panel"><div class="body">
<p class="lead">${a.tempLead(o.member.name, o.member.loginId)}</p>
${postForm(
  `/admin/staff/${o.member.id}/password`,
  o.staff.csrf,
  html`${field({ name: 'password', label: a.tempField, type: 'password', hint: a.passwordHint, autocomplete: 'new-password', maxlength: 128, autofocus: true, ...(o.error ? { error: o.error } : {}) })}
  <div class="actions"><button type="submit" class="btn">${a.tempSubmit}</button><a href="/admin/staff">${a.toList}</a></div>`,
  'stack',
)}
</div></div>`,
  });
}
