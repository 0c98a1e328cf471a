import { api, ok } from './api.ts';
import type { ManagerGrant } from './auth.ts';

/**
 * Registers this device's public key with its register (POST /v1/registers/{id}/devices), with the manager's
 * token of the set-up: the server then verifies the sales this device signs.
 */
export async function registerDevice(
  grant: ManagerGrant,
  registerId: string,
  publicKey: string,
  label: string,
): Promise<{ device_id: string }> {
  return ok(
    api.POST('/v1/registers/{id}/devices', {
      headers: grant.headers,
      params: { path: { id: registerId } },
      body: { public_key: publicKey, label },
    }),
  );
}
