import type { MessageId } from '@portico/shared/i18n';
import type { Executor } from '../../db/client.ts';
import { translatorFor } from '../../lib/i18n.ts';
import { findMailbox } from '../proxies/proxies.repository.ts';
import { enqueueEmail } from './mail.service.ts';

/** What a sign-in notice says: its subject and text (the text takes `organization` and `url`), and where it leads. */
export interface SignInNotice {
  userId: string;
  organizationName: string;
  subject: MessageId;
  text: MessageId;
  /** The page of the portal the link opens, e.g. `/sign-in`. */
  path: string;
  /** The outbox's event key: one email per event, however often the transaction is retried. */
  eventKey: string;
}

/**
 * An email that says only that something waits behind a sign-in (a decision, an answer, access granted): the
 * organization and a link, in the person's language, never a patient's name nor anything they wrote. Queued in the
 * caller's transaction; nothing when the account has no usable mailbox.
 */
export async function queueSignInNotice(tx: Executor, publicUrl: string, notice: SignInNotice): Promise<void> {
  const mailbox = await findMailbox(tx, notice.userId);
  if (!mailbox) return;
  const t = translatorFor(mailbox.locale);
  await enqueueEmail(
    tx,
    {
      to: mailbox.email,
      subject: t(notice.subject),
      text: t(notice.text, { organization: notice.organizationName, url: `${publicUrl}${notice.path}` }),
    },
    notice.eventKey,
  );
}
