//! Tests of the child-chains pallet. Justifications are signed by real GRANDPA (ed25519) keys
//! of bp-test-utils' keyring; storage proofs are made from real tries.

use crate::{mock::*, *};
use bp_test_utils::{
	authority_list, make_justification_for_header, signed_precommit, test_header, test_keyring,
	Account, JustificationGeneratorParams, ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE,
};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
	traits::fungible::{Inspect, InspectHold},
};
use sp_consensus_grandpa::{ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_runtime::{
	traits::{BlakeTwo256, Header as _},
	DigestItem, DispatchError,
};
use sp_trie::{trie_types::TrieDBMutBuilderV1, LayoutV1, MemoryDB, TrieMut};

const SET_ID: SetId = 1;

fn genesis() -> ChildHeader {
	test_header::<ChildHeader>(0)
}

/// A header `number` whose state root is `state_root`, with `logs` in its digest.
fn header(number: u32, state_root: H256, logs: Vec<DigestItem>) -> ChildHeader {
	let mut header = test_header::<ChildHeader>(number);
	header.set_state_root(state_root);
	for log in logs {
		header.digest_mut().push(log);
	}
	header
}

fn justify_by(
	header: &ChildHeader,
	set_id: SetId,
	authorities: Vec<(Account, u64)>,
) -> ChildJustification {
	make_justification_for_header(JustificationGeneratorParams {
		header: header.clone(),
		round: 7,
		set_id,
		authorities,
		ancestors: 2,
		forks: 1,
	})
}

/// A justification of `header` by all three authorities of the initial set.
fn justify(header: &ChildHeader) -> ChildJustification {
	justify_by(header, SET_ID, test_keyring())
}

fn register() -> ChainId {
	register_with_genesis(genesis())
}

/// Registers a chain with `genesis` as its finalized header (and genesis hash) by OWNER, and
/// approves it by the admin origin.
fn register_with_genesis(genesis: ChildHeader) -> ChainId {
	let chain_id = register_pending_by(OWNER, genesis, authority_list());
	assert_ok!(ChildChains::approve_child_chain(
		RuntimeOrigin::root(),
		chain_id
	));
	chain_id
}

/// `who` registers a chain from `genesis` with `authorities`; it stays pending.
fn register_pending_by(
	who: AccountId,
	genesis: ChildHeader,
	authorities: Vec<(AuthorityId, AuthorityWeight)>,
) -> ChainId {
	assert_ok!(ChildChains::register_child_chain(
		RuntimeOrigin::signed(who),
		b"acme".to_vec(),
		b"ACME".to_vec(),
		genesis.hash(),
		Box::new(genesis),
		authorities,
		SET_ID,
	));
	NextChainId::<Test>::get() - 1
}

fn submit(
	chain_id: ChainId,
	header: &ChildHeader,
	justification: ChildJustification,
) -> DispatchResultWithPostInfo {
	ChildChains::submit_finality_proof(
		RuntimeOrigin::signed(RELAYER),
		chain_id,
		Box::new(header.clone()),
		justification,
	)
}

fn error_of(result: DispatchResultWithPostInfo) -> DispatchError {
	let error = result.expect_err("the call fails");
	assert_eq!(error.post_info.pays_fee, Pays::Yes, "a failing proof pays");
	error.error
}

fn scheduled_change(authorities: &[Account], delay: u32) -> DigestItem {
	let next_authorities = authorities.iter().map(|a| ((*a).into(), 1)).collect();
	DigestItem::Consensus(
		GRANDPA_ENGINE_ID,
		ConsensusLog::ScheduledChange(ScheduledChange {
			next_authorities,
			delay,
		})
		.encode(),
	)
}

fn check_state() {
	ChildChains::do_try_state().expect("invariants hold");
}

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
			Error::<Test>::UnknownChain
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
fn a_valid_proof_imports_the_header_for_free() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let header = header(1, H256::repeat_byte(1), vec![]);
		let justification = justify(&header);
		let call = crate::Call::<Test>::submit_finality_proof {
			chain_id,
			header: Box::new(header.clone()),
			justification: justification.clone(),
		};
		assert!(call.get_dispatch_info().call_weight.ref_time() > 0);
		let post = submit(chain_id, &header, justification).expect("the proof verifies");
		assert_eq!(post.pays_fee, Pays::No);
		let chain = Chains::<Test>::get(chain_id).unwrap();
		assert_eq!((chain.best_number, chain.best_hash), (1, header.hash()));
		assert_eq!(
			ImportedHeaders::<Test>::get(chain_id, header.hash()),
			Some(StoredChildHeader {
				number: 1,
				state_root: H256::repeat_byte(1)
			})
		);
		System::assert_last_event(
			Event::ChildHeaderImported {
				chain_id,
				number: 1,
				hash: header.hash(),
				state_root: H256::repeat_byte(1),
				submitter: RELAYER,
			}
			.into(),
		);
		// Headers may be skipped: finality of a later block implies the earlier ones.
		let later = self::header(9, H256::repeat_byte(9), vec![]);
		assert_ok!(submit(chain_id, &later, justify(&later)));
		assert_eq!(Chains::<Test>::get(chain_id).unwrap().best_number, 9);
		check_state();
	});
}

