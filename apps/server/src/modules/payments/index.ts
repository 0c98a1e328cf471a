// What other modules may use (card tenders in orders, the jobs of a later issue); never routes.
export { captureIntent, confirmIntent, refundIntent, voidIntent } from './payments.moves.ts';
export { createIntent, getIntent, type PaymentsDeps } from './payments.service.ts';
export { paymentMetrics, type PaymentMetrics } from './payments.metrics.ts';
export type { PaymentGateway, SettlementEntry } from './gateway/gateway.ts';
export { GatewayDecline, GatewayRejected, GatewayUnavailable } from './gateway/gateway.ts';
export { HttpGateway } from './gateway/http-gateway.ts';
export { linkIntentsToOrder } from './payments.orders.ts';
export { paymentsDepsFor, paymentsDepsOf } from './payments.deps.ts';
export { paymentJobs, registerPaymentWebhookHandlers, runAutoVoid } from './jobs/index.ts';
