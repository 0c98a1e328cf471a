/**
 * Tests of a real external service run when its URL is set (TEST_REDIS_URL, TEST_NATS_URL). With
 * REQUIRE_SERVICES=1 — CI's services step — a missing URL fails the test instead of skipping it, so CI can never
 * pass by silently not testing. `npm test` on a machine with only Node.js skips them, visibly.
 */
export type ServiceVariable = 'TEST_REDIS_URL' | 'TEST_NATS_URL';

export const servicesRequired = process.env.REQUIRE_SERVICES === '1';

/** True when the suite for this service should be skipped. */
export function skipWithout(variable: ServiceVariable): boolean {
  const value = process.env[variable];
  return (value === undefined || value === '') && !servicesRequired;
}

/** The service's URL; throws (failing the test) when it is required but missing. */
export function serviceUrl(variable: ServiceVariable): string {
  const value = process.env[variable];
  if (value === undefined || value === '')
    throw new Error(`${variable} must be set: REQUIRE_SERVICES=1 needs the real service`);
  return value;
}
