import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('schedules in the configuration', () => {
  it('take five-field cron expressions, as the job queue runs them', () => {
    const config = loadConfig({ AUTO_VOID_SCHEDULE: '*/5 * * * *', BACKUP_SCHEDULE: '15 3 * * 1-5' }, '/tmp');
    expect(config.jobs.autoVoidSchedule).toBe('*/5 * * * *');
    expect(config.backups.schedule).toBe('15 3 * * 1-5');
  });

  it.each([
    ['AUTO_VOID_SCHEDULE', '0 * * * * *'],
    ['RECONCILE_SCHEDULE', 'every night'],
    ['BACKUP_SCHEDULE', '61 2 * * *'],
  ])('refuse %s=%s at start-up, naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value }, '/tmp');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });
});
