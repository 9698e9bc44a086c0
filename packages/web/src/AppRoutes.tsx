import { Route, Routes } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { RequireAuth } from './components/RequireAuth.tsx';
import { ConfirmEmailChangePage } from './pages/account/ConfirmEmailChangePage.tsx';
import { SecurityPage } from './pages/account/SecurityPage.tsx';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage.tsx';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage.tsx';
import { SignInPage } from './pages/auth/SignInPage.tsx';
import { NotFoundPage } from './pages/errors/NotFoundPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { SignUpPage } from './pages/signup/SignUpPage.tsx';
import { VerifyEmailPage } from './pages/signup/VerifyEmailPage.tsx';

/** Every page of the web app, in one place. No route carries patient data in its path or query. */
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
