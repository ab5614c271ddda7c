import { mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { initConfigText } from './config-text.js';
import { writeFileAtomic } from '../project/write-file-atomic.js';
import type { InitPlan } from './plan-init.js';
import { ENDING_SIGNALS, processSignals } from '../signals.js';

/**
 * Writes the plan's files: the project preset first, so the config never names a preset that is
 * not there yet, then the config. Each file is written atomically; the whole write is synchronous
 * and signals are held off until it is done, so Ctrl-C can never stop it half way (and the few
 * milliseconds it takes leave nothing to interrupt). When the config cannot be written, the preset
 * file and folders this call created are removed again. Returns whether a signal came meanwhile.
 */
export async function writeInitFiles(plan: InitPlan): Promise<{ interrupted: boolean }> {
  // The config is edited as it is now, in case it changed while the questions were answered.
  const configText = plan.config.exists
    ? await initConfigText(plan.config.file, plan.effective.name, plan.service)
    : plan.config.text;
  let interrupted = false;
  const hold = (): void => {
    interrupted = true;
  };
  const release = processSignals.on(ENDING_SIGNALS, hold);
  try {
    writeSync(plan, configText);
  } finally {
    release();
  }
  return { interrupted };
}

function writeSync(plan: InitPlan, configText: string): void {
  let madeFolder: string | undefined;
  let madeFile: string | undefined;
  try {
    if (plan.preset !== undefined) {
      madeFolder = mkdirSync(dirname(plan.preset.file), { recursive: true });
      writeFileAtomic(plan.preset.file, plan.preset.text, { replace: plan.preset.exists });
      if (!plan.preset.exists) madeFile = plan.preset.file;
    }
    writeFileAtomic(plan.config.file, configText, { replace: plan.config.exists });
  } catch (err) {
    if (madeFile !== undefined) unlinkSync(madeFile);
    if (madeFolder !== undefined) rmSync(madeFolder, { recursive: true, force: true });
    throw err;
  }
}
