import type { ErrorStatusMap } from '../../platform/errors.ts';

/** The error codes of backups: backups (operations). Composed with every other owner's in apps/server/src/errors.ts. */
export const BACKUPS_ERRORS = {
  backup_in_progress: 409,
  backup_not_found: 404,
  backups_unavailable: 503,
} as const satisfies ErrorStatusMap;

declare module '../../platform/errors.ts' {
  interface ErrorMaps {
    backups: typeof BACKUPS_ERRORS;
  }
}
