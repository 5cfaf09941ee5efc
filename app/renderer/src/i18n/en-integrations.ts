/** Strings of Settings → Integrations: the HTTP API and its tokens. */
export const enIntegrations = {
  integrations: {
    title: 'Integrations (HTTP API)',
    help: 'Other systems of the site (access control, fire panel, a central monitoring system) can read cameras, counts, events, alarms and health, raise alarms and fetch metrics through the HTTP API at /api/v1/. Each system gets its own token with a role.',
    apiOn: 'The HTTP API is on.',
    apiOff: 'The HTTP API is off.',
    turnOn: 'Turn the API on',
    turnOff: 'Turn the API off',
    tokens: 'API tokens',
    noTokens: 'No API tokens yet.',
    name: 'Integration',
    role: 'Role',
    days: 'Valid for (days, empty: no expiry)',
    create: 'Create token',
    revoke: 'Revoke',
    revoked: 'Revoked',
    expires: (at: string) => `Expires ${at}`,
    noExpiry: 'No expiry',
    lastUsed: (at: string | null) => (at ? `Last used ${at}` : 'Never used'),
    createdOnce: (name: string) => `Token for \u201c${name}\u201d. Copy it now: it is not shown again.`,
    done: 'I have copied it',
  },
};
