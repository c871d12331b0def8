/**
 * The implied-role graph (Keystone `GET /v3/role_inferences`) drawn as a picture: prior roles
 * above the roles they imply, one row per depth, an arrow per inference rule. Rows are ordered by
 * the mean position of each role's priors, which keeps chains straight and crossings few.
 */

export interface Inference {
  readonly prior: { readonly id: string; readonly name: string };
  readonly implies: readonly { readonly id: string; readonly name: string }[];
}

const BOX_W = 132;
const BOX_H = 34;
/** Width of the slot a long edge takes in a row it crosses (a "virtual node", as in Sugiyama layouts). */
const PASS_W = 24;
const GAP_X = 28;
const GAP_Y = 56;
const PAD = 12;

interface Placed {
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

interface Edge {
  readonly key: string;
  /** From the prior's bottom centre, through the rows it crosses, to the implied role's top centre. */
  readonly points: readonly [number, number][];
}

export function layout(rules: readonly Inference[]): { nodes: Placed[]; edges: Edge[]; width: number; height: number } {
  const names = new Map<string, string>();
  const parents = new Map<string, string[]>();
  const links: [string, string][] = [];
  for (const r of rules) {
    names.set(r.prior.id, r.prior.name);
    for (const i of r.implies) {
      names.set(i.id, i.name);
      links.push([r.prior.id, i.id]);
      parents.set(i.id, [...(parents.get(i.id) ?? []), r.prior.id]);
    }
  }
  // Depth: the longest chain of priors above a role (bounded, in case the data has a cycle).
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: number): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen > names.size) return 0;
    const d = Math.max(-1, ...(parents.get(id) ?? []).map((p) => depthOf(p, seen + 1))) + 1;
    depth.set(id, d);
    return d;
  };
  for (const id of names.keys()) depthOf(id, 0);
  // A rule that skips rows passes through one virtual slot per row it crosses, so it is drawn
  // around the roles in between instead of through them.
  const above = new Map<string, string[]>(); // slot -> the slots one row up it is linked from
  const chains: { key: string; slots: string[] }[] = [];
  const rowOf = new Map(depth);
  for (const [prior, implied] of links) {
    const slots = [prior];
    for (let d = depth.get(prior)! + 1; d < depth.get(implied)!; d++) {
      const pass = `pass:${prior}:${implied}:${d}`;
      rowOf.set(pass, d);
      slots.push(pass);
    }
    slots.push(implied);
    for (let i = 1; i < slots.length; i++) above.set(slots[i]!, [...(above.get(slots[i]!) ?? []), slots[i - 1]!]);
    chains.push({ key: `${prior}-${implied}`, slots });
  }
  const rows: string[][] = [];
  for (const [id, d] of rowOf) (rows[d] ??= []).push(id);
  const label = (id: string) => names.get(id) ?? '';
  const order = new Map<string, number>();
  rows.forEach((row, d) => {
    const mean = (id: string) => {
      const ps = (above.get(id) ?? []).map((p) => order.get(p) ?? 0);
      return ps.length ? ps.reduce((s, v) => s + v, 0) / ps.length : 0;
    };
    row.sort((a, b) => (d === 0 ? 0 : mean(a) - mean(b)) || label(a).localeCompare(label(b)) || a.localeCompare(b));
    row.forEach((id, i) => order.set(id, i));
  });
  const widthOf = (id: string) => (names.has(id) ? BOX_W : PASS_W);
  const rowWidth = (row: readonly string[]) => row.reduce((s, id) => s + widthOf(id), 0) + Math.max(0, row.length - 1) * GAP_X;
  const width = PAD * 2 + Math.max(BOX_W, ...rows.map(rowWidth));
  const centre = new Map<string, [number, number]>();
  const nodes: Placed[] = [];
  rows.forEach((row, d) => {
    let x = (width - rowWidth(row)) / 2;
    const y = PAD + d * (BOX_H + GAP_Y);
    for (const id of row) {
      centre.set(id, [x + widthOf(id) / 2, y]);
      if (names.has(id)) nodes.push({ id, name: label(id), x, y });
      x += widthOf(id) + GAP_X;
    }
  });
  const edges = chains.map(({ key, slots }) => {
    const points = slots.map((id, i): [number, number] => {
      const [x, y] = centre.get(id)!;
      if (i === 0) return [x, y + BOX_H];
      if (i === slots.length - 1) return [x, y - 2];
      return [x, y + BOX_H / 2];
    });
    return { key, points };
  });
  return { nodes, edges, width, height: PAD * 2 + rows.length * BOX_H + Math.max(0, rows.length - 1) * GAP_Y };
}

export function ImpliedRoleGraph(props: { rules: readonly Inference[] }) {
  const { nodes, edges, width, height } = layout(props.rules);
  if (!nodes.length) return <p>No implied-role rules: every role stands alone.</p>;
  const description = props.rules.map((r) => `${r.prior.name} implies ${r.implies.map((i) => i.name).join(', ')}`).join('. ');
  return (
    <figure class="graph-figure">
      <svg
        class="implied-graph"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-labelledby="implied-graph-title implied-graph-desc"
      >
        <title id="implied-graph-title">Implied-role graph</title>
        <desc id="implied-graph-desc">{description}</desc>
        <defs>
          <marker id="arrowhead" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow" />
          </marker>
        </defs>
        {edges.map((e) => (
          <polyline key={e.key} class="graph-edge" points={e.points.map((p) => p.join(',')).join(' ')} marker-end="url(#arrowhead)" />
        ))}
        {nodes.map((n) => (
          <g key={n.id} class="graph-node">
            <rect x={n.x} y={n.y} width={BOX_W} height={BOX_H} rx="6" />
            <text x={n.x + BOX_W / 2} y={n.y + BOX_H / 2} dominant-baseline="central" text-anchor="middle">
              {n.name.length > 16 ? `${n.name.slice(0, 15)}…` : n.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>An arrow from a role to another means: whoever holds the first also holds the second, in the same scope.</figcaption>
    </figure>
  );
}
