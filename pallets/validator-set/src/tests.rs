//! Tests of every call, the session manager and the attacks on them.

use crate::{
	mock::*, Bond, Bonds, CurrentSession, Error, Event, HoldReason, MinimumValidators,
	SessionPeriod, SetChanged, UnbondingSessions, Validators,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
};
use pallet_session::SessionManager;
use sp_runtime::DispatchError;

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ValidatorBond.into(), &who)
}

fn validators() -> Vec<AccountId> {
	Validators::<Test>::get().into_inner()
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::ValidatorSet(event) => Some(event),
			_ => None,
		})
		.expect("an event of the pallet")
}

/// Announces and admits `who` (keys set first).
fn admit(who: AccountId) {
	set_keys(who);
	assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(who)));
	assert_ok!(ValidatorSet::admit_validator(RuntimeOrigin::root(), who));
}

#[test]
fn genesis_validators_hold_the_bond() {
	new_test_ext().execute_with(|| {
		assert_eq!(validators(), GENESIS.to_vec());
		for who in GENESIS {
			assert_eq!(held(who), 1_000);
			assert_eq!(
				Bonds::<Test>::get(who),
				Some(Bond {
					amount: 1_000,
					withdrawable_from: None
				})
			);
		}
		assert_eq!(MinimumValidators::<Test>::get(), 2);
		assert_eq!(<SessionPeriod<Test> as Get<u64>>::get(), 5);
		assert_eq!(ValidatorSet::new_session_genesis(0), Some(GENESIS.to_vec()));
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn announcing_holds_the_bond_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		assert_eq!(held(CANDIDATE), 1_000);
		assert_eq!(Balances::balance(&CANDIDATE), 9_000);
		assert_eq!(
			last_event(),
			Event::CandidacyAnnounced {
				who: CANDIDATE,
				bond: 1_000
			}
		);
		assert_noop!(
			ValidatorSet::announce_candidacy(RuntimeOrigin::signed(CANDIDATE)),
			Error::<Test>::AlreadyBonded
		);
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn an_account_that_cannot_pay_cannot_announce() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::announce_candidacy(RuntimeOrigin::signed(POOR)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn no_number_of_candidates_keeps_another_account_from_bonding() {
	new_test_ext().execute_with(|| {
		// Squatters bond every funded account but one: the last one still bonds (each bond is
		// held in full, which is what bounds the map).
		for who in 4..=7 {
			assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(who)));
		}
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(8)));
		assert_eq!(Bonds::<Test>::count(), 8);
		assert_eq!(held(8), 1_000);
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn only_governance_admits_removes_slashes_and_sets_the_minimum() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		set_keys(CANDIDATE);
		let signed = || RuntimeOrigin::signed(CANDIDATE);
		assert_noop!(
			ValidatorSet::admit_validator(signed(), CANDIDATE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::remove_validator(signed(), 1),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::slash_bond(signed(), 1, 10),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ValidatorSet::set_minimum_validators(signed(), 1),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn admission_needs_a_full_bond_and_session_keys() {
	new_test_ext().execute_with(|| {
		let root = RuntimeOrigin::root;
		assert_noop!(
			ValidatorSet::admit_validator(root(), CANDIDATE),
			Error::<Test>::NotBonded
		);
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		assert_noop!(
			ValidatorSet::admit_validator(root(), CANDIDATE),
			Error::<Test>::NoSessionKeys
		);
		set_keys(CANDIDATE);
		assert_ok!(ValidatorSet::admit_validator(root(), CANDIDATE));
		assert_eq!(last_event(), Event::ValidatorAdmitted { who: CANDIDATE });
		assert_eq!(validators(), vec![1, 2, 3, CANDIDATE]);
		assert!(SetChanged::<Test>::get());
		assert_noop!(
			ValidatorSet::admit_validator(root(), CANDIDATE),
			Error::<Test>::AlreadyValidator
		);
		// The set holds four.
		set_keys(5);
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(5)));
		assert_noop!(
			ValidatorSet::admit_validator(root(), 5),
			Error::<Test>::TooManyValidators
		);
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn a_slashed_candidate_is_not_admitted_until_it_tops_its_bond_up() {
	new_test_ext().execute_with(|| {
		set_keys(CANDIDATE);
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		assert_noop!(
			ValidatorSet::top_up_bond(RuntimeOrigin::signed(CANDIDATE)),
			Error::<Test>::BondFull
		);
		assert_ok!(ValidatorSet::slash_bond(
			RuntimeOrigin::root(),
			CANDIDATE,
			300
		));
		assert_noop!(
			ValidatorSet::admit_validator(RuntimeOrigin::root(), CANDIDATE),
			Error::<Test>::BondTooLow
		);
		assert_ok!(ValidatorSet::top_up_bond(RuntimeOrigin::signed(CANDIDATE)));
		assert_eq!(
			last_event(),
			Event::BondToppedUp {
				who: CANDIDATE,
				amount: 300
			}
		);
		assert_eq!(held(CANDIDATE), 1_000);
		assert_eq!(Bonds::<Test>::get(CANDIDATE).unwrap().amount, 1_000);
		assert_ok!(ValidatorSet::admit_validator(
			RuntimeOrigin::root(),
			CANDIDATE
		));
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn a_top_up_needs_a_bond_and_the_funds() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::top_up_bond(RuntimeOrigin::signed(CANDIDATE)),
			Error::<Test>::NotBonded
		);
		// Validator 1 spends all but 100 of its free balance, then is slashed by 500.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(1),
			7,
			8_900
		));
		assert_ok!(ValidatorSet::slash_bond(RuntimeOrigin::root(), 1, 500));
		assert_noop!(
			ValidatorSet::top_up_bond(RuntimeOrigin::signed(1)),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn removal_never_goes_below_the_minimum() {
	new_test_ext().execute_with(|| {
		let root = RuntimeOrigin::root;
		assert_noop!(
			ValidatorSet::remove_validator(root(), CANDIDATE),
			Error::<Test>::NotAValidator
		);
		assert_ok!(ValidatorSet::remove_validator(root(), 3));
		assert_eq!(validators(), vec![1, 2]);
		assert_noop!(
			ValidatorSet::remove_validator(root(), 2),
			Error::<Test>::TooFewValidators
		);
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn a_removed_validator_withdraws_only_when_it_can_no_longer_validate_and_be_slashed() {
	new_test_ext().execute_with(|| {
		CurrentSession::<Test>::put(7);
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::StillAValidator
		);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		// Two sessions to leave the set, then UNBONDING (3) in which governance may slash.
		assert_eq!(
			last_event(),
			Event::ValidatorRemoved {
				who: 3,
				bond_withdrawable_from: 12
			}
		);
		// Queued at the change to session 8, out of the set from 9.
		ValidatorSet::start_session(8);
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::BondLocked
		);
		set_active(&[1, 2]);
		ValidatorSet::start_session(11);
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::BondLocked
		);
		ValidatorSet::start_session(12);
		assert_ok!(ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)));
		assert_eq!(
			last_event(),
			Event::CandidacyWithdrawn {
				who: 3,
				released: 1_000
			}
		);
		assert_eq!(held(3), 0);
		assert_eq!(Balances::balance(&3), 10_000);
		assert_eq!(Bonds::<Test>::get(3), None);
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn a_removed_validator_still_in_the_session_set_keeps_its_bond() {
	new_test_ext().execute_with(|| {
		UnbondingSessions::<Test>::put(0);
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		// Its removal stays pending (say, the set without it could not be handed over): the
		// session pallet still has it, however many sessions pass.
		ValidatorSet::start_session(50);
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::StillActive
		);
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(3)),
			Error::<Test>::StillActive
		);
		set_active(&[1, 2]);
		assert_ok!(ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)));
	});
}

#[test]
fn a_validator_cannot_purge_its_keys_and_others_can() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(1)),
			Error::<Test>::StillAValidator
		);
		assert!(ValidatorSet::active_candidates().contains(&1));
		// A candidate, never admitted, purges its keys.
		set_keys(CANDIDATE);
		assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(CANDIDATE)));
		assert_eq!(last_event(), Event::SessionKeysPurged { who: CANDIDATE });
		assert!(!KEYS.with(|keys| keys.borrow().contains(&CANDIDATE)));
		// Without keys, what the session pallet says is passed on.
		assert_noop!(
			ValidatorSet::purge_keys(RuntimeOrigin::signed(CANDIDATE)),
			DispatchError::Other("no keys")
		);
	});
}

