import { DISCOUNT_APPROVER_ROLES, discountNeedsApproval, hasAnyRole, receiptFooter } from '@novapos/domain';
import type { Config } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import type { RateLimiter } from '../../platform/rate-limit.ts';
import type { Secrets } from '../../platform/secrets.ts';
import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/index.ts';
import { findUserByPin, pinLookup } from '../auth/index.ts';
import { resolveTaxRate } from '../tax/index.ts';
import { findTillRegister, getOfflineCardPolicy, getTenantMoneySettings } from '../tenancy/index.ts';
import { APPROVAL_TTL_SECONDS, signApproval, verifyApproval } from './pos.approvals.ts';
import type { DiscountApprovalInput, StockApprovalInput, TillContext } from './pos.schemas.ts';

/** What the till's server side needs: its database, settings, signing key and the PIN attempt limiter. */
export interface PosDeps {
  readonly db: Database;
  readonly config: Config;
  readonly secrets: Secrets;
  readonly pinLimiter: RateLimiter;
}

/**
 * The till's pricing context for a register: exactly the inputs the server's `priceCart` uses (tax rate by
 * precedence for this register, the tenant's money settings), so the till's totals equal the server's.
 */
export async function tillContext(deps: PosDeps, ctx: RequestContext, registerId: string): Promise<TillContext> {
  return tenantTx(deps.db, ctx, async (tx) => {
    const register = await findTillRegister(tx, registerId);
    if (register === undefined || register.archived) {
      throw new AppError('register_not_found', 'No active register has this id');
    }
    if (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id)) {
      throw new AppError('forbidden', 'You are not allowed to work at this location');
    }
    // One after another: the three reads share the transaction's one connection (pg queues concurrent queries on a
    // client, and pg 9 refuses them).
    const settings = await getTenantMoneySettings(tx, ctx, deps.config.moneyRounding);
    const rate = await resolveTaxRate(tx, ctx, {
      registerId: register.register_id,
      locationId: register.location_id,
      defaultBps: deps.config.defaultTaxRateBps,
    });
    const offlineCards = await getOfflineCardPolicy(tx, ctx);
    return {
      register_id: register.register_id,
      register_name: register.register_name,
      location_id: register.location_id,
      location_name: register.location_name,
      business_name: register.business_name,
      time_zone: register.time_zone,
      address_lines: register.address_lines,
      receipt_footer_lines: [...receiptFooter(register.receipt_footer_lines)],
      currency: settings.currency,
      tax_rate_bps: rate.rate_bps,
      tax_rate_source: rate.source,
      prices_include_tax: settings.prices_include_tax,
      money_rounding: settings.money_rounding,
      cash_rounding_cents: settings.cash_rounding_cents,
      cashier_discount_limit_bp: deps.config.pos.cashierDiscountLimitBp,
      card_payments: deps.config.payments.gatewayUrl !== undefined,
      offline_signin_grace_hours: register.offline_signin_grace_hours,
      offline_card_policy: offlineCards,
    };
  });
}

/** Who approved at the till: the manager and the id of their approval (its audit event carries it). */
interface ManagerApproval {
  readonly manager: { readonly id: string; readonly display_name: string };
  readonly approvalId: string;
}

/**
 * A manager approves something at the till by typing their PIN: the PIN must be an active manager's (or above), at
 * a register the cashier may work at. Both outcomes are audited on the register's chain (`approved` / `refused`
 * actions, with `data`); a wrong PIN counts against the register's PIN rate limit. `archivedRegister`: approve at a
 * register archived since (a replayed sale made there before), else 404 `register_not_found`.
 */
export async function managerApproval(
  deps: PosDeps,
  ctx: RequestContext,
  input: { register_id: string; order_id: string; pin: string },
  audit: { approved: string; refused: string; data: Record<string, unknown>; archivedRegister?: 'allowed' },
): Promise<ManagerApproval> {
  await deps.pinLimiter.consume(`approval:${input.register_id}`);
  const tenantId = ctx.tenantId;
  if (tenantId === undefined) throw new AppError('forbidden', 'Sign in to a shop first');
  const at: RequestContext = { ...ctx, registerId: input.register_id };
  const outcome = await tenantTx(deps.db, at, async (tx) => {
    const register = await findTillRegister(tx, input.register_id);
    if (
      register === undefined ||
      (register.archived && audit.archivedRegister !== 'allowed') ||
      (ctx.locationIds.length > 0 && !ctx.locationIds.includes(register.location_id))
    ) {
      return { error: new AppError('register_not_found', 'No active register has this id') };
    }
    const manager = await findUserByPin(tx, pinLookup(deps.secrets.pinPepper, tenantId, input.pin));
    if (manager === undefined || !manager.active || !hasAnyRole(manager.roles, DISCOUNT_APPROVER_ROLES)) {
      await recordAudit(tx, at, {
        action: audit.refused,
        entityType: 'order',
        entityId: input.order_id,
        data: audit.data,
      });
      return { error: new AppError('invalid_pin', 'That PIN is not a manager’s') };
    }
    const approvalId = newId();
    await recordAudit(tx, at, {
      action: audit.approved,
      entityType: 'order',
      entityId: input.order_id,
      data: { approval_id: approvalId, ...audit.data, manager_id: manager.id, cashier_id: ctx.actorId ?? null },
    });
    return { manager, approvalId };
  });
  if ('error' in outcome) throw outcome.error as AppError;
  return outcome;
}

