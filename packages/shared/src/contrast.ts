/**
 * Colour contrast as WCAG 2.2 defines it (1.4.3 Contrast (Minimum), "relative luminance" and "contrast ratio" in the
 * glossary), for `#rrggbb` colours. The server checks an organization's brand colour with it on save; the web page
 * checks it live and derives the darker shades it uses for hover and links.
 */

/** A colour as the API and CSS write it: `#` and six hex digits. */
export const hexColorPattern = /^#[0-9a-fA-F]{6}$/;

/** Red, green and blue, 0-255 each. */
type Rgb = readonly [number, number, number];

function channels(hex: string): Rgb {
  if (!hexColorPattern.test(hex)) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** One sRGB channel (0-255) as linear light (0-1). */
function linear(channel: number): number {
  const s = channel / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

function toHex(rgb: Rgb): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The contrast ratio of two colours, 1 to 21, whichever is lighter. */
export function contrastRatio(a: string, b: string): number {
  const x = relativeLuminance(a);
  const y = relativeLuminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * A ratio as people read it, rounded down to two decimals ("4.49", never "4.50" for a colour that fails 4.5:1), without
 * trailing zeros ("4.5", "21").
 */
export function formatContrastRatio(ratio: number): string {
  return String(Math.floor(ratio * 100) / 100);
}

/** The colour mixed toward black by `amount` (0 unchanged, 1 black): a darker shade of the same hue. */
export function darken(hex: string, amount: number): string {
  const keep = 1 - Math.min(1, Math.max(0, amount));
  const [r, g, b] = channels(hex);
  return toHex([r * keep, g * keep, b * keep]);
}

/**
 * The colour itself when it already reaches `ratio` against `background`, else the lightest shade of it (darkened in
 * steps of 2 %) that does; black at worst, which reaches 4.5:1 against any light background.
 */
export function darkenToContrast(hex: string, background: string, ratio: number): string {
  for (let step = 0; step <= 50; step++) {
    const shade = darken(hex, step * 0.02);
    if (contrastRatio(shade, background) >= ratio) return shade;
  }
  return '#000000';
}
