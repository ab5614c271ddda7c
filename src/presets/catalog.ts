import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { suggest } from '../grammar/suggest.js';
import { SafedockError, UsageError } from '../errors.js';
import { ConfigFileError } from './errors.js';
import { extendPreset } from './extend.js';
import { configTrust, ignoredText, TRUSTED_FOLDERS_VAR, type TrustCheck } from './trust.js';
import type { ProjectConfig } from './project-config.js';
import { PRESET_NAME, PRESET_SOURCES, type Preset, type PresetSource } from './types.js';
import { validatePreset } from './validate.js';
import { readYamlFile, withLines } from './yaml-file.js';

/** The folders holding user and project presets (NAME.yaml each); undefined when there is none. */
export interface PresetDirs {
  userDir: string | undefined;
  projectDir: string | undefined;
}

/** Why a preset was chosen for a run, in order of precedence. */
export type ChoiceOrigin = '--preset' | 'SAFEDOCK_PRESET' | 'project config' | 'default';

export interface PresetChoice {
  name: string;
  origin: ChoiceOrigin;
}

export function describeChoice(choice: PresetChoice, config?: ProjectConfig): string {
  switch (choice.origin) {
    case '--preset':
      return 'given with --preset';
    case 'SAFEDOCK_PRESET':
      return 'set by SAFEDOCK_PRESET';
    case 'project config':
      return `set by the project config ${config?.file ?? ''}`.trimEnd();
    case 'default':
      return 'the built-in default (no --preset, SAFEDOCK_PRESET or project config preset)';
  }
}

/** A preset resolved over its parents: the chain runs from the root ancestor to the preset. */
export interface ResolvedPreset {
  preset: Preset;
  chain: Preset[];
}

export interface CatalogEntry {
  preset: Preset;
  /** The source whose preset of the same name replaces this one, if any. */
  overriddenBy: PresetSource | undefined;
}

const level = (source: PresetSource): number => PRESET_SOURCES.indexOf(source);

/**
 * Every preset safedock can see: built-in < user < project, a later source overriding an earlier
 * preset of the same name. User and project presets are read lazily, file by file (NAME.yaml),
 * so a run reads only the files of the preset it uses and its parents.
 */
export class PresetCatalog {
  private readonly loaded = new Map<string, Promise<Preset>>();
  private readonly lines = new Map<string, (path: readonly (string | number)[]) => number>();

  /** Files ignored because another user could have written them (src/presets/trust.ts), one line each. */
  readonly warnings: string[] = [];

  constructor(
    private readonly builtins: ReadonlyMap<string, Preset>,
    readonly dirs: PresetDirs,
    readonly projectConfig: ProjectConfig | undefined,
    private readonly trust: TrustCheck = configTrust(process.env),
  ) {}

  /** A user or project preset file may be read: trusted, else warned about once and skipped. */
  private trusted(file: string, source: PresetSource): boolean {
    const why = this.trust(file);
    if (why === undefined) return true;
    const text = ignoredText(`${source} preset`, file, why);
    if (!this.warnings.includes(text)) this.warnings.push(text);
    return false;
  }

  /** Whether a user or project preset replaces a built-in one of the same name. */
  shadowsBuiltin(preset: Preset): boolean {
    return (preset.source ?? 'built-in') !== 'built-in' && this.builtins.has(preset.name);
  }

  dirOf(source: PresetSource): string | undefined {
    return source === 'user' ? this.dirs.userDir : source === 'project' ? this.dirs.projectDir : undefined;
  }

  /** The preset of this name from the highest source below `belowLevel` (default: all sources). */
  async find(name: string, belowLevel: number = PRESET_SOURCES.length): Promise<Preset | undefined> {
    if (!PRESET_NAME.test(name)) return undefined;
    for (let at = belowLevel - 1; at >= 0; at--) {
      const source = PRESET_SOURCES[at];
      if (source === undefined) continue;
      if (source === 'built-in') return this.builtins.get(name);
      const dir = this.dirOf(source);
      const file = dir === undefined ? undefined : join(dir, `${name}.yaml`);
      if (file !== undefined && existsSync(file) && this.trusted(file, source)) return this.load(file, source);
    }
    return undefined;
  }

