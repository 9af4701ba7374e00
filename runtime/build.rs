//! Builds the runtime's WASM. Builds with a feature that changes the runtime (`upgrade-test`,
//! `try-runtime`) name their WASM after it, so that they share the target directory with the
//! normal build without replacing its `viot_runtime.compact.compressed.wasm`. The normal build
//! embeds the metadata hash (feature `metadata-hash`, on by default).

fn main() {
	#[cfg(feature = "std")]
	{
		let name = if std::env::var_os("CARGO_FEATURE_UPGRADE_TEST").is_some() {
			"viot_runtime_upgrade_test"
		} else if std::env::var_os("CARGO_FEATURE_TRY_RUNTIME").is_some() {
			"viot_runtime_try_runtime"
		} else {
			"viot_runtime"
		};
		// lib.rs includes the file the builder writes, named like the WASM.
		println!("cargo:rustc-env=VIOT_WASM_BINARY_FILE={name}");
		let builder = substrate_wasm_builder::WasmBuilder::init_with_defaults().set_file_name(name);
		// The runtime that ships carries the hash of its metadata (CheckMetadataHash), with the
		// token as the hash commits to it (viot_primitives::currency); the test builds, which
		// never meet an offline signer, skip the second compilation it costs.
		#[cfg(feature = "metadata-hash")]
		let builder = if name == "viot_runtime" {
			builder.enable_metadata_hash("VIOT", 12)
		} else {
			builder
		};
		builder.build();
	}
}
