import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  credentialName,
  credentialValue,
  envSecret,
  nameWords,
  urlWithPassword,
} from '../../../src/policy/env-secrets.js';
import { packageRoot } from '../../../src/package-root.js';
import { FAKE } from './fakes.js';

describe('nameWords', () => {
  it.each([
    ['DB_PASSWORD', ['DB', 'PASSWORD']],
    ['dbPassword2', ['DB', 'PASSWORD2']],
    ['aws.secret-key', ['AWS', 'SECRET', 'KEY']],
    ['__X__', ['X']],
  ])('%s', (name, words) => expect(nameWords(name)).toEqual(words));
});

describe('credential names', () => {
  it.each([
    ['DB_PASSWORD', 'a password'],
    ['PASSWORD', 'a password'],
    ['MYSQL_ROOT_PASSWORD', 'a password'],
    ['POSTGRES_PASSWD', 'a password'],
    ['RABBITMQ_DEFAULT_PASS', 'a password'],
    ['DB_PWD', 'a password'],
    ['dbPassword', 'a password'],
    ['DBPASSWORD', 'a password'],
    ['PASSWORD2', 'a password'],
    ['GPG_PASSPHRASE', 'a passphrase'],
    ['JWT_SECRET', 'a secret'],
    ['SECRET', 'a secret'],
    ['NEXTAUTH_SECRET', 'a secret'],
    ['SECRET_KEY_BASE', 'a secret key'],
    ['GITHUB_TOKEN', 'a token'],
    ['GHTOKEN', 'a token'],
    ['NODE_AUTH_TOKEN', 'a token'],
    ['AWS_SESSION_TOKEN', 'a token'],
    ['API_KEY', 'an API key'],
    ['APIKEY', 'an API key'],
    ['OPENAI_API_KEY', 'an API key'],
    ['AWS_SECRET_ACCESS_KEY', 'an access key'],
    ['PRIVATE_KEY', 'a private key'],
    ['SSH_PRIVATE_KEY', 'a private key'],
    ['ENCRYPTION_KEY', 'an encryption key'],
    ['STRIPE_SECRET_KEY_B64', 'a secret key'],
    ['SIGNING_KEY_V2', 'a signing key'],
    ['AZURE_CREDENTIALS', 'credentials'],
    ['DOCKER_CREDS', 'credentials'],
    ['AUTH_SALT', 'a secret salt'],
    ['BASIC_AUTH', 'authentication data'],
    ['LDAP_BIND_PW', 'a password'],
    ['ADMIN_PW', 'a password'],
    ['PRIVATEKEY', 'a private key'],
    ['JWT_PRIVATEKEY', 'a private key'],
    ['SECRETKEY', 'a secret key'],
    ['APP_SECRETKEY', 'a secret key'],
    ['AUTHORIZATION', 'an HTTP Authorization credential'],
    ['DOCKER_AUTH_CONFIG', "registry logins (docker's config.json)"],
    ['MNEMONIC', 'a wallet seed phrase'],
    ['WALLET_MNEMONIC', 'a wallet seed phrase'],
    ['CERT_KEY', 'a cert key'],
    ['TLS_KEY', 'a tls key'],
    ['ENCRYPT_KEY', 'an encrypt key'],
    ['DECRYPTION_KEY', 'a decryption key'],
  ])('%s holds %s', (name, what) => expect(credentialName(name)?.what).toBe(what));

  it.each([
    'PATH',
    'HOME',
    'PWD',
    'OLDPWD',
    'TERM',
    'LANG',
    'LC_ALL',
    'TZ',
    'NODE_ENV',
    'DEBUG',
    'PORT',
    'XDG_RUNTIME_DIR',
    'AUTHOR',
    'GIT_AUTHOR_NAME',
    'TOKENIZERS_PARALLELISM',
    'OAUTH_CALLBACK',
    'BYPASS_CACHE',
    'COMPASS_URL',
    'KEYBOARD',
    'PRIMARY_KEY',
    'SORT_KEY',
    'PUBLIC_KEY',
    'KEY',
    'SSH_AUTH_SOCK',
    'GIT_ASKPASS',
    // Variables about a credential, not holding it.
    'POSTGRES_PASSWORD_FILE',
    'PRIVATE_KEY_PATH',
    'PASSWORD_STORE_DIR',
    'SECRET_NAME',
    'TOKEN_TTL',
    'TOKEN_URL',
    'PASSWORD_MIN_LENGTH',
    'AWS_ACCESS_KEY_ID',
    'MYSQL_ALLOW_EMPTY_PASSWORD_FLAG',
    'AUTH_TYPE',
    'POSTGRES_HOST_AUTH_METHOD',
    'PASS_MAX_DAYS',
    'TOKEN_ENDPOINT',
    'MAX_TOKENS',
    'MYSQL_ALLOW_EMPTY_PASSWORD',
    'MYSQL_RANDOM_ROOT_PASSWORD',
    'TLS_KEY_FILE',
    'CERT_KEY_PATH',
    'DOCKER_CONFIG',
  ])('%s is not a credential by name', (name) => expect(credentialName(name)).toBeUndefined());
});

