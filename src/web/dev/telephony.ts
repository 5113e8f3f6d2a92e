import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMO_CUSTOMERS } from '../../bank/demo-bank.js';
import { InkanError } from '../../core/index.js';
import { html, unsafeRaw, type Html, type HtmlValue } from '../shared/html.js';
import {
  formatJapanesePhone,
  normalizeJapanesePhone,
  toE164Japan,
} from '../shared/phone-number.js';
import { signTelephonyRequest, TELEPHONY_SIGNATURE_HEADER } from '../shared/telephony-signature.js';
import { fromLoopback } from './mailbox.js';

/** What the simulator needs: the provider's secret and where its webhook is. */
export interface DevTelephonyOptions {
  /** The auth token the portal checks the webhook's signature with. */
  readonly authToken: string;
  /** The webhook's full URL: the portal's public URL and /ib/webhooks/telephony/inbound. */
  readonly webhookUrl: string;
  /** 認証先電話番号, the 発信先 the form starts with. */
  readonly calledNumber: string;
  /** The clock the signed Timestamp is read from (the portal's). */
  readonly clock: { now(): number };
}

const STYLE = `
body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; color: #2b2522; background: #fbf7f2; }
header { padding: 1rem 1.5rem; border-bottom: 3px solid #c0392b; background: #fff; }
h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
h2 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.note { margin: 0; color: #6b5e57; font-size: .9rem; }
main { padding: 1rem 1.5rem; max-width: 50rem; }
form { background: #fff; border: 1px solid #e2d8cf; border-radius: 6px; padding: 1rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .25rem; }
input[type=tel] { font: inherit; font-size: 1.2rem; padding: .4rem .5rem; width: 16em; max-width: 100%; }
.hint { color: #6b5e57; font-size: .85rem; margin: .25rem 0 0; }
button { font: inherit; font-weight: 700; margin-top: 1rem; padding: .6rem 2rem; background: #c0392b; color: #fff; border: 0; border-radius: 6px; cursor: pointer; }
.result { background: #fff; border: 1px solid #e2d8cf; border-radius: 6px; padding: .75rem 1rem; }
.result dl { display: grid; grid-template-columns: 9em 1fr; gap: .2rem .75rem; margin: 0 0 .5rem; }
.result dd { margin: 0; overflow-wrap: anywhere; }
.result pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #fdfbf8; border-top: 1px dashed #e2d8cf; margin: 0; padding: .75rem 0 0; }
.error { color: #b42318; font-weight: 600; }
`;

const NOTE =
  '電話番号認証の電話会社（テレフォニー事業者）の代わりに、着信の Webhook を署名付きで送ります。' +
  '本番環境では INKAN_TELEPHONY_AUTH_TOKEN を設定し、このページは表示されません。' +
  'このページはこのコンピュータからのアクセスにだけ表示されます。';

/** No script; only its own inline style (by hash); forms only to itself. */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** What a simulated call got back from the webhook. */
interface CallResult {
  readonly from: string;
  readonly to: string;
  readonly status: number | null;
  readonly body: string;
  readonly error?: string;
}

function page(o: {
  token: string;
  from: string;
  to: string;
  result?: CallResult;
  error?: string;
}): Html {
  const demo = DEMO_CUSTOMERS.map((c) => `${c.name} ${formatJapanesePhone(c.phone)}`).join('、');
  const r = o.result;
  const content: HtmlValue = html` <form method="post" action="/dev/telephony">
      <input type="hidden" name="_token" value="${o.token}" />
      <label for="from">発信元電話番号</label>
      <input id="from" name="from" type="tel" value="${o.from}" autocomplete="off" required />
      <p class="hint">
        お客さまのお届出電話番号から掛けたことにします（デモのお客さま: ${demo}）。
      </p>
      <label for="to">発信先</label>
      <input id="to" name="to" type="tel" value="${o.to}" autocomplete="off" required />
      <p class="hint">認証先電話番号</p>
      ${o.error ? html`<p class="error" role="alert">${o.error}</p>` : ''}
      <button type="submit">発信する</button>
    </form>
    ${
      r === undefined
        ? ''
        : html`<h2>発信結果</h2>
            <section class="result" id="call-result">
              <dl>
                <dt>発信元</dt>
                <dd>${r.from}</dd>
                <dt>発信先</dt>
                <dd>${r.to}</dd>
                <dt>Webhook の応答</dt>
                <dd id="call-status">
                  ${r.status === null ? '接続できませんでした' : String(r.status)}
                </dd>
              </dl>
              ${r.error ? html`<p class="error">${r.error}</p>` : ''}
              <pre id="call-answer">${r.body}</pre>
            </section>`
    }`;
  return html`<!doctype html>
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>開発用電話シミュレーター</title>
        ${unsafeRaw(`<style>${STYLE}</style>`)}
      </head>
      <body>
        <header>
          <h1>開発用電話シミュレーター</h1>
          <p class="note">${NOTE}</p>
        </header>
        <main>${content}</main>
      </body>
    </html> `;
}

