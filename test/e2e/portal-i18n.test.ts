/**
 * The portal's English switch (SPEC.md, "Parts": Japanese first, English switch; CONVENTIONS.md
 * guideline 9: Japanese text lives only in the message catalogues). The same walk over every
 * screen runs twice: with `ib_lang=en`, set through the header's switch, no page may show a
 * Japanese character once the markup and the data are taken away (the demo bank's and its
 * customers' own words: names, the bank's name, branches, addresses, payees, the security
 * question), apart from the short allow-list below; in Japanese, the default, every screen still
 * shows the guides' words. Then the switch itself: it changes only the cookie (the session, the
 * step and its values stay) and returns only to a path of the portal, never elsewhere.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMERS } from '../../src/bank/demo-bank.js';
import { ERRORS } from '../../src/core/index.js';
import { generateTotp } from '../../src/core/otp/index.js';
import { createNodeHmac } from '../../src/crypto/node-hmac.js';
import {
  signTelephonyRequest,
  TELEPHONY_WEBHOOK_PATH,
} from '../../src/web/shared/telephony-signature.js';
import { activeCustomer, provisionIssued } from '../support/harness.js';
import {
  Browser,
  cell,
  inputValue,
  login,
  postLogin,
  wrongOtp,
  type Page,
} from '../support/portal-browser.js';
import {
  createPortalHarness,
  SATO,
  YAMADA,
  type PortalHarness,
} from '../support/portal-harness.js';
import { buildPskc } from '../support/pskc-builder.js';

type Lang = 'ja' | 'en';

const TOKEN = 'i18n-telephony-token';
const PUBLIC_URL = 'https://ib.inkan-bank.example';
const PSK = new Uint8Array(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));

/** A payee at another bank, written the Japanese way: the customer's words, never translated. */
const PAYEE = {
  payeeBank: 'みずほ銀行',
  payeeBranch: '東京営業部',
  payeeType: '普通',
  payeeAccount: '1234567',
  payeeName: 'スズキ イチロウ',
} as const;
const SECURITY_QUESTION = '大好きなペットの名前は？';
const SECURITY_ANSWER = 'ポチ';

/**
 * The bank's and its customers' own data as the pages show it. It is shown as it is in both
 * languages (a name or an address is not translated), so it is taken out before looking.
 */
const DATA = [
  'インカン銀行',
  ...DEMO_CUSTOMERS.flatMap((c) => [
    c.name,
    c.postalAddress,
    ...c.accounts.map((a) => a.branch_name),
  ]),
  PAYEE.payeeBank,
  PAYEE.payeeBranch,
  PAYEE.payeeName,
  SECURITY_QUESTION,
].sort((a, b) => b.length - a.length);

/**
 * What an English page may still show in Japanese, each for a reason:
 * - 日本語: the header's switch back to Japanese, written in the language it leads to (a reader
 *   of Japanese finds it; W3C's advice for language switches);
 * - ヤマダ, タロウ: the payee name hint's example (「ヤマダ タロウ」): a payee's name must be typed
 *   in katakana (Zengin), so the example can only be katakana.
 */
const ALLOWED = new Set(['日本語', 'ヤマダ', 'タロウ']);

