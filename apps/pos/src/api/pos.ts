import { api, call, ok } from './api.ts';
import type {
  DiscountApproval,
  DiscountApprovalRequest,
  StockApproval,
  StockApprovalRequest,
  TillContext,
} from './types.ts';

/** The register's pricing context: tax rate, money settings, the cashier's discount limit, the receipt's header. */
export function tillContext(registerId: string): Promise<TillContext> {
  return call(() => ok(api.GET('/v1/pos/context', { params: { query: { register_id: registerId } } })));
}

/** A manager's PIN approves a discount above the cashier's limit, for one sale (the server audits it). */
export function approveDiscount(body: DiscountApprovalRequest): Promise<DiscountApproval> {
  return call(() => ok(api.POST('/v1/pos/discount-approvals', { body })));
}

/** A manager's PIN approves selling one sale beyond stock (the shop blocks it otherwise; the server audits it). */
export function approveOversell(body: StockApprovalRequest): Promise<StockApproval> {
  return call(() => ok(api.POST('/v1/pos/stock-approvals', { body })));
}
