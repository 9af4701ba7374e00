//! The pallets whose benchmarks the runtime runs (feature `runtime-benchmarks`).

frame_benchmarking::define_benchmarks!(
	[pallet_device_identity, DeviceIdentity]
	[pallet_data_anchoring, DataAnchoring]
	[pallet_child_chains, ChildChains]
	[pallet_message_lanes, MessageLanes]
	[pallet_validator_set, ValidatorSet]
	[pallet_upgrades, Upgrades]
	// The council and its membership, measured for this runtime.
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	// What every signed extrinsic pays for before its call: the transaction extensions.
	[frame_system_extensions, frame_system_benchmarking::extensions::Pallet::<Runtime>]
	[pallet_transaction_payment, TransactionPayment]
);

/// Fees go to the block author: the measured block has one (the validator of slot 0, from the
/// session's validators), so the benchmark pays the author's account as a real block does.
impl pallet_transaction_payment::BenchmarkConfig for crate::Runtime {
	fn setup_benchmark_environment() {
		use codec::Encode;
		let slot = sp_consensus_aura::Slot::from(0u64);
		frame_system::Pallet::<crate::Runtime>::deposit_log(sp_runtime::DigestItem::PreRuntime(
			sp_consensus_aura::AURA_ENGINE_ID,
			slot.encode(),
		));
	}
}
