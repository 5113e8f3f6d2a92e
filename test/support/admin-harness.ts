/**
 * The admin console (/admin) over a test platform: a bank (あおぞら銀行) with its staff, a second
 * bank for the isolation cases, and a browser of the console on Fastify `inject` that reads the
 * QR code's otpauth URI from the page and computes codes with an independent TOTP library.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import * as OTPAuth from 'otpauth';
import { expect } from 'vitest';
import { createInProcessStaffConsole } from '../../src/client/index.js';
import type { StaffRole } from '../../src/core/index.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { adminPlugin, type AdminLimits } from '../../src/web/admin/index.js';
import { createHarness, type Harness } from './harness.js';
import { csrfOf, type Browser, type Page } from './portal-browser.js';

/** The password every test staff member gets (12+ characters). */
export const STAFF_PASSWORD = 'correct-horse-7';

/** A second bank for the isolation cases. */
export const OTHER_SERVICE_ID = '20000001';

export interface AdminHarness {
  readonly h: Harness;
  /** The base URL once `listen()` ran. */
  base: string;
  listen(port?: number): Promise<string>;
  /** A staff member of あおぞら銀行 (or of `serviceId`), created as the CLI does. */
  createStaff(loginId: string, role: StaffRole, serviceId?: string): Promise<number>;
  close(): Promise<void>;
}

export async function createAdminHarness(
  o: { idleMs?: number; limits?: Partial<AdminLimits>; realClock?: boolean; policy?: unknown } = {},
): Promise<AdminHarness> {
  const h = await createHarness({
    ...(o.realClock ? { realClock: true } : {}),
    ...(o.policy === undefined ? {} : { policy: o.policy }),
  });
  await h.platform.createTenant(
    { actor: 'test', clientIp: null },
    { serviceId: OTHER_SERVICE_ID, name: 'みなと信用金庫' },
  );
  await h.app.register(
    adminPlugin({
      console: createInProcessStaffConsole(h.platform),
      sessions: h.store.staffSessions(),
      keyring: createKeyring([{ version: 1, key: randomBytes(32) }]),
      clock: h.clock,
      limits: {
        loginPerAddress: 1000,
        loginPerLoginId: 1000,
        totpPerStaff: 1000,
        resyncPerStaff: 1000,
        passwordPerStaff: 1000,
        ...o.limits,
      },
      ...(o.idleMs === undefined ? {} : { idleMs: o.idleMs }),
    }),
  );
  const ah: AdminHarness = {
    h,
    base: '',
    async listen(port = 0) {
      await h.app.listen({ port, host: '127.0.0.1' });
      ah.base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      return ah.base;
    },
    async createStaff(loginId, role, serviceId = h.serviceId) {
      const s = await h.platform.staff.create(
        { actor: 'cli', clientIp: null },
        { serviceId, loginId, name: `テスト ${loginId}`, role, password: STAFF_PASSWORD },
      );
      return s.id;
    },
    close: () => h.close(),
  };
  return ah;
}

/** Undoes the html tag's escaping of an attribute value. */
function unescapeHtml(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The otpauth:// URI of the enrolment page (the QR code's content). */
export function otpauthOf(body: string): string {
  const m = /data-otpauth="([^"]+)"/.exec(body);
  if (m?.[1] === undefined) throw new Error(`no otpauth URI in the page:\n${body.slice(0, 400)}`);
  return unescapeHtml(m[1]);
}

/** A staff member's authenticator app: the TOTP of an otpauth URI (the otpauth library). */
export interface Authenticator {
  readonly totp: OTPAuth.TOTP;
  /** The code at `now` (ms), shifted by `steps` periods. */
  code(now: number, steps?: number): string;
}

export function authenticatorOf(uri: string): Authenticator {
  const parsed = OTPAuth.URI.parse(uri);
  if (!(parsed instanceof OTPAuth.TOTP)) throw new Error('not a TOTP URI');
  return {
    totp: parsed,
    code: (now, steps = 0) => parsed.generate({ timestamp: now + steps * parsed.period * 1000 }),
  };
}

/** The login form's POST, its CSRF token read from the page as the form sends it. */
export async function postAdminLogin(
  b: Browser,
  loginId: string,
  password = STAFF_PASSWORD,
): Promise<Page> {
  const form = await b.get('/admin/login');
  expect(form.status).toBe(200);
  return b.request('POST', '/admin/login', {
    form: { _csrf: csrfOf(form.body), loginId, password },
  });
}

/** First login: password, then the enrolment page; returns the app and the page. */
export async function enrol(
  ah: AdminHarness,
  b: Browser,
  loginId: string,
): Promise<{ app: Authenticator; page: Page }> {
  const r = await postAdminLogin(b, loginId);
  expect(r.location, r.body.slice(0, 400)).toBe('/admin/login/enrol');
  const enrolPage = await b.follow(r);
  expect(enrolPage.status).toBe(200);
  const app = authenticatorOf(otpauthOf(enrolPage.body));
  const done = await b.post('/admin/login/enrol', { code: app.code(ah.h.clock.now()) });
  expect(done.location, done.body.slice(0, 600)).toBe('/admin/dashboard');
  const page = await b.follow(done);
  return { app, page };
}

/** A later login: password, then the code (the clock moved a step first, so it is unused). */
export async function loginWithCode(
  ah: AdminHarness,
  b: Browser,
  loginId: string,
  app: Authenticator,
): Promise<Page> {
  const r = await postAdminLogin(b, loginId);
  expect(r.location, r.body.slice(0, 400)).toBe('/admin/login/totp');
  await b.follow(r);
  ah.h.clock.advance(30_000);
  const done = await b.post('/admin/login/totp', { code: app.code(ah.h.clock.now()) });
  expect(done.location, done.body.slice(0, 600)).toBe('/admin/dashboard');
  return b.follow(done);
}
