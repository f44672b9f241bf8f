// Writes docs/compatibility.md: every operation of the Cognito user-pool API
// model (packages/server/src/cognito-api/model/cognito-idp.json) with its
// status in Cognate. "Implemented" means a file exists in the operations
// folder; every other operation must be listed in PLANNED below, so a model
// update or a typo fails loudly instead of silently dropping an operation.
// `--check` only compares and exits 1 when the document is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const modelFile = new URL('packages/server/src/cognito-api/model/cognito-idp.json', root);
const operationsDir = new URL('packages/server/src/cognito-api/operations/', root);
export const docFile = new URL('docs/compatibility.md', root);

const modes = { publicOperation: 'public', accessTokenOperation: 'access token', operatorOperation: 'operator' };

// The hand-kept part: where each operation not yet implemented is planned.
// An operation that gets implemented may stay here; the file wins.
const ISSUE_3 = 'issue 3 (rest of the user-pool API)';
const ISSUE_8 = 'issue 8 (MFA)';
const UNFILED = 'no issue yet';
const PLANNED = [
  [
    ISSUE_3,
    'groups',
    [
      'CreateGroup',
      'GetGroup',
      'UpdateGroup',
      'DeleteGroup',
      'ListGroups',
      'ListUsersInGroup',
      'AdminAddUserToGroup',
      'AdminRemoveUserFromGroup',
      'AdminListGroupsForUser',
    ],
  ],
  [
    ISSUE_3,
    'pools and clients',
    [
      'UpdateUserPool',
      'DeleteUserPool',
      'AddCustomAttributes',
      'UpdateUserPoolClient',
      'DeleteUserPoolClient',
      'AddUserPoolClientSecret',
      'DeleteUserPoolClientSecret',
      'ListUserPoolClientSecrets',
    ],
  ],
  [ISSUE_3, 'tags', ['TagResource', 'UntagResource', 'ListTagsForResource']],
  [ISSUE_3, 'user operations', ['AdminDeleteUserAttributes', 'DeleteUserAttributes', 'AdminResetUserPassword', 'AdminUserGlobalSignOut']],
  [ISSUE_3, 'auth events', ['AdminListUserAuthEvents', 'AdminUpdateAuthEventFeedback', 'UpdateAuthEventFeedback']],
  [ISSUE_3, 'risk configuration', ['DescribeRiskConfiguration', 'SetRiskConfiguration']],
  [
    UNFILED,
    'log export to AWS destinations (Cognate keeps its own audit trail and access logs)',
    ['GetLogDeliveryConfiguration', 'SetLogDeliveryConfiguration'],
  ],
  [
    ISSUE_8,
    'TOTP and MFA settings',
    [
      'AssociateSoftwareToken',
      'VerifySoftwareToken',
      'SetUserMFAPreference',
      'AdminSetUserMFAPreference',
      'SetUserSettings',
      'AdminSetUserSettings',
      'GetUserPoolMfaConfig',
      'SetUserPoolMfaConfig',
      'GetUserAuthFactors',
    ],
  ],
  [
    ISSUE_8,
    'devices',
    [
      'ConfirmDevice',
      'GetDevice',
      'ListDevices',
      'ForgetDevice',
      'UpdateDeviceStatus',
      'AdminGetDevice',
      'AdminListDevices',
      'AdminForgetDevice',
      'AdminUpdateDeviceStatus',
    ],
  ],
  [UNFILED, 'OAuth and hosted UI: domains', ['CreateUserPoolDomain', 'DescribeUserPoolDomain', 'UpdateUserPoolDomain', 'DeleteUserPoolDomain']],
  [
    UNFILED,
    'OAuth and hosted UI: resource servers',
    ['CreateResourceServer', 'DescribeResourceServer', 'UpdateResourceServer', 'DeleteResourceServer', 'ListResourceServers'],
  ],
  [UNFILED, 'OAuth and hosted UI: UI customization', ['GetUICustomization', 'SetUICustomization']],
  [
    UNFILED,
    'OAuth and hosted UI: managed login branding',
    [
      'CreateManagedLoginBranding',
      'DescribeManagedLoginBranding',
      'DescribeManagedLoginBrandingByClient',
      'UpdateManagedLoginBranding',
      'DeleteManagedLoginBranding',
    ],
  ],
  [UNFILED, 'OAuth and hosted UI: terms', ['CreateTerms', 'DescribeTerms', 'UpdateTerms', 'DeleteTerms', 'ListTerms']],
  [
    UNFILED,
    'federation',
    [
      'CreateIdentityProvider',
      'DescribeIdentityProvider',
      'UpdateIdentityProvider',
      'DeleteIdentityProvider',
      'ListIdentityProviders',
      'GetIdentityProviderByIdentifier',
      'AdminLinkProviderForUser',
      'AdminDisableProviderForUser',
      'GetSigningCertificate',
    ],
  ],
  [UNFILED, 'passkeys (WebAuthn)', ['StartWebAuthnRegistration', 'CompleteWebAuthnRegistration', 'ListWebAuthnCredentials', 'DeleteWebAuthnCredential']],
  [
    UNFILED,
    'user import jobs',
    ['CreateUserImportJob', 'DescribeUserImportJob', 'ListUserImportJobs', 'StartUserImportJob', 'StopUserImportJob', 'GetCSVHeader'],
  ],
  [
    UNFILED,
    'multi-region replicas (one Cognate deployment serves its regions from one database)',
    ['CreateUserPoolReplica', 'DeleteUserPoolReplica', 'ListUserPoolReplicas', 'UpdateUserPoolReplica'],
  ],
  [UNFILED, 'provisioned limits', ['GetProvisionedLimit', 'UpdateProvisionedLimit']],
];

