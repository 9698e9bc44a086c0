/**
 * The check every uploaded logo passes before it is stored (SECURITY.md "Uploads": type from the bytes against an allow
 * list, size limits). A logo is public and shown on every page, so it must be an image and nothing else:
 * - PNG (ISO/IEC 15948, RFC 2083) or JPEG (ITU T.81 / JFIF), read from the magic bytes; never SVG, which is a document
 *   that can carry script;
 * - walked chunk by chunk (PNG: lengths, CRCs, IHDR first, IEND last; JPEG: segments up to the scan, EOI last), with
 *   nothing after the end, so a file that is also something else (an image with an HTML page appended) is refused;
 * - the PNG's pixel data inflated once (bounded) and its size and row filters checked, so a damaged stream cannot fail
 *   later where the PDF library decodes it;
 * - metadata dropped (PNG text, time and EXIF chunks; JPEG comments and APP1-APP15 except ICC and Adobe colour), since
 *   EXIF and XMP can hold locations, names and markup;
 * - and what is kept must hold no HTML or SVG markup anywhere (a polyglot hiding in the pixel data).
 */
import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import { brandingLimits, type LogoType } from '@portico/shared';
import { AppError } from '../../errors.ts';
import { sniffFileType } from '../messaging/file-type.ts';

/** A logo that passed: the bytes to store (metadata removed), its type, pixel size and SHA-256 (hex). */
export interface CheckedLogo {
  type: LogoType;
  bytes: Buffer;
  width: number;
  height: number;
  sha256: string;
}

function refused(message: string): AppError {
  return new AppError(400, 'unprocessable_file', message, 'logo');
}

const typeNames: Record<LogoType, string> = { 'image/png': 'a PNG image', 'image/jpeg': 'a JPEG image' };

/** Checks an uploaded logo (see the module comment); throws a 400 naming `logo`, or 413 when it is too large. */
export function checkLogoImage(bytes: Buffer, declaredType: string): CheckedLogo {
  if (bytes.length === 0) throw refused('The file is empty.');
  if (bytes.length > brandingLimits.logoMaxBytes) {
    throw new AppError(
      413,
      'payload_too_large',
      `The logo is ${Math.ceil(bytes.length / 1024)} KB; it may be at most ${brandingLimits.logoMaxBytes / 1024} KB.`,
      'logo',
    );
  }
  const sniffed = sniffFileType(bytes);
  if (sniffed !== 'image/png' && sniffed !== 'image/jpeg') {
    throw refused('The logo must be a PNG or JPEG image, whatever its name says; SVG and other formats are not accepted.');
  }
  if (sniffed !== declaredType) throw refused(`The file's content is ${typeNames[sniffed]}, but it was sent as ${declaredType}.`);
  const image = sniffed === 'image/png' ? checkPng(bytes) : checkJpeg(bytes);
  if (holdsMarkup(image.bytes)) {
    throw refused('The file holds HTML or SVG markup as well as an image; export the logo again as a plain PNG or JPEG.');
  }
  return { type: sniffed, ...image, sha256: createHash('sha256').update(image.bytes).digest('hex') };
}

/** Byte strings that start markup a browser or an XML reader would act on; none belongs in a PNG or JPEG's pixels. */
const markup = ['<script', '<html', '<svg', '<!doctype', '<?xml', '<iframe', '<body', '<object', '<embed', '<img', 'javascript:'];

/** Whether the bytes contain any of the markup starts, in any letter case. */
function holdsMarkup(bytes: Buffer): boolean {
  const lower = Buffer.from(bytes.toString('latin1').toLowerCase(), 'latin1');
  return markup.some((start) => lower.includes(start, 0, 'latin1'));
}

/** Refuses an image larger than a logo may be, before anything decodes its pixels. */
function checkPixelSize(width: number, height: number): void {
  const max = brandingLimits.logoMaxPixels;
  if (width > max || height > max) {
    throw refused(`The image is ${width} × ${height} pixels; a logo may be at most ${max} pixels wide and tall.`);
  }
}

interface ImageFacts {
  bytes: Buffer;
  width: number;
  height: number;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Ancillary PNG chunks that describe colour and pixel size; every other ancillary chunk (text, time, EXIF) is dropped. */
const keptAncillary = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'pHYs', 'bKGD']);

