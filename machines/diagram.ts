/**
 * Machine definitions → diagrams: Mermaid `stateDiagram-v2` text and a flat JSON description.
 * Pure and deterministic (same definition, same text), offline; used by
 * `scripts/export-machines.ts` (docs/machines/*) and the `brain machines` CLI.
 *
 * JSON lists every state node (document order) and every transition definition — including
 * root-level handlers, targetless ones, `always` and delayed ones — with guard and action names.
 * Mermaid shows the same structure; edges carry `event [guard]` (actions are in the JSON), and
 * targetless transitions are drawn as self-loops except the root's own (no box to attach to).
 */
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** One state node. */
export interface StateJson {
  /** Dotted id, e.g. 'fund.running.trading.halted'. */
  readonly id: string;
  readonly key: string;
  readonly parent: string | null;
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Id of the initial child (compound states). */
  readonly initial: string | null;
  readonly description: string | null;
  readonly entry: readonly string[];
  readonly exit: readonly string[];
  readonly invoke: readonly { readonly id: string; readonly src: string }[];
  readonly tags: readonly string[];
}

/** One transition definition. */
export interface TransitionJson {
  readonly source: string;
  /** Event descriptor as written ('' for `always`). */
  readonly event: string;
  /** Readable event: 'after untilStale', 'done.boot', 'error.*', 'always'. */
  readonly label: string;
  /** Position among the alternatives for the same event on the same source (guard order). */
  readonly index: number;
  /** Target ids; empty for a targetless (internal) transition. */
  readonly targets: readonly string[];
  readonly guard: string | null;
  readonly actions: readonly string[];
  readonly reenter: boolean;
}

/** The whole machine. */
export interface MachineJson {
  readonly id: string;
  readonly states: readonly StateJson[];
  readonly transitions: readonly TransitionJson[];
}

function nodesOf(root: AnyStateNode): AnyStateNode[] {
  const out: AnyStateNode[] = [];
  const walk = (n: AnyStateNode) => {
    out.push(n);
    for (const child of Object.values(n.states) as AnyStateNode[]) walk(child);
  };
  walk(root);
  return out;
}

function formatParams(params: unknown): string {
  if (params === undefined || params === null) return '';
  if (typeof params !== 'object') return `(${String(params)})`;
  const parts = Object.entries(params as Record<string, unknown>).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** Name of an action or guard reference: a string, `{ type, params }`, or a built-in/inline function. */
function refName(ref: unknown): string {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'function') {
    const f = ref as { type?: unknown; name?: string };
    return typeof f.type === 'string' ? f.type : f.name || 'inline';
  }
  if (ref && typeof ref === 'object' && 'type' in ref) {
    const r = ref as { type: unknown; params?: unknown };
    return `${typeof r.type === 'string' ? r.type : refName(r.type)}${formatParams(r.params)}`;
  }
  return 'inline';
}

/** Entry/exit actions minus the raise/cancel pairs XState adds to implement `after`. */
function actionNames(actions: readonly unknown[]): string[] {
  const isDelayPlumbing = (a: unknown) => {
    if (typeof a !== 'function') return false;
    const { type, id } = a as unknown as { type?: unknown; id?: unknown };
    return type === 'xstate.cancel' || (type === 'xstate.raise' && typeof id === 'string' && id.startsWith('xstate.after.'));
  };
  return actions.filter((a) => !isDelayPlumbing(a)).map(refName);
}

