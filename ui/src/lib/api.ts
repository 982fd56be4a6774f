/**
 * The one door to the backend. Every command of the generated bindings,
 * unwrapped: it resolves to the data or throws an {@link ApiError} whose
 * `code` the UI branches on (never on the message text).
 */
import { commands, type AppError, type ErrorParam } from './bindings';

/**
 * What every generated command resolves to. Written out here rather than
 * imported: tauri-specta's rc.21 output exports it as `Result`, later
 * outputs keep it inline, and both have this shape.
 */
type Result<T, E> = { status: 'ok'; data: T } | { status: 'error'; error: E };

export class ApiError extends Error {
  readonly code: string;
  /** The values the message was built from, for translations (see errors.ts). */
  readonly params: Partial<Record<string, ErrorParam>>;

  constructor(code: string, message: string, params: Partial<Record<string, ErrorParam>> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.params = params;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Turns whatever a failed call produced into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e && typeof e === 'object' && 'code' in e && typeof (e as AppError).code === 'string') {
    const err = e as AppError;
    const params = err.params && typeof err.params === 'object' ? err.params : {};
    return new ApiError(err.code, typeof err.message === 'string' ? err.message : err.code, params);
  }
  if (e instanceof Error) return new ApiError('ipc', e.message);
  return new ApiError('ipc', typeof e === 'string' ? e : 'The backend did not answer.');
}

type Commands = typeof commands;
type Unwrapped<F> = F extends (...args: infer A) => Promise<Result<infer T, AppError>>
  ? (...args: A) => Promise<T>
  : never;
export type Api = { [K in keyof Commands]: Unwrapped<Commands[K]> };

function unwrap<A extends unknown[], T>(call: (...args: A) => Promise<Result<T, AppError>>) {
  return async (...args: A): Promise<T> => {
    let result: Result<T, AppError>;
    try {
      result = await call(...args);
    } catch (e) {
      throw toApiError(e);
    }
    if (result.status === 'ok') return result.data;
    throw toApiError(result.error);
  };
}

export const api = Object.fromEntries(
  Object.entries(commands).map(([name, call]) => [
    name,
    unwrap((call as (...a: unknown[]) => Promise<Result<unknown, AppError>>).bind(commands)),
  ]),
) as Api;
