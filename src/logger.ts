import pino, { type Logger } from 'pino';

/** Log redaction: no secret, password or OTP ever reaches a log line (SPEC.md, "Security floor"). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  '*.otp',
  '*.activationPassword',
  '*.apiKey',
  '*.password',
  '*.secret',
];

/** A pino logger that never writes a secret, password or OTP. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
