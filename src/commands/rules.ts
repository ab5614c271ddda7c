import { Args, Flags } from '@oclif/core';
import { SafedockError } from '../errors.js';
import { SafedockCommand } from '../cli/safedock-command.js';
import { checkRuleId } from '../policy/accept.js';
import { RULES, ruleById } from '../policy/catalog.js';
import { ruleText, rulesTable } from '../policy/rules-text.js';

export default class Rules extends SafedockCommand {
  static override summary = 'List the risk rules safedock run and safedock audit check, or show one in full.';
  static override description =
    'Every rule looks at the merged settings a run would send (preset, image tailoring and your flags), never at how a flag was spelt. High and critical findings need consent: a yes on a terminal, or --accept ID --reason "why" on the command line or accept: in .safedock.yaml.';
  static override examples = [
    '<%= config.bin %> rules',
    '<%= config.bin %> rules SD118',
    '<%= config.bin %> rules --json',
  ];
  static override args = {
    id: Args.string({ description: 'A rule id, e.g. SD118', required: false }),
  };
  static override flags = {
    json: Flags.boolean({ description: 'Print as JSON' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rules);
    if (args.id === undefined) {
      process.stdout.write(flags.json ? `${JSON.stringify(RULES, null, 2)}\n` : rulesTable());
      return;
    }
    const id = args.id.trim().toUpperCase();
    const bad = checkRuleId(id);
    const rule = ruleById(id);
    if (bad !== undefined || rule === undefined) {
      throw new SafedockError(bad?.problem ?? `there is no rule ${id}`, {
        code: 'usage',
        hint: bad?.hint ?? 'safedock rules lists every rule.',
      });
    }
    process.stdout.write(flags.json ? `${JSON.stringify(rule, null, 2)}\n` : ruleText(rule));
  }
}
