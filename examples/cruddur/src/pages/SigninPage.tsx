import { signIn, signInWithRedirect } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { useAuth } from '../auth.tsx';
import { FormMessages } from '../components/FormMessages.tsx';
import { config } from '../config.ts';
import { messageOf, nameOf } from '../errors.ts';
import { Link, navigate, useLocation } from '../router.tsx';

export function SigninPage() {
  const params = useLocation().searchParams;
  const { refresh } = useAuth();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const notice = params.has('confirmed') ? 'Your email is confirmed. Sign in to continue.' : '';

  const toConfirmation = () => navigate(`/confirm?email=${encodeURIComponent(email)}&unconfirmed=1`);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      // Amplify's default flow: SRP (USER_SRP_AUTH, then PASSWORD_VERIFIER),
      // so the password itself never leaves the browser.
      const { isSignedIn, nextStep } = await signIn({ username: email, password });
      if (isSignedIn) {
        await refresh();
        navigate('/');
      } else if (nextStep.signInStep === 'CONFIRM_SIGN_UP') {
        // Amplify v6 turns UserNotConfirmedException into this step.
        toConfirmation();
      } else if (nextStep.signInStep === 'RESET_PASSWORD') {
        navigate(`/forgot?email=${encodeURIComponent(email)}`);
      } else {
        setError(`This account needs a sign-in step this app does not handle: ${nextStep.signInStep}`);
      }
    } catch (err) {
      // Older Amplify versions threw the exception instead (the seed's check).
      if (nameOf(err) === 'UserNotConfirmedException') toConfirmation();
      else setError(messageOf(err));
    }
  };

  const onHostedSignIn = async () => {
    setError('');
    try {
      // The authorization code flow with PKCE: Amplify sends the browser to
      // the pool's /oauth2/authorize (Cognate's sign-in page); back on '/',
      // enable-oauth-listener (main.tsx) exchanges the code for tokens.
      await signInWithRedirect();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <article className="auth-card">
      <h1>Sign into your Cruddur account</h1>
      <form onSubmit={onSubmit}>
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" />
        </label>
        <FormMessages error={error} notice={notice} />
        <button type="submit">Sign In</button>
      </form>
      {config.cognitoDomain ? (
        <button type="button" className="hosted" onClick={onHostedSignIn}>
          Sign in with the hosted page
        </button>
      ) : null}
      <p className="muted">
        <Link to={`/forgot${email ? `?email=${encodeURIComponent(email)}` : ''}`}>Forgot Password?</Link>
      </p>
      <p className="muted">
        Don't have an account? <Link to="/signup">Sign up!</Link>
      </p>
    </article>
  );
}
