//! Storage migrations, run by `Executive` when a new runtime takes over a live chain.
//!
//! Every migration of a pallet's layout is a `VersionedMigration`: it runs only when its pallet's
//! on-chain storage version is the one it migrates from, sets the new version, and is a no-op
//! otherwise, so a migration left in the tuple one release too long does nothing. The one that
//! sets up pallets new in a release (`validators`) is gated by the state instead: FRAME gives a
//! new pallet its in-code storage version before any migration runs, so a version cannot tell an
//! upgraded chain from one that started with the pallet. Each has a unit test and, with
//! the `try-runtime` feature, `pre_upgrade`/`post_upgrade` checks that try-runtime-cli runs
//! against a live chain's state. docs/UPGRADES.md shows how to write and test one.

/// The migrations of this release (spec_version 115 and later): the message lanes' escrow
/// account gets the existential deposit ([`pallet_message_lanes::EndowEscrow`]); and, for chains
/// on earlier releases, 112's: tombstones name the removed device's
/// issuer (DeviceIdentity 1 → 2); and, for chains on earlier releases, 111's: the validator set's
/// unbonding sessions (ValidatorSet 1 → 2, chains that ran 110); the chain's Aura and GRANDPA authorities
/// become the governance-managed validator set with session keys
/// ([`validators::SessionKeysFromAuthorities`], on chains that started without it); and, for
/// chains on earlier releases, those of 107 (child chain registrations approved by governance,
/// hashed keys: ChildChains 2 → 3) and 106 (anchors keyed by digest and attester: DataAnchoring
/// 1 → 2; the parent's index of child anchors likewise: ChildChains 1 → 2).
pub type ReleaseMigrations = (
	pallet_message_lanes::EndowEscrow<crate::Runtime>,
	pallet_device_identity::migrations::v2::MigrateToV2<crate::Runtime>,
	pallet_data_anchoring::migrations::v2::MigrateToV2<crate::Runtime>,
	pallet_child_chains::migrations::v2::MigrateToV2<crate::Runtime>,
	pallet_child_chains::migrations::v3::MigrateToV3<crate::Runtime>,
	validators::SessionKeysFromAuthorities,
	pallet_validator_set::migrations::V1ToV2<crate::Runtime, crate::configs::UnbondingForMotions>,
);

/// The migrations this release runs.
#[cfg(not(feature = "upgrade-test"))]
pub type Migrations = ReleaseMigrations;

/// The migrations of the end-to-end upgrade test's build: this release's, then the test's own.
#[cfg(feature = "upgrade-test")]
pub type Migrations = (ReleaseMigrations, upgrade_test::DeviceMetadataV3);

/// A chain started before the validator set existed (authorities in Aura's and GRANDPA's
/// genesis, no session pallet) keeps its validators through the upgrade.
pub mod validators {
	use crate::{
		configs::{default_minimum_validators, unbonding_sessions},
		AccountId, Runtime, SessionKeys,
	};
	use alloc::vec::Vec;
	use frame_support::{
		traits::{fungible::MutateHold, OnRuntimeUpgrade},
		weights::Weight,
		BoundedVec,
	};
	use pallet_validator_set::{Bond, HoldReason};
	use sp_runtime::traits::OpaqueKeys;

	/// One hour of this chain's slots: the session length of a migrated chain.
	pub fn session_length() -> crate::BlockNumber {
		let slot = pallet_aura::Pallet::<Runtime>::slot_duration().max(1);
		(3_600_000 / slot).max(1) as crate::BlockNumber
	}

