import { resolve } from 'node:path';
import type { DialectName } from './migrations/index.js';

/*
 * What a DATABASE_URL names, without loading a database driver (the configuration and the CLI's
 * start read it; open-store.ts opens the database).
 */

/** The SQLite file of a `sqlite:` URL, or null for PostgreSQL. */
export function sqlitePath(url: string): string | null {
  if (!url.startsWith('sqlite:')) return null;
  const p = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  return p === ':memory:' ? p : resolve(p);
}

/** The dialect a URL names; throws for anything else. */
export function dialectOf(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(
    `DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`,
  );
}
