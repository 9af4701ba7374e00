//! Governance halts a child chain and re-initializes it after a forced authority-set change.

use super::*;

/// A header with a forced change to `authorities`.
fn forced_change(number: u32, authorities: &[Account]) -> ChildHeader {
	let next_authorities = authorities.iter().map(|a| ((*a).into(), 1)).collect();
	header(
		number,
		H256::repeat_byte(number as u8),
		vec![DigestItem::Consensus(
			GRANDPA_ENGINE_ID,
			ConsensusLog::<u32>::ForcedChange(
				0,
				ScheduledChange {
					next_authorities,
					delay: 0,
				},
			)
			.encode(),
		)],
	)
}

fn new_set() -> Vec<(Account, u64)> {
	vec![(DAVE, 1), (EVE, 1), (FERDIE, 1)]
}

fn new_authorities() -> Vec<(AuthorityId, AuthorityWeight)> {
	new_set().iter().map(|(a, w)| ((*a).into(), *w)).collect()
}

#[test]
fn a_halted_chain_imports_nothing_but_stays_provable_until_resumed() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		assert_ok!(submit(chain_id, &h1, justify(&h1)));
		assert_noop!(
			ChildChains::set_child_chain_halted(RuntimeOrigin::signed(OWNER), chain_id, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ChildChains::set_child_chain_halted(RuntimeOrigin::root(), 9, true),
			Error::<Test>::UnknownChain
		);
		assert_noop!(
			ChildChains::set_child_chain_halted(RuntimeOrigin::root(), chain_id, false),
			Error::<Test>::HaltUnchanged
		);
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		System::assert_last_event(
			Event::ChildChainHaltChanged {
				chain_id,
				halted: true,
			}
			.into(),
		);
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &h2, justify(&h2))),
			Error::<Test>::ChainHalted.into()
		);
		// What was verified before the halt is still served.
		assert!(ChildChains::child_header(chain_id, h1.hash()).is_some());
		check_state();

		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			false
		));
		assert_ok!(submit(chain_id, &h2, justify(&h2)));
		check_state();

		// Removing a halted chain lifts its halt with it.
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		assert_ok!(ChildChains::force_remove_child_chain(
			RuntimeOrigin::root(),
			chain_id
		));
		assert!(!HaltedChains::<Test>::contains_key(chain_id));
		check_state();
	});
}

#[test]
fn after_a_forced_change_governance_reinitializes_and_relaying_continues() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		assert_ok!(submit(chain_id, &h1, justify(&h1)));
		// The child's validators force a new set; the light client cannot follow it.
		let forced = forced_change(2, &[DAVE, EVE, FERDIE]);
		assert_eq!(
			error_of(submit(chain_id, &forced, justify(&forced))),
			Error::<Test>::UnsupportedForcedChange.into()
		);
		// Headers of the new set do not verify against the old one.
		let h3 = header(3, H256::repeat_byte(3), vec![]);
		assert_eq!(
			error_of(submit(
				chain_id,
				&h3,
				justify_by(&h3, SET_ID + 1, new_set())
			)),
			Error::<Test>::UnknownAuthorityVote.into()
		);

		let reinit = |origin, chain_id, authorities| {
			ChildChains::reinitialize_child_chain(
				origin,
				chain_id,
				Box::new(forced.clone()),
				authorities,
				SET_ID + 1,
			)
		};
		assert_noop!(
			reinit(RuntimeOrigin::signed(OWNER), chain_id, new_authorities()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			reinit(RuntimeOrigin::root(), chain_id, vec![]),
			Error::<Test>::InvalidAuthoritySet
		);
		let pending = register_pending_by(
			OTHER,
			header(0, H256::repeat_byte(9), vec![]),
			authority_list(),
		);
		assert_noop!(
			reinit(RuntimeOrigin::root(), pending, new_authorities()),
			Error::<Test>::ChainNotApproved
		);
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		assert_ok!(reinit(RuntimeOrigin::root(), chain_id, new_authorities()));
		System::assert_last_event(
			Event::ChildChainReinitialized {
				chain_id,
				number: 2,
				hash: forced.hash(),
				authority_set_id: SET_ID + 1,
				authorities: 3,
			}
			.into(),
		);
		// The halt is lifted, the old headers are gone, the new set finalizes.
		assert!(!HaltedChains::<Test>::contains_key(chain_id));
		assert!(ChildChains::child_header(chain_id, h1.hash()).is_none());
		assert!(ChildChains::child_header(chain_id, forced.hash()).is_some());
		assert_eq!(
			error_of(submit(chain_id, &h3, justify(&h3))),
			Error::<Test>::UnknownAuthorityVote.into()
		);
		assert_ok!(submit(
			chain_id,
			&h3,
			justify_by(&h3, SET_ID + 1, new_set())
		));
		assert_eq!(Chains::<Test>::get(chain_id).unwrap().best_number, 3);
		check_state();
	});
}

