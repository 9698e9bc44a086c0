import { describe, expect, it } from 'vitest';
import { readTypedDate } from './patients.ts';

const today = new Date('2026-06-01T12:00:00Z');
const read = (text: string, locale: 'en' | 'es') => readTypedDate(text, locale, today);

describe('readTypedDate: a birth date as people type it (issue 10 §5.4)', () => {
  it.each([
    ['4/12/1990', 'en', '1990-04-12'],
    ['04/12/1990', 'en', '1990-04-12'],
    ['4-12-1990', 'en', '1990-04-12'],
    ['1990-04-12', 'en', '1990-04-12'],
    ['April 12 1990', 'en', '1990-04-12'],
    ['April 12, 1990', 'en', '1990-04-12'],
    ['apr. 12th 1990', 'en', '1990-04-12'],
    ['12 April 1990', 'en', '1990-04-12'],
    ['4/12/90', 'en', '1990-04-12'],
    ['4/12/05', 'en', '2005-04-12'],
    ['12/4/1990', 'es', '1990-04-12'],
    ['12-04-1990', 'es', '1990-04-12'],
    ['12.04.1990', 'es', '1990-04-12'],
    ['1990-04-12', 'es', '1990-04-12'],
    ['12 de abril de 1990', 'es', '1990-04-12'],
    ['12 de Abril de 1990', 'es', '1990-04-12'],
    ['1 de septiembre de 1978', 'es', '1978-09-01'],
    ['14 de sept. de 1978', 'es', '1978-09-14'],
    ['29/2/2000', 'es', '2000-02-29'],
  ] as const)('%s in %s → %s', (text, locale, date) => {
    expect(read(text, locale)).toEqual({ kind: 'date', date });
  });

  it('reads all-number dates month first in English and day first in Spanish', () => {
    expect(read('12-04-1990', 'en')).toEqual({ kind: 'date', date: '1990-12-04' });
    expect(read('4/12/1990', 'es')).toEqual({ kind: 'date', date: '1990-12-04' });
  });

  it('tells a date-shaped text that names no day from one that is not a date', () => {
    for (const text of ['2/30/1990', '13/1/1990', '1990-02-30', 'April 31 1990', '0/12/1990']) {
      expect(read(text, 'en'), text).toEqual({ kind: 'not_a_day' });
    }
    expect(read('30/2/1990', 'es')).toEqual({ kind: 'not_a_day' });
    for (const text of ['Alvarez', 'Maria Alvarez', '100002', 'April Jones', 'May', 'April 1990', '4/12']) {
      expect(read(text, 'en'), text).toEqual({ kind: 'not_a_date' });
    }
  });
});
