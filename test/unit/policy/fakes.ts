/**
 * Credential-shaped values for the tables, assembled at run time so that no complete token sits
 * in the source (secret scanners would flag the repository).
 */
const j = (...parts: string[]): string => parts.join('');

export const FAKE = {
  awsKeyId: j('AKIA', 'IOSFODNN7', 'EXAMPLE'),
  awsSecret: j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY'),
  github: j('gh', 'p_', 'a1B2'.repeat(9)),
  githubPat: j('github', '_pat_', '11ABCDEFG0', 'x'.repeat(40)),
  gitlab: j('gl', 'pat-', 'Ab3De5Gh7Jk9Lm1Np3Qr'),
  slack: j('xo', 'xb-', '1234567890-', 'abcdefghijkl'),
  stripe: j('sk', '_live_', '4eC39HqLyjWDarjtT1zdp7dc'),
  google: j('AI', 'za', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'),
  npm: j('np', 'm_', 'a1b2C3d4'.repeat(4), 'e5F6'),
  jwt: j(
    'ey',
    'JhbGciOiJIUzI1NiJ9',
    '.',
    'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
    '.',
    'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  ),
  pem: j('-----BEGIN OPENSSH ', 'PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAA'),
} as const;