	/// Runs once, on the first block of this runtime on a chain that started without a session
	/// pallet: when the session has no validators and the validator set is empty (a chain that
	/// started with this runtime has both from its genesis; afterwards the set never empties).
	///
	/// The i-th Aura authority and the i-th GRANDPA authority are one validator (every VIoT
	/// chain spec lists them in the same order); its account is the Aura key's account (a dev
	/// validator's own account). Each gets both keys as session keys, as `session.setKeys`
	/// would have set them; the session pallet's current and queued sets are these validators,
	/// so Aura and GRANDPA see no change at the next session and blocks and finality go on.
	/// Each validator holds the validator bond if its account can (else its bond is 0 and
	/// governance may require one). The minimum set size is two thirds of the set; a session
	/// lasts one hour; a removed validator's bond stays slashable for two motions' durations and
	/// a session. If the two lists cannot be paired (different lengths, empty), only the session
	/// length and the unbonding sessions are written: the session pallet then keeps Aura's and GRANDPA's authorities
	/// until governance admits validators. The council starts empty: root (sudo) adds its
	/// members.
	pub struct SessionKeysFromAuthorities;

	/// The validators and session keys the chain's authorities make, if they pair up.
	pub fn validators_from_authorities() -> Option<Vec<(AccountId, SessionKeys)>> {
		let aura = pallet_aura::Authorities::<Runtime>::get();
		let grandpa = pallet_grandpa::Pallet::<Runtime>::grandpa_authorities();
		if aura.is_empty() || aura.len() != grandpa.len() {
			return None;
		}
		Some(
			aura.into_iter()
				.zip(grandpa)
				.map(|(aura, (grandpa, _weight))| {
					let account = AccountId::from(aura.clone().into_inner());
					(account, SessionKeys { aura, grandpa })
				})
				.collect(),
		)
	}

	/// Whether this chain has authorities but no validator set yet (it started before the
	/// session pallet).
	fn needs_validators() -> bool {
		pallet_session::Validators::<Runtime>::get().is_empty()
			&& pallet_validator_set::Validators::<Runtime>::get().is_empty()
			&& !pallet_aura::Authorities::<Runtime>::get().is_empty()
	}

	impl OnRuntimeUpgrade for SessionKeysFromAuthorities {
		fn on_runtime_upgrade() -> Weight {
			let db = <Runtime as frame_system::Config>::DbWeight::get();
			let mut weight = db.reads(3);
			if !needs_validators() {
				return weight;
			}
			// Sessions of one hour, also when the authorities cannot be paired: a length of zero
			// would never end a session, so governance could not hand over any validator set.
			pallet_validator_set::SessionLength::<Runtime>::put(session_length());
			pallet_validator_set::UnbondingSessions::<Runtime>::put(unbonding_sessions(
				session_length(),
			));
			weight = weight.saturating_add(db.writes(2));
			let Some(validators) = validators_from_authorities() else {
				return weight.saturating_add(db.reads(2));
			};
			let count = validators.len() as u64;
			let mut accounts = Vec::with_capacity(validators.len());
			for (account, keys) in &validators {
				pallet_session::NextKeys::<Runtime>::insert(account, keys);
				for id in <SessionKeys as OpaqueKeys>::key_ids() {
					pallet_session::KeyOwner::<Runtime>::insert(
						(*id, keys.get_raw(*id).to_vec()),
						account,
					);
				}
				// What genesis does for session keys: a consumer reference on the account (or a
				// provider, for an account with no balance).
				if frame_system::Pallet::<Runtime>::inc_consumers_without_limit(account).is_err() {
					frame_system::Pallet::<Runtime>::inc_providers(account);
				}
				let bond = <Runtime as pallet_validator_set::Config>::ValidatorBond::get();
				let amount = match <crate::Balances as MutateHold<AccountId>>::hold(
					&HoldReason::ValidatorBond.into(),
					account,
					bond,
				) {
					Ok(()) => bond,
					Err(_) => 0,
				};
				pallet_validator_set::Bonds::<Runtime>::insert(
					account,
					Bond {
						amount,
						withdrawable_from: None,
					},
				);
				accounts.push(account.clone());
			}
			pallet_session::Validators::<Runtime>::put(&accounts);
			pallet_session::QueuedKeys::<Runtime>::put(validators);
			pallet_validator_set::MinimumValidators::<Runtime>::put(default_minimum_validators(
				accounts.len() as u32,
			));
			pallet_validator_set::Validators::<Runtime>::put(BoundedVec::truncate_from(accounts));
			weight = weight
				.saturating_add(db.reads_writes(4, 8))
				.saturating_add(db.reads_writes(3 * count, 6 * count));
			weight
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok(needs_validators()
				.then(validators_from_authorities)
				.flatten()
				.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			use frame_support::ensure;
			let before: Option<Vec<(AccountId, SessionKeys)>> =
				Decode::decode(&mut &before[..]).map_err(|_| "the snapshot does not decode")?;
			let Some(validators) = before else {
				return Ok(());
			};
			let accounts: Vec<AccountId> = validators.iter().map(|(a, _)| a.clone()).collect();
			ensure!(
				pallet_session::Validators::<Runtime>::get() == accounts,
				"the session's validators are not the authorities"
			);
			ensure!(
				pallet_validator_set::Validators::<Runtime>::get().into_inner() == accounts,
				"the validator set is not the authorities"
			);
			for (account, keys) in validators {
				ensure!(
					pallet_session::NextKeys::<Runtime>::get(&account) == Some(keys),
					"a validator's session keys are not its authority keys"
				);
			}
			pallet_validator_set::Pallet::<Runtime>::do_try_state()
		}
	}
}

/// A test-only migration that the end-to-end upgrade test's build (feature `upgrade-test`) runs
/// on a live dev chain: DeviceIdentity storage version 2 → 3.
pub mod upgrade_test {
	use crate::Runtime;
	use alloc::vec::Vec;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use pallet_device_identity::{Device, DeviceMetadata, Devices};

