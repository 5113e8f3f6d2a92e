/**
 * The token app as shipped: the first screen stays small on a phone's connection (under 60 KB
 * gzipped), the manifest makes it installable (name, scope, standalone, 192 and 512 px PNG icons),
 * and the service worker and the page are served so that updates arrive.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { createHarness, type Harness } from '../support/harness.js';

const DIST = new URL('../../dist/token-app/', import.meta.url);
let h: Harness;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  h = await createHarness();
  app = await buildApp({ platform: h.platform, logger: false });
});
afterAll(async () => {
  await app.close();
  await h.close();
});

describe('the built token app', () => {
  it('keeps the first screen under 60 KB gzipped', () => {
    const assets = readdirSync(new URL('assets/', DIST)).map((f) => new URL(`assets/${f}`, DIST));
    const files = [
      new URL('index.html', DIST),
      ...assets.filter((u) => /\.(js|css)$/.test(u.pathname)),
    ];
    const gzipped = files.reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
    expect(gzipped).toBeGreaterThan(1000);
    expect(gzipped).toBeLessThan(60 * 1024);
  });

  it('has an installable manifest with real PNG icons of the stated sizes', async () => {
    const res = await app.inject({ method: 'GET', url: '/app/manifest.webmanifest' });
    expect(res.statusCode).toBe(200);
    const m = JSON.parse(res.body) as {
      name: string;
      start_url: string;
      scope: string;
      display: string;
      icons: { src: string; sizes: string; type: string }[];
    };
    expect(m).toMatchObject({ start_url: '/app/', scope: '/app/', display: 'standalone' });
    expect(m.name).toContain('ワンタイムパスワード');
    for (const size of [192, 512]) {
      const icon = m.icons.find((i) => i.sizes === `${size}x${size}` && i.type === 'image/png');
      expect(icon, `${size} px icon`).toBeDefined();
      const png = await app.inject({ method: 'GET', url: `/app/${icon?.src ?? ''}` });
      expect(png.statusCode).toBe(200);
      const bytes = png.rawPayload;
      expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([size, size]);
    }
  });

  it('serves the page, its service worker and the precache list fresh, the hashed assets for good', async () => {
    const page = await app.inject({ method: 'GET', url: '/app/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<main id="app"');
    expect(page.headers['cache-control']).toBe('no-cache');
    const sw = await app.inject({ method: 'GET', url: '/app/sw.js' });
    expect(sw.headers['cache-control']).toBe('no-cache');
    const list = JSON.parse(
      (await app.inject({ method: 'GET', url: '/app/precache.json' })).body,
    ) as string[];
    expect(list).toContain('index.html');
    const asset = list.find((f) => f.startsWith('assets/') && f.endsWith('.js')) ?? '';
    const js = await app.inject({ method: 'GET', url: `/app/${asset}` });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ method: 'GET', url: '/app' })).headers['location']).toBe('/app/');
  });
});
