import { Amplify } from 'aws-amplify';
// Completes signInWithRedirect when the hosted page sends the browser back
// with ?code=...: Amplify v6 exchanges the code only with this listener
// loaded, before Amplify.configure.
import 'aws-amplify/auth/enable-oauth-listener';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { AuthProvider } from './auth.tsx';
import { config, missingSettings, oauthConfig } from './config.ts';
import './styles.css';

// The only Cognate-specific line: userPoolEndpoint sends Amplify's Cognito
// calls to Cognate instead of cognito-idp.<region>.amazonaws.com. The region
// comes from the pool ID's prefix, as with Cognito. The hosted sign-in
// (oauth) needs nothing Cognate-specific: its domain is Cognate's host.
if (!missingSettings.length)
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: config.userPoolId,
        userPoolClientId: config.clientId,
        userPoolEndpoint: config.cognitoEndpoint,
        loginWith: { email: true, ...(config.cognitoDomain ? { oauth: oauthConfig(window.location.origin) } : {}) },
        signUpVerificationMethod: 'code',
      },
    },
  });

const root = createRoot(document.getElementById('root')!);
root.render(
  missingSettings.length ? (
    <p className="errors">
      Cruddur is not configured: {missingSettings.join(', ')} not set. Start it with <code>npm run dev -w cruddur</code>.
    </p>
  ) : (
    <StrictMode>
      <AuthProvider>
        <App />
      </AuthProvider>
    </StrictMode>
  ),
);
