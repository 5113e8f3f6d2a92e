import { generateTotp, secondsLeft } from '../core/otp/index.js';
import { PATTERNS, readProvisionAnswer } from '../core/index.js';
import { createNodeHmac } from '../crypto/node-hmac.js';
import { createClientAgreement } from '../crypto/provisioning.js';
import { EXIT, type Io } from './output.js';
import { readSecret } from './read-secret.js';
import { openSoftTokenStore, softTokenDir, type SoftToken } from './soft-token-store.js';

const REASONS: Record<string, string> = {
  ACTIVATION_PASSWORD_WRONG:
    '利用開始パスワードが正しくありません (the activation password is wrong)',
  ISSUANCE_VOID:
    'このトークン発行は無効です。再度トークン発行を行ってください (the issuance is void: issue again)',
  ISSUANCE_EXPIRED:
    'トークン発行の有効期限が切れています。再度トークン発行を行ってください (the issuance expired: issue again)',
  ALREADY_PROVISIONED: 'このトークンは初期設定済みです (this token was already set up)',
  NOT_FOUND: 'サービスIDまたはユーザIDが正しくありません (no token with these IDs)',
  RATE_LIMITED: 'しばらく時間をおいてから再度お試しください (too many attempts: wait and retry)',
  SERVICE_BUSY:
    'ただいま混み合っています。しばらく時間をおいてから再度お試しください (the server is busy: retry shortly)',
};

/**
 * `inkan soft-token setup`: アプリの初期設定 in a terminal. Provisions exactly as the app does
 * (ECDH P-256 + HKDF-SHA256; the secret never crosses the wire) and keeps the token sealed.
 */
