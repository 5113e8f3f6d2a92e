import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of Inkan: its compiled `.js` next to the caller; when Inkan
 * runs from its TypeScript sources (tests, `tsx`), the worker first registers tsx's loader to read
 * the `.ts`. `entry` is the module's path relative to `from` (the caller's `import.meta.url`),
 * without extension.
 */
export function startModuleWorker(from: string, entry: string, workerData: unknown): Worker {
  const fromSource = from.endsWith('.ts');
  const url = new URL(`${entry}.${fromSource ? 'ts' : 'js'}`, from);
  if (!fromSource) return new Worker(url, { workerData });
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
