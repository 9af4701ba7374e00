//! Tests of the runtime as a whole: version, token, presets and the balances rules users see.

use crate::{
	genesis_config_presets, AccountId, Balances, BalancesConfig, Runtime, RuntimeCall,
	RuntimeGenesisConfig, RuntimeOrigin, System, EXISTENTIAL_DEPOSIT, UNIT, VERSION,
};
use core::str::FromStr;
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use serde_json::Value;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, BuildStorage};

fn preset(name: &str) -> Value {
	let bytes = genesis_config_presets::get_preset(&PresetId::from(name)).expect("preset exists");
	serde_json::from_slice(&bytes).expect("preset is JSON")
}

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}

fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

/// Alice holds 1 000 VIOT; nobody else holds anything.
fn new_test_ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: vec![(alice(), 1_000 * UNIT)],
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

#[test]
fn version_names_viot() {
	assert_eq!(VERSION.spec_name, "viot");
	assert_eq!(VERSION.impl_name, "viot");
}

#[test]
fn token_has_twelve_decimals_and_a_deliberate_existential_deposit() {
	assert_eq!(UNIT, 1_000_000_000_000);
	assert_eq!(EXISTENTIAL_DEPOSIT, UNIT / 100);
	assert_eq!(
		<Runtime as pallet_balances::Config>::ExistentialDeposit::get(),
		EXISTENTIAL_DEPOSIT
	);
}

#[test]
fn presets_are_listed_and_unknown_names_are_refused() {
	let names = genesis_config_presets::preset_names();
	assert!(names.contains(&PresetId::from(DEV_RUNTIME_PRESET)));
	assert!(names.contains(&PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)));
	assert!(genesis_config_presets::get_preset(&PresetId::from("mainnet")).is_none());
}

/// `patch` merged into `base`, as the node merges a preset into the default genesis.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// The genesis state of preset `name`, built as the node builds it.
fn preset_ext(name: &str) -> sp_io::TestExternalities {
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, preset(name));
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).unwrap(),
		)
		.expect("the preset builds")
	});
	ext
}

fn account(who: Sr25519Keyring) -> AccountId {
	who.to_account_id()
}

/// Aura's and GRANDPA's authorities are `validators`' dev keys, in order.
fn assert_authorities(validators: &[Sr25519Keyring]) {
	use sp_keyring::Ed25519Keyring;
	let aura: Vec<AccountId> = pallet_aura::Authorities::<Runtime>::get()
		.into_iter()
		.map(|key| AccountId::from(key.into_inner()))
		.collect();
	assert_eq!(
		aura,
		validators.iter().map(|v| account(*v)).collect::<Vec<_>>()
	);
	let grandpa = crate::Grandpa::grandpa_authorities();
	let expected: Vec<_> = validators
		.iter()
		.map(|v| {
			let key = Ed25519Keyring::from_str(&v.to_string()).unwrap().public();
			(key.into(), 1)
		})
		.collect();
	assert_eq!(grandpa, expected);
	assert_eq!(
		crate::Session::validators(),
		validators.iter().map(|v| account(*v)).collect::<Vec<_>>()
	);
	assert_eq!(
		pallet_validator_set::Validators::<Runtime>::get().into_inner(),
		crate::Session::validators()
	);
}

fn council() -> Vec<AccountId> {
	pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get()
}

#[test]
fn development_preset_has_alice_as_only_validator_and_sudo() {
	use Sr25519Keyring::*;
	preset_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_authorities(&[Alice]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice()));
		let mut members = vec![
			account(Alice),
			account(Bob),
			account(Charlie),
			account(Dave),
		];
		members.sort();
		assert_eq!(council(), members, "the council keeps its members sorted");
		assert_eq!(pallet_validator_set::MinimumValidators::<Runtime>::get(), 1);
		assert_eq!(
			pallet_validator_set::Bonds::<Runtime>::get(alice())
				.unwrap()
				.amount,
			crate::configs::ValidatorBond::get()
		);
		assert!(Balances::balance(&bob()) > 0);
		crate::ValidatorSet::do_try_state().unwrap();
	});
}

#[test]
fn local_testnet_preset_has_four_equal_validators() {
	use Sr25519Keyring::*;
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_authorities(&[Alice, Bob, Charlie, Dave]);
		assert_eq!(pallet_validator_set::MinimumValidators::<Runtime>::get(), 3);
		assert_eq!(council().len(), 4);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice()));
	});
}

#[test]
fn staging_preset_has_no_sudo_key_and_hour_long_sessions_of_six_second_blocks() {
	use Sr25519Keyring::*;
	preset_ext(genesis_config_presets::STAGING_PRESET).execute_with(|| {
		assert_authorities(&[Alice, Bob, Charlie, Dave]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(council().len(), 4);
		assert_eq!(
			crate::Aura::slot_duration(),
			viot_primitives::time::SLOT_DURATION
		);
		assert_eq!(
			pallet_validator_set::SessionLength::<Runtime>::get(),
			genesis_config_presets::STAGING_SESSION_LENGTH
		);
		// A removed validator's bond stays slashable for six days and an hour of hour-long
		// sessions (two motions' durations and a session).
		assert_eq!(
			pallet_validator_set::UnbondingSessions::<Runtime>::get(),
			145
		);
	});
	preset_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_validator_set::UnbondingSessions::<Runtime>::get(), 0);
	});
}

#[test]
fn transfer_moves_funds_and_emits_an_event() {
	new_test_ext().execute_with(|| {
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(alice()),
			bob().into(),
			5 * UNIT
		));
		assert_eq!(Balances::balance(&bob()), 5 * UNIT);
		assert_eq!(Balances::balance(&alice()), 995 * UNIT);
		System::assert_has_event(
			pallet_balances::Event::Transfer {
				from: alice(),
				to: bob(),
				amount: 5 * UNIT,
			}
			.into(),
		);
	});
}

#[test]
fn transfer_below_existential_deposit_to_a_new_account_fails() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Balances::transfer_keep_alive(
				RuntimeOrigin::signed(alice()),
				bob().into(),
				EXISTENTIAL_DEPOSIT - 1
			),
			sp_runtime::TokenError::BelowMinimum
		);
	});
}

#[test]
fn utility_batch_dispatches_every_call() {
	new_test_ext().execute_with(|| {
		let transfer = |amount| {
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
				dest: bob().into(),
				value: amount,
			})
		};
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![transfer(UNIT), transfer(2 * UNIT)],
		});
		assert_ok!(batch.dispatch(RuntimeOrigin::signed(alice())));
		assert_eq!(Balances::balance(&bob()), 3 * UNIT);
	});
}

#[test]
fn metadata_v15_and_v16_are_served() {
	let versions = Runtime::metadata_versions();
	assert!(
		versions.contains(&15),
		"Polkadot.js needs v15 to see runtime APIs: {versions:?}"
	);
	// Constants are read when metadata is built, the slot duration from state.
	new_test_ext().execute_with(|| assert!(Runtime::metadata_at_version(15).is_some()));
}

#[test]
fn every_preset_but_staging_is_a_test_chain_with_one_second_slots() {
	use viot_primitives::time::DEV_SLOT_DURATION;
	for name in genesis_config_presets::preset_names() {
		if name == genesis_config_presets::STAGING_PRESET {
			continue;
		}
		let patch = preset(&String::from_utf8_lossy(name.as_ref()));
		assert_eq!(
			patch["childChains"]["slotDurationMs"], DEV_SLOT_DURATION,
			"{name:?}"
		);
	}
}

