import { Type, type Static } from 'typebox';
import { PageQuery, Timestamp } from '../../platform/http/schemas.ts';

// At most 18 digits: every such number fits PostgreSQL's bigint (19 digits may not: 9,999,999,999,999,999,999 is
// past 2^63 − 1 and would fail in SQL instead of as a 400).
const JobId = Type.String({ pattern: '^[1-9][0-9]{0,17}$', maxLength: 18, description: "The queue's job id" });

export const JobIdParams = Type.Object({ id: JobId }, { additionalProperties: false });

export const JobStateSchema = Type.Union(
  [Type.Literal('waiting'), Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('failed')],
  {
    description:
      'waiting: due, not yet taken; scheduled: due later (a retry or a future slot); running; failed: its attempts ' +
      'ran out (the dead letters, kept until an operator retries them)',
  },
);

export const JobQuery = Type.Object(
  {
    ...PageQuery.properties,
    state: Type.Optional(JobStateSchema),
    queue: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_.]{0,99}$',
        maxLength: 100,
        description: 'A job name, e.g. hooks.deliver',
      }),
    ),
  },
  { additionalProperties: false },
);
export type JobQuery = Static<typeof JobQuery>;

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const JobSchema = Type.Object({
  id: JobId,
  queue: Type.String({ description: 'The job name (task), e.g. hooks.deliver, backups.scheduled' }),
  state: JobStateSchema,
  attempts: Type.Integer({ minimum: 0 }),
  max_attempts: Type.Integer({ minimum: 1 }),
  last_error: NullableString,
  key: Type.Union([Type.String(), Type.Null()], { description: 'e.g. hooks.deliver:<delivery id>' }),
  run_at: Timestamp,
  created_at: Timestamp,
  updated_at: Timestamp,
});
export type JobDto = Static<typeof JobSchema>;
