import type { MessageId, MessageValues } from '@portico/shared/i18n';
import { useT } from '../i18n/i18n-context.ts';

/** Stands in for the placeholder while the message is formatted: a private-use character no catalogue holds. */
const mark = '\uE000';

/**
 * A message with one placeholder the page renders itself (an email address in bold, a link): the message's text
 * before and after it. The sentence stays whole in the catalogue, so each language puts the element where it belongs.
 * `const parts = useMessageParts(); const [before, after] = parts('account.email.current', 'email');`
 */
export function useMessageParts(): (id: MessageId, slot: string, values?: MessageValues) => [string, string] {
  const t = useT();
  return (id, slot, values) => {
    const [before = '', ...after] = t(id, { ...values, [slot]: mark }).split(mark);
    return [before, after.join('')];
  };
}
