// Right-hand column: who you are (and sign-out) when signed in, the seed's
// "Join The Party!" box when not.
import { signOut } from 'aws-amplify/auth';
import { useState } from 'react';
import { useAuth, type CruddurUser } from '../auth.tsx';
import { messageOf } from '../errors.ts';
import { Link, navigate } from '../router.tsx';
import { FormMessages } from './FormMessages.tsx';

const trendings = [
  { hashtag: '100DaysOfCloud', count: 2053 },
  { hashtag: 'CloudProject', count: 8253 },
  { hashtag: 'AWS', count: 9053 },
  { hashtag: 'FreeWillyReboot', count: 7753 },
];

function ProfileInfo({ user }: { user: CruddurUser }) {
  const { refresh } = useAuth();
  const [error, setError] = useState('');
  const onSignOut = async () => {
    setError('');
    try {
      // Global: Cognate revokes every refresh token of the user, on all devices.
      await signOut({ global: true });
      await refresh();
      navigate('/');
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <section className="box profile-info" data-testid="profile">
      <div className="avatar" aria-hidden="true">
        {user.display_name.slice(0, 1)}
      </div>
      <div>
        <div className="display-name">{user.display_name}</div>
        <div className="handle">@{user.handle}</div>
      </div>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
      <FormMessages error={error} />
    </section>
  );
}

function JoinSection() {
  return (
    <section className="box join" data-testid="join">
      <h2>Join The Party!</h2>
      <p>Have something to say? Join Cruddur now!</p>
      <Link to="/signup" className="action">
        Join Now!
      </Link>
      <Link to="/signin" className="secondary">
        Sign In
      </Link>
    </section>
  );
}

export function DesktopSidebar() {
  const { state } = useAuth();
  if (state.status === 'loading') return <aside className="sidebar" />;
  if (state.status === 'signedOut')
    return (
      <aside className="sidebar">
        <JoinSection />
      </aside>
    );
  return (
    <aside className="sidebar">
      <ProfileInfo user={state.user} />
      <section className="box">
        <h2>Trending</h2>
        {trendings.map((t) => (
          <div key={t.hashtag} className="trending">
            #{t.hashtag} <span>{t.count.toLocaleString('en-US')} cruds</span>
          </div>
        ))}
      </section>
      <section className="box">
        <h2>Suggested Users</h2>
        <div className="trending">
          Andrew Brown <span>@andrewbrown</span>
        </div>
      </section>
    </aside>
  );
}
