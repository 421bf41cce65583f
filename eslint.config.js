// ESLint flat config: typescript-eslint's recommended rules (what Hardhat's own packages
// build on), with formatting left to Prettier (eslint-config-prettier).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "artifacts/",
      "artifacts-zk/",
      "cache/",
      "types/",
      "coverage/",
      "contracts/generated/",
      ".bench-sizing/",
      ".bench-inner-cols/",
      "ignition/deployments/",
      ".test-projects/",
      ".tools/",
      ".venv/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // `typeof import("pkg")` stays allowed: it types a module that is loaded lazily.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
