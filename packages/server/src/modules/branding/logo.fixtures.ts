/** Hand-made PNG and JPEG files for the logo tests: well-formed ones, and the tricks a logo upload must refuse. */
import { crc32, deflateSync } from 'node:zlib';

/** A PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** What a test PNG is made of. */
export interface PngSpec {
  width?: number;
  height?: number;
  /** Each pixel's red, green and blue; a solid teal by default. */
  pixel?: (x: number, y: number) => [number, number, number];
  /** Chunks placed between IHDR and IDAT. */
  extra?: Buffer[];
  /** zlib level 0 keeps the pixel bytes as they are in the file (stored blocks). */
  level?: number;
}

/** An 8-bit RGB PNG. */
export function pngOf(spec: PngSpec = {}): Buffer {
  const width = spec.width ?? 4;
  const height = spec.height ?? 4;
  const pixel = spec.pixel ?? (() => [15, 118, 110]);
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(row, 1 + x * 3);
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(spec.extra ?? []),
    pngChunk('IDAT', deflateSync(Buffer.concat(rows), { level: spec.level ?? 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose pixel bytes spell out a script: a polyglot an HTML sniffer would run, hidden in stored deflate blocks. */
export function pngWithScriptInPixels(): Buffer {
  const script = Buffer.from('<script>alert(document.cookie)</script>', 'latin1');
  const width = Math.ceil(script.length / 3) + 1;
  return pngOf({
    width,
    height: 1,
    level: 0,
    pixel: (x) => [script[x * 3] ?? 32, script[x * 3 + 1] ?? 32, script[x * 3 + 2] ?? 32],
  });
}

/** A JPEG segment with its length (for `extra`: a comment, an application segment). */
export function jpegSegment(marker: number, data: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
}

/**
 * A JPEG as far as its structure goes (SOI, JFIF, optional extra segments, a baseline frame of the given size, a scan,
 * EOI); the scan's data is filler, which no check decodes.
 */
export function jpegOf(options: { width?: number; height?: number; extra?: Buffer[] } = {}): Buffer {
  const frame = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  frame.writeUInt16BE(options.height ?? 16, 1);
  frame.writeUInt16BE(options.width ?? 24, 3);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    jpegSegment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    ...(options.extra ?? []),
    jpegSegment(0xc0, frame),
    jpegSegment(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0x78, 0xff, 0x00, 0x9a]),
    Buffer.from([0xff, 0xd9]),
  ]);
}
