//! Registration, governance's decisions and removal.

use super::*;

#[test]
fn genesis_sets_this_chains_role_and_symbol() {
	new_test_ext().execute_with(|| {
		let identity = ThisChain::<Test>::get().unwrap();
		assert_eq!(identity.role, ChainRole::Parent);
		assert_eq!(identity.token_symbol.to_vec(), b"VIOT".to_vec());
	});
}

/// The storage a genesis with `slot_duration_ms` builds.
fn genesis_with_slot(slot_duration_ms: Option<u64>) -> sp_runtime::Storage {
	use sp_runtime::BuildStorage;
	crate::GenesisConfig::<Test> {
		role: ChainRole::Child,
		token_symbol: "CHILD".into(),
		slot_duration_ms,
		_config: Default::default(),
	}
	.build_storage()
	.unwrap()
}

#[test]
fn genesis_sets_the_slot_duration_only_when_asked() {
	sp_io::TestExternalities::new(genesis_with_slot(None)).execute_with(|| {
		assert_eq!(SlotDuration::<Test>::get(), None);
	});
	sp_io::TestExternalities::new(genesis_with_slot(Some(1_000))).execute_with(|| {
		assert_eq!(SlotDuration::<Test>::get(), Some(1_000));
		check_state();
	});
}

#[test]
fn genesis_refuses_a_slot_duration_out_of_range_or_odd() {
	for bad in [0, 2, 499, 1_001, 60_002, u64::MAX] {
		let built = std::panic::catch_unwind(|| genesis_with_slot(Some(bad)));
		assert!(built.is_err(), "{bad} ms accepted");
	}
	for good in [500, 1_000, 6_000, 60_000] {
		assert!(std::panic::catch_unwind(|| genesis_with_slot(Some(good))).is_ok());
	}
}

#[test]
fn try_state_catches_a_slot_duration_out_of_range() {
	new_test_ext().execute_with(|| {
		SlotDuration::<Test>::put(3);
		assert!(ChildChains::do_try_state().is_err());
	});
}

#[test]
fn register_stores_the_chain_pending_and_holds_the_deposit_until_approved() {
	new_test_ext().execute_with(|| {
		let chain_id = register_pending_by(OWNER, genesis(), authority_list());
		assert_eq!(chain_id, 0);
		let genesis = genesis();
		let chain = Chains::<Test>::get(0).unwrap();
		assert_eq!(chain.owner, OWNER);
		assert_eq!(chain.name.to_vec(), b"acme".to_vec());
		assert_eq!(chain.best_number, 0);
		assert_eq!(chain.best_hash, genesis.hash());
		assert_eq!(chain.status, RegistrationStatus::Pending);
		assert_eq!(ChainIdByGenesis::<Test>::get(genesis.hash()), None);
		assert_eq!(AuthoritySets::<Test>::get(0).unwrap().set_id, SET_ID);
		assert_eq!(
			ImportedHeaders::<Test>::get(0, genesis.hash()),
			Some(StoredChildHeader {
				number: 0,
				state_root: *genesis.state_root()
			})
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &OWNER),
			REGISTRATION_DEPOSIT
		);
		System::assert_last_event(
			Event::ChildChainRegistered {
				chain_id: 0,
				owner: OWNER,
				genesis_hash: genesis.hash(),
				best_number: 0,
				best_hash: genesis.hash(),
				authority_set_id: SET_ID,
				deposit: REGISTRATION_DEPOSIT,
			}
			.into(),
		);
		let info = ChildChains::child_chain(0).unwrap();
		assert_eq!(info.authorities, authority_list());
		assert_eq!(info.token_symbol, b"ACME".to_vec());
		assert!(!info.approved);
		check_state();

		assert_ok!(ChildChains::approve_child_chain(RuntimeOrigin::root(), 0));
		assert_eq!(ChainIdByGenesis::<Test>::get(genesis.hash()), Some(0));
		assert!(ChildChains::child_chain(0).unwrap().approved);
		System::assert_last_event(
			Event::ChildChainApproved {
				chain_id: 0,
				owner: OWNER,
				genesis_hash: genesis.hash(),
			}
			.into(),
		);
		assert_noop!(
			ChildChains::approve_child_chain(RuntimeOrigin::root(), 0),
			Error::<Test>::AlreadyApproved
		);
		check_state();
	});
}

