#!/usr/bin/env node
// Upgrades the runtime of a running VIoT chain, without a restart or a fork.
//
//   node scripts/upgrade-runtime.mjs --url ws://127.0.0.1:9944 --wasm <file> --suri //Alice
//   node scripts/upgrade-runtime.mjs --url ws://127.0.0.1:9944 --wasm <file> \
//     --council //Alice,//Bob,//Charlie
//
// With --suri, submits the new code through sudo (`system.setCode`, or with --authorize
// `system.authorizeUpgrade` then `system.applyAuthorizedUpgrade`, which keeps the sudo call small
// for large blobs). With --council (a chain without sudo), the first member proposes a council
// motion `upgrades.authorizeUpgrade(hash)`, the members vote aye (the proposer too), the first
// closes it once two thirds of the council approved, takes the proposal's deposit back
// (`council.releaseProposalCost`), and then applies the code with
// `system.applyAuthorizedUpgrade`; each step is reported. Then it waits for `system.CodeUpdated`
// and for the chain to run the new version, checks that spec_version went up and prints the old
// and new versions. A file that is not a runtime, a spec_version that does not go up, a key that
// is not the sudo key, keys that are not council members or too few of them are refused with a
// clear message, and then nothing on chain has changed. Exit code 0 on success.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';

import { runMotion } from './lib/council.mjs';

const USAGE = `usage: node scripts/upgrade-runtime.mjs --wasm <file> [--url ws://127.0.0.1:9944] [--suri //Alice] [--authorize] [--timeout 120]
       node scripts/upgrade-runtime.mjs --wasm <file> --council <suri>,<suri>,... [--url ...] [--timeout 120]

  --wasm       the new runtime: a .wasm or .compact.compressed.wasm file
  --url        a node's WebSocket RPC endpoint (default ws://127.0.0.1:9944)
  --suri       the secret URI of the chain's sudo key (default //Alice, the dev chains' key)
  --authorize  authorize the code's hash through sudo, then apply it (for large blobs)
  --council    secret URIs of council members, comma-separated: at least two thirds of the
               council; each votes aye, the first also proposes, closes and applies
  --timeout    seconds to wait for each step (default 120)`;

/** A failure with a message for the operator; nothing else is printed for it. */
class UpgradeError extends Error {}

/** Plain WASM starts with `\0asm`; Substrate's compressed blobs with this zstd prefix. */
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const COMPRESSED_MAGIC = [0x52, 0xbc, 0x53, 0x76, 0x46, 0xdb, 0x8e, 0x05];

function readRuntime(path) {
  let code;
  try {
    code = readFileSync(path);
  } catch (error) {
    throw new UpgradeError(`cannot read ${path}: ${error.message}`);
  }
  const startsWith = (magic) => magic.every((byte, i) => code[i] === byte);
  if (!startsWith(WASM_MAGIC) && !startsWith(COMPRESSED_MAGIC)) {
    throw new UpgradeError(`${path} is not a runtime WASM (neither plain nor compressed WASM)`);
  }
  return code;
}

