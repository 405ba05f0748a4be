// Layer rules: the domain is pure; use cases see only the domain and their ports; each chat SDK stays in its adapter.
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "src/domain may import only src/domain and pure libraries (no I/O, no Slack, no SQLite)",
      severity: "error",
      from: { path: "^src/domain" },
      to: {
        pathNot: "^src/domain|node_modules/(date-fns|date-fns-tz|zod|fastest-levenshtein|tinyqueue)/",
      },
    },
    {
      name: "domain-no-node-io",
      severity: "error",
      from: { path: "^src/domain" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "app-not-adapters",
      comment: "use cases depend on ports, never on adapters",
      severity: "error",
      from: { path: "^src/app" },
      to: { path: "^src/(adapters|scheduler|main|cli)" },
    },
    {
      name: "core-not-adapters",
      comment: "the domain, the use cases and the scheduler never import an adapter: main hands them ports",
      severity: "error",
      from: { path: "^src/(domain|app|scheduler)/" },
      to: { path: "^src/adapters/" },
    },
    {
      name: "slack-sdk-only-in-slack-adapter",
      comment: "@slack/* is imported only by src/adapters/slack",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/adapters/slack/" },
      to: { path: "node_modules/@slack/" },
    },
    {
      name: "matrix-sdk-only-in-matrix-adapter",
      comment: "matrix-js-sdk is imported only by src/adapters/matrix",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/adapters/matrix/" },
      to: { path: "node_modules/matrix-js-sdk/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