#[test]
fn free_imports_are_limited_per_chain_and_per_block() {
	new_test_ext().execute_with(|| {
		let genesis_of = |n: u32| header(0, H256::repeat_byte(n as u8), vec![]);
		let chains: Vec<ChainId> = (1..=3)
			.map(|n| register_with_genesis(genesis_of(n)))
			.collect();
		let pays = |chain_id, number: u32| {
			let h = header(number, H256::repeat_byte(number as u8), vec![]);
			submit(chain_id, &h, justify(&h))
				.expect("the proof verifies")
				.pays_fee
		};
		// One free import per chain per block...
		assert_eq!(pays(chains[0], 1), Pays::No);
		assert_eq!(pays(chains[0], 2), Pays::Yes);
		// ...and two (MaxFreeHeadersPerBlock) per block over all chains.
		assert_eq!(pays(chains[1], 1), Pays::No);
		assert_eq!(pays(chains[2], 1), Pays::Yes);
		// The next block has fresh slots.
		System::set_block_number(2);
		assert_eq!(pays(chains[2], 2), Pays::No);
		assert_eq!(pays(chains[0], 3), Pays::No);
		assert_eq!(pays(chains[1], 2), Pays::Yes);
		check_state();
	});
}

#[test]
fn stale_duplicate_and_unknown_proofs_fail_by_name() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(7, &h2, justify(&h2))),
			Error::<Test>::UnknownChain.into()
		);
		assert_ok!(submit(chain_id, &h2, justify(&h2)));
		assert_eq!(
			error_of(submit(chain_id, &h2, justify(&h2))),
			Error::<Test>::DuplicateHeader.into()
		);
		let h1 = header(1, H256::repeat_byte(1), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &h1, justify(&h1))),
			Error::<Test>::OldHeader.into()
		);
		let other_two = header(2, H256::repeat_byte(7), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &other_two, justify(&other_two))),
			Error::<Test>::OldHeader.into()
		);
	});
}

