/** What each inbound source type needs in its `config`, for the create form. */
export interface ProviderField {
  key: string;
  label: string;
  secret?: boolean;
  required?: boolean;
  options?: string[];
  placeholder?: string;
  hint?: string;
}

export interface Provider {
  type: string;
  label: string;
  fields: ProviderField[];
}

const secret = (hint: string, placeholder = ''): ProviderField => ({
  key: 'secret',
  label: 'Signing secret',
  secret: true,
  required: true,
  hint,
  placeholder,
});

export const PROVIDERS: Provider[] = [
  { type: 'svix', label: 'Svix', fields: [secret('The endpoint secret Svix shows for this endpoint.', 'whsec_…')] },
  {
    type: 'standard-webhooks',
    label: 'Standard Webhooks',
    fields: [secret('The whsec_ secret shared with the sender.', 'whsec_…')],
  },
  {
    type: 'openai',
    label: 'OpenAI',
    fields: [secret('The webhook signing secret from the OpenAI dashboard.', 'whsec_…')],
  },
  { type: 'stripe', label: 'Stripe', fields: [secret("The endpoint's signing secret from Stripe.", 'whsec_…')] },
  { type: 'github', label: 'GitHub', fields: [secret('The secret entered in the GitHub webhook settings.')] },
  { type: 'shopify', label: 'Shopify', fields: [secret("The app's client secret (API secret key).")] },
  { type: 'slack', label: 'Slack', fields: [secret("The app's signing secret.")] },
  {
    type: 'discord',
    label: 'Discord',
    fields: [
      { key: 'publicKey', label: 'Public key', required: true, hint: "The application's ed25519 public key (hex)." },
    ],
  },
  {
    type: 'hmac',
    label: 'Generic HMAC',
    fields: [
      secret('The shared HMAC key.'),
      { key: 'header', label: 'Signature header', required: true, placeholder: 'X-Signature' },
      { key: 'algorithm', label: 'Algorithm', options: ['sha256', 'sha1', 'sha512'] },
      { key: 'encoding', label: 'Encoding', options: ['hex', 'base64'] },
      {
        key: 'prefix',
        label: 'Signature prefix',
        placeholder: 'sha256=',
        hint: 'Stripped before comparing, if present.',
      },
      {
        key: 'timestampHeader',
        label: 'Timestamp header',
        placeholder: 'X-Timestamp',
        hint: 'Optional; enables replay protection.',
      },
      {
        key: 'signedContent',
        label: 'Signed content',
        placeholder: '{timestamp}.{body}',
        hint: 'What the sender signs; empty means the raw body.',
      },
    ],
  },
  {
    type: 'basic-auth',
    label: 'HTTP Basic auth',
    fields: [
      { key: 'username', label: 'Username', required: true },
      { key: 'password', label: 'Password', required: true, secret: true },
    ],
  },
  {
    type: 'api-key',
    label: 'API key header',
    fields: [
      { key: 'header', label: 'Header', required: true, placeholder: 'X-API-Key' },
      { key: 'key', label: 'Key', required: true, secret: true },
    ],
  },
  { type: 'generic-webhook', label: 'Generic webhook (no verification)', fields: [] },
];

export const providerOf = (type: string): Provider | undefined => PROVIDERS.find((p) => p.type === type);
