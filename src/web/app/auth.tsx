/**
 * The place for login (the users issue). Today every request is allowed, so AuthGate renders its
 * children. When the API starts answering 401, api.ts calls the handler set here: the login issue
 * adds a /login route (pages/Login.tsx), a session query (`GET /api/session`), and redirects there.
 */
import { useEffect, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { setUnauthorizedHandler } from '../api.ts';

export function AuthGate({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      // no login screen yet: stay put; the login issue changes this to navigate('/login?next=…')
      void navigate;
    });
  }, [navigate]);
  return <>{children}</>;
}
