import { generateVapidKeys } from '../services/index.js';
import { EXIT, type Io } from './output.js';

/**
 * `inkan push keys`: a new VAPID key pair (RFC 8292) for Web Push, printed as the environment
 * lines to set (or one JSON object with --json). The private key is printed once and kept nowhere.
 */
export async function runPushKeys(io: Io, json: boolean): Promise<number> {
  const k = await generateVapidKeys();
  if (json) io.out(JSON.stringify({ publicKey: k.publicKey, privateKey: k.privateKey }));
  else {
    io.out(`INKAN_VAPID_PUBLIC_KEY=${k.publicKey}`);
    io.out(`INKAN_VAPID_PRIVATE_KEY=${k.privateKey}`);
    io.out(
      'INKAN_VAPID_SUBJECT=mailto:<an address of the bank that the push service can write to>',
    );
  }
  return EXIT.ok;
}