#[test]
fn a_readmitted_validator_is_locked_again() {
	new_test_ext().execute_with(|| {
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_ok!(ValidatorSet::admit_validator(RuntimeOrigin::root(), 3));
		ValidatorSet::start_session(10);
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(3)),
			Error::<Test>::StillAValidator
		);
		assert_eq!(Bonds::<Test>::get(3).unwrap().withdrawable_from, None);
	});
}

#[test]
fn a_candidate_withdraws_at_any_time() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(CANDIDATE)),
			Error::<Test>::NotBonded
		);
		assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		assert_ok!(ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(
			CANDIDATE
		)));
		assert_eq!(Balances::balance(&CANDIDATE), 10_000);
	});
}

#[test]
fn slashing_burns_at_most_the_bond() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_noop!(
			ValidatorSet::slash_bond(RuntimeOrigin::root(), CANDIDATE, 10),
			Error::<Test>::NotBonded
		);
		assert_ok!(ValidatorSet::slash_bond(RuntimeOrigin::root(), 1, 400));
		assert_eq!(
			last_event(),
			Event::BondSlashed {
				who: 1,
				amount: 400
			}
		);
		assert_eq!(held(1), 600);
		assert_eq!(Bonds::<Test>::get(1).unwrap().amount, 600);
		assert_eq!(Balances::total_issuance(), issuance - 400);
		// Asking for more burns what is left, never the free balance.
		assert_ok!(ValidatorSet::slash_bond(RuntimeOrigin::root(), 1, 5_000));
		assert_eq!(
			last_event(),
			Event::BondSlashed {
				who: 1,
				amount: 600
			}
		);
		assert_eq!(held(1), 0);
		assert_eq!(Balances::balance(&1), 9_000);
		// Still a validator until governance removes it.
		assert_eq!(validators(), GENESIS.to_vec());
		ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn the_minimum_is_between_one_and_the_set() {
	new_test_ext().execute_with(|| {
		let root = RuntimeOrigin::root;
		assert_noop!(
			ValidatorSet::set_minimum_validators(root(), 0),
			Error::<Test>::ZeroMinimum
		);
		assert_noop!(
			ValidatorSet::set_minimum_validators(root(), 4),
			Error::<Test>::TooFewValidators
		);
		assert_ok!(ValidatorSet::set_minimum_validators(root(), 3));
		assert_eq!(last_event(), Event::MinimumValidatorsSet { minimum: 3 });
		assert_noop!(
			ValidatorSet::remove_validator(root(), 1),
			Error::<Test>::TooFewValidators
		);
	});
}

