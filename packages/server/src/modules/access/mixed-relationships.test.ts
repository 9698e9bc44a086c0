import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessGrants } from '../../db/schema/index.ts';
import { buildFhirResource, buildOrganization, buildPatient, buildUser, cookieFor, signInAs } from '../../test/factories.ts';
import { buildTestApp, type TestApp } from '../../test/test-app.ts';
import { strictestFilter } from './access.service.ts';

/**
 * One request may read several categories, each allowed through a different relationship: a front-desk employee who is
 * also the guardian of a 15-year-old at the same organization reads the home summary's demographics as staff and its
 * results as a guardian. The rows shown are those the strictest of the two filters lets through (security review,
 * issue 11): no hidden result shows through the staff filter.
 */
let t: TestApp;
let teenId = '';
let tokens: Record<'frontDeskParent' | 'parent', string>;

function teenBirthDate(): string {
  const d = new Date();
  return `${d.getUTCFullYear() - 15}-01-15`;
}

const lab = (text: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { text },
  valueQuantity: { value: 1, unit: 'mg/dL' },
  effectiveDateTime: '2026-01-01T10:00:00Z',
  ...extra,
});

beforeAll(async () => {
  t = await buildTestApp();
  const { organization } = await buildOrganization(t.db);
  const { patient } = await buildPatient(t.db, organization.id, { birthDate: teenBirthDate() });
  teenId = patient.id;
  const base = {
    organizationId: organization.id,
    patientId: teenId,
    category: 'laboratory',
    status: 'final',
    effectiveAt: new Date('2026-01-01'),
  };
  await buildFhirResource(t.db, { ...base, resource: lab('Ferritin') });
  await buildFhirResource(t.db, { ...base, resource: lab('HIV-1 RNA'), sensitiveCategory: 'hiv' });
  await buildFhirResource(t.db, {
    ...base,
    resource: lab('Pregnancy test', {
      meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R' }] },
    }),
  });
  const frontDeskParent = await buildUser(t.db, { role: 'front_desk', organizationId: organization.id, mfa: true });
  const parent = await buildUser(t.db, { role: 'proxy' });
  for (const user of [frontDeskParent, parent])
    await t.db.insert(accessGrants).values({
      granteeUserId: user.id,
      patientId: teenId,
      kind: 'proxy',
      level: 'full',
      categories: ['demographics', 'clinical', 'appointments', 'billing', 'preferences', 'messages'],
      relationship: 'guardian',
    });
  tokens = { frontDeskParent: await signInAs(t.db, frontDeskParent), parent: await signInAs(t.db, parent) };
});
afterAll(() => t.close());

const resultsInSummary = async (token: string) => {
  const response = await t.app.inject({ method: 'GET', url: `/api/patients/${teenId}/summary`, headers: cookieFor(token) });
  expect(response.statusCode).toBe(200);
  return JSON.stringify(response.json().recentResults);
};

describe('a request allowed through two relationships', () => {
  it('shows a front-desk guardian exactly what a guardian sees of a teen’s results, no sensitive or confidential one', async () => {
    for (const who of ['parent', 'frontDeskParent'] as const) {
      const results = await resultsInSummary(tokens[who]);
      expect(results, who).toContain('Ferritin');
      expect(results, who).not.toContain('HIV');
      expect(results, who).not.toContain('Pregnancy');
    }
  });

  it('merges filters to the strictest: union of hidden categories, and every "sees" only when both see it', () => {
    const open = {
      hiddenSensitive: [],
      seesConfidential: true,
      seesHeldResults: true,
      seesInternalNotes: true,
      seesClinicalThreads: false,
    };
    const teenProxy = {
      hiddenSensitive: ['hiv', 'genetics'] as const,
      seesConfidential: false,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: true,
    };
    expect(strictestFilter(open, { ...teenProxy, hiddenSensitive: [...teenProxy.hiddenSensitive] })).toEqual({
      hiddenSensitive: ['hiv', 'genetics'],
      seesConfidential: false,
      seesHeldResults: false,
      seesInternalNotes: false,
      seesClinicalThreads: false,
    });
    expect(strictestFilter(open, open)).toEqual(open);
  });
});
