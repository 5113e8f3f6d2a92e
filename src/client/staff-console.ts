import type {
  AuditFilterInput,
  AuditPage,
  AuditRow,
  DashboardView,
  EditablePolicyField,
  PolicyChange,
  PolicyView,
  HardwareInventory,
  ImportHardwareResult,
  ShipmentBoard,
  ShipmentView,
  DeactivationRequestList,
  DeactivationRequestView,
  CustomerDetail,
  CustomerHit,
  IssuanceLimitView,
  PasskeyView,
  Platform,
  StaffCaller,
  StaffEnrolment,
  StaffLoginResult,
  StaffOtpResult,
  StaffView,
  TokenView,
} from '../services/index.js';

export { AUDIT_EXPORT_MAX, EDITABLE_POLICY, POLICY_NUMBERS } from '../services/index.js';
export type {
  AuditFilterInput,
  AuditPage,
  AuditRow,
  DashboardView,
  EditablePolicyField,
  PolicyChange,
  PolicyView,
  HardwareInventory,
  HardwareItemView,
  ImportHardwareResult,
  ShipmentBoard,
  ShipmentView,
  ShipmentWaitingView,
  DeactivationRequestList,
  DeactivationRequestView,
  CustomerDetail,
  CustomerHit,
  HistoryEntry,
  IssuanceLimitView,
  PasskeyView,
  StaffCaller,
  StaffEnrolment,
  StaffLoginResult,
  StaffOtpResult,
  StaffView,
  TokenHistoryItem,
  TokenView,
} from '../services/index.js';

/**
 * The platform as the admin console sees it: the staff member's own login and the work on the
 * customers of their bank. The bank is never a parameter: it comes from the staff account, so
 * a console page cannot name another bank. Refusals are thrown as `InkanError` (FORBIDDEN,
 * NOT_FOUND, VALIDATION_FAILED); login outcomes are values.
 */
export interface StaffConsole {
  checkPassword(
    loginId: string,
    password: string,
    clientIp: string | null,
  ): Promise<StaffLoginResult>;
  /** The staff member of a session; null when the account is gone. */
  staff(staffId: number): Promise<StaffView | null>;
  startEnrolment(staffId: number, clientIp: string | null): Promise<StaffEnrolment>;
  enrolment(staffId: number): Promise<StaffEnrolment | null>;
  confirmEnrolment(staffId: number, clientIp: string | null, code: string): Promise<StaffOtpResult>;
  verifyTotp(staffId: number, clientIp: string | null, code: string): Promise<StaffOtpResult>;
  /**
   * The staff member's own new password: `forced` at the login after someone else set it, or
   * with the current one (パスワード変更). VALIDATION_FAILED names `current`, `password` or `confirm`.
   */
  changePassword(
    staffId: number,
    clientIp: string | null,
    input: { current?: string; password: string; confirm: string },
    forced: boolean,
  ): Promise<StaffView>;
  recordLogout(
    staffId: number,
    clientIp: string | null,
    why: 'logout' | 'idle_timeout',
  ): Promise<void>;
  search(caller: StaffCaller, query: string): Promise<CustomerHit[]>;
  detail(caller: StaffCaller, ref: string): Promise<CustomerDetail>;
  unlockToken(caller: StaffCaller, ref: string, reason: string): Promise<TokenView>;
  liftIssuanceLimit(caller: StaffCaller, ref: string, reason: string): Promise<IssuanceLimitView>;
  listStaff(caller: StaffCaller): Promise<StaffView[]>;
  unlockStaff(caller: StaffCaller, staffId: number): Promise<StaffView>;
  /** 生体認証ログイン: the customer's registered devices. */
  listPasskeys(caller: StaffCaller, ref: string): Promise<PasskeyView[]>;
  /** Removes one (a lost phone reported by telephone), with a reason. */
  removePasskey(caller: StaffCaller, ref: string, id: number, reason: string): Promise<void>;

  // Issue 5: forced 利用解除 on a paper request under four eyes (管理者).
  requestDeactivation(
    caller: StaffCaller,
    ref: string,
    input: { reason: string; paperRef: string },
  ): Promise<DeactivationRequestView>;
  deactivationRequests(caller: StaffCaller): Promise<DeactivationRequestList>;
  approveDeactivation(caller: StaffCaller, id: number): Promise<DeactivationRequestView>;
  rejectDeactivation(
    caller: StaffCaller,
    id: number,
    reason: string,
  ): Promise<DeactivationRequestView>;

  // Issue 5: the hardware lifecycle (管理者).
  hardwareInventory(caller: StaffCaller, serial?: string): Promise<HardwareInventory>;
  importPskc(
    caller: StaffCaller,
    input: { xml: string; keyHex: string; batch: string },
  ): Promise<ImportHardwareResult>;
  shipmentBoard(caller: StaffCaller): Promise<ShipmentBoard>;
  shipHardware(caller: StaffCaller, tokenId: number, serial: string): Promise<ShipmentView>;
  shipment(caller: StaffCaller, tokenId: number): Promise<ShipmentView>;
  shippingList(
    caller: StaffCaller,
    date?: string,
  ): Promise<{ date: string; items: ShipmentView[] }>;

