//! Two chains of the mock runtime exchange messages through storage proofs of each other's
//! state, as a relayer would carry them.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect as _, InspectHold as _},
		fungibles::Inspect as _,
	},
};
use frame_system::RawOrigin;
use sp_runtime::DispatchError;

const PARENT: H256 = H256::repeat_byte(0xaa);
const CHILD: H256 = H256::repeat_byte(0xcc);
/// The child's id in the parent's registry, and the parent's in the child's.
const CHILD_ON_PARENT: ChainId = 7;
const PARENT_ON_CHILD: ChainId = 0;

/// A parent and a child that follow each other.
fn chains() -> (Chain, Chain) {
	let mut parent = Chain::new(PARENT);
	let mut child = Chain::new(CHILD);
	parent.run(|| follow(CHILD, CHILD_ON_PARENT));
	child.run(|| follow(PARENT, PARENT_ON_CHILD));
	(parent, child)
}

/// The id `to` gives `from` in its registry.
fn id_of(from: &Chain) -> ChainId {
	if from.genesis == PARENT {
		PARENT_ON_CHILD
	} else {
		CHILD_ON_PARENT
	}
}

/// Makes `from`'s current state a header `to` verified; returns its hash.
fn verified_header(from: &mut Chain, to: &mut Chain, keys: &[Vec<u8>]) -> (H256, Vec<Vec<u8>>) {
	let (root, proof) = from.prove(keys);
	let block = H256(sp_io::hashing::blake2_256(root.as_bytes()));
	let chain_id = id_of(from);
	to.run(|| verify_header(chain_id, block, root));
	(block, proof)
}

/// The keys a delivery of `from`'s messages to `to`, `first ..= last`, proves.
fn delivery_keys(
	from: &mut Chain,
	to: H256,
	first: MessageNonce,
	last: MessageNonce,
) -> Vec<Vec<u8>> {
	from.run(|| {
		let mut keys = vec![MessageLanes::outbound_lane_key(to)];
		keys.extend((first..=last).map(|nonce| MessageLanes::outbound_message_key(to, nonce)));
		keys
	})
}

/// `relayer` delivers `from`'s messages to `to` up to `last`, with a proof of exactly them.
fn deliver(
	from: &mut Chain,
	to: &mut Chain,
	last: MessageNonce,
	relayer: AccountId,
) -> DispatchResultWithPostInfo {
	let source = from.genesis;
	let first = to.run(|| InboundLanes::<Test>::get(source).last_delivered + 1);
	let keys = delivery_keys(from, to.genesis, first, last.max(first));
	let (block, proof) = verified_header(from, to, &keys);
	to.run(|| {
		MessageLanes::receive_messages(
			RawOrigin::Signed(relayer).into(),
			source,
			block,
			first,
			last,
			proof,
		)
	})
}

/// `from` confirms what `to` executed of its messages.
fn confirm(from: &mut Chain, to: &mut Chain) -> DispatchResultWithPostInfo {
	let key = to.run(|| MessageLanes::inbound_lane_key(from.genesis));
	let (block, proof) = verified_header(to, from, &[key]);
	let counterpart = to.genesis;
	from.run(|| {
		MessageLanes::confirm_delivery(RawOrigin::Signed(RELAYER).into(), counterpart, block, proof)
	})
}

fn send(
	chain: &mut Chain,
	who: AccountId,
	to: H256,
	token: Token,
	amount: Balance,
	beneficiary: AccountId,
) -> DispatchResult {
	chain.run(|| {
		MessageLanes::send_tokens(
			RawOrigin::Signed(who).into(),
			to,
			token,
			amount,
			beneficiary,
		)
	})
}

fn balance(chain: &mut Chain, who: AccountId) -> Balance {
	chain.run(|| Balances::balance(&who))
}

fn wrapped(chain: &mut Chain, of: H256, who: AccountId) -> Balance {
	chain.run(|| Assets::balance(of, who))
}

