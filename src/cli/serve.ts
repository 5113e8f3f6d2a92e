import { createServer } from 'node:net';
import type { Config } from '../config.js';
import { createRuntime } from '../main.js';
import { startServer } from '../server.js';
import { DEMO_CUSTOMERS, seedDemoBank } from '../bank/demo-bank.js';
import { seedDemo } from './demo.js';
import { EXIT, type Io } from './output.js';

/** `inkan serve`: the whole product on one port, until SIGINT or SIGTERM. */
export async function runServe(
  config: Config,
  io: Io,
  o: { port: string; host: string; demo: boolean },
): Promise<number> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`error: --port must be a number from 0 to 65535 (got "${o.port}")`);
    return EXIT.usage;
  }
  // Before anything is written: a new database's demo bank prints its API key only once, to a
  // server that is running.
  const busy = await listenProblem(port, o.host);
  if (busy !== null) {
    io.err(busy);
    return EXIT.failure;
  }
  const rt = await createRuntime(config, { warn: io.err, verifyThread: true });
  let started;
  try {
    const isNew = (await rt.platform.listTenants()).length === 0;
    const demo = o.demo || isNew ? await seedDemo(rt) : null;
    // The demo bank's customers, on a bank with none yet (their passwords are fixed demo data).
    const seeded = demo === null ? null : await seedDemoBank(rt.bank, rt.hasher, rt.clock.now());
    const customers = seeded ?? (demo === null ? null : DEMO_CUSTOMERS);
    started = { ...(await startServer(rt, { port, host: o.host })), demo, customers };
  } catch (e) {
    // The verify thread, the connections and the timers would keep a failed server alive.
    await rt.close();
    const message = listenErrorMessage(e, port, o.host);
    if (message === null) throw e;
    io.err(message);
    return EXIT.failure;
  }
  const { app, address, demo, customers } = started;
  io.out(
    `Inkan is running at ${address} (database: ${config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl : 'PostgreSQL'})`,
  );
  io.out(`  API documentation: ${address}/api/docs`);
  io.out(`  Token app (ワンタイムパスワードアプリ): ${address}/app/`);
  if (rt.mailOutbox !== null) io.out(`  Mail outbox (no SMTP configured): ${address}/dev/mail`);
  if (rt.config.telephonyAuthToken === undefined) {
    io.out(`  Phone simulator for 電話番号認証 (no provider configured): ${address}/dev/telephony`);
  }
  io.out(`  Admin console (bank staff, 管理コンソール): ${address}/admin`);
  io.out(
    `    Create the first staff member: npx inkan staff create --service-id ${demo?.serviceId ?? '<サービスID>'} --login-id <id> --name "<name>" --role admin`,
  );
  if (customers !== null) {
    io.out(`  Internet banking (the bank portal): ${address}/ib/login`);
    for (const c of customers) {
      io.out(
        `    ${c.name}: ログインID ${c.loginId}  ログインパスワード ${c.password}  確認用パスワード ${c.confirmPassword}  (${c.note})`,
      );
    }
  }
  if (demo !== null) {
    io.out('');
    io.out(`Demo bank: ${demo.name}  サービスID ${demo.serviceId}`);
    io.out(`  API key (shown once): ${demo.apiKey}`);
    if (demo.userId !== null) {
      io.out(`  Customer "${demo.customerRef}" has a software token waiting for app setup:`);
      io.out(
        `    サービスID ${demo.serviceId}  ユーザID ${demo.userId}  利用開始パスワード ${demo.activationPassword}`,
      );
    }
    if (demo.userId !== null) {
      io.out(
        `  Set it up as the customer's phone: npx inkan soft-token setup --url ${address} --service-id ${demo.serviceId} --user-id ${demo.userId}`,
      );
    }
    io.out(
      `  Try: curl -H "Authorization: Bearer ${demo.apiKey}" ${address}/api/v1/customers/${demo.customerRef}/token`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopping…');
  await app.close();
  await rt.close();
  return EXIT.ok;
}

/** Why `host:port` cannot be listened on (a message for the operator), or null when it can. */
function listenProblem(port: number, host: string): Promise<string | null> {
  if (port === 0) return Promise.resolve(null);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (e) =>
      resolve(
        listenErrorMessage(e, port, host) ??
          `error: cannot listen on ${host}:${port}: ${e.message}`,
      ),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(null)));
  });
}

/** The operator's message for a failed listen, or null when `e` is not one. */
function listenErrorMessage(e: unknown, port: number, host: string): string | null {
  const code = (e as { code?: unknown } | null)?.code;
  const where = `${host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `error: ${where} is already in use (another Inkan, or another program): stop it, or choose another port with --port or PORT`;
    case 'EACCES':
      return `error: not allowed to listen on ${where} (ports below 1024 need privileges): choose another port with --port or PORT`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `error: cannot listen on ${host}: this machine has no such address; choose another with --host or HOST`;
    default:
      return null;
  }
}
