import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider';
import type { Wire } from './wire.ts';

export type SchemaAttribute = Wire<SchemaAttributeType>;

const str = (name: string, extra: Partial<SchemaAttribute> = {}): SchemaAttribute => ({
  Name: name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: '0', MaxLength: '2048' },
  ...extra,
});

// The standard OpenID Connect attributes every Cognito pool has, as
// DescribeUserPool reports them.
export const STANDARD_ATTRIBUTES: readonly SchemaAttribute[] = [
  str('sub', { Mutable: false, Required: true, StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' } }),
  str('name'),
  str('given_name'),
  str('family_name'),
  str('middle_name'),
  str('nickname'),
  str('preferred_username'),
  str('profile'),
  str('picture'),
  str('website'),
  str('email'),
  { Name: 'email_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  str('gender'),
  str('birthdate', { StringAttributeConstraints: { MinLength: '10', MaxLength: '10' } }),
  str('zoneinfo'),
  str('locale'),
  str('phone_number'),
  { Name: 'phone_number_verified', AttributeDataType: 'Boolean', DeveloperOnlyAttribute: false, Mutable: true, Required: false },
  str('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

export const STANDARD_NAMES: ReadonlySet<string> = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name ?? ''));
