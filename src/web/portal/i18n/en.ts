/**
 * The portal's words in English, behind the header's switch (SPEC.md, "Parts"). The same shape
 * as `ja.ts`, so a missing or extra text does not compile. Plain, short sentences in the tone of
 * the token app's English; the guides' screen IDs stay as they are, and what customers typed or
 * the bank holds (names, addresses, branches, payees) is shown as it is.
 */
import { ERRORS, type ErrorCode } from '../../../core/index.js';
import { html, type Html } from '../../shared/html.js';
import { jstFields, jstFieldsOfIso, pad2 } from './format.js';
import type { Messages } from './ja.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The bank's 科目 in English; anything else is shown as the bank wrote it. */
const ACCOUNT_TYPES: Readonly<Record<string, string>> = {
  普通: 'Ordinary',
  当座: 'Current',
  定期: 'Time deposit',
};

/** "A", "A and B", "A, B and C". */
function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export const en: Messages = {
  /** ¥1,234,567. */
  yen: (n) => `¥${n.toLocaleString('en-US')}`,
  /** 23 Nov 2026 14:05 JST ('' for none). */
  dateTime: (iso, seconds = false) => {
    const d = jstFieldsOfIso(iso);
    if (d === null) return '';
    return (
      `${d.day} ${MONTHS[d.month - 1] ?? ''} ${d.year} ` +
      `${pad2(d.hour)}:${pad2(d.minute)}${seconds ? `:${pad2(d.second)}` : ''} JST`
    );
  },
  /** 14:05:30 JST. */
  time: (ms) => {
    const d = jstFields(ms);
    return `${pad2(d.hour)}:${pad2(d.minute)}:${pad2(d.second)} JST`;
  },
  refusal: (code: ErrorCode) => ERRORS[code].en,
  accountType: (type) => ACCOUNT_TYPES[type] ?? type,
  list: joinList,

  layout: {
    service: 'Internet Banking',
    title: (screen, bank) => `${screen} | ${bank} Internet Banking`,
    customer: (name) => name,
    lastLogin: (when) => `Last login ${when}`,
    logout: 'Log out',
    navLabel: 'Main menu',
    nav: {
      home: 'Home',
      transfer: 'Transfer',
      services: 'Services',
      settings: 'Registered details',
    },
    screenId: (id) => `Screen ID: ${id}`,
    footer: (bank) => `${bank} Internet Banking | One-time passwords provided by Inkan`,
    switchTo: '日本語',
    switchLabel: '日本語で表示',
  },

  common: {
    required: 'Required',
    steps: 'Steps',
    cancel: 'Cancel',
    back: 'Back',
    next: 'Next',
    confirm: 'Confirm',
    toTop: 'To the top page',
    toLogin: 'To the login page',
    toOtpMenu: 'To the one-time password menu',
    halfDigits: 'Digits',
    emailHint: '4 to 64 letters, digits and symbols',
    enterTwice: 'Enter it again to confirm',
    email: 'E-mail address',
    emailConfirm: 'E-mail address (again)',
    emailRequired: 'Enter the e-mail address.',
    emailFormat: 'Enter a valid e-mail address of 4 to 64 letters, digits and symbols.',
    emailAgain: 'Enter the e-mail address again to confirm it.',
    emailMismatch: 'The two e-mail addresses do not match.',
    notRegistered: 'Not registered',
    phoneCheckButton: 'Verify by phone',
    phoneCheckStep: 'Phone verification',
    loginPassword: 'Login password',
    loginPasswordSection: 'Login password',
    loginPasswordRequired: 'Enter the login password.',
    loginPasswordTooLong: 'The login password is at most 64 characters.',
    loginPasswordWrong: 'The login password is wrong.',
    pleaseCheck: 'Please note',
    notes: 'Notes',
    tokenInfo: 'Token',
    newTokenInfo: 'Token (the new one)',
    tokenType: 'Token type',
    serviceId: 'Service ID',
    userId: 'User ID',
    serial: 'Serial number',
    validUntil: 'Valid until',
    dailyLimit: 'Transfer limit (per day)',
    inUse: 'In use',
    notUsed: 'Not used',
  },

  confirmPassword: {
    name: 'confirmation password',
    section: 'Confirmation password',
    label: 'Confirmation password',
    hint: '6 to 12 letters and digits',
    required: 'Enter the confirmation password.',
    format: 'The confirmation password is 6 to 12 letters and digits.',
    wrong: 'The confirmation password is wrong.',
  },

  otpInput: {
    name: 'one-time password',
    section: 'One-time password',
    label: 'One-time password',
    required: 'Enter the one-time password.',
    transferHint: 'Digits (as shown in the app or on the token)',
  },

  otpRefused: {
    format: 'Enter the one-time password in digits.',
    invalid:
      'The one-time password is wrong. Enter the latest one shown in the app (or on the token).',
    replayed: 'This one-time password has already been used. Wait for the next one and enter it.',
    locked: 'One-time password authentication is suspended. Please call the bank.',
    not_active: 'The one-time password app is not set up yet. Set it up, then try again.',
    expired: 'The token issuance has expired. Issue a token again.',
    no_token: 'No one-time password is registered.',
  },

  mailOtp: {
    name: 'e-mail password',
    section: 'E-mail password',
    sendFailed: 'The e-mail password could not be sent. Press “Send the e-mail password again”.',
    sentLead: 'Look for the e-mail whose text shows the time below: it holds your e-mail password.',
    sentAt: 'Sent at',
    sentTo: 'Sent to',
    label: 'E-mail password',
    hint: '6 digits',
    resend: 'Send the e-mail password again',
    sentNotice: 'An e-mail password has been sent to your registered e-mail password address.',
    required: 'Enter the e-mail password.',
    format: 'The e-mail password is 6 digits.',
    refused: {
      wrong: 'The e-mail password is wrong.',
      void: 'Too many wrong e-mail passwords: it is void. Use “Send the e-mail password again” to get a new one.',
      none: 'No e-mail password has been sent. Press “Send the e-mail password again”.',
    },
  },

  question: {
    name: 'security answer',
    section: 'Security question',
    question: 'Question',
    label: 'Answer',
    hint: 'Up to 16 characters',
    required: 'Enter the answer to the security question.',
    tooLong: 'The answer is at most 16 characters.',
    wrong: 'The answer to the security question is wrong.',
  },

  notices: {
    outOfOrder: 'The steps were not taken in order. Please start again.',
    cancelled: 'The procedure was cancelled.',
    notAllowed: 'This procedure is not available with your current registration.',
    activatedReplaced:
      'One-time passwords are now in use. Your previous token has been deactivated.',
    activated:
      'One-time passwords are now in use. From your next login, you will be asked for one.',
    activateFailed:
      'The activation could not be completed. Please use “Start using one-time passwords”.',
    appOtpNotNew:
      'The app’s one-time password could not be confirmed. Enter the one-time password of the token you use now.',
    appOtpWrong:
      'The app’s one-time password could not be confirmed. Enter the one-time password shown in the app.',
    mailOtpWhileOtp: 'While one-time passwords are in use, the e-mail password cannot be changed.',
  },

  sorry: {
    csrf: {
      title: 'The request was not accepted',
      message: 'The page has expired or the request was not valid. Please start again.',
    },
    busy: {
      title: 'Please wait',
      message:
        'Too many requests in a short time: we have paused for a moment. Please try again later.',
    },
    unavailable: {
      title: 'Busy right now',
      message: 'The service is not available right now. Please try again in a moment.',
    },
    server: {
      title: 'System error',
      message: 'The service is not available right now. Please try again later.',
    },
    badRequest: {
      title: 'The request was not accepted',
      message: 'What was sent could not be accepted. Please open the page again and retry.',
    },
    notFound: {
      title: 'Page not found',
      message: 'The page you are looking for was not found.',
    },
    badLanguage: {
      title: 'The language could not be switched',
      message: 'The language switch’s link is not valid. Please open the page again and retry.',
    },
  },

  pending: {
    title: (procedure) => `${procedure} (processing)`,
    message:
      'Your request is being processed. Do not repeat it; wait a moment, then press “Refresh”.',
    refresh: 'Refresh',
  },

  login: {
    title: 'Log in',
    section: 'Login ID and login password',
    appOtpNote: 'You will log in with the one-time password from the app.',
    loginId: 'Login ID',
    submit: 'Log in',
    timeout: 'You were logged out after a period without activity. Please log in again.',
    bye: 'You have logged out. Thank you for banking with us.',
    expired: 'The page has expired. Please log in again.',
    loginIdRequired: 'Enter the login ID.',
    loginIdTooLong: 'The login ID is at most 32 characters.',
    loginIdBadChar: 'The login ID contains characters that cannot be used.',
    wrong: 'The login ID or login password is wrong.',
    locked: (phone) =>
      `Login is suspended after repeated wrong login passwords. Please call ${phone}.`,
    otpTitle: 'One-time password',
    otpLead: (name) =>
      `${name}, enter the one-time password shown in the app (or on the hardware token), then press “Authenticate”.`,
    otpSubmit: 'Authenticate',
    quit: 'Cancel login',
  },

  locked: {
    title: 'One-time password authentication suspended',
    alert: 'One-time password authentication is suspended, so you cannot log in.',
    section: 'Please contact us',
    body: [
      'One-time password authentication was suspended after too many wrong one-time passwords in a row, to prevent unauthorized logins.',
      'The bank will check the situation and lift the suspension. Please call the number below.',
    ],
    helpdesk: (bank, phone) => `${bank} Internet Banking help desk  ${phone}`,
    hours: ' (weekdays 9:00–17:00 JST)',
  },

  promote: {
    title: 'Log in (one-time passwords)',
    lead: 'Choose whether to apply for one-time passwords, then press “Next”.',
    section: 'Apply for one-time passwords',
    apply: 'Apply',
    skip: 'Do not apply',
    notesTitle: 'Please note',
    notes: [
      '* Choose “Apply” or “Do not apply”.',
      '* “Apply” leads to the one-time password menu.',
      '* “Do not apply” leads to the top page.',
    ],
    choose: 'Choose “Apply” or “Do not apply”.',
  },

  top: {
    title: 'Top page',
    promote: 'One-time passwords give stronger protection against fraudulent transfers.',
    promoteLink: 'Apply for one-time passwords',
    accounts: 'Accounts',
    branch: 'Branch',
    type: 'Type',
    number: 'Account number',
    balance: 'Balance',
    branchCell: (name, code) => `${name} (${code})`,
    transfer: 'Transfer',
    otp: 'One-time password',
    settings: 'Change registered details',
    recent: 'Recent transfers',
    noTransfers: 'No transfers yet.',
    at: 'Accepted',
    payee: 'Payee account',
    payeeName: 'Payee name',
    amount: 'Amount',
    usage: 'Your services',
    change: 'Apply or change',
  },

  otp: {
    states: {
      none: 'Not registered',
      locked: 'Suspended (locked)',
      replacing: 'In use (new token issued)',
      active: 'In use',
      expired: 'Not registered (the issued token expired)',
      provisioned: 'Token issued (app set up)',
      issued: 'Token issued',
    },
    types: { software: 'Software token', hardware: 'Hardware token' },
    confirmLead: (asks, button) => `Check the details, enter the ${asks}, then press “${button}”.`,
    issue: 'Issue a token',
    activate: 'Start using one-time passwords',
    deactivate: 'Stop using one-time passwords',
    bop001: {
      title: 'One-time password menu',
      lead: [
        'Your one-time password registration is shown below.',
        'To make a change, press its button.',
      ],
      registration: 'One-time password registration',
      state: 'Status',
      activateBy: 'Valid until (start using by)',
      activatedAt: 'In use since',
      setUpFirst:
        'If the one-time password app is not set up yet, set it up with the service ID and user ID from the issuance e-mail and your activation password, then press “Start using one-time passwords”.',
      replaceTitle: 'New or lost smartphone',
      replaceBody:
        'After a phone verification from your registered phone number, a token can be issued to your new smartphone (no paper forms). Your current token keeps working until the new one is in use.',
      replaceButton: 'Reissue the token for a new phone',
      newPhoneFirst:
        'Set up the one-time password app on the new smartphone, then press “Start using one-time passwords”. Until then, your current token keeps working.',
      notes: [
        {
          heading: 'What is a one-time password?',
          body: [
            '• A one-time password is a single-use password that changes every minute. You read it on your smartphone (or token) and enter it on your computer.',
            '• Entering it at login, in addition to your login ID and login password, gives stronger protection against unauthorized use.',
          ],
        },
        {
          heading: 'Issue a token',
          body: [
            'To use one-time passwords, a token must be issued first. On the next page, choose a software token or a hardware token.',
          ],
        },
        {
          heading: 'Start using one-time passwords',
          body: [
            'Start using one-time passwords once the app is set up (software token) or once the token has arrived (hardware token). From your next login, you will be asked for one.',
          ],
        },
        {
          heading: 'Stop using one-time passwords',
          body: [
            '• When your current one-time password app can no longer be used (for example after changing phones), stop using one-time passwords. From your next login, the one-time password page is not shown and you log in as usual.',
            '• After changing phones, issue a token and start using one-time passwords again.',
            '• Once you stop, the transfer limit becomes ¥200,000 a day.',
          ],
        },
        {
          heading: 'Suspension of one-time password authentication',
          body: [
            'After too many wrong one-time passwords in a row, one-time password authentication is suspended to prevent unauthorized logins, and you can no longer log in. The bank lifts the suspension: please call us.',
          ],
        },
      ],
    },
    bot010: {
      title: 'Issue a token (choose)',
      lead: 'Choose the type of token.',
      section: 'Token type',
      select: 'Choose',
      software: 'shown in an app on your mobile phone or smartphone',
      hardware: (fee) => `shown on a key-ring device; fee ${fee}`,
      choice: (label, desc) => html`<strong>${label}</strong> (${desc})`,
    },
    softSteps: {
      input: 'Software token details',
      confirm: 'Check software token details',
      confirmShort: 'Check details',
      done: 'Software token issued',
    },
    hardSteps: {
      confirm: 'Check hardware token issuance',
      done: 'Hardware token issued',
    },
    softInput: {
      title: 'Issue a token (software token details)',
      lead: [
        'A software token will be issued.',
        'Enter the e-mail address to send it to and an activation password, then press “Next”.',
      ],
      emailSection: 'E-mail address to send to',
      emailLead:
        'Enter the e-mail address of the smartphone (or mobile phone) that will hold the token.',
      email: 'Smartphone e-mail address',
      emailConfirm: 'Smartphone e-mail address (again)',
      passwordSection: 'Activation password',
      passwordLead: [
        'Choose an activation password of 4 to 8 digits; the token’s issuance needs it.',
        'Note it down or make sure you remember it.',
      ],
      password: 'Activation password',
      passwordHint: '4 to 8 digits',
      passwordConfirm: 'Activation password (again)',
      passwordNote:
        '* The activation password is not used every day: only when setting up the app, next. Choose any digits you like.',
      emailRequired: 'Enter the smartphone e-mail address.',
      passwordRequired: 'Enter the activation password.',
      passwordFormat: 'The activation password is 4 to 8 digits.',
      passwordAgain: 'Enter the activation password again to confirm it.',
      passwordMismatch: 'The two activation passwords do not match.',
    },
    softConfirm: {
      title: 'Issue a token (check software token details)',
      sendTo: 'E-mail address to send to',
    },
    softDone: {
      title: 'Issue a token (software token issued)',
      accepted: [
        'The token issuance has been accepted.',
        'An e-mail for the token will be sent to the smartphone e-mail address.',
        'Please set up one-time passwords with the token details below.',
      ],
      print: 'Print this page',
      nextTitle: 'Next steps',
      setUp: (app: Html) =>
        html`1. On your smartphone, open the one-time password app (${app}) and set it up with the service ID and user ID above and the activation password you chose.`,
      next: [
        '2. Once set up, log in with the app’s “Log in with this one-time password”, or press “Start using one-time passwords” here.',
        '* If you do not start using it within a set time, the issued token becomes void.',
        '* If your smartphone filters junk mail, allow the token’s issuance e-mail through.',
      ],
    },
    hardConfirm: {
      title: 'Issue a token (check hardware token issuance)',
      lead: 'Read the notes, then enter the confirmation password and press “Issue the token”.',
      details: 'Issuance',
      kind: 'Hardware token (key ring)',
      fee: 'Issuance fee',
      feeNote: ' (tax included, debited from your registered account)',
      sendTo: 'Delivery address',
      byPost: 'Sent by post to your registered address.',
      notes: (fee) => [
        '* When a hardware token expires, reissuing it asks for a one-time password (possible from 90 days before it expires).',
        '* A hardware token that was deactivated cannot be used again.',
        `* The device fee of ${fee} is charged for each issuance.`,
      ],
      submit: 'Issue the token',
    },
    hardDone: {
      title: 'Issue a token (hardware token issued)',
      accepted: 'Your hardware token application has been accepted.',
      nextTitle: 'Next steps',
      next: (fee) => [
        `The bank will send the hardware token to your registered address (issuance fee ${fee}).`,
        'When it arrives, use “Start using one-time passwords” and enter its serial number and a one-time password.',
      ],
    },
    phoneTitle: 'Issue a token (phone verification)',
    activation: {
      titleInput: (kind) => `Start using one-time passwords (${kind.toLowerCase()}: check)`,
      titleDone: (kind) => `Start using one-time passwords (${kind.toLowerCase()}: done)`,
      stepInput: (kind) => `Check ${kind.toLowerCase()}`,
      stepDone: (kind) => `${kind} in use`,
      leadHardware:
        'Enter the serial number printed on the token and a one-time password, then press “Start using”.',
      leadSoftware: 'Enter the one-time password shown in the app, then press “Start using”.',
      serialSection: 'Serial number',
      serialHint: '8 to 12 digits (on the back of the token)',
      submit: 'Start using',
      accepted: [
        'One-time passwords are now registered as in use, as below.',
        'From your next login, you will be asked for a one-time password.',
      ],
      serialRequired: 'Enter the serial number.',
      serialFormat: 'The serial number is 8 to 12 digits.',
    },
    deactivation: {
      title: 'Stop using one-time passwords (check)',
      titleDone: 'Stop using one-time passwords (done)',
      steps: ['Check', 'Done'],
      lead: 'Enter the confirmation password and a one-time password, then press “Stop using”.',
      warn: 'Once you stop, no one-time password is asked for from your next login, and the transfer limit becomes ¥200,000 a day. A hardware token cannot be used again afterwards.',
      submit: 'Stop using',
      done: 'One-time passwords are no longer in use.',
      after: (limit) => [
        'From your next login, the one-time password page is not shown.',
        `The transfer limit is now ${limit} a day.`,
        'After changing phones, issue a token and start using one-time passwords again on the new smartphone.',
      ],
    },
  },

  transfer: {
    name: 'Transfer',
    steps: ['Payee and amount', 'Check the transfer', 'Transfer accepted'],
    account: (branch, type, number) => `${branch} ${type} ${number}`,
    accountWithBalance: (account, balance) => `${account} (balance ${balance})`,
    inputTitle: 'Transfer (payee and amount)',
    inputLead: 'Enter the payee and the amount, then press “Next”.',
    today: 'Available today',
    sentToday: 'Sent today',
    withoutOtp:
      'Without one-time passwords, the transfer limit is ¥200,000 a day. Once they are in use, you can change the limit.',
    from: 'Pay from',
    payee: 'Payee',
    payeeBank: 'Bank',
    payeeBankHint: 'e.g. Inkan Bank',
    payeeBranch: 'Branch',
    payeeBranchHint: 'e.g. Head Office',
    payeeType: 'Account type',
    payeeAccount: 'Account number',
    payeeAccountHint: '7 digits',
    payeeName: 'Payee name',
    payeeNameHint: 'In full-width katakana (e.g. ヤマダ タロウ)',
    amountSection: 'Amount',
    amount: 'Amount (yen)',
    confirmTitle: 'Transfer (check)',
    confirmLead: (asks) => `Check the transfer, enter the ${asks}, then press “Send the transfer”.`,
    details: 'Transfer',
    payeeBankRow: 'Payee bank',
    payeeBranchRow: 'Payee branch',
    payeeAccountRow: 'Account type and number',
    amountRow: 'Amount',
    fee: 'Transfer fee',
    total: 'Total debited',
    submit: 'Send the transfer',
    doneTitle: 'Transfer (accepted)',
    accepted: 'The transfer below has been accepted.',
    receipt: 'Receipt',
    receiptNo: 'Receipt number',
    at: 'Accepted at',
    balanceAfter: 'Balance after payment',
    again: 'Make another transfer',
    fromRequired: 'Choose the account to pay from.',
    textRequired: (label) => `Enter the ${label.toLowerCase()}.`,
    textTooLong: (label) => `The ${label.toLowerCase()} is at most 30 characters.`,
    typeRequired: 'Choose the account type.',
    accountFormat: 'The account number is 7 digits.',
    nameRequired: 'Enter the payee name.',
    nameFormat: 'Enter the payee name in full-width katakana, at most 30 characters.',
    amountRequired: 'Enter the amount.',
    amountFormat: 'Enter the amount in digits, at least ¥1.',
    overLimit: (left) => `The amount is more than you can send today (${left}).`,
    shortOfFunds: 'The account’s balance is not enough (the fee included).',
    refusedLimit: 'The transfer would exceed what you can send today, so it was not sent.',
    refusedFunds: 'The account’s balance is not enough, so the transfer was not sent.',
  },

  settings: {
    title: 'Change registered details',
    titles: {
      email: 'Change e-mail address',
      limit: 'Change transfer limit',
      mailOtp: 'Change e-mail password use',
    },
    items: {
      email: 'E-mail address',
      limit: 'Transfer limit',
      mailOtp: 'E-mail password use',
    },
    steps: ['Enter the change', 'Check the change', 'Done'],
    inputTitle: (what) => `${what} (enter)`,
    confirmTitle: (what) => `${what} (check)`,
    doneTitle: (what) => `${what} (done)`,
    lead: 'Your registered details are shown below. Press the button of what to change.',
    registered: 'Registered details',
    mailOtpInUse: (to) => `In use (sent to ${to})`,
    notes: (max) => [
      '• With one-time passwords in use, changing your details asks for one.',
      '• One-time passwords and the e-mail password cannot be used together: while one-time passwords are in use, the e-mail password cannot be changed.',
      `• The transfer limit is up to ${max} a day with one-time passwords, ¥200,000 without.`,
    ],
    currentLimit: 'Current transfer limit',
    perDay: 'Per day',
    upTo: 'Highest you can set',
    newLimit: 'New transfer limit',
    limitLabel: 'Transfer limit (yen)',
    limitHint: (max) => `In steps of ¥10,000, up to ${max} (digits)`,
    current: 'Currently registered',
    mailOtpTo: 'E-mail password address',
    newEmail: 'New e-mail address',
    newMailOtpTo: 'New e-mail password address',
    mailOtpNext: '* On the next page, enter the e-mail password sent to the new address.',
    inputLead: 'Enter the change, then press “Next”.',
    confirmLead: (asks) => `Check the change, enter the ${asks}, then press “Confirm the change”.`,
    change: 'Change',
    before: 'Before',
    after: 'After',
    submit: 'Confirm the change',
    accepted: 'The change below has been accepted.',
    changed: 'Now registered',
    toMenu: 'To registered details',
    limitRequired: 'Enter the transfer limit.',
    limitFormat: 'Enter the transfer limit in digits, in steps of ¥10,000.',
    limitMax: (max) => `The transfer limit is at most ${max}.`,
    limitWithoutOtp: 'Without one-time passwords, the transfer limit is at most ¥200,000.',
    limitSame: 'This is the current transfer limit.',
    same: 'This is what is registered now.',
  },

  replace: {
    title: 'New phone (token reissue)',
    phoneTitle: 'New phone (phone verification)',
    steps: [
      'Login password',
      'Phone verification',
      'Software token details',
      'Check details',
      'Issued',
    ],
    lead: 'When your smartphone is replaced or lost, a token is issued to the one-time password app on the new smartphone. No paper forms are needed.',
    flowTitle: 'How it works',
    flow: [
      '1. Enter your login password.',
      '2. Call the verification number from your registered phone number to confirm it is you (phone verification).',
      '3. Register the new smartphone’s e-mail address and an activation password; the token is issued.',
      '4. Set up the app on the new smartphone and start using one-time passwords: your previous token is then deactivated automatically, and we tell you by e-mail.',
      '* Until the new token is in use, your current token (if you still have it) keeps working.',
    ],
  },

  phoneCheck: {
    lead: (seconds) =>
      `Within ${seconds} seconds, call the “verification number” from your “registered phone number”.`,
    notes: [
      '* Once verified, the call ends by itself and the next page opens automatically.',
      '* If the page does not change after the call ends, press “Continue”.',
      '* If your number is withheld, dial 186 before the verification number.',
    ],
    section: 'Phone verification',
    registered: 'Registered phone number',
    number: 'Verification number',
    left: (count) => html`${count} seconds left`,
    deadline: (time) => ` (until ${time})`,
    status: {
      pending: 'Waiting for your call from the registered phone number.',
      verified: 'Phone verification is complete. Moving to the next page.',
      expired: 'No call was received within 120 seconds. Please do the phone verification again.',
    },
    run: 'Continue',
    retry: 'Verify by phone again',
    notVerified:
      'Phone verification is not complete. Call the verification number from your registered phone number, and press “Continue” after the call ends.',
  },
  /** 生体認証ログイン (guide 000, STEP 5; issue 6): the login tab, the app's 登録, settings. */
  passkeys: {
    tabPassword: 'Log in with password',
    tabPasskey: 'Log in with biometrics',
    tabsLabel: 'How to log in',
    section: 'Log in with biometrics',
    lead: 'On a phone where biometric login was set up in the one-time password app, you can log in with your fingerprint or face. Press “Log in” and follow the phone’s prompt.',
    submit: 'Log in',
    noScript: 'Turn on JavaScript in your browser to log in with biometrics.',
    unsupported:
      'This browser does not support biometric login. Log in with your ID and password instead.',
    working: 'Follow the prompt on your device.',
    cancelled:
      'The biometric check did not complete. Press “Log in” again, or log in with your ID and password.',
    refused: {
      invalid: 'Your biometric login could not be confirmed. Please try again.',
      challenge_invalid:
        'This login request has expired or was already used. Press “Log in” again.',
      user_not_verified: 'Your fingerprint or face could not be confirmed. Please try again.',
      unknown_credential:
        'Biometric login is not registered on this device, or was removed. Set it up in the one-time password app.',
      counter_regressed:
        'Something is wrong with this device’s biometric login, so you cannot log in with it. Please call the bank.',
      already_registered: 'This device is already registered.',
    },
    setupNote: 'Set it up in the one-time password app (“Biometric login setup”).',
    settingsTitle: 'Devices for biometric login',
    settingsLead:
      'These devices can log in with biometrics. Remove any device you no longer use or have lost.',
    device: 'Device',
    registered: 'Registered',
    lastUsed: 'Last used',
    never: 'Not yet used',
    none: 'No device is registered.',
    remove: 'Remove',
    removeOtpLead: 'You use one-time passwords, so removing a device needs the current one.',
    removed: 'Biometric login was removed from the device.',
    notFound: 'This device has already been removed.',
    link: 'Devices for biometric login',
    toSettings: 'Back to settings',
  },
  transactionAuth: {
    title: 'Transfer (transaction authentication)',
    steps: ['Payee and amount', 'Confirm', 'Transaction authentication', 'Accepted'],
    lead: 'Please check the transaction in the one-time password app on your smartphone.',
    howTo: [
      'Open the one-time password app: it shows the payee and amount below.',
      'Press "Approve" if they are right, or "Reject" if you do not recognise them.',
      'Once you approve, this screen moves on by itself.',
    ],
    warning: 'Never approve if the payee or amount in the app differs from the details below.',
    details: 'Transaction shown in the app',
    payee: 'Payee',
    amount: 'Amount',
    expiresAt: 'Valid until',
    waiting: 'Waiting for your approval in the app…',
    approved: 'Approved in the app. Accepting your transfer.',
    offlineSection: 'If the app cannot connect to the internet',
    offlineLead:
      'On the app\'s "Transaction code" screen, enter the payee\'s account number and the amount, then enter the 8-digit code it shows here and press "Submit".',
    codeLabel: 'Transaction code',
    codeHint: '8 digits',
    run: 'Submit',
    codeRequired: 'Please enter the transaction code.',
    codeFormat: 'The transaction code is 8 digits.',
    codeWrong:
      'The transaction code is not correct. Check the account number and amount and try again.',
    notYet: 'Not approved in the app yet. Please check the transaction in the app.',
    rejectedTitle: 'Transfer (cancelled)',
    rejected: 'The transfer was rejected in the app and has been cancelled. No money was sent.',
    rejectedNote:
      'If the app showed a transfer you did not make, change your login password and contact the bank.',
    expiredTitle: 'Transfer (expired)',
    expired:
      'The transaction authentication has expired. No money was sent. Please start the transfer again.',
    failed:
      'The transfer was cancelled after repeated wrong codes. No money was sent. Please start the transfer again.',
    mismatch: 'The transaction did not match and the transfer was cancelled. No money was sent.',
    cancelled: 'You stopped this transfer. No money was sent.',
    noToken:
      'Your one-time password cannot be used now, so transaction authentication cannot start.',
    again: 'Make another transfer',
  },
  /** Hardware token re-issue (SPEC.md "Hardware token"; guide 001 step 4's note). */
  reissue: {
    validUntil: 'Valid until',
    jst: ' (JST)',
    opensFrom: (date: string) =>
      `You can apply for a hardware token re-issue from ${date} (90 days before its expiry).`,
    nearTitle: 'Your hardware token expires soon',
    nearBody: [
      'After its expiry the hardware token can no longer be used. Please apply for a new one soon.',
      'Your current token keeps working until you activate the new one.',
    ],
    button: 'Re-issue hardware token',
    currentToken: 'Current token',
    newToken: 'New token (re-issue)',
    shipState: 'Delivery',
    waiting: 'Waiting to be shipped',
    shipped: 'Shipped',
    waitingNote: 'We will send it to your registered address. Delivery takes about one week.',
    shippedNote:
      'When it arrives, activate it under "Activate one-time password" with the serial number on its back and its one-time password.',
    activateBy: 'Activate by',
    notYet: (date: string) =>
      `A hardware token can be re-issued from 90 days before its expiry (${date}). You cannot apply yet.`,
    locked:
      'Your one-time password is suspended (locked), so you cannot apply for a re-issue. Please contact us.',
    already: 'A new hardware token has already been issued. Please activate it when it arrives.',
    title: 'Hardware token re-issue (confirm)',
    titleDone: 'Hardware token re-issue (accepted)',
    steps: ['Confirm the re-issue', 'Accepted'],
    lead: 'Please check the details and notes, then enter your confirmation password and the one-time password shown on your current hardware token and press "Apply for re-issue".',
    details: 'Re-issue details',
    notes: (fee: string) => [
      `* A device fee of ${fee} is charged for every issuance.`,
      '* Your current token keeps working until you activate the new one; after that it can no longer be used.',
      '* If you enter a wrong one-time password too many times in a row, one-time password authentication is suspended (locked).',
    ],
    otpHint: 'Digits shown on your current hardware token',
    submit: 'Apply for re-issue',
    wrongOtp:
      'The one-time password is not correct. Please enter the latest one shown on your current hardware token.',
    accepted:
      'Your re-issue has been accepted. Delivery takes about one week. Please activate the token you receive. Your current token keeps working until the new one is activated.',
    nextTitle: 'Next steps',
    next: (fee: string) => [
      `We will send a hardware token to your registered address (fee ${fee}).`,
      'When it arrives, activate it under "Activate one-time password" with its serial number and one-time password.',
    ],
  },
};
