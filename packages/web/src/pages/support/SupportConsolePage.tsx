import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { MessageId } from '@portico/shared/i18n';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/i18n-context.ts';
import { hasAbility } from '../../session/abilities.ts';
import { useSignedInUser } from '../../session/session-context.ts';
import { NotFoundPage } from '../errors/NotFoundPage.tsx';
import { AuditReportSection } from './AuditReportSection.tsx';
import { ErrorReportsSection } from './ErrorReportsSection.tsx';
import { PracticeChangesSection } from './PracticeChangesSection.tsx';
import { RoutedRequestsSection } from './RoutedRequestsSection.tsx';
import './support.css';

/** A section of the console: its anchor, heading and body. */
function Section({ id, title, children }: { id: string; title: MessageId; children: ReactNode }) {
  const t = useT();
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t(title)}</h2>
      {children}
    </section>
  );
}

/**
 * `/support` (issue 12 §3): the support team's console. Registrations have their own page; here are PCP update
 * requests and non-PCP requests routed to support, practice changes and problem reports, each with its business-day
 * clock, and the audit report with its CSV. Each part shows only with its ability; anyone without one sees not-found.
 */
export function SupportConsolePage() {
  const t = useT();
  useDocumentTitle(t('support.title'));
  const user = useSignedInUser();
  const registrations = hasAbility(user, 'support.registrations');
  const requests = hasAbility(user, 'support.requests');
  const audit = hasAbility(user, 'support.audit');
  if (!registrations && !requests && !audit) return <NotFoundPage />;

  const sections: { id: string; title: MessageId; show: boolean }[] = [
    { id: 'support-registrations', title: 'support.section.registrations', show: registrations },
    { id: 'support-pcp', title: 'support.section.pcp', show: requests },
    { id: 'support-non-pcp', title: 'support.section.nonPcp', show: requests },
    { id: 'support-practice-changes', title: 'support.section.practiceChanges', show: requests },
    { id: 'support-error-reports', title: 'support.section.errorReports', show: requests },
    { id: 'support-audit', title: 'support.section.audit', show: audit },
  ];

  return (
    <div className="page">
      <h1>{t('support.title')}</h1>
      <p className="lede">{t('support.intro')}</p>
      <nav aria-label={t('support.sections')}>
        <ul>
          {sections
            .filter((s) => s.show)
            .map((s) => (
              <li key={s.id}>
                <a href={`#${s.id}-heading`}>{t(s.title)}</a>
              </li>
            ))}
        </ul>
      </nav>
      {registrations && (
        <Section id="support-registrations" title="support.section.registrations">
          <p>
            <Link to="/support/registrations">{t('support.registrations.link')}</Link>
          </p>
        </Section>
      )}
      {requests && (
        <>
          <Section id="support-pcp" title="support.section.pcp">
            <RoutedRequestsSection kind="pcp" />
          </Section>
          <Section id="support-non-pcp" title="support.section.nonPcp">
            <RoutedRequestsSection kind="non_pcp" />
          </Section>
          <Section id="support-practice-changes" title="support.section.practiceChanges">
            <PracticeChangesSection />
          </Section>
          <Section id="support-error-reports" title="support.section.errorReports">
            <ErrorReportsSection />
          </Section>
        </>
      )}
      {audit && (
        <Section id="support-audit" title="support.section.audit">
          <AuditReportSection />
        </Section>
      )}
    </div>
  );
}
