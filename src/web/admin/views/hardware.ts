import type {
  HardwareInventory,
  ShipmentBoard,
  ShipmentView,
  TokenView,
} from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import type { Messages } from '../i18n/ja.js';
import { customerHref, type StaffFrame } from './customers.js';
import { adminPage, alert, field, kvTable, postForm } from './layout.js';

type Stage = keyof Messages['hardware']['stages'];

function stageTag(t: Messages, stage: Stage): Html {
  return html`<span class="tag tag-hw-${stage}" data-stage="${stage}">${t.hardware.stages[stage]}</span>`;
}

/** 在庫: counts by stage, a look-up by serial, the PSKC import form. */
export function inventoryPage(o: {
  locale: Locale;
  staff: StaffFrame;
  inventory: HardwareInventory;
  serial?: string;
  searchError?: string;
  notFound?: boolean;
  notice?: string;
  importForm?: {
    batch: string;
    xml: string;
    errors: { xml?: string; key?: string; batch?: string; form?: string };
  };
}): Html {
  const t = o.locale.t;
  const h = t.hardware;
  const c = o.inventory.counts;
  const order: Stage[] = ['stock', 'waiting', 'shipped', 'active', 'ended', 'expired'];
  const i = o.inventory.item;
  const f = o.importForm;
  return adminPage({
    locale: o.locale,
    title: h.title,
    staff: o.staff,
    nav: 'hardware',
    body: html`${alert('ok', o.notice)}<p class="lead">${h.lead}</p>
<section class="panel"><h2>${h.counts}</h2><div class="body"><ul class="counts" id="hw-counts">${order.map(
      (k) =>
        html`<li data-stage="${k}"><span class="label">${h.stages[k]}</span><span class="n">${String(c[k])}</span></li>`,
    )}</ul></div></section>
<section class="panel"><h2>${h.search}</h2><div class="body">
<form method="get" action="/admin/hardware" role="search" novalidate>
  <label for="f-serial">${h.serial}</label>
  <div class="searchbar"><input id="f-serial" name="serial" type="search" inputmode="numeric" maxlength="12" value="${o.serial ?? ''}" autocomplete="off"${o.searchError ? html` aria-invalid="true" aria-describedby="f-serial-err"` : ''}><button type="submit" class="btn">${h.searchSubmit}</button></div>
  <p class="hint">${h.serialHint}</p>
  ${o.searchError ? html`<p class="error" id="f-serial-err">${o.searchError}</p>` : ''}
</form>
${o.notFound ? alert('info', h.notFound) : ''}
</div>
${
  i === null
    ? ''
    : html`<div id="hw-item">${kvTable([
        [h.serial, html`<span class="mono">${i.serial}</span>`],
        [h.stage, stageTag(t, i.stage)],
        [h.kind, h.kinds[i.kind]],
        [
          h.customer,
          i.customerRef === null
            ? '—'
            : html`<a class="mono" href="${customerHref(i.customerRef)}">${i.customerRef}</a>`,
        ],
        [h.batch, i.batch],
        [h.importedAt, t.stamp(i.importedAt)],
        i.shippedAt === null ? null : [h.shippedAt, t.stamp(i.shippedAt)],
        i.activatedAt === null ? null : [h.activatedAt, t.stamp(i.activatedAt)],
        i.endedAt === null ? null : [h.endedAt, t.stamp(i.endedAt)],
        [h.validUntil, i.validUntil === null ? '—' : t.stamp(i.validUntil)],
      ])}</div>`
}</section>
<section class="panel"><h2>${h.importTitle}</h2><div class="body">
<p class="lead">${h.importLead}</p>
${alert('error', f?.errors.form)}
${postForm(
  '/admin/hardware/import',
  o.staff.csrf,
  html`<div class="field"><label for="f-file">${h.file}</label><input id="f-file" type="file" accept=".xml,.pskc,application/xml,text/xml" data-fill="f-xml"><p class="hint">${h.fileHint}</p></div>
  ${field({ name: 'xml', label: h.xml, value: f?.xml ?? '', textarea: true, className: 'mono', ...(f?.errors.xml ? { error: f.errors.xml } : {}) })}
  ${field({ name: 'key', label: h.key, type: 'password', hint: h.keyHint, autocomplete: 'off', maxlength: 64, ...(f?.errors.key ? { error: f.errors.key } : {}) })}
  ${field({ name: 'batch', label: h.batchName, hint: h.batchHint, value: f?.batch ?? '', maxlength: 64, ...(f?.errors.batch ? { error: f.errors.batch } : {}) })}
  <div class="actions"><button type="submit" class="btn">${h.importSubmit}</button></div>`,
  'stack',
)}
</div></section>`,
  });
}