#[test]
fn a_squatters_pending_registration_proves_nothing_blocks_nobody_and_loses_its_deposit() {
	new_test_ext().execute_with(|| {
		// The squatter registers the business's public genesis hash first, with GRANDPA keys
		// it holds and a made-up header whose state root is a trie it built (holding a
		// "child anchor" it wants the parent to vouch for).
		let squatter_keys: Vec<Account> = (10u16..13).map(Account).collect();
		let forged_authorities: Vec<_> = squatter_keys.iter().map(|k| ((*k).into(), 1)).collect();
		let digest = H256::repeat_byte(0xd1);
		let (forged_root, forged_proof) = child_state(digest, anchor_value(77, 1, 1_700));
		let made_up = header(40, forged_root, vec![]);
		let genesis_hash = genesis().hash();
		assert_ok!(ChildChains::register_child_chain(
			RuntimeOrigin::signed(OTHER),
			b"acme".to_vec(),
			b"ACME".to_vec(),
			genesis_hash,
			Box::new(made_up.clone()),
			forged_authorities,
			SET_ID,
		));
		let squatted = NextChainId::<Test>::get() - 1;

		// Nothing is imported, proven or indexed against a pending registration.
		let next = header(41, H256::repeat_byte(5), vec![]);
		let forged_justification = justify_by(
			&next,
			SET_ID,
			squatter_keys.iter().map(|k| (*k, 1)).collect(),
		);
		assert_eq!(
			error_of(submit(squatted, &next, forged_justification)),
			Error::<Test>::ChainNotApproved.into()
		);
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				squatted,
				made_up.hash(),
				digest,
				CHILD_ATTESTER,
				forged_proof.clone(),
			),
			Error::<Test>::ChainNotApproved
		);
		assert_eq!(
			ChildChains::read_child_storage(
				squatted,
				made_up.hash(),
				&TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER),
				forged_proof
			),
			Err(ChildProofError::NotApproved)
		);
		assert_eq!(ChildChains::child_header(squatted, made_up.hash()), None);

		// The business registers the same genesis: the squatter blocks nothing, and neither
		// does a second pending registration of it.
		let real = register_pending_by(OWNER, genesis(), authority_list());
		let duplicate = register_pending_by(OTHER, genesis(), authority_list());
		// Only the admin origin decides.
		for call in [
			ChildChains::approve_child_chain(RuntimeOrigin::signed(OTHER), squatted),
			ChildChains::reject_child_chain(RuntimeOrigin::signed(OWNER), squatted, true),
			ChildChains::reassign_child_chain_owner(RuntimeOrigin::signed(OTHER), real, OTHER),
		] {
			assert_eq!(call, Err(DispatchError::BadOrigin));
		}
		assert_ok!(ChildChains::approve_child_chain(
			RuntimeOrigin::root(),
			real
		));
		assert_eq!(ChainIdByGenesis::<Test>::get(genesis_hash), Some(real));
		assert_noop!(
			ChildChains::approve_child_chain(RuntimeOrigin::root(), squatted),
			Error::<Test>::GenesisAlreadyRegistered
		);
		// Once a chain of the genesis is approved, nobody registers it again.
		assert_noop!(
			ChildChains::register_child_chain(
				RuntimeOrigin::signed(OTHER),
				b"acme".to_vec(),
				b"ACME".to_vec(),
				genesis_hash,
				Box::new(genesis()),
				authority_list(),
				SET_ID,
			),
			Error::<Test>::GenesisAlreadyRegistered
		);
		// The squatter cannot withdraw ahead of the rejection to save its deposit.
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OTHER), squatted),
			Error::<Test>::ChainNotApproved
		);
		check_state();

		// The squatter's registration is rejected and its deposit burned.
		let issuance = Balances::total_issuance();
		let balance = Balances::total_balance(&OTHER);
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			squatted,
			true
		));
		System::assert_last_event(
			Event::ChildChainRejected {
				chain_id: squatted,
				owner: OTHER,
				slashed: REGISTRATION_DEPOSIT,
				released: 0,
			}
			.into(),
		);
		assert_eq!(
			Balances::total_balance(&OTHER),
			balance - REGISTRATION_DEPOSIT
		);
		assert_eq!(Balances::total_issuance(), issuance - REGISTRATION_DEPOSIT);
		// Only that deposit: the squatter's other registration stays fully held.
		let held = || Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &OTHER);
		assert_eq!(held(), REGISTRATION_DEPOSIT);
		assert!(Chains::<Test>::get(squatted).is_none());
		assert_eq!(ChainIdByGenesis::<Test>::get(genesis_hash), Some(real));
		check_state();
		// Rejecting the pending duplicate of the approved genesis leaves the approved chain's
		// genesis entry alone.
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			duplicate,
			false
		));
		assert_eq!(held(), 0);
		assert_eq!(ChainIdByGenesis::<Test>::get(genesis_hash), Some(real));
		// The business's chain is followed.
		let first = header(1, H256::repeat_byte(5), vec![]);
		assert_ok!(submit(real, &first, justify(&first)));
		check_state();
	});
}