/** Kana, kanji, and Japanese punctuation and full-width forms (、。「」（）　￥…). */
const JAPANESE =
  /[\u3000-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/gu;

/** The text of a page: no markup (so no attribute values), entities decoded, the bank's seal out. */
function visibleText(body: string): string {
  return body
    .replace(/<span class="seal"[^>]*>[^<]*<\/span>/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The Japanese words an English page shows beyond the data and the allow-list. */
function japaneseLeft(body: string): string[] {
  let text = visibleText(body);
  for (const d of DATA) text = text.split(d).join(' ');
  return (text.match(JAPANESE) ?? []).filter((w) => !ALLOWED.has(w));
}

/** What one walk saw, screen by screen. */
interface Seen {
  readonly name: string;
  readonly page: Page;
}

/**
 * Checks a screen: its status, `<html lang>`, the header's switch to the other language; in
 * English no Japanese beyond the data and the allow-list (and the guides' screen IDs as they are,
 * `en` words when given); in Japanese, the guides' words `ja`.
 */
function checker(lang: Lang, seen: Seen[]) {
  return (
    name: string,
    page: Page,
    ja: readonly string[],
    status = 200,
    en: readonly string[] = [],
  ) => {
    seen.push({ name, page });
    expect(page.status, `${name}: ${page.body.slice(0, 400)}`).toBe(status);
    expect(page.body, name).toContain(`<html lang="${lang}">`);
    expect(page.body, name).toMatch(
      lang === 'en'
        ? /<a class="lang-switch" href="\/ib\/lang\?to=ja&amp;back=[^"]+"[^>]*>日本語<\/a>/
        : /<a class="lang-switch" href="\/ib\/lang\?to=en&amp;back=[^"]+"[^>]*>English<\/a>/,
    );
    if (lang === 'ja') {
      for (const w of ja) expect(page.body, `${name} shows 「${w}」`).toContain(w);
      // The detector the English walk relies on does find the Japanese page's words.
      expect(japaneseLeft(page.body).length, name).toBeGreaterThan(0);
      return;
    }
    expect(japaneseLeft(page.body), `${name}: Japanese on the English page`).toEqual([]);
    for (const w of ja) {
      const id = /^画面ID : (\w+)$/.exec(w)?.[1];
      if (id !== undefined) expect(page.body, name).toContain(`Screen ID: ${id}`);
    }
    for (const w of en) expect(page.body, `${name} shows “${w}”`).toContain(w);
  };
}

/** A browser in a language: English is chosen through the header's switch, as a customer would. */
async function browserIn(ph: PortalHarness, lang: Lang): Promise<Browser> {
  const b = new Browser(ph.app);
  if (lang === 'en') {
    const r = await b.get('/ib/lang?to=en&back=%2Fib%2Flogin');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ib/login');
    expect(b.jar.get('ib_lang')).toBe('en');
  }
  return b;
}

/** The telephony provider's signed webhook: a call from `from` to the 認証先電話番号. */
async function call(ph: PortalHarness, from: string): Promise<void> {
  const params: [string, string][] = [
    ['CallSid', `CA${randomBytes(16).toString('hex')}`],
    ['From', from],
    ['To', '+81120000111'],
    ['Timestamp', String(Math.floor(ph.h.clock.now() / 1000))],
  ];
  const res = await ph.app.inject({
    method: 'POST',
    url: TELEPHONY_WEBHOOK_PATH,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-inkan-signature': signTelephonyRequest(
        TOKEN,
        `${PUBLIC_URL}${TELEPHONY_WEBHOOK_PATH}`,
        params,
      ),
    },
    payload: new URLSearchParams(params).toString(),
  });
  expect(res.statusCode).toBe(200);
}

/** The code of the newest メール通知パスワード mail to `to`. */
function mailCode(ph: PortalHarness, to: string): string {
  const m = [...ph.mails].reverse().find((x) => x.kind === 'mail_otp' && x.to === to);
  const code = m === undefined ? undefined : /([0-9]{6})/.exec(m.text)?.[1];
  if (code === undefined) throw new Error('no メール通知パスワード mail');
  return code;
}

/** A hardware token in the bank's stock (PSKC import), and its OTP at the harness's clock. */
async function stockFob(ph: PortalHarness, serial: string) {
  const secret = new Uint8Array(randomBytes(20));
  await ph.h.platform.importHardware(
    { actor: 'test', clientIp: null },
    {
      serviceId: ph.h.serviceId,
      xml: buildPskc([{ serial, secret }], PSK),
      preSharedKey: PSK,
      batch: 'i18n',
    },
  );
  return {
    serial,
    otp: () =>
      generateTotp({
        hmac: createNodeHmac(secret, 'SHA1'),
        now: ph.h.clock.now(),
        period: 60,
        digits: 8,
      }),
  };
}

/**
 * Every screen of the portal, in `lang`: before login, login and its OTP, the locked page, the
 * 利用促進 page, the top page, BOP001 in each state, BOT010, the software and hardware issuance,
 * 利用開始 (software, BOK501, BOK502), BOS001, 振込, 登録情報の変更, 機種変更 with its
 * 電話番号認証 screen, the pending page and the error pages.
 */
