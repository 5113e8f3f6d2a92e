import type { CustomerDetail, CustomerHit, StaffView, TokenView } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/ja.js';
import { adminPage, alert, field, kvTable, postForm } from './layout.js';

/** The logged-in staff member as the pages draw them. */
export interface StaffFrame {
  readonly view: StaffView;
  readonly csrf: string;
}

/** The link of a customer's トークン詳細. */
export function customerHref(ref: string, tail = ''): string {
  return `/admin/customers/${encodeURIComponent(ref)}${tail}`;
}

function stateTag(t: Messages, state: TokenView['state'] | 'ended', locked: boolean): Html {
  return html`<span class="tag tag-${state}" data-state="${state}">${t.state(state)}</span>${
    locked ? html` <span class="tag tag-locked" data-locked>${t.search.lockedYes}</span>` : ''
  }`;
}

/** 顧客検索: the search box and, after a search, the hits. */
export function searchPage(o: {
  locale: Locale;
  staff: StaffFrame;
  query?: string;
  error?: string;
  hits?: readonly CustomerHit[];
  notice?: string;
}): Html {
  const t = o.locale.t;
  const s = t.search;
  const results =
    o.hits === undefined
      ? ''
      : o.hits.length === 0
        ? alert('info', s.none)
        : html`<div class="panel"><h2>${s.results(o.hits.length)}</h2><div class="scroll"><table class="list" id="hits">
<thead><tr><th>${s.ref}</th><th>${s.state}</th><th>${s.type}</th><th>${s.userId}</th><th>${s.serial}</th><th>${s.email}</th></tr></thead>
<tbody>${o.hits.map(
            (h) =>
              html`<tr><td><a href="${customerHref(h.ref)}" class="mono">${h.ref}</a></td><td>${stateTag(t, h.state, h.locked)}</td><td>${t.tokenType(h.type)}</td><td class="mono">${h.userId ?? '—'}</td><td class="mono">${h.serial ?? '—'}</td><td>${h.email ?? '—'}</td></tr>`,
          )}</tbody></table></div></div>`;
  return adminPage({
    locale: o.locale,
    title: s.title,
    staff: o.staff,
    nav: 'customers',
    body: html`${alert('ok', o.notice)}<div class="panel"><div class="body">
<p class="lead">${s.lead}</p>
<form method="get" action="/admin/customers" role="search" novalidate>
  <label for="f-q">${s.query}</label>
  <div class="searchbar"><input id="f-q" name="q" type="search" value="${o.query ?? ''}" maxlength="64" autocomplete="off"${o.error ? html` aria-invalid="true" aria-describedby="f-q-err"` : ''} autofocus><button type="submit" class="btn">${s.submit}</button></div>
  ${o.error ? html`<p class="error" id="f-q-err">${o.error}</p>` : ''}
</form>
</div></div>
${results}`,
  });
}

function tokenRows(t: Messages, v: TokenView, email: string | null): Html {
  const d = t.detail;
  return kvTable([
    [
      d.state,
      html`${stateTag(t, v.state, v.locked)}${v.expired ? html` <span class="tag tag-ended">${d.expired}</span>` : ''}`,
    ],
    [d.type, t.tokenType(v.type)],
    [d.serial, html`<span class="mono" id="token-serial">${v.serial ?? '—'}</span>`],
    [d.userId, html`<span class="mono">${v.userId}</span>`],
    email === null ? null : [d.email, email],
    [d.failCount, html`<span id="fail-count">${v.failCount}</span>`],
    [
      d.lock,
      html`<span id="lock-state" data-locked="${v.locked ? 'yes' : 'no'}">${v.locked ? d.lockedSince(t.stamp(v.lockedAt)) : d.notLocked}</span>`,
    ],
    [d.issuedAt, t.stamp(v.issuedAt)],
    v.state === 'issued' || v.state === 'provisioned' ? [d.expiresAt, t.stamp(v.expiresAt)] : null,
    v.provisionedAt === null ? null : [d.provisionedAt, t.stamp(v.provisionedAt)],
    v.activatedAt === null ? null : [d.activatedAt, t.stamp(v.activatedAt)],
    v.validUntil === null ? null : [d.validUntil, t.stamp(v.validUntil)],
    v.lastUsedAt === null ? null : [d.lastUsedAt, t.stamp(v.lastUsedAt)],
  ]);
}

