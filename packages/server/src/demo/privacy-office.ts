/**
 * The demo's privacy office (issue 11 §3): a department of specialty `privacy`, the pool that takes patients' "why did
 * this person look?" questions, and its privacy officer, the `privacy` sign-in. From its own random fork, so the rest
 * of the demo keeps its rows and ids.
 */
import type { departments, memberships, staffDepartments, users } from '../db/schema/index.ts';
import { privacyOfficeSpecialty } from '../modules/activity/activity-question.repository.ts';
import { demoTotpSecret } from './demo-accounts.ts';
import type { Random } from './random.ts';
import { daysAfter, daysBefore } from './zoned-time.ts';

/** The privacy officer, named so that no generated patient shares the name (reserved in the name pool). */
export const privacyOfficer = {
  username: 'privacy',
  email: 'privacy@demo.portico.local',
  givenName: 'Helen',
  familyName: 'Marsh',
} as const;

/** The rows of the privacy office. */
export interface DemoPrivacyOffice {
  department: typeof departments.$inferInsert;
  user: Omit<typeof users.$inferInsert, 'passwordHash'>;
  membership: typeof memberships.$inferInsert;
  staffDepartment: typeof staffDepartments.$inferInsert;
}

/** The office's department and its officer, a staff sign-in with TOTP like the other documented staff sign-ins. */
export function planPrivacyOffice(now: Date, random: Random, organizationId: string): DemoPrivacyOffice {
  const departmentId = random.uuid();
  const userId = random.uuid();
  const createdAt = daysBefore(now, 400);
  return {
    department: {
      id: departmentId,
      organizationId,
      name: 'Privacy office',
      specialty: privacyOfficeSpecialty,
      phone: '(617) 555-0190',
      address: '120 Harbor Street, Suite 500, Boston, MA 02110',
      timeZone: 'America/New_York',
    },
    user: {
      id: userId,
      organizationId,
      username: privacyOfficer.username,
      email: privacyOfficer.email,
      emailVerifiedAt: createdAt,
      displayName: `${privacyOfficer.givenName} ${privacyOfficer.familyName}`,
      credentials: null,
      totpSecret: demoTotpSecret,
      totpEnabledAt: daysAfter(createdAt, 1),
      passwordChangedAt: createdAt,
      createdAt,
    },
    membership: { userId, kind: 'staff', organizationId, role: 'privacy_officer', createdAt },
    staffDepartment: { userId, departmentId },
  };
}
