import { describe, expect, it } from 'vitest';
import { maskSecret, newEndpointSecret, signDelivery } from './signing.ts';

describe('Standard Webhooks signing', () => {
  it("matches the specification's test vector", () => {
    // From the Standard Webhooks reference libraries' tests.
    const signature = signDelivery(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('matches the worked example of docs/outgoing-webhooks.md', () => {
    const body =
      '{"type":"order.completed","timestamp":"2026-11-22T12:00:00.000Z",' +
      '"data":{"order_id":"0193a1b2-0000-7000-8000-000000000001","total_cents":1250}}';
    expect(
      signDelivery('whsec_bm92YXBvcy1leGFtcGxlLXNlY3JldC0h', '0193a1b2-0000-7000-8000-0000000000aa', 1795348800, body),
    ).toBe('v1,q+anftz6JOXR/ZIPhTnmaiMqgbLP9f14032m3PjlJqM=');
  });

  it('makes 24-byte secrets and masks them', () => {
    const secret = newEndpointSecret();
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(24);
    expect(newEndpointSecret()).not.toBe(secret);
    expect(maskSecret(secret)).toBe(`whsec_…${secret.slice(-4)}`);
  });
});