/// The supply invariant of `source`'s token between the two chains, with nothing in flight:
/// what `source` locked for `destination` is what `destination` holds wrapped.
fn assert_supply_invariant(source: &mut Chain, destination: &mut Chain) {
	let (from, to) = (source.genesis, destination.genesis);
	let locked = source.run(|| Locked::<Test>::get(to));
	let supply = destination.run(|| Assets::total_issuance(from));
	assert_eq!(
		locked, supply,
		"locked on the source == wrapped on the destination"
	);
}

/// `result` is the refusal `error`. (`assert_noop!` must run inside a chain's state; the
/// calls these refusals come from are transactional, so a refusal changes nothing.)
fn assert_refused<T: core::fmt::Debug>(result: Result<T, DispatchError>, error: Error<Test>) {
	assert_eq!(result.err(), Some(error.into()));
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

#[test]
fn tokens_go_to_the_counterpart_and_back_both_ways() {
	let (mut parent, mut child) = chains();
	// 100 of the parent's token to the child.
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_eq!(balance(&mut parent, ALICE), 1_000 - 100 - 5 - 3);
	assert_eq!(parent.run(|| Locked::<Test>::get(CHILD)), 100);
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 100);
	assert_supply_invariant(&mut parent, &mut child);
	// The parent confirms: the message is pruned, the deposit back, the fee to the relayer.
	assert_ok!(confirm(&mut parent, &mut child));
	assert_eq!(balance(&mut parent, ALICE), 1_000 - 100 - 3);
	assert_eq!(balance(&mut parent, RELAYER), 1_000 + 3);
	parent.run(|| {
		assert_eq!(OutboundMessages::<Test>::iter().count(), 0);
		assert_eq!(OutboundLanes::<Test>::get(CHILD).latest_confirmed, 1);
		assert_eq!(Balances::total_balance_on_hold(&ALICE), 0);
	});

	// 40 of them back.
	assert_ok!(send(&mut child, BOB, PARENT, Token::Wrapped, 40, ALICE));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 60);
	assert_ok!(deliver(&mut child, &mut parent, 1, OTHER_RELAYER));
	assert_eq!(balance(&mut parent, ALICE), 1_000 - 100 - 3 + 40);
	assert_eq!(parent.run(|| Locked::<Test>::get(CHILD)), 60);
	assert_supply_invariant(&mut parent, &mut child);
	assert_ok!(confirm(&mut child, &mut parent));
	assert_eq!(balance(&mut child, OTHER_RELAYER), 1_000 + 3);

	// 50 of the child's token to the parent and back.
	assert_ok!(send(&mut child, BOB, PARENT, Token::Native, 50, ALICE));
	assert_ok!(deliver(&mut child, &mut parent, 2, RELAYER));
	assert_eq!(wrapped(&mut parent, CHILD, ALICE), 50);
	assert_supply_invariant(&mut child, &mut parent);
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Wrapped, 50, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 2, RELAYER));
	assert_eq!(wrapped(&mut parent, CHILD, ALICE), 0);
	assert_eq!(balance(&mut child, BOB), 1_000 - 50 - 3 - 5 - 3 + 50);
	assert_supply_invariant(&mut child, &mut parent);
	assert_supply_invariant(&mut parent, &mut child);
}