describe('credential values', () => {
  it.each([
    [FAKE.awsKeyId, 'an AWS access key id'],
    [FAKE.github, 'a GitHub token'],
    [FAKE.githubPat, 'a GitHub token'],
    [FAKE.gitlab, 'a GitLab token'],
    [FAKE.slack, 'a Slack token'],
    ['https://hooks.slack.com/services/T000/B000/XXXX', 'a Slack webhook URL'],
    [FAKE.stripe, 'a Stripe key'],
    [FAKE.google, 'a Google API key'],
    [FAKE.npm, 'an npm token'],
    [FAKE.jwt, 'a JSON web token'],
    [`Bearer ${FAKE.jwt}`, 'a JSON web token'],
    [FAKE.pem, 'a PEM private key'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'a PEM private key'],
    ['-----BEGIN PGP PRIVATE KEY BLOCK-----', 'a PEM private key'],
    ['postgres://u:p@db/x', 'a URL with a password in it'],
    ['mongodb+srv://admin:s3cr3t@cluster0.example.net/db', 'a URL with a password in it'],
    ['redis://:pw@cache:6379', 'a URL with a password in it'],
    ['amqp://guest:guest@rabbit:5672/', 'a URL with a password in it'],
    ['Server=db;Database=app;User Id=sa;Password=Passw0rd!;', 'a connection string with a password in it'],
    ['host=db port=5432 password=x', 'a connection string with a password in it'],
    ['host=db user=app', undefined],
    [
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bG9uZ2tleQ==;EndpointSuffix=core.windows.net',
      'a connection string with a password in it',
    ],
    [
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=a2V5',
      'a connection string with a password in it',
    ],
    ['Bearer abc.def.ghi', 'an HTTP Authorization credential'],
    ['Authorization: Basic dXNlcjpwYXNz', 'an HTTP Authorization credential'],
    ['token 0123456789abcdef', undefined],
    ['Token 0123456789abcdef', 'an HTTP Authorization credential'],
    ['{"auths":{"registry.example.com":{"auth":"dXNlcjpwYXNz"}}}', 'a registry login (docker config.json auth)'],
    ['https://discord.com/api/webhooks/123456/abc-DEF_ghi', 'a Discord webhook URL'],
    ['https://discordapp.com/api/webhooks/123456/abc', 'a Discord webhook URL'],
    ['https://acme.webhook.office.com/webhookb2/abc@def/IncomingWebhook/x/y', 'a Microsoft Teams webhook URL'],
  ])('%s', (value, what) => expect(credentialValue(value)).toBe(what));

  it.each([
    'postgres://db:5432/app',
    'https://user@example.com/',
    'http://user:@proxy:3128',
    'https://example.com/a:b@c',
    'AKIA-not-a-key',
    'ghp_short',
    'eyJhbGciOiJIUzI1NiJ9',
    'sk_live_',
    'production',
    'true',
    '3000',
    '/run/secrets/db',
    'BEGIN PRIVATE KEY',
    'Basic authentication',
    'Bearer tokens are required',
    'https://discord.com/invite/abc',
    '{"auths":{}}',
  ])('%s is not a credential by its shape', (value) => expect(credentialValue(value)).toBeUndefined());
});

