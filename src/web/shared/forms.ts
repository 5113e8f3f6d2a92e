/**
 * Form plumbing shared by the server-rendered screens: reading a field, comparing tokens in
 * constant time, sending a page.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Html } from './html.js';

/** Constant-time equality of two non-empty strings (CSRF tokens). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** A form field as a string ('' when absent or not a string). */
export function formField(req: FastifyRequest, name: string): string {
  const body = req.body as Record<string, unknown> | null | undefined;
  const v = body !== null && typeof body === 'object' ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
}

/** A random token for cookies and forms: 256 bits, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sends a page as HTML. */
export function sendHtml(reply: FastifyReply, page: Html, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').send(page.toString());
}
