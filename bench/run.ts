/**
 * `npm run bench`: every benchmark in one run on this machine, written to BENCHMARKS.md.
 */
import { execSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { benchOtpEngine } from './otp-engine.js';
import { benchApiVerify } from './api-verify.js';

const only = process.argv[2];
const sections: { title: string; markdown: string }[] = [];
if (only === undefined || only === 'engine') sections.push(await benchOtpEngine());
if (only === undefined || only === 'api') sections.push(await benchApiVerify());

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
  `Measured ${new Date().toISOString()} by \`npm run bench\`${only === undefined ? '' : ` (section ${only})`} on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${pgVersion}. Single runs on a shared, noisy machine: read ratios, not absolute numbers.`,
  '',
].join('\n');
const body = sections.map((s) => `## ${s.title}\n\n${s.markdown}\n`).join('\n');
writeFileSync('BENCHMARKS.md', `${header}\n${body}`);
process.stdout.write(`${header}\n${body}`);
