import { InkanError } from '../core/index.js';

/** Where a command writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

/** Exit codes: 0 done, 1 failure, 2 bad input. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Reports an error in words (or as one JSON object with --json) and returns the exit code. */
export function reportError(io: Io, e: unknown, json: boolean): number {
  if (e instanceof InkanError) {
    const errors = (e.extra['errors'] as { field: string; message: string }[] | undefined) ?? [];
    if (json) io.out(JSON.stringify({ error: e.code, message: e.message, ...e.extra }));
    else
      io.err(
        `error: ${e.message} (${e.code})${errors.map((x) => `\n  ${x.field}: ${x.message}`).join('')}` +
          (typeof e.extra['reason'] === 'string' ? `\n  ${e.extra['reason']}` : '') +
          (Array.isArray(e.extra['serials'])
            ? `\n  serials: ${(e.extra['serials'] as string[]).join(', ')}`
            : ''),
      );
    return e.status < 500 && e.code !== 'NOT_FOUND' && e.status !== 409 ? EXIT.usage : EXIT.failure;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (json) io.out(JSON.stringify({ error: 'FAILED', message }));
  else io.err(`error: ${message}`);
  return EXIT.failure;
}
