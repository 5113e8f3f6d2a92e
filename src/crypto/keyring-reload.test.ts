import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createKeyring, createReloadingKeyring, type MasterKey } from './keyring.js';

describe('a keyring that follows the key file', () => {
  it('opens a secret sealed under a version added after it started, by reading the keys again', () => {
    let keys: MasterKey[] = [{ version: 1, key: randomBytes(32) }];
    let loads = 0;
    const ring = createReloadingKeyring(() => (loads++, keys), { now: () => 0 });
    keys = [...keys, { version: 2, key: randomBytes(32) }]; // another process rotated
    const sealedV2 = createKeyring(keys).seal(new Uint8Array([1, 2, 3]), 'aad');
    expect(Array.from(ring.unseal(sealedV2, 'aad'))).toEqual([1, 2, 3]);
    expect(loads).toBe(2);
  });

  it('starts sealing under the newest key once its refresh time has passed', () => {
    let t = 0;
    let keys: MasterKey[] = [{ version: 1, key: randomBytes(32) }];
    const ring = createReloadingKeyring(() => keys, { now: () => t, refreshMs: 1000 });
    keys = [...keys, { version: 2, key: randomBytes(32) }];
    expect(ring.seal(new Uint8Array([9]), 'a').split('.')[1]).toBe('1');
    t = 1000;
    expect(ring.seal(new Uint8Array([9]), 'a').split('.')[1]).toBe('2');
  });

  it('still refuses a version that is in no key file', () => {
    const ring = createReloadingKeyring(() => [{ version: 1, key: randomBytes(32) }], {
      now: () => 0,
    });
    const foreign = createKeyring([{ version: 7, key: randomBytes(32) }]).seal(
      new Uint8Array([1]),
      'a',
    );
    expect(() => ring.unseal(foreign, 'a')).toThrow(/v7/);
  });
});
