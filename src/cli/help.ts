import { Help } from '@oclif/core';
import { wrapHelpLine } from '../text/wrap.js';

/**
 * oclif's help, every line kept within the width safedock lays help out in (oclif wraps its
 * sections but not a command's summary line or its examples).
 */
export default class SafedockHelp extends Help {
  protected override log(...args: string[]): void {
    const width = this.opts.maxWidth;
    const lines = args.join('\n').split('\n');
    super.log(lines.flatMap((line) => wrapHelpLine(line, width)).join('\n'));
  }
}
