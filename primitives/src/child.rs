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
}

sp_api::decl_runtime_apis! {
	/// Queries of registered child chains; `api.call.childChainsApi.*` in Polkadot.js.
	/// Version 2: registrations are approved by governance (`ChildChainInfo::approved`,
	/// `ChildProofError::NotApproved`).
	#[api_version(2)]
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
		/// `proof` (the nodes `state_getReadProof` returns): `Ok(Some(value))`, or `Ok(None)` if
		/// the proof shows the key is absent.
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
