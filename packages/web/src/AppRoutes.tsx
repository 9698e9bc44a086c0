import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { RouteSuspense } from './components/RouteSuspense.tsx';
import { loadAreas, type Area } from './i18n/catalogues.ts';
import { SignInPage } from './pages/auth/SignInPage.tsx';
import { hasAbility, hasMemberships } from './session/abilities.ts';
import { useSignedInUser } from './session/session-context.ts';

/** When a chunk last failed to load and the page was reloaded for it (sessionStorage: a time, nothing about anyone). */
const reloadedAtKey = 'portico.chunkReloadedAt';

/**
 * A page's chunk did not load: most likely a new release replaced the files this tab started with, and only a fresh
 * index.html names the new ones. Reloads the page (at most once a minute, so a broken release cannot loop) and keeps the
 * fallback up meanwhile; otherwise the error stands.
 */
function reloadForNewRelease(error: unknown): Promise<never> {
  try {
    const last = Number(sessionStorage.getItem(reloadedAtKey) ?? 0);
    if (Date.now() - last > 60_000) {
      sessionStorage.setItem(reloadedAtKey, String(Date.now()));
      window.location.reload();
      return new Promise<never>(() => {});
    }
  } catch {
    // No storage: no way to tell a loop from a release, so no reload.
  }
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}

/**
 * A page loaded on first use, `lazyPage(() => import('./pages/x/X.tsx').then((m) => m.X), ['record'])`: the build gives
 * each `import()` its own chunk, and what chunks share goes into chunks of its own, so a page loads only what it uses.
 * The catalogue areas its words come from (beyond the shell's) load beside it, in the page's language; an area a page
 * names without listing it still loads when first used (catalogues.ts), one step later.
 */
function lazyPage(load: () => Promise<ComponentType>, areas: readonly Area[] = []): LazyExoticComponent<ComponentType> {
  return lazy(() => Promise.all([load(), loadAreas(areas)]).then(([Page]) => ({ default: Page }), reloadForNewRelease));
}

// Sign-in (the eager SignInPage above) and the pages reached without an account.
const SignUpPage = lazyPage(() => import('./pages/signup/SignUpPage.tsx').then((m) => m.SignUpPage));
const VerifyEmailPage = lazyPage(() => import('./pages/signup/VerifyEmailPage.tsx').then((m) => m.VerifyEmailPage));
const ConfirmEmailChangePage = lazyPage(
  () => import('./pages/account/ConfirmEmailChangePage.tsx').then((m) => m.ConfirmEmailChangePage),
  ['account'],
);
const ForgotPasswordPage = lazyPage(() => import('./pages/auth/ForgotPasswordPage.tsx').then((m) => m.ForgotPasswordPage));
const ResetPasswordPage = lazyPage(() => import('./pages/auth/ResetPasswordPage.tsx').then((m) => m.ResetPasswordPage));
const NotFoundPage = lazyPage(() => import('./pages/errors/NotFoundPage.tsx').then((m) => m.NotFoundPage));

// Every signed-in face: the account pages.
const SecurityPage = lazyPage(() => import('./pages/account/SecurityPage.tsx').then((m) => m.SecurityPage), ['account']);
const NotificationsPage = lazyPage(
  () => import('./pages/account/NotificationsPage.tsx').then((m) => m.NotificationsPage),
  ['account', 'record'],
);
const DisplayPage = lazyPage(() => import('./pages/account/DisplayPage.tsx').then((m) => m.DisplayPage), ['account']);
const SharingPage = lazyPage(() => import('./pages/account/SharingPage.tsx').then((m) => m.SharingPage), ['sharing', 'share', 'careteam']);
const SharedRecordPage = lazyPage(() => import('./pages/share/SharedRecordPage.tsx').then((m) => m.SharedRecordPage), ['share', 'record']);
const ActivityPage = lazyPage(() => import('./pages/activity/ActivityPage.tsx').then((m) => m.ActivityPage), ['activity']);
// Reached from an invitation email, signed in or not (it asks a signed-out invitee to sign in first).
const ProxyInvitationPage = lazyPage(
  () => import('./pages/account/ProxyInvitationPage.tsx').then((m) => m.ProxyInvitationPage),
  ['sharing'],
);