// Operations of the current JavaScript SDK (@aws-sdk/client-cognito-identity-provider
// 3.1169, 140 operations) that the botocore model does not have yet, kept beside
// the model (the server answers those the supplement lacks as unimplemented operations too).
const sdkOnlyFile = new URL('packages/server/src/cognito-api/model/sdk-only-operations.json', root);
export const SDK_ONLY = JSON.parse(readFileSync(sdkOnlyFile, 'utf8')).operations;

// The SDK-only operations Cognate serves, described in botocore's format and
// merged over the model by the server (cognito-api/model/validate.ts).
const supplementFile = new URL('packages/server/src/cognito-api/model/sdk-only-shapes.json', root);
const SUPPLEMENT = JSON.parse(readFileSync(supplementFile, 'utf8'));
/** The SDK-only operations the supplement describes. */
export const SUPPLEMENTED = Object.keys(SUPPLEMENT.operations).sort();

/** botocore's model alone. */
export function loadBotocoreModel() {
  return JSON.parse(readFileSync(modelFile, 'utf8'));
}

/** The model as the server loads it: botocore's with the supplement merged in. */
export function loadModel() {
  const model = loadBotocoreModel();
  return { ...model, operations: { ...model.operations, ...SUPPLEMENT.operations }, shapes: { ...model.shapes, ...SUPPLEMENT.shapes } };
}

/** Operations whose request carries a page token (NextToken or PaginationToken). */
export function paginatedOperations(model = loadModel()) {
  return Object.entries(model.operations)
    .filter(([, op]) => {
      const members = model.shapes[op.input]?.members ?? {};
      return 'NextToken' in members || 'PaginationToken' in members;
    })
    .map(([name]) => name)
    .sort();
}

