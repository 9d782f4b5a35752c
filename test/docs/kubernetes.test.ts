import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { DEFAULT_SOCKET_FOLDER, DEFAULT_SOCKET_NAME, parseEnv } from '../../src/config/env.js';
import {
  APP,
  APP_IDS,
  COMPONENT_IMAGE,
  EXAMPLES_IMAGE,
  assertEnvReadByMain,
  checkComponent,
  envRecord,
  imageRepo,
  readYamlDocs,
  root,
  urlOf,
  type ComponentDoc,
} from './deploy-checks.js';

// No cluster here: deploy/kubernetes is checked statically, against the code and against what
// Dapr's sidecar injector (>= 1.12) does with the pluggable-component annotations.

const BASE = 'deploy/kubernetes';
/** The two variants: the component container listed in the pod, or added by the injector. */
const VARIANTS = { sidecar: BASE, injected: `${BASE}/injected` } as const;

/** What the injector names the socket volume it adds (dapr/dapr pkg/injector/consts). */
const INJECTED_SOCKET_VOLUME = 'dapr-components-unix-domain-socket';
const SOCKET_PATH = `${DEFAULT_SOCKET_FOLDER}/${DEFAULT_SOCKET_NAME}.sock`;

interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  livenessProbe?: Record<string, unknown>;
  readinessProbe?: Record<string, unknown>;
  lifecycle?: { postStart?: { exec?: { command?: string[] } } };
}
interface PodSpec {
  securityContext?: Record<string, unknown>;
  containers: Container[];
  volumes?: Array<{ name: string }>;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
}
interface Workload extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> };
    serviceName?: string;
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: Array<{ metadata: { name: string } }>;
  };
}
interface ServiceObject extends K8sObject {
  spec: { clusterIP?: string; selector: Record<string, string>; ports: Array<{ name?: string; port: number; targetPort?: number | string }> };
}

/** Files and folders a kustomization lists, resolved, recursively: the objects it applies. */
function build(dir: string, seen: Set<string> = new Set()): K8sObject[] {
  const kustomization = readYamlDocs(`${dir}/kustomization.yaml`)[0] as { resources?: string[]; kind?: string };
  assert.equal(kustomization.kind, 'Kustomization', `${dir}/kustomization.yaml`);
  seen.add(`${dir}/kustomization.yaml`);
  const out: K8sObject[] = [];
  for (const r of kustomization.resources ?? []) {
    const path = posix.normalize(`${dir}/${r}`);
    assert.ok(path.startsWith(`${BASE}/`) || path === BASE, `${dir}: ${r} stays inside ${BASE}`);
    const stat = statSync(new URL(path, root), { throwIfNoEntry: false });
    assert.ok(stat, `${dir}: resource ${r} exists`);
    if (stat.isDirectory()) out.push(...build(path, seen));
    else {
      seen.add(path);
      out.push(...(readYamlDocs(path) as K8sObject[]));
    }
  }
  return out;
}

const seen = new Set<string>();
const variants = Object.fromEntries(Object.entries(VARIANTS).map(([k, dir]) => [k, build(dir, seen)])) as Record<keyof typeof VARIANTS, K8sObject[]>;

const ofKind = <T extends K8sObject>(objs: K8sObject[], kind: string): T[] => objs.filter((o) => o.kind === kind) as T[];
const apps = (objs: K8sObject[]): Workload[] => ofKind<Workload>(objs, 'Deployment');
const annotations = (w: Workload): Record<string, string> => w.spec.template.metadata.annotations ?? {};
const isComponentImage = (c: Container): boolean => imageRepo(c.image) === COMPONENT_IMAGE;

/** The component container(s) of a variant: in the pods, or in the Components' annotation. */
function componentContainers(variant: keyof typeof VARIANTS): Array<{ where: string; container: Container }> {
  const objs = variants[variant];
  if (variant === 'sidecar') {
    return apps(objs).flatMap((w) =>
      w.spec.template.spec.containers.filter(isComponentImage).map((container) => ({ where: w.metadata.name, container })),
    );
  }
  return ofKind<ComponentDoc>(objs, 'Component').map((c) => {
    const json = c.metadata.annotations?.['dapr.io/component-container'];
    assert.ok(json, `${c.metadata.name}: dapr.io/component-container`);
    return { where: `Component ${c.metadata.name}`, container: JSON.parse(json) as Container };
  });
}

