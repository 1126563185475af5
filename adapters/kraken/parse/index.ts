/**
 * The pure parsers, one file per message family. REST parsers take the envelope's `result`
 * value; `decodeRestEnvelope` and `decodeWsMessage` take raw text. All return `Parsed<T>` (or
 * run inside one) and never throw on bad input.
 */
export { decodeRestEnvelope, readRestEnvelope, parseResult, type RestEnvelope } from './envelope.ts';
export { parseWith, decodeWith } from './read.ts';
export { parseTime, parseSystemStatus, parseWebSocketsToken } from './system.ts';
export { parseAssetPairs, parseAssetPair, parseFeeSchedule } from './asset-pairs.ts';
export { parseTicker, parseTickerEntry } from './ticker.ts';
export { parseOhlc, parseOhlcRow, splitCommitted, toCandle, OHLC_INTERVALS, type OhlcInterval } from './ohlc.ts';
export { parseDepth } from './depth.ts';
export { parseBalance, parseBalanceEx, parseTradeBalance } from './balances.ts';
export { parseTradeVolume } from './trade-volume.ts';
export { parseOrder, parseOpenOrders, parseClosedOrders, parseQueryOrders, parseAddOrder, parseAmendOrder, parseEditOrder, parseCancel } from './orders.ts';
export { parseTrade, parseTradesHistory } from './trades.ts';
export { decodeWsMessage, readWsMessage, type WsMessage, type WsResponse, type WsStatus, type WsDataKind } from './ws.ts';
export { parseWsTicker, type WsTicker } from './ws-ticker.ts';
export { parseWsCandle, type WsCandle } from './ws-ohlc.ts';
export { parseWsBook, type WsBookData, type WsBookLevel } from './ws-book.ts';
export { parseWsExecution, EXEC_TYPES, WS_ORDER_STATUSES, type ExecType, type WsOrderStatus, type WsExecution, type WsFee } from './ws-executions.ts';
