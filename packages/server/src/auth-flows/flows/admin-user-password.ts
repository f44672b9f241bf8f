import { userPasswordAuth } from './user-password.ts';
import type { AuthFlow } from '../flow.ts';

const adminUserPasswordAuth: AuthFlow = {
  ...userPasswordAuth,
  names: ['ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  endpoints: ['admin'],
  allow: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
};
export default adminUserPasswordAuth;