/** 発送: requests waiting (a serial to assign), the last shipped with the list to print. */
export function shipmentsPage(o: {
  locale: Locale;
  staff: StaffFrame;
  board: ShipmentBoard;
  notice?: string;
  error?: { tokenId: number; text: string; serial: string };
}): Html {
  const t = o.locale.t;
  const h = t.hardware;
  const b = o.board;
  return adminPage({
    locale: o.locale,
    title: h.shipTitle,
    staff: o.staff,
    nav: 'shipping',
    body: html`${alert('ok', o.notice)}${
      o.error !== undefined && !b.waiting.some((w) => w.tokenId === o.error?.tokenId)
        ? alert('error', o.error.text)
        : ''
    }<p class="lead">${h.shipLead}</p>
<section class="panel"><h2>${h.waitingTitle}（${String(b.waiting.length)}）</h2>
<div class="body">${b.nextSerial === null ? alert('error', h.noStock) : html`<p class="hint" id="next-serial">${h.nextSerial(b.nextSerial)}</p>`}</div>
${
  b.waiting.length === 0
    ? html`<div class="body"><p>${h.noWaiting}</p></div>`
    : html`<div class="scroll"><table class="list" id="waiting">
<thead><tr><th>${h.customer}</th><th>${h.userId}</th><th>${h.requestedAt}</th><th>${h.expiresAt}</th><th>${h.fee}</th><th>${h.serial}</th></tr></thead>
<tbody>${b.waiting.map((w, idx) => {
        const err = o.error?.tokenId === w.tokenId ? o.error : undefined;
        const value = err?.serial ?? (idx === 0 && b.nextSerial !== null ? b.nextSerial : '');
        return html`<tr data-token-id="${w.tokenId}" data-customer="${w.customerRef}"><td><a class="mono" href="${customerHref(w.customerRef)}">${w.customerRef}</a></td><td class="mono">${w.userId}</td><td>${t.stamp(w.requestedAt)}</td><td>${t.stamp(w.expiresAt)}</td><td>${h.yen(w.feeYen)}</td><td>${postForm(
          `/admin/hardware/shipments/${w.tokenId}/ship`,
          o.staff.csrf,
          html`<input name="serial" class="mono serial" aria-label="${h.serial}" inputmode="numeric" maxlength="12" value="${value}" autocomplete="off"${err ? html` aria-invalid="true"` : ''}> <button type="submit" class="btn btn-secondary">${h.shipSubmit}</button>${err ? html`<p class="error">${err.text}</p>` : ''}`,
          'inline',
        )}</td></tr>`;
      })}</tbody></table></div>`
}</section>
<section class="panel"><h2>${h.shippedTitle}</h2>
<div class="body"><a class="btn btn-secondary" id="shipping-list-link" href="/admin/hardware/shipping-list">${h.listLink}</a></div>
${
  b.shipped.length === 0
    ? html`<div class="body"><p>${h.noShipped}</p></div>`
    : html`<div class="scroll"><table class="list" id="shipped">
<thead><tr><th>${h.shippedAt}</th><th>${h.customer}</th><th>${h.serial}</th><th>${h.tokenState}</th></tr></thead>
<tbody>${b.shipped.map(
        (x) =>
          html`<tr data-serial="${x.serial}"><td>${t.stamp(x.shippedAt)}</td><td><a class="mono" href="${customerHref(x.customerRef)}">${x.customerRef}</a></td><td class="mono">${x.serial}</td><td>${t.state(x.tokenState)}</td></tr>`,
      )}</tbody></table></div>`
}</section>`,
  });
}

