//! Data anchoring: records, traces, batch Merkle trees and the `DataAnchoringApi`.
//!
//! Data stays off chain; its 32-byte digest is anchored. A **batch** anchors the Merkle root of
//! many records at once. The tree is [`binary_merkle_tree`] with BLAKE2b-256, the same code in
//! the runtime, the SDK and the tests:
//!
//! - a leaf is a record's 32-byte digest (e.g. the BLAKE2b-256 of the record's bytes);
//! - the tree's bottom row is `blake2_256(leaf)` for every leaf, in the given order;
//! - each upper row hashes adjacent pairs, `blake2_256(left || right)`, no sorting; an odd last
//!   node is promoted unchanged to the next row;
//! - the root of a single leaf is `blake2_256(leaf)`;
//! - a proof lists the sibling of each level bottom-up, skipping levels where the node was
//!   promoted.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::traits::BlakeTwo256;

use crate::device::DeviceId;

/// The id of an item whose history is traced (a product, a pallet of goods, a shipment): 32
/// bytes chosen by the business, e.g. the hash of a GS1 serial number.
pub type SubjectId = [u8; 32];

/// Well-known event codes of anchors. Any other `u16` is allowed; codes from
/// [`kind::APPLICATION`] up are left to applications.
pub mod kind {
	/// No particular event.
	pub const UNSPECIFIED: u16 = 0;
	/// The item was made.
	pub const MANUFACTURED: u16 = 1;
	/// The item left a site.
	pub const SHIPPED: u16 = 2;
	/// The item arrived at a site.
	pub const RECEIVED: u16 = 3;
	/// The item was inspected or tested.
	pub const INSPECTED: u16 = 4;
	/// The item was put into storage.
	pub const STORED: u16 = 5;
	/// The item's tag was scanned by a reader.
	pub const SCANNED: u16 = 6;
	/// The item was sold.
	pub const SOLD: u16 = 7;
	/// The item was returned.
	pub const RETURNED: u16 = 8;
	/// The item was recycled or destroyed.
	pub const RECYCLED: u16 = 9;
	/// A sensor reading (temperature, humidity, location).
	pub const SENSOR_READING: u16 = 10;
	/// First code reserved for applications.
	pub const APPLICATION: u16 = 1_000;
}

/// Who vouched for an anchor.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub enum AnchorSource {
	/// The submitting account alone.
	Account,
	/// A registered device signed the anchor; an account submitted it.
	Device(DeviceId),
	/// A tag and a reader both signed the scan.
	Scan {
		/// The scanned tag.
		tag: DeviceId,
		/// The reader that scanned it.
		reader: DeviceId,
	},
}

/// Who attests a digest. An anchor is keyed by the digest and its attester, so every attester
/// attests a digest at most once and nobody can take, block or replace another's attestation
/// by anchoring the same digest first.
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum Attester<AccountId> {
	/// The account that submitted the anchor (`anchor`, `anchor_batch`).
	Account(AccountId),
	/// A registered device that signed the anchor (`anchor_from_device`), whoever submitted it.
	Device(DeviceId),
	/// A tag and a reader that both signed the scan (`anchor_scan`).
	Scan {
		/// The scanned tag.
		tag: DeviceId,
		/// The reader that scanned it.
		reader: DeviceId,
	},
}

impl<AccountId> Attester<AccountId> {
	/// The attester of an anchor submitted by `owner` with `source`.
	pub fn of(owner: AccountId, source: &AnchorSource) -> Self {
		match source {
			AnchorSource::Account => Self::Account(owner),
			AnchorSource::Device(device) => Self::Device(*device),
			AnchorSource::Scan { tag, reader } => Self::Scan {
				tag: *tag,
				reader: *reader,
			},
		}
	}
}

