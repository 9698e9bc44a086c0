/**
 * `npm run bench:web`: builds the web app (`npm run build -w @portico/web`) and reports, for the routes a person first
 * lands on, the JavaScript a browser loads for them, gzipped (zlib level 9, file by file, summed): the entry chunk and
 * its static imports, plus the route's page chunk(s) and their static imports, read from Vite's manifest
 * (packages/web/dist/.vite/manifest.json). Exits 1 when a route is over its budget (150 KB, issue 10 §6).
 * `--no-build` measures the dist/ already there; `--files` lists each route's files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'packages/web');
const dist = path.join(web, 'dist');
const budgetBytes = 150 * 1024;

/** A first-load route and the page module(s) it renders, as paths relative to packages/web (the manifest's `src`). */
interface EntryRoute {
  name: string;
  path: string;
  pages: string[];
  /** The page's language: English's shell areas come with the app; Spanish loads its own copies of them too. */
  locale: 'en' | 'es';
}

const routes: EntryRoute[] = [
  { name: 'sign-in', path: '/sign-in', pages: ['src/pages/auth/SignInPage.tsx'], locale: 'en' },
  { name: 'patient home', path: '/', pages: ['src/pages/home/PatientHomePage.tsx'], locale: 'en' },
  { name: 'sign-in, Spanish', path: '/sign-in', pages: ['src/pages/auth/SignInPage.tsx'], locale: 'es' },
  { name: 'patient home, Spanish', path: '/', pages: ['src/pages/home/PatientHomePage.tsx'], locale: 'es' },
];

/** One record of Vite's build manifest (https://vite.dev/guide/backend-integration). */
interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const args = new Set(process.argv.slice(2));
if (!args.has('--no-build')) {
  execFileSync('npm', ['run', 'build', '-w', '@portico/web', '--', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

const manifestPath = path.join(dist, '.vite/manifest.json');
if (!existsSync(manifestPath)) {
  throw new Error(`${path.relative(root, manifestPath)} is missing: vite.config.ts must keep build.manifest: true`);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;

const gzipCache = new Map<string, { raw: number; gzip: number }>();
function sizeOf(file: string): { raw: number; gzip: number } {
  let size = gzipCache.get(file);
  if (!size) {
    const bytes = readFileSync(path.join(dist, file));
    size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    gzipCache.set(file, size);
  }
  return size;
}

/** The manifest key, and its static imports, recursively, into `into` (JavaScript files only). */
function collect(key: string, into: Set<string>, seen = new Set<string>()): void {
  if (seen.has(key)) return;
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) throw new Error(`the manifest has no ${key}`);
  if (chunk.file.endsWith('.js')) into.add(chunk.file);
  for (const imported of chunk.imports ?? []) collect(imported, into, seen);
}

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) throw new Error(`expected one entry chunk (index.html) in the manifest, found ${entries.length}`);
const [entryKey] = entries[0]!;

/** Every English message id, by file (area): packages/shared/src/i18n/messages/en/<area>.json. */
const messagesDir = path.join(root, 'packages/shared/src/i18n/messages/en');
const messageIds = new Set<string>();
for (const file of readdirSync(messagesDir)) {
  for (const id of Object.keys(JSON.parse(readFileSync(path.join(messagesDir, file), 'utf8')) as object)) messageIds.add(id);
}

/** Every catalogue area one of whose message ids appears, as a string literal, in these built files. */
function areasNamedIn(files: Iterable<string>): Set<string> {
  const found = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(path.join(dist, file), 'utf8').matchAll(/["'`]([a-z]+\.[A-Za-z0-9_.]+)/g)) {
      if (messageIds.has(match[1]!)) found.add(match[1]!.split('.')[0]!);
    }
  }
  return found;
}

/** The areas AppRoutes.tsx loads beside a page (`lazyPage(() => import('./pages/…'), ['home', …])`). */
const appRoutes = readFileSync(path.join(web, 'src/AppRoutes.tsx'), 'utf8');
function areasDeclaredFor(page: string): string[] {
  const at = appRoutes.indexOf(`import('./${page.replace(/^src\//, '')}')`);
  if (at < 0) return [];
  const list = /^[^;]*?\[([^\]]*)\]\s*,?\s*\)/.exec(appRoutes.slice(at));
  return list ? [...list[1]!.matchAll(/'([a-z]+)'/g)].map((m) => m[1]!) : [];
}