	/// What version 3 puts in front of every device's metadata.
	pub const PREFIX: &[u8] = b"v3:";

	/// DeviceIdentity 2 → 3: every device's metadata gets the prefix [`PREFIX`] (cut to the
	/// metadata bound); every other field of every record stays as it was.
	pub type DeviceMetadataV3 = VersionedMigration<
		2,
		3,
		PrefixDeviceMetadata,
		pallet_device_identity::Pallet<Runtime>,
		<Runtime as frame_system::Config>::DbWeight,
	>;

	/// The unversioned step of [`DeviceMetadataV3`].
	pub struct PrefixDeviceMetadata;

	/// Version 3's metadata for version 2's `metadata`.
	pub fn migrated(metadata: &DeviceMetadata<Runtime>) -> DeviceMetadata<Runtime> {
		let bound: u32 = <Runtime as pallet_device_identity::Config>::MaxMetadataLength::get();
		let mut bytes: Vec<u8> = PREFIX.iter().chain(metadata.iter()).copied().collect();
		bytes.truncate(bound as usize);
		DeviceMetadata::<Runtime>::truncate_from(bytes)
	}

	impl UncheckedOnRuntimeUpgrade for PrefixDeviceMetadata {
		fn on_runtime_upgrade() -> Weight {
			let mut devices = 0u64;
			Devices::<Runtime>::translate_values(|mut device: Device<Runtime>| {
				device.metadata = migrated(&device.metadata);
				devices += 1;
				Some(device)
			});
			<Runtime as frame_system::Config>::DbWeight::get().reads_writes(devices, devices)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			Ok(Devices::<Runtime>::iter().collect::<Vec<_>>().encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(before: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			use frame_support::ensure;
			let before: Vec<([u8; 32], Device<Runtime>)> = Decode::decode(&mut &before[..])
				.map_err(|_| "the pre-upgrade snapshot does not decode")?;
			ensure!(
				Devices::<Runtime>::iter().count() == before.len(),
				"the number of devices changed"
			);
			for (id, mut device) in before {
				device.metadata = migrated(&device.metadata);
				ensure!(
					Devices::<Runtime>::get(id) == Some(device),
					"a device was not migrated exactly"
				);
			}
			Ok(())
		}
	}
}

#[cfg(test)]
mod tests {
	use super::upgrade_test::{migrated, DeviceMetadataV3, PREFIX};
	use crate::AccountId;
	use crate::{AllPalletsWithSystem, DeviceIdentity, Runtime, RuntimeOrigin, System, UNIT};
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use sp_core::H256;
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::BuildStorage;
	use viot_primitives::anchor::{AnchorSource, Attester};
	use viot_primitives::{device::KeyKind, keys::DeviceKeyPair};

