import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * SERVICE_BUSY on a screen: the platform's database stayed locked by other work (a long import,
 * another server). Worth a retry, so the answer says when; logged as a warning, not an error. The
 * portal and the console answer it alike (the API does the same in http/problem.ts, which web
 * does not import: the screens may run apart from the platform).
 */
export function answerServiceBusy(req: FastifyRequest, reply: FastifyReply): void {
  req.log.warn({ code: 'SERVICE_BUSY' }, 'database busy');
  reply.header('retry-after', '1');
}
