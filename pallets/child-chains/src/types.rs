//! Records of the child-chains pallet.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::*, traits::fungible::Inspect};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use viot_primitives::{
	anchor::Attester,
	child::{AuthorityId, AuthorityWeight, ChildBlockNumber, SetId},
};

/// Balance of the deposit currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A registered child chain as stored.
pub type ChildChainOf<T> = ChildChain<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxNameLength,
	<T as Config>::MaxSymbolLength,
>;

/// A child chain's current GRANDPA authority set as stored.
pub type StoredAuthoritySetOf<T> = StoredAuthoritySet<<T as Config>::MaxAuthorities>;

/// A bounded GRANDPA authority list.
pub type BoundedAuthorityList<T> =
	BoundedVec<(AuthorityId, AuthorityWeight), <T as Config>::MaxAuthorities>;

/// A child chain's anchor as indexed on the parent.
pub type ChildAnchorRecordOf<T> = viot_primitives::child::ChildAnchorRecord<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
>;

/// This chain's own role, set by its genesis (chain spec).
#[derive(
	Clone,
	Copy,
	Default,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde", rename_all = "camelCase")]
pub enum ChainRole {
	/// A parent chain: child chains register on it.
	#[default]
	Parent,
	/// A child chain: a business's own chain, followed by a parent.
	Child,
}

/// This chain's identity: its role and the symbol of its token.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxSymbol))]
pub struct ChainIdentity<MaxSymbol: Get<u32>> {
	/// Parent or child.
	pub role: ChainRole,
	/// The symbol of this chain's token.
	pub token_symbol: BoundedVec<u8, MaxSymbol>,
}

/// Where a registration stands. Nothing a registrant submits is trusted until governance (the
/// admin origin) has approved the registration: a pending chain imports no headers, serves no
/// storage proofs and indexes no anchors, and blocks no other registration of its genesis.
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
pub enum RegistrationStatus {
	/// Registered, waiting for the admin origin's decision.
	Pending,
	/// Approved by the admin origin: the one registration of its genesis that the parent
	/// follows.
	Approved,
}

/// A registered child chain.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxName, MaxSymbol))]
pub struct ChildChain<AccountId, Balance, BlockNumber, MaxName: Get<u32>, MaxSymbol: Get<u32>> {
	/// Who registered it; holds the deposit and may deregister it.
	pub owner: AccountId,
	/// Its name.
	pub name: BoundedVec<u8, MaxName>,
	/// The symbol of its own token.
	pub token_symbol: BoundedVec<u8, MaxSymbol>,
	/// Hash of its genesis block; unique among registered chains.
	pub genesis_hash: H256,
	/// The deposit held from the owner.
	pub deposit: Balance,
	/// Parent block of the registration.
	pub registered_at: BlockNumber,
	/// Number of the best verified (finalized) child header.
	pub best_number: ChildBlockNumber,
	/// Hash of that header.
	pub best_hash: H256,
	/// Ring-buffer slot the next verified header takes.
	pub next_slot: u32,
	/// Parent block of the chain's last header import: only the first import of a chain in a
	/// block may be free.
	pub last_free_import: Option<BlockNumber>,
	/// Pending until the admin origin approves it.
	pub status: RegistrationStatus,
}

impl<AccountId, Balance, BlockNumber, MaxName: Get<u32>, MaxSymbol: Get<u32>>
	ChildChain<AccountId, Balance, BlockNumber, MaxName, MaxSymbol>
{
	/// Whether governance approved the registration.
	pub fn is_approved(&self) -> bool {
		self.status == RegistrationStatus::Approved
	}
}

/// A child chain's GRANDPA authority set.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
#[scale_info(skip_type_params(MaxAuthorities))]
pub struct StoredAuthoritySet<MaxAuthorities: Get<u32>> {
	/// The authorities and their vote weights.
	pub authorities: BoundedVec<(AuthorityId, AuthorityWeight), MaxAuthorities>,
	/// The set's id; incremented with every change.
	pub set_id: SetId,
}

impl<MaxAuthorities: Get<u32>> StoredAuthoritySet<MaxAuthorities> {
	/// The set as bp-header-chain's verification takes it.
	pub fn to_authority_set(&self) -> bp_header_chain::AuthoritySet {
		bp_header_chain::AuthoritySet::new(self.authorities.to_vec(), self.set_id)
	}
}

/// What the parent reads from a child chain's anchor record.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ChildAnchorFacts<AccountId> {
	/// The child account that anchored it.
	pub owner: AccountId,
	/// The child block it was anchored in.
	pub block: ChildBlockNumber,
	/// The child's timestamp of that block, in milliseconds.
	pub timestamp: u64,
}

/// Where a child chain keeps its anchors and how to read one: the data-anchoring pallet's
/// storage layout, wired in the runtime (every VIoT chain runs the same runtime).
pub trait ChildAnchorLayout<AccountId> {
	/// The child-state key of `attester`'s anchor of `digest`.
	fn storage_key(digest: &H256, attester: &Attester<AccountId>) -> Vec<u8>;
	/// Decodes a stored anchor record; `None` if it is not one.
	fn decode(value: &[u8]) -> Option<ChildAnchorFacts<AccountId>>;
	/// Encodes a stored anchor record with these facts (for tests and benchmarks).
	fn encode(facts: &ChildAnchorFacts<AccountId>) -> Vec<u8>;
}