#[test]
fn the_slot_is_the_genesis_one_or_six_seconds() {
	use frame_support::traits::Get;
	use viot_primitives::time::{DEV_SLOT_DURATION, SLOT_DURATION};
	let slot_and_period = || {
		(
			crate::Aura::slot_duration(),
			<Runtime as pallet_timestamp::Config>::MinimumPeriod::get(),
		)
	};
	// A chain spec without `slotDurationMs` (production): 6-second slots.
	new_test_ext()
		.execute_with(|| assert_eq!(slot_and_period(), (SLOT_DURATION, SLOT_DURATION / 2)));
	// The dev preset: 1-second slots.
	let mut dev = RuntimeGenesisConfig::default();
	dev.child_chains.slot_duration_ms = Some(DEV_SLOT_DURATION);
	sp_io::TestExternalities::new(dev.build_storage().unwrap()).execute_with(|| {
		assert_eq!(
			slot_and_period(),
			(DEV_SLOT_DURATION, DEV_SLOT_DURATION / 2)
		);
	});
}

#[test]
fn device_identity_holds_a_deposit_priced_per_byte() {
	use crate::{
		configs::{DeviceDepositBase, DeviceDepositPerByte},
		Balance, DeviceIdentity,
	};
	use codec::Encode;
	use frame_support::traits::fungible::InspectHold;
	use viot_primitives::device::DevicePublicKey;

	new_test_ext().execute_with(|| {
		let key = DevicePublicKey::Sr25519(Sr25519Keyring::Ferdie.public().0);
		assert_ok!(DeviceIdentity::add_manufacturer(
			RuntimeOrigin::root(),
			alice(),
			b"Acme".to_vec().try_into().unwrap()
		));
		assert_ok!(DeviceIdentity::register_device(
			RuntimeOrigin::signed(alice()),
			[1; 32],
			key,
			bob(),
			b"model".to_vec().try_into().unwrap()
		));
		let record = pallet_device_identity::Devices::<Runtime>::get([1; 32]).unwrap();
		// The record, and the index entries it adds: the key's (key and id) and the owner's
		// (account and id).
		let bytes = record.encoded_size() + record.key.encoded_size() + 32 + 32 + 32;
		let expected = DeviceDepositBase::get() + DeviceDepositPerByte::get() * bytes as Balance;
		assert_eq!(record.deposit, expected);
		let reason = crate::RuntimeHoldReason::DeviceIdentity(
			pallet_device_identity::HoldReason::DeviceDeposit,
		);
		assert_eq!(Balances::balance_on_hold(&reason, &alice()), expected);
		assert!(
			expected < UNIT / 10,
			"a device costs less than 0.1 VIOT to register"
		);
	});
}

#[test]
fn data_anchoring_checks_device_signatures_through_device_identity() {
	use crate::{DataAnchoring, DeviceIdentity, RuntimeHoldReason};
	use frame_support::traits::fungible::InspectHold;
	use sp_core::H256;
	use viot_primitives::{
		anchor::{kind, AnchorSource},
		device::{DeviceAction, KeyKind, VerifyDevice},
		keys::DeviceKeyPair,
	};

	new_test_ext().execute_with(|| {
		let device = [3; 32];
		let key = DeviceKeyPair::from_seed(KeyKind::P256, &[9; 32]).unwrap();
		assert_ok!(DeviceIdentity::add_manufacturer(
			RuntimeOrigin::root(),
			alice(),
			b"Acme".to_vec().try_into().unwrap()
		));
		assert_ok!(DeviceIdentity::register_device(
			RuntimeOrigin::signed(alice()),
			device,
			key.public(),
			bob(),
			Default::default()
		));
		let digest = H256::repeat_byte(5);
		let action = DeviceAction::Anchor {
			digest,
			subject: Some([1; 32]),
			kind: kind::INSPECTED,
		};
		let payload = <DeviceIdentity as VerifyDevice>::payload(&device, action).unwrap();
		let signature = key.sign_payload(&payload);
		// A signature for another digest is refused with device identity's named error.
		assert_noop!(
			DataAnchoring::anchor_from_device(
				RuntimeOrigin::signed(alice()),
				device,
				H256::repeat_byte(6),
				Some([1; 32]),
				kind::INSPECTED,
				signature.clone()
			),
			pallet_device_identity::Error::<Runtime>::BadSignature
		);
		// Alice, as the gateway, submits the device's anchor and pays for it.
		assert_ok!(DataAnchoring::anchor_from_device(
			RuntimeOrigin::signed(alice()),
			device,
			digest,
			Some([1; 32]),
			kind::INSPECTED,
			signature
		));
		let anchor =
			DataAnchoring::anchor_of(digest, viot_primitives::anchor::Attester::Device(device))
				.unwrap();
		assert_eq!(anchor.source, AnchorSource::Device(device));
		assert_eq!(anchor.owner, alice());
		assert_eq!(DeviceIdentity::device_info(device).unwrap().nonce, 1);
		let reason =
			RuntimeHoldReason::DataAnchoring(pallet_data_anchoring::HoldReason::AnchorDeposit);
		// The anchor, and the trace counter its subject gets with its first anchor.
		let (payer, counter) =
			pallet_data_anchoring::TraceCounterDeposits::<Runtime>::get([1; 32]).unwrap();
		assert_eq!(payer, alice());
		assert_eq!(
			Balances::balance_on_hold(&reason, &alice()),
			anchor.deposit + counter
		);
		assert!(
			anchor.deposit < UNIT / 100,
			"an anchor costs less than 0.01 VIOT of deposit"
		);
		// A suspended device signs nothing.
		assert_ok!(DeviceIdentity::suspend_device(
			RuntimeOrigin::signed(bob()),
			device
		));
		assert!(!DeviceIdentity::is_active(&device));
	});
}

#[test]
fn child_chains_read_anchors_where_data_anchoring_stores_them() {
	use crate::{configs::DataAnchoringLayout, DataAnchoring};
	use pallet_child_chains::{ChildAnchorFacts, ChildAnchorLayout};
	use sp_core::H256;

	new_test_ext().execute_with(|| {
		let digest = H256::repeat_byte(0x42);
		assert_ok!(DataAnchoring::anchor(
			RuntimeOrigin::signed(alice()),
			digest,
			None,
			0,
			Default::default()
		));
		let attester = viot_primitives::anchor::Attester::Account(alice());
		let key = DataAnchoringLayout::storage_key(&digest, &attester);
		assert_eq!(
			key,
			viot_primitives::child::anchor_storage_key(&digest, &attester)
		);
		let raw = sp_io::storage::get(&key).expect("the anchor is stored under that key");
		let facts = DataAnchoringLayout::decode(&raw).expect("the record decodes");
		assert_eq!(
			facts,
			ChildAnchorFacts {
				owner: alice(),
				block: 1,
				timestamp: 0
			}
		);
		assert_eq!(
			DataAnchoringLayout::decode(&DataAnchoringLayout::encode(&facts)),
			Some(facts)
		);
		assert_eq!(DataAnchoringLayout::decode(&[1, 2, 3]), None);
	});
}

#[test]
fn child_presets_make_a_child_chain_with_its_own_token_and_validators() {
	let child = preset(genesis_config_presets::CHILD_DEV_PRESET);
	assert_eq!(child["childChains"]["role"], "child");
	assert_eq!(
		child["childChains"]["tokenSymbol"],
		genesis_config_presets::CHILD_TOKEN_SYMBOL
	);
	let parent = preset(DEV_RUNTIME_PRESET);
	assert_eq!(parent["childChains"]["role"], "parent");
	assert_eq!(parent["childChains"]["tokenSymbol"], "VIOT");
	preset_ext(genesis_config_presets::CHILD_LOCAL_PRESET).execute_with(|| {
		assert_authorities(&[Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]);
		assert_eq!(
			pallet_sudo::Key::<Runtime>::get(),
			Some(account(Sr25519Keyring::Eve))
		);
	});
}

