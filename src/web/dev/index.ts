export { registerDevMailbox, renderMailboxPage, renderMailPage } from './mailbox.js';
export { devTelephonyPlugin, type DevTelephonyOptions } from './telephony.js';
