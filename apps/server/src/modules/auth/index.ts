export { hashPassword, verifyPassword } from './passwords.ts';
export { pinLookup, PIN_PATTERN } from './pins.ts';
export { findUserByPin, isOperatorEmail, revokeSubjectSessions } from './auth.repo.ts';
export { authSchedules, purgeExpiredRefreshTokens } from './auth.jobs.ts';
