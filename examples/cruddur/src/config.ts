// Where the app finds its user pool, Cognate and the API. Vite inlines these
// VITE_* variables at build time; scripts/dev.ts sets them (the seed used
// REACT_APP_* variables in docker-compose for the same values).
export interface AppConfig {
  userPoolId: string;
  clientId: string;
  cognitoEndpoint: string;
  /**
   * The pool's OAuth domain, host[:port] without a scheme (Amplify's
   * `loginWith.oauth.domain`), or '' when the app has no hosted sign-in.
   */
  cognitoDomain: string;
  backendUrl: string;
}

const env = import.meta.env;
const values = {
  userPoolId: env.VITE_AWS_USER_POOLS_ID as string | undefined,
  clientId: env.VITE_CLIENT_ID as string | undefined,
  cognitoEndpoint: env.VITE_COGNITO_ENDPOINT as string | undefined,
  cognitoDomain: env.VITE_COGNITO_DOMAIN as string | undefined,
  backendUrl: env.VITE_BACKEND_URL as string | undefined,
};

/** The names of the variables that are not set, so the page can say which. (VITE_COGNITO_DOMAIN is optional: without it, no hosted sign-in.) */
export const missingSettings = Object.entries({
  VITE_AWS_USER_POOLS_ID: values.userPoolId,
  VITE_CLIENT_ID: values.clientId,
  VITE_COGNITO_ENDPOINT: values.cognitoEndpoint,
  VITE_BACKEND_URL: values.backendUrl,
})
  .filter(([, v]) => !v)
  .map(([k]) => k);

export const config: AppConfig = {
  userPoolId: values.userPoolId ?? '',
  clientId: values.clientId ?? '',
  cognitoEndpoint: values.cognitoEndpoint ?? '',
  cognitoDomain: values.cognitoDomain ?? '',
  backendUrl: (values.backendUrl ?? '').replace(/\/$/, ''),
};

/**
 * Amplify's hosted sign-in settings: the code flow (with PKCE) on the pool's
 * domain, back to this app's home page after sign-in and after /logout. The
 * app's origin is where it is served from, so any WEB_PORT works as long as
 * the app client lists `<origin>/` in its CallbackURLs and LogoutURLs
 * (scripts/cognate.ts does).
 */
export function oauthConfig(origin: string) {
  return {
    domain: config.cognitoDomain,
    // aws.cognito.signin.user.admin: the tokens may call GetUser (fetchUserAttributes) and GlobalSignOut.
    scopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    redirectSignIn: [`${origin}/`],
    redirectSignOut: [`${origin}/`],
    responseType: 'code' as const,
  };
}
