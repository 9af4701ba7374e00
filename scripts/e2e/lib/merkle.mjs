// The batch Merkle tree of DataAnchoring (viot_primitives::anchor): binary-merkle-tree with
// BLAKE2b-256. Leaves are 32-byte record digests; the bottom row is blake2_256(leaf); upper rows
// hash adjacent pairs blake2_256(left || right) without sorting; an odd last node is promoted;
// a proof lists the siblings bottom-up, skipping levels where the node was promoted.

import { u8aConcat, u8aToHex, u8aToU8a } from '@polkadot/util';
import { blake2AsU8a } from '@polkadot/util-crypto';

const hash = (bytes) => blake2AsU8a(bytes, 256);

/** Every row of the tree, from the hashed leaves up to the root. */
function rows(leaves) {
  if (leaves.length === 0) throw new Error('a batch needs at least one leaf');
  const all = [leaves.map((leaf) => hash(u8aToU8a(leaf)))];
  while (all[all.length - 1].length > 1) {
    const row = all[all.length - 1];
    const next = [];
    for (let i = 0; i < row.length; i += 2) {
      next.push(i + 1 < row.length ? hash(u8aConcat(row[i], row[i + 1])) : row[i]);
    }
    all.push(next);
  }
  return all;
}

/** The root of a batch of leaves, as hex. */
export function merkleRoot(leaves) {
  const all = rows(leaves);
  return u8aToHex(all[all.length - 1][0]);
}

/** The proof of `leaves[index]`, in the shape of the runtime's `InclusionProof`. */
export function merkleProof(leaves, index) {
  const all = rows(leaves);
  const siblings = [];
  let position = index;
  for (const row of all.slice(0, -1)) {
    const sibling = position % 2 === 1 ? position - 1 : position + 1;
    if (sibling < row.length) siblings.push(u8aToHex(row[sibling]));
    position = Math.floor(position / 2);
  }
  return {
    root: u8aToHex(all[all.length - 1][0]),
    leafIndex: index,
    leafCount: leaves.length,
    siblings,
  };
}
