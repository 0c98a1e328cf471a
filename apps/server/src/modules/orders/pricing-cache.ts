import type { ChangeFeed } from '../../platform/db/change-feed.ts';
import type { Database } from '../../platform/db/database.ts';
import type { SaleItem, SaleItemRef } from '../catalog/index.ts';
import type { OverrideRates } from '../tax/index.ts';
import type { TenantMoneySettings } from '../tenancy/index.ts';

/** An active register and its location, as an order needs it. */
export interface ActiveRegister {
  readonly id: string;
  readonly location_id: string;
  readonly location_archived: boolean;
}

/** What one tenant's sales were priced with lately. Replaced whole when the tenant's pricing data changes. */
class TenantPricing {
  readonly settings = new Map<string, TenantMoneySettings>();
  readonly rates = new Map<string, OverrideRates>();
  readonly items = new Map<string, SaleItem>();
  readonly registers = new Map<string, ActiveRegister>();
}

/** A read of the cache's state before going to the database: stores made with it are dropped if it went stale. */
export interface PricingStamp {
  readonly tenant: TenantPricing | undefined;
}

const MAX_TENANTS = 1_000;
const MAX_ITEMS_PER_TENANT = 50_000;

/** The key of a sale-item reference: every field it gives, since all of them must agree. */
export function refKey(ref: SaleItemRef): string {
  return `${ref.variant_id ?? ''}|${ref.sku ?? ''}|${ref.product_id ?? ''}`;
}

export function ratesKey(locationId: string | undefined, registerId: string | undefined): string {
  return `${locationId ?? ''}|${registerId ?? ''}`;
}

/**
 * The facts that price a sale — sale items by reference, money settings, tax-override rates, active registers —
 * kept per tenant in this process, so `POST /v1/orders/compute` answers without a database round trip and a
 * sale reads less (docs/performance.md).
 *
 * Kept true by the database: every write to that data notifies the tenant's id (migration 0011), which drops the
 * tenant's entry. A process hears its own writes before their COMMIT returns, and other processes' a moment
 * after they commit. While the feed's own connection is down nothing is answered from memory, and when it
 * returns everything is dropped. A database read that raced with a change is not stored (`stamp`/`store*`).
 */
export class PricingCache {
  private readonly tenants = new Map<string, TenantPricing>();
  private readonly feed: ChangeFeed;

  constructor(feed: ChangeFeed) {
    this.feed = feed;
    feed.onChange((tenantId) => {
      if (tenantId === '*') this.tenants.clear();
      else this.tenants.delete(tenantId);
    });
  }

  /** The tenant's entry, if the cache may be trusted now. */
  private trusted(tenantId: string): TenantPricing | undefined {
    return this.feed.isLive ? this.tenants.get(tenantId) : undefined;
  }

  /** Taken before reading the database; pass it to the `store*` calls after. */
  stamp(tenantId: string): PricingStamp {
    if (!this.feed.isLive) return { tenant: undefined };
    let tenant = this.tenants.get(tenantId);
    if (tenant === undefined) {
      if (this.tenants.size >= MAX_TENANTS) {
        const oldest = this.tenants.keys().next().value;
        if (oldest !== undefined) this.tenants.delete(oldest);
      }
      tenant = new TenantPricing();
      this.tenants.set(tenantId, tenant);
    }
    return { tenant };
  }

  /** Stores only if the tenant's entry is still the one stamped (nothing changed since) and the feed is live. */
  private current(tenantId: string, stamp: PricingStamp): TenantPricing | undefined {
    const tenant = this.trusted(tenantId);
    return tenant !== undefined && tenant === stamp.tenant ? tenant : undefined;
  }

  items(tenantId: string, refs: readonly SaleItemRef[]): SaleItem[] | undefined {
    const tenant = this.trusted(tenantId);
    if (tenant === undefined) return undefined;
    const found: SaleItem[] = [];
    for (const ref of refs) {
      const item = tenant.items.get(refKey(ref));
      if (item === undefined) return undefined;
      found.push(item);
    }
    return found;
  }

  storeItems(tenantId: string, stamp: PricingStamp, refs: readonly SaleItemRef[], items: readonly SaleItem[]): void {
    const tenant = this.current(tenantId, stamp);
    if (tenant === undefined || refs.length !== items.length) return;
    if (tenant.items.size + refs.length > MAX_ITEMS_PER_TENANT) tenant.items.clear();
    refs.forEach((ref, i) => {
      const item = items[i];
      if (item !== undefined) tenant.items.set(refKey(ref), item);
    });
  }

  settings(tenantId: string, defaultRounding: string): TenantMoneySettings | undefined {
    return this.trusted(tenantId)?.settings.get(defaultRounding);
  }

  storeSettings(tenantId: string, stamp: PricingStamp, defaultRounding: string, value: TenantMoneySettings): void {
    this.current(tenantId, stamp)?.settings.set(defaultRounding, value);
  }

  rates(tenantId: string, key: string): OverrideRates | undefined {
    return this.trusted(tenantId)?.rates.get(key);
  }

  storeRates(tenantId: string, stamp: PricingStamp, key: string, value: OverrideRates): void {
    this.current(tenantId, stamp)?.rates.set(key, value);
  }

  register(tenantId: string, id: string): ActiveRegister | undefined {
    return this.trusted(tenantId)?.registers.get(id);
  }

  storeRegister(tenantId: string, stamp: PricingStamp, value: ActiveRegister): void {
    this.current(tenantId, stamp)?.registers.set(value.id, value);
  }
}

const caches = new WeakMap<Database, PricingCache>();

/** The one pricing cache of a database's pools in this process. */
export function pricingCacheFor(db: Database): PricingCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new PricingCache(db.pricingChanges);
    caches.set(db, cache);
  }
  return cache;
}
