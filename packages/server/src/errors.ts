import type { ErrorCode } from '@portico/shared';

/** An error the API answers with on purpose: a status, a stable code and a message a person can act on. */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** 404 for anything the caller may not see, so its existence is not revealed (DESIGN.md "Access"). */
export function notFound(what = 'The record'): AppError {
  return new AppError(404, 'not_found', `${what} was not found.`);
}

/** 401 when no valid session is present. */
export function unauthenticated(): AppError {
  return new AppError(401, 'unauthenticated', 'Sign in to continue.');
}

/** 409 when the state changed under the request (a race lost, a code already used). */
export function conflict(message: string): AppError {
  return new AppError(409, 'conflict', message);
}

/** 403 for actions on the caller's own objects that their role does not allow. */
export function forbidden(message = 'You do not have permission to do that.'): AppError {
  return new AppError(403, 'forbidden', message);
}
