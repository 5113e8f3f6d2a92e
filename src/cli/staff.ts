import { checkNewStaff, checkStaffPassword, InkanError } from '../core/index.js';
import type { Config } from '../config.js';
import { createRuntime } from '../main.js';
import { EXIT, reportError, type Io } from './output.js';
import { readSecret, stdinIsTerminal } from './read-secret.js';

const ROLE_NAMES = { operator: 'オペレーター operator', admin: '管理者 admin' } as const;

/**
 * `inkan staff create`: a staff member of a bank for the admin console. The initial password is
 * read without echo at a terminal (asked twice), else from standard input's first line; it must
 * be 12+ characters. The authenticator app is set up at the first login.
 */
export async function runStaffCreate(
  config: Config,
  io: Io,
  o: { serviceId: string; loginId: string; name: string; role: string; json?: boolean },
): Promise<number> {
  const json = o.json === true;
  // The fields first: a bad option is refused before any password is asked for.
  const fieldErrors = checkNewStaff({ ...o, password: '' }).filter((e) => e.field !== 'password');
  if (fieldErrors.length > 0)
    return reportError(io, new InkanError('VALIDATION_FAILED', { errors: fieldErrors }), json);
  const password = await readSecret(io, '初期パスワード (initial password, 12+ characters): ');
  if (stdinIsTerminal()) {
    const again = await readSecret(io, 'もう一度入力してください (type it again): ');
    if (again !== password)
      return reportError(
        io,
        new InkanError('VALIDATION_FAILED', {
          errors: [{ field: 'password', message: 'the two entries differ' }],
        }),
        json,
      );
  }
  const weak = checkStaffPassword(password, o.loginId);
  if (weak !== null)
    return reportError(io, new InkanError('VALIDATION_FAILED', { errors: [weak] }), json);
  const rt = await createRuntime(config, { warn: io.err });
  try {
    const s = await rt.platform.staff.create({ actor: 'cli', clientIp: null }, { ...o, password });
    if (json)
      io.out(
        JSON.stringify({
          staffId: s.id,
          serviceId: s.serviceId,
          loginId: s.loginId,
          name: s.name,
          role: s.role,
        }),
      );
    else {
      io.out(
        `Created staff member ${s.loginId} (${s.name}, ${ROLE_NAMES[s.role]}) of ${s.bankName} (サービスID ${s.serviceId}).`,
      );
      io.out(
        `At the first login at ${config.publicUrl.replace(/\/+$/, '')}/admin they set up an authenticator app (QR code).`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    await rt.close();
  }
}

/** `inkan staff unlock`: lifts a staff account's lock (after five failed logins). */
export async function runStaffUnlock(
  config: Config,
  io: Io,
  o: { loginId: string; json?: boolean },
): Promise<number> {
  const json = o.json === true;
  const rt = await createRuntime(config, { warn: io.err });
  try {
    const s = await rt.platform.staff.unlock(null, { loginId: o.loginId });
    if (json) io.out(JSON.stringify({ staffId: s.id, loginId: s.loginId, locked: s.locked }));
    else io.out(`Unlocked staff member ${s.loginId} (${s.name}).`);
    return EXIT.ok;
  } catch (e) {
    return reportError(io, e, json);
  } finally {
    await rt.close();
  }
}
