/** Row shapes of every table, shared by both dialects. Times are ISO-8601 UTC text. */
export interface Database {
  audit_events: {
    seq: number;
    id: string;
    time: string;
    actor: string;
    action: string;
    subject_kind: string;
    subject_id: string;
    service: string | null;
    payload: string;
    prev_hash: string;
    hash: string;
  };
  /** One row (id = 1): the seq and hash of the last append, written in the same transaction. */
  audit_head: { id: number; seq: number; hash: string };
  tokens: {
    id: string;
    name: string;
    token_hash: string;
    /** First characters of the token, for people to recognise it in lists. */
    prefix: string;
    /** JSON array of role names. */
    roles: string;
    created_at: string;
    created_by: string;
    revoked_at: string | null;
  };
}