/// An anchor as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct AnchorInfo<AccountId, Balance, BlockNumber> {
	/// The anchored digest (a batch's Merkle root for a batch).
	pub digest: H256,
	/// The account that submitted it and holds its deposit.
	pub owner: AccountId,
	/// The block it was anchored in.
	pub block: BlockNumber,
	/// The block's timestamp, in milliseconds since the Unix epoch.
	pub timestamp: u64,
	/// Who vouched for it.
	pub source: AnchorSource,
	/// The item it concerns, if any.
	pub subject: Option<SubjectId>,
	/// The event code.
	pub kind: u16,
	/// For a batch, the number of leaves under the root.
	pub leaf_count: Option<u32>,
	/// Free-form metadata (e.g. a content type or a URI of the off-chain record).
	pub metadata: Vec<u8>,
	/// The deposit held for it.
	pub deposit: Balance,
	/// Its position in the subject's trace.
	pub trace_index: Option<u32>,
}

/// One entry of an item's trace, as the runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct TraceEntry<AccountId, Balance, BlockNumber> {
	/// The entry's position in the trace, from 0.
	pub index: u32,
	/// The anchor.
	pub anchor: AnchorInfo<AccountId, Balance, BlockNumber>,
}

/// A proof that a leaf is in an anchored batch.
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct InclusionProof {
	/// The batch's Merkle root, as anchored.
	pub root: H256,
	/// The leaf's position in the batch, from 0.
	pub leaf_index: u32,
	/// The number of leaves in the batch.
	pub leaf_count: u32,
	/// The sibling hashes from the bottom of the tree up.
	pub siblings: Vec<H256>,
}

/// Why an inclusion proof was not accepted.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub enum InclusionError {
	/// The proof's root is not anchored by the named attester.
	NotAnchored,
	/// The root is anchored, but as a single record, not as a batch.
	NotABatch,
	/// The proof does not lead from the leaf to the root, or its leaf count or index does not
	/// match the anchored batch.
	BadProof,
}

/// Index of the data-anchoring pallet in the VIoT runtime.
pub const DATA_ANCHORING_PALLET_INDEX: u8 = 9;

/// The data-anchoring calls a gateway sends, encoded exactly as the runtime's call enum encodes
/// them (the runtime's tests compare the bytes), so a gateway builds them without compiling the
/// runtime.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum DataAnchoringCall {
	/// `DataAnchoring::anchor_batch`.
	#[codec(index = 1)]
	AnchorBatch {
		/// The batch's Merkle root.
		root: H256,
		/// Its number of leaves.
		leaf_count: u32,
		/// The item the batch concerns, if any.
		subject: Option<SubjectId>,
		/// The event code.
		kind: u16,
		/// Free-form metadata (at most 256 bytes on VIoT chains).
		metadata: Vec<u8>,
	},
}

/// A VIoT runtime call with a data-anchoring call inside, as the runtime encodes it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum AnchoringRuntimeCall {
	/// A call of the data-anchoring pallet.
	#[codec(index = 9)]
	DataAnchoring(DataAnchoringCall),
}

const _: () = assert!(
	DATA_ANCHORING_PALLET_INDEX == 9,
	"AnchoringRuntimeCall's codec index follows it"
);

/// The Merkle root of a batch of leaves. Zero for no leaves.
pub fn merkle_root(leaves: &[H256]) -> H256 {
	binary_merkle_tree::merkle_root::<BlakeTwo256, _>(leaves)
}

/// The proof that `leaves[leaf_index]` is in the batch of `leaves`. `None` if the index is out
/// of range or the batch holds more than `u32::MAX` leaves.
pub fn merkle_proof(leaves: &[H256], leaf_index: u32) -> Option<InclusionProof> {
	let leaf_count = u32::try_from(leaves.len()).ok()?;
	if leaf_index >= leaf_count {
		return None;
	}
	let proof = binary_merkle_tree::merkle_proof::<BlakeTwo256, _, _>(leaves, leaf_index);
	Some(InclusionProof {
		root: proof.root,
		leaf_index,
		leaf_count,
		siblings: proof.proof,
	})
}

/// Whether `proof` leads from `leaf` to `proof.root`. The root does not commit to the number of
/// leaves, so callers compare `proof.leaf_count` with the count anchored with the root.
pub fn verify_merkle_proof(leaf: &H256, proof: &InclusionProof) -> bool {
	// A proof never has more siblings than the tree has levels; refuse longer ones before
	// hashing them.
	if proof.siblings.len() > 32 {
		return false;
	}
	binary_merkle_tree::verify_proof::<BlakeTwo256, _, _>(
		&proof.root,
		proof.siblings.iter().copied(),
		proof.leaf_count,
		proof.leaf_index,
		leaf,
	)
}

