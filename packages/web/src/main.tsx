import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client.ts';
import { AppRoutes } from './AppRoutes.tsx';
import { BrandingProvider } from './branding/BrandingProvider.tsx';
import { I18nProvider } from './i18n/I18nProvider.tsx';
import { SessionLocale } from './i18n/SessionLocale.tsx';
import { ActingForProvider } from './session/ActingForProvider.tsx';
import { SessionProvider } from './session/SessionProvider.tsx';
import './styles/base.css';
import './styles/forms.css';
import './styles/content.css';
import './styles/record.css';
import './styles/messages.css';
import './styles/inbox.css';
import './styles/appointments.css';
import './styles/schedule.css';
import './styles/sharing.css';
import './styles/responsive.css';
import './styles/print.css';
import './styles/branding.css';

/**
 * The query cache lives in memory only (no persister): patient data never reaches browser storage.
 * No refetch on window focus: focus is not activity, and refetching would keep an idle session alive.
 */
const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
      retry: (failures, error) => failures < 1 && error instanceof ApiError && error.code === 'network_error',
    },
    mutations: { retry: false },
  },
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrandingProvider />
      {/* Navigation updates synchronously, so ending a session moves to sign-in in the same render that drops the data. */}
      <BrowserRouter useTransitions={false}>
        <I18nProvider>
          <SessionProvider>
            <ActingForProvider>
              <SessionLocale>
                {/* The shell waits here for a catalogue area it needs (i18n/catalogues.ts); pages wait in RouteSuspense. */}
                <Suspense fallback={null}>
                  <AppRoutes />
                </Suspense>
              </SessionLocale>
            </ActingForProvider>
          </SessionProvider>
        </I18nProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
