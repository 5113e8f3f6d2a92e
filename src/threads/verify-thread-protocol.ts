import type { ErrorCode } from '../core/index.js';
import type { OtpOutcome, TenantCallContext } from '../services/index.js';

/** What the server sends its verify thread (verify-thread.ts). */
export type HostMessage =
  | {
      readonly kind: 'verify';
      readonly calls: readonly {
        readonly id: number;
        readonly ctx: TenantCallContext;
        readonly ref: unknown;
        readonly body: unknown;
      }[];
    }
  | { readonly kind: 'tenant-changed'; readonly serviceId: string }
  | { readonly kind: 'close' };

/** One call's answer: its outcome, its refusal (an InkanError), or an unexpected failure. */
export type Answer =
  | { readonly id: number; readonly outcome: OtpOutcome }
  | {
      readonly id: number;
      readonly refused: { readonly code: ErrorCode; readonly extra: Record<string, unknown> };
    }
  | { readonly id: number; readonly failed: { readonly message: string; readonly stack?: string } };

/** What the verify thread sends back. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'answers'; readonly answers: readonly Answer[] };
