import {
  receiptDataFromOrder,
  receiptFooter,
  renderReceiptText,
  type ReceiptData,
  type ReceiptWidth,
} from '@novapos/domain';
import type { RequestContext } from '../../platform/context.ts';
import type { Database } from '../../platform/db/database.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError } from '../../platform/errors.ts';
import { getOrder } from '../orders/index.ts';
import { encodeReceiptEscPos } from './receipts.escpos.ts';
import { renderReceiptHtml } from './receipts.html.ts';
import { findReceiptNames } from '../tenancy/index.ts';

export type ReceiptFormat = 'text' | 'escpos' | 'html';

/** A rendered receipt: the body and the content type to send it with. */
export interface RenderedReceipt {
  readonly contentType: string;
  readonly body: string | Buffer;
}

/**
 * The receipt data of an order the caller may see (404 `order_not_found` otherwise, location scope included:
 * getOrder enforces it). Two short read transactions: the order, then the names around it. The data is built by
 * the domain's `receiptDataFromOrder`, the builder the till prints with too.
 */
export async function loadReceiptData(db: Database, ctx: RequestContext, orderId: string): Promise<ReceiptData> {
  const order = await getOrder(db, ctx, orderId);
  const row = await tenantTx(db, ctx, (tx) => findReceiptNames(tx, ctx, order.location_id, order.register_id));
  if (row === undefined) throw new AppError('tenant_not_found', 'The tenant of this session no longer exists');
  const { tenant_footer_lines, ...names } = row;
  return receiptDataFromOrder(order, { ...names, footer_lines: receiptFooter(tenant_footer_lines) });
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
