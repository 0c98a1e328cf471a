import { beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { newId } from '../../platform/ids.ts';
import { useShop, type Tenant } from '../../../test/harness.ts';
import {
  findActiveRegister,
  findLocation,
  findReceiptNames,
  findRegister,
  findRegisterIdsAt,
  findTenant,
  findTillRegister,
  getStockPolicy,
} from './index.ts';

// The lookups tenancy exports to the modules that used to read its tables themselves (docs/architecture.md,
// "Table owners").
const shop = useShop({ name: 'Places Shop', roles: [] });
let other: Tenant;

beforeAll(async () => {
  other = await shop.addTenant('Other Shop', []);
});

const inShop = <T>(fn: Parameters<typeof tenantTx<T>>[2]) => tenantTx(shop.deps.db, systemContext(shop.tenantId), fn);

describe("tenancy's lookups for other modules", () => {
  it('finds the tenant, its places and the registers at a location, never another tenant’s', async () => {
    await inShop(async (tx) => {
      expect(await findTenant(tx, systemContext(shop.tenantId))).toMatchObject({
        name: 'Places Shop',
        currency: 'USD',
      });
      expect(await findLocation(tx, shop.locationId, 'share')).toMatchObject({
        id: shop.locationId,
        archived_at: null,
      });
      expect(await findRegister(tx, shop.registerId)).toMatchObject({ location_id: shop.locationId });
      expect(await findRegisterIdsAt(tx, [shop.locationId])).toEqual([shop.registerId]);
      expect(await findRegisterIdsAt(tx, [])).toEqual([]);
      expect(await findLocation(tx, other.locationId)).toBeUndefined();
      expect(await findRegister(tx, other.registerId)).toBeUndefined();
      expect(await findRegisterIdsAt(tx, [other.locationId])).toEqual([]);
      expect(await getStockPolicy(tx, systemContext(shop.tenantId))).toBe('block');
    });
  });

  it('answers the sale path, the till and the receipt in one statement each', async () => {
    await inShop(async (tx) => {
      expect(await findActiveRegister(tx, shop.registerId)).toEqual({
        id: shop.registerId,
        location_id: shop.locationId,
        location_archived: false,
      });
      expect(await findActiveRegister(tx, other.registerId)).toBeUndefined();
      expect(await findActiveRegister(tx, newId())).toBeUndefined();
      expect(await findTillRegister(tx, shop.registerId)).toMatchObject({
        register_id: shop.registerId,
        location_id: shop.locationId,
        business_name: 'Places Shop',
        archived: false,
      });
      expect(await findReceiptNames(tx, systemContext(shop.tenantId), shop.locationId, shop.registerId)).toMatchObject({
        business_name: 'Places Shop',
        tenant_footer_lines: [],
      });
    });
  });
});
