import { SafedockError, type ErrorCode } from '../errors.js';

/** What kind of file an error is about, as the message names it. */
export type ConfigKind = 'preset' | 'project config' | 'compose file';

/** A path of keys inside a YAML document, e.g. ['settings', 'memory', 'value']. */
export type KeyPath = readonly (string | number)[];

export function keyPathText(path: KeyPath): string {
  return path.length === 0 ? '(document)' : path.join('.');
}

/**
 * A problem in a preset file or a project config, naming the file, the line (when the file was
 * read with positions) and the key: `preset ~/.config/safedock/presets/web.yaml:7: settings.memroy: …`.
 */
export class ConfigFileError extends SafedockError {
  readonly kind: ConfigKind;
  readonly file: string;
  /** undefined for a YAML syntax error, which has a line but no key. */
  readonly path: KeyPath | undefined;
  readonly line: number | undefined;
  readonly detail: string;

  constructor(
    kind: ConfigKind,
    file: string,
    path: KeyPath | undefined,
    detail: string,
    options: { hint?: string; line?: number | undefined; code?: ErrorCode } = {},
  ) {
    const where = options.line === undefined ? file : `${file}:${options.line}`;
    const key = path === undefined ? '' : `${keyPathText(path)}: `;
    super(`${kind} ${where}: ${key}${detail}`, {
      code: options.code ?? (kind === 'preset' ? 'preset-invalid' : 'project-config-invalid'),
      ...(options.hint === undefined ? {} : { hint: options.hint }),
    });
    this.name = 'ConfigFileError';
    this.kind = kind;
    this.file = file;
    this.path = path;
    this.line = options.line;
    this.detail = detail;
  }

  /** The same error, with the line of its key in the file. */
  atLine(line: number | undefined): ConfigFileError {
    if (line === undefined || this.line !== undefined) return this;
    return new ConfigFileError(this.kind, this.file, this.path, this.detail, {
      line,
      code: this.code,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    });
  }
}
