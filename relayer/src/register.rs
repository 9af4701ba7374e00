//! `viot-relayer register`: registers a child chain on the parent from what the child's own node
//! reports — genesis hash, latest finalized header and the GRANDPA authority set at it — after
//! checking everything the parent checks, so a registration the parent would refuse is never
//! paid for.

use anyhow::{bail, Context, Result};
use codec::{Decode, Encode};
use sp_core::H256;
use sp_runtime::traits::Header as _;
use std::time::Duration;
use tracing::{info, warn};
use viot_primitives::child::{
	limits, valid_authority_set, AuthorityList, ChainId, ChildChainsCall, ParentCall,
};

use crate::{
	extrinsic::Signer,
	relay::ChainInfo,
	rpc::{Inclusion, Node},
	Fatal,
};

/// The token symbol registered for a chain whose node reports none (as Polkadot.js shows such a
/// chain's token).
pub const DEFAULT_SYMBOL: &str = "UNIT";

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
		None => match source.properties().await?["tokenSymbol"].as_str() {
			Some(symbol) => symbol.to_string(),
			None => {
				warn!("the source reports no tokenSymbol; registering {DEFAULT_SYMBOL} (pass --symbol to choose)");
				DEFAULT_SYMBOL.to_string()
			}
		},
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
	check_registration(&name, &token_symbol, &header, &authorities)?;
	if let Some(approved) = approved_chain_of(target, genesis_hash).await? {
		bail!(Fatal(format!(
			"chain {approved} on the parent already is the approved chain of genesis {genesis_hash:?}"
		)));
	}
	info!(
		%name, %token_symbol, ?genesis_hash, finalized = *header.number(),
		authorities = authorities.len(), set_id, "registering"
	);

	let call = ParentCall::ChildChains(ChildChainsCall::RegisterChildChain {
		name: name.into_bytes(),
		token_symbol: token_symbol.into_bytes(),
		genesis_hash,
		initial_header: Box::new(header),
		authorities,
		set_id,
	});
	let first_free_id = next_chain_id(target, None).await?;
	let extrinsic = signer.sign(target, &call).await?;
	let block = match target
		.submit_and_watch(extrinsic, Duration::from_secs(60))
		.await?
	{
		Inclusion::InBlock(block) => block,
		Inclusion::Rejected(reason) => bail!(Fatal(format!(
			"the parent refused the registration: {reason}"
		))),
	};
	registered_id(target, block, first_free_id, signer, genesis_hash).await
}

/// Checks what the parent checks of a registration's arguments.
fn check_registration(
	name: &str,
	token_symbol: &str,
	header: &viot_primitives::child::ChildHeader,
	authorities: &AuthorityList,
) -> Result<()> {
	let refuse = |reason: String| -> Result<()> { Err(Fatal(reason).into()) };
	if name.is_empty() || name.len() > limits::MAX_NAME_LENGTH as usize {
		return refuse(format!(
			"the name {name:?} is empty or longer than {} bytes: pass --name",
			limits::MAX_NAME_LENGTH
		));
	}
	if token_symbol.is_empty() || token_symbol.len() > limits::MAX_SYMBOL_LENGTH as usize {
		return refuse(format!(
			"the token symbol {token_symbol:?} is empty or longer than {} bytes: pass --symbol",
			limits::MAX_SYMBOL_LENGTH
		));
	}
	if authorities.len() > limits::MAX_AUTHORITIES as usize || !valid_authority_set(authorities) {
		return refuse(format!(
			"the source's GRANDPA authority set ({} authorities) is not one the parent follows: \
			 1 to {}, each once, with non-zero weights",
			authorities.len(),
			limits::MAX_AUTHORITIES
		));
	}
	if header.encoded_size() > limits::MAX_HEADER_SIZE as usize {
		return refuse(format!(
			"the source's finalized header is {} bytes; the parent takes at most {}",
			header.encoded_size(),
			limits::MAX_HEADER_SIZE
		));
	}
	Ok(())
}

/// The storage key of a plain `ChildChains` storage value.
fn child_chains_key(item: &[u8]) -> Vec<u8> {
	[
		sp_crypto_hashing::twox_128(b"ChildChains"),
		sp_crypto_hashing::twox_128(item),
	]
	.concat()
}

/// `ChildChains::NextChainId` at `at`.
async fn next_chain_id(target: &Node, at: Option<H256>) -> Result<ChainId> {
	let raw = target
		.storage(&child_chains_key(b"NextChainId"), at)
		.await?
		.unwrap_or_default();
	Ok(if raw.is_empty() {
		0
	} else {
		ChainId::decode(&mut &raw[..]).context("undecodable NextChainId")?
	})
}

/// `ChildChains::ChainIdByGenesis(genesis)`: the approved chain of that genesis, if any.
async fn approved_chain_of(target: &Node, genesis: H256) -> Result<Option<ChainId>> {
	let mut key = child_chains_key(b"ChainIdByGenesis");
	key.extend(sp_crypto_hashing::blake2_128(genesis.as_bytes()));
	key.extend(genesis.as_bytes());
	target
		.storage(&key, None)
		.await?
		.map(|raw| ChainId::decode(&mut &raw[..]).context("undecodable ChainIdByGenesis"))
		.transpose()
}

/// The id this registration got: among the ids registered from `first_free_id` up to the
/// registration block, the last one of `genesis_hash` owned by the signer (so another
/// registration in the same block, or one sent before it, is never taken for it).
async fn registered_id(
	target: &Node,
	block: H256,
	first_free_id: ChainId,
	signer: &Signer,
	genesis_hash: H256,
) -> Result<ChainId> {
	let next = next_chain_id(target, Some(block)).await?;
	for chain_id in (first_free_id..next).rev() {
		let info: Option<ChainInfo> = target
			.runtime_call("ChildChainsApi_child_chain", chain_id, Some(block))
			.await?;
		if info
			.is_some_and(|info| info.owner == signer.account && info.genesis_hash == genesis_hash)
		{
			return Ok(chain_id);
		}
	}
	Err(
		Fatal("the registration did not take effect (see the parent's events of the block)".into())
			.into(),
	)
}
