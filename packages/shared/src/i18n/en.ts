/**
 * The English catalogue: every user-facing string of Portico, as ICU messages, one JSON file per area (messages/en).
 * English is the source language: its ids are the type of every message id (MessageId), so a misspelled id is a
 * compile error, and the Spanish catalogue must have exactly the same ids (es.ts, and the catalogue test).
 */
import account from './messages/en/account.json' with { type: 'json' };
import admin from './messages/en/admin.json' with { type: 'json' };
import appointments from './messages/en/appointments.json' with { type: 'json' };
import auth from './messages/en/auth.json' with { type: 'json' };
import common from './messages/en/common.json' with { type: 'json' };
import documents from './messages/en/documents.json' with { type: 'json' };
import errors from './messages/en/errors.json' with { type: 'json' };
import home from './messages/en/home.json' with { type: 'json' };
import inbox from './messages/en/inbox.json' with { type: 'json' };
import messages from './messages/en/messages.json' with { type: 'json' };
import nav from './messages/en/nav.json' with { type: 'json' };
import notify from './messages/en/notify.json' with { type: 'json' };
import record from './messages/en/record.json' with { type: 'json' };
import schedule from './messages/en/schedule.json' with { type: 'json' };
import sharing from './messages/en/sharing.json' with { type: 'json' };
import activity from './messages/en/activity.json' with { type: 'json' };
import proxies from './messages/en/proxies.json' with { type: 'json' };
import share from './messages/en/share.json' with { type: 'json' };
import providers from './messages/en/providers.json' with { type: 'json' };
import mypatients from './messages/en/mypatients.json' with { type: 'json' };
import careteam from './messages/en/careteam.json' with { type: 'json' };
import sponsors from './messages/en/sponsors.json' with { type: 'json' };
import support from './messages/en/support.json' with { type: 'json' };

export const en = {
  ...common,
  ...nav,
  ...auth,
  ...account,
  ...home,
  ...record,
  ...messages,
  ...inbox,
  ...appointments,
  ...schedule,
  ...errors,
  ...notify,
  ...documents,
  ...admin,
  ...sharing,
  ...activity,
  ...proxies,
  ...share,
  ...providers,
  ...mypatients,
  ...careteam,
  ...sponsors,
  ...support,
};

/** The id of a message: a key of the English catalogue. */
export type MessageId = keyof typeof en;
