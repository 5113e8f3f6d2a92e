import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  formatJstDateTime,
  InkanError,
  type MailOutboxReader,
  type OutboxMail,
} from '../../core/index.js';
import { html, unsafeRaw, type Html, type HtmlValue } from '../shared/html.js';

/** How many mails the list shows. */
const LIST_LIMIT = 100;

const STYLE = `
body { font-family: system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; margin: 0; color: #2b2522; background: #fbf7f2; }
header { padding: 1rem 1.5rem; border-bottom: 3px solid #c0392b; background: #fff; }
h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
.note { margin: 0; color: #6b5e57; font-size: .9rem; }
main { padding: 1rem 1.5rem; max-width: 60rem; }
.mail { background: #fff; border: 1px solid #e2d8cf; border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem; }
.mail dl { display: grid; grid-template-columns: 6em 1fr; gap: .2rem .75rem; margin: 0 0 .5rem; }
.mail dt { color: #6b5e57; }
.mail dd { margin: 0; overflow-wrap: anywhere; }
.mail pre { white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; background: #fdfbf8; border-top: 1px dashed #e2d8cf; margin: 0; padding: .75rem 0 0; }
`;

/** The page's words, kept out of the markup so that formatting can never split them. */
const NOTE =
  'SMTP が設定されていないため、Inkan のメールは送信されずにここに保存されています。' +
  '本番環境では INKAN_SMTP_URL を設定し、メールは SMTP で送信されます。' +
  'このページはこのコンピュータからのアクセスにだけ表示されます。';

/**
 * The page runs no script and loads nothing: only its own inline style, named by the hash of
 * exactly the text between <style> and </style>. A hostile address or subject escaped wrong would
 * still find no script it could run.
 */
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A mail's text with its http(s) URLs as links, so the flow can be walked from the page. */
function bodyWithLinks(text: string): HtmlValue[] {
  const parts: HtmlValue[] = [];
  let last = 0;
  for (const m of text.matchAll(/https?:\/\/[^\s<>"'「」（）]+/g)) {
    parts.push(text.slice(last, m.index));
    parts.push(html`<a href="${m[0]}" rel="noreferrer">${m[0]}</a>`);
    last = m.index + m[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

function mailArticle(m: OutboxMail): Html {
  return html`<article class="mail" id="mail-${m.id}">
    <dl>
      <dt>送信日時</dt>
      <dd>${formatJstDateTime(m.createdAt, { seconds: true })}</dd>
      <dt>宛先</dt>
      <dd>${m.to}</dd>
      <dt>件名</dt>
      <dd><a href="/dev/mail/${m.id}">${m.subject}</a></dd>
      <dt>種類</dt>
      <dd>${m.kind}</dd>
    </dl>
    <pre>${bodyWithLinks(m.text)}</pre>
  </article>`;
}

function page(title: string, content: HtmlValue): Html {
  return html`<!doctype html>
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        ${unsafeRaw(`<style>${STYLE}</style>`)}
      </head>
      <body>
        <header>
          <h1>開発用メールボックス</h1>
          <p class="note">${NOTE}</p>
        </header>
        <main>${content}</main>
      </body>
    </html> `;
}

/** The list, newest first, each mail in full. */
export function renderMailboxPage(mails: readonly OutboxMail[]): Html {
  return page(
    '開発用メールボックス',
    mails.length === 0
      ? html`<p>まだメールはありません。</p>`
      : html`<p>${mails.length} 通（新しい順、最大 ${LIST_LIMIT} 通）</p>
          ${mails.map(mailArticle)}`,
  );
}

/** One mail. */
export function renderMailPage(mail: OutboxMail): Html {
  return page(
    `${mail.subject} - 開発用メールボックス`,
    html`<p><a href="/dev/mail">一覧へ戻る</a></p>
      ${mailArticle(mail)}`,
  );
}

/**
 * Only this machine may read the outbox: it holds メール通知パスワード and ユーザID. The socket's own
 * address, not X-Forwarded-For, which a client can write; and nothing that came through a proxy,
 * since a proxy on this machine connects from the loopback on behalf of anyone.
 */
export function fromLoopback(req: FastifyRequest): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined) {
    return false;
  }
  const a = req.socket.remoteAddress ?? '';
  return a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}

function send(reply: FastifyReply, page: Html): FastifyReply {
  return reply
    .header('content-security-policy', CSP)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(page.value);
}

/**
 * The dev console's mailbox (SPEC.md, "Messages": with no SMTP configured, mails land in an outbox
 * that the dev console shows): `/dev/mail` and `/dev/mail/:id`, for requests from this machine.
 */
export function registerDevMailbox(app: FastifyInstance, outbox: MailOutboxReader): void {
  app.get('/dev/mail', async (req, reply) => {
    if (!fromLoopback(req)) throw new InkanError('NOT_FOUND');
    return send(reply, renderMailboxPage(await outbox.list(LIST_LIMIT)));
  });
  app.get<{ Params: { id: string } }>('/dev/mail/:id', async (req, reply) => {
    if (!fromLoopback(req) || !/^[1-9][0-9]{0,14}$/.test(req.params.id)) {
      throw new InkanError('NOT_FOUND');
    }
    const mail = await outbox.get(Number(req.params.id));
    if (mail === null) throw new InkanError('NOT_FOUND');
    return send(reply, renderMailPage(mail));
  });
}