	fn new_test_ext() -> sp_io::TestExternalities {
		let storage = crate::RuntimeGenesisConfig {
			balances: crate::BalancesConfig {
				balances: vec![(Sr25519Keyring::Alice.to_account_id(), 1_000 * UNIT)],
				..Default::default()
			},
			..Default::default()
		}
		.build_storage()
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	fn register(id: u8, metadata: &[u8]) {
		let maker = Sr25519Keyring::Alice.to_account_id();
		if DeviceIdentity::manufacturer_info(maker.clone()).is_none() {
			DeviceIdentity::add_manufacturer(
				RuntimeOrigin::root(),
				maker.clone(),
				b"Acme".to_vec().try_into().unwrap(),
			)
			.unwrap();
		}
		DeviceIdentity::register_device(
			RuntimeOrigin::signed(maker),
			[id; 32],
			DeviceKeyPair::from_seed(KeyKind::Sr25519, &[id; 32])
				.unwrap()
				.public(),
			Sr25519Keyring::Bob.to_account_id(),
			metadata.to_vec().try_into().unwrap(),
		)
		.unwrap();
	}

	#[test]
	fn genesis_stores_every_pallets_in_code_storage_version() {
		new_test_ext().execute_with(|| {
			assert_eq!(
				DeviceIdentity::on_chain_storage_version(),
				DeviceIdentity::in_code_storage_version()
			);
			assert_eq!(
				crate::DataAnchoring::on_chain_storage_version(),
				crate::DataAnchoring::in_code_storage_version()
			);
			assert_eq!(
				crate::ChildChains::on_chain_storage_version(),
				crate::ChildChains::in_code_storage_version()
			);
		});
	}

	#[cfg(not(feature = "upgrade-test"))]
	#[test]
	fn this_releases_migrations_change_nothing() {
		new_test_ext().execute_with(|| {
			register(1, b"model x");
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			super::Migrations::on_runtime_upgrade();
			AllPalletsWithSystem::on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}

	#[test]
	fn device_metadata_v3_prefixes_every_device_and_runs_once() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(2).put::<DeviceIdentity>();
			register(1, b"model x");
			register(2, b"");
			register(3, &[b'f'; 256]);
			let before: Vec<_> = pallet_device_identity::Devices::<Runtime>::iter().collect();

			DeviceMetadataV3::on_runtime_upgrade();

			assert_eq!(
				DeviceIdentity::on_chain_storage_version(),
				StorageVersion::new(3)
			);
			let metadata = |id: u8| {
				pallet_device_identity::Devices::<Runtime>::get([id; 32])
					.unwrap()
					.metadata
					.into_inner()
			};
			assert_eq!(metadata(1), b"v3:model x".to_vec());
			assert_eq!(metadata(2), PREFIX.to_vec());
			assert_eq!(metadata(3).len(), 256, "cut to the bound");
			assert!(metadata(3).starts_with(PREFIX));
			for (id, mut device) in before {
				device.metadata = migrated(&device.metadata);
				assert_eq!(
					pallet_device_identity::Devices::<Runtime>::get(id),
					Some(device),
					"nothing but the metadata changes"
				);
			}

			// At version 3 it does nothing.
			DeviceMetadataV3::on_runtime_upgrade();
			assert_eq!(metadata(1), b"v3:model x".to_vec());
		});
	}

