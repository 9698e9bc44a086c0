import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ActingForView, Me } from '@portico/shared';
import type { useT } from '../i18n/i18n-context.ts';
import { hasAbility, hasMemberships } from '../session/abilities.ts';
import { allows } from '../session/acting-for.ts';
import { InboxNavLink } from './inbox/InboxNavLink.tsx';
import { MessagesNavLink } from './messages/MessagesNavLink.tsx';

/**
 * The main navigation's sections and pages (Layout draws them in a row or in the menu), chosen from GET /api/me and the
 * current patient's access (session/acting-for.ts).
 */

type Translate = ReturnType<typeof useT>;

/** One page of a section, in the section's own navigation. */
export interface SectionPage {
  to: string;
  label: string;
  isCurrent: (path: string) => boolean;
}

/** A top-level section of the navigation: its link, and the pages under it (none for a one-page section). */
export interface Section {
  key: string;
  /** The section's name, for the landmark of its pages. */
  label: string;
  isCurrent: (path: string) => boolean;
  /** The link; the messages and inbox links carry their unread counts and mark themselves current. */
  link: (isCurrent: boolean) => ReactNode;
  pages: SectionPage[];
}

/** Whether a path is `prefix` or a page under it. */
const under = (prefix: string) => (path: string) => path === prefix || path.startsWith(`${prefix}/`);

function plainLink(to: string, label: string) {
  return (isCurrent: boolean) => (
    <Link to={to} aria-current={isCurrent ? 'page' : undefined}>
      {label}
    </Link>
  );
}

/**
 * The sections a person sees, from what GET /api/me says they may do (abilities, and what the current patient's access
 * allows: their own record, or one they act for), never from role names: a patient's record, appointments and messages,
 * each only when the current patient's access includes it; the inbox, schedule and patient search for staff; someone
 * with both sees both. Home and Account are everyone's.
 */