async function walkEverything(ph: PortalHarness, lang: Lang): Promise<Seen[]> {
  const seen: Seen[] = [];
  const see = checker(lang, seen);
  const clock = ph.h.clock;

  // ── before login ──────────────────────────────────────────────────────
  const y = await browserIn(ph, lang);
  see(
    'login',
    await y.get('/ib/login'),
    [
      'ログインID・ログインパスワードの入力',
      'ログインID',
      'ログインパスワード',
      'ワンタイムパスワードアプリのワンタイムパスワードを使用してログインします。',
    ],
    200,
    ['Log in', 'Login ID'],
  );
  see('login after a timeout', await y.get('/ib/login?timeout=1'), [
    '一定時間操作がなかったため、ログアウトしました。再度ログインしてください。',
  ]);
  see(
    'login, wrong password',
    await postLogin(y, { loginId: YAMADA.loginId, password: 'Wrong2026' }),
    ['ログインIDまたはログインパスワードが正しくありません。'],
    400,
    ['The login ID or login password is wrong.'],
  );
  see(
    'login, empty fields',
    await postLogin(y, { loginId: '', password: '' }),
    ['ログインIDを入力してください。', 'ログインパスワードを入力してください。'],
    400,
  );
  see(
    'not found',
    await y.get('/ib/no-such-page'),
    ['ページが見つかりません', 'お探しのページは見つかりませんでした。'],
    404,
    ['Page not found'],
  );
  see(
    'language switch refused',
    await y.get(`/ib/lang?to=${lang}&back=%2F%2Fevil.example%2Fib%2F`),
    ['表示言語を切り替えられませんでした'],
    400,
  );

  // ── 利用促進, top, BOP001 (未登録) ────────────────────────────────────────
  const promote = await login(y, YAMADA);
  see('promote', promote, [
    'ログイン（ワンタイムパスワード利用促進）',
    'ワンタイムパスワード利用申請',
    '申請する',
    '申請しない',
    'ご注意',
  ]);
  see(
    'promote, no choice',
    await y.post('/ib/login/promote', { choice: 'maybe' }),
    ['「申請する」、「申請しない」をご選択下さい。'],
    400,
  );
  see(
    'top',
    await y.get('/ib/top'),
    [
      'トップページ',
      '口座情報',
      '最近のお振込',
      'お振込みの履歴はありません。',
      'ワンタイムパスワード申請はこちら',
      '1,250,000円',
      '普通',
      '定期',
    ],
    200,
    ['¥1,250,000', 'Ordinary', 'Time deposit'],
  );
  see(
    'refused form (CSRF)',
    await y.request('POST', '/ib/flow/cancel', { form: { _csrf: 'forged' } }),
    ['操作を受け付けられませんでした', '画面の有効期限が切れたか、正しくない操作が行われました。'],
    403,
  );
  see('BOP001 未登録', await y.get('/ib/otp'), [
    '画面ID : BOP001',
    'ワンタイムパスワード申請内容選択',
    '未登録',
    '＜ワンタイムパスワードとは＞',
    '＜ワンタイムパスワード認証の停止について＞',
  ]);
  const outOfOrder = await y.get('/ib/otp/issue/software');
  expect(outOfOrder.location).toBe('/ib/otp');
  see(
    'BOP001 out of order',
    await y.follow(outOfOrder),
    ['お手続きの順序が正しくないため、最初からやり直してください。'],
    200,
    ['The steps were not taken in order.'],
  );

  // ── トークン発行 (software) ─────────────────────────────────────────────
  see(
    'BOT010',
    await y.follow(await y.post('/ib/otp/issue/start')),
    [
      '画面ID : BOT010',
      'トークン発行（選択）',
      'ソフトウェアトークン',
      'ハードウェアトークン',
      '有料1,100円',
    ],
    200,
    ['fee ¥1,100'],
  );
  see('BOP001 cancelled', await y.follow(await y.post('/ib/flow/cancel')), [
    'お手続きを中止しました。',
  ]);
  await y.post('/ib/otp/issue/start');
  see(
    'software input',
    await y.follow(await y.post('/ib/otp/issue/select', { type: 'software' })),
    [
      'トークン発行（ソフトウェアトークン発行情報入力）',
      '送付先メールアドレスの指定',
      '利用開始パスワードの指定',
      '必須',
      '申込を中止する',
      '戻る',
    ],
  );
  see(
    'software input, refused',
    await y.post('/ib/otp/issue/software', {
      email: 'taro@',
      emailConfirm: '',
      activationPassword: '12',
      activationPasswordConfirm: '',
    }),
    [
      'メールアドレスは半角英数字記号4～64文字の正しい形式で入力してください。',
      '確認のため、メールアドレスをもう一度入力してください。',
      '利用開始パスワードは半角数字4～8桁で入力してください。',
      '確認のため、利用開始パスワードをもう一度入力してください。',
    ],
    400,
  );
  const confirm = await y.follow(
    await y.post('/ib/otp/issue/software', {
      email: 'taro.phone@example.jp',
      emailConfirm: 'taro.phone@example.jp',
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    }),
  );
  see('software confirm', confirm, [
    'トークン発行（ソフトウェアトークン発行情報入力内容確認）',
    '確認用パスワードの入力',
    '追加認証入力',
    '確定する',
    'taro.phone@example.jp',
  ]);
  see(
    'software confirm, refused',
    await y.post('/ib/otp/issue/software/confirm', {
      confirmPassword: 'kakunin9',
      securityAnswer: 'タマ',
    }),
    ['確認用パスワードが正しくありません。', '追加認証の回答が正しくありません。'],
    400,
  );
  const done = await y.follow(
    await y.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      securityAnswer: SECURITY_ANSWER,
    }),
  );
  see('software done', done, [
    'トークン発行（ソフトウェアトークン発行完了）',
    'サービスID',
    'ユーザID',
    '次のお手続き',
    'ページを印刷する',
  ]);
  see('BOP001 発行済', await y.get('/ib/otp'), ['トークン発行済']);
  const token = await provisionIssued(ph.h, cell(done.body, 'user-id'), '1234');
  see('BOP001 初期設定済', await y.get('/ib/otp'), ['トークン発行済（アプリ初期設定済）']);

  // ── 利用開始 (software) ─────────────────────────────────────────────────
  see('activation (software)', await y.follow(await y.post('/ib/otp/activate/start')), [
    'ワンタイムパスワード利用開始（ソフトウェアトークン確認）',
    '利用開始する',
  ]);
  see(
    'activation, wrong OTP',
    await y.post('/ib/otp/activate', { otp: wrongOtp(token) }),
    ['ワンタイムパスワードが正しくありません。'],
    400,
  );
  see(
    'activation done (software)',
    await y.follow(await y.post('/ib/otp/activate', { otp: token.otp() })),
    [
      'ワンタイムパスワード利用開始（ソフトウェアトークン完了）',
      '以下の内容でワンタイムパスワード利用開始登録を受け付けました。',
    ],
  );
  clock.advance(token.period * 1000);
  see('BOP001 利用中', await y.get('/ib/otp'), [
    '利用中',
    '機種変更によるトークン再発行',
    'スマートフォンの機種変更・紛失の場合',
  ]);
  see('top with the OTP', await y.get('/ib/top'), ['利用中', '申込・変更']);

  // ── 振込 ─────────────────────────────────────────────────────────────
  see('transfer input', await y.get('/ib/transfer'), [
    '振込（振込先・金額の入力）',
    '本日の振込可能額',
    '支払口座',
    '金融機関名',
    '受取人名',
    '当座',
  ]);
  see(
    'transfer input, refused',
    await y.post('/ib/transfer', {
      accountId: '',
      payeeBank: '',
      payeeBranch: '',
      payeeType: 'x',
      payeeAccount: '12',
      payeeName: 'suzuki',
      amount: '0',
    }),
    [
      '支払口座を選択してください。',
      '金融機関名を入力してください。',
      '科目を選択してください。',
      '口座番号は半角数字7桁で入力してください。',
      '受取人名は全角カタカナ30文字以内で入力してください。',
      '振込金額は1円以上の半角数字で入力してください。',
    ],
    400,
  );
  const accountId = /<option value="([0-9]+)"/.exec((await y.get('/ib/transfer')).body)?.[1] ?? '';
  const tConfirm = await y.follow(
    await y.post('/ib/transfer', { accountId, ...PAYEE, amount: '50000' }),
  );
  see(
    'transfer confirm (OTP)',
    tConfirm,
    [
      '振込（振込内容の確認）',
      '振込手数料',
      'お引出し金額合計',
      '50,330円',
      '半角数字（アプリまたはトークンに表示されている数字）',
    ],
    200,
    ['¥50,330'],
  );
  see(
    'transfer confirm, refused',
    await y.post('/ib/transfer/confirm', { confirmPassword: 'x', otp: '' }),
    [
      '確認用パスワードは半角英数字6～12桁で入力してください。',
      'ワンタイムパスワードを入力してください。',
    ],
    400,
  );
  const tDone = await y.follow(
    await y.post('/ib/transfer/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      otp: token.otp(),
    }),
  );
  see(
    'transfer done',
    tDone,
    ['振込（振込受付完了）', '受付番号', '2026年11月23日', 'お支払後残高'],
    200,
    ['23 Nov 2026', 'JST'],
  );
  clock.advance(token.period * 1000);
  see('top with a transfer', await y.get('/ib/top'), ['50,000円', '普通 1234567'], 200, [
    '¥50,000',
    'Ordinary 1234567',
  ]);

  // ── 登録情報の変更 ────────────────────────────────────────────────────
  see('settings menu', await y.get('/ib/settings'), [
    '登録情報の変更',
    'ご登録内容',
    'メールアドレス変更',
    '振込限度額変更',
    'メール通知パスワード利用変更',
  ]);
  see('settings input', await y.follow(await y.post('/ib/settings/limit/start')), [
    '振込限度額変更（入力）',
    '変更後の振込限度額',
    '1万円単位',
  ]);
  see(
    'settings input, refused',
    await y.post('/ib/settings/limit', { value: '12345' }),
    ['振込限度額は1万円単位の半角数字で入力してください。'],
    400,
  );
  see(
    'settings confirm',
    await y.follow(await y.post('/ib/settings/limit', { value: '500000' })),
    ['振込限度額変更（確認）', '変更前', '変更後', '500,000円'],
    200,
    ['¥500,000'],
  );
  see(
    'settings done',
    await y.follow(
      await y.post('/ib/settings/limit/confirm', {
        confirmPassword: YAMADA.confirmPassword,
        otp: token.otp(),
      }),
    ),
    ['振込限度額変更（完了）', '以下の内容で変更を受け付けました。'],
  );
  clock.advance(token.period * 1000);
  see('settings, email input', await y.follow(await y.post('/ib/settings/email/start')), [
    'メールアドレス変更（入力）',
    'メールアドレス（確認用）',
  ]);
  await y.post('/ib/flow/cancel');
  see('settings, refused while OTP', await y.follow(await y.post('/ib/settings/mailOtp/start')), [
    'ワンタイムパスワードをご利用中のため、メール通知パスワードは変更できません。',
  ]);

  // ── 機種変更 and its 電話番号認証 ─────────────────────────────────────────
  see('replace: password', await y.follow(await y.post('/ib/otp/replace/start')), [
    '機種変更（トークン再発行）',
    'お手続きの流れ',
    'ログインパスワードの確認',
    '電話番号認証を行う',
  ]);
  see(
    'replace: wrong password',
    await y.post('/ib/otp/replace', { password: 'Wrong2026' }),
    ['ログインパスワードが正しくありません。'],
    400,
  );
  const phone = await y.follow(await y.post('/ib/otp/replace', { password: YAMADA.password }));
  see('replace: phone check', phone, [
    '機種変更（電話番号認証）',
    '「お届出電話番号」から、120秒以内に「認証先電話番号」にお電話ください。',
    'お届出電話番号',
    '認証先電話番号',
    '残り',
    'お届出電話番号からのお電話をお待ちしています。',
    '>実行</button>',
  ]);
  see(
    'replace: phone check, no call yet',
    await y.post('/ib/otp/replace/phone'),
    ['電話番号認証が完了していません。'],
    400,
  );
  clock.advance(121_000);
  see('replace: phone check expired', await y.get('/ib/otp/replace/phone'), [
    'もう一度電話番号認証を行う',
    'お電話を確認できないまま120秒が経過しました。',
  ]);
  await y.post('/ib/otp/replace/phone/retry');
  await call(ph, '+81 90-1234-5678');
  see(
    'replace: verified, then the new phone’s issuance',
    await y.follow(await y.post('/ib/otp/replace/phone')),
    ['トークン発行（ソフトウェアトークン発行情報入力）', 'ソフトウェアトークン発行情報入力'],
  );
  await y.post('/ib/flow/cancel');

  // ── 利用解除 (BOS001) ─────────────────────────────────────────────────
  clock.advance(token.period * 1000);
  see('BOS001', await y.follow(await y.post('/ib/otp/deactivate/start')), [
    '画面ID : BOS001',
    'ワンタイムパスワード利用解除（利用解除確認）',
    '解除する',
  ]);
  see(
    'BOS001, refused',
    await y.post('/ib/otp/deactivate', { confirmPassword: 'kakunin9', otp: '12' }),
    ['確認用パスワードが正しくありません。', 'ワンタイムパスワードは半角数字で入力してください。'],
    400,
  );
  see(
    'deactivation done',
    await y.follow(
      await y.post('/ib/otp/deactivate', {
        confirmPassword: YAMADA.confirmPassword,
        otp: token.otp(),
      }),
    ),
    ['ワンタイムパスワード利用解除（利用解除完了）', '200,000円'],
    200,
    ['¥200,000'],
  );

  // ── the pending page: a double click's second answer before the first is saved ──
  await y.post('/ib/otp/issue/start');
  await y.post('/ib/otp/issue/select', { type: 'software' });
  await y.post('/ib/otp/issue/software', {
    email: 'taro@example.jp',
    emailConfirm: 'taro@example.jp',
    activationPassword: '1234',
    activationPasswordConfirm: '1234',
  });
  const platform = ph.h.platform;
  const issue = platform.issueToken;
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let entered = () => {};
  const inside = new Promise<void>((r) => (entered = r));
  platform.issueToken = async (...args: Parameters<typeof issue>) => {
    entered();
    await gate;
    return issue(...args);
  };
  try {
    const first = y.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      securityAnswer: SECURITY_ANSWER,
    });
    await inside;
    see('pending', await y.get('/ib/otp/issue/software/done'), [
      'トークン発行（処理中）',
      'ただいまお手続きを処理しています。',
      '画面を更新する',
    ]);
    release();
    expect((await first).location).toBe('/ib/otp/issue/software/done');
  } finally {
    platform.issueToken = issue;
    release();
  }

  // ── a system error ────────────────────────────────────────────────────
  const getToken = platform.getToken;
  platform.getToken = async () => {
    throw new Error('the platform is down (test)');
  };
  try {
    see(
      'system error',
      await y.get('/ib/otp'),
      ['システムエラー', 'ただいまお取り扱いできません。'],
      500,
    );
  } finally {
    platform.getToken = getToken;
  }
  see('logged out', await y.follow(await y.post('/ib/logout')), [
    'ログアウトしました。ご利用ありがとうございました。',
  ]);

  // ── 佐藤: メール通知パスワード, the hardware token (BOK501, BOK502), login OTP, 閉塞 ──
  const s = await browserIn(ph, lang);
  await login(s, SATO);
  const sInput = await s.get('/ib/transfer');
  see(
    'transfer input without OTP',
    sInput,
    [
      'ワンタイムパスワードをご利用でないお客さまの振込限度額は1日あたり20万円です。',
      '梅田支店 普通 2345678（残高 480,000円）',
    ],
    200,
    ['(balance ¥480,000)'],
  );
  const sAccount = /<option value="([0-9]+)"/.exec(sInput.body)?.[1] ?? '';
  const mailConfirm = await s.follow(
    await s.post('/ib/transfer', { accountId: sAccount, ...PAYEE, amount: '10000' }),
  );
  see('transfer confirm (メール通知パスワード)', mailConfirm, [
    'メール通知パスワード送信先',
    '送信日時',
    '送信先メールアドレス',
    'メール通知パスワードを再送信する',
    '確認用パスワード・メール通知パスワード',
  ]);
  const code = mailCode(ph, SATO.email);
  see(
    'transfer confirm, wrong mail code',
    await s.post('/ib/transfer/confirm', {
      confirmPassword: SATO.confirmPassword,
      mailOtp: code === '000000' ? '111111' : '000000',
    }),
    ['メール通知パスワードが正しくありません。'],
    400,
  );
  await s.post('/ib/flow/cancel');

  const fob = await stockFob(ph, '60000000042');
  await s.post('/ib/otp/issue/start');
  see(
    'hardware confirm',
    await s.follow(await s.post('/ib/otp/issue/select', { type: 'hardware' })),
    [
      'トークン発行（ハードウェアトークン発行確認）',
      '発行手数料',
      '1,100円',
      'ハードウェアトークン（キーホルダー型）',
      'トークンを発行する',
    ],
    200,
    ['¥1,100'],
  );
  see(
    'hardware done',
    await s.follow(
      await s.post('/ib/otp/issue/hardware', {
        confirmPassword: SATO.confirmPassword,
        securityAnswer: SECURITY_ANSWER,
      }),
    ),
    [
      'トークン発行（ハードウェアトークン発行完了）',
      'ハードウェアトークン発行申請の受付が完了しました。',
    ],
  );
  see('BOP001 hardware issued', await s.get('/ib/otp'), ['トークン発行済', 'ハードウェアトークン']);
  see('BOK501', await s.follow(await s.post('/ib/otp/activate/start')), [
    '画面ID : BOK501',
    'ワンタイムパスワード利用開始（ハードウェアトークン確認）',
    'シリアル番号の入力',
  ]);
  see(
    'BOK501, refused',
    await s.post('/ib/otp/activate', { serial: '12', otp: 'abc' }),
    [
      'シリアル番号は半角数字8～12桁で入力してください。',
      'ワンタイムパスワードは半角数字で入力してください。',
    ],
    400,
  );
  const bok502 = await s.follow(
    await s.post('/ib/otp/activate', { serial: fob.serial, otp: fob.otp() }),
  );
  see('BOK502', bok502, [
    '画面ID : BOK502',
    'ワンタイムパスワード利用開始（ハードウェアトークン完了）',
    fob.serial,
  ]);
  expect(bok502.body).toContain(fob.serial);
  await s.post('/ib/logout');

  const otpScreen = await login(s, SATO);
  see('login OTP', otpScreen, ['ワンタイムパスワード認証', '認証する', 'ログインを中止する'], 200, [
    'Authenticate',
  ]);
  let locked: Page | null = null;
  for (let i = 0; i < 10 && locked === null; i++) {
    const r = await s.post('/ib/login/otp', { otp: '00000000' });
    if (i === 0) see('login OTP, wrong', r, ['ワンタイムパスワードが正しくありません。'], 400);
    if (r.status === 403) locked = r;
  }
  if (locked === null) throw new Error('never locked');
  see(
    'locked',
    locked,
    [
      'ワンタイムパスワード認証の停止',
      'ワンタイムパスワード認証が停止しているため、ログインできません。',
      '0120-000-000',
    ],
    403,
    ['help desk'],
  );
  return seen;
}

