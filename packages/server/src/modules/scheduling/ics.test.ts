import { describe, expect, it } from 'vitest';
import { escapeIcsText, foldIcsLine, renderIcs } from './ics.ts';

describe('renderIcs', () => {
  const event = {
    uid: 'abc@portico',
    stampAt: new Date('2026-03-01T10:00:00Z'),
    startAt: new Date('2026-03-09T13:00:00Z'),
    endAt: new Date('2026-03-09T13:20:00Z'),
    departmentName: 'Family Medicine',
    visitType: 'Follow-up',
    address: '1 Main St, Springfield; Suite 2',
    cancelled: false,
  };

  it('writes a VEVENT in UTC with CRLF line endings and escaped text', () => {
    const text = renderIcs(event);
    expect(text).toContain('\r\nDTSTART:20260309T130000Z\r\n');
    expect(text).toContain('\r\nDTEND:20260309T132000Z\r\n');
    expect(text).toContain('\r\nSUMMARY:Appointment at Family Medicine\r\n');
    expect(text).toContain('\r\nLOCATION:1 Main St\\, Springfield\\; Suite 2\r\n');
    expect(text).toContain('\r\nUID:abc@portico\r\n');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes its own words in the reader’s language and the clinic and visit type as stored', () => {
    const text = renderIcs({ ...event, locale: 'es' });
    expect(text).toContain('\r\nSUMMARY:Cita en Family Medicine\r\n');
    expect(text).toContain('\r\nDESCRIPTION:Follow-up\r\n');
    expect(renderIcs({ ...event, locale: 'en' })).toBe(renderIcs(event));
  });

  it('folds long lines at 75 octets without splitting a character', () => {
    const line = `LOCATION:${'é'.repeat(60)}`;
    const folded = foldIcsLine(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((p, i) => (i === 0 ? p : p.slice(1)))
        .join(''),
    ).toBe(line);
  });

  it('escapes backslashes and newlines', () => {
    expect(escapeIcsText('a\\b\nc')).toBe('a\\\\b\\nc');
  });
});
