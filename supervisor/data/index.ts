/**
 * Market-data jobs of the supervisor: tier maintenance (roll-up and pruning, on its own
 * schedule), candle file import, export and the store's coverage status. The `brain data`
 * commands (bin/commands/data.ts) are thin wrappers over these.
 */
export {
  CHUNK_DAYS,
  LAST_MAINTENANCE_KEY,
  ROLLUP_KEY_PREFIX,
  rollupRecord,
  seriesSources,
  TABLE_RETENTION_DAYS,
  runMaintenance,
  type MaintenanceConfig,
  type MaintenanceOptions,
  type MaintenanceReport,
  type PruneCounts,
  type RollupRecord,
  type RollupReport,
} from './maintenance.ts';
export {
  IMPORT_KEY_PREFIX,
  USD_STABLECOINS,
  importCandleFiles,
  importLabel,
  importRecords,
  plural,
  type ImportedFile,
  type ImportOptions,
  type ImportOutcome,
  type ImportRecord,
  type ImportReport,
  type ImportRequest,
} from './import.ts';
export { exportCandles, type ExportOutcome, type ExportRequest, type ExportTarget } from './export.ts';
export { dataStatus, formatDataStatus, type DataStatus, type SeriesStatus } from './status.ts';
export { parseDateArg } from './dates.ts';
