export * from './passkey.js';
