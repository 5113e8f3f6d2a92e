import type { PasskeyView } from '../../../client/index.js';
import { html, type Html } from '../../shared/html.js';
import type { Locale } from '../i18n/locale.js';
import { customerHref, type StaffFrame } from './customers.js';
import { adminPage, alert, field, postForm } from './layout.js';

/**
 * 生体認証ログインの登録端末 of one customer: name, registered, last used, whether it came from
 * the OTP phone; 解除 with a reason (a lost phone reported by telephone).
 */
export function passkeysPage(o: {
  locale: Locale;
  staff: StaffFrame;
  ref: string;
  passkeys: readonly PasskeyView[];
  notice?: string;
  error?: string;
  reason?: string;
}): Html {
  const t = o.locale.t;
  const x = t.passkeys;
  return adminPage({
    locale: o.locale,
    title: x.title,
    staff: o.staff,
    nav: 'customers',
    body: html`${alert('ok', o.notice)}
      <p>
        <a href="${customerHref(o.ref)}">← ${x.back}</a>
        <span class="mono" id="customer-ref">${o.ref}</span>
      </p>
      <p class="lead">${x.lead}</p>
      <section class="panel">
        <h2>${x.title}</h2>
        ${
          o.passkeys.length === 0
            ? html`<div class="body"><p id="passkeys-none">${x.none}</p></div>`
            : html`<div class="body">
                ${postForm(
                  customerHref(o.ref, '/passkeys/remove'),
                  o.staff.csrf,
                  html`<div class="scroll">
                      <table class="list" id="passkeys">
                        <thead>
                          <tr>
                            <th>${x.device}</th>
                            <th>${x.registered}</th>
                            <th>${x.lastUsed}</th>
                            <th>${x.fromToken}</th>
                            <th></th>
                          </tr>
                        </thead>
                        <tbody>
                          ${o.passkeys.map(
                            (p) =>
                              html`<tr data-passkey="${String(p.id)}">
                                <td>${p.deviceName}</td>
                                <td>${t.stamp(p.createdAt)}</td>
                                <td>${p.lastUsedAt === null ? x.never : t.stamp(p.lastUsedAt)}</td>
                                <td>${p.boundToToken ? x.yes : x.no}</td>
                                <td>
                                  <button
                                    type="submit"
                                    class="btn btn-danger"
                                    name="id"
                                    value="${String(p.id)}"
                                  >
                                    ${x.remove}
                                  </button>
                                </td>
                              </tr>`,
                          )}
                        </tbody>
                      </table>
                    </div>
                    ${field({ name: 'reason', label: x.reason, hint: x.reasonHint, value: o.reason ?? '', textarea: true, maxlength: 200, ...(o.error ? { error: o.error } : {}) })}`,
                  'stack',
                )}
              </div>`
        }
      </section>`,
  });
}
