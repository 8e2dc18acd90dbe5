import { Liquid, type FS, type Template } from 'liquidjs';

/** One stored version of a template, as rendering needs it. */
export interface TemplateVersion {
  name: string;
  locale: string;
  version: number;
  body: string;
}

export type RenderOutcome = { ok: true; text: string } | { ok: false; message: string };

/** Templates come from the API: they must not read the worker's files through include/render/layout. */
const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => Promise.reject(new Error(`templates cannot include files (${file})`)),
  readFileSync: (file) => {
    throw new Error(`templates cannot include files (${file})`);
  },
  resolve: (_root, file) => file,
};

/**
 * Strict: an undefined variable or filter is an error the author sees, never an empty string.
 * `lenientIf` still lets a template test for an optional value (`{% if profile.traits.name %}`,
 * `| default:`). The limits keep one template from stalling a worker.
 */
const engine = new Liquid({
  strictVariables: true,
  strictFilters: true,
  lenientIf: true,
  ownPropertyOnly: true,
  fs: noFiles,
  relativeReference: false,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
});

/** Versions are immutable, so a parsed one can be reused for as long as it is kept. */
const parsed = new Map<string, Template[]>();
const MAX_PARSED = 500;

function parse(template: TemplateVersion): Template[] {
  const key = `${template.name}\u0000${template.locale}\u0000${template.version}\u0000${template.body}`;
  let templates = parsed.get(key);
  if (!templates) {
    templates = engine.parse(template.body);
    if (parsed.size >= MAX_PARSED) parsed.delete(parsed.keys().next().value!);
    parsed.set(key, templates);
  }
  return templates;
}

/** The Liquid syntax error in `body` (liquidjs's message, with line and column), or undefined. */
export function checkTemplateSyntax(body: string): string | undefined {
  try {
    engine.parse(body);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Renders a version against a payload. A failure names the template, version and locale and says
 * what is wrong: `template "welcome" v2 (pt): undefined variable: profile.traits.first_name, line:1, col:7`.
 */
export function renderTemplate(template: TemplateVersion, payload: Record<string, unknown>): RenderOutcome {
  try {
    return { ok: true, text: engine.renderSync(parse(template), payload) as string };
  } catch (error) {
    return { ok: false, message: `template "${template.name}" v${template.version} (${template.locale}): ${(error as Error).message}` };
  }
}
