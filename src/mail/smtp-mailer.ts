import { createTransport } from 'nodemailer';
import type { Mailer, MailMessage } from '../core/index.js';

/** Where and as whom mail is sent. */
export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:port` (STARTTLS when offered) or `smtps://…` (TLS from the start). */
  readonly url: string;
  /** The From header, e.g. `"Inkan OTP" <no-reply@otp-auth.localhost>`. */
  readonly from: string;
  /** How long to wait for the server before giving up (ms); a mail is never worth a hung request. */
  readonly timeoutMs?: number;
}

/** An SMTP mailer that can also let go of its connections. */
export interface SmtpMailer extends Mailer {
  close(): void;
}

/**
 * Sends each mail by SMTP (SPEC.md, "Messages"). Nodemailer's own logging stays off: a mail's
 * body (IDs, a メール通知パスワード) must never reach a log. The URL is never echoed either: it may
 * hold the SMTP password.
 */
export function createSmtpMailer(o: SmtpMailerOptions): SmtpMailer {
  if (!/^smtps?:\/\//i.test(o.url))
    throw new Error('INKAN_SMTP_URL must start with smtp:// or smtps://');
  const timeout = o.timeoutMs ?? 15_000;
  const transport = createTransport(
    {
      url: o.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
      logger: false,
      debug: false,
    },
    { from: o.from },
  );
  return {
    async send(m: MailMessage): Promise<void> {
      await transport.sendMail({
        to: m.to,
        subject: m.subject,
        text: m.text,
        // The template's name, for the bank's mail logs and filters: never its content.
        headers: { 'X-Inkan-Mail-Kind': m.kind },
      });
    },
    close() {
      transport.close();
    },
  };
}
