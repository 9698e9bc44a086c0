import { errorCodes, type ErrorCode } from '@portico/shared';
import { currentTranslator } from '../i18n/catalogues.ts';
import { apiErrorText } from './error-text.ts';

/** Codes the client itself can raise, beside the server's own error codes. */
export type ClientErrorCode = ErrorCode | 'network_error' | 'invalid_response';

/**
 * The shape an answer has, for the type checker: `shapeOf<typeof brandingView>()` names the shared response schema the
 * server checks every answer against before it leaves (its serializer parses the reply with that schema, and a reply
 * that does not match is a 500, never a wrong shape). The browser therefore does not parse answers a second time, and
 * zod stays out of the first load; only JSON that is not an object or array is refused here.
 */
export interface Expected<T> {
  readonly answer?: T;
}

/** The answer type of a shared response schema (a type-only argument: nothing of the schema reaches the bundle). */
export function shapeOf<S extends { _zod: { output: unknown } }>(): Expected<S['_zod']['output']> {
  return {};
}

/**
 * An API failure: `code` drives the flow; `message` is the server's (English) text, and errorMessage() gives the words to
 * show, in the page's language.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ClientErrorCode,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** HTTP methods the API uses. */
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Options for one API call. */
interface RequestOptions {
  /** JSON body; non-GET requests without one send `{}` (DELETE sends no body at all). */
  body?: unknown;
  /** Give up after this many milliseconds (used for sign-out, which must never hang the page). */
  timeoutMs?: number;
  /**
   * Sent as `Idempotency-Key`: the caller makes one per thing the person means to send and reuses it on every retry,
   * so a double click or a retry after a lost answer creates nothing twice (SECURITY.md "Reliability").
   */
  idempotencyKey?: string;
}

/** A file sent as the raw request body (uploads), instead of JSON. */
interface FileBody {
  blob: Blob;
  /** The file's name as the person knows it; sent percent-encoded in `X-File-Name`, never trusted as a path. */
  name: string;
}

const knownCodes: ReadonlySet<string> = new Set(errorCodes);
const unauthenticatedListeners = new Set<(code: ErrorCode) => void>();
const successListeners = new Set<(startedAt: number) => void>();
let lastSuccessStartedAt = 0;
let serverClockOffsetMs = 0;

/** Subscribes to 401 answers that mean the session is gone (not wrong passwords); returns the unsubscribe. */
export function onSessionRejected(listener: (code: ErrorCode) => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Subscribes to successful API answers (the server extends the idle timer on each); returns the unsubscribe. */
export function onApiSuccess(listener: (startedAt: number) => void): () => void {
  successListeners.add(listener);
  return () => successListeners.delete(listener);
}

/** When the most recent successful call was sent: the server's idle timer restarted no earlier than this. */
export function getLastSuccessAt(): number {
  return lastSuccessStartedAt;
}

/** Records activity seen elsewhere (another tab of the portal) so this tab's idle timer follows it. */
export function noteRemoteSuccess(startedAt: number): void {
  lastSuccessStartedAt = Math.max(lastSuccessStartedAt, startedAt);
}

/** Server clock minus local clock (ms), from the last answer's Date header; turns server instants into local ones. */
export function getServerClockOffset(): number {
  return serverClockOffsetMs;
}

const networkMessage = 'We could not reach Portico. Check your connection and try again.';
const unexpectedMessage = 'Portico sent an answer we did not expect. Try again in a moment.';

/** Reads the shared error shape `{ error: { code, message, requestId?, field? } }` without trusting it. */
function toApiError(status: number, payload: unknown): ApiError {
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const error: unknown = payload.error;
    if (typeof error === 'object' && error !== null) {
      const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
      const message = 'message' in error && typeof error.message === 'string' ? error.message : unexpectedMessage;
      const field = 'field' in error && typeof error.field === 'string' ? error.field : undefined;
      const requestId = 'requestId' in error && typeof error.requestId === 'string' ? error.requestId : undefined;
      const known: ClientErrorCode = isErrorCode(code) ? code : status >= 500 ? 'internal_error' : 'bad_request';
      return new ApiError(status, known, message, field, requestId);
    }
  }
  if (status === 401) return new ApiError(status, 'unauthenticated', 'Sign in to continue.');
  return new ApiError(status, status >= 500 ? 'internal_error' : 'bad_request', unexpectedMessage);
}

