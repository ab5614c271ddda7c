import { describe, expect, it } from 'vitest';
import { credentialName, credentialValue, envSecret, nameWords } from '../../../src/policy/env-secrets.js';
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

  it('never returns the value', () => {
    for (const value of ['hunter2', FAKE.github, 'postgres://u:p4ss@db/x', FAKE.pem]) {
      const found = envSecret(`DB_PASSWORD=${value}`);
      expect(found).toBeDefined();
      expect(JSON.stringify(found)).not.toContain(value);
    }
  });
});
