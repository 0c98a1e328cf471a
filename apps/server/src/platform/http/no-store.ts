import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * An `onSend`-style hook for answers that carry a secret (tokens, a webhook signing secret shown once): no browser,
 * proxy or CDN may keep them (RFC 6749 §5.1, RFC 9111 §5.2.2.5), and their errors neither.
 */
export async function noStore(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  void reply.header('Cache-Control', 'no-store');
}
