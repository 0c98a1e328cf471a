// Module boundaries of the server and the purity of the domain package, checked in CI (`npm run lint:deps`).
// The rules are explained in docs/architecture.md ("Module boundaries"). Type-only imports count: a cycle of types
// is still a cycle a reader has to untangle.
/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle in the server or the domain package, however long and whatever it imports.',
      from: { path: '^(apps/server/src|packages/domain/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      scope: 'folder',
      comment:
        'No cycle between modules either: auth → users → auth is a cycle even when no single file closes it ' +
        '(each step goes through an index.ts). A module that needs something from a module above it takes it as a ' +
        'parameter instead.',
      from: { path: '^apps/server/src/modules/[^/]+$' },
      to: { path: '^apps/server/src/modules/[^/]+$', circular: true },
    },
    {
      name: 'module-through-index',
      severity: 'error',
      comment:
        "A module reaches another only through that module's index.ts (its public surface). " +
        'Tests and fixtures beside a module follow the same rule.',
      from: { path: '^apps/server/src/modules/([^/]+)/' },
      to: {
        path: '^apps/server/src/modules/[^/]+/',
        pathNot: ['^apps/server/src/modules/$1/', '^apps/server/src/modules/[^/]+/index[.]ts$'],
      },
    },
    {
      name: 'outside-through-index',
      severity: 'error',
      comment:
        "Code outside the modules (demo, CLI, worker, runtime) reaches a module through its index.ts too; only app.ts, which registers every module's routes, imports route files.",
      from: {
        path: '^apps/server/src/',
        pathNot: ['^apps/server/src/modules/', '^apps/server/src/app[.]ts$', '^apps/server/src/errors[.]ts$'],
      },
      to: {
        path: '^apps/server/src/modules/[^/]+/',
        pathNot: '^apps/server/src/modules/[^/]+/index[.]ts$',
      },
    },
    {
      name: 'errors-composition',
      severity: 'error',
      comment:
        "apps/server/src/errors.ts composes the error maps: it imports the modules' <module>.errors.ts and nothing else of them.",
      from: { path: '^apps/server/src/errors[.]ts$' },
      to: {
        path: '^apps/server/src/modules/[^/]+/',
        pathNot: '^apps/server/src/modules/([^/]+)/[^/]+[.]errors[.]ts$',
      },
    },
    {
      name: 'no-app-import',
      severity: 'error',
      comment:
        'No module or platform file imports app.ts (it imports every route file): shared types live in platform/.',
      from: { path: '^apps/server/src/(modules|platform)/' },
      to: { path: '^apps/server/src/app[.]ts$' },
    },
    {
      name: 'platform-not-modules',
      severity: 'error',
      comment: 'platform/ is the floor the modules stand on: it imports no module.',
      from: { path: '^apps/server/src/platform/' },
      to: { path: '^apps/server/src/modules/' },
    },
    {
      name: 'domain-imports-nothing',
      severity: 'error',
      comment:
        'packages/domain is pure: no other workspace, no npm package, no node:* built-in (the till runs it in the browser).',
      from: { path: '^packages/domain/src/', pathNot: '[.]test[.]ts$' },
      to: { pathNot: '^packages/domain/src/' },
    },
  ],
  options: {
    // The production graph: tests, their fixtures and helpers build whole apps (app.ts, test/harness.ts) and may
    // use another module's fixtures; nothing imports them, so they cannot close a cycle of the running code.
    exclude: { path: '([.]test|[.]fixtures|[.]test-helpers)[.]ts$|^apps/server/test/' },
    doNotFollow: { path: ['node_modules'] },
    // Type-only imports are real edges of the graph (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'apps/server/tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
