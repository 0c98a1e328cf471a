import {
  GatewayDecline,
  GatewayRejected,
  GatewayUnavailable,
  type GatewayAuthorization,
  type PaymentGateway,
  type SettlementEntry,
} from './gateway.ts';

export interface HttpGatewayOptions {
  /** Base URL of the processor, e.g. the simulator's `http://127.0.0.1:4010`. */
  readonly baseUrl: string;
  /** How long one attempt may take before it is abandoned and retried (config.payments.gatewayTimeoutMs). */
  readonly timeoutMs: number;
  /** Attempts in all, the first included. */
  readonly maxAttempts?: number;
  /** First back-off; doubled after each failed attempt. */
  readonly backoffMs?: number;
  /** Where retries are reported (never with a card token). */
  readonly onRetry?: (info: { path: string; attempt: number; error: string }) => void;
}

/** A failure worth another attempt with the same key: the processor may or may not have acted. */
class Retryable extends Error {}

/**
 * The processor adapter speaking the simulator's HTTP protocol (the processor API NovaPOS ships with). Every call
 * sends `Idempotency-Key`; timeouts, network errors and 5xx answers are retried with the SAME key after a back-off,
 * which is safe because the processor answers a repeated key with its first answer. A 402 is a decline and is never
 * retried. Card tokens go in request bodies only, which are never logged.
 */
export class HttpGateway implements PaymentGateway {
  readonly name = 'novapos-gateway';
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly onRetry: HttpGatewayOptions['onRetry'];

  constructor(options: HttpGatewayOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.backoffMs = options.backoffMs ?? 50;
    this.onRetry = options.onRetry;
  }

  async authorize(input: {
    amountCents: number;
    currency: string;
    cardToken: string;
    idempotencyKey: string;
  }): Promise<GatewayAuthorization> {
    const body = await this.call('POST', '/v1/authorizations', input.idempotencyKey, {
      amount_cents: input.amountCents,
      currency: input.currency,
      card_token: input.cardToken,
    });
    return { providerRef: str(body, 'provider_ref'), brand: str(body, 'brand'), last4: str(body, 'last4') };
  }

  async capture(input: { providerRef: string; amountCents: number; idempotencyKey: string }) {
    const path = `/v1/authorizations/${encodeURIComponent(input.providerRef)}/capture`;
    const body = await this.call('POST', path, input.idempotencyKey, { amount_cents: input.amountCents });
    return { providerRef: str(body, 'provider_ref') };
  }

  async void(input: { providerRef: string; idempotencyKey: string }) {
    const path = `/v1/authorizations/${encodeURIComponent(input.providerRef)}/void`;
    const body = await this.call('POST', path, input.idempotencyKey, {});
    return { providerRef: str(body, 'provider_ref') };
  }

  async refund(input: { providerRef: string; amountCents: number; idempotencyKey: string }) {
    const path = `/v1/authorizations/${encodeURIComponent(input.providerRef)}/refunds`;
    const body = await this.call('POST', path, input.idempotencyKey, { amount_cents: input.amountCents });
    return { providerRef: str(body, 'provider_ref') };
  }

  async settlementReport(date: string): Promise<SettlementEntry[]> {
    const body = await this.call('GET', `/v1/settlements?date=${encodeURIComponent(date)}`, `settlement:${date}`);
    const entries = (body as { entries?: unknown }).entries;
    if (!Array.isArray(entries)) throw new GatewayUnavailable('The processor sent a settlement report without entries');
    return entries.map((e: Record<string, unknown>) => ({
      type: e.type === 'refund' ? 'refund' : 'capture',
      providerRef: str(e, 'provider_ref'),
      amountCents: Number(e.amount_cents),
      currency: str(e, 'currency'),
      at: str(e, 'at'),
    }));
  }

  /** One logical call: attempts with the same key until an answer, a decline, or the attempts run out. */
  private async call(method: string, path: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
    let lastError = 'no attempt made';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      try {
        return await this.attempt(method, path, key, body);
      } catch (err) {
        if (!(err instanceof Retryable)) throw err;
        lastError = err.message;
        if (attempt === this.maxAttempts) break;
        this.onRetry?.({ path: path.split('?')[0] ?? path, attempt, error: lastError });
        await sleep(this.backoffMs * 2 ** (attempt - 1));
      }
    }
    throw new GatewayUnavailable(`The card processor did not answer after ${this.maxAttempts} attempts: ${lastError}`);
  }

  private async attempt(method: string, path: string, key: string, body?: unknown): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'idempotency-key': key,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Timeout (TimeoutError), refused or reset connection (TypeError: fetch failed): the processor may have
      // acted, so only a retry with the same key is safe.
      const name = (err as Error).name;
      throw new Retryable(name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : `network: ${name}`);
    }
    let json: Record<string, unknown>;
    try {
      json = (await res.json()) as Record<string, unknown>;
    } catch (err) {
      // The answer was cut off (timeout while reading the body) or was not JSON.
      if (res.status >= 500 || (err as Error).name === 'TimeoutError') throw new Retryable(`HTTP ${res.status}`);
      throw new GatewayRejected(res.status, `The processor answered ${res.status} without JSON`);
    }
    if (res.ok) return json;
    if (res.status >= 500) throw new Retryable(`HTTP ${res.status}`);
    if (res.status === 402) throw new GatewayDecline(typeof json.reason === 'string' ? json.reason : 'declined');
    throw new GatewayRejected(res.status, typeof json.message === 'string' ? json.message : `HTTP ${res.status}`);
  }
}

function str(body: unknown, key: string): string {
  const value = (body as Record<string, unknown>)[key];
  if (typeof value !== 'string') throw new GatewayUnavailable(`The processor's answer lacks ${key}`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
