import { dirname, isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../package-root.js';
import type { Preset } from './types.js';

/**
 * A preset's `seccomp=PATH` names a profile relative to the preset file that wrote it (the
 * built-ins use ../seccomp/strict.json). The path is made absolute against that file's folder,
 * so it means the same wherever safedock runs and whichever preset extends it. The profile is
 * then read and sent inline, as docker does with --security-opt seccomp=FILE.
 */
export function anchorProfilePath(option: string, preset: Pick<Preset, 'file'>): string {
  const match = /^(seccomp[=:])(.+)$/i.exec(option);
  const path = match?.[2];
  if (
    !match ||
    path === undefined ||
    isAbsolute(path) ||
    path === 'unconfined' ||
    path === 'builtin' ||
    path.startsWith('{')
  )
    return option;
  const base = isAbsolute(preset.file) ? dirname(preset.file) : join(packageRoot, dirname(preset.file));
  return `${match[1]}${resolve(base, path)}`;
}
