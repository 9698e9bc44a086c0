/** Seeds an empty database with the demo health system, in one transaction. */
import type { Database, Executor } from '../db/client.ts';
import {
  accessGrants,
  activationCodes,
  appointments,
  appointmentSlots,
  departments,
  fhirResources,
  messages,
  messageTemplates,
  messageThreads,
  organizationBranding,
  organizations,
  patients,
  practices,
  providerRegistrations,
  providerTokens,
  sponsorValidations,
  scheduleTemplates,
  memberships,
  staffDepartments,
  threadReads,
  users,
  visitTypes,
} from '../db/schema/index.ts';
import { hasRestrictedConfidentiality, searchColumns, sensitiveCategoryOf } from '@portico/fhir';
import { hashPassword } from '../security/password.ts';
import { demoPassword } from './demo-accounts.ts';
import { demoBranding } from './demo-logo.ts';
import { buildDemoPlan } from './demo-plan.ts';
import type { FhirRow } from './model.ts';

/** How many rows of each kind a seed wrote. */
export interface DemoSummary {
  organizations: number;
  departments: number;
  staff: number;
  patients: number;
  resources: number;
  appointments: number;
  /** Conversations with the care team. */
  messageThreads: number;
  /** Visit types, weekly-hours rows and booked 5-minute units. */
  visitTypes: number;
  scheduleTemplates: number;
  appointmentSlots: number;
}

/** Rows per INSERT: keeps each statement well under PostgreSQL's 65,535 bind parameters. */
const batchSize = 500;

function* batches<T>(rows: readonly T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
}

/** The columns the FHIR store derives for every resource, derived the same way for the demo's (sensitivity, identifiers). */
function withStoreColumns(row: FhirRow, organizationId: string) {
  const resource = row.resource as fhir4.Resource;
  const sensitiveCategory = sensitiveCategoryOf(resource);
  return {
    ...row,
    organizationId,
    sensitiveCategory,
    isSensitive: row.isSensitive === true || sensitiveCategory !== null,
    confidential: hasRestrictedConfidentiality(resource),
    identifiers: searchColumns(resource).identifiers,
  };
}

/** True once any organization exists: the server seeds the demo only into an empty database. */
export async function isDemoSeeded(db: Executor): Promise<boolean> {
  const rows = await db.select({ id: organizations.id }).from(organizations).limit(1);
  return rows.length > 0;
}

/**
 * Writes the demo organization, staff, patients, clinical record (FHIR R4) and appointments.
 * Deterministic: the same `now` gives the same rows and ids, except password hashes (argon2id salts are random).
 * All in one transaction, so a failure leaves the database as it was.
 */
export async function seedDemoData(db: Database, options: { now: Date }): Promise<DemoSummary> {
  if (Number.isNaN(options.now.getTime())) throw new Error('seedDemoData needs a valid `now`');
  const plan = buildDemoPlan(new Date(options.now.getTime()));
  const hashes = await Promise.all(plan.users.map(() => hashPassword(demoPassword)));
  const userRows = plan.users.map((user, i) => ({ ...user, passwordHash: hashes[i] ?? '' }));

  await db.transaction(async (tx) => {
    if (await isDemoSeeded(tx)) throw new Error('The database already holds an organization; demo data goes only into an empty database');
    await tx.insert(organizations).values(plan.organization);
    await tx.insert(organizationBranding).values(demoBranding(plan.organization.id));
    await tx.insert(departments).values(plan.departments);
    await tx.insert(users).values(userRows);
    await tx.insert(practices).values(plan.practices);
    await tx.insert(memberships).values(plan.memberships);
    await tx.insert(providerRegistrations).values(plan.providerRegistrations);
    await tx.insert(staffDepartments).values(plan.staffDepartments);
    for (const batch of batches(plan.patients)) await tx.insert(patients).values(batch);
    await tx.insert(activationCodes).values(plan.activationCodes);
    await tx.insert(sponsorValidations).values(plan.sponsorValidations);
    await tx.insert(providerTokens).values(plan.providerTokens);
    await tx.insert(accessGrants).values(plan.accessGrants);
    for (const batch of batches(plan.resources)) {
      await tx.insert(fhirResources).values(batch.map((row) => withStoreColumns(row, plan.organization.id)));
    }
    await tx.insert(visitTypes).values(plan.scheduling.visitTypes);
    await tx.insert(scheduleTemplates).values(plan.scheduling.templates);
    for (const batch of batches(plan.appointments)) await tx.insert(appointments).values(batch);
    for (const batch of batches(plan.scheduling.slots)) await tx.insert(appointmentSlots).values(batch);
    await tx.insert(messageThreads).values(plan.messaging.threads);
    await tx.insert(messages).values(plan.messaging.messages);
    await tx.insert(threadReads).values(plan.messaging.threadReads);
    await tx.insert(messageTemplates).values(plan.messaging.templates);
  });

  return {
    organizations: 1,
    departments: plan.departments.length,
    staff: plan.memberships.length,
    patients: plan.patients.length,
    resources: plan.resources.length,
    appointments: plan.appointments.length,
    messageThreads: plan.messaging.threads.length,
    visitTypes: plan.scheduling.visitTypes.length,
    scheduleTemplates: plan.scheduling.templates.length,
    appointmentSlots: plan.scheduling.slots.length,
  };
}
