export { userLocationIds } from './users.repo.ts';
export { usersRoutes } from './users.routes.ts';
