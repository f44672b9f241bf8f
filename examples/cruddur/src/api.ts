// Calls to the Cruddur API (backend/), with the access token when signed in.
import { fetchAuthSession } from 'aws-amplify/auth';
import type { Activity } from '../backend/activities.ts';
import { config } from './config.ts';

export type { Activity };

export async function loadHomeActivities(): Promise<Activity[]> {
  // Amplify refreshes an expired access token here; signed out, there is none.
  const { tokens } = await fetchAuthSession();
  const token = tokens?.accessToken.toString();
  const res = await fetch(`${config.backendUrl}/api/activities/home`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  if (!res.ok) throw new Error(`The Cruddur API answered ${res.status} ${res.statusText}`);
  return (await res.json()) as Activity[];
}
