/**
 * The static check of strategy JavaScript: parse as an ES module (acorn, latest ECMAScript) and
 * refuse forbidden constructs with line, column and a specific message. It runs first only to give
 * fast, clear feedback; security never depends on it (the engine runs unchecked code safely).
 */
import { type Node, parse } from 'acorn';
import { fullAncestor, simple } from 'acorn-walk';
import { ALLOWED_IMPORTS, importRefusal } from '../sandbox/modules.ts';
import type { StaticProblem } from './problem.ts';
import { BUILTINS, FORBIDDEN_GLOBALS, FORBIDDEN_PROPERTIES, MUTATORS } from './rules.ts';

/** Most problems reported for one source (the rest are summarised). */
export const MAX_PROBLEMS = 50;

// acorn's ESTree nodes, typed loosely: only the fields read here.
interface AnyNode extends Node {
  [key: string]: unknown;
}

/**
 * Checks strategy JavaScript. Positions are 1-based lines and 1-based columns of `code`.
 * Returns every problem found (up to MAX_PROBLEMS), in source order; empty when the code passes.
 * Pure; never throws.
 */
export function checkStrategyCode(code: string): StaticProblem[] {
  let ast: AnyNode;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: false }) as unknown as AnyNode;
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    const message = (err as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    return [{ line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, rule: 'syntax', message: `${message} (strategies are ES modules in strict mode)` }];
  }
  const problems: StaticProblem[] = [];
  const add = (node: Node, rule: string, message: string): void => {
    const start = node.loc?.start;
    problems.push({ line: start?.line ?? 1, column: (start?.column ?? 0) + 1, rule, message });
  };
  const declared = declaredNames(ast);

  fullAncestor(ast, (n, _state, ancestors) => {
    const node = n as AnyNode;
    const parent = ancestors[ancestors.length - 2] as AnyNode | undefined;
    switch (node.type) {
      case 'ImportDeclaration':
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration': {
        const source = node['source'] as AnyNode | null | undefined;
        if (source != null && !ALLOWED_IMPORTS.includes(String(source['value']))) add(source, 'import', importRefusal(String(source['value'])));
        break;
      }
      case 'ImportExpression':
        add(node, 'dynamic-import', `import() is not allowed: import only statically, and only ${ALLOWED_IMPORTS.map((s) => `'${s}'`).join(' or ')}`);
        break;
      case 'MetaProperty':
        if ((node['meta'] as AnyNode)['name'] === 'import') add(node, 'import-meta', 'import.meta is not available in the sandbox');
        break;
      case 'Identifier': {
        const name = node['name'] as string;
        const why = FORBIDDEN_GLOBALS.get(name);
        if (why !== undefined && !declared.has(name)) add(node, 'forbidden-global', `\`${name}\`: ${why}`);
        break;
      }
      case 'MemberExpression': {
        const name = propertyName(node);
        const why = name === null ? undefined : FORBIDDEN_PROPERTIES.get(name);
        if (why !== undefined) add(node['property'] as AnyNode, 'forbidden-property', `\`.${name}\`: ${why}`);
        break;
      }
      case 'ObjectPattern':
        // Destructuring reads properties too: `const { constructor } = x`.
        for (const prop of node['properties'] as AnyNode[]) {
          if (prop.type !== 'Property') continue;
          const name = keyName(prop);
          const why = name === null ? undefined : FORBIDDEN_PROPERTIES.get(name);
          if (why !== undefined) add(prop['key'] as AnyNode, 'forbidden-property', `\`${name}\` (destructured): ${why}`);
        }
        break;
      case 'Property':
        if (parent?.type === 'ObjectExpression' && keyName(node) === '__proto__' && !node['computed'] && !node['shorthand']) {
          add(node['key'] as AnyNode, 'proto-key', '`__proto__:` in an object literal sets its prototype; refused (use classes or Object.create)');
        }
        break;
      case 'AssignmentExpression':
      case 'UpdateExpression': {
        const target = (node.type === 'AssignmentExpression' ? node['left'] : node['argument']) as AnyNode;
        const root = builtinRoot(target);
        if (root !== null && !declared.has(root)) add(target, 'builtin-mutation', `modifying the built-in \`${root}\` is refused; keep your own helpers in your own variables`);
        break;
      }
      case 'CallExpression': {
        const callee = node['callee'] as AnyNode;
        const args = node['arguments'] as AnyNode[];
        if (callee.type === 'MemberExpression' && !callee['computed'] && ((callee['object'] as AnyNode)['name'] === 'Object' || (callee['object'] as AnyNode)['name'] === 'Reflect')) {
          const method = propertyName(callee);
          const first = args[0];
          const root = first === undefined ? null : builtinRoot(first, true);
          if (method !== null && MUTATORS.has(method) && root !== null && !declared.has(root)) {
            add(node, 'builtin-mutation', `Object.${method}() on the built-in \`${root}\` is refused; keep your own helpers in your own variables`);
          }
        }
        break;
      }
      case 'DebuggerStatement':
        add(node, 'debugger', 'debugger statements are not allowed');
        break;
      default:
        break;
    }
  });

  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  if (problems.length > MAX_PROBLEMS) {
    const rest = problems.length - MAX_PROBLEMS;
    problems.length = MAX_PROBLEMS;
    problems.push({ line: problems[MAX_PROBLEMS - 1]!.line, column: problems[MAX_PROBLEMS - 1]!.column, rule: 'more', message: `${rest} more problems not shown` });
  }
  return problems;
}

