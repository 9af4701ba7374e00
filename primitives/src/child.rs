//! Parent and child chains: the types the parent's light client of each child chain, the
//! relayer and the runtime API share.
//!
//! Every VIoT chain runs the same runtime. A **child chain** (a business's own chain, with its
//! own validators and token) is registered on the **parent chain**, which then follows the
//! child's GRANDPA finality itself: a relayer submits the child's justifications, the parent
//! checks them against the child's authority set and keeps the finalized headers' state roots.
//! Anything in a child's state can then be proven on the parent with a storage (trie) proof
//! against one of those roots.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{generic, traits::BlakeTwo256};

use crate::anchor::Attester;

pub use sp_consensus_grandpa::{AuthorityId, AuthorityList, AuthorityWeight, SetId};

/// Identifier of a registered child chain on its parent; never reused.
pub type ChainId = u32;

/// Block number on a child chain.
pub type ChildBlockNumber = u32;

/// A child chain's block header. Every Substrate chain with 32-bit block numbers and BLAKE2b-256
/// hashing (VIoT chains among them) has this header.
pub type ChildHeader = generic::Header<ChildBlockNumber, BlakeTwo256>;

/// A GRANDPA justification of a child chain's block.
pub type ChildJustification = bp_header_chain::justification::GrandpaJustification<ChildHeader>;

/// The storage key of `DataAnchoring::Anchors(digest, attester)` on a VIoT chain: what a storage
/// proof of a child chain's anchor proves.
pub fn anchor_storage_key<AccountId: Encode>(
	digest: &H256,
	attester: &Attester<AccountId>,
) -> Vec<u8> {
	use sp_io::hashing::{blake2_128, twox_128};
	let attester = attester.encode();
	let mut key = Vec::with_capacity(16 + 16 + 16 + 32 + 16 + attester.len());
	key.extend_from_slice(&twox_128(b"DataAnchoring"));
	key.extend_from_slice(&twox_128(b"Anchors"));
	key.extend_from_slice(&blake2_128(digest.as_bytes()));
	key.extend_from_slice(digest.as_bytes());
	key.extend_from_slice(&blake2_128(&attester));
	key.extend_from_slice(&attester);
	key
}

/// What a parent chain accepts from its child chains. The runtime's configuration and the
/// relayer's checks before it signs a proof both read these, so a relayer never pays for a proof
/// the parent refuses for its size or shape.
pub mod limits {
	/// Longest child chain name, in bytes.
	pub const MAX_NAME_LENGTH: u32 = 64;
	/// Longest token symbol, in bytes.
	pub const MAX_SYMBOL_LENGTH: u32 = 12;
	/// Most GRANDPA authorities a child chain may have.
	pub const MAX_AUTHORITIES: u32 = 100;
	/// Most headers a justification's vote ancestry may carry.
	pub const MAX_VOTES_ANCESTRIES: u32 = 256;
	/// Largest encoded child header (the finalized one and each vote-ancestry header), in bytes:
	/// room for a digest announcing a full set of `MAX_AUTHORITIES` authorities (40 bytes each).
	pub const MAX_HEADER_SIZE: u32 = 8 * 1024;
	/// Largest encoded finality proof (header and justification), in bytes.
	pub const MAX_FINALITY_PROOF_SIZE: u32 = 128 * 1024;
	/// Largest finality proof imported for free, in bytes: a header with a full authority-set
	/// change and a justification with the precommits of `MAX_AUTHORITIES` (about 22 KiB
	/// together). Larger proofs pay.
	pub const MAX_FREE_FINALITY_PROOF_SIZE: u32 = 32 * 1024;
	/// Largest storage proof, in bytes of trie nodes.
	pub const MAX_STORAGE_PROOF_SIZE: u32 = 64 * 1024;
	/// Most trie nodes in a storage proof: a key's path in a trie of any realistic size (16-way
	/// branches, so depth 16 covers 2^64 keys) with room to spare.
	pub const MAX_STORAGE_PROOF_NODES: u32 = 64;
}

