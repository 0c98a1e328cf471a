import type { ApiError } from '@novapos/api-client';
import { useState, type SyntheticEvent } from 'react';
import { signIn } from '../../api/auth.ts';
import { loadSigned, type Signed } from '../../app/session-context.tsx';
import { ErrorNotice, Field, Notice, useAction } from '../../app/ui.tsx';

/** Sign-in with e-mail and password. A session that ended on its own says why. */
export function SignInPage(props: { reason?: ApiError | undefined; onSignedIn: (signed: Signed) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await signIn(email.trim(), password);
      props.onSignedIn(await loadSigned());
    });
  };

  return (
    <main className="signin">
      <form className="card stack" onSubmit={submit} aria-label="Sign in">
        <div>
          <h1>NovaPOS back office</h1>
          <p className="muted" style={{ margin: 0 }}>
            Sign in with your e-mail and password.
          </p>
        </div>
        {props.reason !== undefined && action.error === undefined && (
          <Notice kind="info">{props.reason.message}</Notice>
        )}
        <ErrorNotice error={action.error} />
        <Field label="E-mail">
          <input
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button
          type="submit"
          className="btn primary"
          disabled={action.busy}
          style={{ justifyContent: 'center', width: '100%' }}
        >
          {action.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