  private load(file: string, source: PresetSource): Promise<Preset> {
    let preset = this.loaded.get(file);
    if (!preset) {
      preset = readPresetFile(file, source, this.lines);
      this.loaded.set(file, preset);
    }
    return preset;
  }

  /**
   * Names of every preset a run may use, from the file names alone (nothing is parsed), sorted:
   * an untrusted file is no preset, so it is neither offered nor suggested.
   */
  names(): string[] {
    const names = new Set(this.builtins.keys());
    for (const source of PRESET_SOURCES) {
      const dir = this.dirOf(source);
      if (dir === undefined) continue;
      for (const name of presetFileNames(dir)) if (this.trust(join(dir, `${name}.yaml`)) === undefined) names.add(name);
    }
    return [...names].sort();
  }

  /** The user or project file of this name that exists but is not trusted, and why, if any. */
  private untrustedFile(name: string): { file: string; source: PresetSource; why: string } | undefined {
    for (const source of [...PRESET_SOURCES].reverse()) {
      const dir = this.dirOf(source);
      if (dir === undefined || source === 'built-in') continue;
      const file = join(dir, `${name}.yaml`);
      const why = existsSync(file) ? this.trust(file) : undefined;
      if (why !== undefined) return { file, source, why };
    }
    return undefined;
  }

  /** The chosen preset, resolved over its parents. An unknown name is an error saying where it came from. */
  async resolve(choice: PresetChoice): Promise<ResolvedPreset> {
    const preset = await this.find(choice.name);
    if (!preset) throw this.unknown(choice);
    const chain: Preset[] = [preset];
    let current = preset;
    while (current.extends !== undefined) {
      const parentName = current.extends;
      const own = parentName === current.name;
      // A preset extending its own name extends the one it overrides (e.g. a project "strict" over the built-in).
      const parent = await this.find(parentName, own ? level(current.source ?? 'built-in') : undefined);
      if (!parent) {
        throw this.keyError(
          current,
          ['extends'],
          own
            ? `no preset "${parentName}" below this ${current.source ?? 'built-in'} preset to extend`
            : `unknown preset "${parentName}"`,
          `Name one of: ${this.names().join(', ')}.`,
        );
      }
      if (chain.some((p) => p.file === parent.file)) {
        const names = [...chain].reverse().map((p) => p.name);
        throw this.keyError(
          current,
          ['extends'],
          `cycle: ${[...names, parent.name].join(' -> ')}`,
          `Presets extend one another in a circle (${[...chain]
            .reverse()
            .map((p) => p.file)
            .join(', ')}); make one of them extend a preset outside it, or none.`,
        );
      }
      chain.unshift(parent);
      current = parent;
    }
    const resolved = chain.slice(1).reduce((under, child) => extendPreset(under, child), chain[0] ?? preset);
    return { preset: resolved, chain };
  }

  private keyError(preset: Preset, path: string[], message: string, hint: string): ConfigFileError {
    return new ConfigFileError('preset', preset.file, path, message, {
      hint,
      line: this.lines.get(preset.file)?.(path),
    });
  }

