// What other modules may use of orders. Routes are registered by app.ts from orders.routes.ts.
export { computeOrder, createOrder, getOrder, placeOrder, type OrdersDeps } from './orders.service.ts';
export { cancelOrder } from './orders.cancel.ts';
export { voidOrder } from './orders.void.ts';
export type { OrderDto } from './orders.schemas.ts';