#[test]
fn forged_and_mismatched_justifications_fail_by_name() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let h = header(1, H256::repeat_byte(1), vec![]);
		let before = Chains::<Test>::get(chain_id);

		// A forged signature.
		let mut forged = justify(&h);
		let mut signature = forged.commit.precommits[0].signature.encode();
		signature[5] ^= 1;
		forged.commit.precommits[0].signature = codec::Decode::decode(&mut &signature[..]).unwrap();
		assert_eq!(
			error_of(submit(chain_id, &h, forged)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);

		// Signed for another authority set id.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(&h, SET_ID + 1, test_keyring())
			)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);

		// A justification of another header.
		let other = header(1, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(chain_id, &h, justify(&other))),
			Error::<Test>::JustificationTargetMismatch.into()
		);

		// Two of three votes: not more than 2/3.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(&h, SET_ID, vec![(ALICE, 1), (BOB, 1)])
			)),
			Error::<Test>::TooLowCumulativeWeight.into()
		);

		// A vote from outside the set.
		assert_eq!(
			error_of(submit(
				chain_id,
				&h,
				justify_by(
					&h,
					SET_ID,
					vec![(ALICE, 1), (BOB, 1), (DAVE, 1), (CHARLIE, 1)]
				)
			)),
			Error::<Test>::UnknownAuthorityVote.into()
		);

		// A duplicate vote.
		let mut duplicate = justify(&h);
		duplicate.commit.precommits[2] = duplicate.commit.precommits[0].clone();
		assert_eq!(
			error_of(submit(chain_id, &h, duplicate)),
			Error::<Test>::DuplicateAuthorityVote.into()
		);

		// A vote for a block that does not descend from the header.
		let mut unrelated = justify(&h);
		let stranger = header(5, H256::repeat_byte(5), vec![]);
		unrelated.commit.precommits[1] =
			signed_precommit::<ChildHeader>(&BOB, (stranger.hash(), 5), 7, SET_ID);
		assert_eq!(
			error_of(submit(chain_id, &h, unrelated)),
			Error::<Test>::UnrelatedAncestryVote.into()
		);

		// More precommits or ancestry headers than the bounds.
		let mut too_many = justify(&h);
		too_many.commit.precommits = vec![too_many.commit.precommits[0].clone(); 6];
		assert_eq!(
			error_of(submit(chain_id, &h, too_many)),
			Error::<Test>::TooManyPrecommits.into()
		);
		let mut too_long = justify(&h);
		too_long.votes_ancestries = vec![h.clone(); 5];
		assert_eq!(
			error_of(submit(chain_id, &h, too_long)),
			Error::<Test>::TooManyVotesAncestries.into()
		);

		// A redundant ancestry header.
		let mut redundant = justify(&h);
		redundant.votes_ancestries.push(stranger);
		assert_eq!(
			error_of(submit(chain_id, &h, redundant)),
			Error::<Test>::RedundantVotesAncestries.into()
		);

		assert_eq!(
			Chains::<Test>::get(chain_id).encode(),
			before.encode(),
			"nothing changed"
		);
	});
}

#[test]
fn scheduled_authority_set_changes_are_enacted() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let next = [DAVE, EVE, FERDIE];
		let h1 = header(1, H256::repeat_byte(1), vec![scheduled_change(&next, 0)]);
		// The change is finalized by the current set.
		assert_ok!(submit(chain_id, &h1, justify(&h1)));
		let set = AuthoritySets::<Test>::get(chain_id).unwrap();
		assert_eq!(set.set_id, SET_ID + 1);
		assert_eq!(set.authorities.len(), 3);
		System::assert_has_event(
			Event::AuthoritySetChanged {
				chain_id,
				at: 1,
				set_id: SET_ID + 1,
				authorities: 3,
			}
			.into(),
		);

		// The old set no longer finalizes anything.
		let h2 = header(2, H256::repeat_byte(2), vec![]);
		assert_eq!(
			error_of(submit(
				chain_id,
				&h2,
				justify_by(&h2, SET_ID + 1, test_keyring())
			)),
			Error::<Test>::UnknownAuthorityVote.into()
		);
		// The new set does, under the new set id only.
		let new_set: Vec<_> = next.iter().map(|a| (*a, 1)).collect();
		assert_eq!(
			error_of(submit(
				chain_id,
				&h2,
				justify_by(&h2, SET_ID, new_set.clone())
			)),
			Error::<Test>::InvalidAuthoritySignature.into()
		);
		assert_ok!(submit(chain_id, &h2, justify_by(&h2, SET_ID + 1, new_set)));
		check_state();
	});
}

#[test]
fn unsupported_changes_are_refused() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let delayed = header(1, H256::repeat_byte(1), vec![scheduled_change(&[DAVE], 5)]);
		assert_eq!(
			error_of(submit(chain_id, &delayed, justify(&delayed))),
			Error::<Test>::UnsupportedScheduledChange.into()
		);
		let forced_log = DigestItem::Consensus(
			GRANDPA_ENGINE_ID,
			ConsensusLog::<u32>::ForcedChange(
				0,
				ScheduledChange {
					next_authorities: vec![(DAVE.into(), 1)],
					delay: 0,
				},
			)
			.encode(),
		);
		let forced = header(1, H256::repeat_byte(1), vec![forced_log]);
		assert_eq!(
			error_of(submit(chain_id, &forced, justify(&forced))),
			Error::<Test>::UnsupportedForcedChange.into()
		);
		let empty = header(1, H256::repeat_byte(1), vec![scheduled_change(&[], 0)]);
		assert_eq!(
			error_of(submit(chain_id, &empty, justify(&empty))),
			Error::<Test>::InvalidAuthoritySet.into()
		);
	});
}

