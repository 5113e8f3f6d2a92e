import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Plain JavaScript for `node -e`: open the file, take SQLite's write lock (BEGIN IMMEDIATE), say
// so, hold it for the given time, commit, exit.
const HOLDER = `
const Database = require('better-sqlite3');
const [path, ms] = process.argv.slice(1);
const db = new Database(path);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\\n');
  process.exit(0);
}, Number(ms));
`;

/**
 * Another process writing to the same SQLite file (a second server, or a CLI command such as
 * `inkan keys rotate` or `inkan audit verify` beside a running server): holds the write lock for
 * `ms` milliseconds. Resolves once the lock is held; `released` resolves when it is let go.
 */
export async function holdSqliteWriteLock(
  path: string,
  ms: number,
): Promise<{ released: Promise<void> }> {
  const child = spawn(process.execPath, ['-e', HOLDER, path, String(ms)], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let onLocked: () => void = () => {};
  let onReleased: () => void = () => {};
  const locked = new Promise<void>((resolve, reject) => {
    onLocked = resolve;
    child.once('exit', (code) =>
      reject(new Error(`lock holder exited with ${String(code)} before locking`)),
    );
  });
  const released = new Promise<void>((resolve) => {
    onReleased = resolve;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.includes('locked\n')) onLocked();
    if (out.includes('released\n')) onReleased();
  });
  child.once('exit', () => onReleased());
  await locked;
  return { released };
}
