// A council motion, as scripts/upgrade-runtime.mjs and the end-to-end tests run one.

/**
 * Runs a council motion on `call` (a submittable extrinsic): `proposer` proposes it with
 * `threshold`, each of `voters` votes aye (the proposer votes like any member: pallet-collective
 * does not count the proposal as its aye), then `proposer` closes it with the call's weight and
 * length as bounds and takes back the proposal's deposit (`council.releaseProposalCost`: a member
 * holds at most three).
 *
 * `send(tx, signer, what)` submits `tx` and resolves with `{ events }` once it is in a block (it
 * throws or rejects on failure; `what` names the step, e.g. `council.vote`). `onStep(what, detail)`
 * is told of each step.
 *
 * Resolves with `{ executed, events }`: `executed` is the `council.Executed` event's data
 * (`proposalHash`, `result`), or undefined if the motion was closed without executing;
 * `events` are the closing extrinsic's. With a threshold of 1 the motion executes as it is
 * proposed, and `events` are the proposal's.
 */
export async function runMotion(api, call, { proposer, voters, threshold, send, onStep = () => {} }) {
  const length = call.method.encodedLength;
  const executedIn = (events) => events.find(({ event }) => api.events.council.Executed.is(event))?.event.data;

  const proposed = await send(api.tx.council.propose(threshold, call.method, length), proposer, 'council.propose');
  if (threshold <= 1) {
    onStep('council.propose', { executedAtOnce: true });
    return { executed: executedIn(proposed.events), events: proposed.events };
  }
  const event = proposed.events.find(({ event: e }) => api.events.council.Proposed.is(e));
  if (!event) throw new Error('council.propose: no council.Proposed event');
  const { proposalIndex, proposalHash } = event.event.data;
  onStep('council.propose', { proposalIndex, proposalHash });
  for (const voter of voters) {
    await send(api.tx.council.vote(proposalHash, proposalIndex, true), voter, 'council.vote');
    onStep('council.vote', { voter });
  }
  const { weight } = await call.paymentInfo(proposer.address);
  let closed;
  try {
    closed = await send(api.tx.council.close(proposalHash, proposalIndex, weight, length), proposer, 'council.close');
    onStep('council.close', { executed: executedIn(closed.events) });
  } finally {
    // Also when `send` refused the close's outcome (a call that failed): a closed motion's
    // deposit comes back, else it would stay held (and count against the proposer's three).
    await releaseDeposit(api, proposalHash, proposer, send, onStep);
  }
  return { executed: executedIn(closed.events), events: closed.events };
}

/**
 * Returns a closed motion's deposit to its proposer (`council.releaseProposalCost`), if one is
 * held; a failure is reported through `onStep` (`{ error }`), never thrown: the motion's outcome
 * stands either way.
 */
async function releaseDeposit(api, proposalHash, signer, send, onStep) {
  try {
    if ((await api.query.council.proposalOf(proposalHash)).isSome) return;
    if ((await api.query.council.costOf(proposalHash)).isNone) return;
    await send(api.tx.council.releaseProposalCost(proposalHash), signer, 'council.releaseProposalCost');
    onStep('council.releaseProposalCost', { proposalHash });
  } catch (error) {
    onStep('council.releaseProposalCost', { proposalHash, error });
  }
}