export async function runSoftTokenSetup(
  io: Io,
  env: NodeJS.ProcessEnv,
  o: { url: string; serviceId: string; userId: string; json?: boolean },
): Promise<number> {
  const json = o.json === true;
  const fail = (
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
    exit: number = EXIT.failure,
  ) => {
    if (json) io.out(JSON.stringify({ error: code, message, ...extra }));
    else io.err(`error: ${message}`);
    return exit;
  };
  const usage = (message: string) => fail('VALIDATION_FAILED', message, {}, EXIT.usage);
  if (!PATTERNS.serviceId.test(o.serviceId))
    return usage('サービスIDは8桁の数字です (--service-id must be 8 digits)');
  if (!PATTERNS.userId.test(o.userId))
    return usage('ユーザIDは12桁の数字です (--user-id must be 12 digits)');
  let base: URL;
  try {
    base = new URL(o.url);
  } catch {
    return usage(`--url is not a URL: ${o.url}`);
  }
  const password = (await readSecret(io, '利用開始パスワード (activation password): ')).trim();
  if (!PATTERNS.activationPassword.test(password)) {
    return usage('利用開始パスワードは4～8桁の数字です (4-8 digits)');
  }
  const client = createClientAgreement();
  let res: Response;
  try {
    res = await fetch(new URL('/api/v1/provision', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        serviceId: o.serviceId,
        userId: o.userId,
        activationPassword: password,
        publicKey: client.publicKey,
      }),
    });
  } catch (e) {
    return fail(
      'UNREACHABLE',
      `cannot reach ${base.origin}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = String(body['code'] ?? res.status);
    const left = typeof body['attemptsLeft'] === 'number' ? body['attemptsLeft'] : undefined;
    const message =
      (REASONS[code] ?? `the server refused: ${code}`) +
      (left !== undefined && code === 'ACTIVATION_PASSWORD_WRONG'
        ? ` — あと${left}回 (${left} attempts left)`
        : '');
    return fail(code, message, left === undefined ? {} : { attemptsLeft: left });
  }
  const { serverPublicKey, ...info } = readProvisionAnswer(o, body);
  const secret = client.derive({
    serverPublicKey,
    serviceId: o.serviceId,
    userId: o.userId,
    algorithm: info.algorithm,
  });
  const token: Omit<SoftToken, 'sealedSecret'> = { url: base.origin, ...info };
  const store = openSoftTokenStore(softTokenDir(env));
  store.save(token, secret);
  secret.fill(0);
  if (json)
    io.out(
      JSON.stringify({
        serviceId: token.serviceId,
        userId: token.userId,
        serial: token.serial,
        displayName: token.displayName,
      }),
    );
  else {
    io.out(`初期設定完了 (set up): ${token.displayName}  SerialNo ${token.serial}`);
    // With several tokens here, `show` needs to be told which (pick).
    const choose =
      store.list().length > 1 ? ` --service-id ${token.serviceId} --user-id ${token.userId}` : '';
    io.out(`Show the one-time password with: inkan soft-token show${choose}`);
  }
  return EXIT.ok;
}

/**
 * The one token `--service-id` and `--user-id` select, or why there is none: none set up here,
 * none matching, or several (a terminal, like a phone, may hold tokens of several banks or
 * customers; showing the first of them would show a password the customer did not ask for).
 */
function pick(
  tokens: SoftToken[],
  o: { serviceId?: string; userId?: string },
): SoftToken | { error: string; message: string; exit: number } {
  const matching = tokens.filter(
    (t) =>
      (o.serviceId === undefined || t.serviceId === o.serviceId) &&
      (o.userId === undefined || t.userId === o.userId),
  );
  const [only] = matching;
  if (only !== undefined && matching.length === 1) return only;
  if (tokens.length === 0)
    return {
      error: 'NO_TOKEN',
      message: 'no software token set up here: run inkan soft-token setup first',
      exit: EXIT.failure,
    };
  if (matching.length === 0)
    return {
      error: 'NO_MATCH',
      message:
        'no software token here has that --service-id and --user-id (see inkan soft-token list)',
      exit: EXIT.failure,
    };
  return {
    error: 'SEVERAL_TOKENS',
    message: `${matching.length} software tokens here match: choose one with --service-id and --user-id (see inkan soft-token list)`,
    exit: EXIT.usage,
  };
}

/** The OTP of a token now. */
function currentOtp(
  store: ReturnType<typeof openSoftTokenStore>,
  t: SoftToken,
  now: number,
): { otp: string; secondsLeft: number } {
  const secret = store.secretOf(t);
  const otp = generateTotp({
    hmac: createNodeHmac(secret, t.algorithm),
    now,
    period: t.period,
    digits: t.digits,
  });
  secret.fill(0);
  return { otp, secondsLeft: secondsLeft({ now, period: t.period }) };
}

/** Groups an OTP for reading: 1234 5678. */
function grouped(otp: string): string {
  return otp.length === 8 ? `${otp.slice(0, 4)} ${otp.slice(4)}` : otp;
}

/** `inkan soft-token show`: the current OTP and the seconds until it changes; `--watch` keeps it on screen. */
export async function runSoftTokenShow(
  io: Io,
  env: NodeJS.ProcessEnv,
  o: { serviceId?: string; userId?: string; json?: boolean; watch?: boolean },
): Promise<number> {
  const store = openSoftTokenStore(softTokenDir(env));
  const t = pick(store.list(), o);
  if ('error' in t) {
    if (o.json === true) io.out(JSON.stringify({ error: t.error, message: t.message }));
    else io.err(`error: ${t.message}`);
    return t.exit;
  }
  const print = () => {
    const now = Date.now();
    const c = currentOtp(store, t, now);
    if (o.json === true)
      io.out(
        JSON.stringify({
          otp: c.otp,
          secondsLeft: c.secondsLeft,
          serviceId: t.serviceId,
          userId: t.userId,
          serial: t.serial,
          displayName: t.displayName,
          validUntil: t.validUntil,
        }),
      );
    else
      io.out(
        `${t.displayName}  ${grouped(c.otp)}  (${c.secondsLeft}秒 / ${c.secondsLeft} s left)  SerialNo ${t.serial}`,
      );
  };
  print();
  if (o.watch !== true) return EXIT.ok;
  await new Promise<void>((resolve) => {
    let last = '';
    const timer = setInterval(() => {
      const c = currentOtp(store, t, Date.now());
      if (c.otp !== last) {
        last = c.otp;
        print();
      }
    }, 1000);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}

/** `inkan soft-token list`: the tokens held here (never their secrets). */
export function runSoftTokenList(io: Io, env: NodeJS.ProcessEnv, json: boolean): number {
  const tokens = openSoftTokenStore(softTokenDir(env))
    .list()
    .map(({ sealedSecret: _sealed, ...t }) => t);
  if (json) io.out(JSON.stringify({ tokens }));
  else if (tokens.length === 0) io.out('no software tokens');
  else
    for (const t of tokens)
      io.out(
        `${t.displayName}  サービスID ${t.serviceId}  ユーザID ${t.userId}  SerialNo ${t.serial}  有効期限 ${t.validUntil.slice(0, 10)}  (${t.url})`,
      );
  return EXIT.ok;
}

/** `inkan soft-token remove`: forgets a token here (利用解除 at the bank comes first). */
export function runSoftTokenRemove(
  io: Io,
  env: NodeJS.ProcessEnv,
  o: { serviceId: string; userId: string },
): number {
  const removed = openSoftTokenStore(softTokenDir(env)).remove(o.serviceId, o.userId);
  if (!removed) {
    io.err('error: no such token here');
    return EXIT.failure;
  }
  io.out('Removed. If the bank still shows it 利用中, deactivate it there (利用解除) too.');
  return EXIT.ok;
}