test('every YAML under deploy/kubernetes parses and is applied by a kustomization', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(new URL(dir, root))) {
      const p = `${dir}/${f}`;
      if (statSync(new URL(p, root)).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(f)) files.push(p);
    }
  };
  walk(BASE);
  for (const f of files) readYamlDocs(f);
  assert.deepEqual(files.filter((f) => !seen.has(f)), [], 'files no kustomization applies');
  for (const [variant, objs] of Object.entries(variants)) {
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of ['StatefulSet', 'Service', 'Deployment', 'Component']) assert.ok(kinds.has(k), `${variant}: has a ${k}`);
  }
});

test('Components come before the Deployments (daprd and the injector read them when a pod starts)', () => {
  for (const dir of Object.values(VARIANTS)) {
    const k = readYamlDocs(`${dir}/kustomization.yaml`)[0] as { sortOptions?: { order?: string } };
    assert.equal(k.sortOptions?.order, 'fifo', `${dir}: resources applied in the order listed`);
  }
  for (const [variant, objs] of Object.entries(variants)) {
    const kinds = objs.map((o) => o.kind);
    assert.ok(kinds.lastIndexOf('Component') < kinds.indexOf('Deployment'), `${variant}: Components listed before Deployments`);
  }
});

test('Components: socket types, the names the apps use, declared fields, scopes, url of the broker Service', () => {
  for (const [variant, objs] of Object.entries(variants)) {
    const components = ofKind<ComponentDoc>(objs, 'Component');
    assert.deepEqual(components.map((c) => c.metadata.name).sort(), [APP.PUBSUB_NAME, APP.STATE_STORE_NAME].sort(), variant);
    const services = ofKind<ServiceObject>(objs, 'Service');
    const [broker] = ofKind<Workload>(objs, 'StatefulSet');
    assert.ok(broker, `${variant}: the broker StatefulSet`);
    const brokerPort = parseEnv(envRecord(broker.spec.template.spec.containers[0]?.env)).brokerPort;
    for (const c of components) {
      const where = `${variant}/${c.metadata.name}`;
      // Scopes are required here: daprd fails to start when a Component's socket is not in its pod.
      assert.ok(c.scopes && c.scopes.length > 0, `${where}: scoped`);
      checkComponent(c, where, DEFAULT_SOCKET_NAME);
      const url = urlOf(c);
      const service = services.find((s) => s.metadata.name === url.hostname);
      assert.ok(service, `${where}: url host ${url.hostname} is a Service`);
      assert.ok(service.spec.clusterIP !== 'None', `${where}: a Service with a cluster IP`);
      const port = service.spec.ports.find((p) => p.port === Number(url.port));
      assert.ok(port, `${where}: Service ${url.hostname} has port ${url.port}`);
      assert.deepEqual(service.spec.selector, broker.spec.selector.matchLabels, `${where}: the Service selects the broker`);
      const targetPort = port.targetPort ?? port.port;
      const brokerPorts: Array<{ name?: string; containerPort: number }> = broker.spec.template.spec.containers[0]?.ports ?? [];
      const target = brokerPorts.find((p) => p.name === targetPort || p.containerPort === targetPort);
      assert.equal(target?.containerPort, brokerPort, `${where}: the Service reaches the port the broker listens on`);
    }
  }
});

test('broker StatefulSet: the broker entry point on 0.0.0.0, data on a volume claim, a headless governing Service', () => {
  for (const [variant, objs] of Object.entries(variants)) {
    const [broker] = ofKind<Workload>(objs, 'StatefulSet');
    assert.ok(broker);
    const [container] = broker.spec.template.spec.containers;
    assert.ok(container && isComponentImage(container), `${variant}: broker runs the component image`);
    assert.equal(container.command, undefined, 'the image entry point is kept');
    assert.deepEqual(container.args, ['broker']);
    const env = envRecord(container.env);
    assertEnvReadByMain(env, `${variant}/broker`);
    const parsed = parseEnv(env);
    assert.equal(parsed.brokerHost, '0.0.0.0');
    assert.equal(parsed.stateService, 'embedded', 'the state service runs in the broker');
    const mount = container.volumeMounts?.find((m) => m.mountPath === parsed.brokerDataDir);
    assert.ok(mount, `a volume at ${parsed.brokerDataDir}`);
    assert.ok(broker.spec.volumeClaimTemplates?.some((t) => t.metadata.name === mount.name), 'from a volumeClaimTemplate');
    const governing = ofKind<ServiceObject>(objs, 'Service').find((s) => s.metadata.name === broker.spec.serviceName);
    assert.equal(governing?.spec.clusterIP, 'None', 'serviceName is a headless Service');
  }
});