export function sectionsFor(user: Me, t: Translate, patient: ActingForView | null): Section[] {
  const sections: Section[] = [
    { key: 'home', label: t('nav.home'), isCurrent: (p) => p === '/', link: plainLink('/', t('nav.home')), pages: [] },
  ];
  const recordLabel = patient?.relationship === 'self' ? t('nav.myRecord') : t('nav.record');
  if (patient && allows(patient, 'clinical')) {
    sections.push({
      key: 'record',
      label: recordLabel,
      isCurrent: under('/record'),
      link: plainLink('/record', recordLabel),
      pages: [
        { to: '/record', label: t('nav.healthSummary'), isCurrent: (p) => p === '/record' },
        { to: '/record/visits', label: t('nav.visits'), isCurrent: under('/record/visits') },
        { to: '/record/results', label: t('nav.testResults'), isCurrent: under('/record/results') },
        { to: '/record/download', label: t('nav.download'), isCurrent: (p) => under('/record/download')(p) || under('/record/print')(p) },
      ],
    });
  }
  if (patient && allows(patient, 'appointments')) {
    sections.push({
      key: 'appointments',
      label: t('nav.appointments'),
      isCurrent: under('/appointments'),
      link: plainLink('/appointments', t('nav.appointments')),
      pages: [],
    });
  }
  if (patient && allows(patient, 'messages')) {
    // Refill requests are made from the medication list, which is part of the record.
    const pages: SectionPage[] = [
      { to: '/messages', label: t('nav.conversations'), isCurrent: (p) => under('/messages')(p) && !under('/messages/refills')(p) },
    ];
    if (allows(patient, 'clinical'))
      pages.push({ to: '/messages/refills', label: t('nav.refills'), isCurrent: under('/messages/refills') });
    sections.push({
      key: 'messages',
      label: t('nav.messages'),
      isCurrent: under('/messages'),
      link: () => <MessagesNavLink patientId={patient.patientId} />,
      pages,
    });
  }
  if (hasAbility(user, 'inbox.use')) {
    sections.push({ key: 'inbox', label: t('nav.inbox'), isCurrent: under('/inbox'), link: () => <InboxNavLink />, pages: [] });
  }
  if (hasAbility(user, 'schedule.read') || hasAbility(user, 'schedule.manage')) {
    sections.push({
      key: 'schedule',
      label: t('nav.schedule'),
      isCurrent: under('/schedule'),
      link: plainLink('/schedule', t('nav.schedule')),
      pages: [],
    });
  }
  if (hasAbility(user, 'patients.search')) {
    // The staff home holds the search; a chart opened from it belongs to this section.
    sections.push({
      key: 'patients',
      label: t('nav.findPatient'),
      isCurrent: under('/patients'),
      link: plainLink('/#patient-search-q', t('nav.findPatient')),
      pages: [],
    });
  }
  // An outside practice (issue 12 §2): patient selection is its home; a chart or token validation belongs to this section.
  if (hasAbility(user, 'practice.patients') && !hasAbility(user, 'patients.search')) {
    sections.push({
      key: 'mypatients',
      label: t('nav.findPatient'),
      isCurrent: (p) => under('/patients')(p) || under('/mypatients')(p),
      link: plainLink('/#mypatients-search-heading', t('nav.findPatient')),
      pages: [],
    });
  }
  // A sponsor's staff and their twice-yearly validation (issue 12 §1); a locked sponsor keeps only the validation.
  if (hasAbility(user, 'practice.sponsor') || user.sponsorValidation) {
    const sponsorPages: SectionPage[] = user.sponsorValidation?.locked
      ? []
      : [{ to: '/sponsor/users', label: t('nav.sponsoredUsers'), isCurrent: under('/sponsor/users') }];
    sponsorPages.push({ to: '/sponsor/validation', label: t('nav.sponsorValidation'), isCurrent: under('/sponsor/validation') });
    sections.push({
      key: 'sponsor',
      label: t('nav.sponsoredUsers'),
      isCurrent: under('/sponsor'),
      link: plainLink(user.sponsorValidation?.locked ? '/sponsor/validation' : '/sponsor/users', t('nav.sponsoredUsers')),
      pages: sponsorPages,
    });
  }
  // The support team's account help (issue 12 §1, §3): locked sponsors, paused sign-ins.
  if (hasAbility(user, 'support.accounts')) {
    sections.push({
      key: 'supportAccounts',
      label: t('nav.supportAccounts'),
      isCurrent: under('/support/accounts'),
      link: plainLink('/support/accounts', t('nav.supportAccounts')),
      pages: [],
    });
  }
  // The support team's console (issue 12 §3): its queues and the audit report; before registrations, so it is the
  // current section at /support itself.
  if (hasAbility(user, 'support.requests') || hasAbility(user, 'support.audit')) {
    sections.push({
      key: 'supportConsole',
      label: t('nav.supportConsole'),
      isCurrent: (p) => p === '/support',
      link: plainLink('/support', t('nav.supportConsole')),
      pages: [],
    });
  }
  // The support team's console (issue 12 §3): outside providers' registrations.
  if (hasAbility(user, 'support.registrations')) {
    sections.push({
      key: 'support',
      label: t('nav.supportRegistrations'),
      isCurrent: under('/support'),
      link: plainLink('/support/registrations', t('nav.supportRegistrations')),
      pages: [],
    });
  }
  const accountPages: SectionPage[] = [
    { to: '/account/security', label: t('nav.security'), isCurrent: under('/account/security') },
    { to: '/account/notifications', label: t('nav.notifications'), isCurrent: under('/account/notifications') },
    { to: '/account/display', label: t('nav.display'), isCurrent: under('/account/display') },
  ];
  // A practice member who moved asks support to move their account (issue 12 §1).
  if (hasAbility(user, 'practice.patients')) {
    accountPages.push({
      to: '/mypatients/practice-change',
      label: t('nav.practiceChange'),
      isCurrent: under('/mypatients/practice-change'),
    });
  }
  // Who can see the current patient's record (issue 11 §2); the page says when this person may not manage it.
  if (patient) {
    accountPages.push({ to: '/account/sharing', label: t('nav.sharing'), isCurrent: under('/account/sharing') });
    // Who has opened it (issue 11 §3): the patient's, and a full proxy's, reading of the audit trail.
    if (patient.access.preferences) {
      accountPages.push({ to: '/account/activity', label: t('nav.activity'), isCurrent: under('/account/activity') });
    }
  }
  // A parent asks the organization for access to a child's record (issue 11 §1); staff set family access up instead.
  if (!hasMemberships(user)) {
    accountPages.push({ to: '/account/request-access', label: t('nav.requestAccess'), isCurrent: under('/account/request-access') });
  }
  // Staff work: the registration desk's queue of parents' requests, beside the organization's settings.
  if (hasAbility(user, 'proxies.manage')) {
    accountPages.push({ to: '/proxy-console', label: t('nav.proxyConsole'), isCurrent: under('/proxy-console') });
  }
  // Organization settings sit with the account's pages, for those who may change them.
  if (hasAbility(user, 'organization.brand')) {
    accountPages.push({ to: '/admin/branding', label: t('nav.branding'), isCurrent: under('/admin/branding') });
  }
  if (hasAbility(user, 'organization.settings')) {
    accountPages.push({ to: '/admin/portal-rules', label: t('nav.portalRules'), isCurrent: under('/admin/portal-rules') });
  }
  sections.push({
    key: 'account',
    label: t('nav.account'),
    isCurrent: (p) => under('/account')(p) || under('/admin')(p),
    link: plainLink('/account/security', t('nav.account')),
    pages: accountPages,
  });
  return sections;
}
