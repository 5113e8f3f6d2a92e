/**
 * A browser of the bank portal for HTTP-level tests: Fastify `inject` with a cookie jar, each
 * form's CSRF token read from the page as a browser's form would send it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ProvisionedToken } from './harness.js';
import type { SATO, YAMADA } from './portal-harness.js';

export type Who = typeof YAMADA | typeof SATO;
export type Form = Record<string, string | readonly string[]>;

/** What a screen answered. */
export interface Page {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
  readonly res: LightMyRequestResponse;
}

/** The `_csrf` hidden field of a page (every form of a page carries the same one). */
export function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (m?.[1] === undefined) throw new Error(`no _csrf field in the page:\n${body.slice(0, 500)}`);
  return m[1];
}

/** The error message drawn next to a form field, or null when the field has none. */
export function fieldError(body: string, name: string): string | null {
  const m = new RegExp(`<p class="error" id="f-${name}-err"[^>]*>([^<]*)</p>`).exec(body);
  return m?.[1] ?? null;
}

/** The value attribute of a form input. */
export function inputValue(body: string, name: string): string | null {
  const m = new RegExp(`<input id="f-${name}" name="${name}"[^>]*?\\svalue="([^"]*)"`).exec(body);
  return m?.[1] ?? null;
}

/** A cell of the done screen's トークン情報 (`service-id`, `user-id`). */
export function cell(body: string, id: string): string {
  const m = new RegExp(`<td id="${id}">([^<]*)</td>`).exec(body);
  if (m?.[1] === undefined) throw new Error(`no #${id} in the page`);
  return m[1];
}

/** A wrong OTP: the current one with its last digit changed. */
export function wrongOtp(t: ProvisionedToken): string {
  const otp = t.otp();
  return otp.slice(0, -1) + String((Number(otp.slice(-1)) + 1) % 10);
}

/** A browser of one customer: a cookie jar, and the session's CSRF token once a page showed it. */
export class Browser {
  readonly jar = new Map<string, string>();
  csrf = '';
  constructor(private readonly app: FastifyInstance) {}

  async request(
    method: 'GET' | 'POST',
    url: string,
    o: { form?: Form; payload?: string | Buffer; contentType?: string } = {},
  ): Promise<Page> {
    let payload: string | Buffer | undefined = o.payload;
    let contentType = o.contentType;
    if (o.form !== undefined) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(o.form)) {
        for (const one of typeof v === 'string' ? [v] : v) p.append(k, one);
      }
      payload = p.toString();
      contentType ??= 'application/x-www-form-urlencoded';
    }
    const res = await this.app.inject({
      method,
      url,
      headers: {
        ...(this.jar.size > 0
          ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') }
          : {}),
        ...(contentType === undefined ? {} : { 'content-type': contentType }),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      const cleared =
        c.value === '' || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (cleared) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    const body = res.body;
    const m = /name="_csrf" value="([^"]+)"/.exec(body);
    if (m?.[1] !== undefined && !url.startsWith('/ib/login?') && url !== '/ib/login')
      this.csrf = m[1];
    const location = res.headers['location'];
    return {
      status: res.statusCode,
      location: typeof location === 'string' ? location : undefined,
      body,
      res,
    };
  }

  get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  /** A form POST with the session's CSRF token (unless the form brings its own). */
  post(url: string, form: Form = {}): Promise<Page> {
    return this.request('POST', url, { form: { _csrf: this.csrf, ...form } });
  }

  /** Follows a 303 and returns the page it leads to. */
  async follow(p: Page): Promise<Page> {
    expect(p.status, p.body.slice(0, 300)).toBe(303);
    if (p.location === undefined) throw new Error('no location');
    return this.get(p.location);
  }
}

/** The login form's POST (its token from the page, as the form sends it). */
export async function postLogin(
  b: Browser,
  who: { loginId: string; password: string },
  extra: Form = {},
): Promise<Page> {
  const form = await b.get('/ib/login');
  expect(form.status).toBe(200);
  return b.request('POST', '/ib/login', {
    form: {
      _csrf: csrfOf(form.body),
      loginId: who.loginId,
      password: who.password,
      appOtp: '',
      ...extra,
    },
  });
}

/** Logs in with ID and password and opens the page the login leads to (its CSRF token kept). */
export async function login(b: Browser, who: Who, extra: Form = {}): Promise<Page> {
  const r = await postLogin(b, who, extra);
  expect(r.status, r.body.slice(0, 500)).toBe(303);
  const next = await b.follow(r);
  expect(next.status).toBe(200);
  return next;
}