#[test]
fn the_relayers_call_enum_encodes_exactly_as_the_runtimes_calls() {
	use codec::{Decode, Encode};
	use sp_runtime::traits::Header as _;
	use viot_primitives::child::{ChildChainsCall, ChildHeader, ChildJustification, ParentCall};
	let header = ChildHeader::new(
		7,
		sp_core::H256::repeat_byte(1),
		sp_core::H256::repeat_byte(2),
		sp_core::H256::repeat_byte(3),
		Default::default(),
	);
	let justification = ChildJustification::decode(
		&mut &(
			9u64,
			header.hash(),
			7u32,
			Vec::<u8>::new(),
			Vec::<ChildHeader>::new(),
		)
			.encode()[..],
	)
	.unwrap();
	let authorities = vec![(sp_core::ed25519::Public::from_raw([5; 32]).into(), 1)];
	let ours = RuntimeCall::ChildChains(pallet_child_chains::Call::register_child_chain {
		name: b"acme".to_vec(),
		token_symbol: b"ACME".to_vec(),
		genesis_hash: sp_core::H256::repeat_byte(4),
		initial_header: Box::new(header.clone()),
		authorities: authorities.clone(),
		set_id: 3,
	});
	let relayers = ParentCall::ChildChains(ChildChainsCall::RegisterChildChain {
		name: b"acme".to_vec(),
		token_symbol: b"ACME".to_vec(),
		genesis_hash: sp_core::H256::repeat_byte(4),
		initial_header: Box::new(header.clone()),
		authorities,
		set_id: 3,
	});
	assert_eq!(ours.encode(), relayers.encode());
	let ours = RuntimeCall::ChildChains(pallet_child_chains::Call::submit_finality_proof {
		chain_id: 2,
		header: Box::new(header.clone()),
		justification: justification.clone(),
	});
	let relayers = ParentCall::ChildChains(ChildChainsCall::SubmitFinalityProof {
		chain_id: 2,
		header: Box::new(header),
		justification,
	});
	assert_eq!(ours.encode(), relayers.encode());
}

#[test]
fn the_gateways_call_enum_encodes_exactly_as_the_runtimes_calls() {
	use codec::Encode;
	use viot_primitives::anchor::{AnchoringRuntimeCall, DataAnchoringCall};
	for subject in [None, Some([6u8; 32])] {
		let ours = RuntimeCall::DataAnchoring(pallet_data_anchoring::Call::anchor_batch {
			root: sp_core::H256::repeat_byte(1),
			leaf_count: 300,
			subject,
			kind: 10,
			metadata: b"viot-gateway batch 7".to_vec().try_into().unwrap(),
		});
		let gateways = AnchoringRuntimeCall::DataAnchoring(DataAnchoringCall::AnchorBatch {
			root: sp_core::H256::repeat_byte(1),
			leaf_count: 300,
			subject,
			kind: 10,
			metadata: b"viot-gateway batch 7".to_vec(),
		});
		assert_eq!(ours.encode(), gateways.encode());
	}
}

#[test]
fn a_byte_costs_a_millionth_of_a_viot_and_proof_bounds_are_the_relayers() {
	use pallet_transaction_payment::Pallet as Payment;
	use viot_primitives::child::limits;
	new_test_ext().execute_with(|| {
		let fee = |len: u32| {
			Payment::<Runtime>::compute_fee(
				len,
				&frame_support::dispatch::DispatchInfo::default(),
				0,
			)
		};
		assert_eq!(
			fee(1_001) - fee(1),
			1_000 * viot_primitives::currency::MICRO_UNIT
		);
		// A 3.7 MB call pays 3.7 VIOT for its bytes alone.
		assert!(fee(3_700_000) >= 37 * UNIT / 10);
	});
	type Config = <Runtime as pallet_child_chains::Config>::MaxHeaderSize;
	assert_eq!(
		<Config as frame_support::traits::Get<u32>>::get(),
		limits::MAX_HEADER_SIZE
	);
}

/// What a user pays for `call` submitted as a signed extrinsic: every transaction extension's
/// weight and the extrinsic's real length included, as `TransactionPaymentApi::query_info`
/// reports it (`partialFee`, without tip).
fn partial_fee(call: RuntimeCall) -> crate::Balance {
	use codec::Encode;
	let extension: crate::TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::mortal(256, 1)),
		frame_system::CheckNonce::from(0),
		frame_system::CheckWeight::new(),
		pallet_child_chains::CheckChildFinalityProof::new(),
		pallet_message_lanes::CheckMessageDelivery::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	);
	let extrinsic = crate::UncheckedExtrinsic::new_signed(
		call,
		sp_runtime::MultiAddress::Id(Sr25519Keyring::Alice.to_account_id()),
		sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw([0; 64])),
		extension,
	);
	let length = extrinsic.encoded_size() as u32;
	crate::TransactionPayment::query_info(extrinsic, length).partial_fee
}

/// A device of a provisioning batch is used at once: its claim (membership proof) and its first
/// signature in one `utility.batchAll`, for a batch of a million devices (20 siblings). The batch
/// is weighed as both calls (a first use is never underpriced). What the first use costs next to
/// an ordinary `authenticate` (docs/BENCHMARKS.md) is bounded here two ways: the calls' weights
/// alone, and what the submitter pays for each as a signed extrinsic (every transaction
/// extension and the bytes of the proof included). The claim stores the device's record and its
/// two index entries and holds their deposit (five writes), so a first use costs most next to
/// the cheapest signatures: sr25519 and secp256k1, and Ed25519, whose key check costs the most.
#[test]
fn the_first_use_of_a_batch_device_is_weighed_as_its_claim_and_its_signature() {
	use codec::Encode;
	use frame_support::dispatch::GetDispatchInfo;
	use viot_primitives::{
		device::{DeviceAction, DevicePayload, KeyKind},
		keys::DeviceKeyPair,
	};
	new_test_ext().execute_with(|| {
		let base = <Runtime as frame_system::Config>::BlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.base_extrinsic;
		let weight = |call: &RuntimeCall| call.get_dispatch_info().call_weight.ref_time();
		for (kind, weight_bound, fee_bound) in [
			(KeyKind::Sr25519, 2.6, 2.8),
			(KeyKind::Ed25519, 2.9, 2.85),
			(KeyKind::Ecdsa, 2.6, 2.8),
			(KeyKind::P256, 1.7, 2.2),
		] {
			let pair = DeviceKeyPair::from_seed(kind, &[9; 32]).unwrap();
			let device = [3u8; 32];
			let payload =
				DevicePayload::new(Default::default(), device, 0, DeviceAction::Authenticate);
			let authenticate =
				RuntimeCall::DeviceIdentity(pallet_device_identity::Call::authenticate {
					device,
					signature: pair.sign(&payload.to_bytes()),
				});
			let claim = RuntimeCall::DeviceIdentity(pallet_device_identity::Call::claim_device {
				batch: 0,
				device,
				key: pair.public(),
				metadata: b"lot 7, item 123456".to_vec().try_into().unwrap(),
				leaf_index: 123_456,
				proof: vec![sp_core::H256::repeat_byte(1); 20].try_into().unwrap(),
			});
			let first_use = RuntimeCall::Utility(pallet_utility::Call::batch_all {
				calls: vec![claim.clone(), authenticate.clone()],
			});
			assert!(weight(&first_use) >= weight(&claim) + weight(&authenticate));
			let ratio = (base.ref_time() + weight(&first_use)) as f64
				/ (base.ref_time() + weight(&authenticate)) as f64;
			let (first_fee, fee) = (partial_fee(first_use.clone()), partial_fee(authenticate));
			let fees = first_fee as f64 / fee as f64;
			println!(
				"{kind:?}: first use / authenticate: weight {ratio:.2}, fee {fees:.2} \
				 ({first_fee} / {fee}, {} bytes)",
				first_use.encoded_size()
			);
			assert!(ratio <= weight_bound, "{kind:?}: weight {ratio:.2}");
			assert!(fees <= fee_bound, "{kind:?}: fee {fees:.2}");
		}
	});
}