// The patient face: home, own record, messages, appointments. The record pages serve the staff chart too.
const PatientHomePage = lazyPage(() => import('./pages/home/PatientHomePage.tsx').then((m) => m.PatientHomePage), ['home']);
const PatientRecordLayout = lazyPage(() => import('./pages/record/PatientRecordLayout.tsx').then((m) => m.PatientRecordLayout), ['record']);
const HealthSummaryPage = lazyPage(() => import('./pages/record/HealthSummaryPage.tsx').then((m) => m.HealthSummaryPage), ['record']);
const VisitsPage = lazyPage(() => import('./pages/record/VisitsPage.tsx').then((m) => m.VisitsPage), ['record']);
const VisitDetailPage = lazyPage(() => import('./pages/record/VisitDetailPage.tsx').then((m) => m.VisitDetailPage), ['record']);
const ResultsPage = lazyPage(() => import('./pages/record/ResultsPage.tsx').then((m) => m.ResultsPage), ['record']);
const ResultDetailPage = lazyPage(() => import('./pages/record/ResultDetailPage.tsx').then((m) => m.ResultDetailPage), ['record']);
const DownloadPage = lazyPage(() => import('./pages/record/DownloadPage.tsx').then((m) => m.DownloadPage), ['record']);
const PrintPage = lazyPage(() => import('./pages/record/PrintPage.tsx').then((m) => m.PrintPage), ['record']);
const PatientMessagesLayout = lazyPage(
  () => import('./pages/messages/PatientMessagesLayout.tsx').then((m) => m.PatientMessagesLayout),
  ['messages'],
);
const MessagesPage = lazyPage(() => import('./pages/messages/MessagesPage.tsx').then((m) => m.MessagesPage), ['messages', 'record']);
const NewMessagePage = lazyPage(() => import('./pages/messages/NewMessagePage.tsx').then((m) => m.NewMessagePage), ['messages', 'record']);
const RefillsPage = lazyPage(() => import('./pages/messages/RefillsPage.tsx').then((m) => m.RefillsPage), ['messages', 'record']);
const NewRefillPage = lazyPage(() => import('./pages/messages/NewRefillPage.tsx').then((m) => m.NewRefillPage), ['messages', 'record']);
const ThreadPage = lazyPage(() => import('./pages/messages/ThreadPage.tsx').then((m) => m.ThreadPage), ['messages', 'record']);
const PatientAppointmentsLayout = lazyPage(
  () => import('./pages/appointments/PatientAppointmentsLayout.tsx').then((m) => m.PatientAppointmentsLayout),
  ['appointments'],
);
const AppointmentsPage = lazyPage(
  () => import('./pages/appointments/AppointmentsPage.tsx').then((m) => m.AppointmentsPage),
  ['appointments', 'record'],
);
const NewAppointmentPage = lazyPage(
  () => import('./pages/appointments/NewAppointmentPage.tsx').then((m) => m.NewAppointmentPage),
  ['appointments', 'record'],
);
const AppointmentDetailPage = lazyPage(
  () => import('./pages/appointments/AppointmentDetailPage.tsx').then((m) => m.AppointmentDetailPage),
  ['appointments', 'record'],
);
const AppointmentConfirmedPage = lazyPage(
  () => import('./pages/appointments/AppointmentConfirmedPage.tsx').then((m) => m.AppointmentConfirmedPage),
  ['appointments', 'record'],
);
const ReschedulePage = lazyPage(
  () => import('./pages/appointments/ReschedulePage.tsx').then((m) => m.ReschedulePage),
  ['appointments', 'record'],
);
const CheckInPage = lazyPage(
  () => import('./pages/appointments/CheckInPage.tsx').then((m) => m.CheckInPage),
  ['appointments', 'record', 'careteam'],
);
const CheckInDonePage = lazyPage(() => import('./pages/appointments/CheckInDonePage.tsx').then((m) => m.CheckInDonePage), ['appointments']);

