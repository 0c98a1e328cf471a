// What other modules may use of users. Routes are registered by app.ts from users.routes.ts.
export { emailSignsInAsOperator, insertUser, userLocationIds, type NewUser, type UserRow } from './users.repo.ts';
