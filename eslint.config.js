// ESLint: typescript-eslint's strict rules plus the direction of imports of CONVENTIONS.md:
// http, web and cli → services → core; storage and crypto implement core's ports; core imports
// nothing from outside itself.
import tseslint from 'typescript-eslint';

const outward = (...folders) =>
  folders.map((f) => ({ group: [`**/${f}/*`, `**/${f}`], message: `core must not import ${f}` }));
/** The same patterns, for a part other than core. */
const barred = (part, ...folders) =>
  folders.map((f) => ({
    group: [`**/${f}/*`, `**/${f}`],
    message: `${part} must not import ${f}`,
  }));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outward('services', 'storage', 'crypto', 'http', 'cli', 'client', 'web'),
            { group: ['node:*'], message: 'core is pure: no node: modules' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core reads no environment' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'core takes time as a parameter',
        },
      ],
    },
  },
  {
    // The token app runs in the browser: the pure core only, no Node modules.
    files: ['src/token-app/**/*.ts'],
    ignores: ['src/token-app/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outward('services', 'storage', 'crypto', 'http', 'cli', 'client', 'web'),
            { group: ['node:*'], message: 'the app runs in the browser' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: outward('http', 'cli', 'web', 'storage').filter(Boolean) },
      ],
    },
  },
  {
    files: ['src/storage/**/*.ts', 'src/crypto/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: outward('services', 'http', 'cli', 'web') }],
    },
  },
  {
    // The portal reaches the platform only through client/ (its own files, client and core).
    files: ['src/web/**/*.ts'],
    ignores: ['src/web/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: barred('web', 'services', 'storage', 'http', 'crypto', 'cli') },
      ],
    },
  },
  {
    // The client sits between the portal and the platform: a transport, never a screen or a store.
    files: ['src/client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: barred('client', 'http', 'storage', 'web', 'cli') },
      ],
    },
  },
);