function isErrorCode(code: string): code is ErrorCode {
  return knownCodes.has(code);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function recordServerClock(response: Response): void {
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (!Number.isNaN(date)) serverClockOffsetMs = date - Date.now();
}

/**
 * Sends one request to the same-origin API and answers the response once it is known to be a success; failures
 * become ApiError (and a 401 that means the session is gone tells the session listeners).
 * Cookies go along (`same-origin`); every non-GET carries `X-Requested-With: portico`, the server's CSRF check.
 */
async function send(method: Method, path: string, accept: string, options: RequestOptions, file?: FileBody): Promise<Response> {
  // The page's language: what the server writes for this person before they are a user (the first email) follows it.
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': currentTranslator().locale };
  let body: string | Blob | undefined;
  if (method !== 'GET') {
    headers['X-Requested-With'] = 'portico';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    if (file) {
      headers['Content-Type'] = file.blob.type || 'application/octet-stream';
      headers['X-File-Name'] = encodeURIComponent(file.name);
      body = file.blob;
    } else if (method !== 'DELETE' || options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
  }
  const startedAt = Date.now();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : null,
    });
  } catch {
    throw new ApiError(0, 'network_error', networkMessage);
  }
  recordServerClock(response);
  if (!response.ok) {
    const error = toApiError(response.status, parseJson(await response.text().catch(() => '')));
    if (response.status === 401 && (error.code === 'unauthenticated' || error.code === 'mfa_required')) {
      for (const listener of unauthenticatedListeners) listener(error.code);
    }
    throw error;
  }
  lastSuccessStartedAt = Math.max(lastSuccessStartedAt, startedAt);
  for (const listener of successListeners) listener(startedAt);
  return response;
}

/** A JSON answer as the shared schema the server checked it against; a body that is no JSON object or array is refused. */
async function answerOf<T>(response: Response): Promise<T> {
  const payload = parseJson(await response.text().catch(() => ''));
  if (typeof payload !== 'object' || payload === null) throw new ApiError(response.status, 'invalid_response', unexpectedMessage);
  return payload as T;
}

/** Sends one request to the same-origin API and answers its JSON, of the shape `expected` names. */
export async function apiRequest<T>(method: Method, path: string, _expected: Expected<T>, options: RequestOptions = {}): Promise<T> {
  return answerOf<T>(await send(method, path, 'application/json', options));
}

/**
 * Uploads one file as the raw body of a POST (or a PUT, for a file that replaces another), with its own Content-Type
 * and its name in `X-File-Name` (percent-encoded, as header values are ASCII), and answers its JSON.
 */
export async function apiUpload<T>(
  path: string,
  file: Blob,
  fileName: string,
  _expected: Expected<T>,
  method: 'POST' | 'PUT' = 'POST',
): Promise<T> {
  return answerOf<T>(await send(method, path, 'application/json', {}, { blob: file, name: fileName }));
}

/** A file the API answered with, held in memory only until it is handed to the browser's download. */
export interface DownloadedFile {
  blob: Blob;
  /** From `Content-Disposition`, or `fallbackName` when the server gave none. */
  filename: string;
}

/** The file name in a `Content-Disposition: attachment` header (RFC 6266: `filename*` wins over `filename`). */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // A malformed escape: fall back to the plain filename parameter.
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  return name && name.length > 0 ? name : null;
}

/** Sends one request whose successful answer is a file (not JSON); errors still arrive in the shared JSON shape. */
export async function apiDownload(
  method: Method,
  path: string,
  accept: string,
  fallbackName: string,
  options: RequestOptions = {},
): Promise<DownloadedFile> {
  const response = await send(method, path, accept, options);
  let blob: Blob;
  try {
    blob = await response.blob();
  } catch {
    throw new ApiError(0, 'network_error', networkMessage);
  }
  const filename = filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName;
  // Keep only the last path segment: a name is never a place to write to.
  return { blob, filename: filename.split(/[\\/]/).pop() || fallbackName };
}

/** Whether an unknown thrown value is an API error with one of the given codes. */
export function isApiError(error: unknown, ...codes: ClientErrorCode[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

/** The message to show for any failure, API or not, in the page's language (the catalogue's `errors.*`). */
export function errorMessage(error: unknown): string {
  const t = currentTranslator();
  if (error instanceof ApiError) return apiErrorText(t, error);
  return t('errors.unknown');
}
