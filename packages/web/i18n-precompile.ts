import { readFile } from 'node:fs/promises';
import { parse } from '@formatjs/icu-messageformat-parser';
import type { Plugin } from 'vite';

/** The catalogue's message files (packages/shared/src/i18n/messages/<locale>/<area>.json). */
const catalogueFile = /[\\/]i18n[\\/]messages[\\/][a-z]{2}[\\/][a-z-]+\.json(\?.*)?$/;

/**
 * Turns each catalogue file into a module of parsed ICU messages (ASTs) at build time, so the browser formats them
 * without FormatJS's parser (which vite.config.ts aliases away). A message that does not parse fails the build,
 * naming the file and the id.
 */
export function precompileCatalogue(): Plugin {
  return {
    name: 'portico-precompile-catalogue',
    enforce: 'pre',
    async load(id) {
      if (!catalogueFile.test(id)) return null;
      const file = id.replace(/\?.*$/, '');
      const messages = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      const compiled: Record<string, unknown> = {};
      for (const [key, text] of Object.entries(messages)) {
        try {
          compiled[key] = parse(text);
        } catch (error) {
          throw new Error(`${file}: message ${key} is not valid ICU: ${(error as Error).message}`);
        }
      }
      return { code: `export default ${JSON.stringify(compiled)};`, moduleType: 'js' };
    },
  };
}
