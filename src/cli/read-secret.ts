import type { Io } from './output.js';

/**
 * Reads a password or other secret: without echo at a terminal (the prompt on stderr, so
 * `--json` keeps stdout to one object), else the first line of standard input (scripts pipe it).
 */
export async function readSecret(io: Io, prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) {
      data += String(chunk);
      if (data.includes('\n')) break;
    }
    return data.split(/\r?\n/)[0] ?? '';
  }
  io.err(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(typed);
          return;
        }
        if (ch === '\u0003') process.exit(130); // Ctrl-C
        if (ch === '\u007f') typed = typed.slice(0, -1);
        else typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** True when secrets are typed at a terminal (then a new password is asked twice). */
export function stdinIsTerminal(): boolean {
  return process.stdin.isTTY === true;
}
