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
      "packages/*/dist/",
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
  // The page runs in browsers (its Vite config in Node).
  {
    files: ["packages/web/src/**/*.ts"],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layers point one way: core and audio know nothing of Hardhat, the plugin or the server,
  // and the audio package's root runs in browsers (Node only in its `node` entry).
  {
    files: ["packages/core/src/**/*.ts", "packages/audio/src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hardhat", "hardhat/*", "@nomicfoundation/*", "hardhat-zkml", "hardhat-zkml/*"],
              message: "core and audio must not depend on Hardhat or the plugin",
            },
            { group: ["@hardhat-zkml/server", "@hardhat-zkml/server/*"], message: "core and audio must not depend on the server" },
            { regex: "^(\\.\\./){3,}|/tasks/", message: "import another package by its name, not by a path into it" },
          ],
        },
      ],
    },
  },
  {
    files: ["packages/audio/src/**/*.ts"],
    ignores: ["packages/audio/src/node.ts", "packages/audio/src/ffmpeg.ts", "packages/audio/src/read-audio-file.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "path", "os", "child_process", "stream", "buffer"],
              message: "the audio package's root runs in browsers: Node modules belong in node.ts",
            },
            {
              group: ["hardhat", "hardhat/*", "@nomicfoundation/*", "hardhat-zkml", "hardhat-zkml/*", "@hardhat-zkml/*"],
              message: "audio is the lowest layer: it depends on no other part of the toolkit",
            },
            { group: ["../*"], message: "import another package by its name, not by a path into it" },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  prettier,
);