	/// Storage as spec_version 105 left it: an account's traced anchor, a device's anchor and a
	/// parent index entry of a child's anchor (which 106's and 107's migrations both move).
	fn previous_release_state() -> (H256, H256, AccountId) {
		use pallet_data_anchoring::{migrations::v2::v1 as anchoring_v1, Anchor};
		StorageVersion::new(1).put::<crate::DataAnchoring>();
		StorageVersion::new(1).put::<crate::ChildChains>();
		StorageVersion::new(1).put::<DeviceIdentity>();
		let (made, shipped) = (H256::repeat_byte(1), H256::repeat_byte(2));
		let maker = Sr25519Keyring::Alice.to_account_id();
		// A removed device's tombstone as 106 to 111 stored it (no issuer).
		frame_support::storage::unhashed::put_raw(
			&pallet_device_identity::Tombstones::<Runtime>::hashed_key_for([4u8; 32]),
			&codec::Encode::encode(&pallet_device_identity::migrations::v2::TombstoneV1 {
				nonce: 3,
				depositor: maker.clone(),
				deposit: 7 * UNIT,
			}),
		);
		let anchor = |source, trace_index: Option<u32>| Anchor::<Runtime> {
			owner: maker.clone(),
			block: 3,
			timestamp: 1_000,
			source,
			subject: trace_index.map(|_| [9; 32]),
			kind: 1,
			leaf_count: None,
			metadata: Default::default(),
			deposit: 0,
			trace_index,
		};
		anchoring_v1::Anchors::<Runtime>::insert(made, anchor(AnchorSource::Account, Some(0)));
		anchoring_v1::Anchors::<Runtime>::insert(
			shipped,
			anchor(AnchorSource::Device([5; 32]), None),
		);
		anchoring_v1::Traces::<Runtime>::insert([9; 32], 0, made);
		pallet_data_anchoring::TraceCounters::<Runtime>::insert(
			[9; 32],
			pallet_data_anchoring::TraceCounter { next: 1, live: 1 },
		);
		pallet_child_chains::migrations::v2::v1::ChildAnchors::<Runtime>::insert(
			made,
			0,
			pallet_child_chains::migrations::v2::OldRecord {
				chain_id: 0,
				child_block_hash: H256::repeat_byte(3),
				child_block_number: 4,
				child_owner: maker.clone(),
				anchored_at: 3,
				anchored_at_time: 1_000,
				indexed_by: maker.clone(),
				deposit: 0,
				indexed_at: 5,
			},
		);
		(made, shipped, maker)
	}

	#[test]
	fn this_releases_migrations_carry_the_previous_releases_anchors_over() {
		new_test_ext().execute_with(|| {
			let (made, shipped, maker) = previous_release_state();
			super::ReleaseMigrations::on_runtime_upgrade();
			assert_eq!(
				DeviceIdentity::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			let tombstone = pallet_device_identity::Tombstones::<Runtime>::get([4u8; 32]).unwrap();
			assert_eq!(
				(tombstone.nonce, &tombstone.issuer, &tombstone.depositor),
				(3, &maker, &maker)
			);
			assert_eq!(
				crate::DataAnchoring::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			assert_eq!(
				crate::ChildChains::on_chain_storage_version(),
				StorageVersion::new(3)
			);
			let by_maker = Attester::Account(maker.clone());
			assert_eq!(
				crate::DataAnchoring::anchor_of(made, by_maker.clone())
					.unwrap()
					.trace_index,
				Some(0)
			);
			assert!(crate::DataAnchoring::anchor_of(shipped, Attester::Device([5; 32])).is_some());
			assert_eq!(crate::DataAnchoring::trace([9; 32], 0, 10).len(), 1);
			let indexed = crate::ChildChains::child_anchor(made);
			assert_eq!(indexed.len(), 1);
			assert_eq!(indexed[0].attester, by_maker);
		});
	}

	#[cfg(feature = "try-runtime")]
	#[test]
	fn this_releases_migrations_pass_their_own_checks() {
		new_test_ext().execute_with(|| {
			previous_release_state();
			<super::ReleaseMigrations as OnRuntimeUpgrade>::try_on_runtime_upgrade(true).unwrap();
		});
	}

	#[cfg(feature = "try-runtime")]
	#[test]
	fn device_metadata_v2_passes_its_own_checks() {
		use frame_support::traits::UncheckedOnRuntimeUpgrade;
		new_test_ext().execute_with(|| {
			register(1, b"model x");
			let snapshot = super::upgrade_test::PrefixDeviceMetadata::pre_upgrade().unwrap();
			super::upgrade_test::PrefixDeviceMetadata::on_runtime_upgrade();
			super::upgrade_test::PrefixDeviceMetadata::post_upgrade(snapshot).unwrap();
		});
	}
}
