import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** An authorization as the simulated processor keeps it. No card number: the token's brand and last four only. */
export interface SimAuthorization {
  provider_ref: string;
  amount_cents: number;
  currency: string;
  brand: string;
  last4: string;
  status: 'authorized' | 'captured' | 'voided';
  captured_cents: number;
  refunded_cents: number;
  created_at: string;
}

/** A stored answer to an idempotency key: a repeated key gets exactly this back. */
export interface SimResponse {
  path: string;
  status: number;
  body: Record<string, unknown>;
  /** tok_timeout: the first answer under this key was (or is being) sent too late. */
  late?: boolean;
}

export interface SimSettlement {
  type: 'capture' | 'refund';
  provider_ref: string;
  amount_cents: number;
  currency: string;
  at: string;
}

interface SimData {
  authorizations: Record<string, SimAuthorization>;
  responses: Record<string, SimResponse>;
  settlements: SimSettlement[];
  sequence: number;
}

/**
 * The simulator's memory, optionally mirrored to a JSON file after every change (written to a temporary file and
 * renamed, so a `kill -9` leaves the old or the new state, never half of one). A simulator restarted on the same
 * file still knows every authorization and every idempotency key: that is what lets the tests kill it in the middle
 * of an authorization and prove that the retry does not charge twice.
 */
export class SimState {
  private readonly file: string | undefined;
  private readonly data: SimData;

  constructor(file: string | undefined) {
    this.file = file;
    this.data =
      file !== undefined && existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as SimData)
        : { authorizations: {}, responses: {}, settlements: [], sequence: 0 };
  }

  nextRef(): string {
    this.data.sequence += 1;
    return `sim_auth_${this.data.sequence.toString().padStart(6, '0')}`;
  }

  response(key: string): SimResponse | undefined {
    return this.data.responses[key];
  }

  authorization(ref: string): SimAuthorization | undefined {
    return this.data.authorizations[ref];
  }

  authorizations(): SimAuthorization[] {
    return Object.values(this.data.authorizations);
  }

  settlements(date: string): SimSettlement[] {
    return this.data.settlements.filter((s) => s.at.startsWith(date));
  }

  /** Records a change and the answer to its key in one write. */
  commit(
    key: string,
    response: SimResponse,
    change: { authorization?: SimAuthorization; settlement?: SimSettlement } = {},
  ): void {
    if (change.authorization !== undefined) {
      this.data.authorizations[change.authorization.provider_ref] = change.authorization;
    }
    if (change.settlement !== undefined) this.data.settlements.push(change.settlement);
    this.data.responses[key] = response;
    this.save();
  }

  private save(): void {
    if (this.file === undefined) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.file);
  }
}
