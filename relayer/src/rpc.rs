//! The JSON-RPC methods the relayer uses, on one WebSocket connection to a node.
//!
//! Only standard Substrate methods (`chain_*`, `state_*`, `author_*`, `system_*`) and the
//! GRANDPA methods (`grandpa_*`) are used, so the source can be any Substrate chain with GRANDPA
//! that serves them.

use anyhow::{anyhow, bail, Context, Result};
use codec::{Decode, Encode};
use jsonrpsee::{
	core::client::{ClientT, Subscription, SubscriptionClientT},
	rpc_params,
	ws_client::{WsClient, WsClientBuilder},
};
use serde_json::Value;
use sp_core::{Bytes, H256};
use std::time::Duration;
use viot_primitives::child::ChildHeader;

/// A connection to one node.
pub struct Node {
	/// The URL, for logs.
	pub url: String,
	client: WsClient,
}

/// What the transaction pool says about a submitted extrinsic.
#[derive(Debug)]
pub enum Inclusion {
	/// Included in this block.
	InBlock(H256),
	/// Refused or dropped; the reason.
	Rejected(String),
}

impl Node {
	/// Connects to `url` (`ws://host:port`).
	pub async fn connect(url: &str) -> Result<Self> {
		let client = WsClientBuilder::default()
			.request_timeout(Duration::from_secs(60))
			.max_request_size(16 * 1024 * 1024)
			.max_response_size(16 * 1024 * 1024)
			.build(url)
			.await
			.with_context(|| format!("cannot connect to {url}"))?;
		Ok(Self {
			url: url.to_string(),
			client,
		})
	}

	/// Whether the connection is still up.
	pub fn is_connected(&self) -> bool {
		self.client.is_connected()
	}

	async fn call<R: jsonrpsee::core::DeserializeOwned>(
		&self,
		method: &str,
		params: jsonrpsee::core::params::ArrayParams,
	) -> Result<R> {
		self.client
			.request(method, params)
			.await
			.with_context(|| format!("{method} on {}", self.url))
	}

	/// The hash of block `number`, if the node has it.
	pub async fn block_hash(&self, number: u32) -> Result<Option<H256>> {
		self.call("chain_getBlockHash", rpc_params![number]).await
	}

	/// The genesis hash.
	pub async fn genesis_hash(&self) -> Result<H256> {
		self.block_hash(0)
			.await?
			.ok_or_else(|| anyhow!("{} has no genesis block", self.url))
	}

	/// The hash of the latest finalized block.
	pub async fn finalized_head(&self) -> Result<H256> {
		self.call("chain_getFinalizedHead", rpc_params![]).await
	}

	/// The header `hash`.
	pub async fn header(&self, hash: H256) -> Result<ChildHeader> {
		let header: Option<ChildHeader> = self.call("chain_getHeader", rpc_params![hash]).await?;
		header.ok_or_else(|| anyhow!("{} does not have header {hash:?}", self.url))
	}

	/// The number of the best block.
	pub async fn best_number(&self) -> Result<u32> {
		use sp_runtime::traits::Header as _;
		let header: Option<ChildHeader> = self.call("chain_getHeader", rpc_params![]).await?;
		header
			.map(|header| *header.number())
			.ok_or_else(|| anyhow!("{} has no best block", self.url))
	}

	/// The chain's name (`system_chain`).
	pub async fn chain_name(&self) -> Result<String> {
		self.call("system_chain", rpc_params![]).await
	}

	/// The chain's properties (`system_properties`): token symbol and decimals.
	pub async fn properties(&self) -> Result<Value> {
		self.call("system_properties", rpc_params![]).await
	}

	/// `spec_version` and `transaction_version` of the runtime at the best block.
	pub async fn runtime_version(&self) -> Result<(u32, u32)> {
		let version: Value = self.call("state_getRuntimeVersion", rpc_params![]).await?;
		let field = |name: &str| {
			version[name]
				.as_u64()
				.map(|value| value as u32)
				.ok_or_else(|| anyhow!("runtime version without {name}"))
		};
		Ok((field("specVersion")?, field("transactionVersion")?))
	}

	/// Calls runtime API `method` with SCALE-encoded `args` at block `at` (best if `None`) and
	/// decodes the result.
	pub async fn runtime_call<R: Decode>(
		&self,
		method: &str,
		args: impl Encode,
		at: Option<H256>,
	) -> Result<R> {
		let bytes: Bytes = self
			.call("state_call", rpc_params![method, Bytes(args.encode()), at])
			.await?;
		R::decode(&mut &bytes[..]).with_context(|| format!("undecodable answer of {method}"))
	}

	/// The raw value at storage `key` at block `at`.
	pub async fn storage(&self, key: &[u8], at: Option<H256>) -> Result<Option<Vec<u8>>> {
		let value: Option<Bytes> = self
			.call("state_getStorage", rpc_params![Bytes(key.to_vec()), at])
			.await?;
		Ok(value.map(|bytes| bytes.0))
	}

	/// The next nonce of `account` (ss58), pending transactions included.
	pub async fn next_nonce(&self, account: &str) -> Result<u32> {
		self.call("system_accountNextIndex", rpc_params![account])
			.await
	}

	/// Subscribes to the justifications of blocks the node's GRANDPA finalizes.
	pub async fn subscribe_justifications(&self) -> Result<Subscription<Bytes>> {
		self.client
			.subscribe(
				"grandpa_subscribeJustifications",
				rpc_params![],
				"grandpa_unsubscribeJustifications",
			)
			.await
			.with_context(|| {
				format!(
					"grandpa_subscribeJustifications on {} (does it serve GRANDPA RPC?)",
					self.url
				)
			})
	}

