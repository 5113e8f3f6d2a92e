/**
 * The hole: bad input that still changes something. With a DATABASE_URL that names no supported
 * database (`mysql://…`, a typo like `postgress://…`) and no INKAN_MASTER_KEY, `inkan serve`,
 * `inkan tenant create` and `inkan keys rotate` first write a brand-new development master key
 * file (`./data/master-keys.json` under the working folder; rotate even adds a second version to
 * it) and only then refuse the URL. SPEC.md: "Bad input gets a clear error
 * and changes nothing." A stray master key left in whatever folder an operator ran the command in
 * is at best confusing (a later run with the right URL but from that folder seals secrets under
 * it) and at worst a key nobody knows is in use.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, runCli } from '../support/process-cli.js';

const folders: string[] = [];

function emptyFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-badurl-'));
  folders.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('a DATABASE_URL of an unsupported kind', () => {
  it.each([
    { command: 'serve', args: ['serve', '--port', '0'] },
    {
      command: 'tenant create',
      args: ['tenant', 'create', '--service-id', '10112235', '--name', 'テスト銀行'],
    },
    { command: 'keys rotate', args: ['keys', 'rotate'] },
  ])('inkan $command refuses it clearly and writes nothing', async ({ args }) => {
    const cwd = emptyFolder();
    const r = await runCli(args, { env: childEnv({ DATABASE_URL: 'mysql://x' }), cwd });
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(existsSync(join(cwd, 'data', 'master-keys.json'))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

/**
 * The same hole one step later: a URL of the right kind that names nothing usable (a file that is
 * not a SQLite database, a folder that is a file, a PostgreSQL server that is not there). The
 * development key file was written next to it before the database failed to open, and the error
 * read "database migration ? failed".
 */
describe('a DATABASE_URL that cannot be opened', () => {
  const cases = [
    {
      what: 'a file that is not a database',
      url: (dir: string) => `sqlite:${join(dir, 'notes.txt')}`,
      says: /cannot open the SQLite database .*notes\.txt \(DATABASE_URL\): file is not a database/,
    },
    {
      what: 'a folder that is a file',
      url: (dir: string) => `sqlite:${join(dir, 'notes.txt', 'inkan.db')}`,
      says: /cannot open the SQLite database .*inkan\.db \(DATABASE_URL\)/,
    },
    {
      what: 'a PostgreSQL server that is not there',
      url: () => 'postgres://inkan:hunter2@127.0.0.1:1/inkan',
      says: /cannot open the PostgreSQL database \(DATABASE_URL\): connect ECONNREFUSED/,
    },
  ];
  const commands = [
    { command: 'serve', args: ['serve', '--port', '0'] },
    { command: 'keys rotate', args: ['keys', 'rotate'] },
  ];
  it.each(cases.flatMap((c) => commands.map((m) => ({ ...c, ...m }))))(
    'inkan $command, $what: exit 1, the reason, and no key file',
    async ({ url, says, args }) => {
      const cwd = emptyFolder();
      writeFileSync(join(cwd, 'notes.txt'), 'not a database\n');
      const r = await runCli(args, {
        env: childEnv({ DATABASE_URL: url(cwd) }),
        cwd,
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(says);
      expect(r.stderr).not.toContain('hunter2'); // a PostgreSQL URL may hold a password
      expect(r.stderr).not.toContain('DEVELOPMENT MODE');
      expect(readdirSync(cwd)).toEqual(['notes.txt']);
    },
  );
});
