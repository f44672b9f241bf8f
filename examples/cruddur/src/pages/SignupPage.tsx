import { signUp } from 'aws-amplify/auth';
import { useState, type FormEvent } from 'react';
import { FormMessages } from '../components/FormMessages.tsx';
import { messageOf } from '../errors.ts';
import { Link, navigate } from '../router.tsx';

export function SignupPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      // The pool signs users in by email, so the email is the username; name
      // and preferred_username are the pool's required attributes.
      await signUp({
        username: email,
        password,
        options: { userAttributes: { email, name, preferred_username: username } },
      });
      navigate(`/confirm?email=${encodeURIComponent(email)}`);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <article className="auth-card">
      <h1>Sign up to create a Cruddur account</h1>
      <form onSubmit={onSubmit}>
        <label>
          Name
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
        </label>
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="email" />
        </label>
        <label>
          Username
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
        </label>
        <label>
          Password
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </label>
        <FormMessages error={error} />
        <button type="submit">Sign Up</button>
      </form>
      <p className="muted">
        Already have an account? <Link to="/signin">Sign in!</Link>
      </p>
    </article>
  );
}
