import { useEffect, useState } from 'react';
import { loadHomeActivities, type Activity } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { ActivityFeed } from '../components/ActivityFeed.tsx';
import { FormMessages } from '../components/FormMessages.tsx';
import { messageOf } from '../errors.ts';

export function HomeFeedPage() {
  const { state } = useAuth();
  const [activities, setActivities] = useState<Activity[] | null>(null);
  const [error, setError] = useState('');

  // Reload the feed whenever the user signs in or out: the API adds an
  // activity for a verified access token.
  useEffect(() => {
    if (state.status === 'loading') return;
    let current = true; // a slower, older request must not overwrite a newer one
    setError('');
    loadHomeActivities().then(
      (list) => current && setActivities(list),
      (err: unknown) => current && setError(messageOf(err)),
    );
    return () => {
      current = false;
    };
  }, [state]);

  return (
    <section className="feed">
      <h1 className="feed-title">Home</h1>
      <FormMessages error={error} />
      {activities ? <ActivityFeed activities={activities} /> : error ? null : <p className="muted">Loading…</p>}
    </section>
  );
}
