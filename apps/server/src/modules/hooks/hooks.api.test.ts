import { describe, expect, it } from 'vitest';
import { expectProblem, useShop } from '../../../test/harness.ts';
import { isPrivateAddress } from './url-guard.ts';

// This app runs without WEBHOOK_ALLOW_PRIVATE_URLS: only https URLs of public addresses are accepted. Public
// addresses are IP literals so that no test depends on outside DNS.
const PUBLIC_URL = 'https://93.184.215.14/hooks/novapos';

const tenant = useShop({ roles: ['admin'] });
const admin = tenant.as('admin');

describe('webhook endpoints API', () => {
  it('creates an endpoint, shows its secret once, lists, changes and deletes it, audited', async () => {
    const created = await admin.post('/v1/webhook_endpoints', {
      url: PUBLIC_URL,
      event_types: ['order.completed', 'payment.refunded'],
      description: 'ERP',
    });
    expect(created.statusCode, created.body).toBe(201);
    const endpoint = created.json();
    expect(endpoint).toMatchObject({
      url: PUBLIC_URL,
      event_types: ['order.completed', 'payment.refunded'],
      description: 'ERP',
      status: 'enabled',
      failure_count: 0,
    });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64')).toHaveLength(24);

    const one = await admin.get(`/v1/webhook_endpoints/${endpoint.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().secret).toBe(`whsec_…${endpoint.secret.slice(-4)}`);
    const list = await admin.get('/v1/webhook_endpoints');
    expect(list.json().data.map((e: { id: string }) => e.id)).toContain(endpoint.id);
    expect(JSON.stringify(list.json())).not.toContain(endpoint.secret);

    const patched = await admin.patch(`/v1/webhook_endpoints/${endpoint.id}`, {
      event_types: ['*'],
      description: null,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ event_types: ['*'], description: null, url: PUBLIC_URL });

    const deliveries = await admin.get(`/v1/webhook_endpoints/${endpoint.id}/deliveries`);
    expect(deliveries.json()).toEqual({ data: [], next_cursor: null });

    const removed = await admin.delete(`/v1/webhook_endpoints/${endpoint.id}`);
    expect(removed.statusCode).toBe(204);
    expectProblem(await admin.get(`/v1/webhook_endpoints/${endpoint.id}`), 404, 'not_found');
    expect(await tenant.audit({ entityId: endpoint.id })).toMatchAudit([
      'webhook_endpoint.created',
      'webhook_endpoint.updated',
      'webhook_endpoint.deleted',
    ]);
  });

  it.each([
    'https://127.0.0.1/hook',
    'https://10.0.0.1/hook',
    'https://172.16.5.4/hook',
    'https://192.168.1.1/hook',
    'https://100.64.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://0.0.0.0/hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://[fd00::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:10.0.0.1]/hook',
    'https://localhost/hook',
    'https://0x7f.1/hook',
    'http://127.0.0.1/hook',
    'http://10.0.0.1/hook',
    'http://[::1]/hook',
    'http://93.184.215.14/hook',
    'https://user:pw@93.184.215.14/hook',
    'not a url',
  ])('refuses %s with 400 on url and writes nothing', async (url) => {
    const res = await admin.post('/v1/webhook_endpoints', { url, event_types: ['order.completed'] });
    expectProblem(res, 400, 'validation_failed');
    expect(res.json().errors).toEqual([{ field: 'url', message: expect.any(String) }]);
    const list = await admin.get('/v1/webhook_endpoints');
    expect(list.json().data.filter((e: { url: string }) => e.url === url)).toEqual([]);
  });

  it('refuses a private URL on PATCH too', async () => {
    const created = await admin.post('/v1/webhook_endpoints', { url: PUBLIC_URL, event_types: ['order.completed'] });
    const res = await admin.patch(`/v1/webhook_endpoints/${created.json().id}`, { url: 'https://10.1.2.3/x' });
    expectProblem(res, 400, 'validation_failed');
    const after = await admin.get(`/v1/webhook_endpoints/${created.json().id}`);
    expect(after.json().url).toBe(PUBLIC_URL);
  });

  it.each([
    [{ url: PUBLIC_URL, event_types: ['Order Completed'] }],
    [{ url: PUBLIC_URL, event_types: ['order'] }],
    [{ url: PUBLIC_URL, event_types: ['order.*'] }],
    [{ url: PUBLIC_URL, event_types: [] }],
    [{ url: PUBLIC_URL, event_types: ['order.completed', 'order.completed'] }],
    [{ url: PUBLIC_URL, event_types: Array.from({ length: 51 }, (_, i) => `order.e${i}`) }],
    [{ url: PUBLIC_URL }],
    [{ url: PUBLIC_URL, event_types: ['order.completed'], secret: 'whsec_mine' }],
    [{ url: 'x'.repeat(2049), event_types: ['order.completed'] }],
  ])('refuses a bad body %j with 400', async (payload) => {
    const res = await admin.post('/v1/webhook_endpoints', payload);
    expectProblem(res, 400, 'validation_failed');
  });

  it('refuses an empty PATCH and unknown ids', async () => {
    const created = await admin.post('/v1/webhook_endpoints', { url: PUBLIC_URL, event_types: ['*'] });
    expectProblem(await admin.patch(`/v1/webhook_endpoints/${created.json().id}`, {}), 400, 'validation_failed');
    const unknown = '01900000-0000-7000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/v1/webhook_endpoints/${unknown}`],
      ['DELETE', `/v1/webhook_endpoints/${unknown}`],
      ['GET', `/v1/webhook_endpoints/${unknown}/deliveries`],
    ] as const) {
      expectProblem(await admin.request(method, url), 404, 'not_found');
    }
  });

  it('is for owners and admins only', async () => {
    const owner = tenant.as('owner');
    const ok = await owner.get('/v1/webhook_endpoints');
    expect(ok.statusCode).toBe(200);
    for (const role of ['manager', 'cashier'] as const) {
      const headers = tenant.as(role);
      expectProblem(await headers.get('/v1/webhook_endpoints'), 403, 'forbidden');
      expectProblem(
        await headers.post('/v1/webhook_endpoints', { url: PUBLIC_URL, event_types: ['*'] }),
        403,
        'forbidden',
      );
    }
  });

  it("never shows another tenant's endpoints", async () => {
    const other = await tenant.addTenant('Other Shop', ['admin']);
    const otherAdmin = other.as('admin');
    const mine = await admin.post('/v1/webhook_endpoints', { url: PUBLIC_URL, event_types: ['*'] });
    const id = mine.json().id as string;
    expectProblem(await otherAdmin.get(`/v1/webhook_endpoints/${id}`), 404, 'not_found');
    const list = await otherAdmin.get('/v1/webhook_endpoints');
    expect(list.json().data).toEqual([]);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.255.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['100.127.0.1', true],
    ['100.128.0.1', false],
    ['169.254.1.1', true],
    ['::1', true],
    ['::', true],
    ['fc00::1', true],
    ['fe80::abcd', true],
    ['::ffff:192.168.0.1', true],
    ['::ffff:7f00:1', true],
    ['8.8.8.8', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['not-an-ip', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
