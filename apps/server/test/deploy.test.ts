import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createTestApp, type TestApp } from './harness.ts';
import { WORKER_HTTP_PATHS } from '../src/worker.ts';

/**
 * The deployment files cannot run here (no Docker, no cluster), so they are checked for what can go wrong without
 * running them: shapes, files they mount, variables they set, metric names they query (against a real scrape of
 * this server), and PromQL that promtool accepts.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEPLOY = path.join(ROOT, 'deploy');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const configurationDoc = read('docs/configuration.md');
const operationsDoc = read('docs/operations.md');

interface Panel {
  id: number;
  title: string;
  type: string;
  datasource: { uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; datasource: { uid: string } }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}

const dashboards = fs
  .readdirSync(path.join(DEPLOY, 'grafana/dashboards'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    json: JSON.parse(fs.readFileSync(path.join(DEPLOY, 'grafana/dashboards', f), 'utf8')) as Dashboard,
  }));

interface Rule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { runbook_url: string; summary: string };
}
const ruleFiles = fs.readdirSync(path.join(DEPLOY, 'prometheus/rules')).filter((f) => f.endsWith('.yml'));
const rules: Rule[] = ruleFiles.flatMap((f) =>
  (
    parse(fs.readFileSync(path.join(DEPLOY, 'prometheus/rules', f), 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((g) => g.rules),
);

/** PromQL words that are not metric names. */
const PROMQL_WORDS = new Set(
  (
    'sum max min avg count rate increase irate histogram_quantile max_over_time min_over_time avg_over_time by ' +
    'without on ignoring group_left group_right and or unless topk bottomk time hour vector absent le bool offset'
  ).split(' '),
);

/** Metric names an expression reads: identifiers outside {…} and grouping clauses, minus PromQL's own words. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"[^"]*"/g, ' ');
  return [...stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)]
    .map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w) && w !== 'up');
}

/** Histograms are exposed as _bucket, _sum and _count series of the declared name. */
function baseName(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, '');
}

function promtool(): string | undefined {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  return found.status === 0 ? 'promtool' : undefined;
}

let t: TestApp;
let exposed: Set<string>;

beforeAll(async () => {
  t = await createTestApp();
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string));
});
afterAll(() => t.close());

describe('Prometheus rules', () => {
  it('cover the alerts of seeds 000 and 002 (docs/sources.md), each with a severity and a runbook anchor that exists', () => {
    const names = rules.map((r) => r.alert);
    for (const alert of [
      'PosPrintQueueDepthHigh',
      'PosPrintQueueDepthCritical',
      'PosPrintRetriesSpiking',
      'PosPrintNoSuccessAfterQueued',
      'NovaposApiErrorRateHigh',
      'NovaposApiLatencyP99High',
      'NovaposPaymentFailureRateHigh',
      'NovaposNoRevenueDuringBusinessHours',
      'NovaposBackupMissing',
      'NovaposDatabasePoolSaturated',
    ]) {
      expect(names).toContain(alert);
    }
    const anchors = new Set(
      [...operationsDoc.matchAll(/^#+ (.+)$/gm)].map((m) =>
        (m[1] as string)
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    for (const r of rules) {
      expect(['warning', 'critical', 'high'], r.alert).toContain(r.labels.severity);
      const anchor = /^docs\/operations\.md#(.+)$/.exec(r.annotations.runbook_url)?.[1];
      expect(anchor, r.alert).toBeDefined();
      expect(anchors.has(anchor ?? ''), `${r.alert} → #${anchor ?? ''}`).toBe(true);
    }
  });

  it('query only metrics this server exposes', () => {
    for (const r of rules) {
      for (const name of metricNames(r.expr)) expect(exposed, `${r.alert}: ${name}`).toContain(baseName(name));
    }
  });
});

describe('Grafana dashboards', () => {
  it('are the three dashboards with unique uids, ids and the provisioned datasource', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual(['novapos-api', 'novapos-business', 'novapos-system']);
    const datasource = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string }[];
    };
    const uid = datasource.datasources[0]?.uid;
    for (const { file, json } of dashboards) {
      expect(json.title, file).toMatch(/^NovaPOS — /);
      const ids = json.panels.map((p) => p.id);
      expect(new Set(ids).size, file).toBe(ids.length);
      for (const p of json.panels) {
        expect(p.datasource.uid, `${file}: ${p.title}`).toBe(uid);
        expect(p.gridPos.x + p.gridPos.w, `${file}: ${p.title}`).toBeLessThanOrEqual(24);
        expect(p.targets.length, `${file}: ${p.title}`).toBeGreaterThan(0);
        for (const target of p.targets) {
          for (const name of metricNames(target.expr)) {
            expect(exposed, `${file}: ${p.title}: ${name}`).toContain(baseName(name));
          }
        }
      }
    }
    const provider = parse(read('deploy/grafana/provisioning/dashboards/novapos.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
  });

  it("have PromQL that promtool parses (each panel's queries as recording rules)", () => {
    const tool = promtool();
    if (tool === undefined) {
      // CI installs Debian's prometheus package; without promtool elsewhere, the other checks still run.
      expect(process.env.CI, 'promtool is required in CI').not.toBe('true');
      return;
    }
    const group = {
      groups: [
        {
          name: 'dashboards',
          rules: dashboards.flatMap(({ json }) =>
            json.panels.flatMap((p) =>
              p.targets.map((target) => ({
                record: `dashboard:${json.uid.replace(/-/g, '_')}:${String(p.id)}${target.refId}`,
                expr: target.expr,
              })),
            ),
          ),
        },
      ],
    };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'novapos-dash-')), 'dashboards.yml');
    fs.writeFileSync(file, JSON.stringify(group));
    const out = spawnSync(tool, ['check', 'rules', file], { encoding: 'utf8' });
    expect(out.status, out.stdout + out.stderr).toBe(0);
  });
});

