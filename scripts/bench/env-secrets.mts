// Times the environment-secret check on long adversarial values (each 64 KB, built to make a
// backtracking pattern retry at every character). Run with `npm run bench:env-secrets`; every
// value should take a few milliseconds, and doubling its length should about double the time.
import { envSecret } from '../../src/policy/env-secrets.ts';

const SIZE = 64 * 1024;
const fill = (unit: string, size = SIZE): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

const CASES: Record<string, string> = {
  'a.a.a… (URL scheme)': fill('a.'),
  'a:// repeated': fill('a://'),
  'x://:… without @': `x://${fill(':a')}`,
  'eyJ-eyJ-… (JWT)': fill('eyJ-'),
  'eyJaaaaaaaa. repeated': fill('eyJaaaaaaaa.'),
  'ghp_ repeated': fill('ghp_'),
  'sk- repeated': fill('sk-'),
  'AKIA repeated': fill('AKIA'),
  'Basic + spaces': `Basic${fill(' ')}`,
  'Bearer repeated': fill('Bearer '),
  '-----BEGIN A A A…': `-----BEGIN ${fill('A ')}`,
  '"auth": repeated': fill('"auth": '),
  'password= repeated': fill(';password='),
};

let worst = 0;
for (const [name, value] of Object.entries(CASES)) {
  for (const size of [1, 2]) {
    const input = `X=${size === 1 ? value : value + value}`;
    const start = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) envSecret(input);
    const ms = Number(process.hrtime.bigint() - start) / 5e6;
    worst = Math.max(worst, ms);
    process.stdout.write(
      `${name.padEnd(28)} ${String(input.length).padStart(7)} chars  ${ms.toFixed(2).padStart(8)} ms\n`,
    );
  }
}
process.stdout.write(`worst: ${worst.toFixed(2)} ms\n`);