// The staff face: staff home (patient search), chart, inbox, schedule and its setup. A patient never loads these.
const StaffHomePage = lazyPage(
  () => import('./pages/home/StaffHomePage.tsx').then((m) => m.StaffHomePage),
  ['home', 'inbox', 'messages', 'record'],
);
const ChartLayout = lazyPage(
  () => import('./pages/record/ChartLayout.tsx').then((m) => m.ChartLayout),
  ['record', 'mypatients', 'careteam'],
);
// A staff chart's care team of outside providers, and tokens for them (issue 12 §2).
const ChartCareTeamManagePage = lazyPage(
  () => import('./pages/care-team/ChartCareTeamManagePage.tsx').then((m) => m.ChartCareTeamManagePage),
  ['careteam'],
);
const ChartClinicalPages = lazyPage(() => import('./pages/record/ChartLayout.tsx').then((m) => m.ChartClinicalPages), ['record']);
const InboxPage = lazyPage(() => import('./pages/inbox/InboxPage.tsx').then((m) => m.InboxPage), ['inbox', 'record']);
const PoolPage = lazyPage(() => import('./pages/inbox/PoolPage.tsx').then((m) => m.PoolPage), ['inbox', 'messages', 'record']);
const InboxThreadPage = lazyPage(
  () => import('./pages/inbox/InboxThreadPage.tsx').then((m) => m.InboxThreadPage),
  ['inbox', 'messages', 'record'],
);
const SchedulePage = lazyPage(() => import('./pages/schedule/SchedulePage.tsx').then((m) => m.SchedulePage), ['record', 'schedule']);
const ScheduleSetupPage = lazyPage(
  () => import('./pages/schedule/ScheduleSetupPage.tsx').then((m) => m.ScheduleSetupPage),
  ['record', 'schedule'],
);

// The administrator's pages.
const ProxyConsolePage = lazyPage(() => import('./pages/proxy-console/ProxyConsolePage.tsx').then((m) => m.ProxyConsolePage), ['proxies']);
const RequestAccessPage = lazyPage(
  () => import('./pages/proxy-console/RequestAccessPage.tsx').then((m) => m.RequestAccessPage),
  ['proxies'],
);
const ChartFamilyAccessPage = lazyPage(
  () => import('./pages/proxy-console/ChartFamilyAccessPage.tsx').then((m) => m.ChartFamilyAccessPage),
  ['proxies'],
);
const ProviderRegistrationPage = lazyPage(
  () => import('./pages/providers/ProviderRegistrationPage.tsx').then((m) => m.ProviderRegistrationPage),
  ['providers'],
);
const ProviderActivationPage = lazyPage(
  () => import('./pages/providers/ProviderActivationPage.tsx').then((m) => m.ProviderActivationPage),
  ['providers'],
);
const SupportRegistrationsPage = lazyPage(
  () => import('./pages/providers/SupportRegistrationsPage.tsx').then((m) => m.SupportRegistrationsPage),
  ['providers'],
);
// The support console's queues and the practice member's side of them (issue 12 §1, §3).
const SupportConsolePage = lazyPage(() => import('./pages/support/SupportConsolePage.tsx').then((m) => m.SupportConsolePage), ['support']);
const ReportProblemPage = lazyPage(() => import('./pages/support/ReportProblemPage.tsx').then((m) => m.ReportProblemPage), ['support']);
const PracticeChangePage = lazyPage(() => import('./pages/support/PracticeChangePage.tsx').then((m) => m.PracticeChangePage), ['support']);
// Sponsored users and their twice-yearly validation (issue 12 §1), and the support team's account help.
const SponsoredUsersPage = lazyPage(
  () => import('./pages/sponsors/SponsoredUsersPage.tsx').then((m) => m.SponsoredUsersPage),
  ['sponsors'],
);
const SponsorValidationPage = lazyPage(
  () => import('./pages/sponsors/SponsorValidationPage.tsx').then((m) => m.SponsorValidationPage),
  ['sponsors'],
);
const SupportAccountsPage = lazyPage(
  () => import('./pages/sponsors/SupportAccountsPage.tsx').then((m) => m.SupportAccountsPage),
  ['sponsors'],
);
// The community-provider portal (issue 12 §2): patient selection, token validation, the chart's appointments and care team.
const ProviderHomePage = lazyPage(
  () => import('./pages/mypatients/ProviderHomePage.tsx').then((m) => m.ProviderHomePage),
  ['mypatients', 'proxies'],
);
const ValidateTokenPage = lazyPage(
  () => import('./pages/mypatients/ValidateTokenPage.tsx').then((m) => m.ValidateTokenPage),
  ['mypatients'],
);
const ChartAppointmentsPage = lazyPage(
  () => import('./pages/mypatients/ChartAppointmentsPage.tsx').then((m) => m.ChartAppointmentsPage),
  ['mypatients', 'record'],
);
const ChartCareTeamPage = lazyPage(
  () => import('./pages/mypatients/ChartCareTeamPage.tsx').then((m) => m.ChartCareTeamPage),
  ['mypatients', 'record'],
);
const BrandingPage = lazyPage(() => import('./pages/admin/BrandingPage.tsx').then((m) => m.BrandingPage), ['admin', 'record']);
const PortalRulesPage = lazyPage(() => import('./pages/admin/PortalRulesPage.tsx').then((m) => m.PortalRulesPage), ['admin', 'record']);