describe('deploy/compose.yaml', () => {
  const compose = parse(read('deploy/compose.yaml')) as {
    services: Record<
      string,
      { environment?: Record<string, string>; volumes?: string[]; build?: { context: string; dockerfile: string } }
    >;
    'x-novapos-env': Record<string, string>;
  };

  it('has the server, worker, PostgreSQL, NATS, Redis, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['grafana', 'nats', 'postgres', 'prometheus', 'redis', 'server', 'worker'].sort(),
    );
    const build = compose.services.server?.build;
    expect(fs.existsSync(path.resolve(DEPLOY, build?.context ?? '', build?.dockerfile ?? ''))).toBe(true);
  });

  it('mounts files that exist, and sets only variables docs/configuration.md documents', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.'))
          expect(fs.existsSync(path.resolve(DEPLOY, source)), `${name}: ${source}`).toBe(true);
      }
    }
    const novaposVars = new Set([
      ...Object.keys(compose['x-novapos-env']),
      ...Object.keys(compose.services.server?.environment ?? {}),
      ...Object.keys(compose.services.worker?.environment ?? {}),
    ]);
    for (const variable of novaposVars) {
      if (variable === '<<') continue;
      expect(configurationDoc, variable).toContain(`\`${variable}\``);
    }
  });
});

describe('Kubernetes manifests', () => {
  const dir = path.join(DEPLOY, 'kubernetes');
  const docs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) =>
      parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => ({
        file: f,
        doc: d.toJS() as Record<string, unknown>,
      })),
    );

  it('parse, name every object, and list every resource in kustomization.yaml', () => {
    const kustomization = docs.find((d) => d.file === 'kustomization.yaml')?.doc as { resources: string[] };
    for (const resource of kustomization.resources)
      expect(fs.existsSync(path.join(dir, resource)), resource).toBe(true);
    for (const { file, doc } of docs) {
      expect(doc.apiVersion, file).toBeTypeOf('string');
      expect(doc.kind, file).toBeTypeOf('string');
    }
  });

  it('run the server and the worker as non-root with documented variables and real probe paths', () => {
    const deployments = docs
      .filter((d) => d.doc.kind === 'Deployment')
      .map(
        (d) =>
          d.doc as unknown as {
            metadata: { name: string };
            spec: {
              template: {
                spec: {
                  securityContext: { runAsNonRoot: boolean };
                  containers: {
                    args: string[];
                    env?: { name: string }[];
                    readinessProbe?: { httpGet: { path: string } };
                    livenessProbe?: { httpGet: { path: string } };
                  }[];
                };
              };
            };
          },
      );
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['novapos-server', 'novapos-worker']);
    for (const d of deployments) {
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      for (const c of d.spec.template.spec.containers) {
        for (const e of c.env ?? []) expect(configurationDoc, e.name).toContain(`\`${e.name}\``);
        for (const probe of [c.readinessProbe, c.livenessProbe]) {
          if (probe === undefined) continue;
          // The worker answers its probes on its own port (apps/server/src/worker.ts), the server through the app.
          if (d.metadata.name === 'novapos-worker') {
            expect(WORKER_HTTP_PATHS, probe.httpGet.path).toContain(probe.httpGet.path);
          } else {
            expect(t.app.hasRoute({ method: 'GET', url: probe.httpGet.path }), probe.httpGet.path).toBe(true);
          }
        }
        if (d.metadata.name === 'novapos-worker') {
          expect(c.readinessProbe?.httpGet.path).toBe('/readyz');
          expect(c.livenessProbe?.httpGet.path).toBe('/healthz');
        }
      }
    }
    const config = docs.find((d) => d.doc.kind === 'ConfigMap')?.doc as { data: Record<string, string> };
    const secret = parse(read('deploy/kubernetes/secret.example.yaml')) as { stringData: Record<string, string> };
    for (const variable of [...Object.keys(config.data), ...Object.keys(secret.stringData)]) {
      expect(configurationDoc, variable).toContain(`\`${variable}\``);
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  it('is multi-stage on Node 24, runs as a non-root user, has a health check and pg_dump', () => {
    expect(dockerfile.match(/^FROM node:24-\S+ AS \w+$/gm)?.length).toBeGreaterThanOrEqual(2);
    // The web apps are built in the image and their dist folders reach the runtime stage.
    expect(dockerfile).toContain('npm run build --workspace apps/pos --workspace apps/admin');
    expect(dockerfile).toMatch(/^COPY --from=web \/app\/apps\/pos\/dist /m);
    expect(dockerfile).toMatch(/^COPY --from=web \/app\/apps\/admin\/dist /m);
    // Every workspace's manifest is there for npm ci.
    for (const workspace of JSON.parse(read('package.json')).workspaces as string[]) {
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/health\/live/m);
    expect(dockerfile).toContain('postgresql-client-15');
    // The image's entry point is the file the npm bin uses, with the Node flags `npm start` uses.
    const entry = /^ENTRYPOINT \["node", "--max-semi-space-size=8", "([^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(fs.existsSync(path.join(ROOT, entry ?? 'missing'))).toBe(true);
    execFileSync('node', ['--check', path.join(ROOT, entry ?? '')]);
  });
});
