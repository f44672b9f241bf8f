import { confirmSignUp, resendSignUpCode } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { FormMessages } from '../components/FormMessages.tsx';
import { messageOf } from '../errors.ts';
import { navigate, useLocation } from '../router.tsx';

export function ConfirmationPage() {
  const params = useLocation().searchParams;
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(
    params.has('unconfirmed') ? 'Your account is not confirmed yet: enter the code we emailed you, or ask for a new one.' : '',
  );

  const resend = async () => {
    setError('');
    setNotice('');
    if (!email) {
      setError('Enter your email to get a new activation code.');
      return;
    }
    try {
      await resendSignUpCode({ username: email });
      setNotice('A new activation code has been sent to your email.');
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    setNotice('');
    try {
      await confirmSignUp({ username: email, confirmationCode: code.trim() });
      navigate(`/signin?email=${encodeURIComponent(email)}&confirmed=1`);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <article className="auth-card">
      <h1>Confirm your Email</h1>
      <form onSubmit={onSubmit}>
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          Confirmation Code
          <input name="code" value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" />
        </label>
        <FormMessages error={error} notice={notice} />
        <button type="submit">Confirm Email</button>
      </form>
      <p className="muted">
        Didn't receive a code?{' '}
        <button type="button" className="link" onClick={resend}>
          Resend activation code
        </button>
      </p>
    </article>
  );
}
