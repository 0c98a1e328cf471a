import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from '../../platform/http/schemas.ts';

/** One backup as the API, the CLI and the manifest files describe it. */
export const BackupSchema = Type.Object(
  {
    id: Uuid,
    file_name: Type.String(),
    status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
    trigger: Type.Union([Type.Literal('api'), Type.Literal('cli'), Type.Literal('schedule')]),
    encrypted: Type.Boolean(),
    size_bytes: Type.Union([Type.Integer(), Type.Null()]),
    sha256: Type.Union([Type.String(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    server_version: Type.Union([Type.String(), Type.Null()]),
    started_at: Timestamp,
    finished_at: Type.Union([Timestamp, Type.Null()]),
  },
  { additionalProperties: false },
);
export type BackupDto = Static<typeof BackupSchema>;

export const BackupListQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);

export const BackupList = Type.Object({ data: Type.Array(BackupSchema) }, { additionalProperties: false });
