// What other modules (and server.ts) may use of outgoing webhooks. Routes are registered by app.ts from
// hooks.routes.ts.
export { subscribeOutgoingWebhooks, fanOutEvent, OUTGOING_WEBHOOKS_CONSUMER } from './fanout.ts';
export {
  createDeliveryWorker,
  WebhookDeliveryWorker,
  DEFAULT_SCHEDULE_MS,
  DELIVER_TASK,
  type DeliveryWorkerOptions,
} from './delivery-worker.ts';
export { isPrivateAddress, urlRefusal } from './url-guard.ts';
