import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onUnauthorized } from '../api/client';
import type { Me, Permission, User } from '../api/types';
import { changeLocale, currentLocale, isLocale, type Locale } from '../i18n';

export const ME_KEY = ['me'] as const;

interface Session {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  user: User | null;
  can(permission: Permission): boolean;
  /** Records the account returned by setup or login. */
  signedIn(me: Me): void;
  signOut(): Promise<void>;
  /** Switches the language; saved on the account when signed in, on this browser always. */
  setLocale(locale: Locale): Promise<void>;
  /** Why the last session ended under our feet (an error code such as session_expired), for the login page. */
  signedOutReason: string | null;
}

const SessionContext = createContext<Session | null>(null);

async function fetchMe(): Promise<Me | null> {
  try {
    return await api<Me>('/auth/me', { quiet401: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: 1 });
  const me = query.data;
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);

  // Any 401 means the session is gone: forget the account (the routes then show /login) and every cached page.
  useEffect(() => {
    onUnauthorized((code) => {
      if (queryClient.getQueryData(ME_KEY)) setSignedOutReason(code);
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    });
    return () => onUnauthorized(null);
  }, [queryClient]);

  // The account's language wins once signed in.
  useEffect(() => {
    const wanted = me?.user.locale;
    if (isLocale(wanted) && wanted !== currentLocale()) void changeLocale(wanted);
  }, [me?.user.locale]);

  const signedIn = useCallback(
    (value: Me) => {
      setSignedOutReason(null);
      queryClient.setQueryData(ME_KEY, value);
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', quiet401: true });
    } finally {
      queryClient.setQueryData(ME_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    }
  }, [queryClient]);

  const setLocale = useCallback(
    async (locale: Locale) => {
      await changeLocale(locale);
      const current = queryClient.getQueryData<Me | null>(ME_KEY);
      if (current && current.user.locale !== locale) {
        const user = await api<User>('/auth/me', { method: 'PATCH', body: { locale } });
        queryClient.setQueryData<Me | null>(ME_KEY, (old) => (old ? { ...old, user } : old));
      }
    },
    [queryClient],
  );

  const value = useMemo<Session>(
    () => ({
      me: query.isPending ? undefined : (me ?? null),
      user: me?.user ?? null,
      can: (permission) => me?.permissions.includes(permission) ?? false,
      signedIn,
      signOut,
      setLocale,
      signedOutReason,
    }),
    [me, query.isPending, signedIn, signOut, setLocale, signedOutReason],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