/** トークン詳細: the customer, the token (and a pending 機種変更), the tokens before, the trail. */
export function detailPage(o: {
  locale: Locale;
  staff: StaffFrame;
  detail: CustomerDetail;
  notice?: string;
}): Html {
  const t = o.locale.t;
  const d = t.detail;
  const c = o.detail;
  const v = c.token;
  const isAdmin = o.staff.view.role === 'admin';
  const iss = c.issuance;
  const actions: Html[] = [];
  if (v !== null && (v.locked || v.failCount > 0 || v.pending?.locked === true))
    actions.push(
      html`<a class="btn btn-danger" id="unlock-link" href="${customerHref(c.ref, '/unlock')}">${d.unlock}</a>`,
    );
  // 管理者 only: drawn for them alone (the server refuses the others as well).
  if (isAdmin && iss.restricted)
    actions.push(
      html`<a class="btn btn-secondary" id="lift-link" href="${customerHref(c.ref, '/issuance-limit')}">${d.lift}</a>`,
    );
  // カウンター再同期 of an HOTP key-fob (RFC 4226 §7.4): 管理者 only.
  if (isAdmin && v !== null && v.type === 'hardware' && v.state === 'active' && v.period === 0)
    actions.push(
      html`<a class="btn btn-secondary" id="resync-link" href="${customerHref(c.ref, '/resync')}">${t.hardware.resync}</a>`,
    );
  // 書面による利用解除 (guide 004): 管理者 only, taking effect after a second 管理者 approves.
  if (isAdmin && v !== null && c.pendingPaperRequest === null)
    actions.push(
      html`<a class="btn btn-secondary" id="paper-deactivate-link" href="${customerHref(c.ref, '/deactivate')}">${t.fourEyes.link}</a>`,
    );
  return adminPage({
    locale: o.locale,
    title: d.title,
    staff: o.staff,
    nav: 'customers',
    body: html`${alert('ok', o.notice)}${
      c.pendingPaperRequest === null
        ? ''
        : alert(
            'info',
            t.fourEyes.pendingOn(
              c.pendingPaperRequest.id,
              t.stamp(c.pendingPaperRequest.requestedAt),
            ),
          )
    }
<p><a href="/admin/customers">← ${d.back}</a></p>
<div class="grid2">
<section class="panel"><h2>${d.customer}</h2>${kvTable([
      [d.ref, html`<span class="mono" id="customer-ref">${c.ref}</span>`],
      [d.since, t.stamp(c.createdAt)],
      [
        d.issuance,
        html`<span id="issuance-state" data-restricted="${iss.restricted ? 'yes' : 'no'}">${
          iss.restricted
            ? d.restricted(iss.counted, iss.limit, iss.periodDays)
            : d.notRestricted(iss.counted, iss.limit, iss.periodDays)
        }</span>${iss.liftedAt === null ? '' : html`<br><span class="hint">${d.liftedAt(t.stamp(iss.liftedAt))}</span>`}`,
      ],
    ])}</section>
<section class="panel"><h2>${d.token}</h2>${v === null ? html`<div class="body"><p>${d.noToken}</p></div>` : tokenRows(t, v, c.email)}
${actions.length > 0 ? html`<div class="body"><div class="actions">${actions}</div></div>` : ''}</section>
</div>
<p><a id="passkeys-link" href="${customerHref(c.ref, '/passkeys')}">${t.passkeys.link}</a></p>
${v?.pending === undefined ? '' : html`<section class="panel"><h2>${d.pending}</h2>${tokenRows(t, v.pending, null)}</section>`}
<section class="panel"><h2>${d.tokens}</h2><div class="scroll"><table class="list" id="tokens">
<thead><tr><th>${d.id}</th><th>${d.type}</th><th>${d.state}</th><th>${d.userId}</th><th>${d.serial}</th><th>${d.issuedAt}</th><th>${d.activatedAt}</th><th>${d.endedAt}</th><th>${d.endReason}</th></tr></thead>
<tbody>${c.tokens.map(
      (x) =>
        html`<tr><td>${x.id}</td><td>${t.tokenType(x.type)}</td><td><span class="tag tag-${x.state}">${t.state(x.state)}</span></td><td class="mono">${x.userId}</td><td class="mono">${x.serial ?? '—'}</td><td>${t.stamp(x.issuedAt)}</td><td>${t.stamp(x.activatedAt)}</td><td>${t.stamp(x.endedAt)}</td><td>${t.endReason(x.endReason)}</td></tr>`,
    )}</tbody></table></div></section>
<section class="panel"><h2>${d.history}</h2>${
      c.history.length === 0
        ? html`<div class="body"><p>${d.noHistory}</p></div>`
        : html`<div class="scroll"><table class="list" id="history">
<thead><tr><th>${d.at}</th><th>${d.action}</th><th>${d.result}</th><th>${d.tokenNo}</th><th>${d.actor}</th><th>${d.reason}</th></tr></thead>
<tbody>${c.history.map(
            (e) =>
              html`<tr data-action="${e.action}" data-result="${e.result ?? ''}"><td>${t.stamp(e.at)}</td><td>${t.action(e.action)}</td><td>${t.result(e.result)}</td><td>${e.tokenId ?? ''}</td><td>${t.actor(e.actor, e.actorName)}</td><td class="wrap">${e.reason ?? ''}</td></tr>`,
          )}</tbody></table></div>`
    }</section>`,
  });
}