/// Devices are packed in cartons of adjacent leaves of their batch, and a gateway claims a
/// carton with one `claim_devices` (one range proof, one hold); each device's first use is then
/// an ordinary `authenticate`. Its cost is that `authenticate` and its share of the claim: for
/// a batch of a million devices and cartons at multiples of their size, what the submitter pays
/// (docs/BENCHMARKS.md) is bounded here next to an `authenticate` of the same key type. From 16
/// devices a carton, sr25519, secp256k1 and P-256 devices stay within 1.5 authenticates; Ed25519
/// devices from 64, their key's validity check (84 µs: a torsion check by scalar multiplication
/// in WASM) costing the most.
#[test]
fn the_first_use_of_a_device_claimed_with_its_carton_is_its_share_of_the_claim_and_an_authenticate()
{
	use codec::Encode;
	use pallet_device_identity::BatchDevice;
	use viot_primitives::{
		anchor::{merkle_range_root, MAX_RANGE_PROOF},
		device::{BatchLeaf, DeviceAction, DevicePayload, KeyKind, MAX_DEVICES_PER_CLAIM},
		keys::DeviceKeyPair,
	};
	new_test_ext().execute_with(|| {
		let siblings = vec![sp_core::H256::repeat_byte(1); MAX_RANGE_PROOF as usize];
		for (kind, bounds) in [
			(KeyKind::Sr25519, [1.47, 1.39, 1.37]),
			(KeyKind::Ed25519, [1.59, 1.51, 1.49]),
			(KeyKind::Ecdsa, [1.48, 1.40, 1.38]),
			(KeyKind::P256, [1.33, 1.28, 1.27]),
		] {
			let pairs: Vec<DeviceKeyPair> = (0..MAX_DEVICES_PER_CLAIM)
				.map(|i| {
					let mut seed = [9u8; 32];
					seed[..4].copy_from_slice(&i.to_le_bytes());
					DeviceKeyPair::from_seed(kind, &seed).unwrap()
				})
				.collect();
			let id = |i: u32| sp_io::hashing::blake2_256(&i.to_le_bytes());
			let payload =
				DevicePayload::new(Default::default(), id(0), 0, DeviceAction::Authenticate);
			let authenticate = partial_fee(RuntimeCall::DeviceIdentity(
				pallet_device_identity::Call::authenticate {
					device: id(0),
					signature: pairs[0].sign(&payload.to_bytes()),
				},
			));
			for (carton, bound) in [16u32, 64, MAX_DEVICES_PER_CLAIM].into_iter().zip(bounds) {
				let devices: Vec<BatchDevice<Runtime>> = (0..carton)
					.map(|i| BatchDevice {
						device: id(i),
						key: pairs[i as usize].public(),
						metadata: format!("lot 7, item {:06}", 123_456 + i)
							.into_bytes()
							.try_into()
							.unwrap(),
					})
					.collect();
				let leaves: Vec<_> = devices
					.iter()
					.map(|d| BatchLeaf::new(d.device, d.key.clone(), &d.metadata).hash())
					.collect();
				let first = 1_000 * carton;
				let (_, used) = merkle_range_root(1_000_000, first, &leaves, &siblings).unwrap();
				let claim =
					RuntimeCall::DeviceIdentity(pallet_device_identity::Call::claim_devices {
						batch: 0,
						first,
						devices: devices.try_into().unwrap(),
						proof: siblings[..used].to_vec().try_into().unwrap(),
					});
				let length = claim.encoded_size();
				let claim = partial_fee(claim);
				let first_use =
					(claim as f64 / carton as f64 + authenticate as f64) / authenticate as f64;
				println!(
					"{kind:?}, carton of {carton}: first use / authenticate {first_use:.2} \
					 (claim {claim} for {length} bytes, {used} siblings; authenticate \
					 {authenticate})"
				);
				assert!(first_use <= bound, "{kind:?}, {carton}: {first_use:.2}");
			}
		}
	});
}

/// Governance: council motions, the validator set through sessions, fees, the migration.
mod governance {
	use super::*;
	use crate::{
		configs::{FeesToAuthor, ValidatorBond},
		Council, CouncilMembership, Session, SessionKeys, ValidatorSet,
	};
	use codec::Encode;
	use frame_support::{
		dispatch::GetDispatchInfo,
		traits::{
			fungible::{Balanced, InspectHold, Mutate},
			GetStorageVersion, Hooks, OnUnbalanced, StorageVersion,
		},
	};
	use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
	use sp_core::crypto::UncheckedFrom;
	use sp_runtime::{
		traits::{BlakeTwo256, Hash as _},
		Digest, DigestItem, DispatchError, DispatchResult,
	};
	use Sr25519Keyring::*;

	type Instance = pallet_collective::Instance1;

	/// The result of executing `call` by a council motion `ayes` voted for (the first proposes
	/// and closes, the threshold is their number), or the error that stopped the motion.
	fn motion(call: RuntimeCall, ayes: &[Sr25519Keyring]) -> DispatchResult {
		let length = call.encoded_size() as u32;
		let weight = call.get_dispatch_info().call_weight;
		let hash = BlakeTwo256::hash_of(&call);
		let proposer = RuntimeOrigin::signed(account(ayes[0]));
		Council::propose(proposer.clone(), ayes.len() as u32, Box::new(call), length)
			.map_err(|e| e.error)?;
		let index = pallet_collective::ProposalCount::<Runtime, Instance>::get() - 1;
		for voter in ayes {
			Council::vote(RuntimeOrigin::signed(account(*voter)), hash, index, true)
				.map_err(|e| e.error)?;
		}
		Council::close(proposer, hash, index, weight, length).map_err(|e| e.error)?;
		System::events()
			.into_iter()
			.rev()
			.find_map(|record| match record.event {
				crate::RuntimeEvent::Council(pallet_collective::Event::Executed {
					proposal_hash,
					result,
				}) if proposal_hash == hash => Some(result),
				_ => None,
			})
			.expect("the closed motion executed")
	}

	fn add_manufacturer(who: Sr25519Keyring) -> RuntimeCall {
		RuntimeCall::DeviceIdentity(pallet_device_identity::Call::add_manufacturer {
			manufacturer: account(who),
			name: b"Acme".to_vec().try_into().unwrap(),
		})
	}

