import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * A scratch tree per test: `config/` is XDG_CONFIG_HOME and `home/` is HOME, so nothing ever
 * reads or writes the real home. Removed after each test.
 */
export function scratch(): {
  root: string;
  env: NodeJS.ProcessEnv;
  userDir: string;
  write(path: string, text: string): string;
} {
  const root = mkdtempSync(join(tmpdir(), 'safedock-presets-'));
  made.push(root);
  const env: NodeJS.ProcessEnv = { XDG_CONFIG_HOME: join(root, 'config'), HOME: join(root, 'home') };
  return {
    root,
    env,
    userDir: join(root, 'config', 'safedock', 'presets'),
    write(path: string, text: string): string {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A preset file's text. */
export function presetYaml(name: string, body: string): string {
  return `name: ${name}\nsummary: test preset ${name}\n${body}`;
}