#[test]
fn reinitialize_refuses_an_oversized_header() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let padded = header(
			5,
			H256::repeat_byte(5),
			vec![DigestItem::Other(vec![0; MAX_HEADER_SIZE as usize])],
		);
		assert_noop!(
			ChildChains::reinitialize_child_chain(
				RuntimeOrigin::root(),
				chain_id,
				Box::new(padded),
				new_authorities(),
				SET_ID + 1,
			),
			Error::<Test>::HeaderTooLarge
		);
	});
}

#[test]
fn an_owner_cannot_take_a_halted_chain_away_nor_escape_a_rejection_by_deregistering() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, _) = chain_with_indexed_anchor(digest);
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OWNER), chain_id),
			Error::<Test>::ChainHalted
		);
		// Deregistered ahead of governance (before a halt): it can still be rejected, and what
		// was indexed from it is no longer served.
		assert_ok!(ChildChains::set_child_chain_halted(
			RuntimeOrigin::root(),
			chain_id,
			false
		));
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OWNER),
			chain_id
		));
		assert_eq!(ChildChains::child_anchor(digest).len(), 1);
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			chain_id,
			true
		));
		System::assert_last_event(Event::RemovedChainRejected { chain_id }.into());
		assert!(ChildChains::child_anchor(digest).is_empty());
		assert_noop!(
			ChildChains::reject_child_chain(RuntimeOrigin::root(), chain_id, true),
			Error::<Test>::AlreadyRejected
		);
		assert_noop!(
			ChildChains::reject_child_chain(RuntimeOrigin::root(), 99, true),
			Error::<Test>::UnknownChain
		);
		check_state();
	});
}

#[test]
fn reinitialize_checks_a_genesis_header_and_the_authority_set() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let other_genesis = header(0, H256::repeat_byte(0x66), vec![]);
		assert_noop!(
			ChildChains::reinitialize_child_chain(
				RuntimeOrigin::root(),
				chain_id,
				Box::new(other_genesis),
				new_authorities(),
				SET_ID + 1,
			),
			Error::<Test>::GenesisMismatch
		);
		let mut twice = new_authorities();
		twice.push(twice[0].clone());
		assert_noop!(
			ChildChains::reinitialize_child_chain(
				RuntimeOrigin::root(),
				chain_id,
				Box::new(header(4, H256::repeat_byte(4), vec![])),
				twice,
				SET_ID + 1,
			),
			Error::<Test>::InvalidAuthoritySet
		);
	});
}

#[test]
fn an_owner_cannot_drop_a_chain_other_pallets_hold_state_about_and_governance_can() {
	new_test_ext().execute_with(|| {
		let (chain_id, _) = chain_with_indexed_anchor(H256::repeat_byte(0xd2));
		let genesis = crate::Chains::<Test>::get(chain_id).unwrap().genesis_hash;
		// Tokens locked for it, say: the owner would strand them by deregistering.
		crate::mock::ChainInUse::set(Some(genesis));
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OWNER), chain_id),
			Error::<Test>::ChainInUse
		);
		assert_ok!(ChildChains::force_remove_child_chain(
			RuntimeOrigin::root(),
			chain_id
		));
		// Another chain, no longer in use: the owner deregisters it.
		let (chain_id, _) = chain_with_indexed_anchor(H256::repeat_byte(0xd3));
		crate::mock::ChainInUse::set(None);
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OWNER),
			chain_id
		));
	});
}