/** Readable form of an event descriptor. */
export function eventLabel(descriptor: string): string {
  if (descriptor === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(descriptor);
  if (after) return /^\d+$/.test(after[1]!) ? `after ${after[1]}ms` : `after ${after[1]}`;
  if (descriptor.startsWith('xstate.done.actor.')) return `done.${descriptor.slice('xstate.done.actor.'.length)}`;
  if (descriptor.startsWith('xstate.error.actor.')) return `error.${descriptor.slice('xstate.error.actor.'.length)}`;
  return descriptor;
}

function transitionJson(t: AnyTransitionDefinition, index: number): TransitionJson {
  return {
    source: t.source.id,
    event: t.eventType,
    label: eventLabel(t.eventType),
    index,
    targets: (t.target ?? []).map((n: AnyStateNode) => n.id),
    guard: t.guard === undefined ? null : refName(t.guard),
    actions: t.actions.map(refName),
    reenter: t.reenter === true,
  };
}

function stateType(n: AnyStateNode): StateJson['type'] {
  if (n.type === 'history' || n.type === 'final' || n.type === 'parallel') return n.type;
  return Object.keys(n.states).length ? 'compound' : 'atomic';
}

/** The flat JSON description of a machine (pure, deterministic). */
export function toJson(machine: AnyStateMachine): MachineJson {
  const nodes = nodesOf(machine.root);
  const states: StateJson[] = nodes.map((n) => ({
    id: n.id,
    key: n.key,
    parent: n.parent ? n.parent.id : null,
    type: stateType(n),
    initial: n.initial?.target?.[0]?.id ?? null,
    description: n.description ?? null,
    entry: actionNames(n.entry),
    exit: actionNames(n.exit),
    invoke: n.invoke.map((i: { id: string; src: unknown }) => ({ id: i.id, src: typeof i.src === 'string' ? i.src : 'inline' })),
    tags: [...n.tags],
  }));
  const transitions: TransitionJson[] = [];
  for (const n of nodes) {
    for (const list of n.transitions.values()) list.forEach((t: AnyTransitionDefinition, i: number) => transitions.push(transitionJson(t, i)));
    (n.always ?? []).forEach((t: AnyTransitionDefinition, i: number) => transitions.push(transitionJson(t, i)));
  }
  return { id: machine.id, states, transitions };
}

/** `toJson` as the text written to docs/machines/<name>.json (2-space indent, trailing newline). */
export function toJsonText(machine: AnyStateMachine): string {
  return `${JSON.stringify(toJson(machine), null, 2)}\n`;
}

// ───────────────────────────── Mermaid ─────────────────────────────

/** Mermaid-safe state id from a dotted node id (the root's own key is dropped). */
function mermaidId(rootId: string, nodeId: string): string {
  const rel = nodeId === rootId ? rootId : nodeId.slice(rootId.length + 1);
  return rel.replace(/[^A-Za-z0-9]/g, '_');
}

/** Label text Mermaid will not misparse (no ':', ';', '#', braces or line breaks). */
function mermaidText(text: string): string {
  return text.replace(/[:;#{}\n\r]/g, (c) => ({ ':': '∶', ';': ',', '#': '', '{': '(', '}': ')', '\n': ' ', '\r': ' ' })[c] ?? c);
}

/**
 * Mermaid `stateDiagram-v2` text for a machine (pure, deterministic). Compound and parallel
 * states are nested blocks (regions separated by `--`); each edge is written in the block of
 * the lowest common compound ancestor of its source and target.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const root = machine.root;
  const json = toJson(machine);
  const byId = new Map(nodesOf(root).map((n) => [n.id, n]));
  const id = (nodeId: string) => mermaidId(root.id, nodeId);

  // Block (compound state id, or the root) each edge belongs to.
  const edges = new Map<string, string[]>();
  const blockOf = (source: AnyStateNode, target: AnyStateNode): string => {
    const ancestors = (n: AnyStateNode) => {
      const out: AnyStateNode[] = [];
      for (let p: AnyStateNode | undefined = n.parent; p; p = p.parent) out.push(p);
      return out;
    };
    const targetAncestors = new Set(ancestors(target));
    let lca = ancestors(source).find((a) => targetAncestors.has(a) || a === target) ?? root;
    while (lca.type === 'parallel' && lca.parent) lca = lca.parent; // no edge lines between region separators
    return lca.id;
  };
  for (const t of json.transitions) {
    const source = byId.get(t.source)!;
    const label = mermaidText(`${t.label}${t.guard ? ` [${t.guard}]` : ''}`);
    const targets = t.targets.length ? t.targets : source === root && root.type !== 'parallel' ? [] : [t.source];
    for (const targetId of targets) {
      const target = byId.get(targetId)!;
      const block = blockOf(source, target);
      const line = `${id(t.source)} --> ${id(targetId)} : ${label}`;
      edges.set(block, [...(edges.get(block) ?? []), line]);
    }
  }

  const lines: string[] = ['stateDiagram-v2'];
  const emit = (n: AnyStateNode, depth: number) => {
    const pad = '  '.repeat(depth);
    const children = Object.values(n.states) as AnyStateNode[];
    // A parallel root is wrapped in a block: region separators are only valid inside one.
    const isRoot = n === root && root.type !== 'parallel';
    if (!isRoot) lines.push(`${pad}state "${mermaidText(n.key)}" as ${id(n.id)}${children.length ? ' {' : ''}`);
    const inner = isRoot ? pad : `${pad}  `;
    if (children.length) {
      if (n.type === 'parallel') {
        children.forEach((c, i) => {
          if (i > 0) lines.push(`${inner}--`);
          emit(c, depth + (isRoot ? 0 : 1));
        });
      } else {
        const initial = n.initial?.target?.[0];
        if (initial) lines.push(`${inner}[*] --> ${id(initial.id)}`);
        for (const c of children) emit(c, depth + (isRoot ? 0 : 1));
        for (const c of children) if (c.type === 'final') lines.push(`${inner}${id(c.id)} --> [*]`);
      }
      for (const e of edges.get(n.id) ?? []) lines.push(`${inner}${e}`);
      if (!isRoot) lines.push(`${pad}}`);
    }
  };
  emit(root, root.type === 'parallel' ? 0 : 1);
  return `${lines.join('\n')}\n`;
}