	fn local() -> sp_io::TestExternalities {
		let mut ext = preset_ext(LOCAL_TESTNET_RUNTIME_PRESET);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	#[test]
	fn three_of_four_council_members_admit_a_manufacturer() {
		local().execute_with(|| {
			assert_ok!(motion(add_manufacturer(Eve), &[Alice, Bob, Charlie]));
			assert!(crate::DeviceIdentity::manufacturer_info(account(Eve)).is_some());
		});
	}

	#[test]
	fn two_of_four_council_members_cannot_act_for_governance() {
		local().execute_with(|| {
			assert_eq!(
				motion(add_manufacturer(Eve), &[Alice, Bob]),
				Err(DispatchError::BadOrigin)
			);
			assert!(crate::DeviceIdentity::manufacturer_info(account(Eve)).is_none());
		});
	}

	#[test]
	fn only_council_members_propose_and_vote() {
		local().execute_with(|| {
			assert_eq!(
				motion(add_manufacturer(Eve), &[Eve, Ferdie, Alice]),
				Err(pallet_collective::Error::<Runtime, Instance>::NotMember.into())
			);
			assert_eq!(
				motion(add_manufacturer(Eve), &[Alice, Ferdie, Bob]),
				Err(pallet_collective::Error::<Runtime, Instance>::NotMember.into())
			);
		});
	}

	#[test]
	fn a_council_motion_authorizes_a_runtime_upgrade_and_system_alone_refuses_it() {
		local().execute_with(|| {
			let code_hash = sp_core::H256::repeat_byte(7);
			// frame_system's own call takes only root.
			assert_eq!(
				motion(
					RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash }),
					&[Alice, Bob, Charlie]
				),
				Err(DispatchError::BadOrigin)
			);
			assert!(System::authorized_upgrade().is_none());
			assert_ok!(motion(
				RuntimeCall::Upgrades(pallet_upgrades::Call::authorize_upgrade { code_hash }),
				&[Alice, Bob, Charlie]
			));
			System::assert_has_event(
				frame_system::Event::UpgradeAuthorized {
					code_hash,
					check_version: true,
				}
				.into(),
			);
		});
	}

	#[test]
	fn the_council_changes_its_own_members_by_motion() {
		local().execute_with(|| {
			let add = RuntimeCall::CouncilMembership(pallet_membership::Call::add_member {
				who: account(Eve).into(),
			});
			assert_ok!(motion(add, &[Alice, Bob, Charlie]));
			assert!(council().contains(&account(Eve)));
			// A member alone cannot.
			assert_noop!(
				crate::CouncilMembership::remove_member(
					RuntimeOrigin::signed(account(Alice)),
					account(Bob).into()
				),
				DispatchError::BadOrigin
			);
		});
	}

	/// Session keys for `who` made from its name (not real keys: the runtime never signs here).
	fn keys_of(who: Sr25519Keyring) -> SessionKeys {
		let raw = sp_io::hashing::blake2_256(&account(who).encode());
		SessionKeys {
			aura: sp_core::sr25519::Public::unchecked_from(raw).into(),
			grandpa: sp_core::ed25519::Public::unchecked_from(raw).into(),
		}
	}

	/// What `session.setKeys` stores (the proof is checked by the session pallet's own tests).
	fn set_keys(who: Sr25519Keyring) {
		use sp_runtime::traits::OpaqueKeys;
		let keys = keys_of(who);
		for id in SessionKeys::key_ids() {
			pallet_session::KeyOwner::<Runtime>::insert(
				(*id, keys.get_raw(*id).to_vec()),
				account(who),
			);
		}
		pallet_session::NextKeys::<Runtime>::insert(account(who), keys);
	}

	/// Runs sessions until `session` has started.
	fn rotate_to(session: u32) {
		while Session::current_index() < session {
			Session::rotate_session();
		}
	}

	fn aura_authorities() -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
		pallet_aura::Authorities::<Runtime>::get().into_inner()
	}

	#[test]
	fn an_admitted_validator_authors_from_the_session_after_next_and_a_removed_one_stops() {
		local().execute_with(|| {
			set_keys(Eve);
			assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
				account(Eve)
			)));
			assert_eq!(
				Balances::balance_on_hold(
					&pallet_validator_set::HoldReason::ValidatorBond.into(),
					&account(Eve)
				),
				ValidatorBond::get()
			);
			assert_ok!(motion(
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::admit_validator {
					who: account(Eve)
				}),
				&[Alice, Bob, Charlie]
			));
			rotate_to(1);
			assert!(
				!aura_authorities().contains(&keys_of(Eve).aura),
				"queued, not active"
			);
			rotate_to(2);
			assert!(aura_authorities().contains(&keys_of(Eve).aura));
			assert!(Session::validators().contains(&account(Eve)));
			let change = pallet_grandpa::PendingChange::<Runtime>::get().expect("a GRANDPA change");
			assert!(change
				.next_authorities
				.iter()
				.any(|(key, _)| *key == keys_of(Eve).grandpa));
			assert_eq!(change.next_authorities.len(), 5);

			assert_ok!(motion(
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
					who: account(Dave)
				}),
				&[Alice, Bob, Charlie]
			));
			let dave_aura: sp_consensus_aura::sr25519::AuthorityId = Dave.public().into();
			rotate_to(4);
			assert!(!aura_authorities().contains(&dave_aura));
			assert_eq!(aura_authorities().len(), 4);
			// Dave's bond is released once he cannot validate any more.
			assert_ok!(ValidatorSet::withdraw_candidacy(RuntimeOrigin::signed(
				account(Dave)
			)));
			ValidatorSet::do_try_state().unwrap();
		});
	}

	#[test]
	fn the_set_never_drops_below_its_minimum_even_by_motion() {
		local().execute_with(|| {
			let remove = |who: Sr25519Keyring| {
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
					who: account(who),
				})
			};
			assert_ok!(motion(remove(Dave), &[Alice, Bob, Charlie]));
			assert_eq!(
				motion(remove(Charlie), &[Alice, Bob, Charlie]),
				Err(pallet_validator_set::Error::<Runtime>::TooFewValidators.into())
			);
		});
	}

	/// Starts block 2 authored in `slot` (Aura's pre-runtime digest) and runs its
	/// `on_initialize`s, as block import does.
	fn start_block_in_slot(slot: u64) {
		let digest = Digest {
			logs: vec![DigestItem::PreRuntime(
				AURA_ENGINE_ID,
				Slot::from(slot).encode(),
			)],
		};
		System::reset_events();
		System::initialize(&2, &Default::default(), &digest);
		crate::Authorship::on_initialize(2);
	}

	#[test]
	fn fees_and_tips_go_to_the_block_author() {
		local().execute_with(|| {
			// Four validators: slot 6 is Charlie's (6 % 4 = 2).
			start_block_in_slot(6);
			assert_eq!(crate::Authorship::author(), Some(account(Charlie)));
			let before = Balances::balance(&account(Charlie));
			let issuance = Balances::total_issuance();
			let fee = <Balances as Balanced<AccountId>>::issue(3 * UNIT);
			let tip = <Balances as Balanced<AccountId>>::issue(UNIT);
			FeesToAuthor::on_unbalanceds([fee, tip].into_iter());
			assert_eq!(Balances::balance(&account(Charlie)), before + 4 * UNIT);
			assert_eq!(
				Balances::total_issuance(),
				issuance + 4 * UNIT,
				"nothing burned"
			);
		});
	}

	#[test]
	fn fees_are_burned_when_no_author_is_known() {
		local().execute_with(|| {
			let issuance = Balances::total_issuance();
			let fee = <Balances as Balanced<AccountId>>::issue(3 * UNIT);
			FeesToAuthor::on_unbalanced(fee);
			assert_eq!(Balances::total_issuance(), issuance);
		});
	}

	/// A chain of the previous release: Aura and GRANDPA authorities in their own storage, no
	/// session pallet, the validator set at storage version 0.
	fn previous_release_chain(validators: &[Sr25519Keyring]) -> sp_io::TestExternalities {
		use sp_keyring::Ed25519Keyring;
		let mut ext = new_test_ext();
		ext.execute_with(|| {
			for who in validators {
				Balances::set_balance(&account(*who), 100_000 * UNIT);
			}
			let aura: Vec<sp_consensus_aura::sr25519::AuthorityId> =
				validators.iter().map(|v| v.public().into()).collect();
			pallet_aura::Authorities::<Runtime>::put(
				frame_support::BoundedVec::try_from(aura).unwrap(),
			);
			let grandpa: Vec<(sp_consensus_grandpa::AuthorityId, u64)> = validators
				.iter()
				.map(|v| {
					(
						Ed25519Keyring::from_str(&v.to_string())
							.unwrap()
							.public()
							.into(),
						1,
					)
				})
				.collect();
			pallet_grandpa::Authorities::<Runtime>::put(frame_support::WeakBoundedVec::force_from(
				grandpa, None,
			));
			forget_new_pallets();
		});
		ext
	}

	/// Removes every storage item (storage versions included) of the pallets this release adds,
	/// as on a chain of the previous release.
	fn forget_new_pallets() {
		for pallet in [
			"ValidatorSet",
			"Authorship",
			"Session",
			"Council",
			"CouncilMembership",
			"Upgrades",
		] {
			let _ =
				sp_io::storage::clear_prefix(&sp_io::hashing::twox_128(pallet.as_bytes()), None);
		}
	}

	#[test]
	fn the_upgrade_makes_the_authorities_session_validators_and_keeps_them() {
		previous_release_chain(&[Alice, Bob, Charlie, Dave]).execute_with(|| {
			let aura_before = aura_authorities();
			let grandpa_before = crate::Grandpa::grandpa_authorities();
			crate::Executive::execute_on_runtime_upgrade();

			assert_eq!(
				ValidatorSet::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			assert_eq!(
				CouncilMembership::on_chain_storage_version(),
				CouncilMembership::in_code_storage_version()
			);
			assert_eq!(
				Session::on_chain_storage_version(),
				Session::in_code_storage_version()
			);
			assert_eq!(
				Council::on_chain_storage_version(),
				Council::in_code_storage_version()
			);
			let accounts: Vec<AccountId> = [Alice, Bob, Charlie, Dave]
				.iter()
				.map(|v| account(*v))
				.collect();
			assert_eq!(Session::validators(), accounts);
			assert_eq!(
				pallet_validator_set::Validators::<Runtime>::get().into_inner(),
				accounts
			);
			assert_eq!(pallet_validator_set::MinimumValidators::<Runtime>::get(), 3);
			// One hour of 6-second slots; bonds held for six days and an hour after a removal.
			assert_eq!(pallet_validator_set::SessionLength::<Runtime>::get(), 600);
			assert_eq!(
				pallet_validator_set::UnbondingSessions::<Runtime>::get(),
				145
			);
			for (i, who) in accounts.iter().enumerate() {
				let keys = pallet_session::NextKeys::<Runtime>::get(who).unwrap();
				assert_eq!(keys.aura, aura_before[i]);
				assert_eq!(keys.grandpa, grandpa_before[i].0);
				assert_eq!(
					Session::key_owner(sp_core::crypto::key_types::AURA, keys.aura.as_ref()),
					Some(who.clone())
				);
				assert_eq!(
					pallet_validator_set::Bonds::<Runtime>::get(who)
						.unwrap()
						.amount,
					ValidatorBond::get()
				);
			}
			ValidatorSet::do_try_state().unwrap();

			// Sessions go on with the same authorities: no Aura change, no GRANDPA change.
			rotate_to(3);
			assert_eq!(aura_authorities(), aura_before);
			assert_eq!(crate::Grandpa::grandpa_authorities(), grandpa_before);
			assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());

			// A second run changes nothing.
			let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
			crate::Executive::execute_on_runtime_upgrade();
			assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		});
	}

	#[test]
	fn after_the_upgrade_root_seats_a_council_that_admits_validators() {
		previous_release_chain(&[Alice]).execute_with(|| {
			crate::Executive::execute_on_runtime_upgrade();
			assert!(council().is_empty(), "the council starts empty");
			assert_ok!(crate::CouncilMembership::reset_members(
				RuntimeOrigin::root(),
				vec![account(Alice), account(Bob), account(Charlie)]
			));
			set_keys(Eve);
			Balances::set_balance(&account(Eve), 100_000 * UNIT);
			assert_ok!(ValidatorSet::announce_candidacy(RuntimeOrigin::signed(
				account(Eve)
			)));
			assert_ok!(motion(
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::admit_validator {
					who: account(Eve)
				}),
				&[Alice, Bob]
			));
			rotate_to(2);
			assert_eq!(aura_authorities().len(), 2);
		});
	}

	#[test]
	fn an_unfunded_authority_is_migrated_without_a_bond() {
		use sp_keyring::Ed25519Keyring;
		let mut ext = new_test_ext();
		ext.execute_with(|| {
			pallet_aura::Authorities::<Runtime>::put(
				frame_support::BoundedVec::try_from(vec![Ferdie.public().into()]).unwrap(),
			);
			pallet_grandpa::Authorities::<Runtime>::put(frame_support::WeakBoundedVec::force_from(
				vec![(Ed25519Keyring::Ferdie.public().into(), 1)],
				None,
			));
			forget_new_pallets();
			crate::Executive::execute_on_runtime_upgrade();
			assert_eq!(Session::validators(), vec![account(Ferdie)]);
			assert_eq!(
				pallet_validator_set::Bonds::<Runtime>::get(account(Ferdie))
					.unwrap()
					.amount,
				0
			);
			ValidatorSet::do_try_state().unwrap();
		});
	}

	#[test]
	fn a_chain_of_release_110_gets_unbonding_sessions_for_its_session_length() {
		local().execute_with(|| {
			// As release 110 left it: version 1, no unbonding sessions; one-hour sessions.
			StorageVersion::new(1).put::<ValidatorSet>();
			pallet_validator_set::UnbondingSessions::<Runtime>::kill();
			pallet_validator_set::SessionLength::<Runtime>::put(600);
			crate::Executive::execute_on_runtime_upgrade();
			assert_eq!(
				pallet_validator_set::UnbondingSessions::<Runtime>::get(),
				145
			);
			assert_eq!(
				ValidatorSet::on_chain_storage_version(),
				StorageVersion::new(2)
			);
			// Once only.
			pallet_validator_set::UnbondingSessions::<Runtime>::put(1);
			crate::Executive::execute_on_runtime_upgrade();
			assert_eq!(pallet_validator_set::UnbondingSessions::<Runtime>::get(), 1);
		});
	}

	/// What `session.setKeys` does for `who`, deposit and consumer reference included.
	fn set_keys_with_deposit(who: Sr25519Keyring) {
		set_keys(who);
		assert_ok!(frame_system::Pallet::<Runtime>::inc_consumers(&account(
			who
		)));
		assert_ok!(<Balances as frame_support::traits::fungible::MutateHold<
			AccountId,
		>>::hold(
			&crate::RuntimeHoldReason::Session(pallet_session::HoldReason::Keys),
			&account(who),
			crate::configs::SessionKeyDeposit::get()
		));
	}

	#[test]
	fn no_validator_leaves_the_set_by_purging_its_keys() {
		local().execute_with(|| {
			use frame_support::traits::UnfilteredDispatchable;
			use sp_runtime::traits::Dispatchable;
			let purge = || RuntimeCall::Session(pallet_session::Call::purge_keys {});
			// The session pallet's own call is refused to everyone, also inside a batch.
			assert_eq!(
				purge()
					.dispatch(RuntimeOrigin::signed(account(Dave)))
					.map_err(|e| e.error),
				Err(frame_system::Error::<Runtime>::CallFiltered.into())
			);
			assert_ok!(RuntimeCall::Utility(pallet_utility::Call::batch {
				calls: vec![purge()]
			})
			.dispatch(RuntimeOrigin::signed(account(Dave))));
			assert!(System::events().iter().any(|record| matches!(
				record.event,
				crate::RuntimeEvent::Utility(pallet_utility::Event::BatchInterrupted { error, .. })
					if error == frame_system::Error::<Runtime>::CallFiltered.into()
			)));
			// The validator set's call refuses a validator, and one still in the session's set.
			assert_eq!(
				ValidatorSet::purge_keys(RuntimeOrigin::signed(account(Dave))),
				Err(pallet_validator_set::Error::<Runtime>::StillAValidator.into())
			);
			assert_ok!(motion(
				RuntimeCall::ValidatorSet(pallet_validator_set::Call::remove_validator {
					who: account(Dave)
				}),
				&[Alice, Bob, Charlie]
			));
			rotate_to(1);
			assert_eq!(
				ValidatorSet::purge_keys(RuntimeOrigin::signed(account(Dave))),
				Err(pallet_validator_set::Error::<Runtime>::StillActive.into())
			);
			rotate_to(2);
			assert!(!Session::validators().contains(&account(Dave)));
			assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(account(
				Dave
			))));
			assert_eq!(
				pallet_session::NextKeys::<Runtime>::get(account(Dave)),
				None
			);
			// Dave left by governance's removal, not by dropping his keys.
			assert_eq!(aura_authorities().len(), 3);
			// It is the filter that stops the session pallet's call (sudo, trusted, bypasses it).
			assert_ok!(purge().dispatch_bypass_filter(RuntimeOrigin::signed(account(Alice))));
			assert_eq!(
				pallet_session::NextKeys::<Runtime>::get(account(Alice)),
				None
			);
		});
	}

	#[test]
	fn a_candidate_purges_its_keys_and_gets_the_deposit_back() {
		local().execute_with(|| {
			set_keys_with_deposit(Eve);
			let free = Balances::balance(&account(Eve));
			assert_eq!(
				System::consumers(&account(Eve)),
				2,
				"the keys and their deposit"
			);
			assert_ok!(ValidatorSet::purge_keys(RuntimeOrigin::signed(account(
				Eve
			))));
			assert_eq!(pallet_session::NextKeys::<Runtime>::get(account(Eve)), None);
			assert_eq!(
				Session::key_owner(sp_core::crypto::key_types::AURA, keys_of(Eve).aura.as_ref()),
				None
			);
			assert_eq!(
				Balances::balance(&account(Eve)),
				free + crate::configs::SessionKeyDeposit::get()
			);
			assert_eq!(System::consumers(&account(Eve)), 0);
		});
	}

	#[test]
	fn a_council_member_cannot_fill_the_proposal_slots_or_make_others_pay_more() {
		use crate::configs::proposal_deposit::{HOLD_REASON, PROPOSAL_DEPOSIT};
		local().execute_with(|| {
			let held = |who| Balances::balance_on_hold(&HOLD_REASON, &account(who));
			let remark =
				|n: u8| RuntimeCall::System(frame_system::Call::remark { remark: vec![n] });
			let propose = |who, n: u8| {
				let call = remark(n);
				let length = call.encoded_size() as u32;
				Council::propose(
					RuntimeOrigin::signed(account(who)),
					3,
					Box::new(call),
					length,
				)
				.map_err(|e| e.error)
			};
			// Every proposal holds 100 VIOT; a member holds at most three.
			for n in 0..3 {
				assert_ok!(propose(Bob, n));
			}
			assert_eq!(held(Bob), 3 * PROPOSAL_DEPOSIT);
			assert_eq!(
				propose(Bob, 3),
				Err(pallet_collective::Error::<Runtime, Instance>::TooManyProposals.into())
			);
			// Bob's proposals do not change what Alice pays.
			assert_ok!(propose(Alice, 10));
			assert_eq!(held(Alice), PROPOSAL_DEPOSIT);
			// Governance kills a spam proposal: its deposit is burned.
			let issuance = Balances::total_issuance();
			assert_ok!(Council::kill(
				RuntimeOrigin::root(),
				BlakeTwo256::hash_of(&remark(0))
			));
			assert_eq!(Balances::total_issuance(), issuance - PROPOSAL_DEPOSIT);
			assert_eq!(held(Bob), 2 * PROPOSAL_DEPOSIT);
			// A closed proposal's deposit comes back to its proposer, by anyone's call, and makes
			// room for another.
			let closed = BlakeTwo256::hash_of(&remark(1));
			assert_eq!(
				Council::release_proposal_cost(RuntimeOrigin::signed(account(Eve)), closed),
				Err(pallet_collective::Error::<Runtime, Instance>::ProposalActive.into())
			);
			assert_ok!(Council::disapprove_proposal(RuntimeOrigin::root(), closed));
			assert_ok!(Council::release_proposal_cost(
				RuntimeOrigin::signed(account(Eve)),
				closed
			));
			assert_eq!(held(Bob), PROPOSAL_DEPOSIT);
			assert_ok!(propose(Bob, 3));
			assert_ok!(propose(Bob, 4));
			// No new deposit is recorded over one that was not released yet: the proposal
			// again, closed and unreleased, is refused until its deposit is back.
			let again = BlakeTwo256::hash_of(&remark(10));
			assert_ok!(Council::disapprove_proposal(RuntimeOrigin::root(), again));
			let propose_again = RuntimeCall::Council(pallet_collective::Call::propose {
				threshold: 3,
				proposal: Box::new(remark(10)),
				length_bound: remark(10).encoded_size() as u32,
			});
			use sp_runtime::traits::Dispatchable;
			assert_eq!(
				propose_again
					.clone()
					.dispatch(RuntimeOrigin::signed(account(Dave)))
					.map_err(|e| e.error),
				Err(frame_system::Error::<Runtime>::CallFiltered.into())
			);
			assert_eq!(held(Alice), PROPOSAL_DEPOSIT);
			assert_ok!(Council::release_proposal_cost(
				RuntimeOrigin::signed(account(Dave)),
				again
			));
			assert_eq!(held(Alice), 0);
			assert_ok!(propose_again.dispatch(RuntimeOrigin::signed(account(Dave))));
			assert_eq!(held(Dave), PROPOSAL_DEPOSIT);
			// A member who cannot pay cannot propose.
			Balances::set_balance(&account(Charlie), 50 * UNIT);
			assert_eq!(
				propose(Charlie, 20),
				Err(sp_runtime::TokenError::FundsUnavailable.into())
			);
		});
	}

	#[test]
	fn a_council_of_the_largest_size_cannot_fill_the_proposal_slots() {
		use crate::configs::proposal_deposit::MAX_PROPOSALS_PER_MEMBER;
		assert!(
			MAX_PROPOSALS_PER_MEMBER * crate::configs::CouncilMaxMembers::get()
				< crate::configs::CouncilMaxProposals::get()
		);
	}

	#[cfg(feature = "try-runtime")]
	#[test]
	fn migrations_of_the_authorities_pass_their_own_try_runtime_checks() {
		use frame_support::traits::OnRuntimeUpgrade;
		previous_release_chain(&[Alice, Bob]).execute_with(|| {
			<crate::migrations::validators::SessionKeysFromAuthorities as OnRuntimeUpgrade>::try_on_runtime_upgrade(true)
				.unwrap();
			assert_eq!(Session::validators().len(), 2);
		});
	}
}

