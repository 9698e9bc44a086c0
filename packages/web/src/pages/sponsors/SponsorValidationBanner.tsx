import { Suspense, useEffect } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { MeSponsorValidation } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatBirthDate } from '../../lib/format.ts';

const validationPath = '/sponsor/validation';

/** Where a locked sponsor may still go: the validation, and their own account's pages (security, display, sign-out). */
const stillOpen = (path: string) => path === validationPath || path.startsWith('/account/');

function Banner({ validation }: { validation: MeSponsorValidation }) {
  const t = useT();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  // A sponsor whose validation is past due reaches only the validation (issue 12 §1): every other page sends them there.
  useEffect(() => {
    if (validation.locked && !stillOpen(pathname)) void navigate(validationPath, { replace: true });
  }, [validation.locked, pathname, navigate]);

  return (
    <div className={`notice ${validation.locked ? 'notice--warning' : 'notice--info'} sponsor-banner`} role="status">
      <p>
        {validation.locked ? t('sponsors.banner.locked') : t('sponsors.banner.dueSoon', { date: formatBirthDate(validation.lastDay) })}
        {pathname !== validationPath && (
          <>
            {' '}
            <Link to={validationPath}>{t('sponsors.banner.link')}</Link>
          </>
        )}
      </p>
    </div>
  );
}

/**
 * The Sponsored User Validation's banner on every page of a sponsor with one open (GET /api/me): due soon, "complete it
 * by <day 30>"; past due, "your account and your sponsored users' accounts are locked", and only the validation opens.
 * Its texts' area loads on first use (Suspense), so nobody else downloads them.
 */
export function SponsorValidationBanner({ validation }: { validation: MeSponsorValidation | null | undefined }) {
  if (!validation) return null;
  return (
    <Suspense fallback={null}>
      <Banner validation={validation} />
    </Suspense>
  );
}
