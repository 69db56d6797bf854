// @ts-check
import tseslint from 'typescript-eslint';

/**
 * typescript-eslint's `recommended` set, without type information: type-aware linting costs
 * a full program build per run, which on a two-core machine is slower than the whole unit
 * tier; `tsc --noEmit` already covers what the type-aware rules would add most.
 */
export default tseslint.config(
  {
    ignores: [
      '**/dist/',
      '**/node_modules/',
      '**/.data/',
      '**/coverage/',
      '.bulwark/',
      'infra/local/ferretdb/',
      // Deliberately broken imports that prove the dependency rules bite; never linted or built.
      'test/architecture/fixtures/',
    ],
  },
  tseslint.configs.recommended,
  {
    rules: {
      // A parameter that must exist for its position (callbacks, interface implementations)
      // says it is unused with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Tool configs that must be CommonJS (dependency-cruiser's, jest's) load each other with require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