/** Implemented operations: name → auth mode, read from the helper each file uses. */
export function implementedOperations() {
  const out = new Map();
  for (const f of readdirSync(operationsDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .sort()) {
    const src = readFileSync(new URL(f, operationsDir), 'utf8');
    const helper = Object.keys(modes).find((h) => src.includes(`${h}<`) || src.includes(`${h}(`));
    out.set(f.replace(/\.ts$/, ''), modes[helper] ?? '?');
  }
  return out;
}

/** name → { issue, topic } for the planned operations; throws on a duplicate. */
function plannedOperations() {
  const out = new Map();
  for (const [issue, topic, ops] of PLANNED) {
    for (const op of ops) {
      if (out.has(op)) throw new Error(`${op} is planned twice in scripts/compatibility.mjs`);
      out.set(op, { issue, topic });
    }
  }
  return out;
}

export function compatibilityDoc() {
  const model = loadModel();
  const botocore = Object.keys(loadBotocoreModel().operations);
  const all = Object.keys(model.operations).sort();
  const implemented = implementedOperations();
  const planned = plannedOperations();
  const paginated = new Set(paginatedOperations(model));

  const problems = [];
  for (const op of implemented.keys()) if (!all.includes(op)) problems.push(`operation file ${op}.ts is not an operation of the API model`);
  for (const op of planned.keys()) if (!all.includes(op)) problems.push(`planned operation ${op} is not in the API model`);
  for (const op of SDK_ONLY)
    if (botocore.includes(op)) problems.push(`${op} is in the API model now: drop it from packages/server/src/cognito-api/model/sdk-only-operations.json`);
  for (const op of SUPPLEMENTED) {
    if (!SDK_ONLY.includes(op)) problems.push(`${op} is in sdk-only-shapes.json but not in sdk-only-operations.json`);
    if (botocore.includes(op)) problems.push(`${op} is in the API model now: drop it from packages/server/src/cognito-api/model/sdk-only-shapes.json`);
  }
  for (const op of all)
    if (!implemented.has(op) && !planned.has(op)) problems.push(`${op} is neither implemented nor planned: add it to PLANNED in scripts/compatibility.mjs`);
  if (problems.length) throw new Error(problems.join('\n'));

  const status = (op) => {
    if (implemented.has(op)) return `implemented (${implemented.get(op)})`;
    const { issue, topic } = planned.get(op);
    return `planned — ${issue === UNFILED ? `${UNFILED} (${topic})` : `${issue.replace(/ \(.*\)$/, '')} (${topic})`}`;
  };

  // Summary: implemented first, then each planned group in PLANNED's order.
  const summary = [['implemented', implemented.size]];
  const groups = new Map();
  for (const op of all) {
    if (implemented.has(op)) continue;
    const { issue } = planned.get(op);
    groups.set(issue, (groups.get(issue) ?? 0) + 1);
  }
  for (const [issue] of PLANNED)
    if (groups.has(issue) && !summary.some(([k]) => k === `planned — ${issue}`)) summary.push([`planned — ${issue}`, groups.get(issue)]);

  const missing = SDK_ONLY.filter((op) => !all.includes(op));
  const lines = [
    '# Cognito user-pool API compatibility',
    '',
    '<!-- Generated by `node scripts/compatibility.mjs` from the API model, the',
    '     operations folder and the plan kept in that script. Do not edit by hand. -->',
    '',
    `**${implemented.size} of ${all.length} operations implemented.**`,
    '',
    `Of the ${botocore.length + SDK_ONLY.length} operations of the current JavaScript SDK (\`@aws-sdk/client-cognito-identity-provider\`),`,
    `${implemented.size} are implemented. It has ${SDK_ONLY.length} beyond botocore's model; ${SUPPLEMENTED.length} of them are described in`,
    ...(missing.length
      ? [
          '`packages/server/src/cognito-api/model/sdk-only-shapes.json`, merged into the model, and listed below marked "SDK only";',
          `the other ${missing.length} are not implemented yet: ${missing.map((op) => `\`${op}\``).join(', ')}.`,
        ]
      : ['`packages/server/src/cognito-api/model/sdk-only-shapes.json`, merged into the model, and listed below marked "SDK only".']),
    '',
    `Every operation of the Amazon Cognito user-pool API model (botocore \`cognito-idp\`, API version ${model.metadata.apiVersion}, and that supplement)`,
    'and its status in Cognate. Implemented operations name how callers are',
    'authenticated: public (no signature), access token, or operator (SigV4).',
    'Operations marked "paginated" take a page token; the implemented ones use',
    "Cognate's sealed, tamper-proof tokens, bound to the pool and query that issued them.",
    'Calling an operation that is not implemented answers HTTP 400',
    '`UnknownOperationException` with the message "Cognate does not implement',
    '<Operation> yet." (an SDK raises its generic service exception with that name);',
    'so does one of the SDK operations beyond the model; any other target gets the same type with no message, as AWS answers it.',
    '',
    '| Status | Operations |',
    '| --- | ---: |',
    ...summary.map(([k, n]) => `| ${k} | ${n} |`),
    '',
    '| Operation | Status |',
    '| --- | --- |',
    ...all.map((op) => `| \`${op}\`${paginated.has(op) ? ' (paginated)' : ''}${botocore.includes(op) ? '' : ' (SDK only)'} | ${status(op)} |`),
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const after = compatibilityDoc();
  if (process.argv.includes('--check')) {
    let before = '';
    try {
      before = readFileSync(docFile, 'utf8');
    } catch {
      // missing: stale
    }
    if (before !== after) {
      console.error('docs/compatibility.md is stale: run node scripts/compatibility.mjs');
      process.exit(1);
    }
  } else writeFileSync(docFile, after);
}
