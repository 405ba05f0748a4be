// Layer rules: the domain is pure; use cases see only the domain and their ports.
module.exports = {
  forbidden: [
    {
      name: "domain-is-pure",
      comment: "src/domain may import only src/domain and pure libraries (no I/O, no Slack, no SQLite)",
      severity: "error",
      from: { path: "^src/domain" },
      to: {
        pathNot: "^src/domain|node_modules/(date-fns|date-fns-tz|zod|fastest-levenshtein)/",
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
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
  },
};
