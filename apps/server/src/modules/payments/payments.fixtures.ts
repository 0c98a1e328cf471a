// The simulator as a child process, started by an event-driven wait (its "listening" line or its exit), not a timer.
export { freePort, startSimulatorProcess, type RunningSimulator } from '../../../test/processes.ts';

interface SimAuthorization {
  provider_ref: string;
  amount_cents: number;
  status: string;
  captured_cents: number;
  refunded_cents: number;
}

/** Every authorization the simulator holds. */
export async function simAuthorizations(url: string): Promise<SimAuthorization[]> {
  const res = await fetch(`${url}/v1/authorizations`);
  return ((await res.json()) as { data: SimAuthorization[] }).data;
}

/** The simulator's settlement report of today (UTC). */
export async function simSettlements(
  url: string,
): Promise<{ type: string; provider_ref: string; amount_cents: number }[]> {
  const res = await fetch(`${url}/v1/settlements?date=${new Date().toISOString().slice(0, 10)}`);
  return ((await res.json()) as { entries: { type: string; provider_ref: string; amount_cents: number }[] }).entries;
}
