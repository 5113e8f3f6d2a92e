import { createHash, randomBytes } from 'node:crypto';
import type { Clock, Keyring } from '../../core/index.js';
import type { BankStore } from '../../bank/bank-store.js';
import type { Flow } from './flows.js';
import type { Notice } from './i18n/locale.js';
import type { MailOtpState } from './mail-otp.js';

/** 10 minutes without a request log the customer out (the guides); `inkan serve` uses this. */
export const PORTAL_IDLE_MS = 10 * 60_000;

/** What a portal session remembers, sealed at rest. */
export interface SessionData {
  /** Synchronizer token of every form of this session. */
  readonly csrf: string;
  /** `otp`: ID and password were right, the OTP is still to come; `full`: logged in. */
  readonly stage: 'otp' | 'full';
  /** The procedure under way (one at a time, its steps in order). */
  readonly flow?: Flow;
  /** The メール通知パスワード sent in this session (valid until logout or a newer one). */
  readonly mailOtp?: MailOtpState;
  /** A message for the next page (e.g. 利用開始 done through the app), by its catalogue key. */
  readonly notice?: Notice;
}

/** A loaded session. */
export interface PortalSession {
  readonly idHash: string;
  readonly customerId: number;
  readonly version: number;
  readonly data: SessionData;
  readonly createdAt: number;
}

/** The session layer's options. */
export interface SessionOptions {
  readonly store: BankStore;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** Logged out after this long without a request (ms). */
  readonly idleMs: number;
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/** A random token for cookies and forms: 256 bits, base64url. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Internet-banking sessions kept in the bank's database, so several servers share them. The
 * cookie holds a random ID; the database holds only its SHA-256 and the data sealed under the
 * master key (a flow may hold the 利用開始パスワード between its input and confirm screens).
 */
export function createSessions(o: SessionOptions) {
  const aad = (idHash: string) => `bank-session:${idHash}`;
  const seal = (idHash: string, data: SessionData) =>
    o.keyring.seal(new TextEncoder().encode(JSON.stringify(data)), aad(idHash));
  const open = (idHash: string, sealed: string): SessionData | null => {
    try {
      return JSON.parse(new TextDecoder().decode(o.keyring.unseal(sealed, aad(idHash))));
    } catch {
      return null;
    }
  };
  return {
    idleMs: o.idleMs,
    /** A new session with a new ID (at login: never reuse an ID from before, OWASP session fixation). */
    async create(
      customerId: number,
      data: Omit<SessionData, 'csrf'>,
    ): Promise<{ cookie: string; session: PortalSession }> {
      const cookie = randomToken();
      const idHash = hashId(cookie);
      const now = o.clock.now();
      const full: SessionData = { ...data, csrf: randomToken() };
      await o.store.createSession({
        idHash,
        customerId,
        data: seal(idHash, full),
        createdAt: now,
        lastSeenAt: now,
      });
      return { cookie, session: { idHash, customerId, version: 1, data: full, createdAt: now } };
    },
    /** The session of a cookie; `expired` when idle too long (and then removed). */
    async load(cookie: string | undefined): Promise<PortalSession | 'expired' | null> {
      if (cookie === undefined || !/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null;
      const idHash = hashId(cookie);
      const row = await o.store.session(idHash);
      if (row === null) return null;
      const now = o.clock.now();
      if (now - row.lastSeenAt > o.idleMs) {
        await o.store.deleteSession(idHash);
        return 'expired';
      }
      const data = open(idHash, row.data);
      if (data === null) return null;
      await o.store.touchSession(idHash, now);
      return {
        idHash,
        customerId: row.customerId,
        version: row.version,
        data,
        createdAt: row.createdAt,
      };
    },
    /**
     * Saves new data if the session was not saved by another request meanwhile; false means
     * another request won (a double submission) and this one must not act.
     */
    async save(s: PortalSession, data: SessionData): Promise<PortalSession | null> {
      const ok = await o.store.saveSession(
        s.idHash,
        s.version,
        seal(s.idHash, data),
        o.clock.now(),
      );
      return ok ? { ...s, version: s.version + 1, data } : null;
    },
    async destroy(s: PortalSession): Promise<void> {
      await o.store.deleteSession(s.idHash);
    },
  };
}

/** The session layer. */
export type Sessions = ReturnType<typeof createSessions>;