describe('envSecret', () => {
  it.each([
    ['DB_PASSWORD=hunter2', 'DB_PASSWORD', 'its name says it holds a password'],
    ['DB_PASSWORD=123456', 'DB_PASSWORD', 'its name says it holds a password'],
    ['DB_PASSWORD=secret', 'DB_PASSWORD', 'its name says it holds a password'],
    ['BASIC_AUTH=admin:hunter2', 'BASIC_AUTH', 'its name says it holds authentication data'],
    // AUTH alone needs a value that is more than a plain word.
    ['AUTH=oauth2-proxy', 'AUTH', 'its name says it holds authentication data'],
    [`X=${FAKE.awsKeyId}`, 'X', 'its value looks like an AWS access key id'],
    [`GITHUB_TOKEN=${FAKE.github}`, 'GITHUB_TOKEN', 'its value looks like a GitHub token'],
    ['DATABASE_URL=postgres://u:p@db/x', 'DATABASE_URL', 'its value looks like a URL with a password in it'],
    ['HTTP_PROXY=http://user:pw@proxy:3128', 'HTTP_PROXY', 'its value looks like a URL with a password in it'],
    ['PATH=postgres://u:p@db/x', 'PATH', 'its value looks like a URL with a password in it'],
  ])('%s', (entry, name, because) => expect(envSecret(entry)).toEqual({ name, because }));

  it.each([
    'DB_PASSWORD', // bare: the daemon unsets it, no value reaches the container
    'DB_PASSWORD=',
    'DB_PASSWORD=  ',
    'MYSQL_ALLOW_EMPTY_PASSWORD=yes',
    'MYSQL_RANDOM_ROOT_PASSWORD=1',
    'REDIS_PASSWORD=false',
    'PASSWORD=none',
    'TOKEN=/run/secrets/token',
    'GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json',
    'SECRET=./secret.txt',
    'DB_PASSWORD=${DB_PASSWORD}',
    'API_KEY=$API_KEY',
    'AUTH=ldap',
    'POSTGRES_PASSWORD_FILE=/run/secrets/db',
    'SECRET_NAME=db-password',
    'TOKENIZERS_PARALLELISM=false',
    'AUTHOR=me',
    'NODE_ENV=production',
    'DATABASE_URL=postgres://db:5432/app',
    'SENTRY_DSN=https://publickey@o1.ingest.sentry.io/1',
    '=x',
  ])('%s is ordinary', (entry) => expect(envSecret(entry)).toBeUndefined());

  it.each([
    ['LDAP_BIND_PW=s3cr3t', 'LDAP_BIND_PW'],
    ['AUTHORIZATION=Bearer abc.def.ghi', 'AUTHORIZATION'],
    ['DOCKER_AUTH_CONFIG={"auths":{"r.example.com":{"auth":"dXNlcjpwYXNz"}}}', 'DOCKER_AUTH_CONFIG'],
    [
      'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=bG9u',
      'AZURE_STORAGE_CONNECTION_STRING',
    ],
    ['MNEMONIC=abandon ability able about above absent absorb abstract absurd abuse access accident', 'MNEMONIC'],
    ['DISCORD_WEBHOOK_URL=https://discord.com/api/webhooks/1/abc', 'DISCORD_WEBHOOK_URL'],
    ['CERT_KEY=abc123', 'CERT_KEY'],
    ['ENCRYPT_KEY=abc123', 'ENCRYPT_KEY'],
    ['PRIVATEKEY=abc123', 'PRIVATEKEY'],
    ['SECRETKEY=abc123', 'SECRETKEY'],
  ])('%s: the names and values of issue 15 are found', (entry, name) => expect(envSecret(entry)?.name).toBe(name));

  it('never returns the value', () => {
    for (const value of ['hunter2', FAKE.github, 'postgres://u:p4ss@db/x', FAKE.pem]) {
      const found = envSecret(`DB_PASSWORD=${value}`);
      expect(found).toBeDefined();
      expect(JSON.stringify(found)).not.toContain(value);
    }
  });
});

describe('false positives on ordinary names', () => {
  const names = readFileSync(join(packageRoot, 'test', 'fixtures', 'env-names', 'ordinary.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('the list is long enough to measure with', () => {
    expect(names.length).toBeGreaterThanOrEqual(600);
    expect(new Set(names).size).toBe(names.length);
  });

  it('with a value that could be a password, at most 1 in 200 ordinary names is flagged, and these are known', () => {
    // The worst case for names: a value no shape check clears (not a switch, path or reference).
    const flagged = names.filter((name) => envSecret(`${name}=q7Zx2Lm9Vt`) !== undefined);
    expect(flagged.length / names.length).toBeLessThanOrEqual(1 / 200);
    // Documented as holding a path (the shape check clears it with its real value).
    expect(flagged).toEqual(['GOOGLE_APPLICATION_CREDENTIALS']);
    expect(envSecret('GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json')).toBeUndefined();
  });

  it('with ordinary values (a word, a number, a URL without a password), none but the known one is flagged', () => {
    for (const value of ['production', '8080', 'https://api.example.com/v1', 'eu-west-1'])
      expect(names.filter((name) => envSecret(`${name}=${value}`) !== undefined)).toEqual([
        'GOOGLE_APPLICATION_CREDENTIALS',
      ]);
  });
});

describe('values built to make a pattern retry at every character are read in one pass', () => {
  // scripts/bench/env-secrets.mts times these; here they must give the right answer.
  const fill = (unit: string): string => unit.repeat(Math.ceil(65536 / unit.length)).slice(0, 65536);
  it.each([
    ['a.a.a…', fill('a.')],
    ['a://…', fill('a://')],
    ['eyJ-…', fill('eyJ-')],
    ['ghp_…', fill('ghp_')],
    ['AKIA…', fill('AKIA')],
    ['Basic + spaces', `Basic${fill(' ')}`],
    ['-----BEGIN A A…', `-----BEGIN ${fill('A ')}`],
  ])('%s (64 KB)', (_name, value) => {
    expect(envSecret(`X=${value}`)).toBeUndefined();
  });
  it('a password URL after 64 KB of a.a.a… is still found', () => {
    expect(urlWithPassword(`${fill('a.')} redis://:pw@cache`)).toBe(true);
    expect(urlWithPassword(`${fill('a.')}://x`)).toBe(false);
  });
});
