// Who is signed in, for every component that cares (the sidebar, the feed).
// Amplify keeps the tokens in localStorage, so a reload finds the user again.
import { Hub } from 'aws-amplify/utils';
import { fetchUserAttributes, getCurrentUser } from 'aws-amplify/auth';
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';

export interface CruddurUser {
  display_name: string;
  handle: string;
  email: string;
}

export type AuthState = { status: 'loading' } | { status: 'signedOut' } | { status: 'signedIn'; user: CruddurUser };

interface AuthContextValue {
  state: AuthState;
  /** Re-reads the signed-in user: call after signing in or out. */
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

async function loadUser(): Promise<CruddurUser | null> {
  try {
    // Reads the stored tokens only; throws when there are none.
    await getCurrentUser();
  } catch {
    return null;
  }
  // GetUser with the access token: the seed's display name and handle are
  // the pool's required attributes name and preferred_username.
  const attributes = await fetchUserAttributes();
  return { display_name: attributes.name ?? '', handle: attributes.preferred_username ?? '', email: attributes.email ?? '' };
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  const refresh = useCallback(async () => {
    try {
      const user = await loadUser();
      setState(user ? { status: 'signedIn', user } : { status: 'signedOut' });
    } catch (err) {
      // Stored tokens Cognate no longer accepts (revoked by a global sign-out
      // elsewhere, or a reset database): treat the visitor as signed out.
      console.warn('Could not load the signed-in user:', err);
      setState({ status: 'signedOut' });
    }
  }, []);
  useEffect(() => {
    void refresh();
    // Back from the hosted page, Amplify exchanges the code in the background
    // (enable-oauth-listener) and says so on the Hub: read the user again then.
    return Hub.listen('auth', ({ payload }) => {
      if (payload.event === 'signInWithRedirect' || payload.event === 'signedOut') void refresh();
      // The reason only (an OAuth error such as invalid_grant), never the URL: it holds the code.
      else if (payload.event === 'signInWithRedirect_failure') console.warn('The hosted sign-in failed:', payload.data?.error?.message);
    });
  }, [refresh]);
  return <AuthContext.Provider value={{ state, refresh }}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
