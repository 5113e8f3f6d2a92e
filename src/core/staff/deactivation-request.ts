/**
 * Forced 利用解除 on a paper request (書面による手続き, guide 004) under four eyes: one 管理者
 * records it, a second approves it, and only then the token ends (issue 5). Pure data and rules.
 */
import type { FieldError } from '../errors.js';

/** 承認待ち → 承認済 (the token ended) / 却下 (another 管理者) / 取消 (the requester). */
export type DeactivationRequestState = 'pending' | 'approved' | 'rejected' | 'cancelled';

/** One paper request as stored. */
export interface DeactivationRequestRecord {
  readonly id: number;
  readonly serviceId: string;
  readonly customerId: number;
  readonly customerRef: string;
  /** Why (e.g. 携帯電話の紛失), as on the form the customer signed. */
  readonly reason: string;
  /** The paper's reference number (受付番号), so the form can be found again. */
  readonly paperRef: string;
  readonly state: DeactivationRequestState;
  readonly requestedBy: number;
  readonly requestedAt: number;
  readonly decidedBy: number | null;
  readonly decidedAt: number | null;
  /** Why it was rejected or cancelled; null when approved or pending. */
  readonly decisionReason: string | null;
}

/** A request to add. */
export type NewDeactivationRequest = Omit<
  DeactivationRequestRecord,
  'id' | 'state' | 'decidedBy' | 'decidedAt' | 'decisionReason'
>;

/** A decision to write (only while the request is still pending). */
export interface DeactivationDecision {
  readonly state: Exclude<DeactivationRequestState, 'pending'>;
  readonly decidedBy: number;
  readonly decidedAt: number;
  readonly reason: string | null;
}

/** A paper reference (受付番号): 1-32 letters, digits and `-/_.`, no spaces. */
export function checkPaperRef(paperRef: string): FieldError | null {
  return /^[A-Za-z0-9][A-Za-z0-9_./-]{0,31}$/.test(paperRef.trim())
    ? null
    : { field: 'paperRef', message: 'must be 1-32 letters, digits or -/_.' };
}

/**
 * What a staff member may do with a pending request: the requester can only withdraw it (取消);
 * anyone else of the bank's 管理者 approves or rejects it. Four eyes: never approve one's own.
 */
export function decisionFor(
  requestedBy: number,
  staffId: number,
  want: 'approve' | 'reject',
): Exclude<DeactivationRequestState, 'pending'> | 'own_request' {
  if (want === 'approve') return requestedBy === staffId ? 'own_request' : 'approved';
  return requestedBy === staffId ? 'cancelled' : 'rejected';
}

/** The console's audit search: a bank's events, filtered, newest first, keyset-paged. */
export interface AuditSearch {
  readonly customerRef?: string;
  /** `staff:<id>`, `api:…`, `portal`, … */
  readonly actor?: string;
  readonly action?: string;
  /** [from, to) in epoch ms. */
  readonly from?: number;
  readonly to?: number;
  /** Only events older than this ID (the next page). */
  readonly beforeId?: number;
  readonly limit: number;
}
