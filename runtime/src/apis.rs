//! The runtime APIs: how the node and Polkadot.js (`api.call.<api>.<method>`) query the runtime.

use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult,
};
use sp_version::RuntimeVersion;

use viot_primitives::{
	anchor::{AnchorInfo, Attester, InclusionError, InclusionProof, SubjectId, TraceEntry},
	child::{ChainId, ChildAnchorRecord, ChildChainInfo, ChildProofError, StoredChildHeader},
	device::{
		BatchId, BatchInfo, DeviceAction, DeviceCheckError, DeviceId, DeviceInfo, DevicePayload,
		DeviceSignature, ManufacturerInfo,
	},
	lanes::{LaneInfo, MessageNonce, OutboundMessage},
};

use super::{
	AccountId, Aura, Balance, Block, BlockNumber, ChildChains, DataAnchoring, DeviceIdentity,
	Executive, Grandpa, InherentDataExt, MessageLanes, Nonce, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> sp_runtime::ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(
			owner: Vec<u8>,
			seed: Option<Vec<u8>>,
		) -> sp_session::OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			// Equivocation reports need a session-based key-owner proof, which this chain
			// (a fixed authority set changed by governance) does not keep.
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[api_version(2)]
	impl viot_primitives::device::DeviceIdentityApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn device(device: DeviceId) -> Option<DeviceInfo<AccountId, Balance, BlockNumber>> {
			DeviceIdentity::device_info(device)
		}

		fn devices_of(owner: AccountId, start_after: Option<DeviceId>, count: u32) -> Vec<DeviceId> {
			DeviceIdentity::devices_of(owner, start_after, count)
		}

		fn manufacturer(who: AccountId) -> Option<ManufacturerInfo<BlockNumber>> {
			DeviceIdentity::manufacturer_info(who)
		}

		fn challenge(device: DeviceId) -> Option<DevicePayload> {
			DeviceIdentity::challenge(device)
		}

		fn check_signature(
			device: DeviceId,
			action: DeviceAction,
			signature: DeviceSignature,
		) -> Result<(), DeviceCheckError> {
			DeviceIdentity::check_signature(device, action, signature)
		}

		fn batch(batch: BatchId) -> Option<BatchInfo<AccountId, Balance, BlockNumber>> {
			DeviceIdentity::batch_info(batch)
		}
	}

	#[api_version(2)]
	impl viot_primitives::anchor::DataAnchoringApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn anchor_of(
			digest: sp_core::H256,
			attester: Attester<AccountId>,
		) -> Option<AnchorInfo<AccountId, Balance, BlockNumber>> {
			DataAnchoring::anchor_of(digest, attester)
		}

		fn attestations(
			digest: sp_core::H256,
			count: u32,
		) -> Vec<AnchorInfo<AccountId, Balance, BlockNumber>> {
			DataAnchoring::attestations(digest, count)
		}

		fn verify_inclusion(
			leaf: sp_core::H256,
			proof: InclusionProof,
			attester: AccountId,
		) -> Result<AnchorInfo<AccountId, Balance, BlockNumber>, InclusionError> {
			DataAnchoring::verify_inclusion(leaf, proof, attester)
		}

		fn trace(
			subject: SubjectId,
			start: u32,
			count: u32,
		) -> Vec<TraceEntry<AccountId, Balance, BlockNumber>> {
			DataAnchoring::trace(subject, start, count)
		}

		fn trace_length(subject: SubjectId) -> u32 {
			DataAnchoring::trace_length(subject)
		}
	}

	impl viot_primitives::child::ChildChainsApi<Block, AccountId, Balance, BlockNumber> for Runtime {
		fn child_chain(
			chain_id: ChainId,
		) -> Option<ChildChainInfo<AccountId, Balance, BlockNumber>> {
			ChildChains::child_chain(chain_id)
		}

		fn child_header(chain_id: ChainId, block_hash: sp_core::H256) -> Option<StoredChildHeader> {
			ChildChains::child_header(chain_id, block_hash)
		}

		fn verify_child_storage(
			chain_id: ChainId,
			block_hash: sp_core::H256,
			key: Vec<u8>,
			proof: Vec<Vec<u8>>,
		) -> Result<Option<Vec<u8>>, ChildProofError> {
			ChildChains::read_child_storage(chain_id, block_hash, &key, proof)
		}

		fn child_anchor(digest: sp_core::H256) -> Vec<ChildAnchorRecord<AccountId, Balance, BlockNumber>> {
			ChildChains::child_anchor(digest)
		}
	}

	impl viot_primitives::lanes::MessageLanesApi<Block, AccountId, Balance> for Runtime {
		fn lane(counterpart: sp_core::H256) -> Option<LaneInfo<AccountId, Balance>> {
			MessageLanes::lane_info(counterpart)
		}

		fn outbound_message(
			counterpart: sp_core::H256,
			nonce: MessageNonce,
		) -> Option<OutboundMessage<AccountId, Balance>> {
			pallet_message_lanes::OutboundMessages::<Runtime>::get(counterpart, nonce)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use super::*;

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);
			(list, AllPalletsWithSystem::storage_info())
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig,
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::BenchmarkBatch;
			use frame_support::traits::WhitelistedStorageKeys;
			use super::*;

			let whitelist = AllPalletsWithSystem::whitelisted_storage_keys();
			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);
			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failing pre/post-upgrade check must stop try-runtime with a backtrace, so this
			// panics on purpose; it is never compiled into a production runtime.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, super::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.expect("execute-block failed")
		}
	}
}
