//! The transaction pool's check of finality proofs: a proof that cannot import (stale,
//! duplicate, for an unknown, pending or halted chain, or out of bounds) is refused before a
//! block includes it, so nobody pays for it. Two relayers racing with the same header: the
//! first is imported, the second is dropped from every pool (and refused by block builders)
//! instead of failing on chain for a fee. As polkadot-sdk's bridge modules do with their call
//! extension.

use crate::pallet::{Call, Config, Error, Pallet};
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

/// Refuses, in the pool and in blocks, `submit_finality_proof` calls that cannot import.
/// Stale and duplicate proofs are `Stale`; any other refusal is `Custom(i)`, `i` being the index
/// of the pallet error the call would fail with (`ChainNotApproved`, `ChainHalted`,
/// `HeaderTooLarge`, ...). It also marks a top-level proof, the only kind that may be free
/// (a proof wrapped in a batch pays).
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckChildFinalityProof<T>(PhantomData<T>);

impl<T> CheckChildFinalityProof<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T> core::fmt::Debug for CheckChildFinalityProof<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckChildFinalityProof")
	}
}

/// The pool's verdict on a refused proof.
fn invalid<T>(error: Error<T>) -> InvalidTransaction {
	match error {
		Error::<T>::OldHeader | Error::<T>::DuplicateHeader => InvalidTransaction::Stale,
		// Not `ExhaustsResources`, which block authors take for "the block is full" and keep
		// in the pool: an oversized proof is invalid for good.
		other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
	}
}

impl<T> TransactionExtension<T::RuntimeCall> for CheckChildFinalityProof<T>
where
	T: Config + Send + Sync,
	T::RuntimeCall: IsSubType<Call<T>> + Dispatchable,
{
	const IDENTIFIER: &'static str = "CheckChildFinalityProof";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// The chain record and the halt flag; the top-level mark.
			Some(Call::submit_finality_proof { .. }) => T::DbWeight::get().reads_writes(2, 1),
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
		if let Some(Call::submit_finality_proof {
			chain_id,
			header,
			justification,
		}) = call.is_sub_type()
		{
			Pallet::<T>::precheck_finality_proof(*chain_id, header, justification)
				.map_err(invalid::<T>)?;
		}
		Ok((ValidTransaction::default(), (), origin))
	}

	fn prepare(
		self,
		_val: Self::Val,
		_origin: &T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		if let Some(Call::submit_finality_proof { .. }) = call.is_sub_type() {
			Pallet::<T>::mark_top_level_proof();
		}
		Ok(())
	}
}
