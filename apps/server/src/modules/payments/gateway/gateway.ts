/**
 * The one seam between NovaPOS and a card processor. Everything the payments service needs from a processor is
 * here; an adapter for Stripe, Adyen or the built-in simulator is a single file implementing it (docs/payments.md).
 *
 * Every call carries an idempotency key that the caller derives from what the call MEANS (the intent and the move),
 * never from the attempt: an adapter may retry a call with the same key, and the processor answers a repeated key
 * with its first answer, so a retry never charges twice.
 */
export interface PaymentGateway {
  /** The processor's name, stored with each intent (`provider`). */
  readonly name: string;
  /** Reserves money on a card. A refusal is thrown as GatewayDecline; an unreachable processor as GatewayUnavailable. */
  authorize(input: {
    amountCents: number;
    currency: string;
    cardToken: string;
    idempotencyKey: string;
  }): Promise<GatewayAuthorization>;
  /** Takes (part of) an authorization. */
  capture(input: {
    providerRef: string;
    amountCents: number;
    idempotencyKey: string;
  }): Promise<{ providerRef: string }>;
  /** Releases an authorization that was not captured. */
  void(input: { providerRef: string; idempotencyKey: string }): Promise<{ providerRef: string }>;
  /** Gives (part of) a capture back. */
  refund(input: { providerRef: string; amountCents: number; idempotencyKey: string }): Promise<{ providerRef: string }>;
  /** What the processor settled on a day (YYYY-MM-DD, UTC): for reconciliation. */
  settlementReport(date: string): Promise<SettlementEntry[]>;
}

/** A successful authorization: the processor's reference and the only card facts we keep. */
export interface GatewayAuthorization {
  readonly providerRef: string;
  readonly brand: string;
  readonly last4: string;
}

/** One line of a settlement report. */
export interface SettlementEntry {
  readonly type: 'capture' | 'refund';
  readonly providerRef: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly at: string;
}

/** The processor refused the card (HTTP 402 from the processor); `reason` is its word, e.g. `card_declined`. */
export class GatewayDecline extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(`The card was declined: ${reason}`);
    this.name = 'GatewayDecline';
    this.reason = reason;
  }
}

/** The processor could not be reached, or kept failing, after every retry. Nothing is known to have happened. */
export class GatewayUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayUnavailable';
  }
}

/** The processor refused the request itself (a 4xx other than a decline): a bug on one side, not worth a retry. */
export class GatewayRejected extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GatewayRejected';
    this.status = status;
  }
}
