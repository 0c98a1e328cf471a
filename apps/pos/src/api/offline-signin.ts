import { api, call, ok } from './api.ts';
import type { OfflinePins, OfflineSigninReport } from './types.ts';

/** The PIN verifiers this register's till may keep (only its own PIN session may read them). */
export function offlinePins(registerId: string): Promise<OfflinePins> {
  return call(() => ok(api.GET('/v1/pos/offline-pins', { params: { query: { register_id: registerId } } })));
}

/** Tells the server about a sign-in the till accepted offline; sent again, it is recorded once. */
export async function reportOfflineSignIn(report: OfflineSigninReport): Promise<void> {
  await call(() => ok(api.POST('/v1/pos/offline-signins', { body: report })));
}
