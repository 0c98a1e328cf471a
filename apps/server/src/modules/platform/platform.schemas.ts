import { Type } from 'typebox';
import { Text, Timestamp } from '../../platform/http/schemas.ts';

const Message = Text({
  minLength: 1,
  maxLength: 500,
  description: 'Shown to users while maintenance is on (tills show it as a banner; refused writes carry it)',
});

/** Maintenance mode as an operator sees it. */
export const MaintenanceSchema = Type.Object({
  enabled: Type.Boolean(),
  message: Type.Union([Type.String(), Type.Null()]),
  since: Type.Union([Timestamp, Type.Null()], { description: 'When maintenance mode was switched on' }),
});

export const MaintenanceBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'true: writes are refused with 503 `maintenance`; false: back to normal' }),
    message: Type.Optional(Message),
  },
  { additionalProperties: false },
);

/** What any client (a till showing a banner) may know about the platform, without signing in. */
export const PlatformStatusSchema = Type.Object({
  maintenance: Type.Object({
    enabled: Type.Boolean(),
    message: Type.Union([Type.String(), Type.Null()]),
  }),
});
