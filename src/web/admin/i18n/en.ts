/** The admin console's words in English (the switch); the same shape as `ja.ts`. */
import { ERRORS, type ErrorCode } from '../../../core/index.js';
import { jstStamp } from './format.js';
import type { Messages } from './ja.js';

const ACTIONS: Readonly<Record<string, string>> = {
  'token.issued': 'Token issued',
  'token.issue_refused': 'Issuance refused',
  'token.provision': 'App setup',
  'token.activate': 'Activation',
  'otp.verify': 'OTP verification',
  'token.locked': 'Locked',
  'token.unlocked': 'Unlocked',
  'token.deactivate': 'Deactivation',
  'token.deactivated': 'Token deactivated',
  'token.ended': 'Token ended',
  'mail.failed': 'Mail not sent',
  'customer.issuance_limit_lifted': 'Issuance limit lifted',
  'staff.customer_viewed': 'Token detail viewed',
  'staff.forbidden': 'Action refused (role)',
  // Transaction authentication (issue 7)
  'transaction.created': 'Transaction authentication (created)',
  'transaction.approved': 'Transaction authentication (approved)',
  'transaction.rejected': 'Transaction authentication (rejected)',
  'transaction.failed': 'Transaction authentication (failed)',
  'transaction.expired': 'Transaction authentication (expired)',
  'transaction.verify': 'Transaction authentication check',
  'app.proof': 'App proof of possession',
  'customer.transaction_policy': 'Transaction authentication setting',
};

const RESULTS: Readonly<Record<string, string>> = {
  ok: 'ok',
  invalid: 'wrong',
  replayed: 'already used',
  locked: 'locked',
  not_active: 'not active',
  expired: 'expired',
  no_token: 'no token',
  issued: 'issued',
  provisioned: 'set up',
  activation_password_wrong: 'wrong activation password',
  lost_race: 'duplicate request',
  unlocked: 'unlocked',
  not_locked: 'was not locked',
  replaced: 'phone change',
  deactivated: 'deactivated by the customer',
  staff_deactivated: 'deactivated on a paper request',
  void: 'void (too many wrong passwords)',
  reissued: 'reissued',
  lifted: 'lifted',
  not_restricted: 'was not restricted',
  unreadable: 'secret unreadable',
  secret_unreadable: 'secret unreadable',
  // Transaction authentication (issue 7)
  pending: 'waiting for approval',
  rejected: 'rejected',
  tenant: "the bank's rule",
  off: 'off',
  always: 'every transfer',
  above_amount: 'above an amount',
  new_payee: 'new payees',
};

const STATES = {
  none: 'Not registered',
  issued: 'Issued',
  provisioned: 'Set up',
  active: 'In use',
  ended: 'Ended',
} as const;

