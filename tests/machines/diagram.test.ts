import { readFileSync } from 'node:fs';
import { setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { MACHINES, eventLabel, toJson, toJsonText, toMermaid } from '../../machines/index.ts';
import { allStateIds, allTransitions } from './support/coverage.ts';

const docs = (file: string) => readFileSync(new URL(`../../docs/machines/${file}`, import.meta.url), 'utf8');

describe('docs/machines is generated from the definitions', () => {
  for (const [name, machine] of Object.entries(MACHINES)) {
    it(`${name}.mmd and ${name}.json match a fresh export (run: npx tsx scripts/export-machines.ts)`, () => {
      expect(docs(`${name}.mmd`)).toBe(toMermaid(machine));
      expect(docs(`${name}.json`)).toBe(toJsonText(machine));
    });
  }
});

describe('toJson', () => {
  for (const [name, machine] of Object.entries(MACHINES)) {
    it(`${name}: lists every state node and every transition definition`, () => {
      const json = toJson(machine);
      expect(json.states.map((s) => s.id)).toEqual(allStateIds(machine));
      expect(json.transitions).toHaveLength(allTransitions(machine).size);
      const ids = new Set(json.states.map((s) => s.id));
      for (const t of json.transitions) {
        expect(ids.has(t.source)).toBe(true);
        for (const target of t.targets) expect(ids.has(target), target).toBe(true);
      }
    });
  }

  it('describes guards, actions, invokes and delays by name', () => {
    const json = toJson(MACHINES.fund);
    const resume = json.transitions.find((t) => t.source === 'fund.running.trading.paused' && t.event === 'operator.resume');
    expect(resume).toEqual({
      source: 'fund.running.trading.paused',
      event: 'operator.resume',
      label: 'operator.resume',
      index: 0,
      targets: ['fund.running.trading.resolving'],
      guard: 'isPausedByOperator',
      actions: ['clearHaltAndPause', 'announceResume'],
      reenter: false,
    });
    const resolving = json.transitions.filter((t) => t.source === 'fund.running.strategy.resolving').map((t) => t.guard);
    expect(resolving).toEqual([
      'strategyStatusIs(status=rollingBack)',
      'strategyStatusIs(status=failed)',
      'strategyStatusIs(status=none)',
      'strategyStatusIs(status=fallback)',
      null,
    ]);
    expect(json.states.find((s) => s.id === 'fund.booting.working')?.invoke).toEqual([{ id: 'boot', src: 'boot' }]);
    // delayed transitions keep their named delay; XState's raise/cancel plumbing is hidden
    expect(json.transitions.filter((t) => t.source === 'fund.running.paperTest.running' && t.event.startsWith('xstate.after.')).map((t) => [t.label, t.guard])).toEqual([
      ['after untilPaperTestDeadline', 'hasTooFewPaperTrades'],
      ['after untilPaperTestDeadline', 'isPaperTestProfitable'],
      ['after untilPaperTestDeadline', null],
    ]);
    expect(json.states.find((s) => s.id === 'fund.running.paperTest.running')?.entry).toEqual([]);
    expect(json.states.find((s) => s.id === 'fund.running.feed.connecting')?.entry).toEqual(['connectFeed']);
  });
});

describe('toMermaid', () => {
  it('renders a small machine exactly', () => {
    const m = setup({ types: {} as { events: { type: 'go' } | { type: 'stop' } }, guards: { ok: () => true } }).createMachine({
      id: 'toy',
      initial: 'a',
      states: {
        a: { on: { go: { target: 'b', guard: 'ok' } } },
        b: {
          type: 'parallel',
          states: { x: { initial: 'x1', states: { x1: { on: { stop: '#toy.done' } } } }, y: {} },
        },
        done: { type: 'final' },
      },
    });
    expect(toMermaid(m)).toBe(
      [
        'stateDiagram-v2',
        '  [*] --> a',
        '  state "a" as a',
        '  state "b" as b {',
        '    state "x" as b_x {',
        '      [*] --> b_x_x1',
        '      state "x1" as b_x_x1',
        '    }',
        '    --',
        '    state "y" as b_y',
        '  }',
        '  state "done" as done',
        '  done --> [*]',
        '  a --> b : go [ok]',
        '  b_x_x1 --> done : stop',
        '',
      ].join('\n'),
    );
  });

  for (const [name, machine] of Object.entries(MACHINES)) {
    it(`${name}: declares every state once and draws every targeted transition`, () => {
      const text = toMermaid(machine);
      const declared = [...text.matchAll(/^\s*state "[^"]*" as (\S+)/gm)].map((m) => m[1]);
      expect(new Set(declared).size).toBe(declared.length);
      // the root is the diagram itself, unless parallel (regions need an enclosing block)
      expect(declared.length).toBe(allStateIds(machine).length - (machine.root.type === 'parallel' ? 0 : 1));
      const edges = text.split('\n').filter((l) => l.includes(' --> ') && !l.includes('[*]'));
      const targeted = toJson(machine).transitions.filter((t) => t.targets.length > 0 || t.source !== machine.root.id);
      expect(edges).toHaveLength(targeted.reduce((n, t) => n + Math.max(1, t.targets.length), 0));
      expect(text).not.toMatch(/ : .*[:;#{}]/); // labels Mermaid could misparse
    });
  }

  it('labels events readably', () => {
    expect(eventLabel('')).toBe('always');
    expect(eventLabel('xstate.after.untilStale.symbol.ready')).toBe('after untilStale');
    expect(eventLabel('xstate.after.500.toy.a')).toBe('after 500ms');
    expect(eventLabel('xstate.done.actor.boot')).toBe('done.boot');
    expect(eventLabel('xstate.error.actor.*')).toBe('error.*');
    expect(eventLabel('operator.halt')).toBe('operator.halt');
  });
});