/// The bounds a finality proof is checked against.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FinalityProofLimits {
	/// Most authorities in a set (and so most precommits a justification needs).
	pub max_authorities: u32,
	/// Most vote-ancestry headers.
	pub max_votes_ancestries: u32,
	/// Largest encoded header, in bytes.
	pub max_header_size: u32,
	/// Largest encoded header and justification together, in bytes.
	pub max_proof_size: u32,
}

impl FinalityProofLimits {
	/// The parent chain's bounds ([`limits`]).
	pub const PARENT: Self = Self {
		max_authorities: limits::MAX_AUTHORITIES,
		max_votes_ancestries: limits::MAX_VOTES_ANCESTRIES,
		max_header_size: limits::MAX_HEADER_SIZE,
		max_proof_size: limits::MAX_FINALITY_PROOF_SIZE,
	};
}

/// What [`check_finality_proof_shape`] found in a proof within its bounds.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct FinalityProofShape {
	/// Encoded bytes of the header and the justification.
	pub size: u32,
	/// Encoded bytes of the headers the verification hashes: the finalized header and every
	/// vote-ancestry header.
	pub hashed_bytes: u32,
	/// The justification's precommits.
	pub precommits: u32,
	/// Its vote-ancestry headers.
	pub ancestries: u32,
	/// The authority set the header schedules (with a zero delay), if it schedules one.
	pub next_authorities: Option<AuthorityList>,
}

/// Why a finality proof is refused before its signatures are checked.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum FinalityProofError {
	/// The header (or a vote-ancestry header) is larger than the bound.
	HeaderTooLarge,
	/// Header and justification together are larger than the bound.
	ProofTooLarge,
	/// The justification carries more precommits than the set may have authorities.
	TooManyPrecommits,
	/// The justification carries more vote-ancestry headers than the bound.
	TooManyVotesAncestries,
	/// The header carries a forced authority-set change, which a light client cannot follow.
	UnsupportedForcedChange,
	/// The header schedules an authority-set change with a delay; only zero delays are followed.
	UnsupportedScheduledChange,
	/// The header schedules more authorities than the bound.
	TooManyAuthorities,
	/// The header schedules an authority set that is empty, names an authority twice or gives
	/// one a zero weight.
	InvalidAuthoritySet,
}

/// Whether a GRANDPA authority set can finalize anything: not empty, no authority twice, no zero
/// weight, total weight within `u64`.
pub fn valid_authority_set(authorities: &[(AuthorityId, AuthorityWeight)]) -> bool {
	let mut ids: Vec<&AuthorityId> = authorities.iter().map(|(id, _)| id).collect();
	ids.sort();
	ids.dedup();
	!authorities.is_empty()
		&& ids.len() == authorities.len()
		&& authorities.iter().all(|(_, weight)| *weight > 0)
		&& authorities
			.iter()
			.try_fold(0u64, |total, (_, weight)| total.checked_add(*weight))
			.is_some()
}