/**
 * `/`: anyone with a membership gets the staff home (which links to their own record when they also have one); anyone
 * else gets the patient home with their own summary. Chosen here so that each face loads only its own home.
 */
function Home() {
  const user = useSignedInUser();
  // An outside provider or their practice staff, without staff search, gets MyPatients' patient selection (issue 12 §2).
  if (hasAbility(user, 'practice.patients') && !hasAbility(user, 'patients.search')) return <ProviderHomePage />;
  return hasMemberships(user) ? <StaffHomePage /> : <PatientHomePage />;
}

/**
 * Every page of the web app, in one place. No route carries patient data in its path or query: the record's
 * routes hold only opaque ids (a patient's own id comes from the session; staff charts carry the patient's UUID).
 *
 * The shell (Layout, RequireAuth) and the sign-in page come with the app; every other page is loaded on first use.
 * RouteSuspense keeps the page frame, and a section's frame (record, messages, appointments, chart), in place while
 * a page's code loads.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route element={<RouteSuspense />}>
          <Route
            index
            element={
              <RequireAuth>
                <Home />
              </RequireAuth>
            }
          />
          <Route
            path="account/security"
            element={
              <RequireAuth>
                <SecurityPage />
              </RequireAuth>
            }
          />
          <Route
            path="account/notifications"
            element={
              <RequireAuth>
                <NotificationsPage />
              </RequireAuth>
            }
          />
          <Route
            path="account/display"
            element={
              <RequireAuth>
                <DisplayPage />
              </RequireAuth>
            }
          />
          <Route
            path="account/activity"
            element={
              <RequireAuth>
                <ActivityPage />
              </RequireAuth>
            }
          />
          <Route
            path="account/request-access"
            element={
              <RequireAuth>
                <RequestAccessPage />
              </RequireAuth>
            }
          />
          <Route
            path="proxy-console"
            element={
              <RequireAuth>
                <ProxyConsolePage />
              </RequireAuth>
            }
          />
          <Route
            path="account/sharing"
            element={
              <RequireAuth>
                <SharingPage />
              </RequireAuth>
            }
          />
          <Route
            path="messages"
            element={
              <RequireAuth>
                <PatientMessagesLayout />
              </RequireAuth>
            }
          >
            <Route element={<RouteSuspense />}>
              <Route index element={<MessagesPage />} />
              <Route path="new" element={<NewMessagePage />} />
              <Route path="refills" element={<RefillsPage />} />
              <Route path="refills/new" element={<NewRefillPage />} />
              <Route path=":threadId" element={<ThreadPage />} />
            </Route>
          </Route>
          <Route
            path="appointments"
            element={
              <RequireAuth>
                <PatientAppointmentsLayout />
              </RequireAuth>
            }
          >
            <Route element={<RouteSuspense />}>
              <Route index element={<AppointmentsPage />} />
              <Route path="new" element={<NewAppointmentPage />} />
              <Route path=":appointmentId" element={<AppointmentDetailPage />} />
              <Route path=":appointmentId/confirmed" element={<AppointmentConfirmedPage />} />
              <Route path=":appointmentId/reschedule" element={<ReschedulePage />} />
              <Route path=":appointmentId/check-in" element={<CheckInPage />} />
              <Route path=":appointmentId/check-in/done" element={<CheckInDonePage />} />
            </Route>
          </Route>
          <Route
            path="record"
            element={
              <RequireAuth>
                <PatientRecordLayout />
              </RequireAuth>
            }
          >
            <Route element={<RouteSuspense />}>
              <Route index element={<HealthSummaryPage />} />
              <Route path="visits" element={<VisitsPage />} />
              <Route path="visits/:visitId" element={<VisitDetailPage />} />
              <Route path="results" element={<ResultsPage />} />
              <Route path="results/:resultId" element={<ResultDetailPage />} />
              <Route path="download" element={<DownloadPage />} />
              <Route path="print" element={<PrintPage />} />
            </Route>
          </Route>
          <Route
            path="patients/:patientId/chart"
            element={
              <RequireAuth>
                <ChartLayout />
              </RequireAuth>
            }
          >
            <Route element={<RouteSuspense />}>
              <Route index element={<HealthSummaryPage />} />
              <Route path="family" element={<ChartFamilyAccessPage />} />
              <Route path="outside-care-team" element={<ChartCareTeamManagePage />} />
              <Route path="appointments" element={<ChartAppointmentsPage />} />
              <Route path="care-team" element={<ChartCareTeamPage />} />
              <Route element={<ChartClinicalPages />}>
                <Route path="visits" element={<VisitsPage />} />
                <Route path="visits/:visitId" element={<VisitDetailPage />} />
                <Route path="results" element={<ResultsPage />} />
                <Route path="results/:resultId" element={<ResultDetailPage />} />
              </Route>
            </Route>
          </Route>
          <Route
            path="inbox"
            element={
              <RequireAuth>
                <InboxPage />
              </RequireAuth>
            }
          />
          <Route
            path="inbox/pools/:departmentId"
            element={
              <RequireAuth>
                <PoolPage />
              </RequireAuth>
            }
          />
          <Route
            path="inbox/threads/:threadId"
            element={
              <RequireAuth>
                <InboxThreadPage />
              </RequireAuth>
            }
          />
          <Route
            path="schedule"
            element={
              <RequireAuth>
                <SchedulePage />
              </RequireAuth>
            }
          />
          <Route
            path="schedule/setup"
            element={
              <RequireAuth>
                <ScheduleSetupPage />
              </RequireAuth>
            }
          />
          <Route
            path="admin/branding"
            element={
              <RequireAuth>
                <BrandingPage />
              </RequireAuth>
            }
          />
          <Route
            path="admin/portal-rules"
            element={
              <RequireAuth>
                <PortalRulesPage />
              </RequireAuth>
            }
          />
          <Route
            path="support"
            element={
              <RequireAuth>
                <SupportConsolePage />
              </RequireAuth>
            }
          />
          <Route
            path="support/report"
            element={
              <RequireAuth>
                <ReportProblemPage />
              </RequireAuth>
            }
          />
          <Route
            path="mypatients/practice-change"
            element={
              <RequireAuth>
                <PracticeChangePage />
              </RequireAuth>
            }
          />
          <Route
            path="mypatients/validate-token"
            element={
              <RequireAuth>
                <ValidateTokenPage />
              </RequireAuth>
            }
          />
          <Route
            path="support/registrations"
            element={
              <RequireAuth>
                <SupportRegistrationsPage />
              </RequireAuth>
            }
          />
          <Route
            path="support/accounts"
            element={
              <RequireAuth>
                <SupportAccountsPage />
              </RequireAuth>
            }
          />
          <Route
            path="sponsor/users"
            element={
              <RequireAuth>
                <SponsoredUsersPage />
              </RequireAuth>
            }
          />
          <Route
            path="sponsor/validation"
            element={
              <RequireAuth>
                <SponsorValidationPage />
              </RequireAuth>
            }
          />
          <Route path="register/provider" element={<ProviderRegistrationPage />} />
          <Route path="provider/activate" element={<ProviderActivationPage />} />
          <Route path="sign-in" element={<SignInPage />} />
          <Route path="sign-up" element={<SignUpPage />} />
          <Route path="verify-email" element={<VerifyEmailPage />} />
          <Route path="confirm-email-change" element={<ConfirmEmailChangePage />} />
          <Route path="forgot-password" element={<ForgotPasswordPage />} />
          <Route path="reset-password" element={<ResetPasswordPage />} />
          <Route path="proxy-invitation" element={<ProxyInvitationPage />} />
          <Route path="shared" element={<SharedRecordPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}
