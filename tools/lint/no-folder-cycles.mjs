// @ts-check
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * ESLint rule `no-folder-cycles`: the folders directly under `root` (a service's feature folders)
 * must import each other without a loop, so that they can be read, tested and split in one order.
 * File-level cycle rules (import/no-cycle) miss loops that only close at folder level
 * (events/a → journeys/b, journeys/c → events/d), so the folder graph is built here: from disk for
 * the other files, from the linted file's own AST for itself.
 *
 * Options: `{ root: 'services/gateway/src', ignore: ['\\.test\\.ts$'] }`: `root` relative to
 * ESLint's cwd; `ignore` regular expressions (on the path relative to `root`, with `/`) for files
 * that are leaves nobody imports (tests, test fixtures), whose imports make no loop of modules.
 * Files directly in `root` (the composition root) count as the folder `.`.
 */

/** @typedef {{ root: string; ignore?: string[] }} Options */
/** @typedef {Map<string, Set<string>>} FolderEdges file → folders it imports (besides its own) */

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const TOP_LEVEL = '.';

/** @type {Map<string, { signature: string; edges: FolderEdges }>} */
const graphs = new Map();

/** @param {string} root @param {string} file */
function folderOf(root, file) {
  const path = relative(root, file);
  if (path === '' || path.startsWith('..')) return undefined;
  const parts = path.split(sep);
  return parts.length === 1 ? TOP_LEVEL : parts[0];
}

/** @param {string} root @param {string} file @param {string[]} specifiers */
function foldersImported(root, file, specifiers) {
  const own = folderOf(root, file);
  const folders = new Set();
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue;
    const folder = folderOf(root, resolve(dirname(file), specifier));
    if (folder !== undefined && folder !== own) folders.add(folder);
  }
  return folders;
}

/** @param {string} root @param {RegExp[]} ignore @param {string} file */
function isIgnored(root, ignore, file) {
  const path = relative(root, file).split(sep).join('/');
  return ignore.some((pattern) => pattern.test(path));
}

/** @param {string} directory @returns {string[]} */
function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : sourceFiles(path);
    return SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every file's imports of other folders, read from disk; reread only when a file changed. @param {string} root @param {RegExp[]} ignore */
function folderEdgesOnDisk(root, ignore) {
  const files = sourceFiles(root).filter((file) => !isIgnored(root, ignore, file));
  const signature = files.map((file) => `${file}@${statSync(file).mtimeMs}`).join('\n');
  const cached = graphs.get(root);
  if (cached && cached.signature === signature) return cached.edges;
  /** @type {FolderEdges} */
  const edges = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    edges.set(file, foldersImported(root, file, importedFiles.map((imported) => imported.fileName)));
  }
  graphs.set(root, { signature, edges });
  return edges;
}

/** The shortest folder path from `from` to `to`, or undefined. @param {Map<string, Set<string>>} graph @param {string} from @param {string} to */
function pathBetween(graph, from, to) {
  /** @type {Map<string, string | null>} */
  const cameFrom = new Map([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const folder = /** @type {string} */ (queue.shift());
    if (folder === to) {
      const path = [];
      for (let step = /** @type {string | null} */ (folder); step !== null; step = cameFrom.get(step) ?? null) path.unshift(step);
      return path;
    }
    for (const next of graph.get(folder) ?? []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, folder);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const noFolderCycles = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import loops between the folders directly under a root (e.g. a service’s feature folders)' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, ignore: { type: 'array', items: { type: 'string' } } },
        required: ['root'],
        additionalProperties: false,
      },
    ],
    messages: {
      loop: "Importing '{{specifier}}' makes a loop of folders under {{root}}: {{loop}}. Move what both need into a shared folder (such as common/) that imports neither.",
    },
  },
  create(context) {
    const options = /** @type {Options} */ (context.options[0]);
    const root = resolve(context.cwd, options.root);
    const ignore = (options.ignore ?? []).map((pattern) => new RegExp(pattern));
    const file = context.filename;
    const own = folderOf(root, file);
    if (own === undefined || own === TOP_LEVEL || isIgnored(root, ignore, file)) return {};

    /** @type {{ node: import('estree').Node; specifier: string; folder: string }[]} */
    const imports = [];
    /** @param {import('estree').Node} node @param {unknown} source */
    const collect = (node, source) => {
      if (!source || typeof source !== 'object') return;
      const literal = /** @type {{ type: string; value?: unknown }} */ (source);
      if (literal.type !== 'Literal' || typeof literal.value !== 'string') return;
      const [folder] = foldersImported(root, file, [literal.value]);
      if (folder !== undefined) imports.push({ node, specifier: literal.value, folder });
    };

    return {
      ImportDeclaration: (node) => collect(node, node.source),
      ExportNamedDeclaration: (node) => collect(node, node.source),
      ExportAllDeclaration: (node) => collect(node, node.source),
      ImportExpression: (node) => collect(node, node.source),
      'Program:exit'() {
        if (imports.length === 0) return;
        // The folder graph with this file's imports as they are in the editor, not on disk.
        /** @type {Map<string, Set<string>>} */
        const graph = new Map();
        for (const [other, folders] of folderEdgesOnDisk(root, ignore)) {
          if (other === file) continue;
          const from = /** @type {string} */ (folderOf(root, other));
          for (const folder of folders) graph.set(from, (graph.get(from) ?? new Set()).add(folder));
        }
        for (const { folder } of imports) graph.set(own, (graph.get(own) ?? new Set()).add(folder));
        for (const { node, specifier, folder } of imports) {
          const back = pathBetween(graph, folder, own);
          if (back) context.report({ node, messageId: 'loop', data: { specifier, root: options.root, loop: [own, ...back].join(' → ') } });
        }
      },
    };
  },
};

/** The plugin eslint.config.mjs registers as `continuum`. */
export const continuumLintPlugin = { meta: { name: 'continuum' }, rules: { 'no-folder-cycles': noFolderCycles } };