export const en: Messages = {
  stamp: (iso) => jstStamp(iso),
  refusal: (code: ErrorCode) => ERRORS[code].en,
  action: (a) => ACTIONS[a] ?? a,
  result: (r) => (r === null ? '' : (RESULTS[r] ?? r)),
  state: (s) => STATES[s],
  tokenType: (t) => (t === null ? '—' : t === 'software' ? 'Software token' : 'Hardware token'),
  endReason: (r) => (r === null ? '' : (RESULTS[r] ?? r)),
  role: (r) => (r === 'admin' ? 'Administrator' : 'Operator'),
  actor: (actor, name) => {
    if (actor.startsWith('staff:'))
      return name === null ? `Staff ${actor.slice(6)}` : `Staff ${name}`;
    if (actor.startsWith('api:')) return "Bank's systems (API)";
    return (
      { portal: 'Internet banking', app: 'Token app', cli: 'Command line', system: 'System' }[
        actor
      ] ?? actor
    );
  },

  layout: {
    product: 'Admin console',
    title: (screen, bank) => `${screen} | ${bank === null ? '' : `${bank} `}Inkan admin console`,
    logout: 'Log out',
    navLabel: 'Menu',
    nav: { customers: 'Customer search', staff: 'Staff' },
    footer:
      'Every action on these screens is recorded. You are logged out after 15 minutes without activity.',
    switchTo: '日本語',
    switchLabel: '日本語で表示',
  },

  login: {
    title: 'Staff login',
    lead: 'Enter your login ID and password.',
    loginId: 'Login ID',
    password: 'Password',
    submit: 'Log in',
    required: (what) => `Enter the ${what.toLowerCase()}.`,
    tooLong: (what) => `The ${what.toLowerCase()} is too long.`,
    wrong: 'The login ID or password is not correct.',
    locked:
      'This account is locked. Ask an administrator of your bank, or the system administrator, to unlock it.',
    expired: 'The page expired. Please enter your details again.',
    timeout: 'You were logged out after 15 minutes without activity. Please log in again.',
    bye: 'You have logged out.',
  },

  enrol: {
    title: 'Set up your authenticator app',
    lead: 'This is your first login. Scan the QR code with an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, …) and enter the 6-digit code it shows.',
    qrAlt: 'QR code for the authenticator app',
    openInApp: 'Open in the authenticator app on this device',
    manual: 'If you cannot scan the code, type this key into the app.',
    key: 'Key',
    issuer: 'Issuer',
    account: 'Account',
    kind: 'Type',
    kindValue: 'Time-based (TOTP), 6 digits, 30 seconds',
    code: 'Code',
    codeHint: 'The 6 digits shown in the app',
    submit: 'Register',
    done: 'Your authenticator app is registered.',
  },

  totp: {
    title: 'Enter your code',
    lead: (name) => `${name}, enter the 6-digit code shown in your authenticator app.`,
    code: 'Code',
    submit: 'Verify',
    format: 'Enter the 6-digit code.',
    invalid: (left) =>
      `The code is not correct.${left === undefined ? '' : ` ${left} more wrong ${left === 1 ? 'code locks' : 'codes lock'} the account.`}`,
    replayed: 'This code has been used already. Wait for the next code in your app.',
    backToLogin: 'Back to login',
  },

  search: {
    title: 'Customer search',
    lead: 'Search by customer reference, user ID, serial number or e-mail address (exact match).',
    query: 'Search for',
    submit: 'Search',
    queryRequired: 'Enter what to search for.',
    queryBad: 'Enter at most 64 characters.',
    results: (n) => `${n} ${n === 1 ? 'result' : 'results'}`,
    none: 'No customer matches.',
    ref: 'Customer ref.',
    state: 'Status',
    type: 'Type',
    userId: 'User ID',
    serial: 'Serial no.',
    email: 'E-mail',
    locked: 'Lock',
    lockedYes: 'Locked',
  },

  detail: {
    title: 'Token detail',
    customer: 'Customer',
    ref: 'Customer ref.',
    since: 'Since',
    issuance: 'Issuance limit',
    restricted: (counted, limit, days) =>
      `Restricted (${counted} issuances in the last ${days} days, limit ${limit})`,
    notRestricted: (counted, limit, days) =>
      `None (${counted} issuances in the last ${days} days, limit ${limit})`,
    liftedAt: (when) => `last lifted ${when}`,
    token: 'Current token',
    noToken: 'No token in use or in progress (not registered).',
    state: 'Status',
    type: 'Type',
    serial: 'Serial no.',
    userId: 'User ID',
    email: 'E-mail',
    failCount: 'Consecutive failures',
    lock: 'Lock',
    lockedSince: (when) => `Locked (since ${when})`,
    notLocked: 'None',
    issuedAt: 'Issued',
    expiresAt: 'Setup deadline',
    provisionedAt: 'Set up',
    activatedAt: 'Activated',
    validUntil: 'Valid until',
    lastUsedAt: 'Last used',
    expired: 'expired',
    pending: 'Phone change (new token waiting for activation)',
    unlock: 'Unlock',
    lift: 'Lift issuance limit',
    tokens: 'Token history',
    id: 'No.',
    tokenNo: 'Token no.',
    endedAt: 'Ended',
    endReason: 'Why',
    history: 'History (newest first)',
    at: 'When',
    action: 'Action',
    result: 'Result',
    actor: 'By',
    reason: 'Reason',
    noHistory: 'Nothing recorded.',
    back: 'Back to search',
    unlocked: 'The token was unlocked.',
    lifted: 'The issuance limit was lifted.',
  },

  unlock: {
    title: 'Unlock',
    lead: "Make sure the customer's identity has been confirmed, and give the reason. Unlocking also resets the failure count to 0.",
    notLocked: 'This token is not locked. A remaining failure count is reset to 0.',
    reason: 'Reason',
    reasonHint: '1-200 characters (e.g. customer called, identity confirmed)',
    reasonBad: 'Enter a reason of 1-200 characters.',
    submit: 'Unlock',
    cancel: 'Back to token detail',
  },

  lift: {
    title: 'Lift issuance limit',
    lead: 'Lifts the issuance restriction of a customer who reached the limit. From now on, only new issuances count.',
    submit: 'Lift the limit',
  },

  staff: {
    title: 'Staff',
    lead: 'Staff of your bank. You can unlock a locked account.',
    loginId: 'Login ID',
    name: 'Name',
    role: 'Role',
    app: 'Authenticator',
    enrolled: 'set up',
    notEnrolled: 'not set up',
    status: 'Status',
    locked: 'Locked',
    active: 'Active',
    lastLogin: 'Last login',
    unlock: 'Unlock',
    unlocked: (loginId) => `${loginId} was unlocked.`,
  },

  sorry: {
    forbidden: {
      title: 'Not allowed',
      text: 'Your role does not allow this action. Ask an administrator.',
    },
    notFound: { title: 'Page not found', text: 'The page you asked for does not exist.' },
    customerNotFound: { title: 'Customer not found', text: 'No such customer.' },
    csrf: {
      title: 'The request was not accepted',
      text: 'The page expired or the request was not valid. Please try again.',
    },
    busy: { title: 'Please wait', text: 'Too many requests in a short time. Try again later.' },
    badRequest: {
      title: 'Something is wrong with the input',
      text: 'Check the input and try again.',
    },
    badLanguage: { title: 'Could not switch the language', text: 'Please try again.' },
    server: { title: 'System error', text: 'A system error occurred. Please try again later.' },
    toTop: 'To customer search',
    toLogin: 'To login',
  },
};