#[test]
fn a_delivery_is_taken_once_in_order_and_only_as_proven() {
	let (mut parent, mut child) = chains();
	for _ in 0..3 {
		assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	}
	// Replayed: the same proof again.
	let keys = delivery_keys(&mut parent, CHILD, 1, 2);
	let (block, proof) = verified_header(&mut parent, &mut child, &keys);
	let receive = |first, last, proof| {
		MessageLanes::receive_messages(
			RawOrigin::Signed(RELAYER).into(),
			PARENT,
			block,
			first,
			last,
			proof,
		)
	};
	child.run(|| {
		assert_noop!(receive(2, 2, proof.clone()), Error::<Test>::MessageGap);
		assert_noop!(
			receive(1, 0, proof.clone()),
			Error::<Test>::NothingToDeliver
		);
		assert_ok!(receive(1, 2, proof.clone()));
		// Replayed, whole or in part.
		assert_noop!(
			receive(1, 2, proof.clone()),
			Error::<Test>::AlreadyDelivered
		);
		assert_noop!(
			receive(2, 2, proof.clone()),
			Error::<Test>::AlreadyDelivered
		);
		// Message 3 is not in the proof (only 1 and 2 are): the proof cannot show it.
		assert_noop!(
			receive(3, 3, proof.clone()),
			Error::<Test>::InvalidStorageProof
		);
	});
	let keys = delivery_keys(&mut parent, CHILD, 3, 4);
	let (block, proof) = verified_header(&mut parent, &mut child, &keys);
	child.run(|| {
		let receive = |last, proof| {
			MessageLanes::receive_messages(
				RawOrigin::Signed(RELAYER).into(),
				PARENT,
				block,
				3,
				last,
				proof,
			)
		};
		// Beyond what the parent sent.
		assert_noop!(receive(4, proof.clone()), Error::<Test>::MessageNotSent);
		// Tampered: one node's bytes changed.
		let mut tampered = proof.clone();
		let node = tampered.iter_mut().max_by_key(|node| node.len()).unwrap();
		let at = node.len() - 1;
		node[at] ^= 1;
		assert_noop!(receive(3, tampered), Error::<Test>::InvalidStorageProof);
		// A header the child never verified, a chain it does not follow.
		assert_noop!(
			MessageLanes::receive_messages(
				RawOrigin::Signed(RELAYER).into(),
				PARENT,
				H256::repeat_byte(9),
				3,
				3,
				proof.clone()
			),
			Error::<Test>::UnknownHeader
		);
		assert_noop!(
			MessageLanes::receive_messages(
				RawOrigin::Signed(RELAYER).into(),
				H256::repeat_byte(9),
				block,
				3,
				3,
				proof.clone()
			),
			Error::<Test>::UnknownCounterpart
		);
		assert_ok!(receive(3, proof));
	});
	assert_eq!(wrapped(&mut child, PARENT, BOB), 30);
	assert_supply_invariant(&mut parent, &mut child);
}

#[test]
fn a_delivery_takes_at_most_the_configured_number_of_messages() {
	let (mut parent, mut child) = chains();
	for _ in 0..5 {
		assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	}
	assert_refused(
		deliver(&mut parent, &mut child, 5, RELAYER).map_err(|e| e.error),
		Error::<Test>::TooManyMessages,
	);
	assert_ok!(deliver(&mut parent, &mut child, 4, RELAYER));
	assert_ok!(deliver(&mut parent, &mut child, 5, RELAYER));
	// One confirmation prunes at most as many: two are needed.
	assert_ok!(confirm(&mut parent, &mut child));
	assert_eq!(
		parent.run(|| OutboundLanes::<Test>::get(CHILD).latest_confirmed),
		4
	);
	assert_ok!(confirm(&mut parent, &mut child));
	assert_eq!(
		parent.run(|| OutboundLanes::<Test>::get(CHILD).latest_confirmed),
		5
	);
	assert_refused(
		confirm(&mut parent, &mut child).map_err(|e| e.error),
		Error::<Test>::NothingToConfirm,
	);
}