/// Checks everything about a finality proof that needs no chain state: sizes, counts and the
/// header's authority-set change. The parent runs it before verifying signatures (in the
/// transaction pool and in the call), the relayer before it signs.
pub fn check_finality_proof_shape(
	header: &ChildHeader,
	justification: &ChildJustification,
	limits: &FinalityProofLimits,
) -> Result<FinalityProofShape, FinalityProofError> {
	use bp_header_chain::GrandpaConsensusLogReader;
	use sp_runtime::traits::Header as _;
	type Reader = GrandpaConsensusLogReader<ChildBlockNumber>;

	let precommits = justification.commit.precommits.len();
	if precommits > limits.max_authorities as usize {
		return Err(FinalityProofError::TooManyPrecommits);
	}
	let ancestries = justification.votes_ancestries.len();
	if ancestries > limits.max_votes_ancestries as usize {
		return Err(FinalityProofError::TooManyVotesAncestries);
	}
	let mut hashed_bytes = 0usize;
	for hashed in core::iter::once(header).chain(justification.votes_ancestries.iter()) {
		let size = hashed.encoded_size();
		if size > limits.max_header_size as usize {
			return Err(FinalityProofError::HeaderTooLarge);
		}
		hashed_bytes = hashed_bytes.saturating_add(size);
	}
	let size = header
		.encoded_size()
		.saturating_add(justification.encoded_size());
	if size > limits.max_proof_size as usize {
		return Err(FinalityProofError::ProofTooLarge);
	}
	if Reader::find_forced_change(header.digest()).is_some() {
		return Err(FinalityProofError::UnsupportedForcedChange);
	}
	let next_authorities = match Reader::find_scheduled_change(header.digest()) {
		Some(change) if change.delay != 0 => {
			return Err(FinalityProofError::UnsupportedScheduledChange)
		}
		Some(change) if change.next_authorities.len() > limits.max_authorities as usize => {
			return Err(FinalityProofError::TooManyAuthorities)
		}
		Some(change) if !valid_authority_set(&change.next_authorities) => {
			return Err(FinalityProofError::InvalidAuthoritySet)
		}
		Some(change) => Some(change.next_authorities),
		None => None,
	};
	// Every size above is below the u32 bounds it was checked against.
	Ok(FinalityProofShape {
		size: size as u32,
		hashed_bytes: hashed_bytes as u32,
		precommits: precommits as u32,
		ancestries: ancestries as u32,
		next_authorities,
	})
}

/// Why a storage proof's shape is refused before its nodes are hashed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StorageProofShapeError {
	/// More bytes than the bound.
	TooLarge,
	/// More trie nodes than the bound.
	TooManyNodes,
	/// An empty node (no trie node encodes to nothing).
	EmptyNode,
}

/// Checks a storage proof's node count, total size and that no node is empty; returns
/// `(nodes, bytes)`.
pub fn check_storage_proof_shape(
	proof: &[Vec<u8>],
	max_nodes: u32,
	max_size: u32,
) -> Result<(u32, u32), StorageProofShapeError> {
	if proof.len() > max_nodes as usize {
		return Err(StorageProofShapeError::TooManyNodes);
	}
	let mut bytes = 0usize;
	for node in proof {
		if node.is_empty() {
			return Err(StorageProofShapeError::EmptyNode);
		}
		bytes = bytes.saturating_add(node.len());
	}
	if bytes > max_size as usize {
		return Err(StorageProofShapeError::TooLarge);
	}
	Ok((proof.len() as u32, bytes as u32))
}

/// Index of the child-chains pallet in the VIoT runtime.
pub const CHILD_CHAINS_PALLET_INDEX: u8 = 10;

/// The child-chains calls a relayer sends, encoded exactly as the runtime's own call enum
/// encodes them (the runtime's tests compare the bytes), so a relayer builds them without
/// compiling the runtime.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum ChildChainsCall {
	/// `ChildChains::register_child_chain`.
	#[codec(index = 0)]
	RegisterChildChain {
		/// The chain's name.
		name: Vec<u8>,
		/// The symbol of its token.
		token_symbol: Vec<u8>,
		/// Its genesis hash.
		genesis_hash: H256,
		/// The finalized header it starts from.
		initial_header: alloc::boxed::Box<ChildHeader>,
		/// The GRANDPA authorities that finalize the headers after it.
		authorities: AuthorityList,
		/// Their set id.
		set_id: SetId,
	},
	/// `ChildChains::submit_finality_proof`.
	#[codec(index = 3)]
	SubmitFinalityProof {
		/// The registered chain.
		chain_id: ChainId,
		/// The finalized header.
		header: alloc::boxed::Box<ChildHeader>,
		/// Its GRANDPA justification.
		justification: ChildJustification,
	},
}