/** 閉塞解除 and 発行規制の解除: the customer's summary, a reason, and the action. */
export function reasonPage(o: {
  locale: Locale;
  staff: StaffFrame;
  kind: 'unlock' | 'lift';
  detail: CustomerDetail;
  reason?: string;
  error?: string;
}): Html {
  const t = o.locale.t;
  const d = t.detail;
  const u = t.unlock;
  const c = o.detail;
  const v = c.token;
  const lead = o.kind === 'unlock' ? u.lead : t.lift.lead;
  const summary =
    o.kind === 'unlock'
      ? kvTable([
          [d.ref, html`<span class="mono">${c.ref}</span>`],
          v === null ? null : [d.state, stateTag(t, v.state, v.locked)],
          v === null ? null : [d.serial, html`<span class="mono">${v.serial ?? '—'}</span>`],
          v === null ? null : [d.failCount, String(v.failCount)],
          v === null ? null : [d.lock, v.locked ? d.lockedSince(t.stamp(v.lockedAt)) : d.notLocked],
        ])
      : kvTable([
          [d.ref, html`<span class="mono">${c.ref}</span>`],
          [
            d.issuance,
            c.issuance.restricted
              ? d.restricted(c.issuance.counted, c.issuance.limit, c.issuance.periodDays)
              : d.notRestricted(c.issuance.counted, c.issuance.limit, c.issuance.periodDays),
          ],
        ]);
  const action =
    o.kind === 'unlock' ? customerHref(c.ref, '/unlock') : customerHref(c.ref, '/issuance-limit');
  return adminPage({
    locale: o.locale,
    title: o.kind === 'unlock' ? u.title : t.lift.title,
    staff: o.staff,
    nav: 'customers',
    body: html`<p class="lead">${lead}</p>
${o.kind === 'unlock' && v !== null && !v.locked ? alert('info', u.notLocked) : ''}
<section class="panel">${summary}</section>
<div class="panel"><div class="body">
${postForm(
  action,
  o.staff.csrf,
  html`${field({ name: 'reason', label: u.reason, hint: u.reasonHint, value: o.reason ?? '', textarea: true, maxlength: 200, ...(o.error ? { error: o.error } : {}), autofocus: true })}
  <div class="actions"><button type="submit" class="btn btn-danger">${o.kind === 'unlock' ? u.submit : t.lift.submit}</button><a class="btn btn-secondary" href="${customerHref(c.ref)}">${u.cancel}</a></div>`,
  'stack',
)}
</div></div>`,
  });
}
