//! Records the pallet stores.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{traits::fungible::Inspect, BoundedVec, DebugNoBound};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use viot_primitives::anchor::{AnchorSource, SubjectId};

use crate::Config;

/// A balance of the currency deposits are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// An anchor's free-form metadata (content type, URI of the off-chain record, ...).
pub type AnchorMetadata<T> = BoundedVec<u8, <T as Config>::MaxMetadataLength>;

/// An anchored digest and who vouched for it, when.
#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, DebugNoBound)]
#[scale_info(skip_type_params(T))]
pub struct Anchor<T: Config> {
	/// The account that submitted it and holds its deposit.
	pub owner: T::AccountId,
	/// The block it was anchored in.
	pub block: BlockNumberFor<T>,
	/// That block's timestamp, in milliseconds since the Unix epoch.
	pub timestamp: u64,
	/// The account alone, a device, or a tag and a reader.
	pub source: AnchorSource,
	/// The item it concerns, if any.
	pub subject: Option<SubjectId>,
	/// The event code.
	pub kind: u16,
	/// For a batch, the number of leaves under the root.
	pub leaf_count: Option<u32>,
	/// Free-form metadata.
	pub metadata: AnchorMetadata<T>,
	/// The deposit held from the owner for this record and its trace entry.
	pub deposit: BalanceOf<T>,
	/// Its position in the subject's trace.
	pub trace_index: Option<u32>,
}

/// How far a subject's trace goes.
#[derive(Clone, Copy, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen, Debug)]
pub struct TraceCounter {
	/// The index the next entry gets; positions below it have been used.
	pub next: u32,
	/// Entries still stored (anchors released after their retention leave gaps).
	pub live: u32,
}
