import type { DownloadedFile } from '../../api/client.ts';

/**
 * Hands a file held in memory to the browser's download: a temporary object URL, clicked through an `<a download>`
 * and revoked straight after, so the record never sits in browser storage or in a URL another page could open.
 */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = file.filename;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    URL.revokeObjectURL(url);
  }
}