interface Measured {
  route: EntryRoute;
  files: string[];
  raw: number;
  gzip: number;
  /** How each page arrives: its own chunk, or inside the entry (imported eagerly). */
  how: string[];
}

const measured: Measured[] = routes.map((route) => {
  const files = new Set<string>();
  collect(entryKey, files);
  const how: string[] = [];
  for (const page of route.pages) {
    // The page's chunk is the one whose source is the page's module, whatever the chunk's file is named.
    const own = Object.entries(manifest).find(([, chunk]) => chunk.src === page);
    if (own) {
      collect(own[0], files);
      how.push(`${path.basename(page)}: ${own[1].file}`);
    } else if (existsSync(path.join(web, page))) {
      // No chunk of its own: imported statically, so it is in the entry chunk counted above.
      how.push(`${path.basename(page)}: in the entry`);
    } else {
      throw new Error(`${route.name}: page ${page} does not exist (update bench/web-size.ts)`);
    }
  }
  // The catalogue areas arrive as chunks of their own (packages/web/src/i18n/catalogues.ts): count the English ones
  // the route's page loads beside it, and any other its code names (message ids are string literals in the build).
  const shell = route.locale === 'en' ? [] : ['common', 'nav', 'auth', 'errors'];
  for (const area of new Set([...shell, ...route.pages.flatMap(areasDeclaredFor), ...areasNamedIn(files)])) {
    const chunk = Object.entries(manifest).find(([, c]) => c.src?.endsWith(`/i18n/messages/${route.locale}/${area}.json`));
    if (chunk) collect(chunk[0], files);
  }
  const list = [...files];
  const raw = list.reduce((sum, file) => sum + sizeOf(file).raw, 0);
  const gzip = list.reduce((sum, file) => sum + sizeOf(file).gzip, 0);
  return { route, files: list, raw, gzip, how };
});

const allJs = readdirSync(path.join(dist, 'assets'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => `assets/${name}`);
const allRaw = allJs.reduce((sum, file) => sum + sizeOf(file).raw, 0);
const allGzip = allJs.reduce((sum, file) => sum + sizeOf(file).gzip, 0);

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const rows = [
  ['route', 'path', 'JS files', 'raw KB', 'gzip KB', 'budget KB', ''],
  ...measured.map((m) => [
    m.route.name,
    m.route.path,
    String(m.files.length),
    kb(m.raw),
    kb(m.gzip),
    kb(budgetBytes),
    m.gzip > budgetBytes ? 'OVER' : 'ok',
  ]),
  ['all JS (every route)', '', String(allJs.length), kb(allRaw), kb(allGzip), '', ''],
];
const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
for (const row of rows) {
  console.log(row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
}
for (const m of measured) {
  console.log(`${m.route.name}: ${m.how.join('; ')}`);
  if (args.has('--files')) {
    for (const file of [...m.files].sort((a, b) => sizeOf(b).gzip - sizeOf(a).gzip)) {
      console.log(`  ${kb(sizeOf(file).gzip).padStart(6)} KB  ${file}`);
    }
  }
}

const over = measured.filter((m) => m.gzip > budgetBytes);
if (over.length > 0) {
  console.error(`Over the ${kb(budgetBytes)} KB budget: ${over.map((m) => `${m.route.name} (${kb(m.gzip)} KB)`).join(', ')}`);
  process.exitCode = 1;
}