/**
 * The screens the bank's options add: the issuance's メール通知パスワード and its 電話番号認証 step,
 * and the page of too many attempts (a low per-login-ID limit).
 */
async function walkOptions(ph: PortalHarness, lang: Lang): Promise<Seen[]> {
  const seen: Seen[] = [];
  const see = checker(lang, seen);
  const y = await browserIn(ph, lang);
  await login(y, YAMADA);
  await y.post('/ib/otp/issue/start');
  await y.post('/ib/otp/issue/select', { type: 'software' });
  const confirm = await y.follow(
    await y.post('/ib/otp/issue/software', {
      email: 'taro@example.jp',
      emailConfirm: 'taro@example.jp',
      activationPassword: '1234',
      activationPasswordConfirm: '1234',
    }),
  );
  see('issuance confirm with mail code and phone check', confirm, [
    'メール通知パスワード送信先としてご登録のメールアドレスにメール通知パスワードを送信しました。',
    '電話番号認証を行う',
    '電話番号認証',
  ]);
  const phone = await y.follow(
    await y.post('/ib/otp/issue/software/confirm', {
      confirmPassword: YAMADA.confirmPassword,
      mailOtp: mailCode(ph, YAMADA.email),
    }),
  );
  see('issuance phone check', phone, [
    'トークン発行（電話番号認証）',
    '入力内容確認',
    '認証先電話番号',
  ]);
  await call(ph, '+81 90-1234-5678');
  see('issuance done after the call', await y.follow(await y.post('/ib/otp/issue/phone')), [
    'トークン発行（ソフトウェアトークン発行完了）',
  ]);
  const again = await browserIn(ph, lang);
  await postLogin(again, YAMADA);
  see(
    'too many attempts',
    await postLogin(again, YAMADA),
    ['しばらくお待ちください', '短時間に操作が繰り返されたため'],
    429,
  );
  return seen;
}

