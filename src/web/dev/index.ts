export { registerDevMailbox, renderMailboxPage, renderMailPage } from './mailbox.js';
