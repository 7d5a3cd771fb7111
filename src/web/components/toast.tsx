/** Small notices at the bottom right ("Booked", "Saved"), announced to screen readers. */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Notification, Stack } from '@mantine/core';

type Toast = { id: number; message: string; color: string; title?: string };
const Ctx = createContext<(t: Omit<Toast, 'id'>) => void>(() => {});
let seq = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const push = useCallback((t: Omit<Toast, 'id'>) => {
    const id = ++seq;
    setToasts((ts) => [...ts.slice(-3), { ...t, id }]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== id)), t.color === 'red' ? 8000 : 3500);
  }, []);
  return (
    <Ctx.Provider value={push}>
      {children}
      <Stack gap="xs" style={{ position: 'fixed', right: 20, bottom: 20, zIndex: 400, width: 360 }} aria-live="polite" role="status">
        {toasts.map((t) => (
          <Notification key={t.id} color={t.color} title={t.title} withBorder style={{ boxShadow: "var(--mantine-shadow-md)" }} onClose={() => setToasts((ts) => ts.filter((x) => x.id !== t.id))}>
            {t.message}
          </Notification>
        ))}
      </Stack>
    </Ctx.Provider>
  );
}

export function useToast() {
  const push = useContext(Ctx);
  return {
    ok: (message: string) => push({ message, color: 'teal' }),
    error: (message: string, title?: string) => push({ message, color: 'red', title }),
  };
}
