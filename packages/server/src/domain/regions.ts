// AWS has one endpoint per region; Cognate serves every region on one. The
// region of a call is its SigV4 credential scope's (operator calls) or its
// pool's (public calls), and a pool's region is the prefix of its ID.

/** What an AWS region name looks like: us-east-1, eu-west-1, us-gov-west-1, ap-southeast-2. */
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const isRegionName = (name: string): boolean => REGION_NAME.test(name);

/** The region a pool ID (`<region>_<id>`) carries. */
export const regionOfPoolId = (poolId: string): string => poolId.slice(0, Math.max(0, poolId.indexOf('_')));

/**
 * A pool's ARN. The region defaults to the pool's own; an operator call's
 * policy check passes the call's region instead, as IAM builds the resource
 * from the endpoint called (a pool of another region is then not found).
 */
export const poolArn = (accountId: string, poolId: string, region: string = regionOfPoolId(poolId)): string =>
  `arn:aws:cognito-idp:${region}:${accountId}:userpool/${poolId}`;

/** Whether a server limited to `served` (null: every region) answers calls in `region`. */
export const serves = (served: readonly string[] | null, region: string): boolean => served === null || served.includes(region);
