/**
 * `inkan serve` as a real child process: the compiled program, its own environment, a free port
 * (`--port 0`; the address is read from what `serve` prints), ready once `GET /api/v1/health`
 * answers 200 (SPEC.md, CLI). Every server started here is remembered so that a suite's afterAll
 * can end them all, even when a test failed half-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { assertBuilt, childEnv, INKAN_BIN, REPO_ROOT } from './process-cli.js';

/** A running `inkan serve`. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, as the server printed it. */
  readonly url: string;
  readonly proc: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** SIGTERM (graceful), SIGKILL after `graceMs`; resolves with the exit code (null if killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL now (a crash); resolves once the process is gone. */
  kill(): Promise<void>;
}

/** What to start. */
export interface StartServerOptions {
  /** The child's environment, e.g. childEnv({ DATABASE_URL, INKAN_MASTER_KEY }). */
  readonly env: NodeJS.ProcessEnv;
  /** More arguments after `serve --port 0`. */
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** How long to wait for the address and the health check. */
  readonly timeoutMs?: number;
}

const running = new Set<ChildProcess>();

// A test runner that dies must not leave servers behind.
process.once('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

/** GET a URL once with a fresh connection; the status, or null when nothing answered. */
export function getStatus(url: string, timeoutMs = 2_000): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Starts `inkan serve --port 0 …` and waits until it is ready. */
export async function startServerProcess(o: StartServerOptions): Promise<ServerProcess> {
  assertBuilt();
  const timeoutMs = o.timeoutMs ?? 30_000;
  const proc = spawn(process.execPath, [INKAN_BIN, 'serve', '--port', '0', ...(o.args ?? [])], {
    env: o.env,
    cwd: o.cwd ?? REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));

  const server: Omit<ServerProcess, 'url'> = {
    proc,
    stdout: () => out,
    stderr: () => err,
    async stop(graceMs = 10_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const done = exited(proc);
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      try {
        return await done;
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const done = exited(proc);
      proc.kill('SIGKILL');
      await done;
    },
  };

  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    await server.kill();
    throw new Error(`inkan serve ${why}\nstdout:\n${out}\nstderr:\n${err}`);
  };
  let url: string | null = null;
  while (url === null) {
    const m = /Inkan is running at (http:\/\/\S+)/.exec(out);
    if (m?.[1] !== undefined) url = m[1];
    else if (proc.exitCode !== null || proc.signalCode !== null)
      return fail(`exited (${String(proc.exitCode ?? proc.signalCode)}) before it listened`);
    else if (Date.now() > deadline) return fail(`printed no address in ${timeoutMs} ms`);
    else await new Promise((r) => setTimeout(r, 25));
  }
  while ((await getStatus(`${url}/api/v1/health`)) !== 200) {
    if (proc.exitCode !== null || proc.signalCode !== null)
      return fail('exited before GET /api/v1/health answered 200');
    if (Date.now() > deadline)
      return fail(`did not answer GET /api/v1/health with 200 in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { ...server, url };
}

/** Ends every server this module started (afterAll), by SIGKILL if SIGTERM is not enough. */
export async function stopAllServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      const done = exited(proc);
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(timer);
    }),
  );
}

export { childEnv };
