/**
 * A paper fund in its own process, for the kill-and-restart test: opens (or restores) the fund on
 * the database given as argv[2], replays the fixture candles up to argv[3] (ms), and prints
 * `step N` after each committed step. The parent SIGKILLs it at random points.
 */
import { createRepositories, migrate, openStore } from '../../../../adapters/libsql/index.ts';
import { DAY, FIXTURE_START, fixtureCandles, seedHistory, simFund } from '../support.ts';

const [dbPath, toText] = process.argv.slice(2);
const toMs = Number(toText);
const db = openStore({ path: dbPath! });
migrate(db);
const candles = fixtureCandles();
const fromMs = FIXTURE_START + DAY;
const repos = createRepositories(db);
if (repos.checkpoints.get() === undefined && repos.candles.count('ETH/USD', '5m') === 0) seedHistory(repos, candles, fromMs);
const { fund } = await simFund(db, { startMs: fromMs });
process.stdout.write('ready\n');
await fund.replay(candles, toMs, (_nowMs, step) => void process.stdout.write(`step ${step}\n`));
await fund.stop();
db.close();
process.stdout.write('done\n');