#[test]
fn a_rejection_without_slash_releases_the_deposit() {
	new_test_ext().execute_with(|| {
		let chain_id = register_pending_by(OWNER, genesis(), authority_list());
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			chain_id,
			false
		));
		System::assert_last_event(
			Event::ChildChainRejected {
				chain_id,
				owner: OWNER,
				slashed: 0,
				released: REGISTRATION_DEPOSIT,
			}
			.into(),
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &OWNER),
			0
		);
		assert_noop!(
			ChildChains::reject_child_chain(RuntimeOrigin::root(), chain_id, false),
			Error::<Test>::AlreadyRejected
		);
		check_state();
	});
}

#[test]
fn the_admin_origin_gives_a_chain_and_its_deposit_to_another_owner() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		assert_noop!(
			ChildChains::reassign_child_chain_owner(RuntimeOrigin::root(), chain_id, OWNER),
			Error::<Test>::AlreadyOwner
		);
		assert_ok!(ChildChains::reassign_child_chain_owner(
			RuntimeOrigin::root(),
			chain_id,
			OTHER
		));
		System::assert_last_event(
			Event::ChildChainOwnerChanged {
				chain_id,
				previous_owner: OWNER,
				owner: OTHER,
			}
			.into(),
		);
		let hold = |who| Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &who);
		assert_eq!((hold(OWNER), hold(OTHER)), (0, REGISTRATION_DEPOSIT));
		check_state();
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OWNER), chain_id),
			Error::<Test>::NotOwner
		);
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OTHER),
			chain_id
		));
		assert_eq!(hold(OTHER), 0);
		check_state();
	});
}

#[test]
fn chain_ids_never_wrap() {
	new_test_ext().execute_with(|| {
		NextChainId::<Test>::put(ChainId::MAX);
		assert_noop!(
			ChildChains::register_child_chain(
				RuntimeOrigin::signed(OWNER),
				b"acme".to_vec(),
				b"ACME".to_vec(),
				genesis().hash(),
				Box::new(genesis()),
				authority_list(),
				SET_ID,
			),
			Error::<Test>::ChainIdsExhausted
		);
	});
}

