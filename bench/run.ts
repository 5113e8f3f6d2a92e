/**
 * `npm run bench`: every benchmark in one run on this machine, written to BENCHMARKS.md.
 */
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { benchOtpEngine } from './otp-engine.js';
import { benchApiVerify } from './api-verify.js';
import { benchPskcImport } from './pskc-import.js';

const only = process.argv[2];
const sections: { title: string; markdown: string }[] = [];
if (only === undefined || only === 'engine') sections.push(await benchOtpEngine());
if (only === undefined || only === 'api') sections.push(await benchApiVerify());
if (only === undefined || only === 'pskc') sections.push(await benchPskcImport());

const cpu = cpus()[0]?.model ?? 'unknown CPU';
let pgVersion = '';
try {
  pgVersion = execSync('psql --version', { encoding: 'utf8' }).trim();
} catch {
  pgVersion = 'psql not found';
}
const header = [
  '# Benchmarks',
  '',
  `Measured ${new Date().toISOString()} by \`npm run bench\`${only === undefined ? '' : ` (section ${only}; the other sections are kept from an earlier run)`} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${pgVersion}. A shared, noisy machine: read ratios, not absolute numbers.`,
  '',
].join('\n');
// One section run keeps the other sections of the last full run (each says when it was measured).
const previous =
  only !== undefined && existsSync('BENCHMARKS.md') ? readFileSync('BENCHMARKS.md', 'utf8') : '';
const kept = previous
  .split(/^(?=## )/m)
  .slice(1)
  .filter((part) => !sections.some((s) => part.startsWith(`## ${s.title}\n`)))
  .map((part) => part.replace(/\n*$/, '\n'));
const body = [...sections.map((s) => `## ${s.title}\n\n${s.markdown}\n`), ...kept].join('\n');
writeFileSync('BENCHMARKS.md', `${header}\n${body}`);
process.stdout.write(`${header}\n${body}`);
