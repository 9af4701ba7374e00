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
    close: async () => {
      client.destroy();
      await smoldot.terminate();
    },
  };
}

/** Everything the page shows about a device, read at one finalized block. */
export async function readDevice(chain, block, device) {
  const info = await chain.call('DeviceIdentityApi', 'device', [device], block);
  if (!info) return { device: undefined };
  const manufacturer = await chain.call('DeviceIdentityApi', 'manufacturer', [info.issuer], block);
  return { device: info, manufacturer };
}

/** The whole trace of `subject` (up to `limit` entries), read at one finalized block. */
export async function readTrace(chain, block, subject, limit = 200) {
  const length = await chain.call('DataAnchoringApi', 'trace_length', [subject], block);
  if (!length) return { length: 0, entries: [] };
  const entries = await chain.call('DataAnchoringApi', 'trace', [subject, 0, Math.min(length, limit)], block);
  return { length, entries };
}

/** Who anchored `digest` (up to 20 attestations), and where on a child chain, if indexed. */
export async function readDigest(chain, block, digest) {
  const [attestations, child] = await Promise.all([
    chain.call('DataAnchoringApi', 'attestations', [digest, 20], block),
    chain.call('ChildChainsApi', 'child_anchor', [digest], block),
  ]);
  return { attestations, child };
}
