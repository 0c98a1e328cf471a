// The baseline of the compute benchmark: a bare Fastify route that validates the same JSON body schema as
// POST /v1/orders/compute and answers a fixed small object. Runs as its own process, like the real server.
import Fastify from 'fastify';
import { ComputeBody } from '../../apps/server/src/modules/orders/orders.schemas.ts';

const app = Fastify({ logger: false });
app.post('/v1/orders/compute', { schema: { body: ComputeBody } }, async () => ({
  subtotal_cents: 0,
  discount_cents: 0,
  tax_cents: 0,
  total_cents: 0,
}));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`bare fastify listening at ${address}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
