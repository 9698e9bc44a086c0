import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { ConfirmEmailChangePage } from './pages/account/ConfirmEmailChangePage.tsx';
import { NotificationsPage } from './pages/account/NotificationsPage.tsx';
import { SecurityPage } from './pages/account/SecurityPage.tsx';
import { AppointmentConfirmedPage } from './pages/appointments/AppointmentConfirmedPage.tsx';
import { AppointmentDetailPage } from './pages/appointments/AppointmentDetailPage.tsx';
import { AppointmentsPage } from './pages/appointments/AppointmentsPage.tsx';
import { CheckInDonePage } from './pages/appointments/CheckInDonePage.tsx';
import { CheckInPage } from './pages/appointments/CheckInPage.tsx';
import { NewAppointmentPage } from './pages/appointments/NewAppointmentPage.tsx';
import { PatientAppointmentsLayout } from './pages/appointments/PatientAppointmentsLayout.tsx';
import { ReschedulePage } from './pages/appointments/ReschedulePage.tsx';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage.tsx';
import { SignInPage } from './pages/auth/SignInPage.tsx';
import { NotFoundPage } from './pages/errors/NotFoundPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { InboxPage } from './pages/inbox/InboxPage.tsx';
import { InboxThreadPage } from './pages/inbox/InboxThreadPage.tsx';
import { PoolPage } from './pages/inbox/PoolPage.tsx';
import { MessagesPage } from './pages/messages/MessagesPage.tsx';
import { NewMessagePage } from './pages/messages/NewMessagePage.tsx';
import { NewRefillPage } from './pages/messages/NewRefillPage.tsx';
import { PatientMessagesLayout } from './pages/messages/PatientMessagesLayout.tsx';
import { RefillsPage } from './pages/messages/RefillsPage.tsx';
import { ThreadPage } from './pages/messages/ThreadPage.tsx';
import { ChartClinicalPages, ChartLayout } from './pages/record/ChartLayout.tsx';
import { DownloadPage } from './pages/record/DownloadPage.tsx';
import { HealthSummaryPage } from './pages/record/HealthSummaryPage.tsx';
import { PatientRecordLayout } from './pages/record/PatientRecordLayout.tsx';
import { PrintPage } from './pages/record/PrintPage.tsx';
import { ResultDetailPage } from './pages/record/ResultDetailPage.tsx';
import { ResultsPage } from './pages/record/ResultsPage.tsx';
import { VisitDetailPage } from './pages/record/VisitDetailPage.tsx';
import { VisitsPage } from './pages/record/VisitsPage.tsx';
import { ScheduleSetupPage } from './pages/schedule/ScheduleSetupPage.tsx';
import { SchedulePage } from './pages/schedule/SchedulePage.tsx';
import { SignUpPage } from './pages/signup/SignUpPage.tsx';
import { VerifyEmailPage } from './pages/signup/VerifyEmailPage.tsx';

/**
 * Every page of the web app, in one place. No route carries patient data in its path or query: the record's
 * routes hold only opaque ids (a patient's own id comes from the session; staff charts carry the patient's UUID).
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route
          index
          element={
            <RequireAuth>
              <HomePage />
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
          path="messages"
          element={
            <RequireAuth>
              <PatientMessagesLayout />
            </RequireAuth>
          }
        >
          <Route index element={<MessagesPage />} />
          <Route path="new" element={<NewMessagePage />} />
          <Route path="refills" element={<RefillsPage />} />
          <Route path="refills/new" element={<NewRefillPage />} />
          <Route path=":threadId" element={<ThreadPage />} />
        </Route>
        <Route
          path="appointments"
          element={
            <RequireAuth>
              <PatientAppointmentsLayout />
            </RequireAuth>
          }
        >
          <Route index element={<AppointmentsPage />} />
          <Route path="new" element={<NewAppointmentPage />} />
          <Route path=":appointmentId" element={<AppointmentDetailPage />} />
          <Route path=":appointmentId/confirmed" element={<AppointmentConfirmedPage />} />
          <Route path=":appointmentId/reschedule" element={<ReschedulePage />} />
          <Route path=":appointmentId/check-in" element={<CheckInPage />} />
          <Route path=":appointmentId/check-in/done" element={<CheckInDonePage />} />
        </Route>
        <Route
          path="record"
          element={
            <RequireAuth>
              <PatientRecordLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HealthSummaryPage />} />
          <Route path="visits" element={<VisitsPage />} />
          <Route path="visits/:visitId" element={<VisitDetailPage />} />
          <Route path="results" element={<ResultsPage />} />
          <Route path="results/:resultId" element={<ResultDetailPage />} />
          <Route path="download" element={<DownloadPage />} />
          <Route path="print" element={<PrintPage />} />
        </Route>
        <Route
          path="patients/:patientId/chart"
          element={
            <RequireAuth>
              <ChartLayout />
            </RequireAuth>
          }
        >
          <Route index element={<HealthSummaryPage />} />
          <Route element={<ChartClinicalPages />}>
            <Route path="visits" element={<VisitsPage />} />
            <Route path="visits/:visitId" element={<VisitDetailPage />} />
            <Route path="results" element={<ResultsPage />} />
            <Route path="results/:resultId" element={<ResultDetailPage />} />
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
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="sign-up" element={<SignUpPage />} />
        <Route path="verify-email" element={<VerifyEmailPage />} />
        <Route path="confirm-email-change" element={<ConfirmEmailChangePage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
