// The PWA's linter (`npm run lint`, part of `npm run check`). tsc already checks types;
// ESLint adds what a type checker cannot see: the rules of hooks (a hook called conditionally,
// an effect that reads a value it does not list and so runs with a stale one) and the
// recommended JavaScript and TypeScript rules. Preact's hooks (preact/hooks) have React's
// names and rules, so React's own plugin checks them.
//
// ESLint rather than Biome: eslint-plugin-react-hooks is the reference implementation of the
// hooks rules (Biome's useExhaustiveDependencies is a port of it), and ESLint is plain
// JavaScript, where Biome is a native binary per platform, which the lock file could not list
// for other platforms than Linux (see the Makefile's note on `npm ci`).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "dev-dist/", "node_modules/"] },
  // A disable comment that no longer hides anything fails too, so none outlives its reason.
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      // An error, not the plugin's default warning: a missing dependency is a stale value
      // more often than not, and a warning does not fail `npm run check`.
      // useLive (src/app/live.ts) takes a query and its dependencies like useEffect does, so
      // its callers' lists are checked the same way.
      "react-hooks/exhaustive-deps": ["error", { additionalHooks: "^useLive$" }],
      // `const { id: _id, ...fields } = record` is how a key is left out of a copy.
      "@typescript-eslint/no-unused-vars": ["error", {
        ignoreRestSiblings: true, argsIgnorePattern: "^_", varsIgnorePattern: "^_",
      }],
    },
  },
  {
    // Build scripts run in Node, not in the browser.
    files: ["scripts/**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
);
