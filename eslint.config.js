// The linter is part of `npm test`. typescript-eslint's strict, type-checked rules; import cycles
// refused; dockerode, inquirer and yaml each confined to the one folder that owns that boundary.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Packages that only one place may import: the module that owns that I/O edge or format. */
const BOUNDARIES = [
  { name: 'dockerode', owner: 'src/engine/', message: 'dockerode is the engine edge: import it only in src/engine/.' },
  {
    name: 'docker-modem',
    owner: 'src/engine/',
    message: 'docker-modem is the engine edge: import it only in src/engine/.',
  },
  {
    name: '@inquirer/prompts',
    owner: 'src/prompt/',
    message: 'inquirer is the terminal edge: import it only in src/prompt/.',
  },
  {
    name: '@inquirer/core',
    owner: 'src/prompt/',
    message: 'inquirer is the terminal edge: import it only in src/prompt/.',
  },
  {
    name: 'yaml',
    owner: 'src/presets/yaml-file.ts',
    message: 'YAML is read and written in src/presets/yaml-file.ts only.',
  },
];

const restricted = (except) =>
  BOUNDARIES.filter((b) => b.owner !== except).map(({ name, message }) => ({ name, message }));

/** no-restricted-imports sees only static imports: `await import('yaml')` is held to the same owners. */
const restrictedDynamic = (except) =>
  BOUNDARIES.filter((b) => b.owner !== except).map(({ name, message }) => ({
    selector: `ImportExpression[source.value="${name}"]`,
    message,
  }));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'bin/**', 'scripts/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  importX.flatConfigs.typescript,
  {
    languageOptions: {
      parserOptions: { project: ['tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.check.json' })] },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // Numbers and booleans read naturally in messages; objects and undefined do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  // JavaScript (this file) lies outside the TypeScript project, so the rules that need types are off for it.
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: restricted(undefined) }],
      'no-restricted-syntax': ['error', ...restrictedDynamic(undefined)],
    },
  },
  ...BOUNDARIES.map((b) => ({
    files: [b.owner.endsWith('/') ? `${b.owner}**` : b.owner],
    rules: {
      'no-restricted-imports': ['error', { paths: restricted(b.owner) }],
      'no-restricted-syntax': ['error', ...restrictedDynamic(b.owner)],
    },
  })),
);
