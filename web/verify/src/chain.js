// The page's only source of truth: a light client (smoldot, through polkadot-api) that syncs the
// chain from the chain spec's boot nodes over their WebSocket listeners, follows GRANDPA
// finality itself, and executes the runtime APIs locally on storage proven against a finalized
// block's state root. No JSON-RPC server is involved.

import { createClient } from 'polkadot-api';
import { getSmProvider } from 'polkadot-api/sm-provider';
import { start } from 'polkadot-api/smoldot';

/** Starts the light client on `chainSpec` (JSON text); resolves with the chain's reader. */
export async function connect(chainSpec) {
  const smoldot = start({ maxLogLevel: 2 });
  const chain = smoldot.addChain({ chainSpec });
  const client = createClient(getSmProvider(() => chain));
  const api = client.getUnsafeApi();
  const { genesisHash, name } = await client.getChainSpecData();
  return {
    name,
    genesisHash,
    /** The latest finalized block `{ number, hash }`: every read below is made at one. */
    finalized: () => client.getFinalizedBlock(),
    /** Calls runtime API `api.method(...args)` at `block` (a finalized block's hash). */
    call: (apiName, method, args, block) => api.apis[apiName][method](...args, { at: block }),
    /** Reads storage item `pallet.item(...keys)` at `block`. */
    query: (pallet, item, keys, block) => api.query[pallet][item].getValue(...keys, { at: block }),
    close: async () => {
      client.destroy();
      await smoldot.terminate();
    },
  };
}

/** The finalized block's timestamp (milliseconds since the Unix epoch), from proven storage. */
export function timestampOf(chain, block) {
  return chain.query('Timestamp', 'Now', [], block);
}

/** Everything the page shows about a device, read at one finalized block. */
export async function readDevice(chain, block, device) {
  const info = await chain.call('DeviceIdentityApi', 'device', [device], block);
  if (!info) return { device: undefined };
  const manufacturer = await chain.call('DeviceIdentityApi', 'manufacturer', [info.issuer], block);
  return { device: info, manufacturer };
}

/** The trace API's page size (the runtime's bound). */
const TRACE_PAGE = 1000;

/** `subject`'s trace, page by page, up to `limit` positions, read at one finalized block:
 * `{ length, entries }` (released anchors leave gaps, so entries can be fewer than positions). */
export async function readTrace(chain, block, subject, limit = 5000) {
  const length = await chain.call('DataAnchoringApi', 'trace_length', [subject], block);
  const end = Math.min(length, limit);
  const entries = [];
  for (let start = 0; start < end; start += TRACE_PAGE) {
    entries.push(...(await chain.call('DataAnchoringApi', 'trace', [subject, start, Math.min(TRACE_PAGE, end - start)], block)));
  }
  return { length, entries, complete: length <= limit };
}

/** The manufacturers among `accounts`: a Map from account to its name bytes. */
export async function manufacturersAmong(chain, block, accounts) {
  const names = new Map();
  for (const account of new Set(accounts)) {
    const info = await chain.call('DeviceIdentityApi', 'manufacturer', [account], block);
    if (info) names.set(account, info.name);
  }
  return names;
}

/** Who anchored `digest` (up to 20 attestations), and where on a child chain, if indexed. */
export async function readDigest(chain, block, digest) {
  const [attestations, child] = await Promise.all([
    chain.call('DataAnchoringApi', 'attestations', [digest, 20], block),
    chain.call('ChildChainsApi', 'child_anchor', [digest], block),
  ]);
  return { attestations, child };
}
