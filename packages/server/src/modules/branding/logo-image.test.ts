import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { demoLogoPng } from '../../demo/demo-logo.ts';
import { AppError } from '../../errors.ts';
import { checkLogoImage } from './logo-image.ts';
import { jpegOf, jpegSegment, pngChunk, pngOf, pngWithScriptInPixels } from './logo.fixtures.ts';

/** The refusal checkLogoImage throws, as status, code, field and message. */
function refusal(bytes: Buffer, declaredType: string) {
  try {
    checkLogoImage(bytes, declaredType);
  } catch (error) {
    if (error instanceof AppError) return { status: error.statusCode, code: error.code, field: error.field, message: error.message };
    throw error;
  }
  throw new Error('the logo was accepted');
}

describe('checkLogoImage', () => {
  it('takes a PNG, with its pixel size and the SHA-256 of what it stores', () => {
    const png = pngOf({ width: 5, height: 3 });
    const logo = checkLogoImage(png, 'image/png');
    expect(logo).toMatchObject({ type: 'image/png', width: 5, height: 3 });
    expect(logo.bytes.equals(png)).toBe(true);
    expect(logo.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the demo logo as it is', () => {
    const png = demoLogoPng();
    expect(checkLogoImage(png, 'image/png')).toMatchObject({ width: 96, height: 96 });
    expect(checkLogoImage(png, 'image/png').bytes.equals(png)).toBe(true);
  });

  it('takes a JPEG and reads its size from the frame header', () => {
    expect(checkLogoImage(jpegOf({ width: 300, height: 120 }), 'image/jpeg')).toMatchObject({
      type: 'image/jpeg',
      width: 300,
      height: 120,
    });
  });

  it('drops PNG text chunks and JPEG comments and EXIF, keeping the image', () => {
    const text = pngChunk('tEXt', Buffer.from('Comment\0<script>alert(1)</script>', 'latin1'));
    const stored = checkLogoImage(pngOf({ extra: [text] }), 'image/png').bytes;
    expect(stored.equals(pngOf())).toBe(true);

    const comment = jpegSegment(0xfe, Buffer.from('<svg onload=alert(1)>', 'latin1'));
    const exif = jpegSegment(0xe1, Buffer.from('Exif\0\0GPS 42.36 N 71.06 W', 'latin1'));
    const jpeg = checkLogoImage(jpegOf({ extra: [comment, exif] }), 'image/jpeg').bytes;
    expect(jpeg.equals(jpegOf())).toBe(true);
  });

  it('refuses SVG, HTML and anything else that is not a PNG or JPEG, whatever it was sent as', () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const bytes of [svg, Buffer.from('<!doctype html><p>hi'), Buffer.from('%PDF-1.7\n'), Buffer.from('GIF89a')]) {
      expect(refusal(bytes, 'image/png')).toMatchObject({ status: 400, code: 'unprocessable_file', field: 'logo' });
    }
    expect(refusal(svg, 'image/png').message).toMatch(/must be a PNG or JPEG image.*SVG/);
  });

  it('refuses a PNG sent as a JPEG', () => {
    expect(refusal(pngOf(), 'image/jpeg').message).toBe("The file's content is a PNG image, but it was sent as image/jpeg.");
  });

  it('refuses polyglots: a page after the image, or a script in the pixel data', () => {
    const page = Buffer.from('<html><script>alert(1)</script></html>');
    expect(refusal(Buffer.concat([pngOf(), page]), 'image/png').message).toMatch(/data after its end/);
    expect(refusal(Buffer.concat([jpegOf(), page]), 'image/jpeg').message).toMatch(/does not end where a JPEG ends/);
    expect(refusal(pngWithScriptInPixels(), 'image/png').message).toMatch(/holds HTML or SVG markup/);
  });

  it('refuses damaged PNGs before anything decodes them', () => {
    const png = pngOf();
    const badCrc = Buffer.from(png);
    badCrc[30] = badCrc[30]! ^ 0xff;
    expect(refusal(badCrc, 'image/png').message).toMatch(/checksum/);
    expect(refusal(png.subarray(0, png.length - 6), 'image/png').message).toMatch(/damaged or incomplete/);
    const header = Buffer.alloc(13);
    header.writeUInt32BE(4, 0);
    header.writeUInt32BE(4, 4);
    header[8] = 8;
    header[9] = 2;
    const signature = png.subarray(0, 8);
    const garbage = pngChunk('IDAT', Buffer.from('not deflate at all'));
    const short = pngChunk('IDAT', deflateSync(Buffer.alloc(10)));
    for (const [idat, why] of [
      [garbage, /cannot be decompressed/],
      [short, /does not match its size/],
    ] as const) {
      const bytes = Buffer.concat([signature, pngChunk('IHDR', header), idat, pngChunk('IEND', Buffer.alloc(0))]);
      expect(refusal(bytes, 'image/png').message).toMatch(why);
    }
    const badFilter = Buffer.alloc(4 * 13, 0);
    badFilter[13] = 9;
    const filtered = Buffer.concat([
      signature,
      pngChunk('IHDR', header),
      pngChunk('IDAT', deflateSync(badFilter)),
      pngChunk('IEND', Buffer.alloc(0)),
    ]);
    expect(refusal(filtered, 'image/png').message).toMatch(/unknown filter/);
  });

  it('refuses an image larger than a logo may be, in bytes (413) or in pixels (400)', () => {
    expect(refusal(Buffer.concat([pngOf(), Buffer.alloc(210 * 1024)]), 'image/png')).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      message: 'The logo is 211 KB; it may be at most 200 KB.',
    });
    expect(refusal(pngOf({ width: 1025, height: 1 }), 'image/png').message).toBe(
      'The image is 1025 × 1 pixels; a logo may be at most 1024 pixels wide and tall.',
    );
    expect(refusal(jpegOf({ width: 5000, height: 5000 }), 'image/jpeg').message).toMatch(/5000 × 5000 pixels/);
  });

  it('refuses an empty file', () => {
    expect(refusal(Buffer.alloc(0), 'image/png').message).toBe('The file is empty.');
  });
});
