export type {
  DeactivateRequest,
  IssuedToken,
  IssueTokenRequest,
  OtpAnswer,
  ReissueAnswer,
  PasskeyAnswer,
  PasskeyInfo,
  PasskeyOptions,
  PasskeyRegistrationOptionsRequest,
  PlatformClient,
  TenantInfo,
  TokenInfo,
  TransactionAnswerInfo,
  TransactionInfo,
  TransactionPolicyInfo,
  TransactionRequest,
} from './platform-client.js';
export { createInProcessClient, type InProcessClientOptions } from './in-process.js';
export { createHttpClient, type HttpClientOptions } from './http.js';
export {
  createInProcessStaffConsole,
  type CustomerDetail,
  type CustomerHit,
  type HistoryEntry,
  type IssuanceLimitView,
  type PasskeyView,
  type StaffCaller,
  type StaffConsole,
  type StaffEnrolment,
  type StaffLoginResult,
  type StaffOtpResult,
  type StaffView,
  type TokenHistoryItem,
  type TokenView,
} from './staff-console.js';
export type { DeactivationRequestList, DeactivationRequestView } from './staff-console.js';
export type {
  HardwareInventory,
  HardwareItemView,
  ImportHardwareResult,
  ShipmentBoard,
  ShipmentView,
  ShipmentWaitingView,
} from './staff-console.js';
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
} from './staff-console.js';