test('apps: Dapr annotations agree with the example apps (app id, app port)', () => {
  for (const [variant, objs] of Object.entries(variants)) {
    const deployments = apps(objs);
    assert.deepEqual(deployments.map((d) => annotations(d)['dapr.io/app-id']).sort(), [...APP_IDS].sort(), variant);
    for (const d of deployments) {
      const a = annotations(d);
      const appId = a['dapr.io/app-id']!;
      assert.equal(a['dapr.io/enabled'], 'true', `${variant}/${appId}: dapr.io/enabled`);
      const app = d.spec.template.spec.containers.find((c) => imageRepo(c.image) === EXAMPLES_IMAGE);
      assert.ok(app, `${variant}/${appId}: the app container`);
      assert.ok(app.command?.includes(`dist/examples/${appId}/main.js`), `${variant}/${appId} runs its example`);
      if (appId === APP.SUBSCRIBER_APP_ID) {
        const port = String(APP.SUBSCRIBER_APP_PORT);
        assert.equal(a['dapr.io/app-port'], port, `${variant}: dapr.io/app-port`);
        assert.equal(envRecord(app.env).APP_PORT ?? port, port, `${variant}: the app listens there`);
        assert.ok(app.ports?.some((p) => p.containerPort === APP.SUBSCRIBER_APP_PORT), `${variant}: containerPort`);
      } else {
        assert.equal(a['dapr.io/app-port'], undefined, `${variant}/${appId}: no server, no app port`);
      }
    }
  }
});

test('sidecar variant: dapr.io/pluggable-components names the component container; the injector provides the socket volume', () => {
  for (const d of apps(variants.sidecar)) {
    const a = annotations(d);
    const pod = d.spec.template.spec;
    const where = `sidecar/${d.metadata.name}`;
    const names = (a['dapr.io/pluggable-components'] ?? '').split(',').filter((n) => n !== '');
    assert.deepEqual(names, pod.containers.filter(isComponentImage).map((c) => c.name), `${where}: the annotation lists exactly the component containers`);
    assert.equal(a['dapr.io/inject-pluggable-components'], undefined, `${where}: not also injected`);
    // The injector mounts its volume at this folder (annotation, default /tmp/dapr-components-sockets);
    // daprd only ever looks at the default, so the annotation may only repeat it.
    assert.equal(a['dapr.io/pluggable-components-sockets-folder'] ?? DEFAULT_SOCKET_FOLDER, DEFAULT_SOCKET_FOLDER, where);
    // A volume of the injector's name would be a duplicate (pod rejected); another volume mounted at
    // the socket folder would make the injector skip its own mount there, hiding the socket from daprd.
    assert.ok(!(pod.volumes ?? []).some((v) => v.name === INJECTED_SOCKET_VOLUME), `${where}: no volume named ${INJECTED_SOCKET_VOLUME}`);
    for (const c of pod.containers) {
      assert.ok(!(c.volumeMounts ?? []).some((m) => m.mountPath === DEFAULT_SOCKET_FOLDER), `${where}/${c.name}: nothing of ours at ${DEFAULT_SOCKET_FOLDER}`);
    }
    // daprd (appended after these containers) looks for sockets once: the component's postStart
    // hook holds it back until the socket exists.
    const [component] = pod.containers.filter(isComponentImage);
    assert.ok(component);
    assert.ok(pod.containers.indexOf(component) === pod.containers.length - 1, `${where}: the component is the last container, right before daprd`);
    assert.ok(component.lifecycle?.postStart?.exec?.command?.join(' ').includes(`-S ${SOCKET_PATH}`), `${where}: postStart waits for ${SOCKET_PATH}`);
  }
});