/** 発送一覧表: one JST day's shipments, laid out for printing (print CSS hides the frame). */
export function shippingListPage(o: {
  locale: Locale;
  staff: StaffFrame;
  date: string;
  items: readonly ShipmentView[];
  error?: string;
}): Html {
  const t = o.locale.t;
  const h = t.hardware;
  return adminPage({
    locale: o.locale,
    title: h.listTitle,
    staff: o.staff,
    nav: 'shipping',
    body: html`<form method="get" action="/admin/hardware/shipping-list" class="no-print dateform" novalidate>
  <label for="f-date">${h.listDate}</label>
  <div class="searchbar"><input id="f-date" name="date" type="date" value="${o.date}"${o.error ? html` aria-invalid="true"` : ''}><button type="submit" class="btn btn-secondary">${h.listShow}</button><button type="button" class="btn" data-print>${h.print}</button></div>
  ${o.error ? html`<p class="error">${o.error}</p>` : ''}
</form>
<section class="panel print-sheet"><h2>${h.listTitle}　${h.listDate}：${o.date}　${o.staff.view.bankName}</h2>
${
  o.items.length === 0
    ? html`<div class="body"><p>${h.listEmpty}</p></div>`
    : html`<table class="list" id="shipping-list">
<thead><tr><th>No.</th><th>${h.customer}</th><th>${h.userId}</th><th>${h.serial}</th><th>${h.shippedAt}</th><th>${h.fee}</th><th>${h.tokenState}</th></tr></thead>
<tbody>${o.items.map(
        (x, i) =>
          html`<tr data-serial="${x.serial}"><td>${String(i + 1)}</td><td class="mono">${x.customerRef}</td><td class="mono">${x.userId}</td><td class="mono">${x.serial}</td><td>${t.stamp(x.shippedAt)}</td><td>${h.yen(x.feeYen)}</td><td>${t.state(x.tokenState)}</td></tr>`,
      )}</tbody></table>
<div class="body"><p>${h.count(o.items.length)}　${h.printNote}</p></div>`
}</section>`,
  });
}

/** カウンター再同期: two consecutive OTPs of the customer's HOTP fob. */
export function resyncPage(o: {
  locale: Locale;
  staff: StaffFrame;
  ref: string;
  token: TokenView | null;
  errors?: { otp?: string; form?: string };
  done?: boolean;
}): Html {
  const t = o.locale.t;
  const h = t.hardware;
  const d = t.detail;
  const e = o.errors ?? {};
  return adminPage({
    locale: o.locale,
    title: h.resyncTitle,
    staff: o.staff,
    nav: 'customers',
    body: html`<p class="lead">${h.resyncLead}</p>
${o.done ? alert('ok', h.resyncOk) : ''}${alert('error', e.form)}
<section class="panel">${kvTable([
      [d.ref, html`<span class="mono">${o.ref}</span>`],
      o.token === null
        ? null
        : [d.serial, html`<span class="mono">${o.token.serial ?? '—'}</span>`],
      o.token === null ? null : [d.state, t.state(o.token.state)],
    ])}</section>
<div class="panel"><div class="body">${postForm(
      customerHref(o.ref, '/resync'),
      o.staff.csrf,
      html`${field({ name: 'otp1', label: h.otp1, inputmode: 'numeric', maxlength: 10, className: 'code', autofocus: true, ...(e.otp ? { error: e.otp } : {}) })}
  ${field({ name: 'otp2', label: h.otp2, inputmode: 'numeric', maxlength: 10, className: 'code' })}
  <div class="actions"><button type="submit" class="btn">${h.resyncSubmit}</button><a class="btn btn-secondary" href="${customerHref(o.ref)}">${t.unlock.cancel}</a></div>`,
      'stack',
    )}</div></div>`,
  });
}
