import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isInkanError, type FieldError } from '../../../core/index.js';
import { formField, sendHtml } from '../../shared/forms.js';
import type { AdminContext, StaffAuthed } from '../context.js';
import { inventoryPage, resyncPage, shipmentsPage, shippingListPage } from '../views/hardware.js';
import { staffForm, staffScreen } from './staff-route.js';

/** A PSKC file of up to 100,000 keys fits (the console's other forms stay at 16 KiB). */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

function fieldsOf(e: { extra: Readonly<Record<string, unknown>> }): string[] {
  return ((e.extra['errors'] ?? []) as FieldError[]).map((x) => x.field);
}

function queryOf(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The hardware token lifecycle in the console (guide 001, issue 5), 管理者 only (the platform
 * checks the role): 在庫 (counts, look-up by serial, PSKC import), 発送 (assign a serial from
 * stock to a request; the shipping list to print), and the HOTP counter resync of a customer.
 */
export function registerAdminHardwareRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const { o } = ctx;

  const drawInventory = async (
    reply: FastifyReply,
    a: StaffAuthed,
    extra: Partial<Parameters<typeof inventoryPage>[0]> = {},
    status = 200,
    here = '/admin/hardware',
  ) => {
    const inventory = await o.console.hardwareInventory(a.caller);
    return sendHtml(
      reply,
      inventoryPage({
        locale: { ...a.locale, here },
        staff: a.frame,
        inventory,
        ...extra,
      }),
      status,
    );
  };

  app.get(
    '/hardware',
    staffScreen(ctx, async (req, reply, a) => {
      const serial = queryOf(req, 'serial');
      const h = a.locale.t.hardware;
      if (serial === undefined || serial.trim() === '') {
        const n = queryOf(req, 'imported');
        const notice =
          n !== undefined && /^[0-9]+,[0-9]+,[0-9]+$/.test(n)
            ? h.imported(...(n.split(',').map(Number) as [number, number, number]))
            : undefined;
        return drawInventory(reply, a, { ...(notice ? { notice } : {}) }, 200, a.locale.here);
      }
      let inventory;
      try {
        inventory = await o.console.hardwareInventory(a.caller, serial);
      } catch (e) {
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        return drawInventory(
          reply,
          a,
          { serial: serial.slice(0, 12), searchError: h.serialBad },
          400,
        );
      }
      return sendHtml(
        reply,
        inventoryPage({
          locale: a.locale,
          staff: a.frame,
          inventory,
          serial: serial.trim(),
          notFound: inventory.item === null,
        }),
      );
    }),
  );

  app.post(
    '/hardware/import',
    { bodyLimit: IMPORT_BODY_LIMIT },
    staffForm(ctx, async (req, reply, a) => {
      const xml = formField(req, 'xml');
      const keyHex = formField(req, 'key');
      const batch = formField(req, 'batch');
      const h = a.locale.t.hardware;
      let errors: { xml?: string; key?: string; batch?: string; form?: string };
      try {
        const r = await o.console.importPskc(a.caller, { xml, keyHex, batch });
        return reply.redirect(`/admin/hardware?imported=${r.imported},${r.totp},${r.hotp}`, 303);
      } catch (e) {
        if (isInkanError(e, 'VALIDATION_FAILED')) {
          const f = fieldsOf(e);
          errors = {
            ...(f.includes('xml') ? { xml: h.xmlRequired } : {}),
            ...(f.includes('key') ? { key: h.keyBad } : {}),
            ...(f.includes('batch') ? { batch: h.batchBad } : {}),
          };
        } else if (isInkanError(e, 'PSKC_INVALID')) errors = { form: h.pskcBad };
        else if (isInkanError(e, 'SERIAL_EXISTS'))
          errors = { form: h.serialExists(((e.extra['serials'] ?? []) as string[]).join('、')) };
        else throw e;
      }
      // The file comes back for another try (a large one only by choosing it again); never the key.
      const importForm = {
        batch: batch.slice(0, 64),
        xml: xml.length <= 256 * 1024 ? xml : '',
        errors,
      };
      return drawInventory(reply, a, { importForm }, 400);
    }),
  );

  app.get(
    '/hardware/shipments',
    staffScreen(ctx, async (req, reply, a) => {
      const board = await o.console.shipmentBoard(a.caller);
      const serial = queryOf(req, 'serial');
      const ref = queryOf(req, 'ref');
      const notice =
        serial !== undefined && ref !== undefined && /^[0-9]{8,12}$/.test(serial)
          ? a.locale.t.hardware.shippedOk(serial, ref.slice(0, 64))
          : undefined;
      return sendHtml(
        reply,
        shipmentsPage({ locale: a.locale, staff: a.frame, board, ...(notice ? { notice } : {}) }),
      );
    }),
  );

  app.post(
    '/hardware/shipments/:tokenId/ship',
    staffForm(ctx, async (req, reply, a) => {
      const raw = (req.params as { tokenId: string }).tokenId;
      if (!/^[1-9][0-9]{0,14}$/.test(raw)) return ctx.sorry(req, reply, 404, 'notFound', a);
      const tokenId = Number(raw);
      const serial = formField(req, 'serial');
      const h = a.locale.t.hardware;
      let text: string;
      let status: number;
      try {
        const s = await o.console.shipHardware(a.caller, tokenId, serial);
        const q = new URLSearchParams({ serial: s.serial, ref: s.customerRef });
        return reply.redirect(`/admin/hardware/shipments?${q.toString()}`, 303);
      } catch (e) {
        if (isInkanError(e, 'VALIDATION_FAILED')) {
          text = /^[0-9]{8,12}$/.test(serial.trim()) ? h.notInStock : h.serialBad;
          status = 400;
        } else if (isInkanError(e, 'NOT_FOUND')) {
          text = h.notWaiting;
          status = 409;
        } else throw e;
      }
      const board = await o.console.shipmentBoard(a.caller);
      return sendHtml(
        reply,
        shipmentsPage({
          locale: { ...a.locale, here: '/admin/hardware/shipments' },
          staff: a.frame,
          board,
          error: { tokenId, text, serial: serial.slice(0, 12) },
        }),
        status,
      );
    }),
  );

  app.get(
    '/hardware/shipping-list',
    staffScreen(ctx, async (req, reply, a) => {
      const date = queryOf(req, 'date');
      try {
        const list = await o.console.shippingList(a.caller, date);
        return sendHtml(reply, shippingListPage({ locale: a.locale, staff: a.frame, ...list }));
      } catch (e) {
        if (!isInkanError(e, 'VALIDATION_FAILED')) throw e;
        return sendHtml(
          reply,
          shippingListPage({
            locale: a.locale,
            staff: a.frame,
            date: (date ?? '').slice(0, 10),
            items: [],
            error: a.locale.t.hardware.dateBad,
          }),
          400,
        );
      }
    }),
  );

  const tokenOf = async (a: StaffAuthed, ref: string) =>
    (await o.console.detail(a.caller, ref)).token;

  app.get(
    '/customers/:ref/resync',
    staffScreen(ctx, async (req, reply, a) => {
      if (a.staff.role !== 'admin') return ctx.sorry(req, reply, 403, 'forbidden', a);
      const { ref } = req.params as { ref: string };
      const token = await tokenOf(a, ref);
      return sendHtml(reply, resyncPage({ locale: a.locale, staff: a.frame, ref, token }));
    }),
  );

  app.post(
    '/customers/:ref/resync',
    staffForm(ctx, async (req, reply, a) => {
      // Each try searches 1,000 counters for a pair: limited per staff member (SPEC.md: rate
      // limits on every guessable input).
      if (!(await ctx.limit(req, reply, 'resyncPerStaff', `s${a.staff.id}`))) return reply;
      const { ref } = req.params as { ref: string };
      const h = a.locale.t.hardware;
      const locale = { ...a.locale, here: `/admin/customers/${encodeURIComponent(ref)}/resync` };
      const draw = async (
        extra: Pick<Parameters<typeof resyncPage>[0], 'done' | 'errors'>,
        status = 200,
      ) =>
        sendHtml(
          reply,
          resyncPage({ locale, staff: a.frame, ref, token: await tokenOf(a, ref), ...extra }),
          status,
        );
      let result: string;
      try {
        result = (
          await o.console.resyncHotp(
            a.caller,
            ref,
            formField(req, 'otp1').trim(),
            formField(req, 'otp2').trim(),
          )
        ).result;
      } catch (e) {
        const bad = isInkanError(e, 'VALIDATION_FAILED');
        const notHotp = isInkanError(e, 'NOT_FOUND') && e.extra['resource'] === 'hotp_token';
        if (!bad && !notHotp) throw e;
        return draw(
          { errors: bad ? { otp: h.otpBad } : { form: h.resyncNotHotp } },
          bad ? 400 : 409,
        );
      }
      if (result === 'ok') return draw({ done: true });
      return draw(
        { errors: { form: result === 'locked' ? h.resyncLocked : h.resyncInvalid } },
        result === 'locked' ? 409 : 400,
      );
    }),
  );
}
