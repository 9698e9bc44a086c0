import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route takes a file as its raw body (PDF, JPEG or PNG); no other route accepts those types. */
    acceptsFile?: boolean;
  }
}

/** Content types a file upload may declare (issue 4: attachments); the bytes are checked against them by the route. */
export const fileContentTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/** `\u0000` as a JSON escape: an odd run of backslashes before `u0000` (an even run is literal backslashes, then text). */
const escapedNul = /(?<!\\)(?:\\\\)*\\u0000/;

/** Deepest JSON nesting a request body may have; real API bodies are shallow (SECURITY.md "deep nesting refused quickly"). */
export const maxJsonDepth = 32;

/** Scans once, outside strings, for nesting deeper than the limit; O(n), no recursion. */
export function exceedsJsonDepth(text: string, limit = maxJsonDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/**
 * The only body parsers: JSON (`application/json`, and `application/fhir+json` for FHIR Bundles) with a depth limit, NUL
 * characters refused (PostgreSQL text cannot hold them) and prototype-pollution protection (Fastify's secure-json-parse
 * underneath); and, for routes marked `acceptsFile`, a PDF, JPEG or PNG file as a Buffer, within the route's body limit.
 * Any other content type, or a file sent to a JSON route, answers 415.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.includes('\0') || escapedNul.test(text)) {
      done(new AppError(400, 'bad_request', 'Text in the request cannot contain the NUL character (U+0000).'), undefined);
      return;
    }
    if (exceedsJsonDepth(text)) {
      done(new AppError(400, 'bad_request', `The request body nests deeper than ${maxJsonDepth} levels.`), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
  app.addContentTypeParser([...fileContentTypes], { parseAs: 'buffer' }, (request, body, done) => {
    if (request.routeOptions.config.acceptsFile !== true) {
      done(new AppError(415, 'unsupported_media_type', 'Send the request body as application/json.'), undefined);
      return;
    }
    done(null, body);
  });
}
