// Checks of the fault drills in faults.zndsl, run by zombienet's test runner on one node
// (`alice: js-script ./drills.js with "<check>,<n>"`): `run` resolves with a number that the
// line compares. The runner provides the global `zombie` (connect, util) and the network's
// addresses. CommonJS, as the runner loads it with require().

const remembered = new Map();

/** Resolves once `test()` is true, polling every 500 ms. */
async function until(test) {
  while (!(await test())) await new Promise((resolve) => setTimeout(resolve, 500));
}

const best = async (api) => (await api.rpc.chain.getHeader()).number.toNumber();
const finalized = async (api) => (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

const checks = {
  /** How many blocks this node finalizes, once it has finalized `n` more than now. */
  async finalizes(api, n) {
    const from = await finalized(api);
    await until(async () => (await finalized(api)) >= from + n);
    return (await finalized(api)) - from;
  },

  /** 1 once this node's best block is at or above Alice's finalized block of when it started. */
  async synced(api, _n, networkInfo) {
    const alice = await zombie.connect(networkInfo.nodesByName.alice.wsUri);
    try {
      const target = await finalized(alice);
      await until(async () => (await best(api)) >= target);
      return 1;
    } finally {
      await alice.disconnect();
    }
  },

  /** 1 once a block above this node's finalized block of now is finalized that this node
   * authored (its Aura slot is the node's: the key is derived from its name, //Bob for bob). */
  async authors(api, _n, _networkInfo, nodeName) {
    const { Keyring } = zombie;
    const uri = `//${nodeName.charAt(0).toUpperCase()}${nodeName.slice(1)}`;
    const own = new Keyring({ type: 'sr25519' }).addFromUri(uri).address;
    const authorities = (await api.query.aura.authorities()).map((key) => api.createType('AccountId', key).toString());
    const index = authorities.indexOf(own);
    if (index < 0) throw new Error(`${uri} is not an Aura authority`);
    let next = (await finalized(api)) + 1;
    for (;;) {
      const upTo = await finalized(api);
      for (; next <= upTo; next++) {
        const header = await api.rpc.chain.getHeader(await api.rpc.chain.getBlockHash(next));
        const aura = header.digest.logs.find((log) => log.isPreRuntime && log.asPreRuntime[0].toString() === 'aura');
        const slot = api.createType('u64', aura.asPreRuntime[1]).toBigInt();
        if (Number(slot % BigInt(authorities.length)) === index) return 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  },

  /** Keeps the hashes of every finalized block of this node; resolves with how many. */
  async remember(api, _n, _networkInfo, nodeName) {
    const hashes = [];
    const upTo = await finalized(api);
    for (let number = 1; number <= upTo; number++) hashes.push((await api.rpc.chain.getBlockHash(number)).toHex());
    remembered.set(nodeName, hashes);
    return hashes.length;
  },

  /** How many blocks were finalized while the best block grew by `n` (after two to let a round
   * that was under way end); throws if no block was authored meanwhile. */
  async halted(api, n) {
    const start = await best(api);
    await until(async () => (await best(api)) >= start + 2);
    const halt = await finalized(api);
    await until(async () => (await best(api)) >= start + 2 + n);
    if ((await best(api)) <= halt) throw new Error('no block was authored');
    return (await finalized(api)) - halt;
  },

  /** How many blocks remembered by `remember` have another hash now (-1 if none were kept). */
  async kept(api, _n, _networkInfo, nodeName) {
    const hashes = remembered.get(nodeName);
    if (!hashes?.length) return -1;
    let changed = 0;
    for (const [i, hash] of hashes.entries()) {
      if ((await api.rpc.chain.getBlockHash(i + 1)).toHex() !== hash) changed += 1;
    }
    return changed;
  },
};

async function run(nodeName, networkInfo, args) {
  const [check, n] = args;
  if (!checks[check]) throw new Error(`unknown check ${check}`);
  const api = await zombie.connect(networkInfo.nodesByName[nodeName].wsUri);
  try {
    return await checks[check](api, Number(n ?? 0), networkInfo, nodeName);
  } finally {
    await api.disconnect();
  }
}

module.exports = { run };