/// Most siblings a range proof ([`merkle_range_root`]) holds: at most one on each side of the
/// range on each of a tree's 32 levels.
pub const MAX_RANGE_PROOF: u32 = 64;

/// The row above `nodes`, which start at an even position of theirs: each left and right child
/// hashed together, an odd last node moved up unchanged.
fn row_above(nodes: &[H256]) -> Vec<H256> {
	nodes
		.chunks(2)
		.map(|pair| match pair {
			[left, right] => H256(sp_io::hashing::blake2_256(
				&[left.as_bytes(), right.as_bytes()].concat(),
			)),
			[alone] => *alone,
			_ => unreachable!("chunks(2) yields one or two nodes"),
		})
		.collect()
}

/// The root that `leaves`, at positions `first..first + leaves.len()` of a tree of `leaf_count`
/// leaves, lead to with `siblings`, and how many of the siblings that took; `None` when the
/// range is empty or leaves the tree, or the siblings run out.
///
/// A range proof is what a proof of one leaf is, for several adjacent leaves at once: on each
/// row from the bottom up, the node left of the range when the range starts at an odd position,
/// then the node right of it when the range ends at an even position that is not the row's last
/// (the range's own nodes are hashed together). For a single leaf it is the leaf's
/// [`merkle_proof`] siblings. The tree is the one [`merkle_root`] builds.
pub fn merkle_range_root(
	leaf_count: u32,
	first: u32,
	leaves: &[H256],
	siblings: &[H256],
) -> Option<(H256, usize)> {
	if leaves.is_empty() {
		return None;
	}
	let count = u64::try_from(leaves.len()).ok()?;
	let last = u64::from(first).checked_add(count)?.checked_sub(1)?;
	if last >= u64::from(leaf_count) {
		return None;
	}
	let hash = |bytes: &[u8]| H256(sp_io::hashing::blake2_256(bytes));
	let mut row: Vec<H256> = leaves.iter().map(|leaf| hash(leaf.as_bytes())).collect();
	let (mut start, mut width, mut used) = (u64::from(first), u64::from(leaf_count), 0);
	let mut sibling = || {
		let next = siblings.get(used).copied();
		used += 1;
		next
	};
	while width > 1 {
		let end = start + row.len() as u64 - 1;
		let mut nodes = Vec::with_capacity(row.len() + 2);
		if start % 2 == 1 {
			nodes.push(sibling()?);
		}
		nodes.append(&mut row);
		if end.is_multiple_of(2) && end + 1 < width {
			nodes.push(sibling()?);
		}
		// `nodes` starts at an even position.
		row = row_above(&nodes);
		start /= 2;
		width = width.div_ceil(2);
	}
	Some((row[0], used))
}

/// Whether `siblings` (exactly: none left over) lead from `leaves`, at positions
/// `first..first + leaves.len()` of a tree of `leaf_count` leaves, to `root`. See
/// [`merkle_range_root`].
pub fn verify_merkle_range(
	root: H256,
	leaf_count: u32,
	first: u32,
	leaves: &[H256],
	siblings: &[H256],
) -> bool {
	siblings.len() <= MAX_RANGE_PROOF as usize
		&& merkle_range_root(leaf_count, first, leaves, siblings) == Some((root, siblings.len()))
}

/// The range proof of `leaves[first..first + count]` (see [`merkle_range_root`]). `None` if the
/// range is empty or leaves the batch. Builds the whole tree: for many proofs of one batch, keep
/// its rows (the SDK's `Batch` does).
pub fn merkle_range_proof(leaves: &[H256], first: u32, count: u32) -> Option<Vec<H256>> {
	let end = usize::try_from(first.checked_add(count)?).ok()?;
	if count == 0 || end > leaves.len() {
		return None;
	}
	let hash = |bytes: &[u8]| H256(sp_io::hashing::blake2_256(bytes));
	let mut row: Vec<H256> = leaves.iter().map(|leaf| hash(leaf.as_bytes())).collect();
	let (mut start, mut end) = (first as usize, end - 1);
	let mut siblings = Vec::new();
	while row.len() > 1 {
		if start % 2 == 1 {
			siblings.push(row[start - 1]);
		}
		if end.is_multiple_of(2) && end + 1 < row.len() {
			siblings.push(row[end + 1]);
		}
		row = row_above(&row);
		start /= 2;
		end /= 2;
	}
	Some(siblings)
}

