/** A value a preset gives a docker flag: scalars, or a list for repeatable flags. */
export type SettingValue = string | number | boolean | Array<string | number>;

export interface PresetSetting {
  value: SettingValue;
  reason?: string;
}

/** Where a preset was found, lowest precedence first: a later source overrides an earlier name. */
export const PRESET_SOURCES = ['built-in', 'user', 'project'] as const;
export type PresetSource = (typeof PRESET_SOURCES)[number];

export interface Preset {
  name: string;
  summary: string;
  /** Where the preset was read from, for messages and provenance. */
  file: string;
  /** The parent preset named in the file; its settings lie under this preset's. */
  extends?: string;
  /** Which source the preset came from; set by the catalog (src/presets/catalog.ts). */
  source?: PresetSource;
  /** Why a run uses this preset: --preset, SAFEDOCK_PRESET, a project config file, or the default. */
  chosenBy?: string;
  /** docker-run flags by their long name, applied under the user's flags. */
  settings: Record<string, PresetSetting>;
  image?: {
    /** The user to run as when the image would run as root and no -u was given. */
    nonRootUser?: PresetSetting;
  };
  ports?: {
    /** The host address for -p specs that name none (docker would publish on every interface). */
    defaultAddress?: PresetSetting;
  };
  network?: {
    /**
     * A bridge network safedock owns, with inter-container traffic off, for runs that name no
     * network: created on first use (src/engine/isolated-network.ts).
     */
    isolated?: PresetSetting;
  };
  /**
   * Policy findings this preset gives up on purpose: finding key (SD119, or SD112:CHOWN) to
   * reason. They cover only what the preset itself or the image tailoring it asked for produced.
   */
  accept?: Record<string, string>;
}

/** Preset names: what --preset takes, and the file name (NAME.yaml) of a preset. */
export const PRESET_NAME = /^[a-z0-9][a-z0-9._-]*$/;
