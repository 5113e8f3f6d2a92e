import type { Mailer, MailMessage, TenantRecord } from '../core/index.js';
import { renderTokenIssuedMail } from '../mail/index.js';
import { auditEvent, type ServiceDeps } from './deps.js';

/** The platform's own mails, sent after the change they tell of has committed. */
export interface MailNotices {
  /**
   * トークン発行のご案内 (guide 001, 手順6: 「登録した携帯電話メールアドレス宛に「トークン発行のご案内」の
   * メールが送信されます」). Returns at once: the issuance's answer never waits for the mail.
   */
  tokenIssued(n: {
    tenant: TenantRecord;
    customerRef: string;
    tokenId: number;
    email: string;
    userId: string;
    expiresAt: number;
  }): void;
  /** Resolves once every mail under way has been handed over or has failed (tests, shutdown). */
  flush(): Promise<void>;
}

/** What the notices are built from. */
export interface MailNoticesOptions {
  readonly mailer: Mailer;
  /** The base URL of this server as customers reach it; the token app is at `/app/` under it. */
  readonly publicUrl: string;
  readonly onError: (e: unknown) => void;
}

/** An SMTP error's code (`ECONNECTION`, `EAUTH`…) and nothing else: its text may quote an address. */
function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? code : 'unknown';
}

/**
 * Best effort (SPEC.md, "Messages"): a mail that cannot be sent neither undoes nor fails what
 * it tells of. The failure goes to `onError` and into the audit trail with the mail's kind and
 * the error's code, never its address or content.
 */
export function createMailNotices(deps: ServiceDeps, o: MailNoticesOptions): MailNotices {
  const pending = new Set<Promise<void>>();
  const appUrl = new URL('/app/', o.publicUrl).toString();

  function deliver(
    m: MailMessage,
    about: { serviceId: string; customerRef: string; tokenId: number },
  ): void {
    const p = o.mailer.send(m).catch(async (e: unknown) => {
      const code = errorCode(e);
      o.onError(new Error(`mail ${m.kind} for token ${about.tokenId} not sent (${code})`));
      try {
        await deps.store.appendAudit(
          auditEvent(
            deps,
            { actor: 'system', clientIp: null, serviceId: about.serviceId },
            {
              action: 'mail.failed',
              customerRef: about.customerRef,
              tokenId: about.tokenId,
              result: code,
              detail: { kind: m.kind },
            },
          ),
        );
        deps.auditWritten();
      } catch (auditError) {
        o.onError(auditError);
      }
    });
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }

  return {
    tokenIssued(n) {
      const content = renderTokenIssuedMail({
        bankName: n.tenant.name,
        serviceId: n.tenant.serviceId,
        userId: n.userId,
        appUrl,
        expiresAt: n.expiresAt,
      });
      deliver(
        { to: n.email, ...content },
        { serviceId: n.tenant.serviceId, customerRef: n.customerRef, tokenId: n.tokenId },
      );
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