function withTimeout(promise, seconds, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new UpgradeError(`timed out after ${seconds} s waiting for ${what}`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `Section.Name: docs` of a dispatch error, named through `registry`. */
function describe(registry, dispatchError) {
  if (dispatchError.isModule) {
    const { section, name, docs } = registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}${docs.length ? `: ${docs.join(' ').trim()}` : ''}`;
  }
  return dispatchError.toString();
}

/**
 * The events of block `blockHash`, decoded with the metadata of the runtime that executed the
 * block: that of its parent. A block that stores new code already reports the new runtime version,
 * and its events may not decode with the new metadata. The events are decoded in a registry of
 * their own: the API's registries follow the chain's current runtime and are updated in place
 * when it changes, so type ids of the old and new metadata could otherwise get mixed.
 */
async function eventsOf(api, blockHash) {
  const { provider } = api._rpcCore;
  const header = await provider.send('chain_getHeader', [blockHash.toHex()]);
  const [metadataHex, eventsHex] = await Promise.all([
    provider.send('state_getMetadata', [header.parentHash]),
    provider.send('state_getStorage', [api.query.system.events.key(), blockHash.toHex()]),
  ]);
  const registry = new TypeRegistry();
  registry.setMetadata(new Metadata(registry, metadataHex));
  const events = registry.createType('Vec<FrameSystemEventRecord>', eventsHex ?? '0x00');
  return { registry, events };
}

/**
 * Submits `tx` and resolves with its events once it is in a block; rejects with the error's name
 * if it failed, or if a sudo call inside it failed.
 */
async function submit(api, tx, signer, what) {
  const { blockHash, txIndex } = await new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      if (status.isInBlock) {
        unsubscribe();
        resolve({ blockHash: status.asInBlock, txIndex: result.txIndex });
      } else if (status.isDropped || status.isInvalid || status.isUsurped) {
        unsubscribe();
        reject(new UpgradeError(`${what} was not included: ${status.type}`));
      }
    }).then((unsub) => {
      unsubscribe = unsub;
    }, (error) => reject(new UpgradeError(`${what} was refused by the node: ${error.message}`)));
  });
  const { registry, events: all } = await eventsOf(api, blockHash);
  const events = all.filter(
    ({ phase }) => txIndex === undefined || (phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === txIndex),
  );
  for (const { event } of events) {
    const is = (section, method) => event.section === section && event.method === method;
    if (is('system', 'ExtrinsicFailed')) {
      throw new UpgradeError(`${what} failed: ${describe(registry, event.data[0])}`);
    }
    // A sudo call succeeds as an extrinsic even when its inner call fails; so does closing a
    // council motion whose call fails.
    if (is('sudo', 'Sudid') && event.data[0].isErr) {
      throw new UpgradeError(`${what} failed: ${describe(registry, event.data[0].asErr)}`);
    }
    if (is('council', 'Executed') && event.data[1].isErr) {
      throw new UpgradeError(`${what}: the motion's call failed: ${describe(registry, event.data[1].asErr)}`);
    }
  }
  return { blockHash, events };
}

/** Resolves with the runtime version once the chain's best block runs one above `specVersion`. */
function newVersion(api, specVersion) {
  return new Promise((resolve, reject) => {
    api.rpc.state
      .subscribeRuntimeVersion((version) => {
        if (version.specVersion.toNumber() > specVersion) resolve(version);
      })
      .catch(reject);
  });
}

const versionText = (v) => `${v.specName.toString()} spec_version ${v.specVersion.toNumber()} (impl ${v.implVersion.toNumber()}, tx ${v.transactionVersion.toNumber()})`;

/** Members needed for a motion of two thirds of `size` members (the runtime's GovernanceOrigin). */
const twoThirds = (size) => Math.ceil((2 * size) / 3);

/** Refuses `members` that are not all on the council, or too few for a two-thirds motion. */
async function checkCouncil(api, members) {
  if (!api.tx.council) throw new UpgradeError('this chain has no council; use --suri with its sudo key');
  const seated = (await api.query.council.members()).map((account) => account.toString());
  for (const member of members) {
    if (!seated.includes(member.address)) throw new UpgradeError(`${member.address} (from --council) is not a council member`);
  }
  if (new Set(members.map((m) => m.address)).size !== members.length) throw new UpgradeError('--council names a member twice');
  const needed = twoThirds(seated.length);
  if (members.length < needed) {
    throw new UpgradeError(`a motion needs ${needed} of the ${seated.length} council members; --council gives ${members.length}`);
  }
}

/**
 * A council motion `upgrades.authorizeUpgrade(codeHash)`: `members[0]` proposes it, the members
 * vote aye (as many as the threshold), `members[0]` closes it; resolves once the motion executed
 * without error.
 */
async function authorizeByMotion(api, members, codeHash, seconds) {
  const seated = (await api.query.council.members()).length;
  const threshold = twoThirds(seated);
  const call = api.tx.upgrades.authorizeUpgrade(codeHash);
  const send = (tx, signer, what) => withTimeout(submit(api, tx, signer, what), seconds, what);
  const onStep = (what, { executedAtOnce, proposalIndex, proposalHash, voter, executed, error }) => {
    if (executedAtOnce) console.log(`council.propose: executed at once (a council of ${seated})`);
    else if (what === 'council.propose') {
      console.log(`council.propose: motion #${proposalIndex} ${proposalHash.toHex()} (upgrades.authorizeUpgrade ${codeHash}), ${threshold} of ${seated} needed, proposed by ${members[0].address}`);
    } else if (what === 'council.vote') console.log(`council.vote: aye from ${voter.address}`);
    else if (what === 'council.close') console.log(`council.close: ${executed ? 'approved and executed' : 'closed without executing'}`);
    else if (what === 'council.releaseProposalCost' && error) {
      console.error(`council.releaseProposalCost: the proposal deposit is still held (${error.message}); anyone can release it later with council.releaseProposalCost(${proposalHash.toHex()})`);
    } else if (what === 'council.releaseProposalCost') console.log('council.releaseProposalCost: the proposal deposit is back with its proposer');
  };
  const { executed, events } = await runMotion(api, call, {
    proposer: members[0], voters: members.slice(0, threshold), threshold, send, onStep,
  });
  const names = events.map(({ event: e }) => `${e.section}.${e.method}`);
  if (threshold > 1 && !executed) {
    throw new UpgradeError(`council.close: the motion was not approved (events: ${names.join(', ')})`);
  }
  if (!names.includes('system.UpgradeAuthorized')) {
    throw new UpgradeError(`${threshold > 1 ? 'council.close' : 'council.propose'}: no system.UpgradeAuthorized (events: ${names.join(', ')})`);
  }
  console.log(`system.UpgradeAuthorized ${codeHash}`);
}

