import {
  HARDWARE_FEE_YEN,
  HARDWARE_SERIAL,
  InkanError,
  jstDate,
  jstDayRange,
  type FieldError,
  type HardwareLifeState,
  type HardwareStockItemView,
  type StaffRecord,
} from '../core/index.js';
import { resyncHotp } from '../core/otp/index.js';
import { createNodeHmac } from '../crypto/node-hmac.js';
import { auditEvent, iso, secretAad, type ServiceDeps } from './deps.js';
import { importHardware, type ImportHardwareResult } from './hardware.js';
import { authorizeStaff } from './staff-authorize.js';
import { staffContext, type StaffCaller } from './staff.js';
import { currentToken } from './unlock-token.js';

/** 在庫 screen: counts by stage, the requests waiting, and a serial looked up. */
export interface HardwareInventory {
  counts: Record<HardwareLifeState, number> & { waiting: number };
  item: HardwareItemView | null;
}

/** A stock item as the console shows it (instants as ISO). */
export interface HardwareItemView {
  serial: string;
  kind: 'totp' | 'hotp';
  stage: HardwareLifeState;
  batch: string;
  importedAt: string;
  shippedAt: string | null;
  validFrom: string | null;
  validUntil: string | null;
  customerRef: string | null;
  activatedAt: string | null;
  endedAt: string | null;
}

/** A request waiting to be shipped (発送待ち). */
export interface ShipmentWaitingView {
  tokenId: number;
  customerRef: string;
  userId: string;
  requestedAt: string;
  expiresAt: string;
  feeYen: number;
}

/** A shipped token (発送済 and after): what the shipping list prints. */
export interface ShipmentView {
  tokenId: number;
  customerRef: string;
  userId: string;
  serial: string;
  shippedAt: string;
  tokenState: 'issued' | 'provisioned' | 'active' | 'ended';
  validUntil: string | null;
  feeYen: number;
}

/** 発送 screen: what waits, the serial to suggest, what went out lately. */
export interface ShipmentBoard {
  waiting: ShipmentWaitingView[];
  nextSerial: string | null;
  shipped: ShipmentView[];
}

/** How far past the expected counter a staff resync searches (RFC 4226 §7.4: bounded). */
export const HOTP_RESYNC_WINDOW = 1000;

const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const OTP = /^[0-9]{6,10}$/;

function itemView(i: HardwareStockItemView): HardwareItemView {
  return {
    serial: i.serial,
    kind: i.kind,
    stage: i.stage,
    batch: i.batch,
    importedAt: iso(i.importedAt) ?? '',
    shippedAt: iso(i.shippedAt),
    validFrom: iso(i.validFrom),
    validUntil: iso(i.validUntil),
    customerRef: i.customerRef,
    activatedAt: iso(i.activatedAt),
    endedAt: iso(i.endedAt),
  };
}

/**
 * The hardware lifecycle in the console (guide 001, SPEC.md "Hardware token", issue 5), for the
 * bank's 管理者: the inventory by stage and by serial, PSKC import from the browser, shipping
 * (発送済: a serial from stock assigned to a customer's request, then the shipping list) and the
 * HOTP counter resync with two consecutive OTPs. Every step is audited.
 */
