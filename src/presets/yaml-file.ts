import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ConfigFileError, type ConfigKind, type KeyPath } from './errors.js';

/** A YAML file read with positions: its value, and the line of any key path in it. */
export interface YamlFile {
  file: string;
  value: unknown;
  /** 1-based line of the deepest key of `path` present in the file; a plain function, safe to pass around. */
  readonly lineOf: (path: KeyPath) => number;
}

/**
 * Reads one YAML document. The yaml package is imported here, on first use, so that a run
 * without user or project files never loads it. Syntax errors name the file and the line.
 * `file` is how messages name the file (built-ins: `presets/strict.yaml`).
 */
export async function readYamlFile(
  path: string,
  kind: ConfigKind,
  file = path,
  options: { merge?: boolean } = {},
): Promise<YamlFile> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigFileError(
      kind,
      file,
      undefined,
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
  const { parseDocument, LineCounter, isMap, isSeq, isScalar } = await import('yaml');
  const counter = new LineCounter();
  // `merge`: YAML 1.1's `<<: *anchor` merge keys, which Compose applies (a file read without them
  // would be judged without the settings they bring in).
  const doc = parseDocument(text, {
    lineCounter: counter,
    prettyErrors: false,
    uniqueKeys: true,
    merge: options.merge === true,
  });
  const lineAt = (offset: number): number => counter.linePos(offset).line;
  const error = doc.errors[0];
  if (error) {
    throw new ConfigFileError(kind, file, undefined, `invalid YAML: ${error.message.split('\n')[0] ?? error.code}`, {
      line: lineAt(error.pos[0]),
      hint: `Fix the YAML syntax in ${file} at that line.`,
    });
  }
  const lineOf = (path: KeyPath): number => {
    let node: unknown = doc.contents;
    let line = (isScalar(node) || isMap(node) || isSeq(node)) && node.range ? lineAt(node.range[0]) : 1;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === segment);
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item: unknown = node.items[segment];
        if (!(isScalar(item) || isMap(item) || isSeq(item)) || !item.range) break;
        line = lineAt(item.range[0]);
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }) as unknown, lineOf };
}

/** Runs a check on a read file; a ConfigFileError it throws gets the line of its key. */
export function withLines<T>(yaml: YamlFile, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ConfigFileError && err.file === yaml.file && err.path !== undefined)
      throw err.atLine(yaml.lineOf(err.path));
    throw err;
  }
}

/** A value as a YAML document, with a comment at the top (each line of it a `#` line). */
export async function yamlText(value: unknown, comment?: string): Promise<string> {
  const { Document } = await import('yaml');
  const doc = new Document(value);
  if (comment !== undefined) doc.commentBefore = comment;
  return doc.toString({ lineWidth: 0 });
}

/** One change to a YAML document: a key path set to a value, or removed. */
export type YamlEdit = { op: 'set'; path: KeyPath; value: unknown } | { op: 'delete'; path: KeyPath };

/** What became of an edit: the new text, or why the text could not be edited. */
export type YamlEditResult =
  | { ok: true; text: string }
  | { ok: false; problem: 'invalid'; message: string }
  | { ok: false; problem: 'not-a-mapping' };

/**
 * `text` (an absent file when undefined) with the edits made in place: comments, key order and
 * layout of everything else are kept (the yaml package's Document API). Maps on the way to a set
 * key are made as needed; a new document gets `header` as its top comment.
 */
export async function editYamlDocument(
  text: string | undefined,
  edits: readonly YamlEdit[],
  header?: string,
): Promise<YamlEditResult> {
  const { parseDocument, isMap } = await import('yaml');
  const doc = parseDocument(text ?? '');
  const error = doc.errors[0];
  if (error !== undefined)
    return { ok: false, problem: 'invalid', message: error.message.split('\n')[0] ?? error.code };
  if (doc.contents !== null && !isMap(doc.contents)) return { ok: false, problem: 'not-a-mapping' };
  for (const edit of edits) {
    if (edit.op === 'set') doc.setIn(edit.path, edit.value);
    else doc.deleteIn(edit.path);
  }
  if (text === undefined && header !== undefined) doc.commentBefore = header;
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}

/** editYamlDocument for callers that leave a file alone when it is not a YAML mapping (undefined). */
export async function editYamlText(text: string, edits: readonly YamlEdit[]): Promise<string | undefined> {
  const result = await editYamlDocument(text, edits);
  return result.ok ? result.text : undefined;
}

/** YAML text as plain values (what was just rendered, read back to be checked like a file would be). */
export async function parseYamlText(text: string): Promise<unknown> {
  const { parse } = await import('yaml');
  return parse(text) as unknown;
}

/**
 * A ConfigFileError about a key, with the line of that key in its file when the error was made
 * without one (by code that had the file's values, not its text): the file is read again, once,
 * as the error is reported. Anything else, and files that cannot be read, come back as they are.
 */
export async function locateConfigError(err: unknown): Promise<unknown> {
  if (!(err instanceof ConfigFileError) || err.line !== undefined || err.path === undefined) return err;
  if (!isAbsolute(err.file) || !existsSync(err.file)) return err;
  try {
    return err.atLine((await readYamlFile(err.file, err.kind)).lineOf(err.path));
  } catch {
    return err;
  }
}

/**
 * Characters a YAML 1.1 reader (PyYAML, as docker-compose 1.29 uses) refuses in a plain scalar or
 * reads as something else: a tab, controls, DEL, the Unicode line and paragraph separators and
 * NEL (line breaks to it), a byte-order mark.
 */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const NEEDS_ESCAPES = /[\t\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;
/** Of those, the ones the yaml package leaves raw inside double quotes: written as \uXXXX. */
const LEFT_RAW = /[\u007f-\u009f\u2028\u2029\ufeff]/g;
/** Whole scalars a YAML 1.1 reader takes for a tag of its own: `=` (value) and `<<` (merge). */
const SPECIAL_SCALARS = new Set(['=', '<<']);

/**
 * A value as one YAML document, in YAML 1.1 (what the Compose and Kubernetes tools read): strings
 * that 1.1 would take for booleans, numbers or times (`no`, `on`, `0755`, `65534:65534`) are quoted,
 * and so are strings holding characters a 1.1 reader refuses or reads as line breaks (escaped), `=`
 * and `<<`. Lines are never folded.
 */
export async function toYaml(value: unknown, comment?: string): Promise<string> {
  const { Document, Scalar, visit } = await import('yaml');
  const doc = new Document(value, { version: '1.1' });
  if (comment !== undefined) doc.commentBefore = comment;
  visit(doc, {
    Scalar(_, node) {
      const v = node.value;
      // A block of lines holding `<<` is double-quoted too, so that no line of its own reads `- <<`.
      if (
        typeof v === 'string' &&
        (NEEDS_ESCAPES.test(v) || SPECIAL_SCALARS.has(v) || (v.includes('\n') && v.includes('<<')))
      )
        node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  // The yaml package writes `<<` bare whatever the node's type (its merge key): quoted here, as a
  // key (`<<:`), a value (`: <<`) or an item (`- <<`), the only places a whole scalar stands.
  const merged = text.replace(/^(\s*(?:- )*)<<(?=:(?: |$))|(: |- )<<$/gm, (_, lead?: string, item?: string) =>
    lead !== undefined ? `${lead}"<<"` : `${item ?? ''}"<<"`,
  );
  return merged.replace(LEFT_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
