import type { paths, Schema } from '@novapos/api-client';

/** Types read off the generated OpenAPI document, so no API shape is written twice. */
export type TillContext = Schema<'TillContext'>;
export type CatalogChanges = Schema<'CatalogChanges'>;
export type TillItem = CatalogChanges['items'][number];
export type TillCategory = CatalogChanges['categories'][number];
/** An order as the server answers it (the response of POST /v1/orders). */
export type Order = paths['/v1/orders']['post']['responses'][201]['content']['application/json'];
/** The body of POST /v1/orders: what the till sends, and what its offline queue keeps. */
export type OrderBody = NonNullable<paths['/v1/orders']['post']['requestBody']>['content']['application/json'];
/** Who is signed in (GET /v1/me). */
export type Me = paths['/v1/me']['get']['responses'][200]['content']['application/json'];
/** A manager's PIN approval of a discount (POST /v1/pos/discount-approvals). */
export type DiscountApprovalRequest = NonNullable<
  paths['/v1/pos/discount-approvals']['post']['requestBody']
>['content']['application/json'];
export type DiscountApproval =
  paths['/v1/pos/discount-approvals']['post']['responses'][201]['content']['application/json'];
/** The PIN verifiers of the register's location, for signing in while the server is unreachable. */
export type OfflinePins = Schema<'OfflinePins'>;
export type OfflinePinUser = OfflinePins['users'][number];
/** A sign-in the till accepted offline, as it reports it when the server answers again. */
export type OfflineSigninReport = NonNullable<
  paths['/v1/pos/offline-signins']['post']['requestBody']
>['content']['application/json'];
/** A manager's PIN approval to sell one sale beyond stock (POST /v1/pos/stock-approvals). */
export type StockApprovalRequest = NonNullable<
  paths['/v1/pos/stock-approvals']['post']['requestBody']
>['content']['application/json'];
export type StockApproval = paths['/v1/pos/stock-approvals']['post']['responses'][201]['content']['application/json'];
/** A person's resolution of a refused offline sale, sent with it (`replay_resolution` of the order body). */
export type ReplayResolution = NonNullable<OrderBody['replay_resolution']>;
/** What the till showed for a sale: sent with every sale, the evidence of an offline one. */
export type PriceLock = NonNullable<OrderBody['price_lock']>;
/** The offline block of a queued sale: device, sequence number, the till's time and the device's signature. */
export type OfflineBlock = NonNullable<OrderBody['offline']>;
/** A manager's PIN approval of a replay resolution (POST /v1/pos/replay-approvals). */
export type ReplayApprovalRequest = NonNullable<
  paths['/v1/pos/replay-approvals']['post']['requestBody']
>['content']['application/json'];
export type ReplayApproval = paths['/v1/pos/replay-approvals']['post']['responses'][201]['content']['application/json'];
/** Cancelling a refused offline sale with what was handed back (POST /v1/pos/offline-sales/{id}/cancel). */
export type CancelOfflineSaleRequest = NonNullable<
  paths['/v1/pos/offline-sales/{id}/cancel']['post']['requestBody']
>['content']['application/json'];
export type CancelledOfflineSale =
  paths['/v1/pos/offline-sales/{id}/cancel']['post']['responses'][200]['content']['application/json'];
