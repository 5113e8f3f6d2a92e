import type { StaffView } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import type { StaffFrame } from './customers.js';
import { adminPage, alert, postForm } from './layout.js';

/** 行員管理 (管理者 only): the bank's staff, with ロック解除 for a locked account. */
export function staffPage(o: {
  locale: Locale;
  staff: StaffFrame;
  list: readonly StaffView[];
  notice?: string;
}): Html {
  const t = o.locale.t;
  const s = t.staff;
  return adminPage({
    locale: o.locale,
    title: s.title,
    staff: o.staff,
    nav: 'staff',
    body: html`${alert('ok', o.notice)}<p class="lead">${s.lead}</p>
<div class="panel"><div class="scroll"><table class="list" id="staff-list">
<thead><tr><th>${s.loginId}</th><th>${s.name}</th><th>${s.role}</th><th>${s.app}</th><th>${s.status}</th><th>${s.lastLogin}</th><th></th></tr></thead>
<tbody>${o.list.map(
      (x) => html`<tr data-login-id="${x.loginId}"><td class="mono">${x.loginId}</td><td>${x.name}</td><td>${t.role(x.role)}</td><td>${x.enrolled ? s.enrolled : s.notEnrolled}</td><td>${
        x.locked ? html`<span class="tag tag-locked">${s.locked}</span>` : s.active
      }</td><td>${t.stamp(x.lastLoginAt)}</td><td>${
        x.locked || x.failedLogins > 0
          ? postForm(`/admin/staff/${x.id}/unlock`, o.staff.csrf, html`<button type="submit" class="btn btn-secondary">${s.unlock}</button>`)
          : ''
      }</td></tr>`,
    )}</tbody></table></div></div>`,
  });
}
