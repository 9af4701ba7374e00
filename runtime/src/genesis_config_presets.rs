//! Genesis presets: the starting state of the chains a node can launch without a chain-spec file.
//!
//! - `development`: Alice is the only validator and the sudo key; the well-known dev accounts are
//!   funded; Alice, Bob, Charlie and Dave are the council. Used by `viot-node --dev`.
//! - `local_testnet`: Alice, Bob, Charlie and Dave validate and form the council; sudo Alice.
//!   Four, so that one can fail and the other three still hold GRANDPA's two-thirds
//!   supermajority.
//! - `staging`: as `local_testnet` without any sudo key and with 6-second blocks and one-hour
//!   sessions: only a council motion governs. What a real network starts from.
//! - `child_development`: a child chain (role `child`, token `CHILD`) with Alice as its only
//!   validator, council member and sudo key. Used by `viot-node --dev --chain child-dev`.
//! - `child_local_testnet`: a child chain (token `CHILD`) validated and governed by Eve and
//!   Ferdie, sudo Eve.
//!
//! Validators hold the validator bond from genesis; their session keys are set in the session
//! pallet's genesis, which hands them to Aura and GRANDPA.
//!
//! The same runtime runs parent and child chains; only the `childChains` genesis (role and token
//! symbol) and the validators differ, which also makes every chain's genesis hash different.
//!
//! Every preset but `staging` is a dev or test chain and sets a 1-second slot
//! (`DEV_SLOT_DURATION`, `childChains.slotDurationMs`) and short sessions (10 blocks on `local`,
//! 100 on the single-validator presets); a production chain spec leaves `slotDurationMs` out and
//! gets 6-second blocks.

use crate::{
	configs, AccountId, Balance, BalancesConfig, BlockNumber, CouncilMembershipConfig,
	RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig, ValidatorSetConfig, UNIT,
};
use alloc::{format, vec, vec::Vec};
use core::str::FromStr;
use frame_support::build_struct_json_patch;
use pallet_child_chains::ChainRole;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use viot_primitives::time::DEV_SLOT_DURATION;

/// Preset of a network without sudo: four validators, a council of four, 6-second blocks.
pub const STAGING_PRESET: &str = "staging";
/// Preset of a single-validator child chain.
pub const CHILD_DEV_PRESET: &str = "child_development";
/// Preset of a two-validator child chain.
pub const CHILD_LOCAL_PRESET: &str = "child_local_testnet";
/// Token symbol of the child presets.
pub const CHILD_TOKEN_SYMBOL: &str = "CHILD";

/// Balance of every endowed dev account: one million VIOT.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The dev accounts funded at genesis: the twelve well-known keyring accounts.
fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// Who validates, who governs and how a preset's chain runs.
struct Network {
	role: ChainRole,
	token_symbol: &'static str,
	validators: Vec<Sr25519Keyring>,
	council: Vec<Sr25519Keyring>,
	/// `None`: no sudo key at all (only the council governs).
	sudo: Option<Sr25519Keyring>,
	/// Blocks per session.
	session_length: BlockNumber,
	/// Sessions a removed validator's bond stays slashable after it left the set.
	unbonding_sessions: u32,
	/// `Some`: a test chain's short slot; `None`: 6-second blocks.
	slot_duration_ms: Option<u64>,
}

/// A dev validator's account and its session keys (Aura sr25519 and GRANDPA ed25519, both from
/// its dev seed); the account is also the validator's id and holds its bond.
fn validator(who: Sr25519Keyring) -> (AccountId, AccountId, SessionKeys) {
	let grandpa =
		Ed25519Keyring::from_str(&format!("{who}")).expect("every dev name has both keys");
	let keys = SessionKeys {
		aura: AuraId::from(who.public()),
		grandpa: GrandpaId::from(grandpa.public()),
	};
	(who.to_account_id(), who.to_account_id(), keys)
}

fn genesis(network: Network, endowed: Vec<AccountId>) -> Value {
	let validators = network
		.validators
		.iter()
		.map(|who| who.to_account_id())
		.collect::<Vec<_>>();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.into_iter()
				.map(|account| (account, ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		// Aura's and GRANDPA's authorities come from the session pallet's genesis keys.
		session: SessionConfig {
			keys: network
				.validators
				.iter()
				.map(|who| validator(*who))
				.collect::<Vec<_>>(),
		},
		validator_set: ValidatorSetConfig {
			minimum_validators: configs::default_minimum_validators(validators.len() as u32),
			validators,
			session_length: network.session_length,
			unbonding_sessions: network.unbonding_sessions,
		},
		council_membership: CouncilMembershipConfig {
			members: network
				.council
				.iter()
				.map(|who| who.to_account_id())
				.collect::<Vec<_>>()
				.try_into()
				.expect("a council within CouncilMaxMembers"),
		},
		sudo: SudoConfig {
			key: network.sudo.map(|who| who.to_account_id())
		},
		child_chains: pallet_child_chains::GenesisConfig {
			role: network.role,
			token_symbol: network.token_symbol.into(),
			slot_duration_ms: network.slot_duration_ms,
		},
	})
}

