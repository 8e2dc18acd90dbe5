import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { OutcomeNotices, type ActionOutcome } from '../../components/outcome-notices';
import { ProblemNotice } from '../../components/problem-notice';
import { ScrollBox } from '../../components/scroll-box';
import { Time } from '../../components/time';
import { graphql } from '../../gql';
import type { Channel } from '../../gql/graphql';
import { useViewQuery } from '../../lib/use-view-query';

const Templates = graphql(`
  query ConsoleTemplates {
    templates(first: 100) {
      totalCount
      nodes {
        id
        name
        locale
        latest {
          id
          version
          channel
          createdAt
        }
      }
    }
  }
`);

const TemplateVersions = graphql(`
  query ConsoleTemplateVersions($name: String!) {
    templates(name: $name, first: 20) {
      nodes {
        id
        name
        locale
        latest {
          id
          version
          channel
          body
        }
        versions(first: 10) {
          totalCount
          nodes {
            id
            version
            channel
            body
            createdAt
            createdBy
          }
        }
      }
    }
  }
`);

const PreviewDraft = graphql(`
  query ConsolePreviewTemplateDraft($name: String!, $locale: String, $channel: Channel!, $body: String!, $payload: JSONObject!) {
    previewTemplateDraft(name: $name, locale: $locale, channel: $channel, body: $body, payload: $payload) {
      text
      locale
      version
      channel
    }
  }
`);

const Publish = graphql(`
  mutation ConsolePublishTemplate($input: PublishTemplateInput!) {
    publishTemplate(input: $input) {
      template {
        id
        name
        locale
        latest {
          id
          version
          channel
          body
        }
      }
      version {
        id
        version
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`);

/** The API has no subscription for templates: the views read them again this often while open. */
const REREAD_MS = 5_000;
const CHANNELS: Channel[] = ['SMS', 'WHATSAPP', 'RCS', 'EMAIL', 'IN_APP'];
const SAMPLE = JSON.stringify({ profile: { traits: { first_name: 'Ana' } } }, null, 2);

/** Reads a query again every few seconds while the page is visible (templates are published by others too). */
function useReread(reread: () => void) {
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reread();
    }, REREAD_MS);
    return () => clearInterval(timer);
  }, [reread]);
}

