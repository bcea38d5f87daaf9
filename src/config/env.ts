/**
 * The only reader of environment variables. Everything else receives these values as arguments.
 */
export interface Env {
  dataDir?: string;
  databaseUrl?: string;
  adminToken?: string;
  configFile?: string;
  server?: string;
  token?: string;
  logLevel?: string;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const pick = (name: string) => (env[name] && env[name]!.length > 0 ? env[name] : undefined);
  const out: Env = {};
  const set = <K extends keyof Env>(k: K, v: string | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('dataDir', pick('RAMPART_DATA_DIR'));
  set('databaseUrl', pick('RAMPART_DATABASE_URL'));
  set('adminToken', pick('RAMPART_ADMIN_TOKEN'));
  set('configFile', pick('RAMPART_CONFIG'));
  set('server', pick('RAMPART_SERVER'));
  set('token', pick('RAMPART_TOKEN'));
  set('logLevel', pick('RAMPART_LOG_LEVEL'));
  return out;
}
