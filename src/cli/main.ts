import { Command, CommanderError, Option } from 'commander';
import { readConfig } from '../config.js';
import { EXIT, processIo, reportError, type Io } from './output.js';

// Each command's module is loaded when the command runs: `inkan --help`, a usage error or a
// small command does not load the server, the database drivers and the platform.
const load = {
  serve: () => import('./serve.js'),
  hardwareImport: () => import('./hardware-import.js'),
  tenantCreate: () => import('./tenant-create.js'),
  keys: () => import('./keys.js'),
  auditVerify: () => import('./audit-verify.js'),
  housekeeping: () => import('./housekeeping.js'),
  pushKeys: () => import('./push-keys.js'),
  staff: () => import('./staff.js'),
  softToken: () => import('./soft-token.js'),
};

/**
 * `inkan`: one program for the server and the operator's tasks (SPEC.md, CLI). Every command
 * reads DATABASE_URL; `--json` prints one JSON object and nothing else on stdout.
 */
export async function main(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let code: number = EXIT.ok;
  const config = () => readConfig(env);
  const program = new Command('inkan')
    .description('Inkan: one-time passwords for Japanese internet banking')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();

  program
    .command('serve')
    .description(
      'run the whole product on one port; --demo adds a demo bank (the default on a new, empty database)',
    )
    .addOption(new Option('--port <port>', 'TCP port').default(env['PORT'] ?? '3000'))
    .addOption(
      new Option('--host <host>', 'address to listen on').default(env['HOST'] ?? '127.0.0.1'),
    )
    .option('--demo', 'add the demo bank and customer and print how to use them')
    .action(async (o: { port: string; host: string; demo?: boolean }) => {
      code = await (
        await load.serve()
      ).runServe(config(), io, { port: o.port, host: o.host, demo: o.demo === true });
    });

  const tenant = program.command('tenant').description('banks (tenants)');
  tenant
    .command('create')
    .description('create a bank; prints its API key once')
    .requiredOption('--service-id <id>', 'サービスID: 8 digits')
    .requiredOption('--name <name>', "the bank's name (the token's default display name)")
    .option('--policy <json>', 'OTP policy as JSON, e.g. {"digits":6,"lockoutThreshold":10}')
    .option('--json', 'print one JSON object')
    .action(async (o: { serviceId: string; name: string; policy?: string; json?: boolean }) => {
      code = await (await load.tenantCreate()).runTenantCreate(config(), io, o);
    });

  const staff = program.command('staff').description('bank staff of the admin console (/admin)');
  staff
    .command('create')
    .description(
      'create a staff member; reads the initial password (12+ characters) without echo, or from stdin',
    )
    .requiredOption('--service-id <id>', 'サービスID of the bank: 8 digits')
    .requiredOption('--login-id <id>', 'login ID: 3-64 letters, digits or ._@- (unique)')
    .requiredOption('--name <name>', "the staff member's name")
    .requiredOption('--role <role>', 'operator (オペレーター) or admin (管理者)')
    .option('--json', 'print one JSON object')
    .action(
      async (o: {
        serviceId: string;
        loginId: string;
        name: string;
        role: string;
        json?: boolean;
      }) => {
        code = await (await load.staff()).runStaffCreate(config(), io, o);
      },
    );
  staff
    .command('unlock')
    .description('unlock a staff account locked after five failed logins')
    .requiredOption('--login-id <id>', 'the login ID')
    .option('--json', 'print one JSON object')
    .action(async (o: { loginId: string; json?: boolean }) => {
      code = await (await load.staff()).runStaffUnlock(config(), io, o);
    });

  const hardware = program
    .command('hardware')
    .description('hardware tokens (ハードウェアトークン)');
  hardware
    .command('import')
    .description("import a vendor's PSKC file (RFC 6030) into the bank's stock: all keys or none")
    .argument('<file>', 'the PSKC file (plain, or pre-shared-key encrypted)')
    .requiredOption('--service-id <id>', 'サービスID of the bank: 8 digits')
    .option('--key <hex>', 'the pre-shared key of an encrypted file (AES, hexadecimal)')
    .option('--json', 'print one JSON object')
    .action(async (file: string, o: { serviceId: string; key?: string; json?: boolean }) => {
      code = await (await load.hardwareImport()).runHardwareImport(config(), io, { file, ...o });
    });

  const keys = program.command('keys').description('master keys that seal the token secrets');
  keys
    .command('rotate')
    .description(
      'make a new master key (key file) and re-seal every stored secret under the newest key',
    )
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      code = await (await load.keys()).runKeysRotate(config(), io, o.json === true);
    });
  keys
    .command('generate')
    .description('print a new random master key for INKAN_MASTER_KEY')
    .action(async () => {
      code = (await load.keys()).runKeysGenerate(io);
    });

  const push = program
    .command('push')
    .description('Web Push that wakes the token app for 取引認証');
  push
    .command('keys')
    .description('print a new VAPID key pair for INKAN_VAPID_PUBLIC_KEY / INKAN_VAPID_PRIVATE_KEY')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      code = await (await load.pushKeys()).runPushKeys(io, o.json === true);
    });

  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description(
      'check the hash chain of the audit trail; exit 1 when an event was changed or removed',
    )
    .option(
      '--expect-head <seq:hash>',
      'the anchor printed by an earlier run: fail if the chain no longer reaches it unchanged',
    )
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean; expectHead?: string }) => {
      code = await (
        await load.auditVerify()
      ).runAuditVerify(config(), io, o.json === true, o.expectHead);
    });

  program
    .command('housekeeping')
    .description(
      'one sweep now: expire overdue 取引認証 transactions, remove expired challenges, idle sessions, old 電話番号認証 checks and outbox mails (serve does it every 5 minutes)',
    )
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      code = await (
        await load.housekeeping()
      ).runHousekeepingCommand(config(), io, o.json === true);
    });

  const soft = program
    .command('soft-token')
    .description("a software token in the terminal (stands in for the customer's phone app)");
  soft
    .command('setup')
    .description(
      'アプリの初期設定: set up a token with the IDs from the issuance mail; asks the activation password',
    )
    .requiredOption('--url <url>', 'the Inkan server, e.g. http://127.0.0.1:3000')
    .requiredOption('--service-id <id>', 'サービスID (8 digits)')
    .requiredOption('--user-id <id>', 'ユーザID (12 digits)')
    .option('--json', 'print one JSON object')
    .action(async (o: { url: string; serviceId: string; userId: string; json?: boolean }) => {
      code = await (await load.softToken()).runSoftTokenSetup(io, env, o);
    });
  soft
    .command('show')
    .description('the current one-time password and the seconds until it changes')
    .option('--service-id <id>', 'which token (when several are set up)')
    .option('--user-id <id>', 'which token (when several are set up)')
    .option('--watch', 'keep showing the password as it changes')
    .option('--json', 'print one JSON object')
    .action(async (o: { serviceId?: string; userId?: string; watch?: boolean; json?: boolean }) => {
      code = await (await load.softToken()).runSoftTokenShow(io, env, o);
    });
  soft
    .command('list')
    .description('the tokens set up in this terminal')
    .option('--json', 'print one JSON object')
    .action(async (o: { json?: boolean }) => {
      code = (await load.softToken()).runSoftTokenList(io, env, o.json === true);
    });
  soft
    .command('remove')
    .description('forget a token here (deactivate it at the bank first: 利用解除)')
    .requiredOption('--service-id <id>', 'サービスID')
    .requiredOption('--user-id <id>', 'ユーザID')
    .action(async (o: { serviceId: string; userId: string }) => {
      code = (await load.softToken()).runSoftTokenRemove(io, env, o);
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(io, e, argv.includes('--json'));
  }
  return code;
}