/** A value that follows `value` once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Message templates per name and locale, their versions, and an editor with a live preview that publishes the next version. */
export function TemplatesPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('name');
  const { data, notice, refetch } = useViewQuery({ query: Templates }, { loading: 'Loading the templates…', cannot: 'read templates' });
  // What the editor last published: a brand-new template's editor is mounted again once it is
  // selected, and shows the notice from here (its own state went with the editor it replaced).
  // (Cleared when another template is chosen from the list.)
  const [published, setPublished] = useState<{ name: string; text: string } | null>(null);
  const [versions, refetchVersions] = useQuery({ query: TemplateVersions, variables: { name: selected ?? '' }, pause: !selected });
  useReread(
    useCallback(() => {
      refetch({ requestPolicy: 'network-only' });
      if (selected) refetchVersions({ requestPolicy: 'network-only' });
    }, [refetch, refetchVersions, selected]),
  );
  if (notice) return notice;
  const names = new Map<string, Array<{ locale: string; version: number; channel: Channel; createdAt: string }>>();
  for (const each of data?.templates.nodes ?? []) {
    names.set(each.name, [...(names.get(each.name) ?? []), { locale: each.locale, version: each.latest.version, channel: each.latest.channel, createdAt: each.latest.createdAt }]);
  }

  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">Templates</h1>
      <p className="muted">{names.size === 1 ? '1 template' : `${names.size} templates`} · read again every 5 s</p>
      {names.size === 0 ? (
        <p className="muted">No template yet: write one below.</p>
      ) : (
        <ScrollBox label="Templates, scrollable">
          <table aria-label="Templates">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Locales (latest version)</th>
                <th scope="col">Channel</th>
                <th scope="col">Last published</th>
              </tr>
            </thead>
            <tbody>
              {[...names.entries()].map(([name, locales]) => (
                <tr key={name} aria-label={name}>
                  <th scope="row">
                    <Link to={`?name=${encodeURIComponent(name)}`} aria-current={name === selected ? 'true' : undefined} onClick={() => setPublished(null)}>
                      {name}
                    </Link>
                  </th>
                  <td>{locales.map((each) => `${each.locale} v${each.version}`).join(', ')}</td>
                  <td>{[...new Set(locales.map((each) => each.channel))].join(', ')}</td>
                  <td>
                    <Time value={locales.map((each) => each.createdAt).sort().at(-1)!} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {versions.error && <ProblemNotice error={versions.error} cannot="read template versions" />}
      {selected && versions.data && (
        <section aria-labelledby="versions-title" className="card">
          <h2 id="versions-title">Versions of {selected}</h2>
          {versions.data.templates.nodes.map((template) => (
            <section key={template.id} aria-label={`${template.name} in ${template.locale}`}>
              <h3>
                {template.locale} · {template.versions.totalCount === 1 ? '1 version' : `${template.versions.totalCount} versions`}
              </h3>
              <ol aria-label={`Versions in ${template.locale}`} className="timeline">
                {template.versions.nodes.map((version) => (
                  <li key={version.id}>
                    <span className="tag">v{version.version}</span> <span className="tag">{version.channel}</span> <Time value={version.createdAt} />{' '}
                    <span className="muted">by {version.createdBy}</span>
                    <pre className="template-body">{version.body}</pre>
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </section>
      )}
      {/* Mounted once the selected template has arrived: it starts from its latest version. */}
      {(!selected || versions.data) && (
        <TemplateEditor
          key={selected ?? ''}
          initial={selected ? versions.data?.templates.nodes[0] : undefined}
          name={selected ?? ''}
          notice={published && published.name === selected ? { done: published.text } : undefined}
          onPublished={(name, text) => {
            setPublished({ name, text });
            setParams({ name });
            refetch({ requestPolicy: 'network-only' });
            refetchVersions({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </section>
  );
}

function TemplateEditor({
  name: initialName,
  initial,
  notice,
  onPublished,
}: {
  name: string;
  initial?: { locale: string; latest: { channel: Channel; body: string } };
  /** An outcome to show from the start (a publish made by the editor this one replaced). */
  notice?: ActionOutcome;
  onPublished: (name: string, notice: string) => void;
}) {
  const [name, setName] = useState(initialName);
  const [locale, setLocale] = useState(initial?.locale ?? 'default');
  const [channel, setChannel] = useState<Channel>(initial?.latest.channel ?? 'SMS');
  const [body, setBody] = useState(initial?.latest.body ?? '');
  const [sample, setSample] = useState(SAMPLE);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(notice ?? null);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [publishState, publish] = useMutation(Publish);

  let payload: Record<string, unknown> | null = null;
  let sampleProblem: string | null = null;
  try {
    const parsed: unknown = JSON.parse(sample);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) payload = parsed as Record<string, unknown>;
    else sampleProblem = 'The sample must be a JSON object, e.g. { "profile": { "traits": { "first_name": "Ana" } } }.';
  } catch (error) {
    sampleProblem = `The sample is not JSON: ${(error as Error).message}`;
  }
  const draftKey = useDebounced(JSON.stringify({ name: name.trim(), locale: locale.trim() || null, channel, body, payload }), 300);
  const draft = useMemo(() => JSON.parse(draftKey) as { name: string; locale: string | null; channel: Channel; body: string; payload: Record<string, unknown> | null }, [draftKey]);
  const ready = Boolean(draft.name && draft.body.trim() && draft.payload);
  const [preview] = useQuery({ query: PreviewDraft, variables: { ...draft, payload: draft.payload ?? {} }, pause: !ready, requestPolicy: 'network-only' });
  const previewProblem = preview.error?.graphQLErrors[0];

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    setProblems({});
    const result = await publish({ input: { name: name.trim(), locale: locale.trim() || null, channel, body } });
    const payloadResult = result.data?.publishTemplate;
    if (result.error) return setOutcome({ error: result.error });
    if (payloadResult && payloadResult.userErrors.length > 0) {
      const fields: Record<string, string> = {};
      for (const each of payloadResult.userErrors) fields[each.field?.[1] ?? ''] = each.message;
      setProblems(fields);
      return setOutcome({ userErrors: `Not published: ${payloadResult.userErrors.map((each) => each.message).join('; ')}` });
    }
    const done = `Published ${payloadResult?.template?.name ?? name} (${payloadResult?.template?.locale ?? locale}) v${payloadResult?.version?.version ?? '?'}.`;
    setOutcome({ done });
    onPublished(name.trim(), done);
  }

  const invalid = (key: string) => (problems[key] ? { 'aria-invalid': true as const, 'aria-describedby': `template-${key}-problem` } : {});
  const problem = (key: string) =>
    problems[key] ? (
      <span id={`template-${key}-problem`} className="field-problem">
        {problems[key]}
      </span>
    ) : null;

  return (
    <form className="card settings-form template-editor" aria-labelledby="editor-title" onSubmit={(event) => void onSubmit(event)}>
      <h2 id="editor-title">{initialName ? `New version of ${initialName}` : 'New template'}</h2>
      <OutcomeNotices outcome={outcome} cannot="publish templates" />
      <div className="editor-grid">
        <div>
          <div className="field">
            <label htmlFor="template-name">Name</label>
            <input id="template-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} {...invalid('name')} />
            {problem('name')}
          </div>
          <div className="field">
            <label htmlFor="template-locale">Locale</label>
            <input id="template-locale" value={locale} maxLength={35} onChange={(e) => setLocale(e.target.value)} aria-describedby="template-locale-help" {...invalid('locale')} />
            <span id="template-locale-help" className="muted">
              “default” or a locale such as pt-BR; a send falls back from pt-BR to pt to default.
            </span>
            {problem('locale')}
          </div>
          <div className="field">
            <label htmlFor="template-channel">Channel</label>
            <select id="template-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} {...invalid('channel')}>
              {CHANNELS.map((each) => (
                <option key={each} value={each}>
                  {each}
                </option>
              ))}
            </select>
            {problem('channel')}
          </div>
          <div className="field">
            <label htmlFor="template-body">Body (Liquid)</label>
            <textarea id="template-body" rows={6} cols={40} maxLength={20_000} value={body} onChange={(e) => setBody(e.target.value)} {...invalid('body')} />
            {problem('body')}
          </div>
          <div className="field">
            <label htmlFor="template-sample">Sample payload (JSON)</label>
            <textarea
              id="template-sample"
              rows={5}
              cols={40}
              value={sample}
              onChange={(e) => setSample(e.target.value)}
              aria-invalid={sampleProblem ? true : undefined}
              aria-describedby={sampleProblem ? 'template-sample-problem' : undefined}
            />
            {sampleProblem && (
              <span id="template-sample-problem" className="field-problem">
                {sampleProblem}
              </span>
            )}
          </div>
        </div>
        <section aria-labelledby="preview-title" className="preview">
          <h3 id="preview-title">Preview</h3>
          <div aria-live="polite">
            {!ready && <p className="muted">Write a name and a body to see the preview.</p>}
            {ready && previewProblem && (
              <p className="field-problem" role="status">
                Cannot render: {previewProblem.message}
              </p>
            )}
            {ready && preview.data && !previewProblem && (
              <>
                <p className="muted">
                  As v{preview.data.previewTemplateDraft.version} ({preview.data.previewTemplateDraft.locale}, {preview.data.previewTemplateDraft.channel})
                </p>
                <pre className="template-body" data-testid="template-preview">
                  {preview.data.previewTemplateDraft.text}
                </pre>
              </>
            )}
          </div>
        </section>
      </div>
      <button type="submit" disabled={publishState.fetching}>
        Publish version
      </button>
    </form>
  );
}