/// A VIoT runtime call with a child-chains call inside, as the runtime encodes it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub enum ParentCall {
	/// A call of the child-chains pallet.
	#[codec(index = 10)]
	ChildChains(ChildChainsCall),
}

const _: () = assert!(
	CHILD_CHAINS_PALLET_INDEX == 10,
	"ParentCall's codec index follows it"
);

/// A child chain as the `ChildChainsApi::child_chain` runtime API returns it.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
pub struct ChildChainInfo<AccountId, Balance, BlockNumber> {
	/// Who registered the chain and holds its deposit.
	pub owner: AccountId,
	/// The chain's name.
	pub name: Vec<u8>,
	/// The symbol of the chain's own token.
	pub token_symbol: Vec<u8>,
	/// The hash of the chain's genesis block.
	pub genesis_hash: H256,
	/// The deposit held from the owner.
	pub deposit: Balance,
	/// Parent block in which the chain was registered.
	pub registered_at: BlockNumber,
	/// Number of the best finalized child header the parent has verified.
	pub best_number: ChildBlockNumber,
	/// Hash of that header.
	pub best_hash: H256,
	/// The child's current GRANDPA authority set id.
	pub authority_set_id: SetId,
	/// The child's current GRANDPA authorities and their weights.
	pub authorities: AuthorityList,
	/// Whether governance approved the registration; a pending chain imports no headers and
	/// proves nothing.
	pub approved: bool,
	/// Whether governance halted the chain: no header is imported until it resumes or
	/// re-initializes it.
	pub halted: bool,
}

/// A verified child chain header the parent keeps (in a ring buffer of recent headers).
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct StoredChildHeader {
	/// The header's number.
	pub number: ChildBlockNumber,
	/// The child chain's state root at that header.
	pub state_root: H256,
}

/// A child chain's anchor, proven on the parent with a storage proof.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Debug,
)]
pub struct ChildAnchorRecord<AccountId, Balance, BlockNumber> {
	/// The child chain that anchored the digest.
	pub chain_id: ChainId,
	/// Who attested the digest on the child chain. Records indexed before spec_version 106 name
	/// the child account that submitted the anchor.
	pub attester: Attester<AccountId>,
	/// The child block whose state proved the anchor.
	pub child_block_hash: H256,
	/// Its number.
	pub child_block_number: ChildBlockNumber,
	/// The account that anchored the digest on the child chain.
	pub child_owner: AccountId,
	/// The child block in which the digest was anchored.
	pub anchored_at: ChildBlockNumber,
	/// The child's timestamp of the anchor, in milliseconds since the Unix epoch.
	pub anchored_at_time: u64,
	/// The parent account that indexed it and holds its deposit.
	pub indexed_by: AccountId,
	/// The deposit held from `indexed_by`.
	pub deposit: Balance,
	/// Parent block in which it was indexed.
	pub indexed_at: BlockNumber,
}

/// Why a child chain storage proof was not accepted.
#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub enum ChildProofError {
	/// No child chain has that id.
	UnknownChain,
	/// The parent keeps no verified header with that hash for that chain (never verified, or
	/// already pruned).
	UnknownBlock,
	/// The proof does not prove the key's value or absence under the block's state root.
	BadProof,
	/// The chain's registration is pending: governance has not approved it, so nothing is
	/// proven against its state.
	NotApproved,
	/// The proof has more nodes or bytes than the parent takes
	/// ([`limits::MAX_STORAGE_PROOF_NODES`], [`limits::MAX_STORAGE_PROOF_SIZE`]), or an empty
	/// node.
	ProofTooLarge,
}

