import { ApiError } from '../api/api.ts';

/** An error as a sentence a cashier can act on, with the code and request id in small print for support. */
export function ErrorNote({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const e = error instanceof ApiError ? error : undefined;
  return (
    <div className="error" role="alert">
      <p>{e?.message ?? (error instanceof Error ? error.message : 'Something went wrong.')}</p>
      {e !== undefined && (
        <p className="error-code">
          {e.code}
          {e.request_id === undefined ? '' : ` · request ${e.request_id}`}
        </p>
      )}
    </div>
  );
}