#[test]
fn a_set_change_weighs_more() {
	let plain = header(1, H256::zero(), vec![]);
	let change = header(1, H256::zero(), vec![scheduled_change(&[DAVE, EVE], 0)]);
	let justification = justify(&plain);
	assert!(
		ChildChains::finality_proof_weight(&change, &justification).ref_time()
			> ChildChains::finality_proof_weight(&plain, &justification).ref_time()
	);
}

#[test]
fn old_headers_are_pruned_from_the_ring_buffer() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		let headers: Vec<_> = (1..=5)
			.map(|n| header(n, H256::repeat_byte(n as u8), vec![]))
			.collect();
		for h in &headers {
			assert_ok!(submit(chain_id, h, justify(h)));
		}
		let kept: Vec<u32> = ImportedHeaders::<Test>::iter_prefix_values(chain_id)
			.map(|h| h.number)
			.collect::<alloc::collections::BTreeSet<_>>()
			.into_iter()
			.collect();
		assert_eq!(kept, vec![3, 4, 5], "the last {HEADERS_TO_KEEP} headers");
		assert!(!ImportedHeaders::<Test>::contains_key(
			chain_id,
			genesis().hash()
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

/// A child state with an anchor of `digest` and some other entries; returns the state root and
/// a read proof of `keys` (the trie nodes on their paths, as `state_getReadProof` gives).
fn child_state_with_proof(digest: H256, value: Vec<u8>, keys: &[Vec<u8>]) -> (H256, Vec<Vec<u8>>) {
	type Layout = LayoutV1<BlakeTwo256>;
	let mut db = MemoryDB::<BlakeTwo256>::default();
	let mut root = H256::zero();
	{
		let mut trie = TrieDBMutBuilderV1::<BlakeTwo256>::new(&mut db, &mut root).build();
		trie.insert(
			&TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER),
			&value,
		)
		.unwrap();
		// Another attester's anchor of the same digest.
		trie.insert(
			&TestAnchorLayout::storage_key(&digest, &Attester::Account(88)),
			&anchor_value(88, 2, 1_800),
		)
		.unwrap();
		for i in 0u8..20 {
			trie.insert(&[b"other", [i].as_slice()].concat(), &[i; 40])
				.unwrap();
		}
	}
	let mut recorder = sp_trie::Recorder::<Layout>::new();
	{
		let trie = sp_trie::TrieDBBuilder::<Layout>::new(&db, &root)
			.with_recorder(&mut recorder)
			.build();
		for key in keys {
			sp_trie::Trie::get(&trie, key).unwrap();
		}
	}
	let mut proof: Vec<Vec<u8>> = recorder
		.drain()
		.into_iter()
		.map(|record| record.data)
		.collect();
	proof.sort();
	proof.dedup();
	(root, proof)
}

/// The attester of the anchor `child_state` proves.
const CHILD_ATTESTER: Attester<AccountId> = Attester::Account(77);

fn child_state(digest: H256, value: Vec<u8>) -> (H256, Vec<Vec<u8>>) {
	child_state_with_proof(
		digest,
		value,
		&[
			TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER),
			TestAnchorLayout::storage_key(&digest, &Attester::Account(88)),
		],
	)
}

/// Registers a chain and imports a header with the state root of `child_state`.
fn chain_with_state(digest: H256, value: Vec<u8>) -> (ChainId, H256, Vec<Vec<u8>>) {
	let chain_id = register();
	let (root, proof) = child_state(digest, value);
	let h = header(1, root, vec![]);
	assert_ok!(submit(chain_id, &h, justify(&h)));
	(chain_id, h.hash(), proof)
}