/// Message lanes in this runtime: the storage keys a counterpart proves, the escrow, wrapped
/// tokens nobody can mint by a call, and what relayers are paid against what they pay.
mod lanes {
	use super::*;
	use crate::{
		configs::lanes::{DeliveryFee, MessageDeposit},
		MessageLanes, WrappedTokens,
	};
	use frame_support::traits::{fungible::Mutate, Get, OnRuntimeUpgrade};
	use sp_core::H256;
	use viot_primitives::lanes::keys;

	/// The chain registry asks the lanes before an owner deregisters a chain: tokens locked for
	/// it, its tokens wrapped here or messages to it in flight keep it followed.
	#[test]
	fn a_chain_the_lanes_hold_state_about_is_in_use() {
		use pallet_child_chains::ChainUsers;
		use pallet_message_lanes::{Locked, OutboundLanes};
		new_test_ext().execute_with(|| {
			let counterpart = H256::repeat_byte(4);
			let in_use = || crate::configs::lanes::LanesUseChains::in_use(&counterpart);
			assert!(!in_use());
			Locked::<Runtime>::insert(counterpart, 1);
			assert!(in_use());
			Locked::<Runtime>::remove(counterpart);
			OutboundLanes::<Runtime>::mutate(counterpart, |lane| lane.latest_generated = 3);
			assert!(in_use());
			OutboundLanes::<Runtime>::mutate(counterpart, |lane| lane.latest_confirmed = 3);
			assert!(!in_use());
			let escrow = MessageLanes::escrow();
			assert_ok!(
				<WrappedTokens as frame_support::traits::fungibles::Create<_>>::create(
					counterpart,
					escrow.clone(),
					true,
					1
				)
			);
			assert!(!in_use(), "an asset with no supply");
			assert_ok!(
				<WrappedTokens as frame_support::traits::fungibles::Mutate<_>>::mint_into(
					counterpart,
					&account(Sr25519Keyring::Bob),
					5
				)
			);
			assert!(in_use());
		});
	}

