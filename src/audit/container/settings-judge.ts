import type { SettingsJudge } from './judge-container.js';

/**
 * The settings rules (SD1xx) on an inspected container. They need the inspected container mapped
 * to the run model (fromInspect), which this build does not have yet: undefined, so that the audit
 * reports SD1xx as not checked rather than passed.
 */
export const settingsJudge: SettingsJudge | undefined = undefined;
