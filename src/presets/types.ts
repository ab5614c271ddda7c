/** A value a preset gives a docker flag: scalars, or a list for repeatable flags. */
export type SettingValue = string | number | boolean | Array<string | number>;

export interface PresetSetting {
  value: SettingValue;
  reason?: string;
}

export interface Preset {
  name: string;
  summary: string;
  /** Where the preset was read from, for messages and provenance. */
  file: string;
  /** docker-run flags by their long name, applied under the user's flags. */
  settings: Record<string, PresetSetting>;
  image?: {
    /** The user to run as when the image would run as root and no -u was given. */
    nonRootUser?: PresetSetting;
  };
}
