//! The pallets whose benchmarks the runtime runs (feature `runtime-benchmarks`).

frame_benchmarking::define_benchmarks!(
	[pallet_device_identity, DeviceIdentity]
	[pallet_data_anchoring, DataAnchoring]
	[pallet_child_chains, ChildChains]
	// What every signed extrinsic pays for before its call: the transaction extensions.
	[frame_system_extensions, frame_system_benchmarking::extensions::Pallet::<Runtime>]
	[pallet_transaction_payment, TransactionPayment]
);

/// Fees are burned: transaction payment's benchmark needs no block author or other setup.
impl pallet_transaction_payment::BenchmarkConfig for crate::Runtime {}
