import type { InboundLedger } from '../core/ports/inbound-ledger.ts';
import type { KnownNames } from '../core/ports/known-names.ts';
import type { ReadModel } from '../core/ports/read-model.ts';
import type { SourceCursors } from '../core/ports/source-cursors.ts';
import type { Db } from './db.ts';
import { createInboundLedger } from './inbound-ledger.ts';
import { createKnownNames } from './known-names.ts';
import { createReadModel } from './read-model.ts';
import { createSourceCursors } from './source-cursors.ts';

/** Everything an adapter may read or remember, over one database; adapters get these, never `db`. */
export interface AdapterPorts {
  read: ReadModel;
  ledger: InboundLedger;
  cursors: SourceCursors;
  names: KnownNames;
}

export function createAdapterPorts(db: Db): AdapterPorts {
  return {
    read: createReadModel(db),
    ledger: createInboundLedger(db),
    cursors: createSourceCursors(db),
    names: createKnownNames(db),
  };
}
