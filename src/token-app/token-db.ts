import type { AppToken } from './provision-in-browser.js';

/** A token as the app keeps it: the provisioned token plus the words the customer added. */
export interface StoredAppToken extends AppToken {
  readonly id: string;
  readonly extraName: string;
  readonly addedAt: string;
}

const DB = 'inkan-token-app';
const STORE = 'tokens';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
      }),
  );
}

/**
 * The tokens, in IndexedDB. The HMAC CryptoKey is stored as it is (structured clone keeps it
 * non-extractable): nothing else in the app ever holds the secret.
 */
export const tokenDb = {
  list: () => run<StoredAppToken[]>('readonly', (s) => s.getAll() as IDBRequest<StoredAppToken[]>),
  put: (t: StoredAppToken) => run('readwrite', (s) => s.put(t)),
  remove: (id: string) => run('readwrite', (s) => s.delete(id)),
};
