import type { Clock, Mailer, MailMessage, MailOutbox } from '../core/index.js';

/**
 * Development without SMTP (SPEC.md, "Messages"): every mail is kept in the outbox, where the dev
 * console's /dev/mail shows it, instead of being sent.
 */
export function createOutboxMailer(outbox: MailOutbox, clock: Clock): Mailer {
  return {
    async send(m: MailMessage): Promise<void> {
      await outbox.add(m, clock.now());
    },
  };
}
