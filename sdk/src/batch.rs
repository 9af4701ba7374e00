//! Merkle batches of records, with the algorithm DataAnchoring verifies inclusion with
//! ([`viot_primitives::anchor`]: binary-merkle-tree over BLAKE2b-256).

use viot_primitives::{
	anchor::{verify_merkle_proof, InclusionProof},
	Hash,
};

use crate::Error;

/// The 32-byte digest of a record: its BLAKE2b-256 hash. What is anchored for a record, and a
/// batch's leaf for it.
pub fn record_digest(record: &[u8]) -> Hash {
	sp_crypto_hashing::blake2_256(record).into()
}

/// A batch of record digests and its Merkle tree, whose root is the digest `anchor_batch`
/// anchors.
///
/// The tree's rows are computed once, so every proof costs O(log n) (a proof from
/// [`merkle_proof`] rebuilds the whole tree: 35 ms per proof for 100,000 leaves in WebAssembly).
/// Rows, root and proofs are those of `binary-merkle-tree`, which the tests check for every
/// tree shape: the bottom row is the hash of each leaf, each upper row hashes adjacent pairs
/// without sorting, an odd last node moves up unchanged.
#[derive(Clone, Debug)]
pub struct Batch {
	leaves: Vec<Hash>,
	/// The tree's rows from the hashed leaves up to the root.
	rows: Vec<Vec<Hash>>,
}

fn hash_pair(left: &Hash, right: &Hash) -> Hash {
	let mut both = [0u8; 64];
	both[..32].copy_from_slice(left.as_bytes());
	both[32..].copy_from_slice(right.as_bytes());
	sp_crypto_hashing::blake2_256(&both).into()
}

impl Batch {
	/// The batch of `leaves`, in this order (the order fixes the root).
	pub fn new(leaves: Vec<Hash>) -> Result<Self, Error> {
		if leaves.is_empty() {
			return Err(Error::EmptyBatch);
		}
		u32::try_from(leaves.len()).map_err(|_| Error::BatchTooLarge)?;
		let mut rows = vec![leaves
			.iter()
			.map(|leaf| record_digest(leaf.as_bytes()))
			.collect::<Vec<_>>()];
		while let Some(row) = rows.last().filter(|row| row.len() > 1) {
			let next = row
				.chunks(2)
				.map(|pair| {
					pair.get(1)
						.map_or(pair[0], |right| hash_pair(&pair[0], right))
				})
				.collect();
			rows.push(next);
		}
		Ok(Self { leaves, rows })
	}

	/// The Merkle root: what is anchored.
	pub fn root(&self) -> Hash {
		self.rows.last().expect("a batch has at least one leaf")[0]
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

	/// The proof that leaf `index` is in the batch: the siblings from the bottom up, skipping
	/// rows where the node moved up alone.
	pub fn proof(&self, index: u32) -> Result<InclusionProof, Error> {
		if index >= self.leaf_count() {
			return Err(Error::LeafOutOfRange {
				index,
				count: self.leaf_count(),
			});
		}
		let mut position = index as usize;
		let mut siblings = Vec::with_capacity(self.rows.len());
		for row in &self.rows[..self.rows.len() - 1] {
			if let Some(sibling) = row.get(position ^ 1) {
				siblings.push(*sibling);
			}
			position /= 2;
		}
		Ok(InclusionProof {
			root: self.root(),
			leaf_index: index,
			leaf_count: self.leaf_count(),
			siblings,
		})
	}
}

impl Batch {
	/// The range proof of the `count` adjacent leaves from `first` (a carton of devices of a
	/// provisioning batch, for `deviceIdentity.claimDevices`): on each row from the bottom up,
	/// the node left of the range when it starts at an odd position, then the node right of it
	/// when it ends at an even position that is not the row's last; what
	/// [`viot_primitives::anchor::verify_merkle_range`] checks.
	pub fn range_proof(&self, first: u32, count: u32) -> Result<Vec<Hash>, Error> {
		let end = first
			.checked_add(count)
			.filter(|end| count > 0 && *end <= self.leaf_count());
		let Some(end) = end else {
			return Err(Error::RangeOutOfBatch {
				first,
				count,
				size: self.leaf_count(),
			});
		};
		let (mut start, mut end) = (first as usize, end as usize - 1);
		let mut siblings = Vec::new();
		for row in &self.rows[..self.rows.len() - 1] {
			if start % 2 == 1 {
				siblings.push(row[start - 1]);
			}
			if end.is_multiple_of(2) && end + 1 < row.len() {
				siblings.push(row[end + 1]);
			}
			start /= 2;
			end /= 2;
		}
		Ok(siblings)
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
	use viot_primitives::anchor::{merkle_proof, merkle_root};

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
				assert_eq!(Some(&proof), merkle_proof(batch.leaves(), index).as_ref());
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
	fn large_batches_prove_as_binary_merkle_tree_does() {
		for n in [1_000, 1_025, 4_097] {
			let batch = Batch::new(leaves(n)).unwrap();
			assert_eq!(batch.root(), merkle_root(batch.leaves()));
			for index in [0, 1, n / 2, n - 2, n - 1] {
				assert_eq!(
					Some(batch.proof(index).unwrap()),
					merkle_proof(batch.leaves(), index)
				);
			}
		}
	}

	#[test]
	fn every_range_of_every_shape_proves_as_the_runtime_checks_it() {
		use viot_primitives::anchor::{merkle_range_proof, verify_merkle_range};
		for n in 1..=33 {
			let batch = Batch::new(leaves(n)).unwrap();
			for first in 0..n {
				for count in 1..=n - first {
					let proof = batch.range_proof(first, count).unwrap();
					assert_eq!(
						Some(&proof),
						merkle_range_proof(batch.leaves(), first, count).as_ref()
					);
					let range = &batch.leaves()[first as usize..(first + count) as usize];
					assert!(verify_merkle_range(batch.root(), n, first, range, &proof));
				}
			}
			for (first, count) in [(0, 0), (n, 1), (0, n + 1), (u32::MAX, 2)] {
				assert_eq!(
					batch.range_proof(first, count),
					Err(Error::RangeOutOfBatch {
						first,
						count,
						size: n
					})
				);
			}
		}
		// A carton of 256 in a batch of 4,097: a few siblings where 256 proofs hold 3,072.
		let batch = Batch::new(leaves(4_097)).unwrap();
		assert_eq!(batch.range_proof(512, 256).unwrap().len(), 5);
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
