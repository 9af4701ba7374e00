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
	let chain_id = registered_id(target, block).await?;
	let info = chain_info(target, chain_id, Some(block)).await?;
	if info.genesis_hash != genesis_hash || info.owner != signer.account {
		bail!(Fatal(
			"the registration did not take effect (is the genesis already registered? see the parent's events)"
				.into()
		));
	}
	Ok(chain_id)
}

/// The id of the chain registered last as of `block`: `ChildChains::NextChainId - 1`.
async fn registered_id(target: &Node, block: H256) -> Result<ChainId> {
	let key = pallet_child_chains::NextChainId::<viot_runtime::Runtime>::hashed_key();
	let next = target.storage(&key, Some(block)).await?.unwrap_or_default();
	let next = <ChainId as codec::Decode>::decode(&mut &next[..]).unwrap_or(0);
	next.checked_sub(1)
		.ok_or_else(|| Fatal("the registration did not take effect".into()).into())
}
