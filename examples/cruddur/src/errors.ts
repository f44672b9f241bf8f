// Amplify's errors carry Cognito's exception name and message (for example
// NotAuthorizedException, "Incorrect username or password."): show the
// message to the user as it is, rather than swallowing it in the console.
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export function nameOf(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
