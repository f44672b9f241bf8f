import type { Activity } from '../api.ts';

function ago(iso: string): string {
  const minutes = Math.round((Date.now() - Date.parse(iso)) / 60_000);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)}h`;
  return `${Math.round(minutes / (24 * 60))}d`;
}

function ActivityItem({ activity }: { activity: Activity }) {
  return (
    <article className="activity" data-testid="activity">
      <div className="avatar" aria-hidden="true">
        {activity.handle.slice(0, 1)}
      </div>
      <div className="activity-body">
        <header>
          <span className="handle">{activity.handle}</span>
          <time dateTime={activity.created_at}>{ago(activity.created_at)}</time>
        </header>
        <p className="message">{activity.message}</p>
        <footer>♥ {activity.likes_count}</footer>
        {activity.replies.map((reply) => (
          <ActivityItem key={reply.uuid} activity={reply} />
        ))}
      </div>
    </article>
  );
}

export function ActivityFeed({ activities }: { activities: Activity[] }) {
  return (
    <div className="activity-feed">
      {activities.map((activity) => (
        <ActivityItem key={activity.uuid} activity={activity} />
      ))}
    </div>
  );
}
