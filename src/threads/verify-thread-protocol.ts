import type { OtpOutcome, TenantCallContext } from '../services/index.js';
import type { ThreadError } from './thread-errors.js';

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

/** One call's answer: its outcome, or its error (a refusal or an unexpected failure). */
export type Answer =
  { readonly id: number; readonly outcome: OtpOutcome } | ({ readonly id: number } & ThreadError);

/** What the verify thread sends back. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'answers'; readonly answers: readonly Answer[] };
