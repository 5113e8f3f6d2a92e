/**
 * Runs only the OTP engine benchmark and prints its Markdown:
 * `node --import tsx bench/run-otp-engine.ts`.
 */
import { benchOtpEngine } from './otp-engine.js';

const { title, markdown } = await benchOtpEngine();
console.log(`## ${title}\n\n${markdown}`);