#[test]
fn a_failed_delivery_is_refunded_by_a_message_back() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	// 5 back to an account that does not exist on the parent: it would hold less than the
	// existential deposit (10), so the release fails there.
	assert_ok!(send(&mut child, BOB, PARENT, Token::Wrapped, 5, NOBODY));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 95);
	assert_ok!(deliver(&mut child, &mut parent, 1, RELAYER));
	parent.run(|| {
		assert_eq!(Balances::balance(&NOBODY), 0);
		assert_eq!(Locked::<Test>::get(CHILD), 100);
		assert!(System::events().iter().any(|record| matches!(
			record.event,
			RuntimeEvent::MessageLanes(Event::MessageDelivered {
				outcome: DeliveryOutcome::Refunded { refund: 2 },
				..
			})
		)));
		let refund = OutboundMessages::<Test>::get(CHILD, 2).unwrap();
		assert_eq!(refund.message.refund_of, Some(1));
		assert_eq!(refund.deposit + refund.delivery_fee, 0);
	});
	// The refund mints the 5 back to their sender on the child.
	assert_ok!(deliver(&mut parent, &mut child, 2, RELAYER));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 100);
	assert_supply_invariant(&mut parent, &mut child);
	// Both sides prune: refunds carry no fee, so the relayer is paid for one message each way.
	assert_ok!(confirm(&mut parent, &mut child));
	assert_ok!(confirm(&mut child, &mut parent));
	// Bob paid the relayer for carrying his message to the parent, and nothing else.
	assert_eq!(balance(&mut child, BOB), 1_000 - 3);
	assert_eq!(parent.run(|| OutboundMessages::<Test>::iter().count()), 0);
	assert_eq!(parent.run(|| QueuedRefunds::<Test>::get(CHILD)), 0);
}

#[test]
fn a_counterpart_cannot_release_more_than_was_locked_for_it() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	// Another lane's tokens are in the same escrow: a dishonest child must not reach them.
	parent.run(|| follow(H256::repeat_byte(0xdd), 8));
	assert_ok!(send(
		&mut parent,
		BOB,
		H256::repeat_byte(0xdd),
		Token::Native,
		500,
		ALICE
	));
	// The child's validators queue a release of 300 it never burned (written directly).
	child.run(|| {
		OutboundLanes::<Test>::insert(
			PARENT,
			OutboundLane {
				latest_generated: 1,
				latest_confirmed: 0,
			},
		);
		OutboundMessages::<Test>::insert(
			PARENT,
			1,
			OutboundMessage {
				message: Message {
					instruction: Instruction::ReleaseNative {
						beneficiary: NOBODY,
						amount: 300,
					},
					sender: BOB,
					refund_of: None,
				},
				deposit: 0,
				delivery_fee: 0,
			},
		);
	});
	let escrow = parent.run(MessageLanes::escrow);
	let before = balance(&mut parent, escrow);
	assert_ok!(deliver(&mut child, &mut parent, 1, RELAYER));
	parent.run(|| {
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::MessageLanes(Event::RefundQueued { error, .. })
				if *error == DispatchError::from(Error::<Test>::ReleaseExceedsLocked)
		)));
		assert_eq!(Locked::<Test>::get(CHILD), 100);
		assert_eq!(Balances::balance(&NOBODY), 0);
	});
	assert_eq!(balance(&mut parent, escrow), before);
}

#[test]
fn sending_checks_the_lane_the_amount_and_the_token() {
	let (mut parent, mut child) = chains();
	let unknown = H256::repeat_byte(9);
	assert_refused(
		send(&mut parent, ALICE, unknown, Token::Native, 100, BOB),
		Error::<Test>::UnknownCounterpart,
	);
	// Below the existential deposit (10): a refund of it could not be paid back.
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Native, 9, BOB),
		Error::<Test>::AmountTooLow,
	);
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Wrapped, 10, BOB),
		Error::<Test>::NoWrappedToken,
	);
	// Below the wrapped token's minimum balance (4).
	assert_ok!(send(&mut child, BOB, PARENT, Token::Native, 50, ALICE));
	assert_ok!(deliver(&mut child, &mut parent, 1, RELAYER));
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Wrapped, 3, BOB),
		Error::<Test>::AmountTooLow,
	);
	// More wrapped than held.
	assert!(send(&mut parent, ALICE, CHILD, Token::Wrapped, 51, BOB).is_err());
	// Not enough left for the deposit and fee after the transfer: nothing happens.
	assert!(send(&mut parent, BOB, CHILD, Token::Native, 990, ALICE).is_err());
	assert_eq!(parent.run(|| Locked::<Test>::get(CHILD)), 0);
	assert_eq!(balance(&mut parent, BOB), 1_000);
	// 48 of 50 would leave 2, below the minimum of 4: the dust goes along, as the message says.
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Wrapped, 48, BOB));
	parent.run(|| {
		assert_eq!(Assets::total_issuance(CHILD), 0);
		assert_eq!(
			OutboundMessages::<Test>::get(CHILD, 1)
				.unwrap()
				.message
				.instruction,
			Instruction::ReleaseNative {
				beneficiary: BOB,
				amount: 50
			}
		);
	});
}