test('injected variant: pods ask for injection, the Components carry one and the same container spec', () => {
  for (const d of apps(variants.injected)) {
    const a = annotations(d);
    assert.equal(a['dapr.io/inject-pluggable-components'], 'true', d.metadata.name);
    assert.equal(a['dapr.io/pluggable-components'], undefined, d.metadata.name);
    assert.ok(!d.spec.template.spec.containers.some(isComponentImage), `${d.metadata.name}: the injector adds the component`);
  }
  const specs = componentContainers('injected').map((c) => JSON.stringify(c.container));
  assert.equal(new Set(specs).size, 1, 'every Component describes the same container (the injector adds one per image)');
});

test('component containers: component mode, MQTT_BROKER=off, default socket, env main.ts reads, socket liveness', () => {
  for (const variant of Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) {
    const found = componentContainers(variant);
    assert.ok(found.length > 0, variant);
    for (const { where, container } of found) {
      const at = `${variant}/${where}/${container.name}`;
      assert.ok(isComponentImage(container), `${at}: component image`);
      assert.equal(container.command, undefined, `${at}: image entry point`);
      assert.equal(container.args, undefined, `${at}: no mode argument, so the component`);
      const env = envRecord(container.env);
      assertEnvReadByMain(env, at);
      // As the injector runs it: it adds DAPR_COMPONENT_SOCKETS_FOLDER with the mount path.
      const parsed = parseEnv({ DAPR_COMPONENT_SOCKETS_FOLDER: DEFAULT_SOCKET_FOLDER, ...env });
      assert.equal(parsed.broker, 'off', `${at}: uses the broker StatefulSet`);
      assert.equal(parsed.socketFolder, DEFAULT_SOCKET_FOLDER, `${at}: the folder daprd reads`);
      assert.equal(parsed.socketName, DEFAULT_SOCKET_NAME, `${at}: socket name of the Component types`);
      assert.deepEqual((container.livenessProbe as { exec?: { command?: string[] } } | undefined)?.exec?.command, ['test', '-S', SOCKET_PATH], `${at}: liveness = the socket exists`);
    }
  }
});

test('every container: non-root, no privilege escalation, requests and limits; probes are exec, tcp, or HTTP on the metrics server\'s /healthz or /readyz', () => {
  for (const [variant, objs] of Object.entries(variants)) {
    const pods = [...apps(objs), ...ofKind<Workload>(objs, 'StatefulSet')].map((w) => ({ where: w.metadata.name, pod: w.spec.template.spec }));
    const containers = [
      ...pods.flatMap(({ where, pod }) => pod.containers.map((c) => ({ where, pod: pod as PodSpec | undefined, c }))),
      ...(variant === 'injected' ? componentContainers('injected').map(({ where, container }) => ({ where, pod: undefined, c: container })) : []),
    ];
    for (const { where, pod, c } of containers) {
      const at = `${variant}/${where}/${c.name}`;
      const sc = { ...(pod?.securityContext ?? {}), ...(c.securityContext ?? {}) };
      assert.equal(sc.runAsNonRoot, true, `${at}: runAsNonRoot`);
      // The image's user is a name (node); Kubernetes needs a uid to verify runAsNonRoot.
      assert.equal(sc.runAsUser, 1000, `${at}: runAsUser 1000 (node)`);
      assert.equal(sc.allowPrivilegeEscalation, false, `${at}: allowPrivilegeEscalation`);
      for (const kind of ['requests', 'limits'] as const) {
        for (const r of ['cpu', 'memory']) assert.ok(c.resources?.[kind]?.[r], `${at}: resources.${kind}.${r}`);
      }
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        if (probe === undefined) continue;
        const http = (probe as { httpGet?: { path?: string; port?: string | number } }).httpGet;
        if (http) {
          assert.ok(['/healthz', '/readyz'].includes(http.path ?? ''), `${at}: HTTP probes use /healthz or /readyz`);
          const env = new Map((c.env ?? []).map((e) => [e.name, e.value]));
          const port = (c.ports ?? []).find((p) => p.name === http.port || p.containerPort === http.port)?.containerPort;
          assert.ok(port !== undefined && String(port) === env.get('METRICS_PORT'), `${at}: the probe port is METRICS_PORT`);
          assert.equal(env.get('METRICS_HOST'), '0.0.0.0', `${at}: the metrics server listens on the pod IP`);
        } else assert.ok('exec' in probe || 'tcpSocket' in probe, `${at}: exec, tcpSocket or httpGet probe`);
      }
      if (isComponentImage(c)) assert.ok(c.livenessProbe, `${at}: a liveness probe`);
    }
  }
});
