/**
 * The contract between the docker-run grammar (src/docker-cli) and everything after it.
 * Parsing is pure: argv in, ParsedRun out, or a UsageError (exit 125) with docker's text.
 */

/** One docker option occurrence, in argv order, under its canonical long name (no dashes). */
export interface OptionValue {
  name: string;
  /** The raw value; booleans are 'true' or 'false'. */
  value: string;
}

/** safedock's own options; they sit among docker's before the image and never collide. */
export interface OwnOptions {
  preset?: string;
  dryRun: boolean;
  json: boolean;
  /** --json-file FILE: where the JSON document goes (a run's policy report; a plan's JSON). */
  jsonFile?: string;
  /** --verbose: plans show every value in full (the seccomp profile's body among them). */
  verbose: boolean;
  help: boolean;
  /** --policy as given (checked by the policy, which names the allowed values). */
  policy?: string;
  /** --accept values, in order. */
  accept: string[];
  /** --reason values, in order. */
  reason: string[];
  yes: boolean;
  /** --pick: choose the preset on the terminal. */
  pick: boolean;
  /** --secret NAME=FILE values, in order. */
  secret: string[];
  /** --service NAME: publish the ports of that service of the project config. */
  service?: string;
}

export interface ParsedRun {
  /** docker options in the order given. */
  options: OptionValue[];
  own: OwnOptions;
  /** The first positional; undefined only when --help was asked. */
  image: string | undefined;
  /** Everything after the image, verbatim. */
  command: string[];
  /** The flags of a command that takes run's options and adds its own (export), in order. */
  extra?: OptionValue[];
}