sp_api::decl_runtime_apis! {
	/// Queries of anchored data; `api.call.dataAnchoringApi.*` in Polkadot.js.
	///
	/// Version 2: anchors are keyed by digest and attester (`anchor_of` names the attester,
	/// `attestations` lists every attester of a digest, `verify_inclusion` names the batch's
	/// attester).
	#[api_version(2)]
	pub trait DataAnchoringApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// `attester`'s anchor of `digest`, if it attested it.
		fn anchor_of(
			digest: H256,
			attester: Attester<AccountId>,
		) -> Option<AnchorInfo<AccountId, Balance, BlockNumber>>;
		/// Up to `count` (at most 1,000) attestations of `digest`, earliest first (by block;
		/// attestations of one block in storage order).
		fn attestations(digest: H256, count: u32) -> Vec<AnchorInfo<AccountId, Balance, BlockNumber>>;
		/// `attester`'s batch anchor that `proof` proves `leaf` is part of: the proof's root
		/// must be anchored by `attester` as a batch with the proof's leaf count.
		fn verify_inclusion(
			leaf: H256,
			proof: InclusionProof,
			attester: AccountId,
		) -> Result<AnchorInfo<AccountId, Balance, BlockNumber>, InclusionError>;
		/// Up to `count` (at most 1,000) entries of `subject`'s trace from position `start`, in
		/// order; released anchors leave gaps.
		fn trace(
			subject: SubjectId,
			start: u32,
			count: u32,
		) -> Vec<TraceEntry<AccountId, Balance, BlockNumber>>;
		/// The number of positions `subject`'s trace has used: the next entry's index.
		fn trace_length(subject: SubjectId) -> u32;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_io::hashing::blake2_256;

	fn leaves(n: u32) -> Vec<H256> {
		(0..n).map(|i| H256(blake2_256(&i.to_le_bytes()))).collect()
	}

	#[test]
	fn root_of_one_leaf_is_its_hash() {
		let leaf = H256::repeat_byte(7);
		assert_eq!(merkle_root(&[leaf]), H256(blake2_256(leaf.as_bytes())));
	}

	#[test]
	fn root_hashes_pairs_and_promotes_the_odd_node() {
		let l = leaves(3);
		let h = |x: &H256| blake2_256(x.as_bytes());
		let pair = |a: [u8; 32], b: [u8; 32]| blake2_256(&[a, b].concat());
		let expected = pair(pair(h(&l[0]), h(&l[1])), h(&l[2]));
		assert_eq!(merkle_root(&l), H256(expected));
	}

	#[test]
	fn every_proof_of_every_tree_shape_verifies() {
		for n in 1..=33u32 {
			let l = leaves(n);
			let root = merkle_root(&l);
			for i in 0..n {
				let proof = merkle_proof(&l, i).unwrap();
				assert_eq!(proof.root, root);
				assert!(verify_merkle_proof(&l[i as usize], &proof), "n={n} i={i}");
			}
			assert!(merkle_proof(&l, n).is_none());
		}
	}

	#[test]
	fn every_range_of_every_tree_shape_proves_and_a_one_leaf_range_is_a_leaf_proof() {
		for n in 1..=33u32 {
			let l = leaves(n);
			let root = merkle_root(&l);
			for first in 0..n {
				for count in 1..=n - first {
					let range = &l[first as usize..(first + count) as usize];
					let siblings = merkle_range_proof(&l, first, count).unwrap();
					assert!(
						verify_merkle_range(root, n, first, range, &siblings),
						"n={n} first={first} count={count}"
					);
					assert!(siblings.len() <= 2 * 32);
					if count == 1 {
						assert_eq!(siblings, merkle_proof(&l, first).unwrap().siblings);
					}
				}
			}
			assert!(merkle_range_proof(&l, 0, 0).is_none());
			assert!(merkle_range_proof(&l, n, 1).is_none());
			assert!(merkle_range_proof(&l, 0, n + 1).is_none());
		}
	}

	#[test]
	fn a_range_proof_proves_nothing_else() {
		let l = leaves(21);
		let root = merkle_root(&l);
		let siblings = merkle_range_proof(&l, 5, 7).unwrap();
		let range = &l[5..12];
		assert!(verify_merkle_range(root, 21, 5, range, &siblings));
		assert!(
			!verify_merkle_range(root, 21, 4, range, &siblings),
			"shifted"
		);
		assert!(
			!verify_merkle_range(root, 21, 5, &l[5..11], &siblings),
			"shorter"
		);
		assert!(
			!verify_merkle_range(root, 21, 5, &l[6..13], &siblings),
			"other leaves"
		);
		let mut swapped = range.to_vec();
		swapped.swap(0, 1);
		assert!(
			!verify_merkle_range(root, 21, 5, &swapped, &siblings),
			"reordered"
		);
		for i in 0..siblings.len() {
			let mut bad = siblings.clone();
			bad[i] = H256::repeat_byte(9);
			assert!(
				!verify_merkle_range(root, 21, 5, range, &bad),
				"sibling {i}"
			);
		}
		let mut longer = siblings.clone();
		longer.push(H256::zero());
		assert!(
			!verify_merkle_range(root, 21, 5, range, &longer),
			"left over"
		);
		assert!(
			!verify_merkle_range(root, 21, 5, range, &siblings[1..]),
			"short"
		);
		assert!(
			!verify_merkle_range(root, 11, 5, range, &siblings),
			"beyond the count"
		);
		assert!(!verify_merkle_range(root, 21, 5, &[], &[]), "empty");
		// An empty range past the end of a tree: no root, whatever the siblings.
		for (count, siblings) in [(1, &[][..]), (4, &[][..]), (3, &siblings[..2])] {
			assert!(merkle_range_root(count, count, &[], siblings).is_none());
		}
		assert!(merkle_range_root(u32::MAX, u32::MAX, &l[..2], &siblings).is_none());
		let too_long = vec![H256::zero(); MAX_RANGE_PROOF as usize + 1];
		assert!(!verify_merkle_range(root, 21, 5, range, &too_long));
	}

	#[test]
	fn a_range_of_the_largest_tree_proves_with_at_most_two_siblings_a_level() {
		// Any siblings make some root; the verifier takes as many as the shape needs.
		let siblings = vec![H256::repeat_byte(3); MAX_RANGE_PROOF as usize];
		let (root, used) =
			merkle_range_root(u32::MAX, (1 << 30) - 1, &leaves(3), &siblings).unwrap();
		assert!(used <= MAX_RANGE_PROOF as usize);
		assert!(verify_merkle_range(
			root,
			u32::MAX,
			(1 << 30) - 1,
			&leaves(3),
			&siblings[..used]
		));
	}

	#[test]
	fn tampered_proofs_fail() {
		let l = leaves(10);
		let proof = merkle_proof(&l, 3).unwrap();
		assert!(!verify_merkle_proof(&l[4], &proof), "another leaf");
		let mut bad = proof.clone();
		bad.siblings[1] = H256::repeat_byte(1);
		assert!(!verify_merkle_proof(&l[3], &bad), "changed sibling");
		let mut bad = proof.clone();
		bad.leaf_index = 2;
		assert!(!verify_merkle_proof(&l[3], &bad), "wrong index");
		let mut bad = proof.clone();
		bad.leaf_count = 3;
		assert!(!verify_merkle_proof(&l[3], &bad), "index beyond the count");
		// The root does not commit to the leaf count: a proof keeps verifying under some other
		// counts, which is why the runtime compares it with the count anchored with the root.
		let mut other_count = proof.clone();
		other_count.leaf_count = 10_000;
		assert!(verify_merkle_proof(&l[3], &other_count));
		let mut bad = proof;
		bad.siblings = alloc::vec![H256::zero(); 33];
		assert!(!verify_merkle_proof(&l[3], &bad), "overlong");
	}
}
