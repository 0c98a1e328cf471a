import type { App, AppDeps } from '../../app.ts';
export { userLocationIds } from './users.repo.ts';

export function usersRoutes(_app: App, _deps: AppDeps): void {
  // /v1/users
}
