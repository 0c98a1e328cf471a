import 'fake-indexeddb/auto';
import { expect, test } from 'vitest';
import { TILL_CONTEXT } from '../test-fixtures.ts';
import { getMeta, setMeta, type DeviceConfig } from './db.ts';

test('each meta key keeps a value of its own type', async () => {
  const device: DeviceConfig = {
    register_id: TILL_CONTEXT.register_id,
    register_name: TILL_CONTEXT.register_name,
    location_id: TILL_CONTEXT.location_id,
    location_name: TILL_CONTEXT.location_name,
    tenant_id: '00000000-0000-7000-8000-0000000000cc',
  };
  expect(await getMeta('device')).toBeUndefined();
  await setMeta('device', device);
  await setMeta('context', TILL_CONTEXT);
  await setMeta('catalog.cursor', 'c-42');
  const [d, c, cursor] = await Promise.all([getMeta('device'), getMeta('context'), getMeta('catalog.cursor')]);
  expect(d?.register_name).toBe('Till 1');
  expect(c?.tax_rate_bps).toBe(800);
  expect(cursor).toBe('c-42');

  // The keys and their types are checked by the compiler (`tsc -b` type-checks this file):
  // @ts-expect-error a key the till does not keep
  await getMeta('cashier');
  // @ts-expect-error the cursor is a string
  await setMeta('catalog.cursor', 42);
});
