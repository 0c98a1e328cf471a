import {
  receiptFooter,
  renderReceiptText,
  type ReceiptData,
  type ReceiptTax,
  type ReceiptWidth,
} from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { getOrder, type OrderDto } from '../orders/index.ts';
import { encodeReceiptEscPos } from './receipts.escpos.ts';
import { renderReceiptHtml } from './receipts.html.ts';
import * as repo from './receipts.repo.ts';

export type ReceiptFormat = 'text' | 'escpos' | 'html';

/** What a receipt prints around the order itself. */
export interface ReceiptNames {
  readonly business_name: string;
  readonly location_name: string;
  readonly address_lines: readonly string[];
  readonly register_name: string | null;
  readonly time_zone: string;
  readonly footer_lines: readonly string[];
}

/** A rendered receipt: the body and the content type to send it with. */
export interface RenderedReceipt {
  readonly contentType: string;
  readonly body: string | Buffer;
}

/** Tax per rate, summed over the order's taxed lines (untaxed lines carry rate 0), lowest rate first. */
export function taxesByRate(items: OrderDto['items']): ReceiptTax[] {
  const byRate = new Map<number, number>();
  for (const item of items) {
    if (item.tax_rate_bps > 0)
      byRate.set(item.tax_rate_bps, (byRate.get(item.tax_rate_bps) ?? 0) + item.line_tax_cents);
  }
  return [...byRate].sort(([a], [b]) => a - b).map(([rate_bps, tax_cents]) => ({ rate_bps, tax_cents }));
}

/** An order and its names as the receipt's data. Pure: the till can build the same from its own copy. */
export function orderToReceiptData(order: OrderDto, names: ReceiptNames): ReceiptData {
  return {
    business_name: names.business_name,
    location_name: names.location_name,
    address_lines: names.address_lines,
    register_name: names.register_name,
    order_number: order.number,
    status: order.status,
    completed_at: order.completed_at,
    created_at: order.created_at,
    time_zone: names.time_zone,
    currency: order.currency,
    lines: order.items.map((item) => ({
      name: item.name,
      sku: item.sku,
      quantity: item.quantity,
      unit_price_cents: item.unit_price_cents,
      line_subtotal_cents: item.line_subtotal_cents,
      line_discount_cents: item.line_discount_cents,
      item_discount_cents: item.item_discount_cents,
      discount_percent_bp: item.discount_percent_bp,
      line_total_cents: item.line_total_cents,
    })),
    subtotal_cents: order.subtotal_cents,
    discount_cents: order.discount_cents,
    discount_percent_bp: order.discount_percent_bp,
    prices_include_tax: order.prices_include_tax,
    taxes: taxesByRate(order.items),
    total_cents: order.total_cents,
    tenders: order.tenders.map((tender) => ({
      method: tender.method,
      tendered_cents: tender.tendered_cents,
      change_cents: tender.change_cents,
      reference: tender.reference,
      card_brand: tender.card_brand,
      card_last4: tender.card_last4,
    })),
    change_cents: order.change_cents,
    cash_rounding_cents: order.cash_rounding_cents,
    void_reason: order.void_reason,
    note: order.note,
    footer_lines: names.footer_lines,
  };
}

/**
 * The receipt data of an order the caller may see (404 `order_not_found` otherwise, location scope included:
 * getOrder enforces it). Two short read transactions: the order, then the names around it.
 */
export async function loadReceiptData(db: Database, ctx: RequestContext, orderId: string): Promise<ReceiptData> {
  const order = await getOrder(db, ctx, orderId);
  const row = await tenantTx(db, ctx, (tx) => repo.findReceiptNames(tx, ctx, order.location_id, order.register_id));
  if (row === undefined) throw new AppError('tenant_not_found', 'The tenant of this session no longer exists');
  const { tenant_footer_lines, ...names } = row;
  return orderToReceiptData(order, { ...names, footer_lines: receiptFooter(tenant_footer_lines) });
}

/** Renders receipt data in a format: plain text, ESC/POS bytes for 80 mm printers, or an e-mailable HTML page. */
export function renderReceipt(data: ReceiptData, format: ReceiptFormat, width: ReceiptWidth): RenderedReceipt {
  switch (format) {
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: renderReceiptText(data, { width }) };
    case 'escpos': {
      const bytes = encodeReceiptEscPos(data, width);
      return {
        contentType: 'application/octet-stream',
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
      };
    }
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: renderReceiptHtml(data) };
  }
}
