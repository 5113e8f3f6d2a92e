import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A module of Inkan beside `from` (the caller's `import.meta.url`), by its path without extension:
 * its compiled `.js`, or its `.ts` when Inkan runs from its TypeScript sources (tests, `tsx`).
 */
export function moduleBeside(from: string, entry: string): URL {
  return new URL(`${entry}.${from.endsWith('.ts') ? 'ts' : 'js'}`, from);
}

/**
 * Starts a worker thread on a module (see `moduleBeside`). A `.ts` module runs under tsx: the
 * worker first registers tsx's loader to read it.
 */
export function startModuleWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const tsx = new URL(
    './dist/esm/api/index.mjs',
    pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json')),
  );
  const boot = `
    const { workerData } = require('node:worker_threads');
    import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });
  `;
  return new Worker(boot, {
    eval: true,
    workerData: { ...(workerData as object), tsx: tsx.href, entry: url.href },
  });
}