#[test]
fn a_lane_queues_a_bounded_number_of_unconfirmed_messages() {
	let (mut parent, mut child) = chains();
	for _ in 0..8 {
		assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	}
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB),
		Error::<Test>::LaneFull,
	);
	// Delivered but not confirmed still counts.
	assert_ok!(deliver(&mut parent, &mut child, 4, RELAYER));
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB),
		Error::<Test>::LaneFull,
	);
	assert_ok!(confirm(&mut parent, &mut child));
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
}

#[test]
fn each_relayer_is_paid_for_what_it_delivered() {
	let (mut parent, mut child) = chains();
	for _ in 0..3 {
		assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	}
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	assert_ok!(deliver(&mut parent, &mut child, 3, OTHER_RELAYER));
	assert_eq!(
		child.run(|| InboundLanes::<Test>::get(PARENT).relayers.into_inner()),
		vec![
			DeliveredBy {
				relayer: RELAYER,
				last: 1
			},
			DeliveredBy {
				relayer: OTHER_RELAYER,
				last: 3
			}
		]
	);
	assert_ok!(confirm(&mut parent, &mut child));
	assert_eq!(balance(&mut parent, RELAYER), 1_000 + 3);
	assert_eq!(balance(&mut parent, OTHER_RELAYER), 1_000 + 6);
	parent.run(|| {
		assert_eq!(
			last_event(),
			RuntimeEvent::MessageLanes(Event::DeliveryConfirmed {
				counterpart: CHILD,
				latest_confirmed: 3,
				messages: 3,
				rewards: 9
			})
		);
		assert_eq!(Balances::total_balance_on_hold(&ALICE), 0);
	});
	// The next delivery shows the child the parent's confirmation: it forgets those runs.
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 4, RELAYER));
	assert_eq!(
		child.run(|| InboundLanes::<Test>::get(PARENT).relayers.into_inner()),
		vec![DeliveredBy {
			relayer: RELAYER,
			last: 4
		}]
	);
}

#[test]
fn a_confirmation_cannot_claim_unsent_messages() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	assert_refused(
		confirm(&mut parent, &mut child).map_err(|e| e.error),
		Error::<Test>::NothingToConfirm,
	);
	child.run(|| {
		InboundLanes::<Test>::insert(
			PARENT,
			InboundLane {
				last_delivered: 5,
				relayers: Default::default(),
			},
		)
	});
	assert_refused(
		confirm(&mut parent, &mut child).map_err(|e| e.error),
		Error::<Test>::ConfirmsUnsentMessages,
	);
}

#[test]
fn governance_halts_and_resumes_a_lane() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	child.run(|| {
		assert_noop!(
			MessageLanes::set_lane_halted(RawOrigin::Signed(ALICE).into(), PARENT, true),
			DispatchError::BadOrigin
		);
		assert_ok!(MessageLanes::set_lane_halted(
			RawOrigin::Root.into(),
			PARENT,
			true
		));
		assert_eq!(
			last_event(),
			RuntimeEvent::MessageLanes(Event::LaneHalted {
				counterpart: PARENT,
				halted: true
			})
		);
		assert_noop!(
			MessageLanes::set_lane_halted(RawOrigin::Root.into(), PARENT, true),
			Error::<Test>::AlreadyInThatState
		);
		assert!(MessageLanes::lane_info(PARENT).unwrap().halted);
	});
	assert_refused(
		deliver(&mut parent, &mut child, 1, RELAYER).map_err(|e| e.error),
		Error::<Test>::LaneHalted,
	);
	assert_refused(
		send(&mut child, BOB, PARENT, Token::Native, 10, ALICE),
		Error::<Test>::LaneHalted,
	);
	child.run(|| {
		assert_ok!(MessageLanes::set_lane_halted(
			RawOrigin::Root.into(),
			PARENT,
			false
		));
	});
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
}