	/// A finality proof (SCALE-encoded `FinalityProof`) for block `number`: the justification of
	/// the last block of the authority set that finalized `number`, or of the latest finalized
	/// block if `number` is in the current set.
	pub async fn prove_finality(&self, number: u32) -> Result<Option<Vec<u8>>> {
		let proof: Option<Bytes> = self
			.call("grandpa_proveFinality", rpc_params![number])
			.await?;
		Ok(proof.map(|bytes| bytes.0))
	}

	/// The current GRANDPA authority set id, from `grandpa_roundState`.
	pub async fn grandpa_set_id(&self) -> Result<u64> {
		let state: Value = self.call("grandpa_roundState", rpc_params![]).await?;
		state["setId"]
			.as_u64()
			.ok_or_else(|| anyhow!("grandpa_roundState without setId"))
	}

	/// The values of `keys` at block `at` (`state_queryStorageAt`), in the order asked; `None`
	/// for a key without a value.
	pub async fn storage_values(
		&self,
		keys: &[Vec<u8>],
		at: H256,
	) -> Result<Vec<(Vec<u8>, Option<Vec<u8>>)>> {
		let keys: Vec<Bytes> = keys.iter().cloned().map(Bytes).collect();
		let sets: Vec<Value> = self
			.call("state_queryStorageAt", rpc_params![keys, at])
			.await?;
		let mut values = Vec::new();
		for set in sets {
			let changes: Vec<(Bytes, Option<Bytes>)> =
				serde_json::from_value(set["changes"].clone())
					.context("state_queryStorageAt's answer")?;
			values.extend(
				changes
					.into_iter()
					.map(|(key, value)| (key.0, value.map(|value| value.0))),
			);
		}
		Ok(values)
	}

	/// A proof of the values of `keys` in the state of block `at` (`state_getReadProof`): its
	/// trie nodes.
	pub async fn read_proof(&self, keys: &[Vec<u8>], at: H256) -> Result<Vec<Vec<u8>>> {
		let keys: Vec<Bytes> = keys.iter().cloned().map(Bytes).collect();
		let proof: Value = self
			.call("state_getReadProof", rpc_params![keys, at])
			.await?;
		let nodes: Vec<Bytes> = serde_json::from_value(proof["proof"].clone())
			.context("state_getReadProof's answer")?;
		Ok(nodes.into_iter().map(|node| node.0).collect())
	}

	/// Subscribes to new best blocks' headers (`finalized` false) or to finalized headers.
	pub async fn subscribe_heads(&self, finalized: bool) -> Result<Subscription<ChildHeader>> {
		let (subscribe, unsubscribe) = if finalized {
			(
				"chain_subscribeFinalizedHeads",
				"chain_unsubscribeFinalizedHeads",
			)
		} else {
			("chain_subscribeNewHeads", "chain_unsubscribeNewHeads")
		};
		self.client
			.subscribe(subscribe, rpc_params![], unsubscribe)
			.await
			.with_context(|| format!("{subscribe} on {}", self.url))
	}

	/// Submits `extrinsic` and waits until it is in a block, or refused.
	pub async fn submit_and_watch(
		&self,
		extrinsic: Vec<u8>,
		timeout: Duration,
	) -> Result<Inclusion> {
		match self.submit(extrinsic).await? {
			Ok(status) => Self::wait_for_inclusion(status, timeout).await,
			Err(reason) => Ok(Inclusion::Rejected(reason)),
		}
	}

	/// Submits `extrinsic` to the node's pool: its status updates once the pool took it, or
	/// why the pool refused it.
	pub async fn submit(
		&self,
		extrinsic: Vec<u8>,
	) -> Result<std::result::Result<Subscription<Value>, String>> {
		match self
			.client
			.subscribe(
				"author_submitAndWatchExtrinsic",
				rpc_params![Bytes(extrinsic)],
				"author_unwatchExtrinsic",
			)
			.await
		{
			Ok(status) => Ok(Ok(status)),
			Err(jsonrpsee::core::ClientError::Call(error)) => Ok(Err(format!(
				"{} {}",
				error.message(),
				error.data().map(|d| d.get()).unwrap_or_default()
			))),
			Err(error) => Err(error).context("author_submitAndWatchExtrinsic"),
		}
	}

	/// Waits until the extrinsic whose status updates are `status` is in a block, or refused.
	pub async fn wait_for_inclusion(
		mut status: Subscription<Value>,
		timeout: Duration,
	) -> Result<Inclusion> {
		let watch = async {
			while let Some(update) = status.next().await {
				let update = update.context("extrinsic status")?;
				if let Some(hash) = update.get("inBlock") {
					return Ok(Inclusion::InBlock(serde_json::from_value(hash.clone())?));
				}
				if let Some(reason) = ["invalid", "dropped", "usurped", "finalityTimeout"]
					.iter()
					.find(|reason| update == **reason || update.get(**reason).is_some())
				{
					return Ok(Inclusion::Rejected(reason.to_string()));
				}
			}
			bail!("the node closed the extrinsic's status subscription")
		};
		tokio::time::timeout(timeout, watch)
			.await
			.map_err(|_| anyhow!("no block included the extrinsic within {timeout:?}"))?
	}
}