/** The property name of a member expression when it is static (`a.b`, `a['b']`, a`b` template), else null. */
function propertyName(node: AnyNode): string | null {
  const property = node['property'] as AnyNode;
  if (!node['computed']) return property.type === 'Identifier' ? (property['name'] as string) : null;
  return staticString(property);
}

function keyName(node: AnyNode): string | null {
  const key = node['key'] as AnyNode;
  if (!node['computed']) return key.type === 'Identifier' ? (key['name'] as string) : typeof key['value'] === 'string' ? (key['value'] as string) : null;
  return staticString(key);
}

function staticString(node: AnyNode): string | null {
  if (node.type === 'Literal' && typeof node['value'] === 'string') return node['value'] as string;
  if (node.type === 'TemplateLiteral' && (node['expressions'] as unknown[]).length === 0) {
    const quasi = (node['quasis'] as AnyNode[])[0];
    return ((quasi?.['value'] as { cooked?: string } | undefined)?.cooked ?? null) as string | null;
  }
  return null;
}

/**
 * The built-in a member chain modifies: `Math.random = …` → Math, `Array.prototype.x = …` →
 * Array; a bare `Math = …` too. With `bare`, also a plain reference (`Object.assign(Math, …)`).
 */
function builtinRoot(target: AnyNode, bare = false): string | null {
  let node = target;
  if (node.type === 'Identifier') return bare && BUILTINS.has(node['name'] as string) ? (node['name'] as string) : null;
  while (node.type === 'MemberExpression') node = node['object'] as AnyNode;
  if (node.type === 'Identifier' && BUILTINS.has(node['name'] as string)) return node['name'] as string;
  return null;
}

/** Every name the module declares anywhere (variables, functions, classes, parameters, imports, catch bindings). */
function declaredNames(ast: AnyNode): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: AnyNode | null | undefined): void => {
    if (p == null) return;
    switch (p.type) {
      case 'Identifier':
        names.add(p['name'] as string);
        break;
      case 'ObjectPattern':
        for (const prop of p['properties'] as AnyNode[]) addPattern(prop.type === 'RestElement' ? (prop['argument'] as AnyNode) : (prop['value'] as AnyNode));
        break;
      case 'ArrayPattern':
        for (const el of p['elements'] as (AnyNode | null)[]) addPattern(el);
        break;
      case 'RestElement':
        addPattern(p['argument'] as AnyNode);
        break;
      case 'AssignmentPattern':
        addPattern(p['left'] as AnyNode);
        break;
      default:
        break;
    }
  };
  const fn = (n: Node): void => {
    const node = n as AnyNode;
    addPattern(node['id'] as AnyNode | null);
    for (const p of node['params'] as AnyNode[]) addPattern(p);
  };
  simple(ast, {
    VariableDeclarator: (n) => addPattern((n as unknown as AnyNode)['id'] as AnyNode),
    FunctionDeclaration: fn,
    FunctionExpression: fn,
    ArrowFunctionExpression: fn,
    ClassDeclaration: (n) => addPattern((n as unknown as AnyNode)['id'] as AnyNode | null),
    ClassExpression: (n) => addPattern((n as unknown as AnyNode)['id'] as AnyNode | null),
    ImportSpecifier: (n) => addPattern((n as unknown as AnyNode)['local'] as AnyNode),
    ImportDefaultSpecifier: (n) => addPattern((n as unknown as AnyNode)['local'] as AnyNode),
    ImportNamespaceSpecifier: (n) => addPattern((n as unknown as AnyNode)['local'] as AnyNode),
    CatchClause: (n) => addPattern((n as unknown as AnyNode)['param'] as AnyNode | null),
  });
  return names;
}