export function createHardwareDesk(deps: ServiceDeps) {
  const fail = (errors: FieldError[]): never => {
    throw new InkanError('VALIDATION_FAILED', { errors });
  };
  const shipmentView = (x: {
    tokenId: number;
    customerRef: string;
    userId: string;
    serial: string;
    shippedAt: number;
    tokenState: ShipmentView['tokenState'];
    validUntil: number | null;
  }): ShipmentView => ({
    ...x,
    shippedAt: iso(x.shippedAt) ?? '',
    validUntil: iso(x.validUntil),
    feeYen: HARDWARE_FEE_YEN,
  });
  const audit = async (s: StaffRecord, ip: string | null, e: Parameters<typeof auditEvent>[2]) => {
    await deps.store.appendAudit(auditEvent(deps, staffContext(s, ip), e));
    deps.auditWritten();
  };

  return {
    /** Counts by stage (発送待ち apart), and the item of `serial` when one is asked for. */
    async inventory(caller: StaffCaller, serialInput?: string): Promise<HardwareInventory> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const now = deps.clock.now();
      let item: HardwareItemView | null = null;
      if (serialInput !== undefined) {
        const serial = serialInput.trim();
        if (!HARDWARE_SERIAL.test(serial))
          fail([{ field: 'serial', message: 'must be 8-12 digits' }]);
        const found = await deps.store.findHardwareItem(s.serviceId, serial, now);
        item = found === null ? null : itemView(found);
      }
      const [life, waiting] = await Promise.all([
        deps.store.countHardwareLife(s.serviceId, now),
        deps.store.listHardwareWaiting(s.serviceId, now, 10_000),
      ]);
      return { counts: { ...life, waiting: waiting.length }, item };
    },

    /**
     * A vendor's PSKC file from the browser (RFC 6030; pre-shared key in hex when encrypted):
     * all or nothing, as `inkan hardware import`.
     */
    async importPskc(
      caller: StaffCaller,
      input: { xml: string; keyHex: string; batch: string },
    ): Promise<ImportHardwareResult> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const errors: FieldError[] = [];
      const keyHex = input.keyHex.trim();
      if (input.xml.trim() === '')
        errors.push({ field: 'xml', message: 'a PSKC file is required' });
      if (keyHex !== '' && !/^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{48}|[0-9a-fA-F]{64})$/.test(keyHex))
        errors.push({ field: 'key', message: 'must be 32, 48 or 64 hex digits' });
      const batch = input.batch.trim();
      if (!/^[\p{L}\p{N}._ -]{1,64}$/u.test(batch))
        errors.push({ field: 'batch', message: 'must be 1-64 letters, digits, spaces or ._-' });
      if (errors.length > 0) fail(errors);
      return importHardware(deps, staffContext(s, caller.clientIp), {
        serviceId: s.serviceId,
        xml: input.xml,
        batch,
        ...(keyHex === '' ? {} : { preSharedKey: new Uint8Array(Buffer.from(keyHex, 'hex')) }),
      });
    },

    /** 発送待ち, the serial to suggest and the last 50 shipped. */
    async board(caller: StaffCaller): Promise<ShipmentBoard> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const now = deps.clock.now();
      const [waiting, nextSerial, shipped] = await Promise.all([
        deps.store.listHardwareWaiting(s.serviceId, now, 500),
        deps.store.nextHardwareInStock(s.serviceId, now),
        deps.store.listHardwareShipments(s.serviceId, { limit: 50 }),
      ]);
      return {
        waiting: waiting.map((w) => ({
          tokenId: w.tokenId,
          customerRef: w.customerRef,
          userId: w.userId,
          requestedAt: iso(w.issuedAt) ?? '',
          expiresAt: iso(w.expiresAt) ?? '',
          feeYen: HARDWARE_FEE_YEN,
        })),
        nextSerial,
        shipped: shipped.map(shipmentView),
      };
    },

    /**
     * 発送: the item of `serial` (in stock, valid, unassigned) goes to the waiting request of
     * token `tokenId`; from now on only that serial activates it (SPEC.md: "A hardware token's
     * serial is set when staff ship it").
     */
    async ship(caller: StaffCaller, tokenId: number, serialInput: string): Promise<ShipmentView> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const serial = serialInput.trim();
      if (!HARDWARE_SERIAL.test(serial))
        fail([{ field: 'serial', message: 'must be 8-12 digits' }]);
      const now = deps.clock.now();
      const outcome = await deps.store.transaction(async (tx) => {
        const r = await tx.shipHardware({ serviceId: s.serviceId, tokenId, serial, now });
        if (r === 'no_stock')
          throw new InkanError('VALIDATION_FAILED', {
            errors: [{ field: 'serial', message: 'not in stock' }],
          });
        if (r === 'not_waiting') throw new InkanError('NOT_FOUND', { resource: 'shipment' });
        const [shipped] = await tx.listHardwareShipments(s.serviceId, { tokenId, limit: 1 });
        await tx.appendAudit(
          auditEvent(deps, staffContext(s, caller.clientIp), {
            action: 'hardware.shipped',
            customerRef: shipped?.customerRef ?? null,
            tokenId,
            result: 'shipped',
            detail: { serial, staffId: s.id },
          }),
        );
        return shipped;
      });
      deps.auditWritten();
      if (outcome === undefined) throw new InkanError('NOT_FOUND', { resource: 'shipment' });
      return shipmentView(outcome);
    },

    /** 発送一覧表: the tokens shipped on a JST day (`YYYY-MM-DD`; default today), oldest first. */
    async shippingList(
      caller: StaffCaller,
      dateInput?: string,
    ): Promise<{ date: string; items: ShipmentView[] }> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const date = dateInput?.trim() || jstDate(deps.clock.now());
      const range = jstDayRange(date);
      if (range === null) fail([{ field: 'date', message: 'must be a date YYYY-MM-DD' }]);
      const rows = await deps.store.listHardwareShipments(s.serviceId, {
        from: range!.from,
        to: range!.to,
        limit: 5000,
      });
      return { date, items: rows.reverse().map(shipmentView) };
    },

    /** One shipped token, for the shipping list (its print page). */
    async shipment(caller: StaffCaller, tokenId: number): Promise<ShipmentView> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage');
      const [x] = Number.isSafeInteger(tokenId)
        ? await deps.store.listHardwareShipments(s.serviceId, { tokenId, limit: 1 })
        : [];
      if (x === undefined) throw new InkanError('NOT_FOUND', { resource: 'shipment' });
      return shipmentView(x);
    },

    /**
     * HOTP counter resync (RFC 4226 §7.4): the customer reads two consecutive OTPs from the fob;
     * found within HOTP_RESYNC_WINDOW counters, the token's counter moves to the second one, by
     * the same conditional UPDATE as a verification (single use holds). Audited either way.
     */
    async resyncHotp(
      caller: StaffCaller,
      ref: string,
      first: string,
      second: string,
    ): Promise<{ result: 'ok' | 'invalid' | 'locked' }> {
      const s = await authorizeStaff(deps, caller, 'hardware.manage', ref);
      const errors: FieldError[] = [];
      if (!OTP.test(first)) errors.push({ field: 'otp1', message: 'must be 6-10 digits' });
      if (!OTP.test(second)) errors.push({ field: 'otp2', message: 'must be 6-10 digits' });
      if (errors.length > 0) fail(errors);
      const c = REF.test(ref) ? await deps.store.getCustomer(s.serviceId, ref) : null;
      if (c === null) throw new InkanError('NOT_FOUND', { resource: 'customer' });
      const token = currentToken(await deps.store.liveTokens(c.id));
      if (
        token === null ||
        token.type !== 'hardware' ||
        token.state !== 'active' ||
        token.period !== 0 ||
        token.sealedSecret === null
      )
        throw new InkanError('NOT_FOUND', { resource: 'hotp_token' });
      const record = async (result: 'ok' | 'invalid' | 'locked', detail = {}) => {
        await audit(s, caller.clientIp, {
          action: 'token.hotp_resync',
          customerRef: c.ref,
          tokenId: token.id,
          result,
          detail: { staffId: s.id, ...detail },
        });
        return { result };
      };
      if (token.locked) return record('locked');
      const secret = deps.keyring.unseal(token.sealedSecret, secretAad(token));
      const hmac = createNodeHmac(secret, token.algorithm);
      secret.fill(0);
      const found = resyncHotp({
        first,
        second,
        hmac,
        digits: token.digits,
        lastCounter: token.lastStep,
        initialCounter: 0,
        window: HOTP_RESYNC_WINDOW,
      });
      if (found.result !== 'ok') return record('invalid');
      const moved = found.counter - (token.lastStep ?? -1) - 1;
      const ok = await deps.store.consumeStep(
        token.id,
        'active',
        found.counter,
        0,
        deps.clock.now(),
      );
      if (!ok) return record((await deps.store.getToken(token.id))?.locked ? 'locked' : 'invalid');
      return record('ok', { skipped: moved });
    },
  };
}

/** The hardware desk's use cases. */
export type HardwareDesk = ReturnType<typeof createHardwareDesk>;