/** Bit depths allowed per PNG colour type (ISO/IEC 15948 table 11.1). */
const pngDepths: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
/** Samples per pixel of each colour type. */
const pngSamples: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The seven Adam7 passes: first column, first row, column step, row step (ISO/IEC 15948 8.2). */
const adam7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function checkPng(bytes: Buffer): ImageFacts {
  const damaged = (why: string) => refused(`The PNG image is damaged or incomplete (${why}); export it again.`);
  const kept: Buffer[] = [pngSignature];
  const idat: Buffer[] = [];
  let header: { width: number; height: number; depth: number; colorType: number; interlaced: boolean } | null = null;
  let pos = pngSignature.length;
  let ended = false;
  while (!ended) {
    if (pos + 12 > bytes.length) throw damaged('it stops in the middle of a chunk');
    const length = bytes.readUInt32BE(pos);
    const type = bytes.toString('latin1', pos + 4, pos + 8);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) throw damaged('a chunk is longer than the file');
    if (!/^[A-Za-z]{4}$/.test(type)) throw damaged('a chunk has no valid name');
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== bytes.readUInt32BE(pos + 8 + length)) {
      throw damaged(`the ${type} chunk fails its checksum`);
    }
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (header === null && type !== 'IHDR') throw damaged('it does not start with its header');
    if (type === 'IHDR') {
      if (header !== null || length !== 13) throw damaged('its header is not valid');
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        depth: data[8]!,
        colorType: data[9]!,
        interlaced: data[12] === 1,
      };
      const depths = pngDepths[header.colorType];
      if (!depths?.includes(header.depth) || data[10] !== 0 || data[11] !== 0 || data[12]! > 1) {
        throw damaged('its header names an unknown pixel format');
      }
      if (header.width === 0 || header.height === 0) throw damaged('it has no pixels');
      checkPixelSize(header.width, header.height);
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      ended = true;
    } else if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0) throw damaged('its palette is not valid');
    } else if (/^[A-Z]/.test(type)) {
      throw damaged(`it has a critical chunk ${type} no viewer knows`);
    } else if (!keptAncillary.has(type)) {
      pos = end;
      continue;
    }
    kept.push(bytes.subarray(pos, end));
    pos = end;
  }
  if (pos !== bytes.length) throw damaged('there is data after its end');
  if (header === null || idat.length === 0) throw damaged('it has no pixel data');
  checkPngPixels(Buffer.concat(idat), header, damaged);
  return { bytes: Buffer.concat(kept), width: header.width, height: header.height };
}

/** Inflates the pixel data (no more than the image can hold) and checks its length and every row's filter type. */
function checkPngPixels(
  compressed: Buffer,
  header: { width: number; height: number; depth: number; colorType: number; interlaced: boolean },
  damaged: (why: string) => AppError,
): void {
  const bitsPerPixel = header.depth * pngSamples[header.colorType]!;
  const passes = header.interlaced ? adam7 : ([[0, 0, 1, 1]] as const);
  const rows: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    const width = Math.ceil((header.width - x0) / dx);
    const height = Math.ceil((header.height - y0) / dy);
    if (width <= 0 || height <= 0) continue;
    for (let row = 0; row < height; row++) rows.push(1 + Math.ceil((width * bitsPerPixel) / 8));
  }
  const expected = rows.reduce((sum, length) => sum + length, 0);
  let pixels: Buffer;
  try {
    pixels = inflateSync(compressed, { maxOutputLength: expected + 1 });
  } catch {
    throw damaged('its pixel data cannot be decompressed');
  }
  if (pixels.length !== expected) throw damaged('its pixel data does not match its size');
  let at = 0;
  for (const length of rows) {
    if (pixels[at]! > 4) throw damaged('a row has an unknown filter');
    at += length;
  }
}

/** JPEG markers without a length: TEM, RST0-RST7, SOI, EOI (ITU T.81 table B.1). */
function isStandalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

/** Start-of-frame markers (SOF0-SOF15 but DHT C4, JPG C8 and DAC CC), which carry the image's size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Application segments kept: APP0 (JFIF), APP2 (ICC profile), APP14 (Adobe colour transform). */
function isKeptSegment(marker: number): boolean {
  if (marker === 0xfe) return false;
  if (marker >= 0xe0 && marker <= 0xef) return marker === 0xe0 || marker === 0xe2 || marker === 0xee;
  return true;
}

function checkJpeg(bytes: Buffer): ImageFacts {
  const damaged = (why: string) => refused(`The JPEG image is damaged or incomplete (${why}); export it again.`);
  if (bytes.length < 4 || bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) {
    throw damaged('it does not end where a JPEG ends');
  }
  const kept: Buffer[] = [bytes.subarray(0, 2)];
  let size: { width: number; height: number } | null = null;
  let pos = 2;
  for (;;) {
    if (pos + 4 > bytes.length || bytes[pos] !== 0xff) throw damaged('a segment is not where it should be');
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (isStandalone(marker)) throw damaged('a marker stands where a segment should');
    const length = bytes.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) throw damaged('a segment is longer than the file');
    if (isStartOfFrame(marker)) {
      if (length < 8) throw damaged('its frame header is too short');
      const components = bytes[pos + 9]!;
      if (bytes[pos + 4] !== 8 || ![1, 3, 4].includes(components)) throw damaged('it uses a pixel format PDFs cannot show');
      size = { height: bytes.readUInt16BE(pos + 5), width: bytes.readUInt16BE(pos + 7) };
      if (size.width === 0 || size.height === 0) throw damaged('it has no pixels');
      checkPixelSize(size.width, size.height);
    }
    if (marker === 0xda) {
      // The first scan: from here to EOI is entropy-coded data (and, in a progressive JPEG, more tables and scans).
      if (size === null) throw damaged('its scan comes before its frame header');
      kept.push(bytes.subarray(pos));
      return { bytes: Buffer.concat(kept), ...size };
    }
    if (isKeptSegment(marker)) kept.push(bytes.subarray(pos, end));
    pos = end;
  }
}
