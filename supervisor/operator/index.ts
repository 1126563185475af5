/**
 * The operator surface (DESIGN §7, STYLE 10): one typed command/query API over the fund actor,
 * the store and a clock. Telegram and the HTTP API are thin formatters over `createOperator`.
 */
export { type Operator, createOperator } from './operator.ts';
export type {
  BooksHandle,
  CommandResult,
  ConfirmationRequest,
  FundHandle,
  OperatorClock,
  OperatorCommand,
  OperatorCommandKind,
  OperatorDeps,
  OperatorSettings,
  OperatorState,
  QueryResult,
  RiskHandle,
  StoreBooksOptions,
} from './types.ts';
export type * from './views.ts';
export type { BenchmarksView, PerformanceHistoryQuery, TradesQuery } from './queries/fund.ts';
export type { ActivityQuery, SignalsQuery, StrategyDocVersionView } from './queries/records.ts';
export { COMMAND_KINDS, type ForcePromotionEvent, OPERATOR_CLOSE_REASON, REFLECT_TONIGHT_KEY } from './commands.ts';
export { API_ENDPOINTS, type ApiEndpointSpec, QUERY_NAMES, type QueryName, type Serves, TELEGRAM_COMMANDS, type TelegramCommandSpec } from './surface.ts';
export { type AmountResult, parseAmount } from './amounts.ts';
export { ConfirmationBook, type ConfirmOutcome } from './confirm.ts';
export { createStoreBooks } from './books.ts';
export { describeState, valueText } from './state.ts';
export { DEFAULT_CONFIRMATION_TTL_MS, operatorSettingsFromConfig } from './settings.ts';
