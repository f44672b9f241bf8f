// The two kinds of message a form shows: what went wrong (in Cognito's words)
// and what just happened.
export function FormMessages({ error, notice }: { error?: string; notice?: string }) {
  return (
    <>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="errors" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