sp_api::decl_runtime_apis! {
	/// Queries of registered child chains; `api.call.childChainsApi.*` in Polkadot.js.
	/// Version 2: registrations are approved by governance (`ChildChainInfo::approved`,
	/// `ChildProofError::NotApproved`). Version 3: storage proofs are bounded
	/// (`ChildProofError::ProofTooLarge`); governance may halt a chain (`ChildChainInfo::halted`).
	#[api_version(3)]
	pub trait ChildChainsApi<AccountId, Balance, BlockNumber>
	where
		AccountId: codec::Codec,
		Balance: codec::Codec,
		BlockNumber: codec::Codec,
	{
		/// The registered child chain `chain_id`: owner, genesis, best verified header and
		/// current authority set.
		fn child_chain(chain_id: ChainId) -> Option<ChildChainInfo<AccountId, Balance, BlockNumber>>;
		/// The verified header `block_hash` of `chain_id`, if the chain is approved and the
		/// parent still keeps the header.
		fn child_header(chain_id: ChainId, block_hash: H256) -> Option<StoredChildHeader>;
		/// Reads `key` from the state of child block `block_hash` through the storage proof
		/// `proof` (the nodes `state_getReadProof` returns, within [`limits`]):
		/// `Ok(Some(value))`, or `Ok(None)` if the proof shows the key is absent.
		fn verify_child_storage(
			chain_id: ChainId,
			block_hash: H256,
			key: Vec<u8>,
			proof: Vec<Vec<u8>>,
		) -> Result<Option<Vec<u8>>, ChildProofError>;
		/// Every child chain's anchor of `digest` indexed on the parent.
		fn child_anchor(digest: H256) -> Vec<ChildAnchorRecord<AccountId, Balance, BlockNumber>>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::{traits::Header as _, DigestItem};

	fn header(number: ChildBlockNumber, padding: usize) -> ChildHeader {
		let mut header = ChildHeader::new(
			number,
			H256::zero(),
			H256::zero(),
			H256::zero(),
			Default::default(),
		);
		if padding > 0 {
			header
				.digest_mut()
				.push(DigestItem::Other(alloc::vec![0; padding]));
		}
		header
	}

	/// A justification of block 1 without precommits, with these ancestry headers.
	fn justification(ancestries: Vec<ChildHeader>) -> ChildJustification {
		let encoded = (7u64, H256::zero(), 1u32, Vec::<u8>::new(), ancestries).encode();
		ChildJustification::decode(&mut &encoded[..]).expect("a justification's layout")
	}

	fn change(forced: bool, delay: u32, authorities: usize) -> DigestItem {
		use sp_consensus_grandpa::{ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
		let next_authorities = (0..authorities)
			.map(|i| {
				(
					AuthorityId::from(sp_core::ed25519::Public::from_raw([i as u8; 32])),
					1,
				)
			})
			.collect();
		let change = ScheduledChange {
			next_authorities,
			delay,
		};
		let log = if forced {
			ConsensusLog::<ChildBlockNumber>::ForcedChange(0, change)
		} else {
			ConsensusLog::ScheduledChange(change)
		};
		DigestItem::Consensus(GRANDPA_ENGINE_ID, log.encode())
	}

	const LIMITS: FinalityProofLimits = FinalityProofLimits {
		max_authorities: 4,
		max_votes_ancestries: 3,
		max_header_size: 512,
		max_proof_size: 1_024,
	};

	#[test]
	fn a_proof_within_bounds_reports_its_shape() {
		let h = header(1, 100);
		let ancestry = header(2, 0);
		let j = justification(alloc::vec![ancestry.clone()]);
		let shape = check_finality_proof_shape(&h, &j, &LIMITS).expect("within bounds");
		assert_eq!(shape.size as usize, h.encoded_size() + j.encoded_size());
		assert_eq!(
			shape.hashed_bytes as usize,
			h.encoded_size() + ancestry.encoded_size()
		);
		assert_eq!((shape.precommits, shape.ancestries), (0, 1));
		assert_eq!(shape.next_authorities, None);
	}

	#[test]
	fn every_bound_is_refused_by_name() {
		use FinalityProofError as E;
		let check = |h: &ChildHeader, j: &ChildJustification| {
			check_finality_proof_shape(h, j, &LIMITS).map(|_| ())
		};
		let none = justification(alloc::vec![]);
		assert_eq!(check(&header(1, 600), &none), Err(E::HeaderTooLarge));
		assert_eq!(
			check(&header(1, 0), &justification(alloc::vec![header(2, 600)])),
			Err(E::HeaderTooLarge)
		);
		assert_eq!(
			check(&header(1, 0), &justification(alloc::vec![header(2, 0); 4])),
			Err(E::TooManyVotesAncestries)
		);
		// Each header within its bound, together over the proof's.
		assert_eq!(
			check(
				&header(1, 400),
				&justification(alloc::vec![header(2, 400); 2])
			),
			Err(E::ProofTooLarge)
		);
		let mut forced = header(1, 0);
		forced.digest_mut().push(change(true, 0, 2));
		assert_eq!(check(&forced, &none), Err(E::UnsupportedForcedChange));
		let mut delayed = header(1, 0);
		delayed.digest_mut().push(change(false, 5, 2));
		assert_eq!(check(&delayed, &none), Err(E::UnsupportedScheduledChange));
		let mut crowded = header(1, 0);
		crowded.digest_mut().push(change(false, 0, 5));
		assert_eq!(check(&crowded, &none), Err(E::TooManyAuthorities));
		let mut empty = header(1, 0);
		empty.digest_mut().push(change(false, 0, 0));
		assert_eq!(check(&empty, &none), Err(E::InvalidAuthoritySet));
		let mut scheduled = header(1, 0);
		scheduled.digest_mut().push(change(false, 0, 3));
		let shape = check_finality_proof_shape(&scheduled, &none, &LIMITS).unwrap();
		assert_eq!(shape.next_authorities.map(|set| set.len()), Some(3));
	}

	#[test]
	fn an_authority_set_must_be_able_to_finalize() {
		let id = |i: u8| AuthorityId::from(sp_core::ed25519::Public::from_raw([i; 32]));
		assert!(valid_authority_set(&[(id(1), 1), (id(2), 5)]));
		assert!(!valid_authority_set(&[]));
		assert!(!valid_authority_set(&[(id(1), 1), (id(1), 1)]));
		assert!(!valid_authority_set(&[(id(1), 0)]));
		assert!(!valid_authority_set(&[(id(1), u64::MAX), (id(2), 1)]));
	}

	#[test]
	fn storage_proofs_are_bounded_by_nodes_bytes_and_no_empty_node() {
		use StorageProofShapeError as E;
		let nodes = |n: usize, size: usize| alloc::vec![alloc::vec![1u8; size]; n];
		assert_eq!(check_storage_proof_shape(&nodes(4, 10), 4, 40), Ok((4, 40)));
		assert_eq!(
			check_storage_proof_shape(&nodes(5, 1), 4, 40),
			Err(E::TooManyNodes)
		);
		assert_eq!(
			check_storage_proof_shape(&nodes(4, 11), 4, 40),
			Err(E::TooLarge)
		);
		let mut empty = nodes(2, 1);
		empty.push(Vec::new());
		assert_eq!(check_storage_proof_shape(&empty, 4, 40), Err(E::EmptyNode));
	}

	#[test]
	fn the_parent_limits_leave_room_for_a_full_authority_set_change_for_free() {
		// A header announcing MAX_AUTHORITIES authorities fits the header bound.
		let mut full = header(1, 0);
		full.digest_mut()
			.push(change(false, 0, limits::MAX_AUTHORITIES as usize));
		assert!(full.encoded_size() < limits::MAX_HEADER_SIZE as usize);
		// With a justification of 67 precommits (2/3 + 1 of 100; ~150 bytes each) it is free.
		assert!(full.encoded_size() + 67 * 150 < limits::MAX_FREE_FINALITY_PROOF_SIZE as usize);
	}
}
