import { desc } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import { devMailbox } from '../../db/schema/index.ts';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

/** Escaped text with its http(s) links made clickable. */
function linkify(text: string): string {
  return escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
}

/** Demo mode only: /dev/mailbox shows what the portal would have emailed (issue 2 section 4). */
export function registerDevMailboxRoutes(app: FastifyInstance, db: Database): void {
  app.get('/dev/mailbox', { schema: { hide: true } }, async (_request, reply) => {
    const messages = await db.select().from(devMailbox).orderBy(desc(devMailbox.id)).limit(100);
    const items = messages
      .map(
        (m) => `<article class="mail"><h2>${escapeHtml(m.subject)}</h2>
<p class="meta">To <strong>${escapeHtml(m.toAddress)}</strong> at <time datetime="${m.receivedAt.toISOString()}">${m.receivedAt.toISOString()}</time></p>
<pre>${linkify(m.text)}</pre></article>`,
      )
      .join('\n');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Demo mailbox - Portico</title><link rel="stylesheet" href="/dev/mailbox.css"></head>
<body><main><h1>Demo mailbox</h1><p>Email the portal sent in demo mode, newest first. Nothing here left this machine.</p>
${items || '<p>No email yet.</p>'}</main></body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  });
  app.get('/dev/mailbox.css', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/css')
      .send(
        'body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#1a1a1a;background:#fff}main{max-width:48rem;margin:auto}.mail{border:1px solid #767676;border-radius:6px;padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;word-break:break-word}a{color:#0b57d0}.meta{color:#444}',
      ),
  );
}
