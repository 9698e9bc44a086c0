import { describe, expect, it } from 'vitest';
import { attachmentFileName, checkedFileType, contentDispositionFor } from './attachments.service.ts';
import { sniffFileType } from './file-type.ts';

describe('sniffFileType', () => {
  it.each([
    ['a PDF header', [0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], 'application/pdf'],
    ['a JPEG start of image', [0xff, 0xd8, 0xff, 0xdb], 'image/jpeg'],
    ['the PNG signature', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
    ['"%PDF" without its dash', [0x25, 0x50, 0x44, 0x46, 0x31], null],
    ['a PDF header after leading bytes', [0x20, 0x25, 0x50, 0x44, 0x46, 0x2d], null],
    ['half a PNG signature', [0x89, 0x50, 0x4e, 0x47], null],
    ['a GIF', [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], null],
    ['nothing', [], null],
  ])('reads %s', (_case, bytes, expected) => {
    expect(sniffFileType(Uint8Array.from(bytes))).toBe(expected);
  });
});

describe('checkedFileType', () => {
  it('takes the type from the bytes only when it agrees with the declared type', () => {
    const pdf = Buffer.from('%PDF-1.7\n');
    expect(checkedFileType({ bytes: pdf, declaredType: 'application/pdf' })).toBe('application/pdf');
    expect(() => checkedFileType({ bytes: pdf, declaredType: 'image/png' })).toThrow(
      "The file's content is a PDF, but it was sent as image/png.",
    );
    expect(() => checkedFileType({ bytes: Buffer.from('<svg/>'), declaredType: 'image/png' })).toThrow('not a PDF, JPEG or PNG');
  });
});

describe('attachmentFileName', () => {
  it('keeps a JPEG named .jpg or .jpeg as it is and names a PNG without an ending', () => {
    expect(attachmentFileName('photo.JPG', 'image/jpeg')).toBe('photo.JPG');
    expect(attachmentFileName('photo.jpeg', 'image/jpeg')).toBe('photo.jpeg');
    expect(attachmentFileName('scan', 'image/png')).toBe('scan.png');
    expect(attachmentFileName(['a.pdf', 'b.pdf'], 'application/pdf')).toBe('attachment.pdf');
  });

  it('counts the 200-character limit in characters, not UTF-16 units', () => {
    const name = attachmentFileName(encodeURIComponent(`${'😀'.repeat(250)}.png`), 'image/png');
    expect([...name]).toHaveLength(200);
    expect(name.endsWith('😀.png')).toBe(true);
  });
});

describe('contentDispositionFor', () => {
  it('always answers an attachment with the name percent-encoded as UTF-8 (RFC 8187)', () => {
    expect(contentDispositionFor("it's (really) a*b.pdf")).toBe("attachment; filename*=UTF-8''it%27s%20%28really%29%20a%2Ab.pdf");
    expect(contentDispositionFor('x";\r\nSet-Cookie: a=b.pdf')).toBe("attachment; filename*=UTF-8''x%22%3B%0D%0ASet-Cookie%3A%20a%3Db.pdf");
  });
});
