import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import { createTranslator, type MessageId } from '@portico/shared/i18n';
import { en } from '@portico/shared/i18n/en';
import { es } from '@portico/shared/i18n/es';

/** The catalogue's files (packages/shared/src/i18n/messages/<locale>/<area>.json). */
const messagesDir = fileURLToPath(new URL('../../../shared/src/i18n/messages', import.meta.url));

/** Every placeholder a message uses, with its kind (plain, number, date, plural, select…), sorted. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      into.add(`<${element.value}>`);
      argumentsOf(element.children, into);
      continue;
    }
    into.add(`${element.value}:${TYPE[element.type]}`);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

describe('the message catalogue', () => {
  it('has the same areas in every language', () => {
    expect(readdirSync(path.join(messagesDir, 'es')).sort()).toEqual(readdirSync(path.join(messagesDir, 'en')).sort());
  });

  it('has every id in both English and Spanish, area by area, and no id in two areas', () => {
    const seen = new Map<string, string>();
    for (const file of readdirSync(path.join(messagesDir, 'en'))) {
      const english = Object.keys(JSON.parse(readFileSync(path.join(messagesDir, 'en', file), 'utf8')) as object);
      const spanish = Object.keys(JSON.parse(readFileSync(path.join(messagesDir, 'es', file), 'utf8')) as object);
      expect({ file, missingInSpanish: english.filter((id) => !spanish.includes(id)) }).toEqual({ file, missingInSpanish: [] });
      expect({ file, missingInEnglish: spanish.filter((id) => !english.includes(id)) }).toEqual({ file, missingInEnglish: [] });
      const area = file.replace(/\.json$/, '');
      for (const id of english) {
        expect({ id, alsoIn: seen.get(id) }).toEqual({ id, alsoIn: undefined });
        seen.set(id, file);
        expect(id.startsWith(`${area}.`), `${id} belongs in ${id.split('.')[0]}.json, not ${file}`).toBe(true);
      }
    }
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });

  it('has messages that parse as ICU and use the same placeholders in both languages', () => {
    for (const id of Object.keys(en) as MessageId[]) {
      const english = argumentsOf(parse(en[id]));
      const spanish = argumentsOf(parse(es[id]));
      expect({ id, placeholders: [...spanish].sort() }).toEqual({ id, placeholders: [...english].sort() });
    }
  });

  it('leaves no message empty or untranslated by accident (Spanish equal to English only where the words are the same)', () => {
    const sameAllowed = /^(Portico|OK|Email|MRN|PDF|FHIR|NPI|[\d\s{}#.,:;()/-]*)$/i;
    for (const id of Object.keys(en) as MessageId[]) {
      expect({ id, empty: en[id].trim() === '' || es[id].trim() === '' }).toEqual({ id, empty: false });
      if (en[id] === es[id] && en[id].length > 3 && !sameAllowed.test(en[id])) expect.soft({ id, sameAsEnglish: es[id] }).toBeNull();
    }
  });

  it('formats plurals by each language’s rules', () => {
    const t = createTranslator('es', { ...es, 'common.language': '{count, plural, one {# mensaje nuevo} other {# mensajes nuevos}}' });
    expect(t('common.language', { count: 1 })).toBe('1 mensaje nuevo');
    expect(t('common.language', { count: 3 })).toBe('3 mensajes nuevos');
  });
});
