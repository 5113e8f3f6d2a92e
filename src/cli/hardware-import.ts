import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InkanError, PATTERNS } from '../core/index.js';
import type { Config } from '../config.js';
import { createRuntime } from '../main.js';
import { EXIT, reportError, type Io } from './output.js';

/** A pre-shared key given as hex: 16, 24 or 32 bytes (AES-128/192/256-CBC, RFC 6030 §6.1). */
function parseKey(hex: string): Uint8Array | null {
  const clean = hex.replace(/\s+/g, '');
  if (!/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/.test(clean)) return null;
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/**
 * `inkan hardware import FILE.pskc --service-id … [--key HEX]`: a vendor's hardware tokens into
 * the bank's stock, every key of the file or none.
 */
export async function runHardwareImport(
  config: Config,
  io: Io,
  o: { file: string; serviceId: string; key?: string; json?: boolean },
): Promise<number> {
  const json = o.json === true;
  const bad = (field: string, message: string) =>
    reportError(io, new InkanError('VALIDATION_FAILED', { errors: [{ field, message }] }), json);
  if (!PATTERNS.serviceId.test(o.serviceId)) return bad('service-id', 'must be 8 digits');
  const key = o.key === undefined ? undefined : parseKey(o.key);
  if (key === null) return bad('key', 'must be 32, 48 or 64 hexadecimal digits (an AES key)');
  let xml: string;
  try {
    xml = readFileSync(o.file, 'utf8');
  } catch (e) {
    return bad(
      'file',
      `cannot be read (${e instanceof Error && 'code' in e ? String(e.code) : 'error'})`,
    );
  }
  const rt = await createRuntime(config, { warn: io.err });
  try {
    const r = await rt.platform.importHardware(
      { actor: 'cli', clientIp: null },
      {
        serviceId: o.serviceId,
        xml,
        ...(key === undefined ? {} : { preSharedKey: key }),
        batch: basename(o.file),
      },
    );
    if (json) io.out(JSON.stringify(r));
    else {
      io.out(
        `Imported ${r.imported} hardware token(s) into the stock of ${r.serviceId} (TOTP ${r.totp}, HOTP ${r.hotp}) from ${r.batch}.`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    key?.fill(0);
    await rt.close();
  }
}