async function main() {
  let options;
  try {
    ({ values: options } = parseArgs({
      options: {
        url: { type: 'string', default: 'ws://127.0.0.1:9944' },
        wasm: { type: 'string' },
        suri: { type: 'string', default: '//Alice' },
        council: { type: 'string' },
        authorize: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '120' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UpgradeError(`${error.message}\n${USAGE}`);
  }
  if (options.help) {
    console.log(USAGE);
    return;
  }
  if (!options.wasm) throw new UpgradeError(`--wasm is required\n${USAGE}`);
  const seconds = Number(options.timeout);
  if (!(seconds > 0)) throw new UpgradeError(`--timeout must be a positive number of seconds`);

  const code = readRuntime(options.wasm);
  await cryptoWaitReady();
  const provider = new WsProvider(options.url, false);
  try {
    await withTimeout(provider.connect(), seconds, `a connection to ${options.url}`);
    const api = await withTimeout(ApiPromise.create({ provider, noInitWarn: true }), seconds, `the chain's metadata`);
    const keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
    const council = options.council?.split(',').map((suri) => keyring.addFromUri(suri.trim()));
    const signer = council ? council[0] : keyring.addFromUri(options.suri);

    if (council) {
      await checkCouncil(api, council);
    } else {
      const sudoKey = api.query.sudo ? await api.query.sudo.key() : undefined;
      if (!sudoKey || sudoKey.isNone) throw new UpgradeError('this chain has no sudo key; upgrade it through its council (--council)');
      if (sudoKey.unwrap().toString() !== signer.address) {
        throw new UpgradeError(`${signer.address} (from --suri) is not the sudo key ${sudoKey.unwrap().toString()}`);
      }
    }

    const before = await api.rpc.state.getRuntimeVersion();
    console.log(`current: ${versionText(before)}`);
    console.log(`uploading ${options.wasm} (${code.length} bytes, blake2-256 ${blake2AsHex(code, 256)})`);
    const upgraded = withTimeout(newVersion(api, before.specVersion.toNumber()), seconds * 2, 'the new runtime version');
    upgraded.catch(() => {});

    let events;
    if (council) {
      await authorizeByMotion(api, council, blake2AsHex(code, 256), seconds);
      ({ events } = await withTimeout(
        submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), signer, 'system.applyAuthorizedUpgrade'),
        seconds,
        'system.applyAuthorizedUpgrade',
      ));
    } else if (options.authorize) {
      await withTimeout(
        submit(api, api.tx.sudo.sudo(api.tx.system.authorizeUpgrade(blake2AsHex(code, 256))), signer, 'system.authorizeUpgrade'),
        seconds,
        'system.authorizeUpgrade',
      );
      ({ events } = await withTimeout(
        submit(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)), signer, 'system.applyAuthorizedUpgrade'),
        seconds,
        'system.applyAuthorizedUpgrade',
      ));
    } else {
      const setCode = api.tx.sudo.sudoUncheckedWeight(api.tx.system.setCode(u8aToHex(code)), { refTime: 0, proofSize: 0 });
      ({ events } = await withTimeout(submit(api, setCode, signer, 'system.setCode'), seconds, 'system.setCode'));
    }
    if (!events.some(({ event }) => event.section === 'system' && event.method === 'CodeUpdated')) {
      throw new UpgradeError('the code was submitted but system.CodeUpdated was not emitted');
    }
    console.log('system.CodeUpdated: the new code is stored; waiting for the chain to run it');

    const after = await upgraded;
    console.log(`upgraded: ${versionText(before)} -> ${versionText(after)}`);
    await api.disconnect();
  } finally {
    await provider.disconnect().catch(() => {});
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof UpgradeError ? `upgrade-runtime: ${error.message}` : error);
    process.exit(1);
  },
);
