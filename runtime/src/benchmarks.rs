//! The pallets whose benchmarks the runtime runs (feature `runtime-benchmarks`).

frame_benchmarking::define_benchmarks!(
	[pallet_device_identity, DeviceIdentity]
	[pallet_data_anchoring, DataAnchoring]
	[pallet_child_chains, ChildChains]
);