#[test]
fn the_session_pallet_gets_the_set_only_when_it_changed() {
	new_test_ext().execute_with(|| {
		assert_eq!(ValidatorSet::new_session(2), None);
		admit(CANDIDATE);
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 2, 3, CANDIDATE]));
		assert_eq!(
			last_event(),
			Event::NewSetQueued {
				session: 2,
				validators: 4
			}
		);
		assert_eq!(ValidatorSet::new_session(3), None);
		ValidatorSet::start_session(3);
		assert_eq!(CurrentSession::<Test>::get(), 3);
	});
}

#[test]
fn validators_without_session_keys_are_not_handed_over() {
	new_test_ext().execute_with(|| {
		admit(CANDIDATE);
		purge_keys(2);
		assert_eq!(ValidatorSet::new_session(2), Some(vec![1, 3, CANDIDATE]));
	});
}

#[test]
fn a_set_below_the_minimum_is_never_handed_over() {
	new_test_ext().execute_with(|| {
		// Validators that drop their keys leave one with keys: the change waits.
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		purge_keys(2);
		assert_eq!(ValidatorSet::new_session(2), None);
		assert!(SetChanged::<Test>::get());
		// Once the keys are back, the change goes through.
		set_keys(2);
		assert_eq!(ValidatorSet::new_session(3), Some(vec![1, 2]));
		assert!(!SetChanged::<Test>::get());
	});
}

#[test]
fn try_state_notices_a_bond_that_is_not_held() {
	new_test_ext().execute_with(|| {
		Bonds::<Test>::insert(
			1,
			Bond {
				amount: 5,
				withdrawable_from: None,
			},
		);
		assert!(ValidatorSet::do_try_state().is_err());
	});
}

#[test]
fn the_version_2_migration_writes_the_unbonding_sessions_once() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	frame_support::parameter_types! {
		pub const Unbonding: u32 = 72;
	}
	type Migration = crate::migrations::V1ToV2<Test, Unbonding>;
	new_test_ext().execute_with(|| {
		// A chain of version 1: no unbonding sessions; validator 3 removed, its bond locked until
		// session 2 under version 1's rule.
		StorageVersion::new(1).put::<ValidatorSet>();
		UnbondingSessions::<Test>::kill();
		assert_ok!(ValidatorSet::remove_validator(RuntimeOrigin::root(), 3));
		assert_eq!(Bonds::<Test>::get(3).unwrap().withdrawable_from, Some(2));
		Migration::on_runtime_upgrade();
		assert_eq!(UnbondingSessions::<Test>::get(), 72);
		assert_eq!(Bonds::<Test>::get(3).unwrap().withdrawable_from, Some(74));
		assert_eq!(Bonds::<Test>::get(1).unwrap().withdrawable_from, None);
		assert_eq!(ValidatorSet::on_chain_storage_version(), 2);
		// Run again (a later release that still lists it): nothing changes.
		UnbondingSessions::<Test>::put(5);
		Migration::on_runtime_upgrade();
		assert_eq!(UnbondingSessions::<Test>::get(), 5);
	});
}
