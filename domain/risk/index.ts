/**
 * Risk (predecessor §4): the nine pre-trade checks, halt and rollback triggers, the startup halt
 * evaluation, and the daily counters with their restoration. Pure: time and money are arguments;
 * a "no" is a value, never an exception.
 */
export { HALT_CLEARS_AT_NEW_DAY, type Halt, type HaltKind, type HaltRequest, mergeHalt } from './halts.ts';
export {
  type RiskState,
  RiskStateError,
  assertCurrentDay,
  createRiskState,
  engageKillSwitch,
  haltTrading,
  onCapitalFlow,
  onClose,
  onEntry,
  onEquity,
  resetIfNewDay,
  resume,
} from './state.ts';
export {
  RISK_CHECKS,
  type RiskCheckName,
  type RiskContext,
  type RiskDecision,
  type RiskPosition,
  checkSignal,
  opensNewPosition,
  tradeValue,
} from './checks.ts';
export {
  type RollbackKind,
  type RollbackRequest,
  type TriggerOutcome,
  applyTriggers,
  evaluateStartupHalt,
  evaluateTriggers,
} from './triggers.ts';
export { type RiskRestoreInput, restoreRiskState } from './restore.ts';
export {
  dailyDropBreached,
  dailyLossBreached,
  dailyLossLimit,
  dailyPnl,
  dayBase,
  drawdownBreached,
  lossStreakBreached,
} from './measures.ts';
export { RISK_STATE_VERSION, type RiskStateJson, riskStateFromJson, riskStateToJson } from './serialize.ts';