#[test]
fn the_runtime_api_shows_a_lane() {
	let (mut parent, mut child) = chains();
	parent.run(|| assert!(MessageLanes::lane_info(H256::repeat_byte(9)).is_none()));
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	let on_parent = parent.run(|| MessageLanes::lane_info(CHILD)).unwrap();
	assert_eq!(on_parent.chain_id, Some(CHILD_ON_PARENT));
	assert_eq!(
		on_parent.outbound,
		OutboundLane {
			latest_generated: 1,
			latest_confirmed: 0
		}
	);
	assert_eq!(on_parent.locked, 100);
	assert!(parent
		.run(|| MessageLanes::outbound_message(CHILD, 1))
		.is_some());
	let on_child = child.run(|| MessageLanes::lane_info(PARENT)).unwrap();
	assert_eq!(on_child.inbound.last_delivered, 1);
	assert_eq!(on_child.wrapped_supply, 100);
	// Nobody creates assets in the wrapped tokens' instance but the lanes.
	child.run(|| {
		let id = H256::repeat_byte(0xdd);
		assert_noop!(
			Assets::create(RawOrigin::Signed(ALICE).into(), id, ALICE, 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn an_asset_under_a_counterparts_id_that_the_lanes_did_not_create_is_not_its_token() {
	let (mut parent, mut child) = chains();
	// Governance (or a misconfigured runtime) made an asset with the parent's id on the child.
	child.run(|| {
		assert_ok!(Assets::force_create(
			RawOrigin::Root.into(),
			PARENT,
			ALICE,
			true,
			1
		));
		assert_ok!(Assets::mint(
			RawOrigin::Signed(ALICE).into(),
			PARENT,
			ALICE,
			1_000
		));
	});
	// Its tokens cannot be sent as the parent's.
	assert_refused(
		send(&mut child, ALICE, PARENT, Token::Wrapped, 100, BOB),
		Error::<Test>::ForeignWrappedToken,
	);
	// And the parent's token is not minted into it: the transfer is refunded.
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 0);
	assert_ok!(deliver(&mut child, &mut parent, 1, RELAYER));
	assert_eq!(parent.run(|| Locked::<Test>::get(CHILD)), 0);
	assert_eq!(balance(&mut parent, ALICE), 1_000 - 5 - 3);
}

#[test]
fn senders_filling_a_lane_never_stop_a_delivery_from_refunding() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	// The child's lane to the parent: 8 sends that will fail there (5 to an empty account,
	// below the parent's existential deposit), which fill the senders' queue.
	for _ in 0..8 {
		assert_ok!(send(&mut child, BOB, PARENT, Token::Wrapped, 5, NOBODY));
	}
	// The parent's lane back: its senders' queue full too.
	for _ in 0..7 {
		assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB));
	}
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Native, 10, BOB),
		Error::<Test>::LaneFull,
	);
	// The parent still takes the child's messages: each failure queues a refund of its own.
	assert_ok!(deliver(&mut child, &mut parent, 4, RELAYER));
	assert_ok!(deliver(&mut child, &mut parent, 8, RELAYER));
	assert_eq!(parent.run(|| QueuedRefunds::<Test>::get(CHILD)), 8);
	// The refunds have a bounded queue: a ninth failure waits for them to be confirmed.
	assert_ok!(confirm(&mut child, &mut parent));
	assert_ok!(confirm(&mut child, &mut parent));
	assert_ok!(send(&mut child, BOB, PARENT, Token::Wrapped, 5, NOBODY));
	assert_refused(
		deliver(&mut child, &mut parent, 9, RELAYER).map_err(|e| e.error),
		Error::<Test>::RefundQueueFull,
	);
	// The child takes the parent's 8 messages and 8 refunds; once the parent confirms them,
	// the ninth failure is refunded too.
	for last in [4, 8, 12, 16] {
		assert_ok!(deliver(&mut parent, &mut child, last, RELAYER));
	}
	for _ in 0..4 {
		assert_ok!(confirm(&mut parent, &mut child));
	}
	assert_eq!(parent.run(|| QueuedRefunds::<Test>::get(CHILD)), 0);
	assert_ok!(deliver(&mut child, &mut parent, 9, RELAYER));
	assert_ok!(deliver(&mut parent, &mut child, 17, RELAYER));
	assert_eq!(wrapped(&mut child, PARENT, BOB), 100 + 70);
	assert_supply_invariant(&mut parent, &mut child);
}