  private unknown(choice: PresetChoice): SafedockError {
    const names = this.names();
    const list = `one of: ${names.join(', ')}`;
    // A file that exists but is ignored: say why it is not used, rather than suggest a name.
    // `--preset ./hi.yaml` names the file hi.yaml: presets are chosen by name, from their folders.
    const asFile = choice.name.includes('/') || choice.name.endsWith('.yaml');
    const name = asFile ? basename(choice.name).replace(/\.ya?ml$/, '') : choice.name;
    const untrusted = PRESET_NAME.test(name) ? this.untrustedFile(name) : undefined;
    const from =
      choice.origin === 'SAFEDOCK_PRESET'
        ? ' (from SAFEDOCK_PRESET)'
        : choice.origin === 'project config'
          ? ` (from the project config ${this.projectConfig?.file ?? ''})`
          : '';
    if (untrusted !== undefined) {
      return new UsageError(
        `preset "${name}"${from} is not used: the ${untrusted.source} preset ${untrusted.file} is not trusted: ${untrusted.why}`,
        `Make the file yours (or root's) and writable by no one else, or set ${TRUSTED_FOLDERS_VAR} to a folder you trust; or choose ${list}.`,
      );
    }
    if (asFile) {
      return new UsageError(
        `preset "${choice.name}"${from} is a file name; presets are chosen by name (--preset ${name} for ${name}.yaml)`,
        `Put ${name}.yaml (holding "name: ${name}") in .safedock/presets of the project or in your user presets, then use --preset ${name}; or choose ${list}.`,
      );
    }
    const near = closestPreset(choice.name, names);
    if (choice.origin === 'project config' && this.projectConfig) {
      const config = this.projectConfig;
      return new ConfigFileError('project config', config.file, ['preset'], `unknown preset "${choice.name}"`, {
        hint: near === undefined ? `Choose ${list}.` : `Did you mean "preset: ${near}"? Choose ${list}.`,
        line: config.lineOf(['preset']),
      });
    }
    if (choice.origin === 'SAFEDOCK_PRESET') {
      return new UsageError(
        `unknown preset "${choice.name}" (from SAFEDOCK_PRESET)`,
        near === undefined ? `Choose ${list}.` : `Did you mean SAFEDOCK_PRESET=${near}? Choose ${list}.`,
      );
    }
    return new UsageError(
      `unknown preset "${choice.name}"`,
      near === undefined ? `Choose ${list} (for example --preset strict).` : `Did you mean ${near}? Choose ${list}.`,
    );
  }

  /** Every preset of every source, overridden ones too; broken files are returned as problems. */
  async list(): Promise<{ entries: CatalogEntry[]; problems: SafedockError[] }> {
    const bySource: Array<{ source: PresetSource; presets: Preset[] }> = [];
    const problems: SafedockError[] = [];
    for (const source of PRESET_SOURCES) {
      if (source === 'built-in') {
        bySource.push({ source, presets: [...this.builtins.values()] });
        continue;
      }
      const dir = this.dirOf(source);
      const presets: Preset[] = [];
      for (const file of yamlFiles(dir)) {
        if (!this.trusted(file, source)) continue;
        if (!PRESET_NAME.test(basename(file, '.yaml'))) {
          problems.push(
            new ConfigFileError(
              'preset',
              file,
              undefined,
              'the file name is not a preset name (lower-case letters, digits, ".", "_" or "-", then .yaml); it is ignored',
            ),
          );
          continue;
        }
        try {
          presets.push(await this.load(file, source));
        } catch (err) {
          if (!(err instanceof SafedockError)) throw err;
          problems.push(err);
        }
      }
      bySource.push({ source, presets });
    }
    const entries: CatalogEntry[] = [];
    for (const [at, { presets }] of bySource.entries()) {
      for (const preset of presets) {
        const over = bySource.slice(at + 1).find((later) => later.presets.some((p) => p.name === preset.name));
        entries.push({ preset, overriddenBy: over?.source });
      }
    }
    return { entries, problems };
  }
}

/** The preset meant by a misspelt name (`strcit` → `strict`), or undefined when none is close. */
export function closestPreset(name: string, names: readonly string[]): string | undefined {
  return suggest(name, names);
}

function yamlFiles(dir: string | undefined): string[] {
  if (dir === undefined || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.name.endsWith('.yaml') && (e.isFile() || e.isSymbolicLink()))
    .map((e) => join(dir, e.name))
    .sort();
}

function presetFileNames(dir: string | undefined): string[] {
  return yamlFiles(dir)
    .map((f) => basename(f, '.yaml'))
    .filter((n) => PRESET_NAME.test(n));
}

/** A user or project preset file: checked, its name the file's name, errors with file:line:key. */
async function readPresetFile(
  file: string,
  source: PresetSource,
  lines: Map<string, (path: readonly (string | number)[]) => number>,
): Promise<Preset> {
  const yaml = await readYamlFile(file, 'preset');
  lines.set(file, yaml.lineOf);
  return withLines(yaml, () => {
    const preset = validatePreset(yaml.value, file);
    const expected = basename(file, '.yaml');
    if (preset.name !== expected) {
      throw new ConfigFileError(
        'preset',
        file,
        ['name'],
        `"${preset.name}" differs from the file name; the preset in ${expected}.yaml must be named "${expected}"`,
        {
          hint: `Rename the file to ${preset.name}.yaml, or set "name: ${expected}".`,
        },
      );
    }
    return { ...preset, source };
  });
}