/// [`chain_with_state`] with the child anchor of `digest` indexed by OTHER; returns the chain
/// and the verified block.
fn chain_with_indexed_anchor(digest: H256) -> (ChainId, H256) {
	let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
	assert_ok!(ChildChains::index_child_anchor(
		RuntimeOrigin::signed(OTHER),
		chain_id,
		block,
		digest,
		CHILD_ATTESTER,
		proof
	));
	(chain_id, block)
}

#[test]
fn anchors_indexed_from_a_rejected_chain_are_no_longer_served_but_a_deregistered_chains_are() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, _) = chain_with_indexed_anchor(digest);
		assert_eq!(ChildChains::child_anchor(digest).len(), 1);
		// Deregistered by its owner: what it proved stays proven.
		assert_ok!(ChildChains::deregister_child_chain(
			RuntimeOrigin::signed(OWNER),
			chain_id
		));
		assert_eq!(ChildChains::child_anchor(digest).len(), 1);

		// A chain governance rejects (say, one approved before approvals existed that turns
		// out forged): its index entries are no longer served.
		let (forged, block) = chain_with_indexed_anchor(digest);
		assert_eq!(ChildChains::child_anchor(digest).len(), 2);
		assert_eq!(
			ChildChains::child_header(forged, block).map(|h| h.number),
			Some(1)
		);
		assert_ok!(ChildChains::reject_child_chain(
			RuntimeOrigin::root(),
			forged,
			true
		));
		assert!(RejectedChains::<Test>::contains_key(forged));
		let served = ChildChains::child_anchor(digest);
		assert_eq!(served.len(), 1);
		assert_eq!(served[0].chain_id, chain_id);
		assert_eq!(ChildChains::child_header(forged, block), None);
		check_state();
	});
}

#[test]
fn a_child_anchor_is_proven_and_indexed() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		assert_ok!(ChildChains::index_child_anchor(
			RuntimeOrigin::signed(OTHER),
			chain_id,
			block,
			digest,
			CHILD_ATTESTER,
			proof.clone()
		));
		let record = ChildAnchors::<Test>::get(digest, (chain_id, CHILD_ATTESTER)).unwrap();
		assert_eq!(record.child_owner, 77);
		assert_eq!(record.attester, CHILD_ATTESTER);
		assert_eq!((record.anchored_at, record.anchored_at_time), (1, 1_700));
		assert_eq!(
			(record.child_block_hash, record.child_block_number),
			(block, 1)
		);
		assert_eq!(record.indexed_by, OTHER);
		assert_eq!(ChildChains::child_anchor(digest), vec![record]);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::IndexDeposit.into(), &OTHER),
			INDEX_DEPOSIT
		);
		System::assert_last_event(
			Event::ChildAnchorIndexed {
				digest,
				chain_id,
				attester: CHILD_ATTESTER,
				child_block_hash: block,
				child_block_number: 1,
				child_owner: 77,
				indexed_by: OTHER,
				deposit: INDEX_DEPOSIT,
			}
			.into(),
		);
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof
			),
			Error::<Test>::AlreadyIndexed
		);
		check_state();

		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OWNER),
				digest,
				chain_id,
				CHILD_ATTESTER
			),
			Error::<Test>::NotOwner
		);
		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OTHER),
				digest,
				chain_id + 1,
				CHILD_ATTESTER
			),
			Error::<Test>::NotIndexed
		);
		assert_noop!(
			ChildChains::remove_child_anchor(
				RuntimeOrigin::signed(OTHER),
				digest,
				chain_id,
				Attester::Account(88)
			),
			Error::<Test>::NotIndexed
		);
		assert_ok!(ChildChains::remove_child_anchor(
			RuntimeOrigin::signed(OTHER),
			digest,
			chain_id,
			CHILD_ATTESTER
		));
		assert!(ChildChains::child_anchor(digest).is_empty());
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::IndexDeposit.into(), &OTHER),
			0
		);
		check_state();
	});
}