	/// Storage proofs the relayer asks a node for are read by these keys; they must be the
	/// pallet's own.
	#[test]
	fn the_lane_keys_relayers_prove_are_the_pallets() {
		let lane = H256::repeat_byte(7);
		assert_eq!(
			keys::outbound_lane(&lane),
			MessageLanes::outbound_lane_key(lane)
		);
		assert_eq!(
			keys::inbound_lane(&lane),
			MessageLanes::inbound_lane_key(lane)
		);
		for nonce in [1, 2, 300, u64::MAX] {
			assert_eq!(
				keys::outbound_message(&lane, nonce),
				MessageLanes::outbound_message_key(lane, nonce)
			);
		}
	}

	/// Releasing every locked token never reaps the escrow: it holds the existential deposit
	/// from genesis, and a chain that upgrades to this runtime gets it from the migration, once.
	#[test]
	fn the_escrow_holds_the_existential_deposit_from_genesis_or_the_migration() {
		new_test_ext().execute_with(|| {
			let escrow = MessageLanes::escrow();
			assert_eq!(Balances::balance(&escrow), EXISTENTIAL_DEPOSIT);
			// A chain from before the lanes: no escrow account.
			Balances::set_balance(&escrow, 0);
			let issuance = Balances::total_issuance();
			pallet_message_lanes::EndowEscrow::<Runtime>::on_runtime_upgrade();
			assert_eq!(Balances::balance(&escrow), EXISTENTIAL_DEPOSIT);
			assert_eq!(Balances::total_issuance(), issuance + EXISTENTIAL_DEPOSIT);
			pallet_message_lanes::EndowEscrow::<Runtime>::on_runtime_upgrade();
			assert_eq!(Balances::total_issuance(), issuance + EXISTENTIAL_DEPOSIT);
		});
	}

