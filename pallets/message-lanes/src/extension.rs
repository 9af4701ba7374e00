//! The transaction pool's check of deliveries and confirmations: one that can no longer do
//! anything (messages the destination already executed, a lane with nothing left to confirm) is
//! refused before a block includes it, so nobody pays for it. Two relayers racing with the same
//! delivery, or someone copying a relayer's delivery from the pool to take its fee: the first is
//! executed, the other is dropped from every pool (and refused by block builders) instead of
//! failing on chain for a fee.

use crate::pallet::{Call, Config, InboundLanes, OutboundLanes};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Get, IsSubType},
	weights::Weight,
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{DispatchInfoOf, Dispatchable, TransactionExtension, ValidateResult},
	transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
};

/// Refuses, in the pool and in blocks, as `Stale`: a `receive_messages` whose first message
/// the destination already executed, and a `confirm_delivery` on a lane with nothing
/// unconfirmed. It carries no data, so extrinsics encode as without it.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckMessageDelivery<T>(PhantomData<T>);

impl<T> CheckMessageDelivery<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckMessageDelivery<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckMessageDelivery")
	}
}

impl<T: Config> CheckMessageDelivery<T> {
	/// Whether `call` can still do anything, by the lanes' state now.
	pub fn is_obsolete(call: &Call<T>) -> bool {
		match call {
			Call::receive_messages { source, first, .. } => {
				*first <= InboundLanes::<T>::get(source).last_delivered
			}
			Call::confirm_delivery { counterpart, .. } => {
				let lane = OutboundLanes::<T>::get(counterpart);
				lane.latest_confirmed >= lane.latest_generated
			}
			_ => false,
		}
	}
}

impl<T> TransactionExtension<T::RuntimeCall> for CheckMessageDelivery<T>
where
	T: Config + Send + Sync,
	T::RuntimeCall: IsSubType<Call<T>> + Dispatchable,
{
	const IDENTIFIER: &'static str = "CheckMessageDelivery";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// The lane read.
			Some(Call::receive_messages { .. } | Call::confirm_delivery { .. }) => {
				T::DbWeight::get().reads(1)
			}
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		if call.is_sub_type().is_some_and(Self::is_obsolete) {
			return Err(InvalidTransaction::Stale.into());
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	fn prepare(
		self,
		_val: Self::Val,
		_origin: &T::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		Ok(())
	}
}
