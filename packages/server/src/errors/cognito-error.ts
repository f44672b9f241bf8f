// Every error a client can see is a CognitoError: the AWS exception name is
// the wire `__type`, so clients (the SDKs read the name after any `#`) map it
// to the same exception class they get from Cognito.
export class CognitoError extends Error {
  readonly code: string;
  readonly statusCode: number;

  constructor(code: string, message: string, statusCode = 400) {
    super(message);
    this.name = code;
    this.code = code;
    this.statusCode = statusCode;
  }
}

function kind(code: string, statusCode = 400) {
  return (message: string) => new CognitoError(code, message, statusCode);
}

// One factory per exception name Cognate raises, named exactly as AWS names them.
export const Errors = {
  InvalidParameter: kind('InvalidParameterException'),
  InvalidPassword: kind('InvalidPasswordException'),
  NotAuthorized: kind('NotAuthorizedException'),
  ResourceNotFound: kind('ResourceNotFoundException'),
  UserNotFound: kind('UserNotFoundException'),
  UsernameExists: kind('UsernameExistsException'),
  GroupExists: kind('GroupExistsException'),
  AliasExists: kind('AliasExistsException'),
  UserNotConfirmed: kind('UserNotConfirmedException'),
  UnsupportedUserState: kind('UnsupportedUserStateException'),
  PasswordResetRequired: kind('PasswordResetRequiredException'),
  CodeMismatch: kind('CodeMismatchException'),
  ExpiredCode: kind('ExpiredCodeException'),
  LimitExceeded: kind('LimitExceededException'),
  TooManyFailedAttempts: kind('TooManyFailedAttemptsException'),
  TooManyRequests: kind('TooManyRequestsException'),
  InvalidUserPoolConfiguration: kind('InvalidUserPoolConfigurationException'),
  InvalidOAuthFlow: kind('InvalidOAuthFlowException'),
  ScopeDoesNotExist: kind('ScopeDoesNotExistException'),
  ManagedLoginBrandingExists: kind('ManagedLoginBrandingExistsException'),
  TermsExists: kind('TermsExistsException'),
  UnsupportedOperation: kind('UnsupportedOperationException'),
  // Lambda triggers (triggers/run-trigger.ts): the function refused, answered nonsense, or could not be run.
  UserLambdaValidation: kind('UserLambdaValidationException'),
  InvalidLambdaResponse: kind('InvalidLambdaResponseException'),
  UnexpectedLambda: kind('UnexpectedLambdaException'),
  UnsupportedTokenType: kind('UnsupportedTokenTypeException'),
  UnauthorizedException: kind('UnauthorizedException'),
  CodeDeliveryFailure: kind('CodeDeliveryFailureException'),
  PasswordHistoryPolicyViolation: kind('PasswordHistoryPolicyViolationException'),
  EnableSoftwareTokenMFA: kind('EnableSoftwareTokenMFAException'),
  SoftwareTokenMFANotFound: kind('SoftwareTokenMFANotFoundException'),
  UserPoolAddOnNotEnabled: kind('UserPoolAddOnNotEnabledException'),
  FeatureUnavailableInTier: kind('FeatureUnavailableInTierException'),
  Serialization: kind('SerializationException'),
  UnknownOperation: kind('UnknownOperationException'),
  // Signature failures: the names and statuses AWS's JSON services answer with.
  MissingAuthenticationToken: kind('MissingAuthenticationTokenException'),
  IncompleteSignature: kind('IncompleteSignatureException'),
  UnrecognizedClient: kind('UnrecognizedClientException'),
  InvalidSignature: kind('InvalidSignatureException'),
  AccessDenied: kind('AccessDeniedException', 403),
  // What Cognito answers when the user pool's web ACL blocks a request: Cognate's IP rules (http/protection.ts).
  Forbidden: kind('ForbiddenException', 403),
  RequestEntityTooLarge: kind('RequestEntityTooLargeException', 413),
  Internal: () => new CognitoError('InternalErrorException', 'Internal server error.', 500),
} as const;
