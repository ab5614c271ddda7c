import type { OptionValue } from '../docker-cli/parsed-run.js';

/** Where an effective setting came from. */
export type Source =
  | { kind: 'user' }
  | { kind: 'preset'; preset: string; file: string; key: string; reason?: string }
  | { kind: 'image'; reason: string };

export interface MergedOption extends OptionValue {
  source: Source;
}

/** A preset value that the user's flags replaced. */
export interface Override {
  flag: string;
  preset: string[];
  user: string[];
}

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'user':
      return 'your flags';
    case 'preset':
      return `preset ${source.preset} (${source.file}: ${source.key.includes('.') ? source.key : `settings.${source.key}`})`;
    case 'image':
      return 'image tailoring';
  }
}
