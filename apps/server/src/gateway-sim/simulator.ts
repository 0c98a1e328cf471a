import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { SimState, type SimAuthorization, type SimResponse } from './sim-state.ts';

/**
 * Test cards, as Stripe's: the token decides the outcome, so tests and demos are deterministic.
 * `tok_timeout` approves, but its first answer under a key comes later than any client waits.
 */
const CARDS: Record<string, { brand: string; last4: string } | { decline: string }> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
  tok_timeout: { brand: 'visa', last4: '0341' },
  tok_declined: { decline: 'card_declined' },
  tok_insufficient_funds: { decline: 'insufficient_funds' },
};

export interface SimulatorOptions {
  /** JSON file that keeps the state across restarts. */
  readonly stateFile?: string | undefined;
  /** How late tok_timeout's first answer is (longer than the client's timeout). */
  readonly slowMs?: number;
}

type Body = Record<string, unknown>;

/**
 * The card-processor simulator (`novapos gateway-sim`): a small Fastify server of its own, not part of the app.
 * Every POST needs `Idempotency-Key`; a repeated key gets the stored answer (declines included), never a second
 * charge. It never logs: request bodies carry card tokens.
 */
export function buildSimulator(options: SimulatorOptions = {}): FastifyInstance {
  const state = new SimState(options.stateFile);
  const slowMs = options.slowMs ?? 30_000;
  const app = Fastify({ logger: false, forceCloseConnections: true });

  /** Runs `fn` once per key; a repeat of the key replays the first answer. */
  async function once(request: FastifyRequest, reply: FastifyReply, fn: (key: string) => SimResponse) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      return reply.code(400).send({ code: 'idempotency_key_required', message: 'Idempotency-Key is required' });
    }
    const path = request.url;
    const stored = state.response(key);
    if (stored !== undefined) {
      if (stored.path !== path) {
        return reply.code(422).send({ code: 'idempotency_key_reused', message: 'Key used for another request' });
      }
      return reply.code(stored.status).header('idempotent-replayed', 'true').send(stored.body);
    }
    const response = fn(key);
    // Recorded first, answered late: the client gives up, yet the authorization exists (as with a real processor).
    if (response.late === true) await new Promise((r) => setTimeout(r, slowMs));
    return reply.code(response.status).send(response.body);
  }

  function amountOf(body: Body): number | undefined {
    const amount = body.amount_cents;
    return typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 ? amount : undefined;
  }

  function refused(status: number, code: string, message: string): SimResponse {
    return { path: '', status, body: { code, message } };
  }

  app.post<{ Body: Body | undefined }>('/v1/authorizations', (request, reply) =>
    once(request, reply, (key) => {
      const body = request.body ?? {};
      const amount = amountOf(body);
      const currency = typeof body.currency === 'string' ? body.currency : '';
      const card = typeof body.card_token === 'string' ? CARDS[body.card_token] : undefined;
      let response: SimResponse;
      let authorization: SimAuthorization | undefined;
      if (amount === undefined || !/^[A-Z]{3}$/.test(currency)) {
        response = refused(400, 'invalid_request', 'amount_cents and currency are required');
      } else if (card === undefined) {
        response = refused(400, 'no_such_token', 'No such card token');
      } else if ('decline' in card) {
        response = { path: '', status: 402, body: { code: 'card_error', reason: card.decline } };
      } else {
        const ref = state.nextRef();
        authorization = {
          provider_ref: ref,
          amount_cents: amount,
          currency,
          brand: card.brand,
          last4: card.last4,
          status: 'authorized',
          captured_cents: 0,
          refunded_cents: 0,
          created_at: new Date().toISOString(),
        };
        response = {
          path: '',
          status: 201,
          body: { provider_ref: ref, brand: card.brand, last4: card.last4, status: 'authorized' },
          late: body.card_token === 'tok_timeout',
        };
      }
      response.path = request.url;
      state.commit(key, response, authorization === undefined ? {} : { authorization });
      return response;
    }),
  );

  app.post<{ Params: { ref: string; action: string }; Body: Body | undefined }>(
    '/v1/authorizations/:ref/:action',
    (request, reply) =>
      once(request, reply, (key) => {
        const auth = state.authorization(request.params.ref);
        const amount = amountOf(request.body ?? {});
        const now = new Date().toISOString();
        let response: SimResponse;
        let change: Parameters<SimState['commit']>[2] = {};
        const action = request.params.action;
        if (auth === undefined) {
          response = refused(404, 'no_such_authorization', 'No such authorization');
        } else if (action === 'capture') {
          if (auth.status !== 'authorized') response = refused(409, 'invalid_state', `Authorization is ${auth.status}`);
          else if (amount === undefined || amount > auth.amount_cents) {
            response = refused(422, 'invalid_amount', 'Capture exceeds the authorization');
          } else {
            const updated = { ...auth, status: 'captured' as const, captured_cents: amount };
            const settlement = {
              type: 'capture' as const,
              provider_ref: auth.provider_ref,
              amount_cents: amount,
              currency: auth.currency,
              at: now,
            };
            change = { authorization: updated, settlement };
            response = { path: '', status: 200, body: { provider_ref: auth.provider_ref, status: 'captured' } };
          }
        } else if (action === 'void') {
          if (auth.status !== 'authorized') response = refused(409, 'invalid_state', `Authorization is ${auth.status}`);
          else {
            change = { authorization: { ...auth, status: 'voided' } };
            response = { path: '', status: 200, body: { provider_ref: `${auth.provider_ref}-void`, status: 'voided' } };
          }
        } else if (action === 'refunds') {
          if (auth.status !== 'captured') response = refused(409, 'invalid_state', `Authorization is ${auth.status}`);
          else if (amount === undefined || auth.refunded_cents + amount > auth.captured_cents) {
            response = refused(422, 'invalid_amount', 'Refund exceeds the capture');
          } else {
            const updated = { ...auth, refunded_cents: auth.refunded_cents + amount };
            const settlement = {
              type: 'refund' as const,
              provider_ref: auth.provider_ref,
              amount_cents: amount,
              currency: auth.currency,
              at: now,
            };
            change = { authorization: updated, settlement };
            response = {
              path: '',
              status: 201,
              body: { provider_ref: `${auth.provider_ref}-refund`, status: 'refunded' },
            };
          }
        } else {
          response = refused(404, 'not_found', 'No such endpoint');
        }
        response.path = request.url;
        state.commit(key, response, change);
        return response;
      }),
  );

  app.get<{ Querystring: { date?: string } }>('/v1/settlements', (request, reply) => {
    const date = request.query.date ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return reply.code(400).send({ code: 'invalid_request', message: 'date=YYYY-MM-DD is required' });
    }
    return { date, entries: state.settlements(date) };
  });

  // For tests and operators: every authorization the processor holds.
  app.get('/v1/authorizations', () => ({ data: state.authorizations() }));

  return app;
}

/** Starts the simulator; resolves with its address once it listens. */
export async function startSimulator(
  options: SimulatorOptions & { port: number; host?: string },
): Promise<{ app: FastifyInstance; url: string }> {
  const app = buildSimulator(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { app, url: `http://${host}:${port}` };
}
