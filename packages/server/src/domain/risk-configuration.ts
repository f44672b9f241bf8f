import { isIP } from 'node:net';
import type { SetRiskConfigurationRequest } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from './wire.ts';
import { Errors } from '../errors/cognito-error.ts';

/** What SetRiskConfiguration stores and DescribeRiskConfiguration returns (besides ids and date). */
export type RiskSettings = Pick<
  Wire<SetRiskConfigurationRequest>,
  'CompromisedCredentialsRiskConfiguration' | 'AccountTakeoverRiskConfiguration' | 'RiskExceptionConfiguration'
>;

/**
 * Checks a risk configuration beyond the model's shapes and enums (already
 * enforced by model validation): IP ranges must be CIDR blocks, and an
 * account-takeover action that notifies needs a NotifyConfiguration to send
 * from. Cognate stores the configuration and reports it back; it does not
 * score risk or act on it (no blocking, no notification mail).
 */
export function checkRiskSettings(input: RiskSettings): RiskSettings {
  for (const list of [input.RiskExceptionConfiguration?.BlockedIPRangeList, input.RiskExceptionConfiguration?.SkippedIPRangeList]) {
    for (const range of list ?? []) if (!isCidr(range)) throw Errors.InvalidParameter(`Invalid IP range ${range}. IP ranges must be in CIDR notation.`);
  }
  const ato = input.AccountTakeoverRiskConfiguration;
  const actions = ato ? [ato.Actions?.LowAction, ato.Actions?.MediumAction, ato.Actions?.HighAction] : [];
  if (actions.some((a) => a?.Notify) && !ato?.NotifyConfiguration) {
    throw Errors.InvalidParameter('NotifyConfiguration is required when an account takeover action notifies users.');
  }
  const out: RiskSettings = {};
  if (input.CompromisedCredentialsRiskConfiguration) out.CompromisedCredentialsRiskConfiguration = input.CompromisedCredentialsRiskConfiguration;
  if (ato) out.AccountTakeoverRiskConfiguration = ato;
  if (input.RiskExceptionConfiguration) out.RiskExceptionConfiguration = input.RiskExceptionConfiguration;
  return out;
}

function isCidr(range: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(range);
  if (!m) return false;
  const version = isIP(m[1]!);
  const bits = Number(m[2]);
  return (version === 4 && bits <= 32) || (version === 6 && bits <= 128);
}
