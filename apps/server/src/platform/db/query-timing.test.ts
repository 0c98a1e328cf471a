import { describe, expect, it } from 'vitest';
import { SlowQueryLog } from './query-timing.ts';

describe('SlowQueryLog', () => {
  it('keeps statements at or above the threshold by their text, without literals', () => {
    const log = new SlowQueryLog();
    log.thresholdMs = 100;
    log.record('SELECT 1', 5);
    // tenantStatement sends parameters inlined: an e-mail, a key with a quote, an E'' string must not be kept.
    log.record(
      "BEGIN;\nSELECT set_config('app.tenant_id', '0190', true);\nUPDATE k SET body = 'a@b.test' WHERE key = 'it''s'",
      150,
    );
    log.record("UPDATE k SET body = E'x\\\\y' WHERE key = 'other'", 250);
    expect(log.slowCount).toBe(2);
    const top = log.top(10);
    expect(top.map((q) => q.query)).toEqual([
      'UPDATE k SET body = ? WHERE key = ?',
      'BEGIN; SELECT set_config(?, ?, true); UPDATE k SET body = ? WHERE key = ?',
    ]);
    expect(JSON.stringify(top)).not.toMatch(/a@b\.test|it''s|other/);
  });
});
