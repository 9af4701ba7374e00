//! What a council member holds for each motion it proposes.

use super::{AccountId, Balance, Balances, CouncilCollective, RuntimeHoldReason, UNIT};
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::traits::{
	fungible::{InspectHold, MutateHold},
	tokens::{Fortitude, Precision},
	Consideration, MaybeConsideration,
};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// What each proposal holds: 100 VIOT, returned by `council.releaseProposalCost` once the motion
/// is closed, burned if governance kills it.
pub const PROPOSAL_DEPOSIT: Balance = 100 * UNIT;

/// Most proposals one member may hold a deposit for at once (open, or closed and not yet
/// released): 3, so that the council's largest membership (32) cannot fill its 100 proposal
/// slots, and one member's proposals never change what another pays.
pub const MAX_PROPOSALS_PER_MEMBER: u32 = 3;

/// Why a proposal's deposit is held.
pub const HOLD_REASON: RuntimeHoldReason = RuntimeHoldReason::Council(
	pallet_collective::HoldReason::<CouncilCollective>::ProposalSubmission,
);

/// The deposit of one council proposal ([`PROPOSAL_DEPOSIT`]), refused beyond
/// [`MAX_PROPOSALS_PER_MEMBER`] per member (`council.TooManyProposals`). pallet-collective's own
/// deposit curves price a proposal by the number of all open proposals, which would let one
/// member raise every other member's price; this one counts the proposer's deposits only.
#[derive(Encode, Decode, TypeInfo, MaxEncodedLen, Clone, PartialEq, Eq, Debug)]
pub struct ProposalDeposit(Balance);

/// How many proposal deposits `who` holds.
fn held_deposits(who: &AccountId) -> u32 {
	let held = <Balances as InspectHold<AccountId>>::balance_on_hold(&HOLD_REASON, who);
	(held / PROPOSAL_DEPOSIT) as u32
}

impl Consideration<AccountId, u32> for ProposalDeposit {
	fn new(who: &AccountId, _open_proposals: u32) -> Result<Self, DispatchError> {
		// The benchmarks measure a hundred proposals of one member, which the cap would refuse;
		// they still count and hold every deposit.
		let cap = if cfg!(feature = "runtime-benchmarks") {
			u32::MAX
		} else {
			MAX_PROPOSALS_PER_MEMBER
		};
		if held_deposits(who) >= cap {
			return Err(
				pallet_collective::Error::<crate::Runtime, CouncilCollective>::TooManyProposals
					.into(),
			);
		}
		<Balances as MutateHold<AccountId>>::hold(&HOLD_REASON, who, PROPOSAL_DEPOSIT)?;
		Ok(Self(PROPOSAL_DEPOSIT))
	}

	fn update(self, _: &AccountId, _: u32) -> Result<Self, DispatchError> {
		// The deposit does not depend on the number of open proposals.
		Ok(self)
	}

	fn drop(self, who: &AccountId) -> Result<(), DispatchError> {
		<Balances as MutateHold<AccountId>>::release(
			&HOLD_REASON,
			who,
			self.0,
			Precision::BestEffort,
		)
		.map(|_| ())
	}

	fn burn(self, who: &AccountId) {
		let _ = <Balances as MutateHold<AccountId>>::burn_held(
			&HOLD_REASON,
			who,
			self.0,
			Precision::BestEffort,
			Fortitude::Force,
		);
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn ensure_successful(who: &AccountId, _: u32) {
		use frame_support::traits::fungible::{Inspect, Mutate};
		let _ = <Balances as Mutate<AccountId>>::mint_into(
			who,
			<Balances as Inspect<AccountId>>::minimum_balance().saturating_add(PROPOSAL_DEPOSIT),
		);
	}
}

impl MaybeConsideration<AccountId, u32> for ProposalDeposit {
	fn is_none(&self) -> bool {
		self.0 == 0
	}
}
