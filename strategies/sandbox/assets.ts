/**
 * Builds, on the host, the JavaScript the engine evaluates inside QuickJS: the harness (a global
 * script), the toolkit (`'trading-brain/toolkit'`: our indicators bundled by esbuild) and the
 * contract constants (`'trading-brain/contract'`, generated from `domain/contract` so they never
 * drift). Also locates and reads the QuickJS WebAssembly binary. Memoised per process.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  ACTIONS,
  DEFAULT_CONFIDENCE,
  INTENTS,
  MAX_REASONING_CHARS,
  MAX_REGIME_CHARS,
  MAX_SIGNALS_PER_CALL,
  MAX_SLIPPAGE_TOLERANCE,
  ORDER_TYPES,
  RECENT_TRADES_LIMIT,
  SYMBOL_RE,
  TAG_RE,
} from '../../domain/contract/index.ts';
import type { SandboxAssets } from './engine/engine.ts';

const HARNESS_ENTRY = fileURLToPath(new URL('./engine/guest/harness.ts', import.meta.url));
const TOOLKIT_ENTRY = fileURLToPath(new URL('../toolkit/index.ts', import.meta.url));
/** JavaScript level the sandbox code is compiled to (QuickJS 2025-09 supports ES2023). */
export const SANDBOX_TARGET = 'es2022';

let assetsPromise: Promise<SandboxAssets> | null = null;

/** The harness, toolkit and contract sources (memoised; the first call bundles with esbuild, ~0.1–0.3 s). Rejects if esbuild fails. */
export function buildSandboxAssets(): Promise<SandboxAssets> {
  assetsPromise ??= buildAssets().catch((err: unknown) => {
    assetsPromise = null;
    throw err;
  });
  return assetsPromise;
}

async function buildAssets(): Promise<SandboxAssets> {
  const [harness, toolkit] = await Promise.all([
    bundle(HARNESS_ENTRY, 'iife', '__harness'),
    bundle(TOOLKIT_ENTRY, 'esm', undefined),
  ]);
  // The iife assigns `var __harness`; wrapping keeps it out of the global object and makes the
  // harness object the script's completion value.
  return Object.freeze({ harness: `(function () {\n'use strict';\n${harness}\nreturn __harness;\n})();`, toolkit, contract: contractModuleSource() });
}

async function bundle(entry: string, format: 'iife' | 'esm', globalName: string | undefined): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format,
    ...(globalName === undefined ? {} : { globalName }),
    platform: 'neutral',
    target: SANDBOX_TARGET,
    legalComments: 'none',
    logLevel: 'silent',
    charset: 'utf8',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return file.text;
}

/** Source of the in-sandbox `'trading-brain/contract'` module. Pure. */
export function contractModuleSource(): string {
  const lines = [
    '// The strategy contract, constants only (types are erased with TypeScript). Generated from domain/contract.',
    `export const ACTIONS = Object.freeze(${JSON.stringify(ACTIONS)});`,
    `export const INTENTS = Object.freeze(${JSON.stringify(INTENTS)});`,
    `export const ORDER_TYPES = Object.freeze(${JSON.stringify(ORDER_TYPES)});`,
    `export const MAX_SIGNALS_PER_CALL = ${MAX_SIGNALS_PER_CALL};`,
    `export const MAX_REASONING_CHARS = ${MAX_REASONING_CHARS};`,
    `export const MAX_REGIME_CHARS = ${MAX_REGIME_CHARS};`,
    `export const MAX_SLIPPAGE_TOLERANCE = ${MAX_SLIPPAGE_TOLERANCE};`,
    `export const DEFAULT_CONFIDENCE = ${DEFAULT_CONFIDENCE};`,
    `export const RECENT_TRADES_LIMIT = ${RECENT_TRADES_LIMIT};`,
    `export const SYMBOL_RE = ${SYMBOL_RE.toString()};`,
    `export const TAG_RE = ${TAG_RE.toString()};`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Absolute path of the QuickJS WebAssembly binary (RELEASE_SYNC variant). */
export function quickjsWasmPath(): string {
  return createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
}

let wasmPromise: Promise<WebAssembly.Module> | null = null;

/** The QuickJS WebAssembly module, compiled once per process (for in-process engines). */
export function compileQuickjsWasm(): Promise<WebAssembly.Module> {
  wasmPromise ??= readFile(quickjsWasmPath()).then((bytes) => webAssembly().compile(bytes));
  return wasmPromise;
}

/** The WebAssembly global (TypeScript's ES2023 lib without DOM types it only as a namespace). */
export function webAssembly(): { compile(bytes: Uint8Array): Promise<WebAssembly.Module>; Module: new (bytes: Uint8Array) => WebAssembly.Module } {
  return (globalThis as unknown as { WebAssembly: ReturnType<typeof webAssembly> }).WebAssembly;
}
