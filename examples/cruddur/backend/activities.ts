// The home feed, as the seed's HomeActivities service returns it: fixed
// activities for everyone, and one more at the top for a signed-in user.

export interface Activity {
  uuid: string;
  handle: string;
  message: string;
  created_at: string;
  expires_at: string;
  likes_count: number;
  replies: Activity[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function at(now: number, offset: number): string {
  return new Date(now + offset).toISOString();
}

export function homeActivities(cognitoUserId: string | null, now = Date.now()): Activity[] {
  const results: Activity[] = [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'Andrew Brown',
      message: 'Cloud is fun!',
      created_at: at(now, -2 * DAY),
      expires_at: at(now, 5 * DAY),
      likes_count: 5,
      replies: [
        {
          uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
          handle: 'Worf',
          message: 'This post has no honor!',
          created_at: at(now, -2 * DAY),
          expires_at: at(now, 5 * DAY),
          likes_count: 0,
          replies: [],
        },
      ],
    },
    {
      uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
      handle: 'Worf',
      message: 'I am out of prune juice',
      created_at: at(now, -7 * DAY),
      expires_at: at(now, 9 * DAY),
      likes_count: 0,
      replies: [],
    },
    {
      uuid: '248959df-3079-4947-b847-9e0892d1bab4',
      handle: 'Garek',
      message: 'My dear doctor, I am just a simple tailor',
      created_at: at(now, -1 * HOUR),
      expires_at: at(now, 12 * HOUR),
      likes_count: 0,
      replies: [],
    },
  ];
  if (cognitoUserId !== null) {
    // The seed's proof that the backend trusted the token: an extra crud.
    results.unshift({
      uuid: '8b2b6ad8-8c1f-4bfb-9b0b-1e3a1c1d1e42',
      handle: 'Lore',
      message: "My dear brother, it's the humans that are the problem",
      created_at: at(now, -1 * HOUR),
      expires_at: at(now, 12 * HOUR),
      likes_count: 1042,
      replies: [],
    });
  }
  return results;
}
