import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Secrets } from '../../platform/secrets.ts';
import type { PaymentsDeps } from '../payments/index.ts';

// What the orders services need, in a file of its own: the service, the card steps and the pay/void use cases all
// import it, and none of them imports another's module file for it (no cycle through orders.service.ts).

export interface OrdersDeps {
  readonly db: Database;
  readonly config: Config;
  /** Card tenders (`method: card`) go through these; without them (or without a gateway) they are 503. */
  readonly payments?: PaymentsDeps | undefined;
}

/** What `placeOrder` needs besides: the key that verifies a manager's discount approval. */
export interface PlaceOrderDeps extends OrdersDeps {
  readonly secrets: Secrets;
}
