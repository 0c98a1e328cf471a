import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { MaintenanceState } from '../maintenance.ts';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * While maintenance mode is on, every write is refused with 503 `maintenance` and reads go through. Routes marked
 * `maintenanceExempt` (signing in, switching maintenance off) stay open so operators can end it.
 */
export function registerMaintenanceGuard(app: FastifyInstance, maintenance: MaintenanceState): void {
  app.addHook('onRequest', async (request) => {
    if (READS.has(request.method)) return;
    const status = maintenance.current;
    if (!status.enabled || request.routeOptions.config.maintenanceExempt === true) return;
    throw new AppError('maintenance', status.message ?? 'NovaPOS is under maintenance; changes are paused', {
      headers: { 'Retry-After': '60' },
    });
  });
}
