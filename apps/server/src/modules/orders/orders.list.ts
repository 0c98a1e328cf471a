import type { RequestContext } from '../../platform/context.ts';
import { tenantTx } from '../../platform/db/tx.ts';
import { AppError, invalidField } from '../../platform/errors.ts';
import { decodeCursor, toPage } from '../../platform/http/pagination.ts';
import { isUuid } from '../../platform/ids.ts';
import { orderDto } from './orders.dto.ts';
import * as repo from './orders.repo.ts';
import type { OrderDto, OrderListInput } from './orders.schemas.ts';
import type { OrdersDeps } from './orders.deps.ts';

function afterOf(cursor: string | undefined): { createdAt: string; id: string } | null {
  if (cursor === undefined) return null;
  const { created_at: createdAt, id } = decodeCursor(cursor, ['created_at', 'id']);
  if (!isUuid(id) || Number.isNaN(Date.parse(createdAt))) {
    throw new AppError('invalid_cursor', 'The cursor is not one this API issued');
  }
  return { createdAt, id };
}

/** Orders newest first, filtered by status, register, location and a [from, to) time range. */
export function listOrders(
  deps: OrdersDeps,
  ctx: RequestContext,
  q: OrderListInput,
): Promise<{ data: OrderDto[]; next_cursor: string | null }> {
  if (q.from !== undefined && q.to !== undefined && Date.parse(q.from) >= Date.parse(q.to)) {
    throw invalidField('to', 'must be later than from');
  }
  const limit = q.limit ?? 50;
  const after = afterOf(q.cursor);
  return tenantTx(deps.db, ctx, async (tx) => {
    const rows = await repo.listOrders(tx, {
      status: q.status ?? null,
      registerId: q.register_id ?? null,
      locationId: q.location_id ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      locationScope: ctx.locationIds.length > 0 ? ctx.locationIds : null,
      after,
      limit,
    });
    const page = toPage(rows, limit, (last) => ({ created_at: last.created_at.toISOString(), id: last.id }));
    // The page's lines and tenders in two queries, not two per order (one client runs one query at a time).
    const ids = page.data.map((o) => o.id);
    const lines = await repo.findLinesOf(tx, ids);
    const tenders = await repo.findTendersOf(tx, ids);
    return {
      data: page.data.map((o) => orderDto(o, lines.get(o.id) ?? [], tenders.get(o.id) ?? [])),
      next_cursor: page.next_cursor,
    };
  });
}
