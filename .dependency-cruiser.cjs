/**
 * The architecture as a rule: no import loops, and every top-level folder imports only the folders below it.
 * Run by `npm run lint` (and so by `npm test`). Bottom to top:
 */
const LAYERS = [
  ['lib'], // small pure helpers: crypto, logging, HTTP safety, caches
  ['config'], // the zod config schema, parsed once at each entry point
  ['widget', 'web'], // browser code: the embeddable chat (esbuild) and the owner web app (Vite); the API serves their builds
  ['ai'], // the reply brain: prompt, classification, extraction (no I/O)
  ['db'], // Mongoose models and the connection
  ['integrations'], // clients of Meta Graph, WhatsApp, OpenAI, Stripe, Resend (base URL from config)
  ['temporal'], // Temporal plumbing: connection, payload codec, search attributes, workflow ids
  ['domain'], // records the API and activities share: leads, conversations, transcript, notification rows
  ['activities'], // side effects, built by createActivities(deps)
  ['workflows'], // deterministic orchestration; imports activities as types only
  ['starters'], // client-side starts and signals of workflows, for the API and the worker
  ['api', 'worker'], // the two processes
  ['sandbox'], // local fakes of the external services for npm start and the benchmarks
  ['scripts', 'bench', 'test'], // entry points and tests sit on top
];

const layerOf = (folder) => LAYERS.findIndex((names) => names.includes(folder));
const above = (folder) =>
  LAYERS.slice(layerOf(folder) + 1)
    .flat()
    .filter((name) => !LAYERS[layerOf(folder)].includes(name));
const folderPattern = (names) => `^(${names.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'no-import-loop',
      comment: 'An import loop hides which module is the foundation; move the shared part down a layer.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.flat()
      .filter((folder) => above(folder).length > 0)
      .map((folder) => ({
        name: `no-upward-import-from-${folder}`,
        comment: `${folder}/ may only import folders below it (see LAYERS in .dependency-cruiser.cjs).`,
        severity: 'error',
        from: { path: `^${folder}/` },
        to: { path: folderPattern(above(folder)) },
      })),
    {
      name: 'api-and-worker-apart',
      comment: 'The API and the worker are separate processes; what both need lives in a lower layer.',
      severity: 'error',
      from: { path: '^api/' },
      to: { path: '^worker/' },
    },
    {
      name: 'worker-and-api-apart',
      severity: 'error',
      from: { path: '^worker/' },
      to: { path: '^api/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|\\.tools|\\.data|dist|widget/dist|web/dist)/' },
    // Type-only imports count: a loop through types is still a loop in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
