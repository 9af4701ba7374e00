//! JSON-RPC methods beyond the standard ones: account nonce and transaction fees.
//!
//! Queries of VIoT's own pallets are runtime APIs (`state_call`, `api.call.*` in Polkadot.js),
//! so this list stays short.

use std::sync::Arc;

use jsonrpsee::RpcModule;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use viot_primitives::{opaque::Block, AccountId, Balance, Nonce};

/// What the RPC methods need from the node.
pub struct FullDeps<C, P> {
	/// The client, to call the runtime.
	pub client: Arc<C>,
	/// The transaction pool, for the next nonce of an account.
	pub pool: Arc<P>,
}

/// Builds the node's extra RPC methods: `system_accountNextIndex`, `payment_queryInfo` and
/// `payment_queryFeeDetails`.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	P: TransactionPool + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool } = deps;
	let mut module = RpcModule::new(());
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client).into_rpc())?;
	Ok(module)
}
