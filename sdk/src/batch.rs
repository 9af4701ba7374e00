//! Merkle batches of records, with the algorithm DataAnchoring verifies inclusion with
//! ([`viot_primitives::anchor`]: binary-merkle-tree over BLAKE2b-256).

use viot_primitives::{
	anchor::{merkle_proof, merkle_root, verify_merkle_proof, InclusionProof},
	Hash,
};

use crate::Error;

/// The 32-byte digest of a record: its BLAKE2b-256 hash. What is anchored for a record, and a
/// batch's leaf for it.
pub fn record_digest(record: &[u8]) -> Hash {
	sp_crypto_hashing::blake2_256(record).into()
}

/// A batch of record digests and its Merkle root, the digest `anchor_batch` anchors.
#[derive(Clone, Debug)]
pub struct Batch {
	leaves: Vec<Hash>,
	root: Hash,
}

impl Batch {
	/// The batch of `leaves`, in this order (the order fixes the root).
	pub fn new(leaves: Vec<Hash>) -> Result<Self, Error> {
		if leaves.is_empty() {
			return Err(Error::EmptyBatch);
		}
		u32::try_from(leaves.len()).map_err(|_| Error::BatchTooLarge)?;
		let root = merkle_root(&leaves);
		Ok(Self { leaves, root })
	}

	/// The Merkle root: what is anchored.
	pub fn root(&self) -> Hash {
		self.root
	}

	/// The number of leaves: `anchor_batch`'s `leaf_count`.
	pub fn leaf_count(&self) -> u32 {
		// Bounded in `new`.
		self.leaves.len() as u32
	}

	/// The leaves, in order.
	pub fn leaves(&self) -> &[Hash] {
		&self.leaves
	}

	/// The position of the first leaf equal to `leaf`.
	pub fn index_of(&self, leaf: &Hash) -> Option<u32> {
		self.leaves.iter().position(|l| l == leaf).map(|i| i as u32)
	}

	/// The proof that leaf `index` is in the batch.
	pub fn proof(&self, index: u32) -> Result<InclusionProof, Error> {
		merkle_proof(&self.leaves, index).ok_or(Error::LeafOutOfRange {
			index,
			count: self.leaf_count(),
		})
	}
}

/// Checks that `proof` leads from `leaf` to `proof.root` and returns the leaf's index. The root
/// alone does not fix the number of leaves: compare `proof.leaf_count` with the anchored count
/// (as [`crate::verify::verify_record`] does).
pub fn verify_proof(leaf: &Hash, proof: &InclusionProof) -> Result<u32, Error> {
	if verify_merkle_proof(leaf, proof) {
		Ok(proof.leaf_index)
	} else {
		Err(Error::BadProof)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaves(n: u32) -> Vec<Hash> {
		(0..n).map(|i| record_digest(&i.to_le_bytes())).collect()
	}

	#[test]
	fn every_leaf_of_every_shape_proves_and_nothing_else_does() {
		for n in 1..=33 {
			let batch = Batch::new(leaves(n)).unwrap();
			assert_eq!(batch.root(), merkle_root(batch.leaves()));
			for index in 0..n {
				let leaf = batch.leaves()[index as usize];
				let proof = batch.proof(index).unwrap();
				assert_eq!(proof.root, batch.root());
				assert_eq!(proof.leaf_count, n);
				assert_eq!(verify_proof(&leaf, &proof), Ok(index));
				assert_eq!(batch.index_of(&leaf), Some(index));
				assert_eq!(
					verify_proof(&record_digest(b"another record"), &proof),
					Err(Error::BadProof)
				);
				for sibling in 0..proof.siblings.len() {
					let mut tampered = proof.clone();
					tampered.siblings[sibling].0[0] ^= 1;
					assert_eq!(verify_proof(&leaf, &tampered), Err(Error::BadProof));
				}
			}
			assert_eq!(
				batch.proof(n),
				Err(Error::LeafOutOfRange { index: n, count: n })
			);
		}
	}

	#[test]
	fn the_root_is_binary_merkle_tree_over_blake2() {
		// Two leaves: blake2(blake2(a) || blake2(b)), as scripts and other tools compute it.
		let (a, b) = (record_digest(b"a"), record_digest(b"b"));
		let hashed = |h: Hash| sp_crypto_hashing::blake2_256(h.as_bytes());
		let expected = sp_crypto_hashing::blake2_256(&[hashed(a), hashed(b)].concat());
		assert_eq!(Batch::new(vec![a, b]).unwrap().root().0, expected);
		assert_eq!(Batch::new(vec![]).err(), Some(Error::EmptyBatch));
	}
}