/**
 * Loopback by the socket (as /dev/mail), and addressed by a loopback name: a page elsewhere that
 * rebinds its DNS name to 127.0.0.1 reaches this server with its own name in Host.
 */
function allowed(req: FastifyRequest): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return fromLoopback(req) && /^(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?$/.test(host);
}

function send(reply: FastifyReply, p: Html): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(p.value);
}

/** A form field of the raw urlencoded body. */
function fieldOf(body: unknown, name: string): string {
  return new URLSearchParams(typeof body === 'string' ? body : '').get(name) ?? '';
}

/**
 * The development stand-in for the telephony provider (SPEC.md, "Messages": a dev simulator
 * stands in for the provider): `/dev/telephony`, only when no provider is configured and only
 * from this machine. 「発信する」 signs the call's parameters with the same secret, as the provider
 * would, and POSTs them to the webhook over HTTP, so the portal's real verification runs; the
 * webhook's answer (TwiML) is shown.
 */
export function devTelephonyPlugin(o: DevTelephonyOptions) {
  // The form's token: another site's page can make the browser post here, but cannot read it.
  const formToken = randomBytes(32).toString('base64url');
  return async function devTelephony(app: FastifyInstance): Promise<void> {
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 4 * 1024 },
        (_req, body, done) => done(null, body),
      );

      scope.get('/dev/telephony', async (req, reply) => {
        if (!allowed(req)) throw new InkanError('NOT_FOUND');
        return send(reply, page({ token: formToken, from: '', to: o.calledNumber }));
      });

      scope.post('/dev/telephony', async (req, reply) => {
        if (!allowed(req)) throw new InkanError('NOT_FOUND');
        if (fieldOf(req.body, '_token') !== formToken) throw new InkanError('NOT_FOUND');
        const from = fieldOf(req.body, 'from').trim().slice(0, 40);
        const to = fieldOf(req.body, 'to').trim().slice(0, 40);
        if (from === '' || to === '') {
          return send(
            reply.status(400),
            page({
              token: formToken,
              from,
              to,
              error: '発信元電話番号と発信先を入力してください。',
            }),
          );
        }
        // As a provider reports them: E.164 when the number is a Japanese one, else as typed
        // (a caller ID the portal cannot use, e.g. "anonymous").
        const e164 = (n: string) => {
          const d = normalizeJapanesePhone(n);
          return d === null ? n : toE164Japan(d);
        };
        const params: [string, string][] = [
          ['AccountSid', 'ACdev0000000000000000000000000000'],
          ['ApiVersion', '2010-04-01'],
          ['CallSid', `CA${randomBytes(16).toString('hex')}`],
          ['CallStatus', 'ringing'],
          ['Called', e164(to)],
          ['Caller', e164(from)],
          ['Direction', 'inbound'],
          ['From', e164(from)],
          ['Timestamp', String(Math.floor(o.clock.now() / 1000))],
          ['To', e164(to)],
        ];
        let result: CallResult;
        try {
          const res = await fetch(o.webhookUrl, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              [TELEPHONY_SIGNATURE_HEADER]: signTelephonyRequest(o.authToken, o.webhookUrl, params),
            },
            body: new URLSearchParams(params).toString(),
            redirect: 'manual',
            signal: AbortSignal.timeout(5_000),
          });
          result = { from, to, status: res.status, body: (await res.text()).slice(0, 4_000) };
        } catch (e) {
          result = {
            from,
            to,
            status: null,
            body: '',
            error: `${o.webhookUrl} に接続できませんでした（${e instanceof Error ? e.message : String(e)}）。INKAN_PUBLIC_URL を確認してください。`,
          };
        }
        return send(reply, page({ token: formToken, from, to, result }));
      });
    });
  };
}
