// What other modules may use of users. Routes are registered by app.ts from users.routes.ts.
export {
  emailSignsInAsOperator,
  findUserById,
  insertUser,
  userLocationIds,
  type NewUser,
  type UserRow,
} from './users.repo.ts';
// The till's offline PIN verifiers (migration 0019): auth refreshes them at PIN sign-in, pos hands them to tills.
export { listOfflinePins, saveOfflinePin, touchOfflinePin, type OfflinePinRow } from './offline-pins.repo.ts';
