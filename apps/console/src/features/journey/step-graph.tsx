import { graphlib, layout } from '@dagrejs/dagre';
import { useMemo } from 'react';
import { ScrollBox } from '../../components/scroll-box';
import type { JourneyStepKind } from '../../gql/graphql';

export interface GraphStep {
  step: string;
  label: string;
  kind: JourneyStepKind;
  active: number;
  reached: number;
  next: Array<{ from: string; to: string; label?: string | null }>;
}

const NODE_WIDTH = 190;
const NODE_HEIGHT = 64;

/** Lays the steps out top to bottom with dagre (ranks, fewest crossings), edges routed around nodes. */
function layOut(steps: GraphStep[]) {
  const graph = new graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 46, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const step of steps) graph.setNode(step.step, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(steps.map((step) => step.step));
  steps.forEach((step) =>
    step.next.forEach((edge, index) => {
      if (known.has(edge.to)) graph.setEdge(edge.from, edge.to, { label: edge.label ?? '', width: edge.label ? 90 : 0, height: edge.label ? 16 : 0, labelpos: 'c' }, `${index}`);
    }),
  );
  layout(graph);
  const nodes = steps.map((step) => ({ step, ...(graph.node(step.step) as { x: number; y: number }) }));
  const edges = graph.edges().map((e) => {
    const data = graph.edge(e) as { points: Array<{ x: number; y: number }>; label: string; x?: number; y?: number };
    return { id: `${e.v}->${e.w}#${e.name ?? ''}`, points: data.points, label: data.label, x: data.x, y: data.y };
  });
  const { width = 0, height = 0 } = graph.graph();
  return { nodes, edges, width, height };
}

const kindClass: Partial<Record<JourneyStepKind, string>> = { ENTRY: 'entry', COMPLETE: 'complete', EXIT: 'exit', SEND: 'send' };

/**
 * The journey's step graph with the active instances at each step now and those of the window that
 * reached it. A picture for sighted readers; the steps table beside it says the same in text.
 */
export function StepGraph({ steps, journeyKey }: { steps: GraphStep[]; journeyKey: string }) {
  const { nodes, edges, width, height } = useMemo(() => layOut(steps), [steps]);
  return (
    <ScrollBox label="Step graph, scrollable">
      <svg
        role="img"
        aria-label={`Step graph of ${journeyKey}: ${steps.length} steps (the Steps table lists them with their counts)`}
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        className="step-graph"
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" className="arrow-head" />
          </marker>
        </defs>
        {edges.map((edge) => (
          <g key={edge.id} className="edge">
            <polyline points={edge.points.map((p) => `${p.x},${p.y}`).join(' ')} markerEnd="url(#arrow)" />
            {edge.label && edge.x !== undefined && edge.y !== undefined && (
              <text x={edge.x} y={edge.y + 4} textAnchor="middle" className="edge-label">
                {edge.label.length > 18 ? `${edge.label.slice(0, 17)}…` : edge.label}
              </text>
            )}
          </g>
        ))}
        {nodes.map(({ step, x, y }) => (
          <g key={step.step} className={`node ${kindClass[step.kind] ?? ''}`} transform={`translate(${x - NODE_WIDTH / 2},${y - NODE_HEIGHT / 2})`}>
            <title>{`${step.label} (${step.kind.toLowerCase().replace(/_/g, ' ')}): ${step.active} active now, ${step.reached} reached`}</title>
            <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="6" />
            <text x="10" y="20" className="node-label">
              {step.label.length > 24 ? `${step.label.slice(0, 23)}…` : step.label}
            </text>
            <text x="10" y="37" className="node-kind">
              {step.kind.toLowerCase().replace(/_/g, ' ')}
            </text>
            <text x="10" y="55" className="node-counts">
              {`${step.active} active · ${step.reached} reached`}
            </text>
          </g>
        ))}
      </svg>
    </ScrollBox>
  );
}
