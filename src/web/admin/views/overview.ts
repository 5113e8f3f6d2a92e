import {
  EDITABLE_POLICY,
  POLICY_NUMBERS,
  type AuditPage,
  type AuditRow,
  type DashboardView,
  type EditablePolicyField,
  type PolicyChange,
  type PolicyView,
} from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/ja.js';
import { customerHref, type StaffFrame } from './customers.js';
import { adminPage, alert, postForm } from './layout.js';

/** The events staff search for (their wording is the catalogue's `action`). */
export const AUDIT_ACTIONS = [
  'token.issued',
  'token.issue_refused',
  'token.provision',
  'token.activate',
  'otp.verify',
  'token.locked',
  'token.unlocked',
  'token.deactivate',
  'token.deactivated',
  'token.ended',
  'token.deactivation_requested',
  'token.deactivation_approved',
  'token.deactivation_rejected',
  'token.hotp_resync',
  'customer.issuance_limit_lifted',
  'hardware.imported',
  'hardware.shipped',
  'tenant.policy_changed',
  'staff.customer_viewed',
  'staff.forbidden',
  'audit.exported',
  'mail.failed',
] as const;

function card(label: string, n: number, id: string, href?: string): Html {
  const value = html`<span class="n" id="${id}">${String(n)}</span>`;
  return html`<li><span class="label">${label}</span>${href ? html`<a href="${href}">${value}</a>` : value}</li>`;
}

/** ダッシュボード: the landing page after login. */
export function dashboardPage(o: {
  locale: Locale;
  staff: StaffFrame;
  view: DashboardView;
  notice?: string;
}): Html {
  const t = o.locale.t;
  const d = t.dashboard;
  const v = o.view;
  const since = (iso: string) => t.stamp(iso).slice(0, 16);
  return adminPage({
    locale: o.locale,
    title: d.title,
    staff: o.staff,
    nav: 'dashboard',
    body: html`${alert('ok', o.notice)}
${
  v.pending === null
    ? ''
    : html`<section class="panel"><h2>${d.pending}</h2><div class="body"><ul class="counts">${card(d.approvals, v.pending.approvals, 'dash-approvals', '/admin/approvals')}${card(d.shipments, v.pending.shipments, 'dash-shipments', '/admin/hardware/shipments')}</ul></div></section>`
}
<section class="panel"><h2>${d.tokens}</h2><div class="body"><ul class="counts">${card(d.active, v.tokens.active, 'dash-active')}${card(d.issued, v.tokens.issued, 'dash-issued')}${card(d.provisioned, v.tokens.provisioned, 'dash-provisioned')}${card(d.locked, v.tokens.locked, 'dash-locked')}${card(d.ended, v.tokens.ended, 'dash-ended')}</ul></div></section>
<div class="grid2">
<section class="panel"><h2>${d.today(since(v.today.since))}</h2><div class="body"><ul class="counts">${card(d.lockouts, v.today.lockouts, 'dash-lockouts')}${card(d.failures, v.today.failures, 'dash-failures')}</ul></div></section>
<section class="panel"><h2>${d.week(since(v.week.since))}</h2><div class="body"><ul class="counts">${card(d.software, v.week.software, 'dash-week-software')}${card(d.hardware, v.week.hardware, 'dash-week-hardware')}</ul></div></section>
</div>`,
  });
}

function shown(t: Messages, v: number | boolean): string {
  return typeof v === 'boolean' ? (v ? t.policy.on : t.policy.off) : String(v);
}

/** 運用設定: the editable settings, each number with its range. */
export function policyPage(o: {
  locale: Locale;
  staff: StaffFrame;
  view: PolicyView;
  /** The form as sent, when it comes back with errors. */
  values?: Partial<Record<EditablePolicyField, string>>;
  errors?: Partial<Record<EditablePolicyField, string>>;
  changes?: readonly PolicyChange[];
  /** The basis the form was drawn from, when it comes back with errors. */
  basis?: string;
  /** A message for the whole form (another 管理者 saved meanwhile). */
  formError?: string;
}): Html {
  const t = o.locale.t;
  const p = t.policy;
  const e = o.errors ?? {};
  const valueOf = (f: EditablePolicyField) =>
    o.values !== undefined ? (o.values[f] ?? '') : String(o.view.policy[f]);
  const checked = (f: EditablePolicyField) =>
    o.values !== undefined ? o.values[f] === 'on' : o.view.policy[f] === true;
  const numbers = POLICY_NUMBERS.map((f) => {
    const [min, max] = o.view.ranges[f];
    const id = `f-${f}`;
    return html`<div class="field${e[f] ? ' has-error' : ''}"><label for="${id}">${p.labels[f]}</label><input id="${id}" name="${f}" type="text" inputmode="numeric" class="num" maxlength="6" value="${valueOf(f)}"${e[f] ? html` aria-invalid="true" aria-describedby="${id}-err"` : ''}><span class="hint"> ${p.range(min, max)}</span>${e[f] ? html`<p class="error" id="${id}-err">${e[f]}</p>` : ''}</div>`;
  });
  const options = EDITABLE_POLICY.filter(
    (f) => !(POLICY_NUMBERS as readonly string[]).includes(f),
  ).map(
    (f) =>
      html`<div class="check"><input id="f-${f}" name="${f}" type="checkbox"${checked(f) ? html` checked` : ''}><label for="f-${f}">${p.labels[f]}</label></div>`,
  );
  const c = o.changes;
  return adminPage({
    locale: o.locale,
    title: p.title,
    staff: o.staff,
    nav: 'policy',
    body: html`${c === undefined ? '' : c.length === 0 ? alert('info', p.unchanged) : html`${alert('ok', p.saved(c.length))}<section class="panel"><h2>${p.change}</h2><table class="list" id="policy-changes"><thead><tr><th>${p.field}</th><th>${p.before}</th><th>${p.after}</th></tr></thead><tbody>${c.map((x) => html`<tr data-field="${x.field}"><td>${p.labels[x.field]}</td><td>${shown(t, x.before)}</td><td>${shown(t, x.after)}</td></tr>`)}</tbody></table></section>`}
<p class="lead">${p.lead}</p>
${alert('error', o.formError)}
${postForm(
  '/admin/policy',
  o.staff.csrf,
  html`<input type="hidden" name="basis" value="${o.basis ?? o.view.basis}"><section class="panel"><h2>${p.numbers}</h2><div class="body stack">${numbers}</div></section>
<section class="panel"><h2>${p.options}</h2><div class="body">${options}</div></section>
<div class="actions"><button type="submit" class="btn">${p.submit}</button></div>`,
  'stack',
)}`,
  });
}

