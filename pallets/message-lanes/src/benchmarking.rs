//! Benchmarks of every call at its worst: sends to a lane that exists, deliveries of `m`
//! messages that each mint to a new account (the first creates the wrapped token) through a
//! proof padded to `b` bytes, confirmations of `m` messages that each pay a relayer and return
//! a deposit.

use super::*;
use crate::Pallet as MessageLanes;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOrigin};
use frame_system::RawOrigin;

/// The counterpart every benchmark exchanges messages with.
const COUNTERPART: H256 = H256::repeat_byte(0xc0);

/// An account with enough for a thousand transfers, deposits and fees (not more: a
/// benchmark funds up to 40 accounts, and the total issuance must not overflow).
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, 0);
	let funds = amount::<T>()
		.saturating_add(T::MessageDeposit::get())
		.saturating_add(T::DeliveryFee::get())
		.saturating_mul(1_000u32.into());
	T::Currency::set_balance(&who, funds);
	who
}

/// An amount every token and account takes: well above any minimum balance.
fn amount<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance()
		.max(T::WrappedMinBalance::get())
		.saturating_mul(1_000u32.into())
}

/// Makes `state` (key-value pairs) the state of a verified header of the counterpart; returns
/// the header's hash and a proof of every pair padded to `bytes`.
fn verified_state<T: Config>(state: &[(Vec<u8>, Vec<u8>)], bytes: u32) -> (H256, Vec<Vec<u8>>) {
	// Padded with as many nodes as a counterpart's storage proof may have.
	let (root, proof) = viot_primitives::benchmarking::state_proof(state, 64, bytes);
	let block = T::BenchmarkHelper::verified_header(COUNTERPART, root);
	(block, proof)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn send_tokens() {
		T::BenchmarkHelper::verified_header(COUNTERPART, H256::zero());
		let sender = funded::<T>("sender", 0);
		// The lane and the escrow exist already, as on any lane in use.
		MessageLanes::<T>::send_tokens(
			RawOrigin::Signed(sender.clone()).into(),
			COUNTERPART,
			Token::Native,
			amount::<T>(),
			sender.clone(),
		)
		.expect("sends");

		let beneficiary = sender.clone();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(sender),
			COUNTERPART,
			Token::Native,
			amount::<T>(),
			beneficiary,
		);

		assert_eq!(OutboundLanes::<T>::get(COUNTERPART).latest_generated, 2);
	}

	#[benchmark]
	fn receive_messages(
		m: Linear<1, { T::MaxMessagesPerDelivery::get() }>,
		b: Linear<1_024, 65_536>,
	) {
		let this_chain = MessageLanes::<T>::genesis_hash();
		let sender: T::AccountId = account("sender", 0, 0);
		let mut state = vec![(
			MessageLanes::<T>::outbound_lane_key(this_chain),
			OutboundLane {
				latest_generated: m.into(),
				latest_confirmed: 0,
			}
			.encode(),
		)];
		for nonce in 1..=m {
			let message: OutboundMessageOf<T> = OutboundMessage {
				message: Message {
					instruction: Instruction::MintWrapped {
						beneficiary: account("beneficiary", nonce, 0),
						amount: amount::<T>(),
					},
					sender: sender.clone(),
					refund_of: None,
				},
				deposit: Zero::zero(),
				delivery_fee: Zero::zero(),
			};
			state.push((
				MessageLanes::<T>::outbound_message_key(this_chain, nonce.into()),
				message.encode(),
			));
		}
		let (block, proof) = verified_state::<T>(&state, b);
		let relayer = funded::<T>("relayer", 0);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(relayer),
			COUNTERPART,
			block,
			1,
			m.into(),
			proof,
		);

		assert_eq!(
			InboundLanes::<T>::get(COUNTERPART).last_delivered,
			u64::from(m)
		);
		assert_eq!(
			T::Assets::total_issuance(COUNTERPART),
			amount::<T>().saturating_mul(m.into())
		);
	}

	#[benchmark]
	fn confirm_delivery(
		m: Linear<1, { T::MaxMessagesPerDelivery::get() }>,
		b: Linear<1_024, 65_536>,
	) {
		T::BenchmarkHelper::verified_header(COUNTERPART, H256::zero());
		for index in 0..m {
			let sender = funded::<T>("sender", index);
			MessageLanes::<T>::send_tokens(
				RawOrigin::Signed(sender.clone()).into(),
				COUNTERPART,
				Token::Native,
				amount::<T>(),
				sender,
			)
			.expect("sends");
		}
		// Each message delivered by another relayer (as many as an inbound lane records; the
		// last one delivered the rest): each fee is paid on its own.
		let runs = m.min(viot_primitives::lanes::MAX_UNCONFIRMED_RELAYER_ENTRIES);
		let relayers: Vec<DeliveredBy<T::AccountId>> = (0..runs)
			.map(|index| DeliveredBy {
				relayer: funded::<T>("relayer", index),
				last: if index + 1 == runs {
					m.into()
				} else {
					u64::from(index) + 1
				},
			})
			.collect();
		let inbound = InboundLane {
			last_delivered: m.into(),
			relayers: relayers.try_into().expect("within the bound"),
		};
		let this_chain = MessageLanes::<T>::genesis_hash();
		let (block, proof) = verified_state::<T>(
			&[(
				MessageLanes::<T>::inbound_lane_key(this_chain),
				inbound.encode(),
			)],
			b,
		);
		let confirmer = funded::<T>("confirmer", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(confirmer), COUNTERPART, block, proof);

		assert_eq!(
			OutboundLanes::<T>::get(COUNTERPART).latest_confirmed,
			u64::from(m)
		);
	}

	#[benchmark]
	fn set_lane_halted() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, COUNTERPART, true);

		assert!(HaltedLanes::<T>::contains_key(COUNTERPART));
		Ok(())
	}

	impl_benchmark_test_suite!(
		MessageLanes,
		crate::mock::new_bench_ext(),
		crate::mock::Test
	);
}
