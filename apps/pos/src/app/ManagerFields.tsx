import { useState } from 'react';

/** A manager's e-mail and password, as device set-up and "Reset this till" ask for them. */
export function useManagerCredentials() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  return { email, password, setEmail, setPassword };
}

/** The two fields of a manager's sign-in on the till (the e-mail takes the focus). */
export function ManagerFields(props: ReturnType<typeof useManagerCredentials>) {
  return (
    <>
      <label>
        Manager e-mail
        <input type="email" value={props.email} onChange={(e) => props.setEmail(e.target.value)} autoFocus required />
      </label>
      <label>
        Password
        <input type="password" value={props.password} onChange={(e) => props.setPassword(e.target.value)} required />
      </label>
    </>
  );
}
