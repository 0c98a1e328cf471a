import type { TillContext } from './api/api.ts';
import type { CartLine } from './features/sale/cart.ts';

/** The seed's Soda Can (STD, 1.99), one of it; tests set their own quantity. */
export const SODA: CartLine = {
  variant_id: '00000000-0000-7000-8000-000000000001',
  sku: 'SKU-SODA',
  name: 'Soda Can',
  unit_price_cents: 199,
  tax_code: 'STD',
  quantity: 1,
};

/** The seed's Bottle Water (EXEMPT, 1.49). */
export const WATER: CartLine = {
  variant_id: '00000000-0000-7000-8000-000000000002',
  sku: 'SKU-WATER',
  name: 'Water',
  unit_price_cents: 149,
  tax_code: 'EXEMPT',
  quantity: 1,
};

/** A register's pricing context as GET /v1/pos/context answers it: 8 % tax added, half up, a 10 % cashier limit. */
export const TILL_CONTEXT: TillContext = {
  register_id: '00000000-0000-7000-8000-0000000000aa',
  register_name: 'Till 1',
  location_id: '00000000-0000-7000-8000-0000000000bb',
  location_name: 'Main Street',
  business_name: 'Corner Shop',
  time_zone: 'UTC',
  address_lines: ['12 Main Street', 'Springfield'],
  receipt_footer_lines: ['See you soon!', 'Returns within 30 days'],
  currency: 'USD',
  tax_rate_bps: 800,
  tax_rate_source: 'default',
  prices_include_tax: false,
  money_rounding: 'half_up',
  cash_rounding_cents: null,
  cashier_discount_limit_bp: 1000,
  card_payments: false,
  offline_signin_grace_hours: 12,
  offline_card_policy: { mode: 'refuse', max_sale_cents: 0, max_outage_cents: 0 },
};
