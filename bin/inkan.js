#!/usr/bin/env node
// The CLI entry: plain JavaScript that runs the compiled TypeScript (built by `npm install`'s prepare step).
import { main } from '../dist/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
