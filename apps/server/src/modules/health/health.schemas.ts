import { Type } from 'typebox';

/** One dependency's state. Checks may add details (e.g. `mode` for Redis), so extra members pass through. */
export const DependencyHealth = Type.Object(
  {
    status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);

const Dependencies = Type.Record(Type.String(), DependencyHealth);

/** NestJS Terminus' health report, as seed 002 documents it (docs/sources.md). */
export const HealthReportSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
    info: Dependencies,
    error: Dependencies,
    details: Dependencies,
  },
  { description: '`info`: dependencies that are up; `error`: those that are down (with a message); `details`: all' },
);

/** The liveness answer: the process serves requests. */
export const AliveSchema = Type.Object({ status: Type.Literal('ok') });
