export { createSmtpMailer, type SmtpMailer, type SmtpMailerOptions } from './smtp-mailer.js';
export { createOutboxMailer } from './outbox-mailer.js';
export * from './templates.js';
