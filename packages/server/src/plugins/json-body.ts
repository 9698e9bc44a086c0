import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

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
 * The only body parser: JSON (`application/json`, and `application/fhir+json` for FHIR Bundles) with a depth limit, NUL characters refused (PostgreSQL text cannot hold them) and
 * prototype-pollution protection (Fastify's secure-json-parse underneath). Any other content type answers 415.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(['application/json', 'application/fhir+json'], { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.includes('\\u0000') || text.includes('\0')) {
      done(new AppError(400, 'bad_request', 'Text in the request cannot contain the NUL character (U+0000).'), undefined);
      return;
    }
    if (exceedsJsonDepth(text)) {
      done(new AppError(400, 'bad_request', `The request body nests deeper than ${maxJsonDepth} levels.`), undefined);
      return;
    }
    void parseJson(request, text, done);
  });
}