describe('the portal in English and in Japanese', () => {
  let ph: PortalHarness;
  afterEach(async () => {
    await ph.close();
  });

  for (const lang of ['en', 'ja'] as const) {
    it(`every screen in ${lang === 'en' ? 'English: no Japanese beyond the data' : 'Japanese: the guides’ words'}`, async () => {
      ph = await createPortalHarness({
        policy: { selfServiceReplace: true, issueSecurityQuestion: true },
        portal: {
          telephonyAuthToken: TOKEN,
          publicUrl: PUBLIC_URL,
          phoneCheckNumber: '0120-000-111',
        },
      });
      const seen = await walkEverything(ph, lang);
      expect(seen.length).toBeGreaterThan(60);
    });

    it(`the bank's options in ${lang === 'en' ? 'English' : 'Japanese'}: mail code, phone check, too many attempts`, async () => {
      ph = await createPortalHarness({
        policy: { issueMailOtp: true, issuePhoneCheck: true },
        limits: { loginPerLoginId: 2 },
        portal: {
          telephonyAuthToken: TOKEN,
          publicUrl: PUBLIC_URL,
          phoneCheckNumber: '0120-000-111',
        },
      });
      await walkOptions(ph, lang);
    });
  }
});

describe('the language switch (GET /ib/lang)', () => {
  let ph: PortalHarness;
  beforeEach(async () => {
    ph = await createPortalHarness();
  });
  afterEach(async () => {
    await ph.close();
  });

  it('sets ib_lang (Path=/ib, SameSite=Lax) and returns to the page; Japanese is the default', async () => {
    const b = new Browser(ph.app);
    const ja = await b.get('/ib/login');
    expect(ja.body).toContain('<html lang="ja">');
    expect(ja.body).toContain('href="/ib/lang?to=en&amp;back=%2Fib%2Flogin"');
    const r = await b.get('/ib/lang?to=en&back=%2Fib%2Flogin%3Fbye%3D1');
    expect(r.status).toBe(303);
    expect(r.location).toBe('/ib/login?bye=1');
    const c = r.res.cookies.find((x) => x.name === 'ib_lang');
    expect(c?.value).toBe('en');
    expect(c?.path).toBe('/ib');
    expect(String(c?.sameSite).toLowerCase()).toBe('lax');
    expect(c?.maxAge).toBeGreaterThan(0);
    const en = await b.follow(r);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('You have logged out.');
    expect(en.body).toContain('href="/ib/lang?to=ja&amp;back=%2Fib%2Flogin%3Fbye%3D1"');
    // Back to Japanese: the same page in the guides' words.
    const back = await b.follow(await b.get('/ib/lang?to=ja&back=%2Fib%2Flogin%3Fbye%3D1'));
    expect(b.jar.get('ib_lang')).toBe('ja');
    expect(back.body).toContain('<html lang="ja">');
    expect(back.body).toContain('ログアウトしました。ご利用ありがとうございました。');
    // Without `back` it goes to the top page (the login page when logged out).
    expect((await b.get('/ib/lang?to=en')).location).toBe('/ib/top');
    // An unknown cookie value reads as Japanese.
    b.jar.set('ib_lang', 'fr');
    expect((await b.get('/ib/login')).body).toContain('<html lang="ja">');
  });

  it('returns only to a path of the portal: other sites, other paths and odd values are refused', async () => {
    const b = new Browser(ph.app);
    const refused = [
      'https://evil.example/ib/top',
      '//evil.example/ib/top',
      '/\\evil.example/ib/top',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/admin',
      '/ibx/top',
      '/ib/../admin',
      '/ib/%2e%2e/admin',
      ' /ib/top',
      '/ib/top\r\nSet-Cookie: x=1',
      'ib/top',
      '/ib/lang?to=en&back=/ib/top',
      '',
    ];
    for (const back of refused) {
      const r = await b.get(`/ib/lang?to=en&back=${encodeURIComponent(back)}`);
      expect(r.status, back).toBe(400);
      expect(r.location, back).toBeUndefined();
      expect(
        r.res.cookies.find((x) => x.name === 'ib_lang'),
        back,
      ).toBeUndefined();
    }
    for (const q of [
      'to=fr&back=%2Fib%2Ftop',
      'back=%2Fib%2Ftop',
      'to=en&to=ja&back=%2Fib%2Ftop',
      'to=en&back=%2Fib%2Fa&back=%2Fib%2Fb',
    ]) {
      const r = await b.get(`/ib/lang?${q}`);
      expect(r.status, q).toBe(400);
      expect(
        r.res.cookies.find((x) => x.name === 'ib_lang'),
        q,
      ).toBeUndefined();
    }
    // Normalised: what is left is a path under /ib of this site.
    expect((await b.get('/ib/lang?to=en&back=%2Fib%2Fotp%2F..%2Ftop')).location).toBe('/ib/top');
    expect((await b.get('/ib/lang?to=en&back=%2Fib%2Fotp%23frag')).location).toBe('/ib/otp');
  });

  it('switching mid-procedure keeps the session, the step and its values', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    await b.post('/ib/otp/issue/select', { type: 'software' });
    const confirm = await b.follow(
      await b.post('/ib/otp/issue/software', {
        email: 'taro.phone@example.jp',
        emailConfirm: 'taro.phone@example.jp',
        activationPassword: '4321',
        activationPasswordConfirm: '4321',
      }),
    );
    expect(confirm.body).toContain('トークン発行（ソフトウェアトークン発行情報入力内容確認）');
    const sid = b.jar.get('ib_sid');
    const csrf = b.csrf;

    const switched = await b.get('/ib/lang?to=en&back=%2Fib%2Fotp%2Fissue%2Fsoftware%2Fconfirm');
    expect(switched.location).toBe('/ib/otp/issue/software/confirm');
    expect(switched.res.cookies.map((c) => c.name)).toEqual(['ib_lang']);
    const en = await b.follow(switched);
    expect(en.body).toContain('Issue a token (check software token details)');
    expect(en.body).toContain('taro.phone@example.jp');
    expect(b.jar.get('ib_sid')).toBe(sid);
    expect(b.csrf).toBe(csrf);

    // 戻る in English: the input step with the e-mail address kept (never the password).
    const input = await b.follow(await b.post('/ib/flow/back'));
    expect(input.body).toContain('Issue a token (software token details)');
    expect(inputValue(input.body, 'email')).toBe('taro.phone@example.jp');
    expect(inputValue(input.body, 'activationPassword')).toBe('');
    // A refusal comes in English, next to its field.
    const refused = await b.post('/ib/otp/issue/software', {
      email: 'taro.phone@example.jp',
      emailConfirm: 'other@example.jp',
      activationPassword: '4321',
      activationPasswordConfirm: '4321',
    });
    expect(refused.body).toContain('The two e-mail addresses do not match.');
    // On in English, then back to Japanese at the confirm step: the same procedure finishes once.
    await b.post('/ib/otp/issue/software', {
      email: 'taro.phone@example.jp',
      emailConfirm: 'taro.phone@example.jp',
      activationPassword: '4321',
      activationPasswordConfirm: '4321',
    });
    const ja = await b.follow(
      await b.get('/ib/lang?to=ja&back=%2Fib%2Fotp%2Fissue%2Fsoftware%2Fconfirm'),
    );
    expect(ja.body).toContain('トークン発行（ソフトウェアトークン発行情報入力内容確認）');
    const done = await b.follow(
      await b.post('/ib/otp/issue/software/confirm', { confirmPassword: YAMADA.confirmPassword }),
    );
    expect(done.body).toContain('トークン発行（ソフトウェアトークン発行完了）');
    expect((await ph.client.getToken(YAMADA.platformRef))?.state).toBe('issued');
    // The issuance mail stays Japanese (mails are out of the switch's scope).
  });

  it('a notice waiting in the session is drawn in the language of the page that shows it', async () => {
    const b = new Browser(ph.app);
    await login(b, YAMADA);
    await b.post('/ib/otp/issue/start');
    const cancelled = await b.post('/ib/flow/cancel');
    expect(cancelled.location).toBe('/ib/otp');
    await b.get('/ib/lang?to=en&back=%2Fib%2Fotp');
    const en = await b.get('/ib/otp');
    expect(en.body).toContain('The procedure was cancelled.');
    expect(en.body).not.toContain('お手続きを中止しました。');
  });

  it('a platform refusal reads in English (ERRORS[code].en), in Japanese by default (.ja)', async () => {
    for (const lang of ['en', 'ja'] as const) {
      const who = lang === 'en' ? YAMADA : SATO;
      const b = await browserIn(ph, lang);
      await login(b, who);
      await b.post('/ib/otp/issue/start');
      await b.post('/ib/otp/issue/select', { type: 'software' });
      await b.post('/ib/otp/issue/software', {
        email: 'x@example.jp',
        emailConfirm: 'x@example.jp',
        activationPassword: '1234',
        activationPasswordConfirm: '1234',
      });
      // Meanwhile the bank's staff activated a token for the customer: the platform refuses.
      await activeCustomer(ph.h, who.platformRef);
      const r = await b.post('/ib/otp/issue/software/confirm', {
        confirmPassword: who.confirmPassword,
      });
      expect(r.status).toBe(409);
      expect(r.body).toContain(ERRORS.TOKEN_EXISTS[lang]);
    }
  });
});