/// The attack: someone indexes their own anchor of a digest on a child chain first, to block
/// the indexing of another attester's anchor of the same digest.
#[test]
fn indexing_ones_own_child_anchor_first_blocks_nobody_elses() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		for attester in [Attester::Account(88), CHILD_ATTESTER] {
			assert_ok!(ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				attester,
				proof.clone()
			));
		}
		let mut owners: Vec<_> = ChildChains::child_anchor(digest)
			.into_iter()
			.map(|record| (record.child_owner, record.anchored_at))
			.collect();
		owners.sort();
		assert_eq!(owners, vec![(77, 1), (88, 2)]);
		// An attester with no anchor on the child is not indexed.
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				Attester::Account(99),
				proof
			),
			Error::<Test>::NotAnchoredOnChild
		);
		check_state();
	});
}

#[test]
fn bad_storage_proofs_fail_by_name() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, anchor_value(77, 1, 1_700));
		let index = |chain_id, block, digest, proof| {
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof,
			)
		};

		// Every node altered in turn: the proof no longer reaches the value.
		for i in 0..proof.len() {
			let mut tampered = proof.clone();
			let last = tampered[i].len() - 1;
			tampered[i][last] ^= 0x55;
			assert_noop!(
				index(chain_id, block, digest, tampered),
				Error::<Test>::InvalidStorageProof
			);
		}
		// A node missing.
		assert_noop!(
			index(chain_id, block, digest, proof[1..].to_vec()),
			Error::<Test>::InvalidStorageProof
		);
		assert_noop!(
			index(chain_id, block, digest, vec![]),
			Error::<Test>::InvalidStorageProof
		);
		// The proof shows another digest is absent.
		assert_noop!(
			index(chain_id, block, H256::repeat_byte(0xd2), proof.clone()),
			Error::<Test>::NotAnchoredOnChild
		);
		assert_noop!(
			index(chain_id, H256::repeat_byte(3), digest, proof.clone()),
			Error::<Test>::UnknownChildBlock
		);
		assert_noop!(
			index(chain_id + 1, block, digest, proof.clone()),
			Error::<Test>::UnknownChain
		);
		assert_noop!(
			index(
				chain_id,
				block,
				digest,
				vec![vec![0; MAX_PROOF_SIZE as usize + 1]]
			),
			Error::<Test>::StorageProofTooLarge
		);
	});
}

#[test]
fn an_undecodable_value_is_refused() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let (chain_id, block, proof) = chain_with_state(digest, vec![1, 2]);
		assert_noop!(
			ChildChains::index_child_anchor(
				RuntimeOrigin::signed(OTHER),
				chain_id,
				block,
				digest,
				CHILD_ATTESTER,
				proof
			),
			Error::<Test>::UndecodableChildAnchor
		);
	});
}

#[test]
fn read_child_storage_answers_for_any_key() {
	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0xd1);
		let value = anchor_value(77, 1, 1_700);
		let key = TestAnchorLayout::storage_key(&digest, &CHILD_ATTESTER);
		let keys = [key.clone(), b"other\x03".to_vec(), b"absent".to_vec()];
		let chain_id = register();
		let (root, proof) = child_state_with_proof(digest, value.clone(), &keys);
		let h = header(1, root, vec![]);
		assert_ok!(submit(chain_id, &h, justify(&h)));
		let block = h.hash();
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, proof.clone()),
			Ok(Some(value))
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, b"other\x03", proof.clone()),
			Ok(Some(vec![3; 40]))
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, b"absent", proof.clone()),
			Ok(None)
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, H256::zero(), &key, proof.clone()),
			Err(ChildProofError::UnknownBlock)
		);
		assert_eq!(
			ChildChains::read_child_storage(5, block, &key, proof),
			Err(ChildProofError::UnknownChain)
		);
		assert_eq!(
			ChildChains::read_child_storage(chain_id, block, &key, vec![]),
			Err(ChildProofError::BadProof)
		);
	});
}

#[test]
fn try_state_catches_a_broken_ring() {
	new_test_ext().execute_with(|| {
		let chain_id = register();
		check_state();
		ImportedHashes::<Test>::insert(chain_id, 2, H256::repeat_byte(9));
		assert!(ChildChains::do_try_state().is_err());
	});
}
