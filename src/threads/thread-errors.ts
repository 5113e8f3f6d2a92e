import { InkanError, isInkanError, type ErrorCode } from '../core/index.js';

/**
 * An error as it crosses between threads: a refusal (an InkanError, whose code and public members
 * survive the copy) or an unexpected failure (its message and stack, for the log).
 */
export type ThreadError =
  | { readonly refused: { readonly code: ErrorCode; readonly extra: Record<string, unknown> } }
  | { readonly failed: { readonly message: string; readonly stack?: string } };

/** What a worker sends for an error it caught. */
export function toThreadError(e: unknown): ThreadError {
  if (isInkanError(e)) return { refused: { code: e.code, extra: { ...e.extra } } };
  return {
    failed: {
      message: e instanceof Error ? e.message : String(e),
      ...(e instanceof Error && e.stack !== undefined ? { stack: e.stack } : {}),
    },
  };
}

/** The error a caller on the other side gets: the same refusal, or INTERNAL with the cause. */
export function fromThreadError(t: ThreadError): InkanError {
  if ('refused' in t) return new InkanError(t.refused.code, t.refused.extra);
  const cause = new Error(t.failed.message);
  if (t.failed.stack !== undefined) cause.stack = t.failed.stack;
  return new InkanError('INTERNAL', {}, { cause });
}
