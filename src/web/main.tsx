import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@mantine/core/styles.css';
import './app/global.css';
import { Providers, queryClient } from './app/providers.tsx';
import { AppRoutes, preloadScreen } from './app/routes.tsx';
import { meQuery } from './app/auth.tsx';
import { administrationsQuery } from './app/admin.tsx';

// Before the first render, side by side: the code of the screen of this address, who is logged in,
// and (once that is known) the administrations for the switcher — rather than one after the other
// as the components would ask for them.
preloadScreen(window.location.pathname);
if (!['/login', '/setup', '/reset'].includes(window.location.pathname)) {
  void queryClient.fetchQuery(meQuery).then((me) => (me?.user ? queryClient.prefetchQuery(administrationsQuery) : undefined)).catch(() => { /* AuthGate shows it */ });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <AppRoutes />
    </Providers>
  </StrictMode>,
);
