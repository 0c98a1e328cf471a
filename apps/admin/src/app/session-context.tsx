import { ApiError } from '@novapos/api-client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { signOut, whoAmI, type Me } from '../api/auth.ts';
import { endSession, onSessionEnd, readTokens } from '../api/session.ts';
import { tenantSettings, type TenantSettings } from '../api/tax.ts';
import { allowed, type Permission } from './permissions.ts';

/** Who is signed in, and the shop settings every page formats money with. */
export interface Signed {
  readonly me: Me;
  readonly settings: TenantSettings;
}

/** Reads who the stored session belongs to and their shop's settings. */
export async function loadSigned(): Promise<Signed> {
  const me = await whoAmI();
  if (me.tenant_id === null) {
    // A platform operator belongs to no shop: there is no back office to show them.
    const error = new ApiError({
      code: 'forbidden',
      status: 403,
      detail: 'The back office is for the staff of a shop; platform operators use the API.',
    });
    endSession(error);
    throw error;
  }
  return { me, settings: await tenantSettings() };
}

export interface SessionState {
  readonly me: Me;
  /** The shop's currency (ISO 4217): every amount is in its minor units. */
  readonly currency: string;
  readonly can: (permission: Permission) => boolean;
  readonly signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** The signed-in person; only pages inside the signed-in shell call it. */
export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (session === undefined) throw new Error('useSession outside a signed-in session');
  return session;
}

export type SessionStatus =
  | { readonly kind: 'checking' }
  | { readonly kind: 'signed_out'; readonly reason?: ApiError | undefined }
  | { readonly kind: 'signed_in'; readonly signed: Signed };

/**
 * Keeps who is signed in: asks /v1/me when the app opens with a stored session, and drops back to the sign-in page
 * when the session ends (sign-out, here or in another tab, or a session the server no longer accepts).
 */
export function useSessionStatus(): [SessionStatus, (signed: Signed) => void] {
  const [status, setStatus] = useState<SessionStatus>(() =>
    readTokens() === undefined ? { kind: 'signed_out' } : { kind: 'checking' },
  );
  useEffect(() => onSessionEnd((reason) => setStatus({ kind: 'signed_out', reason })), []);
  useEffect(() => {
    if (status.kind !== 'checking') return;
    loadSigned().then(
      (signed) => setStatus({ kind: 'signed_in', signed }),
      (reason: unknown) => setStatus({ kind: 'signed_out', reason: reason as ApiError }),
    );
  }, [status.kind]);
  return [status, (signed) => setStatus({ kind: 'signed_in', signed })];
}

export function SessionProvider(props: { signed: Signed; children: ReactNode }) {
  const { me, settings } = props.signed;
  const value: SessionState = {
    me,
    currency: settings.currency,
    can: (permission) => allowed(me.roles, permission),
    signOut,
  };
  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}
