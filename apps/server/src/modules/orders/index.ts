// What other modules may use of orders. Routes are registered by app.ts from orders.routes.ts.
export { getOrder } from './orders.service.ts';
export type { OrderDto } from './orders.schemas.ts';
