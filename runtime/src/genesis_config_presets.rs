//! Genesis presets: the starting state of the chains a node can launch without a chain-spec file.
//!
//! - `development`: Alice is the only authority and the sudo key; the well-known dev accounts are
//!   funded. Used by `viot-node --dev`.
//! - `local_testnet`: Alice, Bob, Charlie and Dave validate. Four, so that one can fail and the
//!   other three still hold GRANDPA's two-thirds supermajority.
//! - `child_development`: a child chain (role `child`, token `CHILD`) with Alice as its only
//!   authority and sudo key. Used by `viot-node --dev --chain child-dev`.
//! - `child_local_testnet`: a child chain (token `CHILD`) validated by Eve and Ferdie, sudo Eve.
//!
//! The same runtime runs parent and child chains; only the `childChains` genesis (role and token
//! symbol) and the validators differ, which also makes every chain's genesis hash different.
//!
//! Every preset here is a dev or test chain and sets a 1-second slot (`DEV_SLOT_DURATION`,
//! `childChains.slotDurationMs`); a production chain spec leaves `slotDurationMs` out and gets
//! 6-second blocks.

use crate::{AccountId, Balance, BalancesConfig, RuntimeGenesisConfig, SudoConfig, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_child_chains::ChainRole;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use viot_primitives::time::DEV_SLOT_DURATION;

/// Preset of a single-validator child chain.
pub const CHILD_DEV_PRESET: &str = "child_development";
/// Preset of a two-validator child chain.
pub const CHILD_LOCAL_PRESET: &str = "child_local_testnet";
/// Token symbol of the child presets.
pub const CHILD_TOKEN_SYMBOL: &str = "CHILD";

/// Balance of every endowed dev account: one million VIOT.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a dev validator, both from its dev seed.
fn authority_keys(aura: Sr25519Keyring, grandpa: Ed25519Keyring) -> (AuraId, GrandpaId) {
	(aura.public().into(), grandpa.public().into())
}

/// The dev accounts funded at genesis: the twelve well-known keyring accounts.
fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

fn genesis(
	role: ChainRole,
	token_symbol: &str,
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed: Vec<AccountId>,
	root: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed
				.into_iter()
				.map(|account| (account, ENDOWMENT))
				.collect::<Vec<_>>(),
		},
		aura: pallet_aura::GenesisConfig {
			authorities: authorities
				.iter()
				.map(|(aura, _)| aura.clone())
				.collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		child_chains: pallet_child_chains::GenesisConfig {
			role,
			token_symbol: token_symbol.into(),
			slot_duration_ms: Some(DEV_SLOT_DURATION),
		},
	})
}

/// The `development` preset.
pub fn development() -> Value {
	genesis(
		ChainRole::Parent,
		viot_primitives::currency::TOKEN_SYMBOL,
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset.
pub fn local_testnet() -> Value {
	genesis(
		ChainRole::Parent,
		viot_primitives::currency::TOKEN_SYMBOL,
		vec![
			authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		endowed_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `child_development` preset.
pub fn child_development() -> Value {
	genesis(
		ChainRole::Child,
		CHILD_TOKEN_SYMBOL,
		vec![authority_keys(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		endowed_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `child_local_testnet` preset.
pub fn child_local_testnet() -> Value {
	genesis(
		ChainRole::Child,
		CHILD_TOKEN_SYMBOL,
		vec![
			authority_keys(Sr25519Keyring::Eve, Ed25519Keyring::Eve),
			authority_keys(Sr25519Keyring::Ferdie, Ed25519Keyring::Ferdie),
		],
		endowed_accounts(),
		Sr25519Keyring::Eve.to_account_id(),
	)
}

/// The JSON patch of the preset named `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEV_RUNTIME_PRESET => development(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_testnet(),
		CHILD_DEV_PRESET => child_development(),
		CHILD_LOCAL_PRESET => child_local_testnet(),
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
	]
}
