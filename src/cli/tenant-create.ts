import { InkanError } from '../core/index.js';
import type { Config } from '../config.js';
import { createRuntime } from '../main.js';
import { checkTenantInput } from '../services/index.js';
import { EXIT, reportError, type Io } from './output.js';

/** `inkan tenant create`: a bank with its first API key (shown once). */
export async function runTenantCreate(
  config: Config,
  io: Io,
  o: { serviceId: string; name: string; policy?: string; json?: boolean },
): Promise<number> {
  const json = o.json === true;
  let policy: unknown;
  try {
    policy = o.policy === undefined ? undefined : JSON.parse(o.policy);
  } catch {
    return reportError(
      io,
      new InkanError('VALIDATION_FAILED', {
        errors: [{ field: 'policy', message: 'is not valid JSON' }],
      }),
      json,
    );
  }
  try {
    checkTenantInput({ serviceId: o.serviceId, name: o.name, policy }); // bad input changes nothing
  } catch (e) {
    return reportError(io, e, json);
  }
  const rt = await createRuntime(config, { warn: io.err });
  try {
    const r = await rt.platform.createTenant(
      { actor: 'cli', clientIp: null },
      { serviceId: o.serviceId, name: o.name, policy },
    );
    if (json) io.out(JSON.stringify(r));
    else {
      io.out(`Created tenant ${r.serviceId} (${r.name}).`);
      io.out(`API key (shown once, keep it secret): ${r.apiKey}`);
    }
    return EXIT.ok;
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    await rt.close();
  }
}
