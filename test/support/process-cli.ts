/**
 * Runs the real `inkan` program (`node bin/inkan.js …`, the compiled dist/) as a child process,
 * the way an operator does: its own environment, its own working folder, stdout and stderr kept
 * apart (SPEC.md, CLI: `--json` prints one JSON object and nothing else on stdout).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The checkout's root folder. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI entry of package.json's `bin`. */
export const INKAN_BIN = fileURLToPath(new URL('../../bin/inkan.js', import.meta.url));

/** Fails loudly when dist/ was never built: bin/inkan.js runs the compiled code, not src/. */
export function assertBuilt(): void {
  if (!existsSync(fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url)))) {
    throw new Error(
      'dist/ is missing: run `npm run build` (or `npm test`, which builds first) before the process suites',
    );
  }
}

/** The variables Inkan reads; the parent's values never leak into a child by accident. */
const INKAN_VARIABLES = [
  'DATABASE_URL',
  'INKAN_MASTER_KEY',
  'INKAN_MASTER_KEY_FILE',
  'INKAN_DATA_DIR',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'INKAN_TRUST_PROXY',
  'INKAN_RATE_LIMIT_ALLOW',
];

/** The parent's environment without any Inkan variable, plus `extra` (undefined removes). */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of INKAN_VARIABLES) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A value for INKAN_MASTER_KEY: base64 of 32 random bytes. */
export function newMasterKey(): string {
  return randomBytes(32).toString('base64');
}

/** How a CLI run ended. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `inkan <args>` to its end (killed after `timeoutMs`, which fails the run); `stdin` is piped in. */
export function runCli(
  args: readonly string[],
  o: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; stdin?: string } = {},
): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [INKAN_BIN, ...args], {
      env: o.env ?? childEnv(),
      cwd: o.cwd ?? REPO_ROOT,
      stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    if (o.stdin !== undefined) child.stdin?.end(o.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `inkan ${args.join(' ')} did not finish in ${o.timeoutMs ?? 20_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, o.timeoutMs ?? 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses stdout that must be exactly one JSON object (and nothing else, bar the final newline). */
export function parseOneJsonObject(stdout: string): Record<string, unknown> {
  const text = stdout.trim();
  const parsed: unknown = JSON.parse(text); // throws on anything more than one JSON value
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`stdout is JSON but not one object: ${text}`);
  }
  return parsed as Record<string, unknown>;
}