	/// A wrapped token is whatever its lane mints: if anyone could create the asset first, they
	/// would own a token users take for the counterpart's.
	#[test]
	fn nobody_creates_a_wrapped_token_by_a_call() {
		new_test_ext().execute_with(|| {
			let counterpart = H256::repeat_byte(9);
			assert_noop!(
				WrappedTokens::create(
					RuntimeOrigin::signed(alice()),
					counterpart,
					alice().into(),
					1
				),
				sp_runtime::DispatchError::BadOrigin
			);
		});
	}

	/// Only chains this chain's light client follows (approved in ChildChains) have lanes.
	#[test]
	fn tokens_go_only_to_a_followed_chain() {
		new_test_ext().execute_with(|| {
			assert_noop!(
				MessageLanes::send_tokens(
					RuntimeOrigin::signed(alice()),
					H256::repeat_byte(9),
					pallet_message_lanes::Token::Native,
					UNIT,
					bob(),
				),
				pallet_message_lanes::Error::<Runtime>::UnknownCounterpart
			);
		});
	}

	/// How relayers are paid: each message's sender pays `DeliveryFee` to the relayer that
	/// delivered it. It covers what delivering one message costs that relayer as a signed
	/// extrinsic (its proof of the lane and the message: a few trie nodes of a real chain's
	/// state, 4 KiB here) and what confirming it costs.
	#[test]
	fn a_delivery_fee_pays_for_delivering_and_confirming_one_message() {
		new_test_ext().execute_with(|| {
			let proof = vec![vec![0u8; 512]; 8];
			let source = H256::repeat_byte(1);
			let delivery = partial_fee(RuntimeCall::MessageLanes(
				pallet_message_lanes::Call::receive_messages {
					source,
					block_hash: H256::repeat_byte(2),
					first: 1,
					last: 1,
					proof: proof.clone(),
				},
			));
			// Confirmation is weighed for a full delivery up front and refunded down to what it
			// pruned: here the one message.
			let confirmation = partial_fee(RuntimeCall::MessageLanes(
				pallet_message_lanes::Call::confirm_delivery {
					counterpart: source,
					block_hash: H256::repeat_byte(2),
					proof: proof.clone(),
				},
			));
			use pallet_message_lanes::WeightInfo as _;
			type Weights = pallet_message_lanes::weights::SubstrateWeight<Runtime>;
			let max = <Runtime as pallet_message_lanes::Config>::MaxMessagesPerDelivery::get();
			let refunded = Weights::confirm_delivery(max, 4096)
				.saturating_sub(Weights::confirm_delivery(1, 4096))
				.ref_time() as crate::Balance;
			let confirmation = confirmation - refunded;
			println!(
				"delivery {delivery}, confirmation {confirmation}, fee {}",
				DeliveryFee::get()
			);
			assert!(delivery + confirmation <= DeliveryFee::get());
			// A queued message's deposit is returned; the fee is what sending costs on top.
			assert!(MessageDeposit::get() > 0);
		});
	}
}

#[test]
fn the_relayers_lane_calls_encode_exactly_as_the_runtimes_calls() {
	use codec::Encode;
	use sp_core::H256;
	use viot_primitives::lanes::{LanesRuntimeCall, MessageLanesCall};
	let proof = vec![vec![1u8, 2, 3], vec![4u8; 40]];
	let ours = RuntimeCall::MessageLanes(pallet_message_lanes::Call::receive_messages {
		source: H256::repeat_byte(1),
		block_hash: H256::repeat_byte(2),
		first: 3,
		last: 9,
		proof: proof.clone(),
	});
	let relayers = LanesRuntimeCall::MessageLanes(MessageLanesCall::ReceiveMessages {
		source: H256::repeat_byte(1),
		block_hash: H256::repeat_byte(2),
		first: 3,
		last: 9,
		proof: proof.clone(),
	});
	assert_eq!(ours.encode(), relayers.encode());
	let ours = RuntimeCall::MessageLanes(pallet_message_lanes::Call::confirm_delivery {
		counterpart: H256::repeat_byte(1),
		block_hash: H256::repeat_byte(2),
		proof: proof.clone(),
	});
	let relayers = LanesRuntimeCall::MessageLanes(MessageLanesCall::ConfirmDelivery {
		counterpart: H256::repeat_byte(1),
		block_hash: H256::repeat_byte(2),
		proof,
	});
	assert_eq!(ours.encode(), relayers.encode());
}
