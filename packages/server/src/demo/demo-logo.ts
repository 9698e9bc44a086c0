/**
 * The demo organization's branding (issue 10 §2: "the demo ships a pleasant default"): its name, a calm teal that
 * reaches 5.47:1 against white, and a small logo drawn here (a white portico on a teal tile) and encoded as a PNG, so
 * no binary file sits in the repository.
 */
import { crc32, deflateSync } from 'node:zlib';
import { checkLogoImage } from '../modules/branding/logo-image.ts';
import { demoOrganization } from './roster.ts';

/** The demo's primary colour: teal, 5.47:1 against white (WCAG AA for text needs 4.5:1). */
export const demoBrandColor = '#0f766e';

/** Side of the logo in pixels: shown at 32-40 px, so this stays sharp on screens of 2-3 device pixels per CSS pixel. */
const size = 96;
/** Samples per pixel along each axis, for smooth edges. */
const samples = 4;

/** Whether a point (in logo pixels) is inside the rounded tile. */
function inTile(x: number, y: number): boolean {
  const radius = 20;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** Whether a point is on the white portico: pediment, beam, three columns and a step. */
function inPortico(x: number, y: number): boolean {
  const pediment = y >= 18 && y <= 34 && Math.abs(x - 48) <= ((y - 18) / 16) * 30;
  const beam = y >= 37 && y <= 42 && x >= 20 && x <= 76;
  const columns = y >= 45 && y <= 68 && [29, 48, 67].some((c) => Math.abs(x - c) <= 4);
  const step = y >= 71 && y <= 77 && x >= 16 && x <= 80;
  return pediment || beam || columns || step;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The demo logo: a 96 × 96 RGBA PNG, the same bytes every time. */
export function demoLogoPng(): Buffer {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(demoBrandColor.slice(i, i + 2), 16)) as [number, number, number];
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter type 0 (None), then RGBA
    for (let x = 0; x < size; x++) {
      let tile = 0;
      let white = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const px = x + (sx + 0.5) / samples;
          const py = y + (sy + 0.5) / samples;
          if (!inTile(px, py)) continue;
          tile++;
          if (inPortico(px, py)) white++;
        }
      }
      const share = tile === 0 ? 0 : white / tile;
      const at = 1 + x * 4;
      row[at] = Math.round(r + (255 - r) * share);
      row[at + 1] = Math.round(g + (255 - g) * share);
      row[at + 2] = Math.round(b + (255 - b) * share);
      row[at + 3] = Math.round((255 * tile) / samples ** 2);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The demo organization's branding row: its name, the teal, and the logo as an upload would store it. */
export function demoBranding(organizationId: string) {
  const logo = checkLogoImage(demoLogoPng(), 'image/png');
  return {
    organizationId,
    displayName: demoOrganization.name,
    primaryColor: demoBrandColor,
    logo: logo.bytes,
    logoType: logo.type,
    logoSha256: logo.sha256,
    logoWidth: logo.width,
    logoHeight: logo.height,
  };
}
