import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The token app (PWA): built from src/token-app into dist/token-app and served by `inkan serve`
 * at /app/. After the build, precache.json lists every file for the service worker.
 */
export default defineConfig({
  root: 'src/token-app',
  base: '/app/',
  build: { outDir: '../../dist/token-app', emptyOutDir: true, target: 'es2022' },
  plugins: [
    {
      name: 'inkan-precache-list',
      apply: 'build',
      closeBundle() {
        const out = join(process.cwd(), 'dist/token-app');
        const files: string[] = [];
        const walk = (dir: string, prefix: string) => {
          for (const e of readdirSync(dir, { withFileTypes: true })) {
            if (e.isDirectory()) walk(join(dir, e.name), `${prefix}${e.name}/`);
            else if (e.name !== 'sw.js' && e.name !== 'precache.json')
              files.push(`${prefix}${e.name}`);
          }
        };
        walk(out, '');
        writeFileSync(join(out, 'precache.json'), JSON.stringify(files));
      },
    },
  ],
});
