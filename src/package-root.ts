import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json and presets/; this file runs from src/, dist/ or the run bundle. */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'presets'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('safedock: cannot find its own package folder (with presets/)');
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot();
