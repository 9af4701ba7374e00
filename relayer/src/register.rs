//! `viot-relayer register`: registers a child chain on the parent from what the child's own node
//! reports — genesis hash, latest finalized header and the GRANDPA authority set at it.

use anyhow::{anyhow, bail, Context, Result};
use sp_core::H256;
use sp_runtime::traits::Header as _;
use std::time::Duration;
use tracing::info;
use viot_primitives::child::{AuthorityList, ChainId};
use viot_runtime::RuntimeCall;

use crate::{
	extrinsic::Signer,
	relay::chain_info,
	rpc::{Inclusion, Node},
	Fatal,
};

/// Registers the chain `source` serves on `target`; returns its chain id there.
pub async fn register(
	source: &Node,
	target: &Node,
	signer: &Signer,
	name: Option<String>,
	token_symbol: Option<String>,
) -> Result<ChainId> {
	let genesis_hash = source.genesis_hash().await?;
	let name = match name {
		Some(name) => name,
		None => source.chain_name().await?,
	};
	let token_symbol = match token_symbol {
		Some(symbol) => symbol,
		None => source.properties().await?["tokenSymbol"]
			.as_str()
			.map(str::to_string)
			.ok_or_else(|| anyhow!("the source has no tokenSymbol property; pass --symbol"))?,
	};
	let finalized = source.finalized_head().await?;
	let header = source.header(finalized).await?;
	let authorities: AuthorityList = source
		.runtime_call("GrandpaApi_grandpa_authorities", (), Some(finalized))
		.await
		.context("reading the source's GRANDPA authorities")?;
	let set_id: u64 = source
		.runtime_call("GrandpaApi_current_set_id", (), Some(finalized))
		.await
		.context("reading the source's GRANDPA set id")?;
	info!(
		%name, %token_symbol, ?genesis_hash, finalized = *header.number(),
		authorities = authorities.len(), set_id, "registering"
	);

	let call = RuntimeCall::ChildChains(pallet_child_chains::Call::register_child_chain {
		name: name.into_bytes(),
		token_symbol: token_symbol.into_bytes(),
		genesis_hash,
		initial_header: Box::new(header),
		authorities,
		set_id,
	});
	let extrinsic = signer.sign(target, call).await?;
	let block = match target
		.submit_and_watch(extrinsic, Duration::from_secs(60))
		.await?
	{
		Inclusion::InBlock(block) => block,
		Inclusion::Rejected(reason) => bail!(Fatal(format!(
			"the parent refused the registration: {reason}"
		))),
	};
	let chain_id = registered_id(target, block, signer, genesis_hash).await?;
	let info = chain_info(target, chain_id, Some(block)).await?;
	if info.genesis_hash != genesis_hash || info.owner != signer.account {
		bail!(Fatal(format!(
			"chain {chain_id} on the parent is not this registration"
		)));
	}
	Ok(chain_id)
}

/// The id of the chain this registration got: from its own `ChildChainRegistered` event in
/// `block` (the signer's registration of `genesis_hash`; the last one if it sent several), so
/// another registration in the same block cannot be mistaken for it.
async fn registered_id(
	target: &Node,
	block: H256,
	signer: &Signer,
	genesis_hash: H256,
) -> Result<ChainId> {
	use viot_runtime::RuntimeEvent;
	type Events = Vec<frame_system::EventRecord<RuntimeEvent, H256>>;
	// `System::Events`: its storage item is private to frame-system; the key is well known.
	let key = [
		sp_crypto_hashing::twox_128(b"System"),
		sp_crypto_hashing::twox_128(b"Events"),
	]
	.concat();
	let raw = target.storage(&key, Some(block)).await?.unwrap_or_default();
	let events = <Events as codec::Decode>::decode(&mut &raw[..])
		.context("decoding the parent's events of the registration block")?;
	events
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ChildChains(pallet_child_chains::Event::ChildChainRegistered {
				chain_id,
				owner,
				genesis_hash: registered,
				..
			}) if owner == signer.account && registered == genesis_hash => Some(chain_id),
			_ => None,
		})
		.next_back()
		.ok_or_else(|| {
			Fatal(
				"the registration did not take effect (an approved chain of this genesis exists? see the parent's events)"
					.into(),
			)
			.into()
		})
}
