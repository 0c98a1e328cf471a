// What other modules may use of auth. Routes are registered by app.ts from auth.routes.ts.
export { findUserByPin, revokeSubjectSessions } from './auth.repo.ts';
// Password hashing and PIN lookups live in platform/ (users, tenant creation and operators hash too); re-exported
// here for the callers that still import them from auth.
export { hashPassword, verifyPassword } from '../../platform/passwords.ts';
export { pinLookup, PIN_PATTERN } from '../../platform/pins.ts';
export { authSchedules, purgeExpiredRefreshTokens } from './auth.jobs.ts';
