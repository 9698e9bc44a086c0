/**
 * The Spanish catalogue, written for patients (plain language, usted). It must hold every id of the English one: a
 * missing id is a compile error here (the type below), and an extra one fails the catalogue test.
 */
import type { Catalogue } from './translate.ts';
import account from './messages/es/account.json' with { type: 'json' };
import admin from './messages/es/admin.json' with { type: 'json' };
import appointments from './messages/es/appointments.json' with { type: 'json' };
import auth from './messages/es/auth.json' with { type: 'json' };
import common from './messages/es/common.json' with { type: 'json' };
import documents from './messages/es/documents.json' with { type: 'json' };
import errors from './messages/es/errors.json' with { type: 'json' };
import home from './messages/es/home.json' with { type: 'json' };
import inbox from './messages/es/inbox.json' with { type: 'json' };
import messages from './messages/es/messages.json' with { type: 'json' };
import nav from './messages/es/nav.json' with { type: 'json' };
import notify from './messages/es/notify.json' with { type: 'json' };
import record from './messages/es/record.json' with { type: 'json' };
import schedule from './messages/es/schedule.json' with { type: 'json' };
import sharing from './messages/es/sharing.json' with { type: 'json' };
import activity from './messages/es/activity.json' with { type: 'json' };
import proxies from './messages/es/proxies.json' with { type: 'json' };
import share from './messages/es/share.json' with { type: 'json' };
import providers from './messages/es/providers.json' with { type: 'json' };
import mypatients from './messages/es/mypatients.json' with { type: 'json' };
import careteam from './messages/es/careteam.json' with { type: 'json' };
import sponsors from './messages/es/sponsors.json' with { type: 'json' };
import support from './messages/es/support.json' with { type: 'json' };

export const es: Catalogue = {
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