function detailText(r: AuditRow): string {
  return Object.entries(r.detail)
    .filter(([k]) => k !== 'staffId')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** The audit search's filter as it was typed (the form and the links keep it). */
export interface AuditFilterForm {
  customerRef: string;
  staffLoginId: string;
  action: string;
  from: string;
  to: string;
}

/** The query string of a filter (for the CSV link and paging). */
export function auditQuery(f: AuditFilterForm, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...extra })) if (v !== '') q.set(k, v);
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** 操作履歴: the filter, one page of events, paging and the CSV link. */
export function auditPage(o: {
  locale: Locale;
  staff: StaffFrame;
  filter: AuditFilterForm;
  page: AuditPage | null;
  errors?: Partial<Record<keyof AuditFilterForm, string>>;
  paged?: boolean;
}): Html {
  const t = o.locale.t;
  const a = t.audit;
  const f = o.filter;
  const e = o.errors ?? {};
  const input = (name: keyof AuditFilterForm, label: string, type = 'text') =>
    html`<div class="field${e[name] ? ' has-error' : ''}"><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="${type}" value="${f[name]}" maxlength="64" autocomplete="off"${e[name] ? html` aria-invalid="true" aria-describedby="f-${name}-err"` : ''}>${e[name] ? html`<p class="error" id="f-${name}-err">${e[name]}</p>` : ''}</div>`;
  const rows = o.page?.rows ?? [];
  return adminPage({
    locale: o.locale,
    title: a.title,
    staff: o.staff,
    nav: 'audit',
    body: html`<p class="lead">${a.lead}</p>
<section class="panel"><div class="body"><form method="get" action="/admin/audit" class="filters" novalidate>
${input('customerRef', a.customerRef)}${input('staffLoginId', a.staff)}
<div class="field${e.action ? ' has-error' : ''}"><label for="f-action">${a.action}</label><select id="f-action" name="action"><option value="">${a.anyAction}</option>${AUDIT_ACTIONS.map((x) => html`<option value="${x}"${x === f.action ? html` selected` : ''}>${t.action(x)}</option>`)}</select>${e.action ? html`<p class="error">${e.action}</p>` : ''}</div>
${input('from', a.from, 'date')}${input('to', a.to, 'date')}
<div class="actions"><button type="submit" class="btn">${a.submit}</button>${o.page === null ? '' : html`<a class="btn btn-secondary" id="csv-link" href="/admin/audit.csv${auditQuery(f)}">${a.csv}</a>`}</div>
</form></div></section>
${
  o.page === null
    ? ''
    : rows.length === 0
      ? alert('info', a.none)
      : html`<section class="panel"><div class="scroll"><table class="list" id="audit">
<thead><tr><th>#</th><th>${a.at}</th><th>${a.action}</th><th>${a.result}</th><th>${a.customerRef}</th><th>${a.tokenNo}</th><th>${a.actor}</th><th>${a.detail}</th></tr></thead>
<tbody>${rows.map(
          (r) =>
            html`<tr data-id="${r.id}" data-action="${r.action}"><td>${r.id}</td><td>${t.stamp(r.at)}</td><td>${t.action(r.action)}</td><td>${t.result(r.result)}</td><td>${r.customerRef === null ? '' : html`<a class="mono" href="${customerHref(r.customerRef)}">${r.customerRef}</a>`}</td><td>${r.tokenId ?? ''}</td><td>${t.actor(r.actor, r.actorName)}</td><td class="wrap small">${detailText(r)}</td></tr>`,
        )}</tbody></table></div>
<div class="body actions">${o.paged ? html`<a class="btn btn-secondary" href="/admin/audit${auditQuery(f)}">${a.first}</a>` : ''}${o.page.nextBeforeId === null ? '' : html`<a class="btn btn-secondary" id="next-page" href="/admin/audit${auditQuery(f, { beforeId: String(o.page.nextBeforeId) })}">${a.next}</a>`}</div></section>`
}`,
  });
}

/** The CSV's rows: the header in the page's language, then one line per event. */
export function auditCsvRows(t: Messages, rows: readonly AuditRow[]): string[][] {
  return [
    [...t.audit.csvHeader],
    ...rows.map((r) => [
      String(r.id),
      t.stamp(r.at),
      t.action(r.action),
      r.action,
      t.result(r.result),
      r.customerRef ?? '',
      r.tokenId === null ? '' : String(r.tokenId),
      t.actor(r.actor, r.actorName),
      r.clientIp ?? '',
      detailText(r),
    ]),
  ];
}
