import { InkanError, isEmailAddress, PATTERNS, type FieldError } from '../core/index.js';

/**
 * Input checks shared by every entry (HTTP, in-process client, CLI): what a bank or a customer
 * sends is checked here once more, so no path reaches the core with input of the wrong form.
 */
class Checker {
  readonly errors: FieldError[] = [];

  constructor(private readonly body: Record<string, unknown>) {}

  string(field: string, pattern: RegExp, message: string, optional = false): string | undefined {
    const v = this.body[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || !pattern.test(v)) {
      this.errors.push({ field, message });
      return undefined;
    }
    return v;
  }

  done(): void {
    if (this.errors.length > 0) throw new InkanError('VALIDATION_FAILED', { errors: this.errors });
  }
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: '', message: 'the body must be a JSON object' }],
    });
  }
  return body as Record<string, unknown>;
}

/** The bank's customer reference from the path. */
export function parseCustomerRef(ref: unknown): string {
  if (typeof ref !== 'string' || !PATTERNS.customerRef.test(ref)) {
    throw new InkanError('VALIDATION_FAILED', {
      errors: [{ field: 'ref', message: 'must be 1-64 letters, digits, ".", "_" or "-"' }],
    });
  }
  return ref;
}

/** POST /customers/{ref}/tokens */
export type IssueRequest =
  | { type: 'software'; email: string; activationPassword: string; replace: boolean }
  | { type: 'hardware'; replace: boolean };

export function parseIssueRequest(input: unknown): IssueRequest {
  const body = asObject(input);
  const c = new Checker(body);
  const replace = body['replace'];
  if (replace !== undefined && typeof replace !== 'boolean')
    c.errors.push({ field: 'replace', message: 'must be a boolean' });
  if (body['type'] === 'hardware') {
    c.done();
    return { type: 'hardware', replace: replace === true };
  }
  if (body['type'] !== 'software')
    c.errors.push({ field: 'type', message: 'must be "software" or "hardware"' });
  const email = body['email'];
  if (typeof email !== 'string' || !isEmailAddress(email))
    c.errors.push({ field: 'email', message: 'must be an e-mail address of 4-64 characters' });
  const pw = c.string('activationPassword', PATTERNS.activationPassword, 'must be 4-8 digits');
  c.done();
  return {
    type: 'software',
    email: email as string,
    activationPassword: pw as string,
    replace: replace === true,
  };
}

/** POST /provision */
export interface ProvisionRequest {
  serviceId: string;
  userId: string;
  activationPassword: string;
  publicKey: string;
}

export function parseProvisionRequest(input: unknown): ProvisionRequest {
  const c = new Checker(asObject(input));
  const serviceId = c.string('serviceId', PATTERNS.serviceId, 'must be 8 digits');
  const userId = c.string('userId', PATTERNS.userId, 'must be 12 digits');
  const activationPassword = c.string(
    'activationPassword',
    PATTERNS.activationPassword,
    'must be 4-8 digits',
  );
  const publicKey = c.string(
    'publicKey',
    PATTERNS.publicKey,
    'must be base64url of an uncompressed P-256 point (65 bytes)',
  );
  c.done();
  return {
    serviceId: serviceId!,
    userId: userId!,
    activationPassword: activationPassword!,
    publicKey: publicKey!,
  };
}

/** An OTP body: `{ otp }`, plus `serial` for hardware activation. */
export interface OtpRequest {
  otp: string;
  serial?: string;
}

export function parseOtpRequest(input: unknown, allowSerial = false): OtpRequest {
  const body = asObject(input);
  const c = new Checker(body);
  const otp = c.string('otp', PATTERNS.otp, 'must be 6-10 digits');
  const serial = allowSerial
    ? c.string('serial', PATTERNS.serial, 'must be 8-12 digits', true)
    : undefined;
  c.done();
  return serial === undefined ? { otp: otp! } : { otp: otp!, serial };
}

/** DELETE /customers/{ref}/token: `{ otp }` or `{ force: true, reason }`. */
export type DeactivateRequest = { otp: string } | { force: true; reason: string };

export function parseDeactivateRequest(input: unknown): DeactivateRequest {
  const body = asObject(input);
  if (body['force'] !== undefined) {
    const c = new Checker(body);
    if (body['force'] !== true)
      c.errors.push({ field: 'force', message: 'must be true when given' });
    const reason = c.string(
      'reason',
      /^[\s\S]{1,500}$/,
      'a reason of 1-500 characters is required',
    );
    if (reason !== undefined && reason.trim() === '')
      c.errors.push({ field: 'reason', message: 'a reason of 1-500 characters is required' });
    c.done();
    return { force: true, reason: reason!.trim() };
  }
  return parseOtpRequest(body);
}

/** POST /customers/{ref}/token/unlock */
export function parseUnlockRequest(input: unknown): { reason: string } {
  const c = new Checker(asObject(input));
  const reason = c.string('reason', /^[\s\S]{1,500}$/, 'a reason of 1-500 characters is required');
  if (reason !== undefined && reason.trim() === '')
    c.errors.push({ field: 'reason', message: 'a reason of 1-500 characters is required' });
  c.done();
  return { reason: reason!.trim() };
}