/// Blocks per session of the `local` preset, where validators come and go in tests: 10
/// one-second blocks, so that a validator admitted by the council validates within half a minute.
pub const LOCAL_SESSION_LENGTH: BlockNumber = 10;

/// Blocks per session of the single-validator dev presets: 100 one-second blocks. A session
/// change takes its whole block (pallet-session's weight), so shorter sessions would cost the
/// dev chain's capacity for no use.
pub const DEV_SESSION_LENGTH: BlockNumber = 100;

/// Blocks per session of the `staging` preset: one hour of 6-second blocks.
pub const STAGING_SESSION_LENGTH: BlockNumber = 600;

/// Unbonding sessions of the dev, local and child presets: none, so that tests see a removed
/// validator withdraw two sessions after its removal. A real network (`staging`) keeps a bond
/// slashable for as long as a council motion may take.
pub const TEST_UNBONDING_SESSIONS: u32 = 0;

use Sr25519Keyring::{Alice, Bob, Charlie, Dave, Eve, Ferdie};

/// The dev and local parent chains' council: Alice, Bob, Charlie and Dave (a motion needs three).
fn dev_council() -> Vec<Sr25519Keyring> {
	vec![Alice, Bob, Charlie, Dave]
}

/// The `development` preset.
pub fn development() -> Value {
	genesis(
		Network {
			role: ChainRole::Parent,
			token_symbol: viot_primitives::currency::TOKEN_SYMBOL,
			validators: vec![Alice],
			council: dev_council(),
			sudo: Some(Alice),
			session_length: DEV_SESSION_LENGTH,
			unbonding_sessions: TEST_UNBONDING_SESSIONS,
			slot_duration_ms: Some(DEV_SLOT_DURATION),
		},
		endowed_accounts(),
	)
}

/// The `local_testnet` preset.
pub fn local_testnet() -> Value {
	genesis(
		Network {
			role: ChainRole::Parent,
			token_symbol: viot_primitives::currency::TOKEN_SYMBOL,
			validators: vec![Alice, Bob, Charlie, Dave],
			council: dev_council(),
			sudo: Some(Alice),
			session_length: LOCAL_SESSION_LENGTH,
			unbonding_sessions: TEST_UNBONDING_SESSIONS,
			slot_duration_ms: Some(DEV_SLOT_DURATION),
		},
		endowed_accounts(),
	)
}

/// The `staging` preset: no sudo key; four validators and a council of four; one-hour sessions
/// of 6-second blocks. The template of a real network (whose operators put their own accounts
/// and session keys in its chain spec).
pub fn staging() -> Value {
	genesis(
		Network {
			role: ChainRole::Parent,
			token_symbol: viot_primitives::currency::TOKEN_SYMBOL,
			validators: vec![Alice, Bob, Charlie, Dave],
			council: dev_council(),
			sudo: None,
			session_length: STAGING_SESSION_LENGTH,
			unbonding_sessions: configs::unbonding_sessions(STAGING_SESSION_LENGTH),
			slot_duration_ms: None,
		},
		endowed_accounts(),
	)
}

/// The `child_development` preset.
pub fn child_development() -> Value {
	genesis(
		Network {
			role: ChainRole::Child,
			token_symbol: CHILD_TOKEN_SYMBOL,
			validators: vec![Alice],
			council: vec![Alice],
			sudo: Some(Alice),
			session_length: DEV_SESSION_LENGTH,
			unbonding_sessions: TEST_UNBONDING_SESSIONS,
			slot_duration_ms: Some(DEV_SLOT_DURATION),
		},
		endowed_accounts(),
	)
}

/// The `child_local_testnet` preset.
pub fn child_local_testnet() -> Value {
	genesis(
		Network {
			role: ChainRole::Child,
			token_symbol: CHILD_TOKEN_SYMBOL,
			validators: vec![Eve, Ferdie],
			council: vec![Eve, Ferdie],
			sudo: Some(Eve),
			session_length: DEV_SESSION_LENGTH,
			unbonding_sessions: TEST_UNBONDING_SESSIONS,
			slot_duration_ms: Some(DEV_SLOT_DURATION),
		},
		endowed_accounts(),
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		CHILD_DEV_PRESET => child_development(),
		CHILD_LOCAL_PRESET => child_local_testnet(),
		STAGING_PRESET => staging(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of all presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(DEV_RUNTIME_PRESET),
		PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(CHILD_DEV_PRESET),
		PresetId::from(CHILD_LOCAL_PRESET),
		PresetId::from(STAGING_PRESET),
	]
}
