import { describe, expect, it } from 'vitest';
import { useShop } from './harness.ts';

// Answers that carry a secret must not be kept by a browser, a proxy or a CDN; their refusals neither.
describe('Cache-Control: no-store on answers that carry a secret', () => {
  const shop = useShop({ roles: ['owner'] });

  it('is sent with a webhook endpoint, whose answer holds its signing secret', async () => {
    const res = await shop.as('owner').post('/v1/webhook_endpoints', {
      // A public IP literal: the SSRF guard accepts it without asking DNS.
      url: 'https://93.184.215.14/hooks/novapos',
      event_types: ['order.completed'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().secret).toMatch(/^whsec_/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is sent with the refusal too', async () => {
    const res = await shop.as('owner').post('/v1/webhook_endpoints', { url: 'not a url', event_types: [] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('is not sent where nothing secret is answered', async () => {
    const res = await shop.as('owner').get('/v1/webhook_endpoints');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBeUndefined();
  });
});
