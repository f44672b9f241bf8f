import { confirmResetPassword, resetPassword } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { FormMessages } from '../components/FormMessages.tsx';
import { messageOf } from '../errors.ts';
import { Link, useLocation } from '../router.tsx';

type Step = 'send_code' | 'confirm_code' | 'success';

export function RecoverPage() {
  const params = useLocation().searchParams;
  const [step, setStep] = useState<Step>('send_code');
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [passwordAgain, setPasswordAgain] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');

  const sendCode = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      // ForgotPassword: the pool recovers by verified email only.
      const { nextStep } = await resetPassword({ username: email });
      const to = nextStep.codeDeliveryDetails?.destination;
      setNotice(to ? `We sent a recovery code to ${to}.` : 'We sent you a recovery code.');
      setStep('confirm_code');
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const confirmCode = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    if (password !== passwordAgain) {
      setError('Passwords do not match');
      return;
    }
    try {
      await confirmResetPassword({ username: email, confirmationCode: code.trim(), newPassword: password });
      setStep('success');
    } catch (err) {
      setError(messageOf(err));
    }
  };

  if (step === 'success')
    return (
      <article className="auth-card">
        <h1>Recover your Password</h1>
        <div className="stack">
          <p className="notice">Your password has been successfully reset!</p>
          <Link to={`/signin?email=${encodeURIComponent(email)}`} className="action">
            Proceed to Sign In
          </Link>
        </div>
      </article>
    );

  return (
    <article className="auth-card">
      <h1>Recover your Password</h1>
      {step === 'send_code' ? (
        <form onSubmit={sendCode}>
          <label>
            Email
            <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
          </label>
          <FormMessages error={error} />
          <button type="submit">Send Recovery Code</button>
        </form>
      ) : (
        <form onSubmit={confirmCode}>
          <label>
            Reset Password Code
            <input name="code" value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" />
          </label>
          <label>
            New Password
            <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
          </label>
          <label>
            Confirm Password
            <input name="passwordAgain" type="password" value={passwordAgain} onChange={(e) => setPasswordAgain(e.target.value)} autoComplete="new-password" />
          </label>
          <FormMessages error={error} notice={notice} />
          <button type="submit">Reset Password</button>
        </form>
      )}
      <p className="muted">
        <Link to="/signin">Back to Sign In</Link>
      </p>
    </article>
  );
}
