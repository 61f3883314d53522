/**
 * docker-compose.yml against the config schema: the API and worker environments load as a production config,
 * ports, health checks and service names agree with each other, and the Dockerfile builds what they expect.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SearchAttributeType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError, loadConfig } from '../../config/load.js';
import { ConfigSchema } from '../../config/schema.js';
import { SEARCH_ATTRIBUTES } from '../../scripts/services/search-attributes.js';
import { ROOT } from '../../scripts/tools/paths.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../temporal/search-attributes.js';
import { WORKER_NODE_ARGS, WORKER_PROCESS_ENV } from '../../worker/node-args.js';

type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
};
// merge: the services share their environment through a `<<: *app-env` merge key.
const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const service = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

/** What the operator exports before `docker compose up`: only the variables the file marks as required. */
const OPERATOR_ENV = { ENCRYPTION_KEY: `k1:${randomBytes(32).toString('base64')}`, OPS_TOKEN: randomBytes(24).toString('hex') };

/** Compose's own interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error} (fails when unset or empty), $$ → $. */
const interpolate = (value: string, env: Record<string, string | undefined>) =>
  value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g,
    (all, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (all === '$$') return '$';
      const v = env[name!];
      if (v) return v;
      if (op === '?') throw new Error(`${name}: ${arg}`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
const envOf = (name: string, env: Record<string, string | undefined> = OPERATOR_ENV) =>
  Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, interpolate(String(v), env)]));
const requiredVariables = () =>
  [...readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]!);