#[test]
fn a_counterpart_no_longer_followed_takes_and_settles_nothing() {
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	// The child's registration on the parent goes (removed or rejected).
	parent.run(|| unfollow(CHILD));
	assert_refused(
		send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB),
		Error::<Test>::UnknownCounterpart,
	);
	assert_refused(
		confirm(&mut parent, &mut child).map_err(|e| e.error),
		Error::<Test>::UnknownCounterpart,
	);
	// What was locked stays locked for it; governance following the chain again settles it.
	assert_eq!(parent.run(|| Locked::<Test>::get(CHILD)), 100);
	parent.run(|| follow(CHILD, CHILD_ON_PARENT));
	assert_ok!(confirm(&mut parent, &mut child));
}

/// A delivery or confirmation that can no longer do anything is refused by the pool (and by
/// block builders) as stale, so the loser of a relayer race, or of a copy of its delivery taken
/// from the pool, pays nothing.
#[test]
fn the_pool_refuses_deliveries_and_confirmations_that_can_no_longer_do_anything() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::{
		traits::{TransactionExtension, TxBaseImplication},
		transaction_validity::{InvalidTransaction, TransactionSource},
	};
	let validate = |call: RuntimeCall| {
		let info = call.get_dispatch_info();
		CheckMessageDelivery::<Test>::new()
			.validate(
				RawOrigin::Signed(RELAYER).into(),
				&call,
				&info,
				0,
				(),
				&TxBaseImplication(()),
				TransactionSource::External,
			)
			.map(|_| ())
	};
	let delivery = |first| {
		RuntimeCall::MessageLanes(Call::receive_messages {
			source: PARENT,
			block_hash: H256::zero(),
			first,
			last: first,
			proof: vec![],
		})
	};
	let confirmation = RuntimeCall::MessageLanes(Call::confirm_delivery {
		counterpart: CHILD,
		block_hash: H256::zero(),
		proof: vec![],
	});
	let (mut parent, mut child) = chains();
	assert_ok!(send(&mut parent, ALICE, CHILD, Token::Native, 100, BOB));
	// Nothing was delivered yet: message 1 is welcome; the parent has something to confirm.
	child.run(|| {
		assert_ok!(validate(delivery(1)));
	});
	parent.run(|| {
		assert_ok!(validate(confirmation.clone()));
	});
	assert_ok!(deliver(&mut parent, &mut child, 1, RELAYER));
	// The race is lost: message 1 is executed.
	child.run(|| {
		assert_eq!(validate(delivery(1)), Err(InvalidTransaction::Stale.into()));
		assert_ok!(validate(delivery(2)));
	});
	assert_ok!(confirm(&mut parent, &mut child));
	parent.run(|| {
		assert_eq!(
			validate(confirmation.clone()),
			Err(InvalidTransaction::Stale.into())
		);
		// Other calls pass untouched.
		assert_ok!(validate(RuntimeCall::MessageLanes(Call::set_lane_halted {
			counterpart: CHILD,
			halted: true,
		})));
	});
}
