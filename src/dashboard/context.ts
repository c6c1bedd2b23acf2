import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api';
import type { Session } from './session';

/** Built once by the shell after sign-in and passed down; no module-level singletons. */
export interface Ctx {
  api: Api;
  session: Session;
  toast: (message: string, kind?: ToastKind) => void;
}

export type ToastKind = 'info' | 'success' | 'error';

export const AppContext = createContext<Ctx | null>(null);

export function useCtx(): Ctx {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useCtx outside of <AppContext.Provider>');
  return ctx;
}
