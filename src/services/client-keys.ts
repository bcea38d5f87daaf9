import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import { createTtlCache } from '../platform/ttl-cache.js';
import type { ClientKeyRow } from '../store/flag-repositories.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import type { Actor } from './flags.js';

export const clientKeyPrefix = 'rck_';

/** A read-only key for flag evaluation (OFREP, provider sync); separate from API tokens. */
export interface ClientPrincipal {
  actor: string;
  keyId: string;
  environment: string;
}

export type ClientKeyView = Omit<ClientKeyRow, 'keyHash'>;

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const view = ({ keyHash: _h, ...rest }: ClientKeyRow): ClientKeyView => rest;

export function createClientKeyService(store: Store, audit: AuditLog, clock: Clock) {
  const nowIso = () => new Date(clock.now()).toISOString();
  // OFREP authenticates every evaluation: keep key lookups off the store for a few seconds.
  const cache = createTtlCache<ClientPrincipal | null>(5000, clock.now);
  return {
    async create(input: { name: string; environment?: string }, by: Actor) {
      const name = input.name?.trim();
      if (!name) throw new RampartError('VALIDATION_FAILED', 'client key name is required (--name)', { field: 'name' });
      const environment = input.environment?.trim() || 'production';
      const key = clientKeyPrefix + randomBytes(24).toString('base64url');
      const row: ClientKeyRow = {
        id: newId('ck_', clock.now()), name, environment, keyHash: hash(key), prefix: key.slice(0, 10),
        createdAt: nowIso(), createdBy: by.actor, revokedAt: null,
      };
      await audit.record({ actor: by.actor, action: 'client-key.create', subject: { kind: 'client-key', id: row.id }, payload: { name, environment } },
        (trx) => store.clientKeys.insert(row, trx));
      return { key, record: view(row) };
    },
    async authenticate(key: string): Promise<ClientPrincipal | undefined> {
      if (!key.startsWith(clientKeyPrefix)) return undefined;
      const h = hash(key);
      const cached = cache.get(h);
      if (cached !== undefined) return cached ?? undefined;
      const row = await store.clientKeys.findByHash(h);
      const principal = !row || row.revokedAt ? null : { actor: `client-key:${row.name}`, keyId: row.id, environment: row.environment };
      cache.set(h, principal);
      return principal ?? undefined;
    },
    list: async () => (await store.clientKeys.list()).map(view),
    async revoke(id: string, by: Actor) {
      const row = await store.clientKeys.get(id);
      if (!row) throw new RampartError('NOT_FOUND', `no client key ${id}; see \`rampart flags client-key list\``);
      if (row.revokedAt) throw new RampartError('CONFLICT', `client key ${id} was already revoked at ${row.revokedAt}`);
      const at = nowIso();
      await audit.record({ actor: by.actor, action: 'client-key.revoke', subject: { kind: 'client-key', id }, payload: { name: row.name } },
        async (trx) => {
          if (!(await store.clientKeys.revoke(id, at, trx))) throw new RampartError('CONFLICT', `client key ${id} was revoked meanwhile`);
        });
      cache.clear();
      return view({ ...row, revokedAt: at });
    },
  };
}

export type ClientKeyService = ReturnType<typeof createClientKeyService>;
