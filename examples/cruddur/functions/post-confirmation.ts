// The seed's `cruddur-post-confirmation` Lambda function, in TypeScript: once
// a sign-up is confirmed, the new user goes into Cruddur's own `users` table.
// Cognate runs it as a local module (functions.json) with the event Cognito
// sends (triggerSource PostConfirmation_ConfirmSignUp); the same handler
// deploys to AWS Lambda unchanged, CRUDDUR_DB then naming the app's database.
import { openCruddurDb } from '../backend/db.ts';

interface PostConfirmationEvent {
  triggerSource: string;
  request: { userAttributes: Record<string, string> };
}

export async function handler(event: PostConfirmationEvent): Promise<PostConfirmationEvent> {
  // Only a confirmed sign-up adds a user; a confirmed password reset (PostConfirmation_ConfirmForgotPassword) does not.
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  const path = process.env['CRUDDUR_DB'];
  if (!path) throw new Error('CRUDDUR_DB is not set');
  const user = event.request.userAttributes;
  const db = openCruddurDb(path);
  try {
    // A retried invocation must not add the user twice.
    db.prepare('INSERT INTO users (display_name, email, handle, cognito_user_id) VALUES (?, ?, ?, ?) ON CONFLICT (cognito_user_id) DO NOTHING').run(
      user['name'],
      user['email'],
      user['preferred_username'],
      user['sub'],
    );
  } finally {
    db.close();
  }
  return event;
}
