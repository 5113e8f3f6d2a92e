import type {
  CustomerDetail,
  DeactivationRequestList,
  DeactivationRequestView,
} from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { customerHref, type StaffFrame } from './customers.js';
import { adminPage, alert, field, kvTable, postForm } from './layout.js';

/** The paper request form: the customer's summary, a reason and the paper's 受付番号. */
export function requestPage(o: {
  locale: Locale;
  staff: StaffFrame;
  detail: CustomerDetail;
  reason?: string;
  paperRef?: string;
  errors?: { reason?: string; paperRef?: string; form?: string };
}): Html {
  const t = o.locale.t;
  const f = t.fourEyes;
  const d = t.detail;
  const c = o.detail;
  const v = c.token;
  const e = o.errors ?? {};
  return adminPage({
    locale: o.locale,
    title: f.title,
    staff: o.staff,
    nav: 'customers',
    body: html`<p class="lead">${f.lead}</p>
${alert('error', e.form)}
<section class="panel">${kvTable([
      [d.ref, html`<span class="mono">${c.ref}</span>`],
      [d.state, v === null ? t.state('none') : t.state(v.state)],
      v === null ? null : [d.type, t.tokenType(v.type)],
      v === null ? null : [d.serial, html`<span class="mono">${v.serial ?? '—'}</span>`],
      v === null ? null : [d.userId, html`<span class="mono">${v.userId}</span>`],
    ])}</section>
<div class="panel"><div class="body">
${postForm(
  customerHref(c.ref, '/deactivate'),
  o.staff.csrf,
  html`${field({ name: 'paperRef', label: f.paperRef, hint: f.paperRefHint, value: o.paperRef ?? '', maxlength: 32, ...(e.paperRef ? { error: e.paperRef } : {}), autofocus: true })}
  ${field({ name: 'reason', label: f.reason, hint: f.reasonHint, value: o.reason ?? '', textarea: true, maxlength: 200, ...(e.reason ? { error: e.reason } : {}) })}
  <div class="actions"><button type="submit" class="btn btn-danger">${f.submit}</button><a class="btn btn-secondary" href="${customerHref(c.ref)}">${f.cancel}</a></div>`,
  'stack',
)}
</div></div>`,
  });
}

function who(x: { id: number; name: string } | null): string {
  return x === null ? '—' : x.name;
}

/** 承認待ち: pending paper requests (approve / reject, or withdraw one's own) and recent ones. */
export function approvalsPage(o: {
  locale: Locale;
  staff: StaffFrame;
  list: DeactivationRequestList;
  notice?: string;
  /** A form's error, by request: the reject reason, or the approval's confirmation. */
  error?: { id: number; text: string; reason: string; kind?: 'approve' | 'reject' };
}): Html {
  const t = o.locale.t;
  const f = t.fourEyes;
  const me = o.staff.view.id;
  const row = (r: DeactivationRequestView) => {
    const own = r.requestedBy.id === me;
    const err = o.error?.id === r.id ? o.error : undefined;
    return html`<section class="panel request" id="request-${r.id}" data-request-id="${r.id}" data-customer="${r.customerRef}">
<h2>${f.no} ${r.id} · <a class="mono" href="${customerHref(r.customerRef)}">${r.customerRef}</a>${own ? html` <span class="tag tag-issued">${f.own}</span>` : ''}</h2>
${kvTable([
  [f.paperRef, html`<span class="mono">${r.paperRef}</span>`],
  [f.reason, html`<span class="wrap">${r.reason}</span>`],
  [f.requestedBy, who(r.requestedBy)],
  [f.requestedAt, t.stamp(r.requestedAt)],
])}
<div class="body"><div class="decide">
${own ? '' : postForm(`/admin/approvals/${r.id}/approve`, o.staff.csrf, html`<div class="check${err?.kind === 'approve' ? ' has-error' : ''}"><input id="checked-${r.id}" name="checked" type="checkbox" value="on"><label for="checked-${r.id}">${f.checkedLabel}</label></div>${err?.kind === 'approve' ? html`<p class="error">${err.text}</p>` : ''}<button type="submit" class="btn btn-danger" data-approve>${f.approve}</button>`, 'approve')}
${postForm(
  `/admin/approvals/${r.id}/reject`,
  o.staff.csrf,
  html`${field({ name: 'reason', label: f.rejectReason, value: err?.reason ?? '', maxlength: 200, ...(err !== undefined && err.kind !== 'approve' ? { error: err.text } : {}) })}<button type="submit" class="btn btn-secondary" data-reject>${own ? f.withdraw : f.reject}</button>`,
  'stack inline-reason',
)}
</div></div></section>`;
  };
  const recent = o.list.decided;
  return adminPage({
    locale: o.locale,
    title: f.listTitle,
    staff: o.staff,
    nav: 'approvals',
    body: html`${alert('ok', o.notice)}<p class="lead">${f.listLead}</p>
${o.list.pending.length === 0 ? alert('info', f.none) : o.list.pending.map(row)}
<section class="panel"><h2>${f.recent}</h2>${
      recent.length === 0
        ? html`<div class="body"><p>${f.noneRecent}</p></div>`
        : html`<div class="scroll"><table class="list" id="decided">
<thead><tr><th>${f.no}</th><th>${f.customer}</th><th>${f.paperRef}</th><th>${f.decision}</th><th>${f.requestedBy}</th><th>${f.decidedBy}</th><th>${f.decidedAt}</th><th>${f.decisionReason}</th></tr></thead>
<tbody>${recent.map(
            (r) =>
              html`<tr data-request-id="${r.id}" data-state="${r.state}"><td>${r.id}</td><td><a class="mono" href="${customerHref(r.customerRef)}">${r.customerRef}</a></td><td class="mono">${r.paperRef}</td><td>${f.states[r.state]}</td><td>${who(r.requestedBy)}</td><td>${who(r.decidedBy)}</td><td>${t.stamp(r.decidedAt)}</td><td class="wrap">${r.decisionReason ?? ''}</td></tr>`,
          )}</tbody></table></div>`
    }</section>`,
  });
}