/** A manager approves a discount above the cashier's limit for one sale by typing their PIN at the till. */
export async function approveDiscount(deps: PosDeps, ctx: RequestContext, input: DiscountApprovalInput) {
  const { manager, approvalId } = await managerApproval(deps, ctx, input, {
    approved: 'pos.discount_approved',
    refused: 'pos.discount_approval_refused',
    data: { discount_bp: input.discount_bp },
  });
  const approval = await signApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, {
    kind: 'discount',
    approval_id: approvalId,
    tenant_id: ctx.tenantId ?? '',
    register_id: input.register_id,
    order_id: input.order_id,
    max_discount_bp: input.discount_bp,
    manager_id: manager.id,
  });
  return {
    approval,
    approval_id: approvalId,
    manager_id: manager.id,
    manager_name: manager.display_name,
    max_discount_bp: input.discount_bp,
    expires_at: new Date(Date.now() + APPROVAL_TTL_SECONDS * 1000).toISOString(),
  };
}

/**
 * A manager approves selling one sale beyond stock (the tenant's policy blocks it) by typing their PIN at the till.
 * The approval names the sale; what it actually oversells is audited with the sale (`order.oversold`).
 */
export async function approveOversell(deps: PosDeps, ctx: RequestContext, input: StockApprovalInput) {
  const { manager, approvalId } = await managerApproval(deps, ctx, input, {
    approved: 'pos.oversell_approved',
    refused: 'pos.oversell_approval_refused',
    data: {},
  });
  const approval = await signApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, {
    kind: 'oversell',
    approval_id: approvalId,
    tenant_id: ctx.tenantId ?? '',
    register_id: input.register_id,
    order_id: input.order_id,
    manager_id: manager.id,
  });
  return {
    approval,
    approval_id: approvalId,
    manager_id: manager.id,
    manager_name: manager.display_name,
    expires_at: new Date(Date.now() + APPROVAL_TTL_SECONDS * 1000).toISOString(),
  };
}

/** Who let a sale go beyond stock: the manager and their approval's id (for the sale's `order.oversold` event). */
export interface StockOverride {
  readonly manager_id: string;
  readonly approval_id: string;
}

/**
 * The override a sale's `stock_approval` carries, after checking it is a valid oversell approval (not a discount
 * one) for this very tenant, register and order; 403 `invalid_approval` otherwise. No approval: undefined (the
 * tenant's stock policy applies). Called by the orders service (`placeOrder`) before anything is priced or charged.
 */
export async function stockOverrideOf(
  deps: Pick<PosDeps, 'config' | 'secrets'>,
  ctx: RequestContext,
  order: { order_id: string | undefined; register_id: string; approval: string | undefined },
): Promise<StockOverride | undefined> {
  if (order.approval === undefined) return undefined;
  const approval = await verifyApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, order.approval, 'oversell');
  if (
    approval === undefined ||
    approval.tenant_id !== ctx.tenantId ||
    approval.register_id !== order.register_id ||
    approval.order_id !== order.order_id
  ) {
    throw new AppError('invalid_approval', 'The approval to sell beyond stock is not valid for this sale');
  }
  return { manager_id: approval.manager_id, approval_id: approval.approval_id };
}

/**
 * Refuses a sale whose discounts need a manager's approval (the domain's `discountNeedsApproval`: the largest
 * discount any line gets, its own and the order's stacked, above the cashier's limit, and the actor not a manager
 * or above) unless it carries a valid approval for this very order, register and tenant, of at least that
 * discount. Called by the orders service (`placeOrder`) before anything is priced or charged.
 */
export async function requireDiscountAllowed(
  deps: Pick<PosDeps, 'config' | 'secrets'>,
  ctx: RequestContext,
  order: {
    line_discount_bps: readonly (number | undefined)[];
    order_discount_bp: number;
    order_id: string | undefined;
    register_id: string;
    approval: string | undefined;
  },
): Promise<void> {
  const check = {
    line_discount_bps: order.line_discount_bps,
    order_discount_bp: order.order_discount_bp,
    limit_bp: deps.config.pos.cashierDiscountLimitBp,
    roles: ctx.roles,
  };
  if (!discountNeedsApproval(check)) return;
  if (order.approval === undefined) {
    const limit = check.limit_bp;
    throw new AppError('discount_approval_required', `A discount above ${limit / 100} % needs a manager's approval`, {
      extra: { limit_bp: limit },
    });
  }
  const approval = await verifyApproval(deps.secrets.jwtPrivateKey, deps.config.jwt.issuer, order.approval, 'discount');
  if (
    approval === undefined ||
    approval.tenant_id !== ctx.tenantId ||
    approval.register_id !== order.register_id ||
    approval.order_id !== order.order_id ||
    discountNeedsApproval({ ...check, approved_bp: approval.max_discount_bp })
  ) {
    throw new AppError('invalid_approval', 'The approval is not valid for this sale');
  }
}
