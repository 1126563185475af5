export { acquirePidLock, PID_FILE, type PidLock, type PidLockResult } from './pidlock.ts';
