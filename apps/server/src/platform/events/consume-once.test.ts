import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/harness.ts';
import { recordAudit } from '../../modules/audit/index.ts';
import type { RequestContext } from '../context.ts';
import type { Tx } from '../db/tx.ts';
import { newId } from '../ids.ts';
import { consumeOnce } from './consume-once.ts';
import type { OutboxEvent } from './outbox.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

function event(tenantId: string | null): OutboxEvent {
  return {
    id: newId(),
    tenantId,
    requestId: 'req-1',
    topic: 'order.completed',
    payload: { total: 1250 },
    createdAt: new Date().toISOString(),
  };
}

/** The handler's observable effect: an audit row naming the event, written in the consumer's transaction. */
async function audit(tx: Tx, ctx: RequestContext, e: OutboxEvent): Promise<void> {
  await recordAudit(tx, ctx, { action: 'order.receipt_sent', entityType: 'event', entityId: e.id });
}

interface AuditRow {
  tenant_id: string | null;
  actor_type: string;
  request_id: string;
}

async function auditRows(eventId: string): Promise<AuditRow[]> {
  const { rows } = await database.db.system.query<AuditRow>(
    'SELECT tenant_id, actor_type, request_id FROM audit_events WHERE entity_id = $1',
    [eventId],
  );
  return rows;
}

describe('consumeOnce', () => {
  it('runs the handler once however often the event is delivered, as the system in the event tenant', async () => {
    const tenantId = newId();
    const e = event(tenantId);
    const contexts: RequestContext[] = [];
    const handler = async (tx: Tx, ctx: RequestContext): Promise<void> => {
      contexts.push(ctx);
      await audit(tx, ctx, e);
    };
    expect(await consumeOnce(database.db, 'receipts', e, handler)).toBe(true);
    expect(await consumeOnce(database.db, 'receipts', e, handler)).toBe(false);
    expect(await consumeOnce(database.db, 'receipts', e, handler)).toBe(false);

    expect(await auditRows(e.id)).toEqual([{ tenant_id: tenantId, actor_type: 'system', request_id: 'req-1' }]);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]).toMatchObject({ tenantId, actorType: 'system', requestId: 'req-1' });
    const { rows } = await database.db.system.query(
      'SELECT consumer, tenant_id FROM processed_events WHERE event_id = $1',
      [e.id],
    );
    expect(rows).toEqual([{ consumer: 'receipts', tenant_id: tenantId }]);
  });

  it('keeps consumers apart: another consumer handles the same event too', async () => {
    const e = event(newId());
    expect(await consumeOnce(database.db, 'receipts', e, (tx, ctx) => audit(tx, ctx, e))).toBe(true);
    expect(await consumeOnce(database.db, 'loyalty', e, (tx, ctx) => audit(tx, ctx, e))).toBe(true);
    expect(await auditRows(e.id)).toHaveLength(2);
  });

  it('records nothing when the handler fails, so the redelivery runs it again', async () => {
    const e = event(newId());
    await expect(
      consumeOnce(database.db, 'receipts', e, async (tx, ctx) => {
        await audit(tx, ctx, e);
        throw new Error('printer offline');
      }),
    ).rejects.toThrow('printer offline');
    expect(await auditRows(e.id)).toHaveLength(0);
    expect(await consumeOnce(database.db, 'receipts', e, (tx, ctx) => audit(tx, ctx, e))).toBe(true);
    expect(await auditRows(e.id)).toHaveLength(1);
  });

  it('handles two deliveries at the same moment once', async () => {
    const e = event(newId());
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        consumeOnce(database.db, 'receipts', e, async (tx, ctx) => {
          await audit(tx, ctx, e);
          await new Promise((r) => setTimeout(r, 50));
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await auditRows(e.id)).toHaveLength(1);
  });

  it('handles platform events (no tenant) in a platform transaction', async () => {
    const e = event(null);
    expect(await consumeOnce(database.db, 'ops', e, (tx, ctx) => audit(tx, ctx, e))).toBe(true);
    expect(await consumeOnce(database.db, 'ops', e, (tx, ctx) => audit(tx, ctx, e))).toBe(false);
    expect(await auditRows(e.id)).toEqual([{ tenant_id: null, actor_type: 'system', request_id: 'req-1' }]);
  });
});
