// Where the app finds its user pool, Cognate and the API. Vite inlines these
// VITE_* variables at build time; scripts/dev.ts sets them (the seed used
// REACT_APP_* variables in docker-compose for the same values).
export interface AppConfig {
  userPoolId: string;
  clientId: string;
  cognitoEndpoint: string;
  backendUrl: string;
}

const env = import.meta.env;
const values = {
  userPoolId: env.VITE_AWS_USER_POOLS_ID as string | undefined,
  clientId: env.VITE_CLIENT_ID as string | undefined,
  cognitoEndpoint: env.VITE_COGNITO_ENDPOINT as string | undefined,
  backendUrl: env.VITE_BACKEND_URL as string | undefined,
};

/** The names of the variables that are not set, so the page can say which. */
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
  backendUrl: (values.backendUrl ?? '').replace(/\/$/, ''),
};
