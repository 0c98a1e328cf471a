import { Type, type Static } from 'typebox';
import { TenantRoleSchema, Timestamp, Uuid } from '../../platform/http/schemas.ts';

export const OfflinePinsQuery = Type.Object({ register_id: Uuid }, { additionalProperties: false });

const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'Bytes, base64 (RFC 4648 §4)' });

/** One user a till may sign in offline, with the verifier of their PIN (never the PIN). */
const OfflinePin = Type.Object({
  user_id: Uuid,
  display_name: Type.String(),
  roles: Type.Array(TenantRoleSchema),
  salt: Base64,
  iterations: Type.Integer({ description: 'PBKDF2 iterations of this verifier' }),
  hash: Base64,
  verified_at: Type.String({
    format: 'date-time',
    description: 'When the server last saw this PIN succeed (set, or a PIN sign-in): the grace window starts here',
  }),
});

/** The offline PIN verifiers of a register's location, as its till stores them (docs/security.md). */
export const OfflinePins = Type.Object(
  {
    register_id: Uuid,
    location_id: Uuid,
    algorithm: Type.Literal('PBKDF2-HMAC-SHA-256', {
      description: 'hash = PBKDF2-HMAC-SHA-256(PIN as UTF-8, salt, iterations), 32 bytes',
    }),
    grace_hours: Type.Integer({
      description: "The tenant's offline sign-in window; 0: offline sign-in is off and the list is empty",
    }),
    server_time: Type.String({ format: 'date-time', description: "The server's clock, to correct the till's" }),
    users: Type.Array(OfflinePin, {
      description:
        'Active users who may work at this location and whose current PIN was verified within the window, most ' +
        'recently verified first',
    }),
  },
  { $id: 'OfflinePins' },
);
export type OfflinePins = Static<typeof OfflinePins>;

export const OfflineSigninBody = Type.Object(
  {
    id: Type.String({
      format: 'uuid',
      maxLength: 36,
      description: "The till's own id for this sign-in: a report sent again is recorded once",
    }),
    register_id: Uuid,
    user_id: Uuid,
    signed_in_at: Type.String({ format: 'date-time', description: "When the cashier signed in, by the till's clock" }),
    failed_attempts: Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description: 'Wrong PINs typed at this till while offline before this sign-in',
    }),
  },
  { additionalProperties: false },
);
export type OfflineSigninInput = Static<typeof OfflineSigninBody>;

export const OfflineSignin = Type.Object(
  {
    id: Uuid,
    register_id: Uuid,
    user_id: Uuid,
    signed_in_at: Timestamp,
    failed_attempts: Type.Integer(),
    reported_at: Timestamp,
    reported_by: Uuid,
  },
  { $id: 'OfflineSignin' },
);
export type OfflineSignin = Static<typeof OfflineSignin>;
