export * from './staff.js';
export * from './staff-input.js';
export * from './otpauth.js';
export * from './deactivation-request.js';
