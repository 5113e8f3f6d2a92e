import { createHash } from 'node:crypto';
import type { Clock, Keyring, StaffSessionStore } from '../../core/index.js';
import { randomToken } from '../shared/forms.js';

/** Where a console session stands. */
export type StaffStage =
  /** Password right, first login: the authenticator app is to be set up. */
  | 'enrol'
  /** Password right: the code from the app is to come. */
  | 'totp'
  /** Password and code right, but the password was someone else's: a new one is to be chosen. */
  | 'password'
  /** Logged in. */
  | 'full';

/** A message for the next page, by its catalogue key (drawn in the page's language). */
export type StaffNotice =
  | { readonly key: 'enrolled' | 'unlocked' | 'lifted' | 'passwordChanged' }
  | { readonly key: 'staffUnlocked'; readonly loginId: string };

/** What a console session remembers, sealed at rest. */
export interface StaffSessionData {
  /** Synchronizer token of every form of this session. */
  readonly csrf: string;
  readonly stage: StaffStage;
  readonly notice?: StaffNotice;
}

/** A loaded session. */
export interface StaffSession {
  readonly idHash: string;
  readonly staffId: number;
  readonly version: number;
  readonly data: StaffSessionData;
}

/** What the session layer is built from. */
export interface StaffSessionOptions {
  readonly store: StaffSessionStore;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** Logged out after this long without a request (ms). */
  readonly idleMs: number;
}

const COOKIE_FORM = /^[A-Za-z0-9_-]{43}$/;

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/**
 * Console sessions in the platform's database, so several servers share them. The cookie holds
 * a random ID; the database its SHA-256 and the data sealed under the master key (associated
 * data naming the row). Saves are compare-and-set on a version: of two submissions of one form,
 * one acts.
 */
export function createStaffSessions(o: StaffSessionOptions) {
  const aad = (idHash: string) => `inkan/staff-session/v1:${idHash}`;
  const seal = (idHash: string, data: StaffSessionData) =>
    o.keyring.seal(new TextEncoder().encode(JSON.stringify(data)), aad(idHash));
  const open = (idHash: string, sealed: string): StaffSessionData | null => {
    try {
      return JSON.parse(
        new TextDecoder().decode(o.keyring.unseal(sealed, aad(idHash))),
      ) as StaffSessionData;
    } catch {
      return null;
    }
  };
  let lastPurge = 0;
  return {
    idleMs: o.idleMs,
    /** A new session with a new ID: at every step of login (OWASP: no session fixation). */
    async create(
      staffId: number,
      data: Omit<StaffSessionData, 'csrf'>,
    ): Promise<{ cookie: string; session: StaffSession }> {
      const cookie = randomToken();
      const idHash = hashId(cookie);
      const now = o.clock.now();
      if (now - lastPurge > 60_000) {
        lastPurge = now;
        await o.store.purgeStaffSessions(now - o.idleMs);
      }
      const full: StaffSessionData = { ...data, csrf: randomToken() };
      await o.store.createStaffSession({
        idHash,
        staffId,
        data: seal(idHash, full),
        createdAt: now,
        lastSeenAt: now,
      });
      return { cookie, session: { idHash, staffId, version: 1, data: full } };
    },
    /** The session of a cookie; `expired` (and removed) when idle too long. */
    async load(
      cookie: string | undefined,
    ): Promise<StaffSession | { expired: true; staffId: number } | null> {
      if (cookie === undefined || !COOKIE_FORM.test(cookie)) return null;
      const idHash = hashId(cookie);
      const row = await o.store.getStaffSession(idHash);
      if (row === null) return null;
      const now = o.clock.now();
      if (now - row.lastSeenAt > o.idleMs) {
        await o.store.deleteStaffSession(idHash);
        return { expired: true, staffId: row.staffId };
      }
      const data = open(idHash, row.data);
      if (data === null) return null;
      await o.store.touchStaffSession(idHash, now);
      return { idHash, staffId: row.staffId, version: row.version, data };
    },
    /** Saves new data unless another request saved first (then null: this one must not act). */
    async save(s: StaffSession, data: StaffSessionData): Promise<StaffSession | null> {
      const ok = await o.store.saveStaffSession(
        s.idHash,
        s.version,
        seal(s.idHash, data),
        o.clock.now(),
      );
      return ok ? { ...s, version: s.version + 1, data } : null;
    },
    async destroy(s: { idHash: string }): Promise<void> {
      await o.store.deleteStaffSession(s.idHash);
    },
  };
}

/** The session layer. */
export type StaffSessions = ReturnType<typeof createStaffSessions>;