#[test]
fn register_refuses_bad_input_by_name() {
	new_test_ext().execute_with(|| {
		let genesis = genesis();
		let call = |who, name: &[u8], symbol: &[u8], hash, header: ChildHeader, authorities| {
			ChildChains::register_child_chain(
				RuntimeOrigin::signed(who),
				name.to_vec(),
				symbol.to_vec(),
				hash,
				Box::new(header),
				authorities,
				SET_ID,
			)
		};
		let hash = genesis.hash();
		let g = || genesis.clone();
		assert_noop!(
			call(OWNER, b"", b"A", hash, g(), authority_list()),
			Error::<Test>::EmptyName
		);
		assert_noop!(
			call(OWNER, &[b'n'; 17], b"A", hash, g(), authority_list()),
			Error::<Test>::NameTooLong
		);
		assert_noop!(
			call(OWNER, b"n", b"", hash, g(), authority_list()),
			Error::<Test>::EmptySymbol
		);
		assert_noop!(
			call(OWNER, b"n", &[b'S'; 9], hash, g(), authority_list()),
			Error::<Test>::SymbolTooLong
		);
		let six: Vec<_> = bp_test_utils::accounts(6)
			.into_iter()
			.map(|a| (a.into(), 1))
			.collect();
		assert_noop!(
			call(OWNER, b"n", b"S", hash, g(), six),
			Error::<Test>::TooManyAuthorities
		);
		assert_noop!(
			call(OWNER, b"n", b"S", hash, g(), vec![]),
			Error::<Test>::InvalidAuthoritySet
		);
		let zero_weight = vec![(ALICE.into(), 0)];
		assert_noop!(
			call(OWNER, b"n", b"S", hash, g(), zero_weight),
			Error::<Test>::InvalidAuthoritySet
		);
		let duplicate = vec![(ALICE.into(), 1), (ALICE.into(), 1)];
		assert_noop!(
			call(OWNER, b"n", b"S", hash, g(), duplicate),
			Error::<Test>::InvalidAuthoritySet
		);
		assert_noop!(
			call(
				OWNER,
				b"n",
				b"S",
				H256::repeat_byte(1),
				g(),
				authority_list()
			),
			Error::<Test>::GenesisMismatch
		);
		assert!(
			call(POOR, b"n", b"S", hash, g(), authority_list()).is_err(),
			"deposit too high"
		);
		register();
		assert_noop!(
			call(OTHER, b"n", b"S", hash, g(), authority_list()),
			Error::<Test>::GenesisAlreadyRegistered
		);
		// A chain may also be registered from a later finalized header.
		let later = header(40, H256::repeat_byte(4), vec![]);
		assert_ok!(call(
			OTHER,
			b"other",
			b"O",
			H256::repeat_byte(9),
			later,
			authority_list()
		));
		check_state();
	});
}

#[test]
fn deregister_and_force_remove_clear_everything_and_release_the_deposit() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h = header(1, H256::repeat_byte(1), vec![]);
		assert_ok!(submit(chain_id, &h, justify(&h)));
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OTHER), chain_id),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			ChildChains::deregister_child_chain(RuntimeOrigin::signed(OWNER), 9),
			Error::<Test>::UnknownChain
		);
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OWNER),
			chain_id
		));
		System::assert_last_event(
			Event::ChildChainDeregistered {
				chain_id,
				owner: OWNER,
				released: REGISTRATION_DEPOSIT,
			}
			.into(),
		);
		assert!(Chains::<Test>::get(chain_id).is_none());
		assert!(AuthoritySets::<Test>::get(chain_id).is_none());
		assert_eq!(ImportedHeaders::<Test>::iter_prefix(chain_id).count(), 0);
		assert_eq!(ImportedHashes::<Test>::iter_prefix(chain_id).count(), 0);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &OWNER),
			0
		);
		check_state();

		// The genesis can be registered again, under a new id.
		let again = register();
		assert_eq!(again, chain_id + 1);
		assert_noop!(
			ChildChains::force_remove_child_chain(RuntimeOrigin::signed(OWNER), again),
			DispatchError::BadOrigin
		);
		assert_ok!(ChildChains::force_remove_child_chain(
			RuntimeOrigin::root(),
			again
		));
		System::assert_last_event(
			Event::ChildChainForceRemoved {
				chain_id: again,
				owner: OWNER,
				released: REGISTRATION_DEPOSIT,
			}
			.into(),
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::RegistrationDeposit.into(), &OWNER),
			0
		);
		check_state();
	});
}