const seconds = (d: string | undefined) => Number(/^(\d+)s$/.exec(d ?? '')?.[1] ?? Number.NaN);
const portOfUrl = (s: string) => Number(new URL(/https?:\/\/[^'" )]+/.exec(s)![0]).port);
/** A compose port mapping `[ip:]host:container` split into its parts (no ip: every interface). */
const mappingOf = (m: string) => {
  const parts = m.split(':');
  return parts.length === 3
    ? { ip: parts[0], host: Number(parts[1]), container: Number(parts[2]) }
    : { ip: undefined, host: Number(parts[0]), container: Number(parts[1]) };
};

describe.each(['api', 'worker'])('%s service', (name) => {
  it('loads as a valid production config (NODE_ENV=production) with no ConfigError', () => {
    const env = envOf(name);
    expect(env.NODE_ENV).toBe('production');
    expect(() => loadConfig(env)).not.toThrow();
  });

  it('only sets variables the config schema knows (and, for the worker, its process environment)', () => {
    const known = [...Object.keys(ConfigSchema.shape), ...(name === 'worker' ? Object.keys(WORKER_PROCESS_ENV) : [])];
    expect(Object.keys(envOf(name)).filter((k) => !known.includes(k))).toEqual([]);
  });

  it('needs exactly the production secrets the operator must export, and refuses to start without them', () => {
    expect(requiredVariables().sort()).toEqual([...new Set(requiredVariables())].sort());
    expect([...new Set(requiredVariables())].sort()).toEqual(Object.keys(OPERATOR_ENV).sort());
    for (const key of Object.keys(OPERATOR_ENV)) {
      expect(() => envOf(name, { ...OPERATOR_ENV, [key]: '' })).toThrow(key);
      // And the config agrees: without it there is no production config.
      const env = envOf(name, { ...OPERATOR_ENV, [key]: 'x' });
      delete env[key];
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });

  it('points at the mongo and temporal services, which have health checks', () => {
    const config = loadConfig(envOf(name));
    expect(/^mongodb:\/\/([^/:]+)/.exec(config.MONGODB_URI)?.[1]).toBe('mongo');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(service('mongo').healthcheck?.test.length).toBeGreaterThan(0);
    expect(service('temporal').healthcheck?.test.length).toBeGreaterThan(0);
    expect(service(name).depends_on?.mongo?.condition).toBe('service_healthy');
    expect(service(name).depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
  });

  it('runs the image built from the Dockerfile with its own entry point', () => {
    expect(service(name).command).toEqual(['node', ...(name === 'worker' ? WORKER_NODE_ARGS : []), '--import', 'tsx', `${name}/main.ts`]);
    expect(service('api').build).toBe('.');
    expect(service(name).image).toBe(service('api').image);
  });

  if (name === 'worker')
    it('starts the worker with the process environment npm start and the benchmarks give it', () => {
      expect(envOf('worker')).toMatchObject(WORKER_PROCESS_ENV);
    });
});

describe('ports and health checks', () => {
  it('publishes the API PORT and health-checks /readyz on it', () => {
    const config = loadConfig(envOf('api'));
    expect(config.HOST).toBe('0.0.0.0');
    expect(service('api').ports).toContain(`${config.PORT}:${config.PORT}`);
    const check = service('api').healthcheck!.test.join(' ');
    expect(check).toContain('/readyz');
    expect(portOfUrl(check)).toBe(config.PORT);
    expect(dockerfile).toMatch(new RegExp(`EXPOSE .*\\b${config.PORT}\\b`));
  });

  it('serves worker metrics where its health check and port mapping look', () => {
    const config = loadConfig(envOf('worker'));
    const port = Number(config.WORKER_METRICS_ADDRESS!.split(':')[1]);
    expect(config.WORKER_METRICS_ADDRESS!.split(':')[0]).toBe('0.0.0.0');
    expect(portOfUrl(service('worker').healthcheck!.test.join(' '))).toBe(port);
    expect(service('worker').ports).toContain(`127.0.0.1:${port}:${port}`);
  });

  it('publishes only the API on every interface; Temporal, its UI and metrics (no authentication) on loopback only', () => {
    const api = loadConfig(envOf('api'));
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => ({ name, ...mappingOf(p) })));
    expect(published.filter((p) => p.ip === undefined || p.ip === '0.0.0.0' || p.ip === '::')).toEqual([
      { name: 'api', ip: undefined, host: api.PORT, container: api.PORT },
    ]);
    for (const p of published.filter((x) => x.name !== 'api')) expect(p.ip, `${p.name} ${p.host}`).toBe('127.0.0.1');
    expect(published.map((p) => p.name).sort()).toEqual(['api', 'temporal', 'temporal-ui', 'worker']);
  });

  it('gives each process longer to stop than it takes to drain', () => {
    const worker = loadConfig(envOf('worker'));
    expect(seconds(service('worker').stop_grace_period) * 1000).toBeGreaterThan(worker.WORKER_SHUTDOWN_GRACE_MS);
    expect(seconds(service('api').stop_grace_period)).toBeGreaterThan(15); // api/main.ts forces exit after 15 s
  });

  it('starts the worker on the workflow bundle the Dockerfile builds', () => {
    const bundle = loadConfig(envOf('worker')).WORKER_WORKFLOW_BUNDLE;
    expect(bundle).toBeTruthy();
    expect(dockerfile).toContain(`scripts/build-workflow-bundle.ts ${bundle}`);
  });
});

describe('Temporal', () => {
  it('sets the namespace up with our own image before the API and worker start', () => {
    const setup = service('temporal-setup');
    expect(setup.command).toEqual(['node', '--import', 'tsx', 'scripts/setup-temporal.ts']);
    expect(setup.image).toBe(service('api').image);
    expect(() => loadConfig(envOf('temporal-setup'))).not.toThrow();
    expect(loadConfig(envOf('temporal-setup')).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('registers the same search attributes the dev server and the tests use', () => {
    const cliType = { [SearchAttributeType.KEYWORD]: 'Keyword', [SearchAttributeType.DATETIME]: 'Datetime' } as Record<string, string>;
    expect(ALL_SEARCH_ATTRIBUTES.map((a) => [a.name, cliType[a.type]])).toEqual(SEARCH_ATTRIBUTES.map(([n, t]) => [n, t]));
  });

  it('gives the Web UI the API codec endpoint, and the API lets that UI origin call it', () => {
    const ui = envOf('temporal-ui');
    const api = loadConfig(envOf('api'));
    const apiPublished = mappingOf(service('api').ports![0]!).host;
    const uiPublished = mappingOf(service('temporal-ui').ports![0]!).host;
    expect(ui.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`http://localhost:${apiPublished}/codec`);
    expect(new URL(api.TEMPORAL_UI_URL).origin).toBe(`http://localhost:${uiPublished}`);
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(`http://localhost:${apiPublished}`);
  });
});

describe('Dockerfile', () => {
  it('is node:20-slim, installs production dependencies and copies every runtime source folder', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const deps = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies;
    expect(deps.tsx).toBeDefined(); // the processes run TypeScript through tsx in production
    for (const dir of [
      'ai',
      'activities',
      'api',
      'config',
      'db',
      'integrations',
      'lib',
      'scripts',
      'temporal',
      'widget',
      'worker',
      'workflows',
    ]) {
      expect(dockerfile).toMatch(new RegExp(`^COPY ${dir} \\./${dir}$`, 'm'));
    }
  });

  it('builds the owner web app in a stage of its own and keeps only web/dist, which the API serves at /app', () => {
    expect(dockerfile).toMatch(/^FROM node:20-slim AS web$/m);
    expect(dockerfile).toContain('RUN node --import tsx web/build.ts');
    expect(dockerfile).toMatch(/^COPY --from=web \/build\/web\/dist \.\/web\/dist$/m);
  });
});
