//! Chain specifications the node can launch by name
//! (`--chain dev|local|staging|child-dev|child-local`) or from a JSON file. `dev`, `local` and
//! `staging` are parent chains; `child-dev` and `child-local` are child chains with their own
//! token and validators. All run the same runtime. `dev` and `local` have a sudo key for
//! convenience; `staging` has none: only council motions govern it, as on a real network.
//!
//! The genesis state comes from the runtime's own presets, so the node never needs to know the
//! runtime's genesis types.

use sc_chain_spec::{ChainType, Properties};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use viot_primitives::currency::{DECIMALS, SS58_PREFIX, TOKEN_SYMBOL};
use viot_runtime::{
	genesis_config_presets::{
		CHILD_DEV_PRESET, CHILD_LOCAL_PRESET, CHILD_TOKEN_SYMBOL, STAGING_PRESET,
	},
	WASM_BINARY,
};

/// A VIoT chain specification.
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token symbol, decimals and address format, as Polkadot.js reads them.
fn properties(token_symbol: &str) -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), token_symbol.into());
	properties.insert("tokenDecimals".into(), DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime WASM was not built; rebuild without SKIP_WASM_BUILD".to_string()
	})
}

/// A chain spec of the embedded runtime whose genesis is the runtime's preset `preset`.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	token_symbol: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties(token_symbol))
		.build())
}

/// `--dev` / `--chain dev`: a single-validator chain with Alice as authority and sudo.
pub fn development() -> Result<ChainSpec, String> {
	from_preset(
		"VIoT Development",
		"viot_dev",
		ChainType::Development,
		DEV_RUNTIME_PRESET,
		TOKEN_SYMBOL,
	)
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate.
pub fn local_testnet() -> Result<ChainSpec, String> {
	from_preset(
		"VIoT Local Testnet",
		"viot_local",
		ChainType::Local,
		LOCAL_TESTNET_RUNTIME_PRESET,
		TOKEN_SYMBOL,
	)
}

/// `--chain staging`: no sudo key; Alice, Bob, Charlie and Dave validate and form the council;
/// 6-second blocks, one-hour sessions. The template of a real network: export it with
/// `build-spec --chain staging`, then put the network's own accounts and session keys in.
pub fn staging() -> Result<ChainSpec, String> {
	from_preset(
		"VIoT Staging",
		"viot_staging",
		ChainType::Live,
		STAGING_PRESET,
		TOKEN_SYMBOL,
	)
}

/// `--chain child-dev`: a child chain with its own token (`CHILD`), Alice as its only validator
/// and sudo. Run it next to a `dev` parent with `--dev --chain child-dev` and other ports.
pub fn child_development() -> Result<ChainSpec, String> {
	from_preset(
		"VIoT Child Development",
		"viot_child_dev",
		ChainType::Development,
		CHILD_DEV_PRESET,
		CHILD_TOKEN_SYMBOL,
	)
}

/// `--chain child-local`: a child chain validated by Eve and Ferdie.
pub fn child_local_testnet() -> Result<ChainSpec, String> {
	from_preset(
		"VIoT Child Local Testnet",
		"viot_child_local",
		ChainType::Local,
		CHILD_LOCAL_PRESET,
		CHILD_TOKEN_SYMBOL,
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::Value;
	use sp_runtime::BuildStorage;

	fn genesis_patch(spec: &ChainSpec) -> Value {
		let json: Value = serde_json::from_str(&spec.as_json(false).expect("spec serializes"))
			.expect("spec is JSON");
		json["genesis"]["runtimeGenesis"]["patch"].clone()
	}

	#[test]
	fn properties_name_the_viot_token() {
		let spec = development().unwrap();
		let properties = spec.properties();
		assert_eq!(properties["tokenSymbol"], TOKEN_SYMBOL);
		assert_eq!(properties["tokenSymbol"], "VIOT");
		assert_eq!(properties["tokenDecimals"], 12);
		assert_eq!(properties["ss58Format"], 42);
	}

	#[test]
	fn development_has_one_authority_and_alice_as_sudo() {
		let patch = genesis_patch(&development().unwrap());
		assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 1);
		assert_eq!(
			patch["validatorSet"]["validators"]
				.as_array()
				.unwrap()
				.len(),
			1
		);
		assert_eq!(
			patch["sudo"]["key"], "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
			"Alice is the sudo key"
		);
	}

	#[test]
	fn local_testnet_has_four_validators() {
		let patch = genesis_patch(&local_testnet().unwrap());
		assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 4);
		assert_eq!(
			patch["validatorSet"]["validators"]
				.as_array()
				.unwrap()
				.len(),
			4
		);
	}

	#[test]
	fn staging_has_no_sudo_key_and_a_council_of_four() {
		let patch = genesis_patch(&staging().unwrap());
		assert!(
			patch["sudo"]["key"].is_null(),
			"no sudo key: {}",
			patch["sudo"]
		);
		assert_eq!(
			patch["councilMembership"]["members"]
				.as_array()
				.unwrap()
				.len(),
			4
		);
		assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 4);
		assert!(
			patch["childChains"]["slotDurationMs"].is_null(),
			"6-second blocks"
		);
	}

	#[test]
	fn child_chains_have_their_own_token_validators_and_role() {
		let spec = child_development().unwrap();
		assert_eq!(spec.properties()["tokenSymbol"], "CHILD");
		let patch = genesis_patch(&spec);
		assert_eq!(patch["childChains"]["role"], "child");
		assert_eq!(patch["childChains"]["tokenSymbol"], "CHILD");
		assert_eq!(
			genesis_patch(&development().unwrap())["childChains"]["role"],
			"parent"
		);
		let patch = genesis_patch(&child_local_testnet().unwrap());
		assert_eq!(patch["session"]["keys"].as_array().unwrap().len(), 2);
		assert_eq!(
			patch["sudo"]["key"], "5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw",
			"Eve is the child's sudo key"
		);
	}

	#[test]
	fn every_chain_has_its_own_genesis_state() {
		let roots: Vec<_> = [
			development().unwrap(),
			local_testnet().unwrap(),
			staging().unwrap(),
			child_development().unwrap(),
			child_local_testnet().unwrap(),
		]
		.iter()
		.map(|spec| {
			// `top` is ordered by key, so equal states give equal bytes.
			let storage = spec.build_storage().expect("preset builds");
			let bytes: Vec<u8> = storage
				.top
				.into_iter()
				.flat_map(|(key, value)| [key, value].concat())
				.collect();
			bytes
		})
		.collect();
		for (i, root) in roots.iter().enumerate() {
			assert!(
				!roots[..i].contains(root),
				"chain {i} shares its genesis with another"
			);
		}
	}

	#[test]
	fn presets_build_a_genesis_state_through_the_wasm_runtime() {
		for spec in [
			development().unwrap(),
			local_testnet().unwrap(),
			staging().unwrap(),
			child_development().unwrap(),
			child_local_testnet().unwrap(),
		] {
			let storage = spec
				.build_storage()
				.expect("the runtime accepts its own preset");
			assert!(
				storage
					.top
					.contains_key(sp_core::storage::well_known_keys::CODE),
				"genesis stores the runtime code"
			);
		}
	}
}
