import type { messagingLimits } from '@portico/shared';

/** A type an attachment may have (issue 4: PDF, JPEG, PNG). */
export type AttachmentType = (typeof messagingLimits.attachmentTypes)[number];

/** Leading bytes of each allowed type: PDF 1.7 (ISO 32000-1 7.5.2) `%PDF-`, JPEG SOI + marker, the PNG signature (RFC 2083 3.1). */
const signatures: readonly { type: AttachmentType; bytes: readonly number[] }[] = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** What people call each type in an error message. */
const typeNames: Record<AttachmentType, string> = { 'application/pdf': 'a PDF', 'image/jpeg': 'a JPEG image', 'image/png': 'a PNG image' };

/** The file name endings a type may keep; a name without one gets the first. */
const extensions: Record<AttachmentType, readonly string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
};

/**
 * The allowed type the bytes start with, or null. The type comes from the content, never from the name or the declared
 * Content-Type (SECURITY.md "Uploads": type checked from the bytes against an allow list). A PDF must start with its
 * header: readers tolerate leading junk, but a file that is something else first (an HTML page) is refused.
 */
export function sniffFileType(bytes: Uint8Array): AttachmentType | null {
  for (const signature of signatures) {
    if (bytes.length >= signature.bytes.length && signature.bytes.every((b, i) => bytes[i] === b)) return signature.type;
  }
  return null;
}

/** Whether a declared Content-Type is one of the allowed types. */
export function isAttachmentType(value: string): value is AttachmentType {
  return signatures.some((s) => s.type === value);
}

/** "a PDF", "a PNG image": for messages that say what a file is. */
export function describeType(type: AttachmentType): string {
  return typeNames[type];
}

/** The ending a file of this type gets when its name lacks one of the type's own. */
export function extensionFor(type: AttachmentType): string {
  return extensions[type][0] ?? '';
}

/** Whether the name already ends the way files of this type do (`.jpg` or `.jpeg` for JPEG). */
export function hasMatchingExtension(fileName: string, type: AttachmentType): boolean {
  const lower = fileName.toLowerCase();
  return extensions[type].some((ending) => lower.endsWith(ending));
}
