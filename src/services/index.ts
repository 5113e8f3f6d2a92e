export {
  createPlatform,
  cryptoRandomDigits,
  type Platform,
  type PlatformOptions,
} from './platform.js';
export type { CallContext, TenantCallContext } from './deps.js';
export { checkTenantInput, type CreateTenantResult } from './tenants.js';
export type { IssueTokenResult } from './issue-token.js';
export type { ProvisionResult } from './provision.js';
export type { OtpOutcome } from './otp-check.js';
export type { TokenView } from './token-view.js';
export { verifyAuditTrail } from './audit-trail.js';
export { resealSecrets } from './rotate-keys.js';
export type {
  StaffCaller,
  StaffEnrolment,
  StaffLoginResult,
  StaffOtpResult,
  StaffView,
} from './staff.js';
export type {
  CustomerDetail,
  CustomerHit,
  HistoryEntry,
  IssuanceLimitView,
  TokenHistoryItem,
} from './staff-desk.js';
export {
  checkWebAuthnConfig,
  webauthn as loadWebAuthn,
  type PasskeyView,
  type WebAuthnConfig,
} from './passkeys.js';
export { checkVapidConfig, generateVapidKeys, type VapidConfig } from './push.js';
export type { TransactionAnswer, TransactionPolicyView, TransactionView } from './transactions.js';
export type { DeactivationRequestList, DeactivationRequestView } from './paper-deactivation.js';
export type {
  HardwareInventory,
  HardwareItemView,
  ShipmentBoard,
  ShipmentView,
  ShipmentWaitingView,
} from './hardware-desk.js';
export type { ImportHardwareResult } from './hardware.js';
export {
  AUDIT_EXPORT_MAX,
  EDITABLE_POLICY,
  POLICY_NUMBERS,
  type AuditFilterInput,
  type AuditPage,
  type AuditRow,
  type DashboardView,
  type EditablePolicyField,
  type PolicyChange,
  type PolicyView,
} from './console-desk.js';
