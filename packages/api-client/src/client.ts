import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ApiError, problemToError } from './errors.ts';
import type { paths } from './openapi.d.ts';

export interface ApiClientOptions {
  /** The API's origin (the apps are served by the same server: `location.origin`). */
  readonly baseUrl: string;
  /** The current access token, or undefined when signed out. */
  readonly getToken?: () => string | undefined;
  /** Called on a 401 from a signed-in call (expired or revoked session): the app signs the user out. */
  readonly onUnauthorized?: (error: ApiError) => void;
  /** A fetch to use instead of the global one (tests). */
  readonly fetch?: typeof fetch;
}

/** The typed client: openapi-fetch over the generated `paths`; every method takes the path and its typed init. */
export type ApiClient = Client<paths>;

/**
 * Creates the one API client an app uses. Bearer token on every call; a failed response comes back as
 * `{ error }` and `ok()` turns it into an ApiError; a network failure is thrown as ApiError `network_error`.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = options.getToken?.();
      if (token !== undefined && !request.headers.has('authorization')) {
        request.headers.set('authorization', `Bearer ${token}`);
      }
      return request;
    },
    async onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('authorization') && options.onUnauthorized) {
        const body: unknown = await response
          .clone()
          .json()
          .catch(() => undefined);
        options.onUnauthorized(problemToError(response, body));
      }
      return response;
    },
    onError({ error }) {
      // fetch rejects only when the server was not reached (offline, DNS, refused, aborted).
      if (error instanceof ApiError) return error;
      return new ApiError({ code: 'network_error', status: 0, detail: String(error), cause: error });
    },
  };
  client.use(auth);
  return client;
}

/** What every openapi-fetch call resolves to: data on success, the parsed problem otherwise. */
interface FetchResult<D> {
  readonly data?: D;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * Awaits an API call and returns its data, or throws an ApiError carrying the problem's code, status, request id
 * and a human sentence: `const me = await ok(api.GET('/v1/me'))`.
 */
export async function ok<D>(call: Promise<FetchResult<D>>): Promise<D> {
  let result: FetchResult<D>;
  try {
    result = await call;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError({ code: 'network_error', status: 0, detail: String(err), cause: err });
  }
  if (!result.response.ok) throw problemToError(result.response, result.error);
  return result.data as D;
}