  // Issue 5: dashboard (both roles), policy editor and audit search (管理者).
  dashboard(caller: StaffCaller): Promise<DashboardView>;
  policy(caller: StaffCaller): Promise<PolicyView>;
  updatePolicy(
    caller: StaffCaller,
    form: Partial<Record<EditablePolicyField, string>>,
    basis: string,
  ): Promise<PolicyChange[]>;
  searchAudit(caller: StaffCaller, filter: AuditFilterInput): Promise<AuditPage>;
  exportAudit(caller: StaffCaller, filter: AuditFilterInput): Promise<AuditRow[]>;

  // Issue 5: 行員管理 (管理者).
  createStaff(
    caller: StaffCaller,
    input: { loginId: string; name: string; role: string; password: string },
  ): Promise<StaffView>;
  resetStaffAuthenticator(caller: StaffCaller, staffId: number): Promise<StaffView>;
  lockStaff(caller: StaffCaller, staffId: number): Promise<StaffView>;
  /** 仮パスワードの設定: VALIDATION_FAILED names `password`. */
  setStaffTemporaryPassword(
    caller: StaffCaller,
    staffId: number,
    password: string,
  ): Promise<StaffView>;
  resyncHotp(
    caller: StaffCaller,
    ref: string,
    first: string,
    second: string,
  ): Promise<{ result: 'ok' | 'invalid' | 'locked' }>;
}

/** The staff console in the same process: the platform's staff use cases, no network. */
export function createInProcessStaffConsole(platform: Platform): StaffConsole {
  const { staff, staffDesk } = platform;
  return {
    checkPassword: (loginId, password, ip) => staff.checkPassword(ip, loginId, password),
    staff: (id) => staff.get(id),
    startEnrolment: (id, ip) => staff.startEnrolment(id, ip),
    enrolment: (id) => staff.enrolment(id),
    confirmEnrolment: (id, ip, code) => staff.confirmEnrolment(id, ip, code),
    verifyTotp: (id, ip, code) => staff.verifyTotp(id, ip, code),
    changePassword: (id, ip, input, forced) => staff.changePassword(id, ip, input, forced),
    recordLogout: (id, ip, why) => staff.recordLogout(id, ip, why),
    search: (caller, q) => staffDesk.search(caller, q),
    detail: (caller, ref) => staffDesk.detail(caller, ref),
    unlockToken: (caller, ref, reason) => staffDesk.unlockToken(caller, ref, reason),
    liftIssuanceLimit: (caller, ref, reason) => staffDesk.liftIssuanceLimit(caller, ref, reason),
    listStaff: (caller) => staff.list(caller),
    unlockStaff: (caller, staffId) => staff.unlock(caller, { staffId }),
    listPasskeys: (caller, ref) => platform.staffPasskeys.list(caller, ref),
    removePasskey: (caller, ref, id, reason) =>
      platform.staffPasskeys.remove(caller, ref, id, reason),
    requestDeactivation: (caller, ref, input) =>
      platform.paperDeactivations.request(caller, ref, input),
    deactivationRequests: (caller) => platform.paperDeactivations.list(caller),
    approveDeactivation: (caller, id) => platform.paperDeactivations.approve(caller, id),
    rejectDeactivation: (caller, id, reason) =>
      platform.paperDeactivations.reject(caller, id, reason),
    hardwareInventory: (caller, serial) => platform.hardwareDesk.inventory(caller, serial),
    importPskc: (caller, input) => platform.hardwareDesk.importPskc(caller, input),
    shipmentBoard: (caller) => platform.hardwareDesk.board(caller),
    shipHardware: (caller, tokenId, serial) => platform.hardwareDesk.ship(caller, tokenId, serial),
    shipment: (caller, tokenId) => platform.hardwareDesk.shipment(caller, tokenId),
    shippingList: (caller, date) => platform.hardwareDesk.shippingList(caller, date),
    dashboard: (caller) => platform.consoleDesk.dashboard(caller),
    policy: (caller) => platform.consoleDesk.policy(caller),
    updatePolicy: (caller, form, basis) => platform.consoleDesk.updatePolicy(caller, form, basis),
    searchAudit: (caller, filter) => platform.consoleDesk.searchAudit(caller, filter),
    exportAudit: (caller, filter) => platform.consoleDesk.exportAudit(caller, filter),
    createStaff: (caller, input) => platform.staffAdmin.create(caller, input),
    resetStaffAuthenticator: (caller, id) => platform.staffAdmin.resetAuthenticator(caller, id),
    lockStaff: (caller, id) => platform.staffAdmin.lock(caller, id),
    setStaffTemporaryPassword: (caller, id, password) =>
      platform.staffAdmin.setTemporaryPassword(caller, id, password),
    resyncHotp: (caller, ref, first, second) =>
      platform.hardwareDesk.resyncHotp(caller, ref, first, second),
  };
}
